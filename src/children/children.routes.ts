import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext, RouteApp } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams, page } from '../platform/http/schemas.ts';
import * as s from './children.schema.ts';
import * as vocabularies from './vocabularies.ts';
import { addLink, getChildFile, listChildFiles, notifyConsulate, openChildFile, updateChildFile } from './child-file.service.ts';
import { addMeasure, addMeasureNote, updateMeasure } from './plan.service.ts';
import { createFacility, listFacilities, placeChild } from './care.service.ts';
import { acceptUndertaking, addPanelMember, approveDetermination, openDetermination, panelFile, recordAssessment, recordDecision, recordPosition } from './best-interests.service.ts';
import { createTracingRequest, getTracingMatch, listTracingMatches, listTracingRequests, reviewTracingMatch } from './tracing.service.ts';
import { recordFollowup, recordReunification, startVerification, updateVerification } from './reunification.service.ts';

const created = z.object({ id: z.uuid() });
const noContent = { 204: z.null(), ...errorResponses };

const tags = ['children'];
const base = '/api/v1/children';

export function childrenRoutes(scope: FastifyInstance, context: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  fileRoutes(app, context);
  planRoutes(app, context);
  careRoutes(app, context);
  bestInterestsRoutes(app, context);
  reunificationRoutes(app, context);
  tracingRoutes(app, context);
}

/** The child's file: the lists it uses, opening, reading and correcting it, links and consular notifications. */
function fileRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.get(`${base}/vocabularies`, { schema: { tags, summary: 'The child-protection lists with Spanish and English labels', response: { 200: z.record(z.string(), z.record(z.string(), z.object({ es: z.string(), en: z.string() }))) } } }, async () => {
    const { keysOf: _helper, ...lists } = vocabularies;
    return lists;
  });

  app.get(base, { schema: { tags, summary: "Children's files the user may see, newest first", querystring: s.childListQuery, response: { 200: page(s.childListItem), ...errorResponses } } }, async (request) => listChildFiles(db, actorOf(request), request.query));

  app.post(base, { schema: { tags, summary: "Open a child's file (a child-protection case for one child under 18)", body: s.newChildFileBody, response: { 201: z.object({ id: z.uuid(), folio: z.string() }), ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await openChildFile(db, cipher, actorOf(request), request.body)),
  );

  app.get(`${base}/:id`, { schema: { tags, summary: "The child's file: notification, plan, best interests, care, verification, reunification", params: idParams, response: { 200: s.childFileView, ...errorResponses } } }, async (request) =>
    getChildFile(db, cipher, actorOf(request), request.params.id),
  );

  app.patch(`${base}/:id`, { schema: { tags, summary: "Correct the file: accompaniment, notification, language, the child's views and wishes, consent, protection claim", params: idParams, body: s.childFilePatchBody, response: noContent } }, async (request, reply) => {
    await updateChildFile(db, cipher, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:id/links`, { schema: { tags, summary: 'Link a sibling or companion', params: idParams, body: s.linkInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addLink(db, actorOf(request), request.params.id, request.body)),
  );

  app.post(`${base}/:id/consular-notifications`, { schema: { tags, summary: "Record that a consulate was told (refused for the child's country while a protection claim is open)", params: idParams, body: s.consularNotificationInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await notifyConsulate(db, actorOf(request), request.params.id, request.body)),
  );
}

/** The restitution plan: measures and their follow-up notes. */
function planRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.post(`${base}/:id/measures`, { schema: { tags, summary: 'Add a measure to the restitution plan', params: idParams, body: s.measureInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addMeasure(db, actorOf(request), request.params.id, request.body)),
  );

  app.patch(`${base}/:id/measures/:itemId`, { schema: { tags, summary: 'Mark a measure executed, or change its due date, person or frequency', params: s.childItemParams, body: s.measurePatchBody, response: noContent } }, async (request, reply) => {
    await updateMeasure(db, actorOf(request), request.params.id, request.params.itemId, request.body);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:id/measures/:itemId/notes`, { schema: { tags, summary: 'Add a follow-up note to a measure', params: s.childItemParams, body: s.measureNoteInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addMeasureNote(db, cipher, actorOf(request), request.params.id, request.params.itemId, request.body.body)),
  );
}

/** Alternative care: facilities and placements. */
function careRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.get(`${base}/facilities`, { schema: { tags, summary: 'Care centres and authorised shelters with capacity and current occupancy', response: { 200: z.array(s.facilityView), ...errorResponses } } }, async (request) => listFacilities(db, actorOf(request)));

  app.post(`${base}/facilities`, { schema: { tags, summary: 'Register a care centre or shelter of the institution', body: s.facilityInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createFacility(db, actorOf(request), request.body)),
  );

  app.post(`${base}/:id/placements`, { schema: { tags, summary: 'Place the child in alternative care (ends the current placement)', params: idParams, body: s.placementInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await placeChild(db, cipher, actorOf(request), request.params.id, request.body)),
  );
}

/** Best interests: assessments, determinations before a panel, and the panel members' own pages. */
function bestInterestsRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.post(`${base}/:id/assessments`, { schema: { tags, summary: 'Record a best-interests assessment', params: idParams, body: s.assessmentInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await recordAssessment(db, cipher, actorOf(request), request.params.id, request.body)),
  );

  app.post(`${base}/:id/determinations`, { schema: { tags, summary: 'Open a best-interests determination before a panel', params: idParams, body: s.determinationInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await openDetermination(db, cipher, actorOf(request), request.params.id, request.body)),
  );

  app.post(`${base}/:id/determinations/:itemId/members`, { schema: { tags, summary: 'Name a panel member', params: s.childItemParams, body: s.panelMemberInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addPanelMember(db, actorOf(request), request.params.id, request.params.itemId, request.body)),
  );

  app.post(`${base}/:id/determinations/:itemId/decision`, { schema: { tags, summary: "Record the panel's decision (needs a complete panel)", params: s.childItemParams, body: s.decisionInput, response: noContent } }, async (request, reply) => {
    await recordDecision(db, cipher, actorOf(request), request.params.id, request.params.itemId, request.body);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:id/determinations/:itemId/approve`, { schema: { tags, summary: "A supervisor approves the panel's decision", params: s.childItemParams, response: noContent } }, async (request, reply) => {
    await approveDetermination(db, actorOf(request), request.params.id, request.params.itemId);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/panels/:id', { schema: { tags, summary: "A panel member's view of the one child before the panel (after the undertaking)", params: idParams, response: { 200: s.panelView, ...errorResponses } } }, async (request) =>
    panelFile(db, cipher, actorOf(request), request.params.id),
  );

  app.post('/api/v1/panels/:id/undertaking', { schema: { tags, summary: 'Accept the confidentiality undertaking', params: idParams, response: noContent } }, async (request, reply) => {
    await acceptUndertaking(db, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/panels/:id/position', { schema: { tags, summary: "Record one's position (agree, dissent, abstain) with reasons", params: idParams, body: s.positionInput, response: noContent } }, async (request, reply) => {
    await recordPosition(db, cipher, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });
}

/** Verification of an adult, reunification and its follow-up visits. */
function reunificationRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.post(`${base}/:id/verifications`, { schema: { tags, summary: 'Start the verification of an adult who asks for the child', params: idParams, body: s.verificationInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await startVerification(db, cipher, actorOf(request), request.params.id, request.body)),
  );

  app.patch(`${base}/:id/verifications/:itemId`, { schema: { tags, summary: 'Record interviews, checks and the recommendation', params: s.childItemParams, body: s.verificationPatchBody, response: noContent } }, async (request, reply) => {
    await updateVerification(db, cipher, actorOf(request), request.params.id, request.params.itemId, request.body);
    return reply.status(204).send(null);
  });

  app.post(`${base}/:id/reunifications`, { schema: { tags, summary: 'Record a reunification (needs a favourable verification and an approved determination); schedules follow-ups', params: idParams, body: s.reunificationInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await recordReunification(db, actorOf(request), request.params.id, request.body)),
  );

  app.post(`${base}/:id/reunifications/:itemId/followups/:followupId`, { schema: { tags, summary: 'Record a follow-up visit', params: s.followupParams, body: s.followupInput, response: noContent } }, async (request, reply) => {
    await recordFollowup(db, cipher, actorOf(request), request.params.id, request.params.itemId, request.params.followupId, request.body);
    return reply.status(204).send(null);
  });
}

/** Tracing requests from relatives and the review of proposed pairs. */
function tracingRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  const tracing = '/api/v1/tracing';
  app.get(`${tracing}/requests`, { schema: { tags, summary: "The institution's tracing requests from relatives, newest first", querystring: s.tracingRequestQuery, response: { 200: page(s.tracingRequestItem), ...errorResponses } } }, async (request) =>
    listTracingRequests(db, actorOf(request), request.query),
  );

  app.post(`${tracing}/requests`, { schema: { tags, summary: 'Record a tracing request from a relative (in person or through a consulate) with the children sought; matching runs at once', body: s.tracingRequestInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createTracingRequest(db, cipher, actorOf(request), request.body)),
  );

  app.get(`${tracing}/matches`, { schema: { tags, summary: 'The tracing review queue: proposed pairs for children whose consent (or an approved determination) allows tracing', querystring: s.tracingMatchQuery, response: { 200: page(s.tracingMatchItem), ...errorResponses } } }, async (request) =>
    listTracingMatches(db, actorOf(request), request.query),
  );

  app.get(`${tracing}/matches/:id`, { schema: { tags, summary: 'A proposed pair side by side, with the evidence in words', params: idParams, response: { 200: s.tracingMatchView, ...errorResponses } } }, async (request) =>
    getTracingMatch(db, cipher, actorOf(request), request.params.id),
  );

  app.post(`${tracing}/matches/:id/review`, { schema: { tags, summary: 'Confirm or reject a proposed pair', params: idParams, body: s.tracingReviewInput, response: noContent } }, async (request, reply) => {
    await reviewTracingMatch(db, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });
}
