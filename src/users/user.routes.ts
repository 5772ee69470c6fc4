import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams } from '../platform/http/schemas.ts';
import { RecordNotVisible, forbidden } from '../platform/errors.ts';
import { can, rolesWith, type Actor } from '../platform/auth/policy.ts';
import type { Db } from '../platform/db/database.ts';
import { roles, setMembership, setUserDisabled, unlockUser } from './user.service.ts';
import { createInvitation } from './invitation.service.ts';
import { loginThrottle, throttledKeys } from '../platform/limits/throttle.ts';
import { createResetLink } from './reset-link.ts';

/** Administrators manage the accounts of their institution; platform administrators, any. */
function requireAdminOf(actor: Actor, institutionId: string) {
  if (can(actor, 'users.manage_any')) return;
  if (!can(actor, 'users.manage') || actor.institutionId !== institutionId) throw forbidden();
}

/**
 * The user must belong to the administrator's institution (404, audited, otherwise: other
 * institutions' accounts are not even confirmed to exist).
 */
async function requireMemberOfManagedInstitution(db: Db, actor: Actor, userId: string) {
  if (can(actor, 'users.manage_any')) return [];
  if (!can(actor, 'users.manage')) throw forbidden();
  const memberships = await db.selectFrom('memberships').select('institution_id').where('user_id', '=', userId).execute();
  if (!memberships.some((m) => m.institution_id === actor.institutionId)) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'user.access_denied', recordType: 'user', recordId: userId, ip: actor.ip });
  }
  return memberships;
}

/**
 * Resetting the password of, or disabling, an account that also works for another institution would
 * let one institution's administrator act in another's name: that is for platform administrators.
 */
async function requireUserOnlyInManagedInstitution(db: Db, actor: Actor, userId: string) {
  const memberships = await requireMemberOfManagedInstitution(db, actor, userId);
  if (memberships.some((m) => m.institution_id !== actor.institutionId)) throw forbidden();
}

const resetPath = (token: string) => `/cuenta/restablecer#${token}`;
const invitationPath = (token: string) => `/cuenta/invitacion#${token}`;

export function userRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Users of an institution (the current one unless a platform administrator names another): administrators see emails, last sign-in and lock-outs; supervisors see who can take cases',
        querystring: z.strictObject({ institution_id: z.uuid().optional() }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.uuid(), display_name: z.string(), role: z.string(), email: z.string().nullable(), disabled: z.boolean(), locked: z.boolean(), last_sign_in_at: z.date().nullable(), other_institutions: z.number().int() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const institutionId = request.query.institution_id ?? actor.institutionId;
      const isAdmin = can(actor, 'users.manage_any') || (can(actor, 'users.manage') && institutionId === actor.institutionId);
      if (!isAdmin && !(can(actor, 'users.list_assignable') && institutionId === actor.institutionId)) throw forbidden();
      let query = db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select((eb) => [
          'users.id',
          'users.display_name',
          'memberships.role',
          'users.email',
          'users.disabled_at',
          'users.last_sign_in_at',
          eb.selectFrom('memberships as other').select(eb.fn.countAll<number>().as('n')).whereRef('other.user_id', '=', 'users.id').where('other.institution_id', '<>', institutionId).as('other_institutions'),
        ])
        .where('memberships.institution_id', '=', institutionId)
        .orderBy('users.display_name');
      if (!isAdmin) query = query.where('memberships.role', 'in', rolesWith('cases.take')).where('users.disabled_at', 'is', null);
      const rows = await query.execute();
      // Wrong passwords hold an email back by growing delays (src/platform/limits/throttle.ts), not a lock.
      const held = isAdmin ? await throttledKeys(db, loginThrottle, rows.map((r) => r.email)) : new Set<string>();
      return {
        items: rows.map((r) => ({
          id: r.id,
          display_name: r.display_name,
          role: r.role,
          email: isAdmin ? r.email : null,
          disabled: r.disabled_at !== null,
          locked: held.has(r.email),
          last_sign_in_at: isAdmin ? r.last_sign_in_at : null,
          other_institutions: isAdmin ? Number(r.other_institutions ?? 0) : 0,
        })),
      };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Invite someone to an institution with a role: the answer is a one-time invitation link (valid for three days), the same whether or not the email has an account elsewhere',
        body: z.strictObject({ email: z.email().max(254), display_name: z.string().trim().min(1).max(120), role: z.enum(roles), institution_id: z.uuid().optional(), preferred_language: z.enum(['es', 'en']).optional() }),
        response: { 201: z.object({ invitation_path: z.string(), expires_at: z.date() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const institutionId = request.body.institution_id ?? actor.institutionId;
      requireAdminOf(actor, institutionId);
      // A new person chooses her password with the link; someone with an account signs in and accepts.
      const invitation = await createInvitation(db, actor, { ...request.body, institution_id: institutionId });
      return reply.status(201).send({ invitation_path: invitationPath(invitation.token), expires_at: invitation.expires_at });
    },
  );

  app.put(
    '/api/v1/users/:id/membership',
    { schema: { tags, summary: 'Give, change or remove a user’s role in an institution', params: idParams, body: z.strictObject({ institution_id: z.uuid(), role: z.enum(roles).nullable() }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      const actor = actorOf(request);
      requireAdminOf(actor, request.body.institution_id);
      await requireMemberOfManagedInstitution(db, actor, request.params.id);
      if (request.params.id === actor.userId && request.body.institution_id === actor.institutionId) throw forbidden();
      await setMembership(db, actor, { user_id: request.params.id, ...request.body });
      return reply.status(204).send(null);
    },
  );

  // A one-time link valid for a day, not a password: the administrator never knows the user's password.
  app.post('/api/v1/users/:id/reset-password', { schema: { tags, summary: 'A one-time link (valid for a day) for the user to choose a new password', params: idParams, response: { 200: z.object({ reset_path: z.string(), expires_at: z.date() }), ...errorResponses } } }, async (request) => {
    const actor = actorOf(request);
    await requireUserOnlyInManagedInstitution(db, actor, request.params.id);
    const link = await createResetLink(db, actor, request.params.id);
    return { reset_path: resetPath(link.token), expires_at: link.expires_at };
  });

  app.post('/api/v1/users/:id/disable', { schema: { tags, summary: 'Disable an account and end its sessions', params: idParams, body: z.strictObject({ disabled: z.boolean() }), response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    const actor = actorOf(request);
    await requireUserOnlyInManagedInstitution(db, actor, request.params.id);
    if (request.params.id === actor.userId) throw forbidden();
    await setUserDisabled(db, actor, request.params.id, request.body.disabled);
    return reply.status(204).send(null);
  });

  // Unlocking lets nobody act in the user's name (her password is still needed): any administrator of one of her institutions may.
  app.post('/api/v1/users/:id/unlock', { schema: { tags, summary: 'End a lock-out after too many wrong passwords', params: idParams, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    const actor = actorOf(request);
    await requireMemberOfManagedInstitution(db, actor, request.params.id);
    await unlockUser(db, actor, request.params.id);
    return reply.status(204).send(null);
  });
}
