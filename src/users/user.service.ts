import type { Db, Role } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { clearFailures, loginThrottle } from '../platform/limits/throttle.ts';
import { AppError } from '../platform/errors.ts';
import { hashPassword, randomPassword } from '../platform/auth/passwords.ts';
import { createUserKey, hasUserKey, holdsUserKey } from '../platform/crypto/user-keys.ts';
import type { Actor } from '../platform/auth/policy.ts';

export const roles = ['administrator', 'supervisor', 'caseworker', 'analyst', 'auditor', 'complaint_handler', 'search_officer', 'child_protection_officer', 'directory_editor'] as const satisfies readonly Role[];

type By = Pick<Actor, 'userId' | 'ip'> | null;

export async function createUser(
  db: Db,
  by: By,
  input: { email: string; display_name: string; password?: string | undefined; institution_id: string; role: Role; is_platform_admin?: boolean; preferred_language?: 'es' | 'en' },
): Promise<{ id: string; password: string | null }> {
  const email = input.email.trim().toLowerCase();
  const taken = await db.selectFrom('users').select('id').where(({ fn }) => fn('lower', ['email']), '=', email).executeTakeFirst();
  if (taken) throw new AppError('email_taken');
  const institution = await db.selectFrom('institutions').select('id').where('id', '=', input.institution_id).executeTakeFirst();
  if (!institution) throw new AppError('institution_not_found');
  const generated = input.password ? null : randomPassword();
  const passwordHash = await hashPassword(input.password ?? generated!);
  const id = await db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('users')
      .values({
        email,
        display_name: input.display_name,
        password_hash: passwordHash,
        is_platform_admin: input.is_platform_admin ?? false,
        preferred_language: input.preferred_language ?? 'es',
        totp_secret_enc: null,
        locked_until: null,
        disabled_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('memberships').values({ user_id: user.id, institution_id: input.institution_id, role: input.role }).execute();
    // The password is known now: a key holder gets a key pair at once, so a unit's key can be sealed to them before they sign in.
    if (holdsUserKey(input.role)) await createUserKey(trx, user.id, input.password ?? generated!);
    await appendAudit(trx, { institutionId: input.institution_id, actorUserId: by?.userId ?? null, action: 'user.created', recordType: 'user', recordId: user.id, ip: by?.ip ?? null, detail: { role: input.role } });
    return user.id;
  });
  return { id, password: generated };
}

export async function setMembership(db: Db, by: By, input: { user_id: string; institution_id: string; role: Role | null }) {
  await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', input.user_id).executeTakeFirst();
    if (!user) throw new AppError('not_found');
    if (input.role === null) {
      await trx.deleteFrom('memberships').where('user_id', '=', input.user_id).where('institution_id', '=', input.institution_id).execute();
      await trx.deleteFrom('sessions').where('user_id', '=', input.user_id).where('institution_id', '=', input.institution_id).execute();
    } else {
      await trx
        .insertInto('memberships')
        .values({ user_id: input.user_id, institution_id: input.institution_id, role: input.role })
        .onConflict((oc) => oc.columns(['user_id', 'institution_id']).doUpdateSet({ role: input.role! }))
        .execute();
    }
    await appendAudit(trx, { institutionId: input.institution_id, actorUserId: by?.userId ?? null, action: 'membership.changed', recordType: 'user', recordId: input.user_id, ip: by?.ip ?? null, detail: { role: input.role } });
  });
}

/** Sets a new password (random when none is given), clears the lock-out and ends the user's sessions. */
export async function resetPassword(db: Db, by: By, userId: string, institutionId: string | null, password?: string): Promise<string> {
  const next = password ?? randomPassword();
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('users').set({ password_hash: passwordHash, failed_logins: 0, locked_until: null }).where('id', '=', userId).returning('id').executeTakeFirst();
    if (!updated) throw new AppError('not_found');
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    // The old key pair cannot be opened without the old password: a new one, whose grants another
    // handler of the unit renews (src/complaints/keys.ts).
    if (await hasUserKey(trx, userId)) await createUserKey(trx, userId, next);
    await appendAudit(trx, { institutionId, actorUserId: by?.userId ?? null, action: 'password.reset', recordType: 'user', recordId: userId, ip: by?.ip ?? null });
  });
  return next;
}

export async function setUserDisabled(db: Db, by: Actor, userId: string, disabled: boolean) {
  await db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('users').set({ disabled_at: disabled ? new Date() : null }).where('id', '=', userId).returning('id').executeTakeFirst();
    if (!updated) throw new AppError('not_found');
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await appendAudit(trx, { institutionId: by.institutionId, actorUserId: by.userId, action: disabled ? 'user.disabled' : 'user.enabled', recordType: 'user', recordId: userId, ip: by.ip });
  });
}

/** Ends the delays that wrong passwords put on an account's sign-in before they run out by themselves. */
export async function unlockUser(db: Db, by: Actor, userId: string) {
  await db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).returning(['id', 'email']).executeTakeFirst();
    if (!updated) throw new AppError('not_found');
    await clearFailures(trx, loginThrottle, updated.email);
    await appendAudit(trx, { institutionId: by.institutionId, actorUserId: by.userId, action: 'user.unlocked', recordType: 'user', recordId: userId, ip: by.ip });
  });
}

/**
 * The first administrator, in a platform institution of its own. Returns the password when one was
 * generated, to be printed once; null when an administrator already exists.
 */
export async function ensureFirstAdmin(db: Db, email: string | undefined, password: string | undefined): Promise<{ email: string; password: string | null } | null> {
  const existing = await db.selectFrom('users').select('id').where('is_platform_admin', '=', true).executeTakeFirst();
  if (existing) return null;
  let platform = await db.selectFrom('institutions').select('id').where('type', '=', 'platform').executeTakeFirst();
  if (!platform) {
    platform = await db
      .insertInto('institutions')
      .values({ code: 'AMPARO', name: 'Amparo (administración de la plataforma)', type: 'platform', unit_type: null, state_code: null, municipality_code: null, parent_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
  }
  const adminEmail = email ?? 'admin@amparo.local';
  const created = await createUser(db, null, { email: adminEmail, display_name: 'Administración', password, institution_id: platform.id, role: 'administrator', is_platform_admin: true });
  return { email: adminEmail, password: created.password };
}
