import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext, RouteApp } from '../platform/http/app.ts';
import { publicLink } from '../platform/http/public-url.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorBody, errorResponses, idParams } from '../platform/http/schemas.ts';
import { AppError } from '../platform/errors.ts';
import { requireCapability } from '../platform/auth/policy.ts';
import {
  acuseBody,
  assignBody,
  complaintView,
  exportQuery,
  forwardBody,
  inboxPage,
  inboxQuery,
  legalHoldBody,
  messageBody,
  noteBody,
  operatorComplaintBody,
  receivedView,
  routingRuleBody,
  settingsBody,
  statisticsQuery,
  statusChangeBody,
  transmitBody,
} from './complaint.schema.ts';
import { complaintRuntime } from './context.ts';
import { complainantCipher } from './keys.ts';
import { BusyError, publicLimits } from '../platform/limits/anonymous.ts';
import { assertMayAttempt, clearFailures, folioThrottle, recordFailure } from '../platform/limits/throttle.ts';
import { FileRejected, acusePdf, findByReceipt, prepareFiles, recordAcuse, submitComplaint } from './intake.service.ts';
import {
  addNote,
  assignComplaint,
  changeStatus,
  exportComplaint,
  forwardComplaint,
  getComplaint,
  listForwardTargets,
  listInbox,
  readComplaintAttachment,
  readTransmissionPackage,
  sendMessage,
  setLegalHold,
  transmitComplaint,
} from './handling.service.ts';
import { addRoutingRule, deleteRoutingRule, listRoutingRules, readSettings, updateSettings } from './settings.service.ts';
import { statisticsFor } from './statistics.ts';
import { applyRetention } from './retention.ts';
import { listSigningKeys, signingKey } from './signing.ts';
import { normaliseFolio } from '../platform/receipts.ts';
import { publicComplaintRoutes } from './public.routes.ts';
import * as vocabularies from './vocabularies.ts';

const HOUR = 60 * 60 * 1000;
const created = z.object({ id: z.uuid() });
const tags = ['complaints'];

function fileError(error: FileRejected): AppError {
  switch (error.reason) {
    case 'not_allowed':
      return new AppError('complaint_attachment_type_not_allowed');
    case 'too_large':
      return new AppError('payload_too_large');
    case 'too_many':
      return new AppError('complaint_too_many_files', { max: 5 });
    default:
      return new AppError('attachment_content_mismatch', {}, { filename: error.filename, reason: error.reason });
  }
}

/**
 * What the request log may say about a complaint request, whatever logger the server was built with:
 * method, path without the query string, status. Never the client's address, port or headers.
 */
const logSerializers = {
  req: (request: { method: string; url: string; id: string }) => ({ id: request.id, method: request.method, path: request.url.split('?')[0] }),
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
} as unknown as Record<string, (value: unknown) => string>; // fastify types serializers as returning strings; pino accepts objects

/** The complaints module: the public pages (HTML) and the handlers' JSON API. */
export async function complaintRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  await scope.register(async (pages) => publicComplaintRoutes(pages, context), { logSerializers });
  await scope.register(async (api) => complaintApiRoutes(api, context), { logSerializers });
}

function complaintApiRoutes(scope: FastifyInstance, context: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  referenceRoutes(app, context);
  operatorRoutes(app, context);
  inboxRoutes(app, context);
  settingsRoutes(app, context);
  handlingRoutes(app, context);
  packageRoutes(app, context);
}

/** What anyone may read: the keys that sign complaint packages and the vocabularies. */
function referenceRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.get('/api/v1/complaints/signing-key', { config: { public: true }, schema: { tags, summary: 'The Ed25519 public key that signs complaint packages', response: { 200: z.object({ key_id: z.string(), algorithm: z.literal('Ed25519'), public_key_pem: z.string(), public_key_sha256: z.string() }) } } }, async () => {
    const key = await signingKey(db, cipher);
    return { key_id: key.id, algorithm: 'Ed25519' as const, public_key_pem: key.publicKeyPem, public_key_sha256: key.fingerprint };
  });

  app.get('/api/v1/complaints/signing-keys', { config: { public: true }, schema: { tags, summary: 'Every public key that has signed packages, newest (current) first: verify older packages after a rotation', response: { 200: z.object({ items: z.array(z.object({ key_id: z.string(), algorithm: z.literal('Ed25519'), public_key_pem: z.string(), public_key_sha256: z.string(), created_at: z.date(), current: z.boolean() })) }) } } }, async () => {
    await signingKey(db, cipher);
    return { items: await listSigningKeys(db) };
  });

  app.get('/api/v1/complaints/vocabularies', { config: { public: true }, schema: { tags, summary: 'Complaint vocabularies with Spanish and English labels' } }, async () => {
    const { keysOf: _k, mexicanStates, transitions: _transitions, ...lists } = vocabularies;
    return { ...lists, states: mexicanStates };
  });
}

/** An operator records a complaint received by phone or in person, and prints its acuse. */
function operatorRoutes(app: RouteApp, { db, cipher, config }: AppContext): void {
  const { hasher, limiter, hashing } = complaintRuntime(cipher);
  const folioRule = folioThrottle(config.folioDelayMaxS);
  app.post(
    '/api/v1/complaints',
    {
      bodyLimit: 6 * Math.ceil((config.attachmentMaxBytes * 4) / 3) + 1024 * 1024,
      schema: { tags, summary: 'Record a complaint received by phone or in person (operators). Answers the folio and the receipt, once.', body: operatorComplaintBody, response: { 201: receivedView, 413: errorBody, 415: errorBody, 503: errorBody, ...errorResponses } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requireCapability(actor, 'complaints.record');
      const { channel, language, strip_metadata, attachments, ...intake } = request.body;
      let files;
      try {
        files = prepareFiles(
          attachments.map((a) => ({ filename: a.filename, declaredType: a.media_type, bytes: Buffer.from(a.content_base64, 'base64') })),
          { strip: strip_metadata, maxBytes: config.attachmentMaxBytes },
        );
      } catch (error) {
        throw error instanceof FileRejected ? fileError(error) : error;
      }
      try {
        const { received } = await hashing.run(() => submitComplaint(db, cipher, hasher, intake, { channel, language, files, operator: actor }));
        return reply.status(201).send(received);
      } catch (error) {
        if (error instanceof BusyError) throw new AppError('too_many_requests');
        throw error;
      }
    },
  );

  app.post('/api/v1/complaints/acuse', { schema: { tags, summary: 'The acuse (PDF) of a complaint, for the operator to print; folio and receipt must match', body: acuseBody } }, async (request, reply) => {
    const actor = actorOf(request);
    requireCapability(actor, 'complaints.record');
    const folioKey = normaliseFolio(request.body.folio) ?? request.body.folio;
    if (!limiter.allowed('fail-user', actor.userId, publicLimits.failuresPerSource)) throw new AppError('too_many_requests');
    await assertMayAttempt(db, folioRule, folioKey);
    const found = await hashing.run(() => findByReceipt(db, hasher, request.body.folio, request.body.receipt));
    if (!found) {
      await recordFailure(db, folioRule, folioKey);
      limiter.take('fail-user', actor.userId, publicLimits.failuresPerSource, HOUR);
      throw new AppError('complaint_receipt_invalid');
    }
    await clearFailures(db, folioRule, folioKey);
    const pdf = await acusePdf(db, complainantCipher(cipher, found), found.id, { language: request.lang, receipt: request.body.include_receipt ? request.body.receipt.replace(/\D/g, '') : null, followUrl: publicLink(config, request, '/quejas/seguimiento'), zone: config.timeZone });
    await recordAcuse(db, found.id, { kind: 'operator', userId: actor.userId }, request.body.include_receipt);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="acuse-${found.folio}.pdf"`).send(pdf);
  });
}

/** The handler's inbox, its statistics and where a complaint can be forwarded. */
function inboxRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.get('/api/v1/complaints', { schema: { tags, summary: 'The inbox of the handler’s unit: overdue first, then oldest', querystring: inboxQuery, response: { 200: inboxPage, ...errorResponses } } }, async (request) =>
    listInbox(db, cipher, actorOf(request), request.query),
  );

  app.get('/api/v1/complaints/statistics', { schema: { tags, summary: 'Counts by kind, channel, state, authority, place, status and outcome (no text, no identifiers)', querystring: statisticsQuery, response: { 200: z.record(z.string(), z.unknown()), ...errorResponses } } }, async (request) =>
    statisticsFor(db, actorOf(request), request.query),
  );

  app.get('/api/v1/complaints/forward-targets', { schema: { tags, summary: 'The units a complaint can be forwarded to: other institutions with at least one complaint handler', response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() })) }), ...errorResponses } } }, async (request) => ({
    items: await listForwardTargets(db, actorOf(request)),
  }));
}

/** Platform settings: default unit, overdue limits, retention and routing rules. */
function settingsRoutes(app: RouteApp, { db }: AppContext): void {
  app.get('/api/v1/complaints/settings', { schema: { tags, summary: 'Default unit, overdue limits and retention (platform administrators)', response: { 200: z.record(z.string(), z.unknown()), ...errorResponses } } }, async (request) => {
    requireCapability(actorOf(request), 'complaints.configure');
    return readSettings(db);
  });

  app.put('/api/v1/complaints/settings', { schema: { tags, summary: 'Change the default unit, overdue limits (days) or retention (years) per status', body: settingsBody, response: { 200: z.record(z.string(), z.unknown()), ...errorResponses } } }, async (request) =>
    updateSettings(db, actorOf(request), request.body),
  );

  app.get('/api/v1/complaints/routing-rules', { schema: { tags, summary: 'Routing rules, in the order they are tried', response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...errorResponses } } }, async (request) => {
    requireCapability(actorOf(request), 'complaints.configure');
    return { items: await listRoutingRules(db) };
  });

  app.post('/api/v1/complaints/routing-rules', { schema: { tags, summary: 'Add a routing rule (first match by priority, then the default unit)', body: routingRuleBody, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addRoutingRule(db, actorOf(request), request.body)),
  );

  app.delete('/api/v1/complaints/routing-rules/:id', { schema: { tags, summary: 'Delete a routing rule', params: idParams, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await deleteRoutingRule(db, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/complaints/retention/run', { schema: { tags, summary: 'Apply the retention rules now (platform administrators)', body: z.strictObject({ dry_run: z.boolean().default(true) }), response: { 200: z.object({ deleted: z.number(), held: z.number(), dryRun: z.boolean(), byStatus: z.record(z.string(), z.number()) }), ...errorResponses } } }, async (request) => {
    requireCapability(actorOf(request), 'complaints.configure');
    return applyRetention(db, { dryRun: request.body.dry_run });
  });
}

/** Handling one complaint: status, assignment, notes, messages, forwarding, legal hold and its files. */
function handlingRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.get('/api/v1/complaints/:id', { schema: { tags, summary: 'A complaint with its conversation, notes, files, transmissions and custody chain', params: idParams, response: { 200: complaintView, ...errorResponses } } }, async (request) =>
    getComplaint(db, cipher, actorOf(request), request.params.id),
  );

  app.post('/api/v1/complaints/:id/status', { schema: { tags, summary: 'Change the status (with a reason for not_admitted, an outcome for resolved)', params: idParams, body: statusChangeBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await changeStatus(db, cipher, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/complaints/:id/assign', { schema: { tags, summary: 'Assign to a complaint handler of the unit (or unassign with null)', params: idParams, body: assignBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await assignComplaint(db, actorOf(request), request.params.id, request.body.user_id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/complaints/:id/notes', { schema: { tags, summary: 'Internal note (never shown to the complainant)', params: idParams, body: noteBody, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addNote(db, cipher, actorOf(request), request.params.id, request.body.body)),
  );

  app.post('/api/v1/complaints/:id/messages', { schema: { tags, summary: 'Message to the complainant, shown at follow-up; request_information also sets the status', params: idParams, body: messageBody, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await sendMessage(db, cipher, actorOf(request), request.params.id, request.body)),
  );

  app.post('/api/v1/complaints/:id/forward', { schema: { tags, summary: 'Forward to another unit', params: idParams, body: forwardBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await forwardComplaint(db, cipher, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/complaints/:id/legal-hold', { schema: { tags, summary: 'Set or release a legal hold (prevents deletion by retention)', params: idParams, body: legalHoldBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await setLegalHold(db, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/complaints/:id/attachments/:attachmentId', { schema: { tags, summary: 'Download a file of the complaint', params: z.strictObject({ id: z.uuid(), attachmentId: z.uuid() }) } }, async (request, reply) => {
    const file = await readComplaintAttachment(db, cipher, actorOf(request), request.params.id, request.params.attachmentId);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    reply.header('x-content-sha256', file.sha256);
    return reply.type(file.mediaType).send(file.bytes);
  });
}

/** Signed packages: the export and the transmissions to the investigating authority. */
function packageRoutes(app: RouteApp, { db, cipher }: AppContext): void {
  app.get('/api/v1/complaints/:id/export', { schema: { tags, summary: 'A signed package (ZIP) of the complaint, recorded in the custody chain', params: idParams, querystring: exportQuery } }, async (request, reply) => {
    const built = await exportComplaint(db, cipher, actorOf(request), request.params.id, { include_contact: request.query.include_contact === 'true', include_notes: request.query.include_notes === 'true' });
    reply.header('content-disposition', `attachment; filename="${built.folio}.zip"`);
    reply.header('x-content-sha256', built.sha256);
    return reply.type('application/zip').send(built.zip);
  });

  app.post('/api/v1/complaints/:id/transmissions', { schema: { tags, summary: 'Record the transmission to the investigating authority, with its signed package', params: idParams, body: transmitBody, response: { 201: z.object({ id: z.uuid(), sent_at: z.date(), package_sha256: z.string(), folio: z.string() }), ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await transmitComplaint(db, cipher, actorOf(request), request.params.id, request.body)),
  );

  app.get('/api/v1/complaints/:id/transmissions/:transmissionId/package', { schema: { tags, summary: 'The package exactly as transmitted', params: z.strictObject({ id: z.uuid(), transmissionId: z.uuid() }) } }, async (request, reply) => {
    const stored = await readTransmissionPackage(db, cipher, actorOf(request), request.params.id, request.params.transmissionId);
    reply.header('content-disposition', `attachment; filename="${stored.folio}-transmission.zip"`);
    reply.header('x-content-sha256', stored.sha256);
    return reply.type('application/zip').send(stored.zip);
  });
}
