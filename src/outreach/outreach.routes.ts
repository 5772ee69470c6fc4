import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams } from '../platform/http/schemas.ts';
import * as s from './outreach.schema.ts';
import { addOutreachAttendee, correctOutreachEvent, deleteOutreachEvent, getOutreachEvent, listOutreachEvents, recordOutreachEvent, removeOutreachAttendee } from './outreach.service.ts';
import { unitDashboard } from './dashboard.ts';

export function outreachRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['outreach'];
  const base = '/api/v1/outreach/events';
  const noContent = { 204: z.null(), ...errorResponses };

  app.get(base, { schema: { tags, summary: "The institution's outreach events, newest first, with their attendance totals", querystring: s.eventListQuery, response: { 200: s.eventList, ...errorResponses } } }, async (request) =>
    listOutreachEvents(db, actorOf(request), request.query),
  );

  app.post(base, { schema: { tags, summary: 'Record an outreach event of the institution with its attendance by sex and age band', body: s.newEventBody, response: { 201: z.object({ id: z.uuid() }), ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await recordOutreachEvent(db, actorOf(request), request.body)),
  );

  app.get(`${base}/:id`, { schema: { tags, summary: 'An event with its attendance (and the people recorded as attending, for those who may read people)', params: idParams, response: { 200: s.eventView, ...errorResponses } } }, async (request) =>
    getOutreachEvent(db, actorOf(request), request.params.id),
  );

  app.patch(`${base}/:id`, { schema: { tags, summary: 'Correct an event (its author or a supervisor); attendance, when sent, replaces the whole attendance', params: idParams, body: s.eventPatchBody, response: noContent } }, async (request, reply) => {
    await correctOutreachEvent(db, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:id/delete`, { schema: { tags, summary: 'Delete an event, with the reason (it stays recorded and leaves lists and statistics)', params: idParams, body: s.deleteEventBody, response: noContent } }, async (request, reply) => {
    await deleteOutreachEvent(db, actorOf(request), request.params.id, request.body.reason);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:id/attendees`, { schema: { tags, summary: 'Record that a person attended, for follow-up', params: idParams, body: s.attendeeBody, response: noContent } }, async (request, reply) => {
    await addOutreachAttendee(db, actorOf(request), request.params.id, request.body.person_id);
    return reply.status(204).send(null);
  });

  app.delete(`${base}/:id/attendees/:personId`, { schema: { tags, summary: 'Remove a person from the attendees', params: s.attendeeParams, response: noContent } }, async (request, reply) => {
    await removeOutreachAttendee(db, actorOf(request), request.params.id, request.params.personId);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/outreach/dashboard', { schema: { tags, summary: "The unit's dashboard: its case files, referrals, events and attendance of the month, quarter or year so far", querystring: s.dashboardQuery, response: { 200: s.unitDashboard, ...errorResponses } } }, async (request) =>
    unitDashboard(db, actorOf(request), request.query.period),
  );
}
