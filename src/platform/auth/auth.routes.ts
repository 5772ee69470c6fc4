import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext, RouteApp } from '../http/app.ts';
import type { Config } from '../config.ts';
import { SESSION_COOKIE } from '../http/app.ts';
import { actorOf, sessionOf } from '../http/request-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { AppError } from '../errors.ts';
import { AnonymousLimiter } from '../limits/anonymous.ts';
import { can, capabilities, type Capability } from './policy.ts';
import {
  SESSION_MAX_MS,
  beginTotpEnrolment,
  changePassword,
  completeTotp,
  confirmTotpEnrolment,
  createApiToken,
  disableTotp,
  login,
  logout,
  revokeApiToken,
  switchInstitution,
} from './auth.service.ts';

const sessionView = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), display_name: z.string(), preferred_language: z.enum(['es', 'en']), is_platform_admin: z.boolean(), totp_enabled: z.boolean() }),
  institution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), type: z.string() }),
  role: z.string(),
  memberships: z.array(z.object({ institution_id: z.uuid(), institution_name: z.string(), role: z.string() })),
  state: z.enum(['active', 'mfa_required', 'mfa_enrolment_required']),
  /** What the role may do here (src/platform/auth/policy.ts); the web app builds its menu from it. Empty until sign-in is complete. */
  capabilities: z.array(z.enum(Object.keys(capabilities) as [Capability, ...Capability[]])),
  csrf_token: z.string(),
  /** AMPARO_TIME_ZONE: the web app shows times of day in it, whatever the browser's zone. */
  time_zone: z.string(),
});
const allCapabilities = Object.keys(capabilities) as Capability[];

const TEN_MINUTES = 10 * 60 * 1000;

const setCookie = (reply: { setCookie: (...args: never[]) => unknown }, value: string, secure: boolean, maxAgeMs: number) =>
  (reply.setCookie as (name: string, value: string, options: object) => unknown)(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
const secureFor = (config: Config, protocol: string) => config.secureCookies === 'on' || (config.secureCookies === 'auto' && protocol === 'https');

/** What the sign-in routes share: one limiter for sign-in and second-factor attempts. */
type AuthContext = AppContext & { limiter: AnonymousLimiter };

export function authRoutes(scope: FastifyInstance, context: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  // Per address and per session, in memory under a rotating salt: the staff's addresses are not kept either.
  const auth: AuthContext = { ...context, limiter: new AnonymousLimiter() };

  signInRoutes(app, auth);
  secondFactorRoutes(app, auth);
  accountRoutes(app, auth);
  tokenRoutes(app, auth);
}

/** Signing in and out, and the session the web app starts from. */
function signInRoutes(app: RouteApp, { db, config, limiter }: AuthContext): void {
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: z.strictObject({ email: z.string().trim().email().max(254), password: z.string().min(1).max(200), institution_id: z.uuid().optional() }),
        response: { 200: z.object({ state: z.enum(['active', 'mfa_required', 'mfa_enrolment_required']) }), 429: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      if (!limiter.take('sign-in', request.ip, 30, TEN_MINUTES)) throw new AppError('too_many_requests');
      const result = await login(db, { email, password: request.body.password, institutionId: request.body.institution_id, ip: request.ip });
      setCookie(reply, result.sessionToken, secureFor(config, request.protocol), SESSION_MAX_MS);
      return { state: result.state };
    },
  );

  app.get(
    '/api/v1/auth/session',
    { config: { public: true, allowPendingMfa: true }, schema: { tags: ['auth'], summary: 'The signed-in user, institution, role and CSRF token', response: { 200: sessionView, ...errorResponses } } },
    async (request) => {
      const session = sessionOf(request);
      const user = await db.selectFrom('users').select(['id', 'email', 'display_name', 'preferred_language', 'is_platform_admin', 'totp_enabled']).where('id', '=', session.actor.userId).executeTakeFirstOrThrow();
      const institution = await db.selectFrom('institutions').select(['id', 'code', 'name', 'type']).where('id', '=', session.actor.institutionId).executeTakeFirstOrThrow();
      const memberships = await db
        .selectFrom('memberships')
        .innerJoin('institutions', 'institutions.id', 'memberships.institution_id')
        .select(['memberships.institution_id', 'institutions.name as institution_name', 'memberships.role'])
        .where('memberships.user_id', '=', session.actor.userId)
        .orderBy('institutions.name')
        .execute();
      const granted = session.state === 'active' ? allCapabilities.filter((capability) => can(session.actor, capability)) : [];
      return { user, institution, role: session.actor.role, memberships, state: session.state, capabilities: granted, csrf_token: session.csrfToken, time_zone: config.timeZone };
    },
  );

  app.post('/api/v1/auth/logout', { config: { public: true, allowPendingMfa: true }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    if (request.session) await logout(db, request.session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });
}

/** The second factor (TOTP): completing a sign-in, enrolling, turning it off. */
function secondFactorRoutes(app: RouteApp, { db, cipher, limiter }: AuthContext): void {
  app.post(
    '/api/v1/auth/totp',
    { config: { public: true, allowPendingMfa: true }, schema: { tags: ['auth'], summary: 'Complete sign-in with a TOTP code', body: z.strictObject({ code: z.string().regex(/^\d{6}$/) }), response: { 204: z.null(), 429: errorResponses[400], ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!limiter.take('totp', session.sessionHash, 10, TEN_MINUTES)) throw new AppError('too_many_requests');
      await completeTotp(db, cipher, session, request.body.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/totp/setup',
    { config: { allowPendingMfa: true }, schema: { tags: ['auth'], summary: 'Start TOTP enrolment', response: { 200: z.object({ secret: z.string(), otpauth_url: z.string() }), ...errorResponses } } },
    async (request) => {
      const session = sessionOf(request);
      if (session.state === 'mfa_required') throw new AppError('mfa_required');
      const enrolment = await beginTotpEnrolment(db, cipher, actorOf(request));
      return { secret: enrolment.secret, otpauth_url: enrolment.otpauthUrl };
    },
  );

  app.post(
    '/api/v1/auth/totp/enable',
    { config: { allowPendingMfa: true }, schema: { tags: ['auth'], summary: 'Confirm TOTP enrolment with a first code', body: z.strictObject({ code: z.string().regex(/^\d{6}$/) }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (session.state === 'mfa_required') throw new AppError('mfa_required');
      await confirmTotpEnrolment(db, cipher, session, request.body.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/totp/disable',
    { schema: { tags: ['auth'], summary: 'Turn the second factor off (password and a current code; refused while an institution requires it)', body: z.strictObject({ password: z.string().min(1).max(200), code: z.string().regex(/^\d{6}$/) }), response: { 204: z.null(), 429: errorResponses[400], ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!limiter.take('totp', session.sessionHash, 10, TEN_MINUTES)) throw new AppError('too_many_requests');
      await disableTotp(db, cipher, actorOf(request), request.body.password, request.body.code);
      return reply.status(204).send(null);
    },
  );
}

/** The signed-in user's own account: acting for another institution, changing the password. */
function accountRoutes(app: RouteApp, { db }: AuthContext): void {
  app.post(
    '/api/v1/auth/switch-institution',
    { schema: { tags: ['auth'], summary: 'Act for another institution the user belongs to', body: z.strictObject({ institution_id: z.uuid() }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await switchInstitution(db, sessionOf(request), request.body.institution_id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password',
    { schema: { tags: ['auth'], summary: 'Change own password', body: z.strictObject({ current_password: z.string().min(1).max(200), new_password: z.string().min(12).max(200) }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await changePassword(db, actorOf(request), request.body.current_password, request.body.new_password);
      return reply.status(204).send(null);
    },
  );
}

/** The user's own API tokens. */
function tokenRoutes(app: RouteApp, { db }: AuthContext): void {
  const tokenView = z.object({ id: z.uuid(), name: z.string(), created_at: z.date(), expires_at: z.date().nullable() });
  app.get('/api/v1/auth/tokens', { schema: { tags: ['auth'], summary: 'Own API tokens', response: { 200: z.object({ items: z.array(tokenView.extend({ last_used_at: z.date().nullable() })) }), ...errorResponses } } }, async (request) => {
    const actor = actorOf(request);
    const items = await db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'expires_at', 'last_used_at']).where('user_id', '=', actor.userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
    return { items };
  });
  app.post(
    '/api/v1/auth/tokens',
    { schema: { tags: ['auth'], summary: 'Create an API token (shown once)', body: z.strictObject({ name: z.string().trim().min(1).max(100), expires_in_days: z.number().int().min(1).max(365).optional() }), response: { 201: tokenView.extend({ token: z.string() }), ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createApiToken(db, actorOf(request), { name: request.body.name, expiresInDays: request.body.expires_in_days })),
  );
  app.delete('/api/v1/auth/tokens/:id', { schema: { tags: ['auth'], summary: 'Revoke an API token', params: z.strictObject({ id: z.uuid() }), response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await revokeApiToken(db, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
