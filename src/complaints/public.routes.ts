import { pgErrorAnswer } from '../platform/http/pg-errors.ts';
import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { readMultipart } from '../platform/files/multipart.ts';
import type { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { complaintIntake } from './complaint.schema.ts';
import { complaintRuntime } from './context.ts';
import { complainantCipher } from './keys.ts';
import { BusyError, publicLimits } from '../platform/limits/anonymous.ts';
import { clearFailures, folioThrottle, recordFailure, secondsToWait } from '../platform/limits/throttle.ts';
import { FileRejected, acusePdf, complainantReply, complainantView, findByReceipt, prepareFiles, recordAcuse, submitComplaint } from './intake.service.ts';
import { ACCEPTED_UPLOADS } from '../platform/files/uploads.ts';
import { normaliseFolio, normaliseReceipt } from '../platform/receipts.ts';
import { followFormPage, formPage, messagePage, noErrors, receiptPage, statusPage, type FormErrors } from './public/pages.ts';
import { fill, stringsFor, type Strings } from './public/strings.ts';
import { publicLanguage } from '../public/i18n.ts';
import { text } from '../platform/http/schemas.ts';
import { publicLink } from '../platform/http/public-url.ts';

/**
 * The public complaint pages: server-rendered HTML that works without JavaScript on an old phone.
 * Nothing about the visitor is stored or logged: the limiter below keeps salted hashes in memory,
 * nothing here calls the request logger with request data, and audit entries carry no actor or IP.
 */
const SUBMISSION_FIELDS = new Set([
  'kind', 'narrative', 'occurred_on', 'state_code', 'municipality', 'place_type', 'place_description', 'authority_type', 'authority_name',
  'official_description', 'badge_number', 'vehicle_number', 'anonymous', 'contact_name', 'contact_phone', 'contact_email', 'contact_other', 'strip_metadata',
]);
const FILE_FIELDS = new Set(['files', ...Array.from({ length: publicLimits.filesPerSubmission }, (_, i) => `file${i + 1}`)]);
const REPLY_FIELDS = new Set(['token', 'message', 'strip_metadata']);
const HOUR = 60 * 60 * 1000;
const TOKEN_TTL = HOUR;

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

function intakeFromFields(f: Record<string, string>) {
  const contact = { name: blank(f.contact_name), phone: blank(f.contact_phone), email: blank(f.contact_email)?.trim(), other: blank(f.contact_other) };
  const hasContact = Object.values(contact).some(Boolean);
  return {
    kind: f.kind,
    narrative: f.narrative ?? '',
    occurred_on: blank(f.occurred_on)?.trim(),
    state_code: blank(f.state_code),
    municipality: blank(f.municipality),
    place_type: f.place_type ?? 'unknown',
    place_description: blank(f.place_description),
    authority_type: f.authority_type ?? 'unknown',
    authority_name: blank(f.authority_name),
    official_description: blank(f.official_description),
    badge_number: blank(f.badge_number),
    vehicle_number: blank(f.vehicle_number),
    anonymous: f.anonymous !== 'no',
    contact: hasContact ? Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined)) : undefined,
  };
}

function describeIssue(t: Strings, field: string, issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') return fill(t.errTooLong, { max: Number((issue as { maximum?: number }).maximum ?? 0) });
  if (issue.code === 'too_small' || issue.code === 'invalid_type') return t.errRequired;
  if (field === 'occurred_on') return t.errDate;
  if (field === 'contact_email') return t.errEmail;
  if (issue.code === 'invalid_value' || field === 'state_code') return t.errChoose;
  if (issue.code === 'invalid_format' && 'pattern' in issue) return t.errControl;
  return t.errInvalid;
}

function fileMessage(t: Strings, reason: FileRejected['reason'] | 'malformed', filename: string, maxMb: number): string {
  const params = { file: filename, max: maxMb, audio: ACCEPTED_UPLOADS.audioNames, files: publicLimits.filesPerSubmission };
  switch (reason) {
    case 'not_allowed':
      return fill(t.fileNotAllowed, params);
    case 'mismatch':
      return fill(t.fileMismatch, params);
    case 'empty':
      return fill(t.fileEmpty, params);
    case 'too_large':
      return fill(t.fileTooLarge, params);
    case 'damaged':
      return fill(t.fileDamaged, params);
    case 'too_many':
      return fill(t.fileTooMany, { files: publicLimits.filesPerSubmission });
    default:
      return t.errMalformed;
  }
}

const replyText = text(10_000);

// HTML pages for people, not API operations: kept out of the OpenAPI document.
const hidden = { schema: { hide: true } };

const sendHtml = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);

/**
 * The follow-up token in the page: folio and expiry, and the complaint's key encrypted under a
 * server secret (XChaCha20-Poly1305, folio and expiry as associated data), so replying needs
 * neither the receipt again nor a copy of the key anywhere but in the person's page.
 */
function followUpTokens(db: Db, cipher: FieldCipher, tokenKey: Buffer) {
  const make = (folio: string, found: { keyVersion: number; contentKey: Uint8Array | null }) => {
    const payload = `${folio}.${Date.now() + TOKEN_TTL}`;
    const secret = Buffer.concat([Buffer.from([found.keyVersion]), Buffer.from(found.contentKey ?? [])]);
    const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, payload, null, nonce, tokenKey);
    return `${payload}.${Buffer.concat([nonce, sealed]).toString('base64url')}`;
  };
  const read = async (token: string | undefined) => {
    const m = /^(Q-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\.(\d{13})\.([A-Za-z0-9_-]{40,200})$/.exec(token ?? '');
    if (!m || Number(m[2]) < Date.now()) return null;
    const sealed = Buffer.from(m[3]!, 'base64url');
    const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    let secret: Uint8Array;
    try {
      secret = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(nonceBytes), `${m[1]}.${m[2]}`, sealed.subarray(0, nonceBytes), tokenKey);
    } catch {
      return null;
    }
    const row = await db.selectFrom('complaints').select(['id', 'folio']).where('folio', '=', m[1]!).executeTakeFirst();
    if (!row) return null;
    const found = { keyVersion: secret[0] ?? 0, contentKey: secret.length > 1 ? secret.subarray(1) : null };
    return { ...row, found, contents: complainantCipher(cipher, found) };
  };
  return { make, read };
}

/** What the complaint pages share: the receipt hashing and its queue, the limits, and the follow-up tokens. */
type ComplaintPages = AppContext & ReturnType<typeof complaintRuntime> & { folioRule: ReturnType<typeof folioThrottle>; maxMb: number; tokens: ReturnType<typeof followUpTokens> };

export async function publicComplaintRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  const { db, cipher, config } = context;
  const maxMb = Math.floor(config.attachmentMaxBytes / (1024 * 1024));
  const tokenKey = createHash('sha256').update(cipher.blindIndex('amparo.complaints.follow-up-token.v2')).digest();
  const pages: ComplaintPages = { ...context, ...complaintRuntime(cipher), folioRule: folioThrottle(config.folioDelayMaxS), maxMb, tokens: followUpTokens(db, cipher, tokenKey) };

  await scope.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: config.attachmentMaxBytes, files: publicLimits.filesPerSubmission, fields: 40, fieldSize: 64 * 1024, parts: 50, headerPairs: 100 },
  });
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  // Errors before or outside a handler (body too large, unparseable form): an HTML page, nothing logged but the error type.
  scope.setErrorHandler(async (error: { statusCode?: number; code?: string; name?: string }, request, reply) => {
    const t = stringsFor(publicLanguage(request));
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ type: error.name, code: error.code }, 'complaint page failed');
    const message = status === 413 ? fill(t.fileTooLarge, { file: '', max: maxMb }) : t.errorText;
    return reply.status(status).type('text/html; charset=utf-8').send(messagePage(t, t.errorTitle, message, `/quejas?lang=${t.lang}`));
  });

  submissionPages(scope, pages);
  followUpPages(scope, pages);
  answerPages(scope, pages);
}

/** Filing a complaint: the form and its receipt. */
function submissionPages(scope: FastifyInstance, { db, cipher, config, hasher, limiter, hashing, maxMb, tokens }: ComplaintPages): void {
  scope.get('/quejas', hidden, async (request, reply) => sendHtml(reply, 200, formPage(stringsFor(publicLanguage(request)), {}, noErrors(), maxMb)));

  scope.post('/quejas', { ...hidden, bodyLimit: (publicLimits.filesPerSubmission + 1) * config.attachmentMaxBytes }, async (request, reply) => {
    const t = stringsFor(publicLanguage(request));
    if (!request.isMultipart()) return sendHtml(reply, 415, messagePage(t, t.errorTitle, t.errMalformed, `/quejas?lang=${t.lang}`));
    const parsed = await readMultipart(request, SUBMISSION_FIELDS, FILE_FIELDS);
    const values = parsed.fields;
    const errors: FormErrors = noErrors();
    const rerender = (status: number) => sendHtml(reply, status, formPage(t, values, errors, maxMb, parsed.files.length > 0 || parsed.problems.length > 0));

    for (const name of parsed.unknown) errors.general.push(fill(t.errUnknownField, { field: name.slice(0, 40) }));
    for (const problem of parsed.problems) errors.general.push(fileMessage(t, problem.reason, problem.filename, maxMb));
    const intake = complaintIntake.safeParse(intakeFromFields(values));
    if (!intake.success) {
      for (const issue of intake.error.issues) {
        const field = issue.path.join('_');
        errors.fields[field] ??= describeIssue(t, field, issue);
      }
    }
    if (errors.general.length || !intake.success) return rerender(400);

    let files;
    try {
      files = prepareFiles(parsed.files, { strip: values.strip_metadata === 'yes', maxBytes: config.attachmentMaxBytes });
    } catch (error) {
      if (!(error instanceof FileRejected)) throw error;
      errors.general.push(fileMessage(t, error.reason, error.filename, maxMb));
      return rerender(error.reason === 'too_large' ? 413 : error.reason === 'not_allowed' ? 415 : 400);
    }
    // A flood from one source is refused (its text is kept in the form); everyone else only queues.
    if (!limiter.take('submit', request.ip, publicLimits.submissionsPerSource, HOUR)) {
      errors.general.push(t.tooManySubmissions);
      return rerender(429);
    }
    let received;
    try {
      received = await hashing.run(() => submitComplaint(db, cipher, hasher, intake.data, { channel: 'web', language: t.lang, files }));
    } catch (error) {
      if (error instanceof BusyError) {
        errors.general.push(t.busy);
        return rerender(503);
      }
      // The database is down or too slow: nothing was saved (one transaction). The person's words
      // come back in the form with a clear message, and the attempt is not counted against her.
      if (pgErrorAnswer(error as Error)?.status !== 503) throw error;
      limiter.refund('submit', request.ip);
      request.log.warn('complaint not saved: database unavailable');
      errors.general.push(t.notSaved);
      return rerender(503);
    }
    const token = tokens.make(received.received.folio, { keyVersion: 1, contentKey: received.contentKey });
    return sendHtml(reply, 200, receiptPage(t, received.received, token, values.strip_metadata === 'yes', config.timeZone));
  });
}

/** Following a complaint with folio and receipt. */
function followUpPages(scope: FastifyInstance, { db, cipher, config, hasher, limiter, hashing, folioRule, maxMb, tokens }: ComplaintPages): void {
  scope.get('/quejas/seguimiento', hidden, async (request, reply) => sendHtml(reply, 200, followFormPage(stringsFor(publicLanguage(request)), {}, null)));

  scope.post('/quejas/seguimiento', hidden, async (request, reply) => {
    const t = stringsFor(publicLanguage(request));
    const body = (request.body ?? {}) as Record<string, string>;
    const folioInput = String(body.folio ?? '').slice(0, 60);
    const receiptInput = String(body.receipt ?? '').slice(0, 60);
    const folioKey = normaliseFolio(folioInput) ?? folioInput.trim().toUpperCase();
    // What she typed as folio comes back in its field whatever the answer; the receipt never does.
    const typed = { folio: folioInput.trim() };
    const throttled = () => sendHtml(reply, 429, followFormPage(t, typed, t.throttled));
    if (!limiter.take('follow', request.ip, publicLimits.followUpsPerSource, 10 * 60 * 1000)) return throttled();
    // A folio or receipt that cannot be one is named as such: this says nothing about which folios exist.
    const malformed = noErrors();
    if (!normaliseFolio(folioInput)) malformed.fields.folio = folioInput.trim() ? t.errFolioFormat : t.errRequired;
    if (!normaliseReceipt(receiptInput)) malformed.fields.receipt = receiptInput.trim() ? t.errReceiptFormat : t.errRequired;
    if (Object.keys(malformed.fields).length) return sendHtml(reply, 400, followFormPage(t, typed, malformed));
    if (!limiter.allowed('fail-source', request.ip, publicLimits.failuresPerSource)) return throttled();
    // Per folio, growing delays kept in PostgreSQL: a guesser slows the owner down by seconds, never locks her out.
    const wait = await secondsToWait(db, folioRule, folioKey);
    if (wait > 0) return sendHtml(reply.header('retry-after', String(wait)), 429, followFormPage(t, typed, fill(t.throttledFolio, { seconds: wait })));
    let found;
    try {
      found = await hashing.run(() => findByReceipt(db, hasher, folioInput, receiptInput));
    } catch (error) {
      if (error instanceof BusyError) return sendHtml(reply, 503, followFormPage(t, typed, t.busy));
      throw error;
    }
    if (!found) {
      await recordFailure(db, folioRule, folioKey);
      limiter.take('fail-source', request.ip, publicLimits.failuresPerSource, HOUR);
      // The same words for an unknown folio and a wrong receipt: the receipt is to be typed again.
      return sendHtml(reply, 403, followFormPage(t, typed, { general: [t.invalidReceipt], fields: { receipt: t.errReceiptRetype } }));
    }
    await clearFailures(db, folioRule, folioKey);
    const view = await complainantView(db, complainantCipher(cipher, found), found.id);
    return sendHtml(reply, 200, statusPage(t, view, tokens.make(found.folio, found), config.timeZone, maxMb));
  });
}

/** With the follow-up token: the complainant's answer and the printable acuse. */
function answerPages(scope: FastifyInstance, { db, config, hasher, hashing, maxMb, tokens }: ComplaintPages): void {
  scope.post('/quejas/seguimiento/responder', { ...hidden, bodyLimit: (publicLimits.filesPerSubmission + 1) * config.attachmentMaxBytes }, async (request, reply) => {
    const t = stringsFor(publicLanguage(request));
    if (!request.isMultipart()) return sendHtml(reply, 415, messagePage(t, t.errorTitle, t.errMalformed, `/quejas/seguimiento?lang=${t.lang}`));
    const parsed = await readMultipart(request, REPLY_FIELDS, FILE_FIELDS);
    const complaint = await tokens.read(parsed.fields.token);
    if (!complaint) return sendHtml(reply, 403, followFormPage(t, {}, t.sessionExpired));
    const token = tokens.make(complaint.folio, complaint.found);
    const errors: FormErrors = noErrors();
    for (const name of parsed.unknown) errors.general.push(fill(t.errUnknownField, { field: name.slice(0, 40) }));
    for (const problem of parsed.problems) errors.general.push(fileMessage(t, problem.reason, problem.filename, maxMb));
    const message = replyText.safeParse(parsed.fields.message ?? '');
    if (!message.success) errors.fields.message = describeIssue(t, 'message', message.error.issues[0]!);
    let files: ReturnType<typeof prepareFiles> = [];
    if (!errors.general.length && message.success) {
      try {
        files = prepareFiles(parsed.files.slice(0, publicLimits.filesPerSubmission), { strip: parsed.fields.strip_metadata === 'yes', maxBytes: config.attachmentMaxBytes });
      } catch (error) {
        if (!(error instanceof FileRejected)) throw error;
        errors.general.push(fileMessage(t, error.reason, error.filename, maxMb));
      }
    }
    if (errors.general.length || !message.success) {
      const view = await complainantView(db, complaint.contents, complaint.id);
      return sendHtml(reply, 400, statusPage(t, view, token, config.timeZone, maxMb, { errors, reply: parsed.fields.message ?? '' }));
    }
    await complainantReply(db, complaint.contents, complaint.id, { body: message.data, files });
    const view = await complainantView(db, complaint.contents, complaint.id);
    return sendHtml(reply, 200, statusPage(t, view, token, config.timeZone, maxMb, { ok: t.replySent }));
  });

  scope.post('/quejas/acuse', hidden, async (request, reply) => {
    const t = stringsFor(publicLanguage(request));
    const body = (request.body ?? {}) as Record<string, string>;
    const complaint = await tokens.read(body.token);
    if (!complaint) return sendHtml(reply, 403, followFormPage(t, {}, t.sessionExpired));
    let receipt: string | null = null;
    if (body.include_receipt === 'yes') {
      receipt = normaliseReceipt(String(body.receipt ?? ''));
      const ok = receipt !== null && (await hashing.run(() => findByReceipt(db, hasher, complaint.folio, receipt!))) !== null;
      if (!ok) return sendHtml(reply, 403, followFormPage(t, {}, t.invalidReceipt));
    }
    const pdf = await acusePdf(db, complaint.contents, complaint.id, { language: t.lang, receipt, followUrl: publicLink(config, request, '/quejas/seguimiento'), zone: config.timeZone });
    await recordAcuse(db, complaint.id, { kind: 'complainant', userId: null }, receipt !== null);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="acuse-${complaint.folio}.pdf"`).send(pdf);
  });
}
