import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../crypto/field-encryption.ts';
import type { Config } from '../config.ts';
import { AppError, RecordNotVisible, RequestValidationError, httpStatus, type ErrorCode } from '../errors.ts';
import { appendAudit } from '../audit/audit.ts';
import { negotiateLanguage, translate, type MessageKey } from '../i18n/messages.ts';
import { csrfMatches, resolveApiToken, resolveSession } from '../auth/auth.service.ts';
import { zodValidatorCompiler, describeIssues } from './validation.ts';
import { errorBody } from './schemas.ts';
import { pgErrorAnswer } from './pg-errors.ts';
import { onUnreadableField } from '../crypto/unreadable.ts';
import { timeRequests } from './metrics.ts';
import './request-context.ts';
import type { AppContext, ModuleRoutes } from './context.ts';

export type { AppContext, App, ModuleRoutes, RouteApp } from './context.ts';

export const SESSION_COOKIE = 'amparo_session';
const HEALTH_TIMEOUT_MS = 1500;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * Log lines carry method, path (never the query string: a person search puts a name there),
 * status and timing. Bodies, headers and cookies are never logged.
 */
const serializers = {
  req: (request: { method: string; url: string; id: string }) => ({ id: request.id, method: request.method, path: request.url.split('?')[0] }),
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  err: (error: FastifyError) => ({ type: error.name, code: error.code, message: error.message, stack: error.stack ?? '' }),
};

/**
 * The web app's static files (scripts, styles, fonts, images) are not logged one line per request:
 * a page load asks for a dozen, and their lines buried what an operator reads (the sign-in details at
 * start, errors). Pages and API calls are still logged, one line in and one out.
 */
const STATIC_FILE = /\.(?:js|mjs|css|map|svg|png|jpe?g|gif|ico|webp|woff2?|ttf|webmanifest|txt)$/;
function quietStaticFiles(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  return (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/api/') && (path.startsWith('/assets/') || STATIC_FILE.test(path));
}

export async function buildApp(context: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // The serializers are merged into any logger options given (tests pass a stream): they are what
    // keeps query strings and bodies, which carry personal data, out of the logs.
    logger: options.logger === false ? false : { level: context.config.logLevel, ...(typeof options.logger === 'object' ? options.logger : {}), serializers },
    logController: new LogController({ disableRequestLogging: quietStaticFiles }),
    // Fastify accepts a hop count at run time (documented), though its typings omit number.
    trustProxy: context.config.trustProxy as boolean | string,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Kind, field and key id only: enough to find the key or the row's kind, nothing about a person.
  const stopReporting = onUnreadableField((event) => app.log.warn({ unreadable: event }, 'an encrypted field could not be decrypted'));
  app.addHook('onClose', async () => {
    stopReporting();
  });

  app.decorateRequest('lang', 'es');
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Amparo API', version: '1.0.0', description: 'Protection of migrants in situations of vulnerability.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas registered with an id (recursive ones: src/screenings/definition.ts) go to components/schemas.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  authenticateRequests(app, context);
  sendSecurityHeaders(app, context);
  answerErrors(app, context);
  serveWebAppOrNotFound(app);

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['platform'],
        summary: 'Server and database health',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.literal('ok'), time: z.string() }),
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      // Answers within 2 s whatever the database does: a frozen server (or a full pool) is a 503, not a hang.
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          sql`select 1`.execute(context.db),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS);
          }),
        ]);
      } catch {
        return reply.status(503).send({ code: 'database_unavailable', message: translate(request.lang, 'database_unavailable') });
      } finally {
        clearTimeout(timer);
      }
      return { status: 'ok' as const, database: 'ok' as const, time: new Date().toISOString() };
    },
  );
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  timeRequests(app, context.db);

  // The build writes hashed files under /assets/ (cached for a year: a new build has new names) and
  // their .br/.gz twins, sent to browsers that accept them; index.html is checked on every visit.
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/',
    wildcard: false,
    // '/' is the public home (src/public); the web app's index.html is served for its own paths by the not-found handler.
    index: false,
    serve: fs.existsSync(webRoot),
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      const hashed = filePath.startsWith(path.join(webRoot, 'assets') + path.sep);
      reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  return app;
}

/**
 * Who is asking: an API token, else a session cookie (with its CSRF token for writes); a route that is
 * not public refuses anyone else. The language of every answer is chosen here too.
 */
function authenticateRequests(app: FastifyInstance, context: AppContext): void {
  app.addHook('onRequest', async (request) => {
    request.lang = negotiateLanguage((request.query as Record<string, unknown> | undefined)?.lang, request.headers['accept-language']);
    if (!request.url.startsWith('/api/v1/')) return;
    const ip = request.ip ?? null;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const actor = await resolveApiToken(context.db, authorization.slice(7).trim(), ip);
      if (!actor) throw new AppError('invalid_token');
      request.actor = actor;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await resolveSession(context.db, token, ip);
      if (session) {
        request.session = session;
        if (session.state === 'active' || request.routeOptions.config.allowPendingMfa) request.actor = session.actor;
        if (!SAFE_METHODS.has(request.method) && !csrfMatches(session.csrfToken, request.headers['x-csrf-token'] as string | undefined)) {
          throw new AppError('csrf_failed');
        }
      }
    }
    if (!request.routeOptions.config.public && !request.actor) {
      if (request.session?.state === 'mfa_required') throw new AppError('mfa_required');
      if (request.session?.state === 'mfa_enrolment_required') throw new AppError('mfa_enrolment_required');
      throw new AppError('unauthenticated');
    }
  });

  // `?lang=` is read above for every route; taking it out here keeps strict query schemas strict.
  app.addHook('preValidation', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    if (query && 'lang' in query) delete query.lang;
  });
}

/** Headers of every answer: no sniffing, no framing, the content security policy, HSTS behind HTTPS. */
function sendSecurityHeaders(app: FastifyInstance, context: AppContext): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    // Every page, the API reference included (its scripts are files of our own origin; it styles inline).
    reply.header('content-security-policy', "default-src 'self'; script-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    // Where cookies are Secure the site is served over HTTPS: browsers should never try plain HTTP.
    if (context.config.secureCookies === 'on' || (context.config.secureCookies === 'auto' && request.protocol === 'https')) {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}

/** Every error as `{ code, message }` in the request's language, with the code's one status. */
function answerErrors(app: FastifyInstance, context: AppContext): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const lang = request.lang ?? 'es';
    const send = (status: number, code: MessageKey, extra: Record<string, unknown> = {}, params: Record<string, string | number> = {}) =>
      reply.status(status).send({ code, message: translate(lang, code, params), ...extra });
    // The status of a code comes from the one table (src/platform/errors.ts).
    const answer = (code: ErrorCode, extra: Record<string, unknown> = {}, params: Record<string, string | number> = {}) => send(httpStatus(code), code, extra, params);

    if (error instanceof RecordNotVisible) {
      try {
        await appendAudit(context.db, error.audit);
      } catch (auditError) {
        request.log.error({ err: auditError }, 'could not audit a refused access');
      }
    }
    if (error instanceof AppError) {
      // The delay the server decided, for clients and people to wait exactly that long.
      if (error.code === 'too_many_requests' && typeof error.params.retry_after === 'number') reply.header('retry-after', String(error.params.retry_after));
      return answer(error.code, error.details === undefined ? {} : { details: error.details }, error.params);
    }
    if (error instanceof RequestValidationError) return answer('validation_failed', { issues: describeIssues(error.issues, lang) });
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return answer('payload_too_large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return answer('unsupported_media_type');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return answer('invalid_json');
    }
    if (error instanceof SyntaxError) return answer('invalid_json');
    const database = pgErrorAnswer(error);
    if (database) return send(database.status, database.code, database.code === 'validation_failed' ? { issues: [] } : {});
    if (error.statusCode === 429) return answer('too_many_requests');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return send(error.statusCode, 'validation_failed', { issues: [] });
    request.log.error({ err: error }, 'request failed');
    return answer('internal_error');
  });
}

/** An unknown path: a trailing slash taken off a server-rendered page, the web app for the rest, 404 under /api/. */
function serveWebAppOrNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    // `/familias/busqueda/` typed with a trailing slash: the server-rendered page, not the web app.
    const [pathname = '', query] = request.url.split('?', 2);
    const trimmed = pathname.replace(/\/+$/, '');
    if (request.method === 'GET' && trimmed && trimmed !== pathname && !pathname.startsWith('/api/') && app.hasRoute({ method: 'GET', url: trimmed })) {
      return reply.redirect(query === undefined ? trimmed : `${trimmed}?${query}`, 301);
    }
    if (request.url.startsWith('/api/') || !fs.existsSync(path.join(webRoot, 'index.html')) || request.method !== 'GET') {
      return reply.status(httpStatus('route_not_found')).send({ code: 'route_not_found', message: translate(request.lang, 'route_not_found') });
    }
    // Single-page app: every non-API path renders the app, which routes on the client.
    return reply.type('text/html').sendFile('index.html');
  });
}

export async function registerModules(app: FastifyInstance, context: AppContext, modules: ModuleRoutes[]): Promise<void> {
  for (const register of modules) {
    await app.register(async (scope) => register(scope, context));
  }
}
