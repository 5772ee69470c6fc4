import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams } from '../platform/http/schemas.ts';
import * as s from './resources.schema.ts';
import { correctOperation, createPoint, listOperations, listPoints, operationHistory, pointHistory, recordOperation, updatePoint } from './resources.service.ts';

export function resourceRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['resources'];
  const base = '/api/v1/resources';

  app.get(`${base}/points`, { schema: { tags, summary: "The institution's programme points (contact or deployment points) with their coverage and staff", response: { 200: s.pointList, ...errorResponses } } }, async (request) => listPoints(db, actorOf(request)));

  app.post(`${base}/points`, { schema: { tags, summary: 'Record a programme point', body: s.newPointBody, response: { 201: s.pointView, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createPoint(db, actorOf(request), request.body)),
  );

  app.patch(`${base}/points/:id`, { schema: { tags, summary: 'Correct a point, change its staff or close it (active_to); what changed is kept in its history', params: idParams, body: s.pointPatchBody, response: { 200: s.pointView, ...errorResponses } } }, async (request) =>
    updatePoint(db, actorOf(request), request.params.id, request.body),
  );

  app.get(`${base}/points/:id/history`, { schema: { tags, summary: 'A point as recorded and every change since: who, when, why, before and after', params: idParams, response: { 200: s.pointHistory, ...errorResponses } } }, async (request) =>
    pointHistory(db, actorOf(request), request.params.id),
  );

  app.get(`${base}/operations`, { schema: { tags, summary: "The institution's rescues and transfers (counts of people), latest first, with totals", querystring: s.operationListQuery, response: { 200: s.operationList, ...errorResponses } } }, async (request) =>
    listOperations(db, actorOf(request), request.query),
  );

  app.post(`${base}/operations`, { schema: { tags, summary: 'Record a rescue or a transfer (by road or air) with the number of people', body: s.newOperationBody, response: { 201: s.operationView, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await recordOperation(db, actorOf(request), request.body)),
  );

  app.patch(`${base}/operations/:id`, { schema: { tags, summary: 'Correct a rescue or transfer recorded wrongly, with the reason (kept in its history; operations are never deleted)', params: idParams, body: s.operationPatchBody, response: { 200: s.operationView, ...errorResponses } } }, async (request) =>
    correctOperation(db, actorOf(request), request.params.id, request.body),
  );

  app.get(`${base}/operations/:id/history`, { schema: { tags, summary: 'An operation as recorded and every correction since: who, when, why, before and after', params: idParams, response: { 200: s.operationHistory, ...errorResponses } } }, async (request) =>
    operationHistory(db, actorOf(request), request.params.id),
  );
}
