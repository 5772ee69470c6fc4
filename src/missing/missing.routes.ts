import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext, RouteApp } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams } from '../platform/http/schemas.ts';
import { AppError } from '../platform/errors.ts';
import {
  candidatePage,
  candidateQuery,
  candidateView,
  consistentReportsPage,
  consistentReportsQuery,
  familyLookupBody,
  familyView,
  foundView,
  listPage,
  listQuery,
  messageBody,
  newFoundBody,
  newReportBody,
  personCandidateList,
  reviewBody,
  statusBody,
} from './missing.schema.ts';
import { addFamilyMessage, addOfficerMessage, createFound, createPublicReport, createReport, getFound, getReport, listRecords, readReportPhoto, readMissingSettings, setPublicInstitution, setReportStatus } from './missing.service.ts';
import { getCandidate, listCandidates, listConsistentReports, listNotifications, listPersonCandidates, markNotificationRead, reviewCandidate, reviewPersonCandidate } from './review.service.ts';
import { startMatchingWorker } from './matching.ts';
import { lookupFamily, takePublicSubmission } from './public/family.ts';
import { folioThrottle } from '../platform/limits/throttle.ts';
import { familyPublicRoutes } from './public/routes.ts';

const tags = ['missing persons'];
const created = z.object({ id: z.uuid() });
const recordDetail = z.record(z.string(), z.unknown());

export async function missingRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  const { db, config } = context;
  const app = scope.withTypeProvider<ZodTypeProvider>();

  if (config.matchingWorker) {
    let worker: ReturnType<typeof startMatchingWorker> | undefined;
    let failures = 0;
    scope.addHook('onReady', async () => {
      // Errors carry no personal data to the log: only that a run failed; the records stay queued.
      worker = startMatchingWorker(db, { onError: () => scope.log.warn({ failures: ++failures }, 'missing-person matching run failed; will retry') });
    });
    scope.addHook('onClose', async () => worker?.stop());
  }

  // The families' public pages (/familias/busqueda/…, server-rendered HTML; docs/missing.md).
  await scope.register(async (pages) => familyPublicRoutes(pages, context));

  reportRoutes(app, context);
  foundRoutes(app, context);
  reviewRoutes(app, context);
  notificationRoutes(app, context);
  settingsRoutes(app, context);
  familyRoutes(app, context);
}

/** Reports of missing persons: recording, listing, reading, photos, messages to the family and status. */
function reportRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.post('/api/v1/missing/reports', { schema: { tags, summary: 'Record a missing-person report (in person, by phone, through a consulate); returns the family’s folio and access code, shown once', body: newReportBody, response: { 201: z.object({ report: recordDetail, folio: z.string(), receipt: z.string() }), ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await createReport(db, cipher, actorOf(request), request.body)),
  );

  app.get('/api/v1/missing/reports', { schema: { tags, summary: 'The institution’s reports, by state and date (last seen)', querystring: listQuery, response: { 200: listPage, ...errorResponses } } }, async (request) =>
    listRecords(db, actorOf(request), 'R', request.query),
  );

  app.get('/api/v1/missing/reports/:id', { schema: { tags, summary: 'A report with its messages and events', params: idParams, response: { 200: recordDetail, ...errorResponses } } }, async (request) =>
    getReport(db, cipher, actorOf(request), request.params.id),
  );

  app.get('/api/v1/missing/reports/:id/photos/:photoId', { schema: { tags, summary: 'A photo the family attached to its public report (JPEG or PNG, metadata stripped on arrival); each viewing audited', params: z.strictObject({ id: z.uuid(), photoId: z.uuid() }) } }, async (request, reply) => {
    const photo = await readReportPhoto(db, cipher, actorOf(request), request.params.id, request.params.photoId);
    reply.header('content-disposition', 'inline');
    return reply.type(photo.mediaType).send(photo.bytes);
  });

  app.post('/api/v1/missing/reports/:id/messages', { schema: { tags, summary: 'A message to the family (shown on their status page)', params: idParams, body: messageBody, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await addOfficerMessage(db, cipher, actorOf(request), request.params.id, request.body.body)),
  );

  app.post('/api/v1/missing/reports/:id/status', { schema: { tags, summary: 'Close a search, or reopen a closed one', params: idParams, body: statusBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await setReportStatus(db, actorOf(request), request.params.id, request.body.status);
    return reply.code(204).send(null);
  });
}

/** Records of persons found (alive or remains) and the reports a record is compared with. */
function foundRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.post('/api/v1/missing/found', { schema: { tags, summary: 'Record a person found alive or unidentified remains', body: newFoundBody, response: { 201: foundView, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await createFound(db, cipher, actorOf(request), request.body)),
  );

  app.get('/api/v1/missing/found', { schema: { tags, summary: 'The institution’s found records, by state and date found', querystring: listQuery, response: { 200: listPage, ...errorResponses } } }, async (request) =>
    listRecords(db, actorOf(request), 'F', request.query),
  );

  app.get('/api/v1/missing/found/:id', { schema: { tags, summary: 'A found record with its events', params: idParams, response: { 200: recordDetail, ...errorResponses } } }, async (request) =>
    getFound(db, cipher, actorOf(request), request.params.id),
  );

  app.get('/api/v1/missing/found/:id/consistent-reports', { schema: { tags, summary: 'The reports a found record is compared with (for remains without a name: every report a specific mark and the description fit), ranked by likelihood ratio, for a reviewer', params: idParams, querystring: consistentReportsQuery, response: { 200: consistentReportsPage, ...errorResponses } } }, async (request) =>
    listConsistentReports(db, actorOf(request), request.params.id, request.query),
  );
}

/** The review of proposed pairs: report–found and report–person. */
function reviewRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.get('/api/v1/missing/candidates', { schema: { tags, summary: 'The review queue: proposed pairs involving the officer’s institution, most probable first', querystring: candidateQuery, response: { 200: candidatePage, ...errorResponses } } }, async (request) =>
    listCandidates(db, actorOf(request), request.query),
  );

  app.get('/api/v1/missing/candidates/:id', { schema: { tags, summary: 'A proposed pair side by side, with the explanation field by field', params: idParams, response: { 200: candidateView, ...errorResponses } } }, async (request) =>
    getCandidate(db, cipher, actorOf(request), request.params.id),
  );

  app.post('/api/v1/missing/candidates/:id/review', { schema: { tags, summary: 'Confirm (locates the person, notifies the holders) or reject a pair', params: idParams, body: reviewBody, response: { 200: z.object({ status: z.enum(['confirmed', 'rejected']), report_status: z.string().optional() }), ...errorResponses } } }, async (request) =>
    reviewCandidate(db, cipher, actorOf(request), request.params.id, request.body.decision, request.body.note),
  );

  app.get('/api/v1/missing/reports/:id/person-candidates', { schema: { tags, summary: 'People in the institution’s case files who may be the missing person (for users who may read both)', params: idParams, response: { 200: personCandidateList, ...errorResponses } } }, async (request) =>
    listPersonCandidates(db, actorOf(request), request.params.id),
  );

  app.post('/api/v1/missing/person-candidates/:id/review', { schema: { tags, summary: 'Confirm (the person was attended: located alive) or reject a report–person pair', params: idParams, body: reviewBody, response: { 200: z.object({ status: z.enum(['confirmed', 'rejected']), report_status: z.string().optional() }), ...errorResponses } } }, async (request) =>
    reviewPersonCandidate(db, cipher, actorOf(request), request.params.id, request.body.decision, request.body.note),
  );
}

/** The user's notifications. */
function notificationRoutes(app: RouteApp, { db }: AppContext): void {
  app.get('/api/v1/notifications', { schema: { tags, summary: 'The user’s notifications (newest first)', querystring: z.strictObject({ unread: z.enum(['true', 'false']).default('false') }), response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), kind: z.string(), record_type: z.string(), record_id: z.uuid(), folio: z.string(), created_at: z.date(), read_at: z.date().nullable() })) }), ...errorResponses } } }, async (request) =>
    listNotifications(db, actorOf(request), request.query.unread === 'true'),
  );

  app.post('/api/v1/notifications/:id/read', { schema: { tags, summary: 'Mark a notification as read', params: idParams, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await markNotificationRead(db, actorOf(request), request.params.id);
    return reply.code(204).send(null);
  });
}

/** Which institution receives the reports filed on the public page. */
function settingsRoutes(app: RouteApp, { db }: AppContext): void {
  app.get('/api/v1/missing/settings', { schema: { tags, summary: 'The institution that receives reports filed on the public page (platform administrators)', response: { 200: z.object({ public_institution_id: z.uuid().nullable() }), ...errorResponses } } }, async (request) =>
    readMissingSettings(db, actorOf(request)),
  );

  app.put('/api/v1/missing/settings', { schema: { tags, summary: 'The institution that receives reports filed on the public page (platform administrators)', body: z.strictObject({ public_institution_id: z.uuid().nullable() }), response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await setPublicInstitution(db, actorOf(request), request.body.public_institution_id);
    return reply.code(204).send(null);
  });
}

/** The families' API, without an account: filing a report, following it with folio and receipt, adding information. */
function familyRoutes(app: RouteApp, { db, cipher, config }: AppContext): void {
  // Families: no account. The lookup, limits and argon2 queue are shared with the families' HTML
  // pages (public/family.ts): the same limits as the complaint follow-up, in memory, keyed by a
  // rotating HMAC of the address; nothing about the connection is stored.
  const publicRoute = { config: { public: true } };

  const folioRule = folioThrottle(config.folioDelayMaxS);

  async function family(ip: string, folioInput: string, receiptInput: string) {
    const found = await lookupFamily(db, cipher, folioRule, ip, folioInput, receiptInput);
    if (found.ok) return found.report;
    if (found.reason === 'busy') throw new AppError('busy');
    if (found.reason === 'throttled') throw new AppError('too_many_requests');
    if (found.reason === 'folio_delay') throw new AppError('too_many_requests', { retry_after: found.seconds });
    throw new AppError('missing_receipt_invalid');
  }

  app.post('/api/v1/missing/public/reports', { ...publicRoute, schema: { tags, summary: 'A family files a report without an account; returns folio and access code (shown once)', body: newReportBody, response: { 201: z.object({ folio: z.string(), receipt: z.string() }), ...errorResponses } } }, async (request, reply) => {
    if (!takePublicSubmission(cipher, request.ip)) throw new AppError('too_many_requests');
    return reply.code(201).send(await createPublicReport(db, cipher, request.body));
  });

  app.post('/api/v1/missing/public/status', { ...publicRoute, schema: { tags, summary: 'The family’s view of the search: status and messages (never candidates)', body: familyLookupBody, response: { 200: familyView, ...errorResponses } } }, async (request) => {
    const { id: _id, institution_id: _inst, ...view } = await family(request.ip, request.body.folio, request.body.receipt);
    return view;
  });

  app.post('/api/v1/missing/public/messages', { ...publicRoute, schema: { tags, summary: 'The family adds information or answers the search officer', body: familyLookupBody.extend({ body: messageBody.shape.body }), response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    const report = await family(request.ip, request.body.folio, request.body.receipt);
    await addFamilyMessage(db, cipher, report, request.body.body);
    return reply.code(204).send(null);
  });
}
