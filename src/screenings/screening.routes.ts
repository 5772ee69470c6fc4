import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams } from '../platform/http/schemas.ts';
import * as s from './screening.schema.ts';
import { instrumentDefinition } from './definition.ts';
import { addInstrumentVersion, getInstrumentVersion, listInstruments } from './instrument.service.ts';
import { completeScreening, getScreening, listCaseScreenings, referFromScreening, saveAnswers, startScreening } from './screening.service.ts';

export function screeningRoutes(scope: FastifyInstance, { db, cipher }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['screenings'];
  const base = '/api/v1/screenings';

  app.get(`${base}/instruments`, { schema: { tags, summary: 'Screening instruments with their versions and the texts of the latest', response: { 200: s.instrumentList, ...errorResponses } } }, async (request) => listInstruments(db, actorOf(request)));

  app.post(
    `${base}/instruments`,
    { schema: { tags, summary: 'Add an instrument, or a new version of one, from its definition file (platform administrators)', body: instrumentDefinition, response: { 201: s.instrumentAdded, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await addInstrumentVersion(db, actorOf(request), request.body)),
  );

  app.get(`${base}/instrument-versions/:id`, { schema: { tags, summary: "One version's whole definition", params: idParams, response: { 200: s.instrumentVersionView, ...errorResponses } } }, async (request) =>
    getInstrumentVersion(db, actorOf(request), request.params.id),
  );

  app.get('/api/v1/cases/:id/screenings', { schema: { tags, summary: "The case's screenings, newest first", params: idParams, response: { 200: s.caseScreenings, ...errorResponses } } }, async (request) =>
    listCaseScreenings(db, actorOf(request), request.params.id),
  );

  app.post('/api/v1/cases/:id/screenings', { schema: { tags, summary: "Start a screening of a case's participant under the instrument's latest version", params: idParams, body: s.startScreeningBody, response: { 201: z.object({ id: z.uuid() }), ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await startScreening(db, actorOf(request), request.params.id, request.body, request.lang ?? 'es')),
  );

  app.get(`${base}/:id`, { schema: { tags, summary: 'A screening: its questions, answers and result (each flag with the answers that raised it, suggested referrals)', params: idParams, response: { 200: s.screeningView, ...errorResponses } } }, async (request) =>
    getScreening(db, cipher, actorOf(request), request.params.id),
  );

  app.put(`${base}/:id/answers`, { schema: { tags, summary: 'Save answers as they are given (null clears one)', params: idParams, body: s.answersBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await saveAnswers(db, cipher, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:id/complete`, { schema: { tags, summary: 'Finish the screening: its flags are stored and its answers no longer change', params: idParams, response: { 200: s.completed, ...errorResponses } } }, async (request) =>
    completeScreening(db, cipher, actorOf(request), request.params.id),
  );

  app.post(`${base}/:id/referrals`, { schema: { tags, summary: "Turn a suggestion of the result into a referral of the case (consent recorded)", params: idParams, body: s.screeningReferralBody, response: { 201: z.object({ referral_id: z.uuid() }), ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await referFromScreening(db, cipher, actorOf(request), request.params.id, request.body, request.lang ?? 'es')),
  );
}
