import { randomBytes } from 'node:crypto';
import type { Db, Role } from '../platform/db/database.ts';
import { sha256Hex } from '../platform/crypto/sha256.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { createUser } from './user.service.ts';

const INVITATION_HOURS = 72;

export type NewInvitation = { email: string; display_name: string; role: Role; institution_id: string; preferred_language?: 'es' | 'en' | undefined };

/**
 * An administrator adds someone to her institution: the answer is always a one-time link, and nothing
 * here looks at `users`, so the answer is the same whether the email has an account in another
 * institution or none (issue 14: `email_taken` told one institution about another's accounts).
 * Earlier pending invitations of the same email to the same institution stop working. The caller has
 * checked that the actor administers the institution.
 */
export async function createInvitation(db: Db, actor: Actor, input: NewInvitation): Promise<{ token: string; expires_at: Date }> {
  const institution = await db.selectFrom('institutions').select('id').where('id', '=', input.institution_id).executeTakeFirst();
  if (!institution) throw new AppError('institution_not_found');
  const email = input.email.trim().toLowerCase();
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + INVITATION_HOURS * 3600_000);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('invitations').where('institution_id', '=', input.institution_id).where('email', '=', email).where('used_at', 'is', null).execute();
    const row = await trx
      .insertInto('invitations')
      .values({ token_hash: sha256Hex(token), email, display_name: input.display_name, institution_id: input.institution_id, role: input.role, preferred_language: input.preferred_language ?? 'es', created_by: actor.userId, expires_at: expires, used_at: null, accepted_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: input.institution_id, actorUserId: actor.userId, action: 'user.invited', recordType: 'invitation', recordId: row.id, ip: actor.ip, detail: { role: input.role } });
  });
  return { token, expires_at: expires };
}

async function pendingInvitation(db: Db, token: string) {
  const row = await db
    .selectFrom('invitations')
    .innerJoin('institutions', 'institutions.id', 'invitations.institution_id')
    .select(['invitations.id', 'invitations.email', 'invitations.display_name', 'invitations.institution_id', 'invitations.role', 'invitations.preferred_language', 'institutions.name as institution_name'])
    .where('invitations.token_hash', '=', sha256Hex(token))
    .where('invitations.used_at', 'is', null)
    .where('invitations.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) throw new AppError('invitation_invalid');
  return row;
}

const accountOf = (db: Db, email: string) => db.selectFrom('users').select(['id', 'disabled_at']).where(({ fn }) => fn('lower', ['email']), '=', email).executeTakeFirst();

/**
 * What the link's holder (the invited person) sees: the institution, the role, and whether she is to
 * choose a password (a new account) or sign in and accept (she has an account already).
 */
export async function describeInvitation(db: Db, token: string, actor: Actor | null) {
  const invitation = await pendingInvitation(db, token);
  const account = await accountOf(db, invitation.email);
  return {
    institution: invitation.institution_name,
    role: invitation.role,
    display_name: invitation.display_name,
    email: invitation.email,
    account: account ? ('existing' as const) : ('new' as const),
    signed_in_as_invitee: account !== undefined && actor?.userId === account.id,
  };
}

/**
 * The invited person uses the link: a new person chooses her password and her account is made with
 * the membership; the holder of an existing account must be signed in as that account, and gets the
 * membership with the role given. Either way the link is spent and the acceptance audited.
 */
export async function acceptInvitation(db: Db, token: string, input: { newPassword?: string | undefined; actor: Actor | null; ip: string | null }): Promise<{ account: 'new' | 'existing' }> {
  const invitation = await pendingInvitation(db, token);
  const account = await accountOf(db, invitation.email);
  if (account) {
    if (!input.actor || input.actor.userId !== account.id || account.disabled_at) throw new AppError('invitation_sign_in_required');
    await db.transaction().execute(async (trx) => {
      await spend(trx, invitation.id, account.id);
      await trx
        .insertInto('memberships')
        .values({ user_id: account.id, institution_id: invitation.institution_id, role: invitation.role })
        .onConflict((oc) => oc.columns(['user_id', 'institution_id']).doUpdateSet({ role: invitation.role }))
        .execute();
      await appendAudit(trx, { institutionId: invitation.institution_id, actorUserId: account.id, action: 'invitation.accepted', recordType: 'invitation', recordId: invitation.id, ip: input.ip, detail: { role: invitation.role, account: 'existing' } });
    });
    return { account: 'existing' };
  }
  if (!input.newPassword) throw new AppError('invitation_password_required');
  // Spent first: a link used twice at once makes one account, the other answer is "invalid".
  const spent = await db.updateTable('invitations').set({ used_at: new Date() }).where('id', '=', invitation.id).where('used_at', 'is', null).returning('id').executeTakeFirst();
  if (!spent) throw new AppError('invitation_invalid');
  const created = await createUser(db, null, { email: invitation.email, display_name: invitation.display_name, password: input.newPassword, institution_id: invitation.institution_id, role: invitation.role, preferred_language: invitation.preferred_language });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('invitations').set({ accepted_by: created.id }).where('id', '=', invitation.id).execute();
    await appendAudit(trx, { institutionId: invitation.institution_id, actorUserId: created.id, action: 'invitation.accepted', recordType: 'invitation', recordId: invitation.id, ip: input.ip, detail: { role: invitation.role, account: 'new' } });
  });
  return { account: 'new' };
}

async function spend(trx: Db, invitationId: string, userId: string) {
  const spent = await trx.updateTable('invitations').set({ used_at: new Date(), accepted_by: userId }).where('id', '=', invitationId).where('used_at', 'is', null).returning('id').executeTakeFirst();
  if (!spent) throw new AppError('invitation_invalid');
}
