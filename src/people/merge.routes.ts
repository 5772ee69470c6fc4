import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams } from '../platform/http/schemas.ts';
import { dismissBody, duplicatesPage, duplicatesQuery, mergeBody, mergesPage, mergesQuery, mergeView, undoBody } from './merge.schema.ts';
import { dismissPair, listMerges, mergePeople, proposeDuplicatePairs, unmergePeople } from './merge.service.ts';

/** The supervisors' de-duplication screen: proposed pairs, merge, undo, "not the same person", history. */
export function mergeRoutes(scope: FastifyInstance, { db, cipher }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];

  app.get('/api/v1/people/duplicates', { schema: { tags, summary: 'Pairs of records of the institution that are likely the same person, most likely first (supervisors)', querystring: duplicatesQuery, response: { 200: duplicatesPage, ...errorResponses } } }, async (request) =>
    proposeDuplicatePairs(db, actorOf(request), request.query),
  );

  app.post('/api/v1/people/duplicates/dismiss', { schema: { tags, summary: 'Record that two records are not the same person: the pair is not proposed again', body: dismissBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await dismissPair(db, actorOf(request), request.body);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/people/merges', { schema: { tags, summary: 'Merges of the institution’s records, newest first, undone ones included', querystring: mergesQuery, response: { 200: mergesPage, ...errorResponses } } }, async (request) =>
    listMerges(db, cipher, actorOf(request), request.query),
  );

  app.post('/api/v1/people/merges', { schema: { tags, summary: 'Merge a duplicate record into the record that is kept: its cases move, both records remain', body: mergeBody, response: { 201: mergeView, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await mergePeople(db, cipher, actorOf(request), request.body)),
  );

  app.post('/api/v1/people/merges/:id/undo', { schema: { tags, summary: 'Undo a merge: exactly the rows it moved return to the duplicate record', params: idParams, body: undoBody, response: { 200: mergeView, ...errorResponses } } }, async (request) =>
    unmergePeople(db, cipher, actorOf(request), request.params.id, request.body.reason),
  );
}
