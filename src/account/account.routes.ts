import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf, sessionOf } from '../platform/http/request-context.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { createRecoveryCodes, listSessions, revokeSessions, secondFactorStatus, setLanguage, signInWithRecoveryCode } from './account.service.ts';
import { resetWithLink } from '../users/reset-link.ts';
import { acceptInvitation, describeInvitation } from '../users/invitation.service.ts';

const tags = ['account'];
const sessionItem = z.object({ id: z.string(), created_at: z.date(), last_seen_at: z.date(), expires_at: z.date(), institution: z.string(), verified: z.boolean(), current: z.boolean() });

/** My account: sessions, language, recovery codes, and the page behind a one-time reset link. */
export function accountRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/account/sessions', { schema: { tags, summary: 'My sessions still valid (when each began and was last used)', response: { 200: z.object({ items: z.array(sessionItem) }), ...errorResponses } } }, async (request) => ({
    items: await listSessions(db, sessionOf(request)),
  }));

  app.delete('/api/v1/account/sessions/:id', { schema: { tags, summary: 'End one of my sessions', params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/) }), response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await revokeSessions(db, sessionOf(request), { id: request.params.id });
    return reply.status(204).send(null);
  });

  app.post('/api/v1/account/sessions/revoke-others', { schema: { tags, summary: 'End every session but this one', response: { 200: z.object({ revoked: z.number().int() }), ...errorResponses } } }, async (request) => ({
    revoked: await revokeSessions(db, sessionOf(request), { others: true }),
  }));

  app.put('/api/v1/account/language', { schema: { tags, summary: 'My language', body: z.strictObject({ language: z.enum(['es', 'en']) }), response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await setLanguage(db, actorOf(request), request.body.language);
    return reply.status(204).send(null);
  });

  app.get(
    '/api/v1/account/second-factor',
    { schema: { tags, summary: 'My second factor: on or off, whether an institution requires it, recovery codes left', response: { 200: z.object({ enabled: z.boolean(), required_by_institution: z.boolean(), recovery_codes_remaining: z.number().int() }), ...errorResponses } } },
    async (request) => secondFactorStatus(db, actorOf(request)),
  );

  app.post('/api/v1/account/recovery-codes', { schema: { tags, summary: 'Ten new recovery codes for the second factor (shown once; the old ones stop working)', response: { 200: z.object({ codes: z.array(z.string()) }), ...errorResponses } } }, async (request) => ({
    codes: await createRecoveryCodes(db, actorOf(request)),
  }));

  app.post(
    '/api/v1/account/recovery',
    { config: { public: true, allowPendingMfa: true }, schema: { tags, summary: 'Complete sign-in with a recovery code instead of the authenticator', body: z.strictObject({ code: z.string().trim().min(10).max(20) }), response: { 200: z.object({ remaining: z.number().int() }), ...errorResponses } } },
    async (request) => signInWithRecoveryCode(db, sessionOf(request), request.body.code),
  );

  // The page behind an invitation link (/cuenta/invitacion#token): public, and reads the session when there is one.
  const invitationToken = z.string().min(20).max(100);
  app.post(
    '/api/v1/account/invitation',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'What an invitation link offers: the institution, the role, and whether to choose a password (new account) or sign in and accept',
        body: z.strictObject({ token: invitationToken }),
        response: { 200: z.object({ institution: z.string(), role: z.string(), display_name: z.string(), email: z.string(), account: z.enum(['new', 'existing']), signed_in_as_invitee: z.boolean() }), ...errorResponses },
      },
    },
    async (request) => describeInvitation(db, request.body.token, request.actor),
  );

  app.post(
    '/api/v1/account/invitation/accept',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Accept an invitation: a new person with the password she chooses; the holder of an existing account signed in as it',
        body: z.strictObject({ token: invitationToken, new_password: z.string().min(12).max(200).optional() }),
        response: { 200: z.object({ account: z.enum(['new', 'existing']) }), ...errorResponses },
      },
    },
    async (request) => acceptInvitation(db, request.body.token, { newPassword: request.body.new_password, actor: request.actor, ip: request.ip ?? null }),
  );

  app.post(
    '/api/v1/account/password-reset',
    { config: { public: true }, schema: { tags, summary: 'Choose a new password with a one-time link from an administrator', body: z.strictObject({ token: z.string().min(20).max(100), new_password: z.string().min(12).max(200) }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await resetWithLink(db, request.body.token, request.body.new_password);
      return reply.status(204).send(null);
    },
  );
}
