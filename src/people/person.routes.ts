import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams } from '../platform/http/schemas.ts';
import { newPersonBody, personHistory as personHistoryView, personPatchBody, personSearchQuery, personSearchResult, personView } from './person.schema.ts';
import { createPerson, getPerson, personHistory, searchPeople, updatePerson } from './person.service.ts';

const personWithCases = personView.extend({
  details_restricted: z.boolean(),
  cases: z.array(z.object({ id: z.uuid(), folio: z.string(), programme: z.string(), status: z.string(), opened_on: z.string(), role: z.string() })),
});

export function personRoutes(scope: FastifyInstance, { db, cipher }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];

  app.get('/api/v1/people/search', { schema: { tags, summary: 'Find possible existing records of a person by name', querystring: personSearchQuery, response: { 200: personSearchResult, ...errorResponses } } }, async (request) => ({
    items: await searchPeople(db, actorOf(request), request.query),
  }));

  app.post('/api/v1/people', { schema: { tags, summary: 'Register a person', body: newPersonBody, response: { 201: personView, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createPerson(db, cipher, actorOf(request), request.body)),
  );

  app.get('/api/v1/people/:id', { schema: { tags, summary: 'A person, with the cases the user may see', params: idParams, response: { 200: personWithCases, ...errorResponses } } }, async (request) =>
    getPerson(db, cipher, actorOf(request), request.params.id),
  );

  app.get('/api/v1/people/:id/history', { schema: { tags, summary: 'Who registered the person and every correction: who, when, why, before and after', params: idParams, response: { 200: personHistoryView, ...errorResponses } } }, async (request) =>
    personHistory(db, cipher, actorOf(request), request.params.id),
  );

  app.patch('/api/v1/people/:id', { schema: { tags, summary: 'Correct or complete a person’s record', params: idParams, body: personPatchBody, response: { 200: personView, ...errorResponses } } }, async (request) =>
    updatePerson(db, cipher, actorOf(request), request.params.id, request.body),
  );
}
