import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { BusyError } from '../../platform/limits/anonymous.ts';
import { folioThrottle } from '../../platform/limits/throttle.ts';
import { pgErrorAnswer } from '../../platform/http/pg-errors.ts';
import { messageBody } from '../missing.schema.ts';
import { addFamilyMessage, createPublicReport } from '../missing.service.ts';
import { familyRuntime, familyViewOf, lookupFamily, publicReceiver, receiptDetails, takePublicSubmission, refundPublicSubmission } from './family.ts';
import { familyReceiptPdf } from './receipt-pdf.ts';
import { normaliseFolio, normaliseReceipt } from '../../platform/receipts.ts';
import { publicLink } from '../../platform/http/public-url.ts';
import { describeIssue, noErrors, readReportForm, type FormValues } from './form.ts';
import { followFormPage, landingPage, messagePage, paths, PHOTO_FIELDS, PHOTO_LIMITS, receiptPage, reportFormPage, statusPage, unavailablePage } from './pages.ts';
import multipart from '@fastify/multipart';
import { readMultipart } from '../../platform/files/multipart.ts';
import { FileRejected, prepareFiles, type PreparedFile } from '../../platform/files/uploads.ts';
import { REPORT_FIELDS } from './form.ts';
import { fill } from './strings.ts';
import { stringsFor, type Strings } from './strings.ts';
import { publicLanguage } from '../../public/i18n.ts';

/**
 * The families' public pages: file a report of a missing relative, follow the search with folio and
 * access code, read the search officer's messages and answer. Server-rendered HTML that works without
 * JavaScript. As on the complaint pages, nothing about the visitor is stored or logged: the address
 * is used only by the in-memory limiter (family.ts), audit entries carry no actor and no address, and
 * nothing here writes request data to the log.
 */
const SESSION_TTL = 60 * 60 * 1000;
const FOLIO = /^B-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

const stringsOf = (request: FastifyRequest): Strings => stringsFor(publicLanguage(request));

/** application/x-www-form-urlencoded, keeping repeated names (check boxes) as lists. */
function parseForm(body: string): FormValues {
  const values: FormValues = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = values[name];
    values[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return values;
}

const field = (values: FormValues, name: string, max: number) => {
  const v = values[name];
  return String((Array.isArray(v) ? v[0] : v) ?? '').slice(0, max);
};

// Pages for people, not API operations: kept out of the OpenAPI document.
const hidden = { schema: { hide: true } };

const sendHtml = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);
/** The posted form as text fields (a JSON body sent here is read the same way, values as text). */
const formOf = (request: FastifyRequest): FormValues => {
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, Array.isArray(value) ? value.slice(0, 20).map(String) : String(value ?? '')]));
};

/**
 * The photos of a report, checked by their content (JPEG or PNG only) and always stripped of their
 * metadata, with the same code as a complaint's files; a refusal names the file.
 */
const photoProblem = (t: Strings, reason: string, filename: string) => {
  if (reason === 'too_large') return fill(t.fileTooLarge, { file: filename, max: PHOTO_LIMITS.maxBytes / (1024 * 1024) });
  if (reason === 'too_many') return fill(t.fileTooMany, { files: PHOTO_LIMITS.count });
  if (reason === 'empty') return fill(t.fileEmpty, { file: filename });
  if (reason === 'mismatch') return fill(t.fileMismatch, { file: filename });
  if (reason === 'damaged' || reason === 'malformed') return fill(t.fileDamaged, { file: filename });
  return fill(t.photoNotAllowed, { file: filename });
};

/** A short-lived session for the answer form, so that the access code is not carried in the page. */
function familySessions(db: Db, tokenKey: Buffer) {
  const make = (folio: string) => {
    const payload = `${folio}.${Date.now() + SESSION_TTL}`;
    return `${payload}.${createHmac('sha256', tokenKey).update(payload).digest('base64url')}`;
  };
  const read = async (token: string): Promise<{ id: string; institution_id: string; folio: string } | null> => {
    const m = /^([^.]+)\.(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m || !FOLIO.test(m[1]!)) return null;
    const expected = createHmac('sha256', tokenKey).update(`${m[1]}.${m[2]}`).digest();
    const given = Buffer.from(m[3]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || Number(m[2]) < Date.now()) return null;
    return (await db.selectFrom('missing_reports').select(['id', 'institution_id', 'folio']).where('folio', '=', m[1]!).executeTakeFirst()) ?? null;
  };
  return { make, read };
}

/** What the family pages share: the folio delays, the argon2 queue and the answer-form sessions. */
type FamilyPages = AppContext & { folioRule: ReturnType<typeof folioThrottle>; hashing: ReturnType<typeof familyRuntime>['hashing']; sessions: ReturnType<typeof familySessions> };

export async function familyPublicRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  const { db, cipher, config } = context;
  const tokenKey = Buffer.from(cipher.blindIndex('amparo.missing.family-session.v1'), 'utf8');
  const pages: FamilyPages = { ...context, folioRule: folioThrottle(config.folioDelayMaxS), hashing: familyRuntime(cipher).hashing, sessions: familySessions(db, tokenKey) };

  // The report form is multipart (it carries photos); the other forms are urlencoded.
  await scope.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: PHOTO_LIMITS.maxBytes, files: PHOTO_LIMITS.count, fields: 60, fieldSize: 64 * 1024, parts: 80, headerPairs: 100 },
  });
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, parseForm(String(body)));
  });
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  // Errors before or outside a handler (body too large, another content type): an HTML page; the log gets the error type only.
  scope.setErrorHandler(async (error: { statusCode?: number; code?: string; name?: string }, request, reply) => {
    const t = stringsOf(request);
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ type: error.name, code: error.code }, 'family page failed');
    return sendHtml(reply, status, messagePage(t, t.errorTitle, t.errorText, `${paths.landing}?lang=${t.lang}`));
  });

  reportPages(scope, pages);
  followUpPages(scope, pages);
  answerPage(scope, pages);
}

/** Filing a report: the landing page, the form and its receipt. */
function reportPages(scope: FastifyInstance, { db, cipher, hashing }: FamilyPages): void {
  scope.get(paths.landing, hidden, async (request, reply) => sendHtml(reply, 200, landingPage(stringsOf(request))));

  scope.get(paths.report, hidden, async (request, reply) => {
    const t = stringsOf(request);
    // No family should fill in a long form that cannot be received: say where to go instead.
    if (!(await publicReceiver(db))) return sendHtml(reply, 503, unavailablePage(t));
    return sendHtml(reply, 200, reportFormPage(t, {}, noErrors()));
  });

  scope.post(paths.report, { ...hidden, bodyLimit: (PHOTO_LIMITS.count + 1) * PHOTO_LIMITS.maxBytes }, async (request, reply) => {
    const t = stringsOf(request);
    let values: FormValues;
    let photos: PreparedFile[] = [];
    const photoErrors: string[] = [];
    let photosSent = false;
    if (request.isMultipart()) {
      const parsed = await readMultipart(request, REPORT_FIELDS, PHOTO_FIELDS);
      values = Object.fromEntries(Object.entries(parsed.lists).map(([name, list]) => [name, list.length === 1 ? list[0]! : list]));
      for (const name of parsed.unknown) values[name] = '';
      photosSent = parsed.files.length > 0 || parsed.problems.length > 0;
      for (const problem of parsed.problems) photoErrors.push(photoProblem(t, problem.reason, problem.filename));
      if (!photoErrors.length && parsed.files.length) {
        try {
          photos = prepareFiles(parsed.files, { strip: true, maxBytes: PHOTO_LIMITS.maxBytes });
          const other = photos.find((p) => p.mediaType !== 'image/jpeg' && p.mediaType !== 'image/png');
          if (other) photoErrors.push(photoProblem(t, 'not_allowed', other.filename));
        } catch (error) {
          if (!(error instanceof FileRejected)) throw error;
          photoErrors.push(photoProblem(t, error.reason, error.filename));
        }
      }
    } else values = formOf(request);
    const { input, errors } = readReportForm(t, values);
    errors.general.push(...photoErrors);
    const rerender = (status: number) => sendHtml(reply, status, reportFormPage(t, values, errors, photosSent));
    if (!input || photoErrors.length) return rerender(400);
    // The database down or too slow: nothing was saved; the answers come back with a clear message
    // and the attempt does not count against the family's limit.
    let counted = false;
    const notSaved = (error: unknown) => {
      if (pgErrorAnswer(error as Error)?.status !== 503) throw error;
      if (counted) refundPublicSubmission(cipher, request.ip);
      request.log.warn('missing-person report not saved: database unavailable');
      errors.general.push(t.notSaved);
      return rerender(503);
    };
    let receiver;
    try {
      receiver = await publicReceiver(db);
    } catch (error) {
      return notSaved(error);
    }
    if (!receiver) return sendHtml(reply, 503, unavailablePage(t));
    // A flood from one source is refused (the answers stay in the form); everyone else only queues.
    if (!takePublicSubmission(cipher, request.ip)) {
      errors.general.push(t.tooManySubmissions);
      return rerender(429);
    }
    counted = true;
    let filed;
    try {
      filed = await hashing.run(() => createPublicReport(db, cipher, input, photos));
    } catch (error) {
      if (error instanceof BusyError) {
        errors.general.push(t.busySubmit);
        return rerender(503);
      }
      if (error instanceof AppError && error.code === 'missing_public_unavailable') return sendHtml(reply, 503, unavailablePage(t));
      return notSaved(error);
    }
    return sendHtml(reply, 200, receiptPage(t, filed, receiver.name));
  });
}

/** Following the search with folio and code, and the printable receipt. */
function followUpPages(scope: FastifyInstance, { db, cipher, config, folioRule, sessions }: FamilyPages): void {
  scope.get(paths.follow, hidden, async (request, reply) => sendHtml(reply, 200, followFormPage(stringsOf(request), null)));

  scope.post(paths.follow, hidden, async (request, reply) => {
    const t = stringsOf(request);
    const values = formOf(request);
    // The same lookup, limits and refusal as POST /api/v1/missing/public/status.
    const folioInput = field(values, 'folio', 60);
    const codeInput = field(values, 'code', 60);
    // What the family typed as folio comes back in its field whatever the answer; the code never does.
    const typed = { folio: folioInput.trim() };
    // A folio or code that cannot be one is named as such: this says nothing about which folios exist.
    const malformed = noErrors();
    if (!normaliseFolio(folioInput, 'B')) malformed.fields.folio = folioInput.trim() ? t.errFolioFormat : t.errRequired;
    if (!normaliseReceipt(codeInput)) malformed.fields.code = codeInput.trim() ? t.errCodeFormat : t.errRequired;
    if (Object.keys(malformed.fields).length) return sendHtml(reply, 400, followFormPage(t, malformed, typed));
    const found = await lookupFamily(db, cipher, folioRule, request.ip, folioInput, codeInput);
    if (found.ok) {
      const { id: _id, institution_id: _institution, ...view } = found.report;
      return sendHtml(reply, 200, statusPage(t, view, sessions.make(view.folio), config.timeZone));
    }
    if (found.reason === 'throttled') return sendHtml(reply, 429, followFormPage(t, t.throttled, typed));
    if (found.reason === 'folio_delay') return sendHtml(reply.header('retry-after', String(found.seconds)), 429, followFormPage(t, fill(t.throttledFolio, { seconds: found.seconds }), typed));
    if (found.reason === 'busy') return sendHtml(reply, 503, followFormPage(t, t.busy, typed));
    // The same words for an unknown folio and a wrong code: the code is to be typed again.
    return sendHtml(reply, 403, followFormPage(t, { general: [t.invalidCode], fields: { code: t.errCodeRetype } }, typed));
  });

  // The printable receipt, offered on the page that shows folio and code once: the page posts both
  // back, and they are checked (same limits as the follow-up) before anything is printed.
  scope.post(paths.receiptPdf, hidden, async (request, reply) => {
    const t = stringsOf(request);
    const values = formOf(request);
    const code = normaliseReceipt(field(values, 'code', 60));
    const found = await lookupFamily(db, cipher, folioRule, request.ip, field(values, 'folio', 60), code ?? '');
    if (!found.ok) {
      if (found.reason === 'throttled') return sendHtml(reply, 429, followFormPage(t, t.throttled));
      if (found.reason === 'folio_delay') return sendHtml(reply.header('retry-after', String(found.seconds)), 429, followFormPage(t, fill(t.throttledFolio, { seconds: found.seconds })));
      if (found.reason === 'busy') return sendHtml(reply, 503, followFormPage(t, t.busy));
      return sendHtml(reply, 403, followFormPage(t, t.invalidCode));
    }
    const details = await receiptDetails(db, found.report);
    const pdf = familyReceiptPdf(t, details, code!, { followUrl: publicLink(config, request, paths.follow), zone: config.timeZone });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="comprobante-${details.folio}.pdf"`).send(pdf);
  });
}

/** The family's answer to the search officer, through the short-lived session. */
function answerPage(scope: FastifyInstance, { db, cipher, config, sessions }: FamilyPages): void {
  scope.post(paths.reply, hidden, async (request, reply) => {
    const t = stringsOf(request);
    const values = formOf(request);
    const report = await sessions.read(field(values, 'token', 200));
    if (!report) return sendHtml(reply, 403, followFormPage(t, t.sessionExpired));
    const token = sessions.make(report.folio);
    const message = messageBody.shape.body.safeParse(field(values, 'message', 20_000));
    if (!message.success) {
      const view = await familyViewOf(db, cipher, report);
      return sendHtml(reply, 400, statusPage(t, view, token, config.timeZone, { error: describeIssue(t, 'message', message.error.issues[0]!), reply: field(values, 'message', 20_000) }));
    }
    // The same service call as POST /api/v1/missing/public/messages.
    await addFamilyMessage(db, cipher, report, message.data);
    const view = await familyViewOf(db, cipher, report);
    return sendHtml(reply, 200, statusPage(t, view, token, config.timeZone, { ok: t.replySent }));
  });
}
