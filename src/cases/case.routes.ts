import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorBody, errorResponses, fileName, idParams, page } from '../platform/http/schemas.ts';
import {
  acceptReferralBody,
  accessInput,
  caseListItem,
  caseListQuery,
  casePatchBody,
  caseView,
  declineReferralBody,
  newCaseBody,
  noteInput,
  participantInput,
  referralInput,
  referralListQuery,
  referralView,
  serviceInput,
  serviceParams,
  servicePatch,
} from './case.schema.ts';
import { addNote, addParticipant, addService, createCase, getCase, grantCaseAccess, listCases, updateCase, updateService } from './case.service.ts';
import { acceptReferral, createReferral, declineReferral, listReferrals } from './referral.service.ts';
import { addAttachment, attachmentTypes, readAttachment } from './attachment.service.ts';
import * as vocabularies from './vocabularies.ts';

const created = z.object({ id: z.uuid() });

export function caseRoutes(scope: FastifyInstance, { db, cipher, config }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];

  app.get('/api/v1/vocabularies', { schema: { tags, summary: 'Controlled lists with Spanish and English labels', response: { 200: z.record(z.string(), z.record(z.string(), z.object({ es: z.string(), en: z.string() }))) } } }, async () => {
    const { keysOf: _helper, ...lists } = vocabularies;
    return lists;
  });

  app.get('/api/v1/cases', { schema: { tags, summary: 'Cases the user may see, newest first', querystring: caseListQuery, response: { 200: page(caseListItem).extend({ total_is_lower_bound: z.boolean().describe('true when more cases match than were counted (total is then the cap)') }), ...errorResponses } } }, async (request) =>
    listCases(db, actorOf(request), request.query),
  );

  app.post('/api/v1/cases', { schema: { tags, summary: 'Open a case with its participants (one transaction)', body: newCaseBody, response: { 201: z.object({ id: z.uuid(), folio: z.string() }), ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createCase(db, cipher, actorOf(request), request.body)),
  );

  app.get('/api/v1/cases/:id', { schema: { tags, summary: 'A case with participants, services, notes, attachments, referrals and timeline', params: idParams, response: { 200: caseView, ...errorResponses } } }, async (request) =>
    getCase(db, cipher, actorOf(request), request.params.id),
  );

  app.patch('/api/v1/cases/:id', { schema: { tags, summary: 'Change status, assignment, summary or classifications', params: idParams, body: casePatchBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await updateCase(db, cipher, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/cases/:id/participants', { schema: { tags, summary: 'Add a participant', params: idParams, body: participantInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addParticipant(db, actorOf(request), request.params.id, request.body)),
  );

  app.patch('/api/v1/cases/:id/services/:serviceId', { schema: { tags, summary: 'Correct a service: type, date, unit or notes', params: serviceParams, body: servicePatch, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await updateService(db, cipher, actorOf(request), request.params.id, request.params.serviceId, request.body);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/cases/:id/services', { schema: { tags, summary: 'Record a service given to a participant', params: idParams, body: serviceInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addService(db, cipher, actorOf(request), request.params.id, request.body)),
  );

  app.post('/api/v1/cases/:id/notes', { schema: { tags, summary: 'Add a note (encrypted at rest)', params: idParams, body: noteInput, response: { 201: created, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await addNote(db, cipher, actorOf(request), request.params.id, request.body.body)),
  );

  app.post('/api/v1/cases/:id/access', { schema: { tags, summary: 'Open the case to a caseworker of the institution (supervisors)', params: idParams, body: accessInput, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await grantCaseAccess(db, actorOf(request), request.params.id, request.body.user_id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/cases/:id/referrals', { schema: { tags: ['referrals'], summary: 'Refer the case to another institution, with the person’s consent', params: idParams, body: referralInput, response: { 201: referralView, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createReferral(db, actorOf(request), request.params.id, request.body)),
  );

  app.get('/api/v1/referrals', { schema: { tags: ['referrals'], summary: 'Incoming or outgoing referrals', querystring: referralListQuery, response: { 200: z.object({ items: z.array(referralView) }), ...errorResponses } } }, async (request) =>
    listReferrals(db, actorOf(request), request.query),
  );

  app.post('/api/v1/referrals/:id/accept', { schema: { tags: ['referrals'], summary: 'Accept a referral: opens a case here for the same people', params: idParams, body: acceptReferralBody, response: { 200: z.object({ receiving_case_id: z.uuid(), receiving_folio: z.string() }), ...errorResponses } } }, async (request) =>
    acceptReferral(db, cipher, actorOf(request), request.params.id, request.body),
  );

  app.post('/api/v1/referrals/:id/decline', { schema: { tags: ['referrals'], summary: 'Decline a referral with a reason', params: idParams, body: declineReferralBody, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await declineReferral(db, actorOf(request), request.params.id, request.body.note);
    return reply.status(204).send(null);
  });

  // Attachments travel as the raw request body, so that a 10 MB file is not inflated by base64.
  app.register(async (raw) => {
    const typed = raw.withTypeProvider<ZodTypeProvider>();
    raw.addContentTypeParser(Object.keys(attachmentTypes), { parseAs: 'buffer', bodyLimit: config.attachmentMaxBytes }, (_request, body, done) => done(null, body));
    typed.post(
      '/api/v1/cases/:id/attachments',
      {
        bodyLimit: config.attachmentMaxBytes,
        schema: {
          tags,
          summary: 'Attach a file (PDF, JPEG, PNG or plain text) sent as the raw body',
          params: idParams,
          querystring: z.strictObject({ filename: fileName }),
          response: { 201: z.object({ id: z.uuid(), filename: z.string(), media_type: z.string(), size_bytes: z.number(), sha256: z.string() }), 413: errorBody, 415: errorBody, ...errorResponses },
        },
      },
      async (request, reply) => {
        const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const row = await addAttachment(db, cipher, actorOf(request), request.params.id, { filename: request.query.filename, mediaType, bytes, maxBytes: config.attachmentMaxBytes });
        return reply.status(201).send(row);
      },
    );
  });

  app.get('/api/v1/cases/:id/attachments/:attachmentId', { schema: { tags, summary: 'Download an attachment', params: z.strictObject({ id: z.uuid(), attachmentId: z.uuid() }) } }, async (request, reply) => {
    const file = await readAttachment(db, cipher, actorOf(request), request.params.id, request.params.attachmentId);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    reply.header('x-content-sha256', file.sha256);
    reply.type(file.mediaType);
    return reply.send(file.bytes);
  });
}
