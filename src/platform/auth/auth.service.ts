import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../crypto/sha256.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { appendAudit, PLATFORM_CHAIN } from '../audit/audit.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { newTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';
import type { FieldCipher } from '../crypto/field-encryption.ts';
import { assertMayAttempt, clearFailures, loginThrottle, recordFailure } from '../limits/throttle.ts';
import { createUserKey, holdsUserKey, rewrapUserKey, unlockUserKey, unwrapWithToken, wrapForToken, type KeyPair } from '../crypto/user-keys.ts';
import { secondFactorRequired, type Actor } from './policy.ts';

export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;

const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export type SessionState = 'active' | 'mfa_required' | 'mfa_enrolment_required';

export type ResolvedSession = {
  actor: Actor;
  csrfToken: string;
  state: SessionState;
  sessionHash: string;
};

export async function login(
  db: Db,
  input: { email: string; password: string; institutionId?: string | undefined; ip: string | null },
): Promise<{ sessionToken: string; state: SessionState }> {
  // Throttled before anything else, by the same rule for known and unknown emails (src/platform/limits/throttle.ts).
  await assertMayAttempt(db, loginThrottle, input.email);
  const user = await db.selectFrom('users').selectAll().where(({ fn }) => fn('lower', ['email']), '=', input.email.toLowerCase()).executeTakeFirst();
  if (!user) {
    await verifyPassword(await decoyHash(), input.password);
    const delay = await recordFailure(db, loginThrottle, input.email);
    await appendAudit(db, { institutionId: null, actorUserId: null, action: 'login.failed', recordType: 'user', ip: input.ip, detail: { reason: 'unknown_email', delay_s: delay } });
    throw new AppError('invalid_credentials');
  }
  const ok = user.disabled_at === null && (await verifyPassword(user.password_hash, input.password));
  if (!ok) {
    const delay = await recordFailure(db, loginThrottle, input.email);
    await appendAudit(db, { institutionId: null, actorUserId: user.id, action: 'login.failed', recordType: 'user', recordId: user.id, ip: input.ip, detail: { reason: 'bad_password', delay_s: delay } });
    throw new AppError('invalid_credentials');
  }
  await clearFailures(db, loginThrottle, input.email);
  const memberships = await db
    .selectFrom('memberships')
    .innerJoin('institutions', 'institutions.id', 'memberships.institution_id')
    .select(['memberships.institution_id', 'memberships.role', 'institutions.require_mfa', 'institutions.complaint_handlers_mfa'])
    .where('user_id', '=', user.id)
    .orderBy('memberships.created_at')
    .execute();
  const membership = input.institutionId ? memberships.find((m) => m.institution_id === input.institutionId) : memberships[0];
  if (!membership) throw new AppError('invalid_credentials');

  const sessionToken = randomToken();
  const state: SessionState = user.totp_enabled ? 'mfa_required' : secondFactorRequired(membership.role, membership) ? 'mfa_enrolment_required' : 'active';
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_sign_in_at: new Date() }).where('id', '=', user.id).execute();
    // The password is in hand only now: open the user's key pair for the session, or make one
    // (first sign-in as a key holder, or the old one was lost with a password reset).
    let keys: KeyPair | null = null;
    if (memberships.some((m) => holdsUserKey(m.role))) {
      const unlocked = await unlockUserKey(trx, user.id, input.password);
      keys = typeof unlocked === 'object' ? unlocked : await createUserKey(trx, user.id, input.password);
      if (unlocked === 'lost') await appendAudit(trx, { institutionId: PLATFORM_CHAIN, actorUserId: user.id, action: 'user_key.replaced', recordType: 'user', recordId: user.id, ip: input.ip, detail: { reason: 'password_reset' } });
    }
    await trx
      .insertInto('sessions')
      .values({
        id_hash: sha256Hex(sessionToken),
        user_id: user.id,
        institution_id: membership.institution_id,
        csrf_token: randomToken(24),
        mfa_pending: state !== 'active',
        expires_at: new Date(Date.now() + SESSION_MAX_MS),
        secret_key_wrapped: keys ? wrapForToken(keys.secretKey, sessionToken) : null,
      })
      .execute();
    await appendAudit(trx, { institutionId: membership.institution_id, actorUserId: user.id, action: 'login.succeeded', recordType: 'user', recordId: user.id, ip: input.ip, detail: { state } });
  });
  return { sessionToken, state };
}

export async function resolveSession(db: Db, sessionToken: string, ip: string | null): Promise<ResolvedSession | null> {
  const idHash = sha256Hex(sessionToken);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('memberships', (join) => join.onRef('memberships.user_id', '=', 'sessions.user_id').onRef('memberships.institution_id', '=', 'sessions.institution_id'))
    .innerJoin('institutions', 'institutions.id', 'sessions.institution_id')
    .select(['sessions.user_id', 'sessions.institution_id', 'sessions.csrf_token', 'sessions.mfa_pending', 'sessions.last_seen_at', 'sessions.expires_at', 'sessions.secret_key_wrapped', 'memberships.role', 'users.is_platform_admin', 'users.disabled_at', 'users.totp_enabled', 'institutions.require_mfa'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  const now = Date.now();
  if (!row || row.disabled_at || row.expires_at.getTime() < now || row.last_seen_at.getTime() + SESSION_IDLE_MS < now) return null;
  // Touch at most once a minute: a write per request would double the load of reads.
  if (now - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id_hash', '=', idHash).execute();
  }
  const state: SessionState = !row.mfa_pending ? 'active' : row.totp_enabled ? 'mfa_required' : 'mfa_enrolment_required';
  return {
    actor: { userId: row.user_id, institutionId: row.institution_id, role: row.role, isPlatformAdmin: row.is_platform_admin, ip, keys: unwrapWithToken(row.secret_key_wrapped, sessionToken) },
    csrfToken: row.csrf_token,
    state,
    sessionHash: idHash,
  };
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

export async function logout(db: Db, session: ResolvedSession): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', session.sessionHash).execute();
  await appendAudit(db, { institutionId: session.actor.institutionId, actorUserId: session.actor.userId, action: 'logout', recordType: 'user', recordId: session.actor.userId, ip: session.actor.ip });
}

export async function completeTotp(db: Db, cipher: FieldCipher, session: ResolvedSession, code: string): Promise<void> {
  if (session.state !== 'mfa_required') throw new AppError('mfa_not_pending');
  const user = await db.selectFrom('users').select(['totp_secret_enc']).where('id', '=', session.actor.userId).executeTakeFirstOrThrow();
  const ok = user.totp_secret_enc !== null && verifyTotp(cipher.decryptText(user.totp_secret_enc), code);
  await appendAudit(db, { institutionId: session.actor.institutionId, actorUserId: session.actor.userId, action: ok ? 'mfa.succeeded' : 'mfa.failed', recordType: 'user', recordId: session.actor.userId, ip: session.actor.ip });
  if (!ok) throw new AppError('mfa_invalid');
  await db.updateTable('sessions').set({ mfa_pending: false }).where('id_hash', '=', session.sessionHash).execute();
}

/** Starts enrolment: the secret is stored (encrypted) but not enforced until a first code proves it works. */
export async function beginTotpEnrolment(db: Db, cipher: FieldCipher, actor: Actor): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await db.selectFrom('users').select(['email', 'totp_enabled']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (user.totp_enabled) throw new AppError('conflict');
  const secret = newTotpSecret();
  await db.updateTable('users').set({ totp_secret_enc: cipher.encryptText(secret) }).where('id', '=', actor.userId).execute();
  return { secret, otpauthUrl: otpauthUrl(secret, user.email) };
}

export async function confirmTotpEnrolment(db: Db, cipher: FieldCipher, session: ResolvedSession, code: string): Promise<void> {
  const user = await db.selectFrom('users').select(['totp_secret_enc', 'totp_enabled']).where('id', '=', session.actor.userId).executeTakeFirstOrThrow();
  if (user.totp_enabled || !user.totp_secret_enc) throw new AppError('mfa_not_pending');
  if (!verifyTotp(cipher.decryptText(user.totp_secret_enc), code)) throw new AppError('mfa_enrolment_code_invalid');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled: true }).where('id', '=', session.actor.userId).execute();
    await trx.updateTable('sessions').set({ mfa_pending: false }).where('id_hash', '=', session.sessionHash).execute();
    await appendAudit(trx, { institutionId: session.actor.institutionId, actorUserId: session.actor.userId, action: 'mfa.enabled', recordType: 'user', recordId: session.actor.userId, ip: session.actor.ip });
  });
}

/** Whether any institution the user belongs to requires the second factor of her (src/platform/auth/policy.ts). */
export async function mfaRequiredFor(db: Db, userId: string): Promise<boolean> {
  const memberships = await db
    .selectFrom('memberships')
    .innerJoin('institutions', 'institutions.id', 'memberships.institution_id')
    .select(['memberships.role', 'institutions.require_mfa', 'institutions.complaint_handlers_mfa'])
    .where('memberships.user_id', '=', userId)
    .execute();
  return memberships.some((m) => secondFactorRequired(m.role, m));
}

/**
 * Turns the second factor off, with the password and a current code: a stolen session alone cannot
 * weaken the account. Refused while an institution of the user requires it (the next sign-in would
 * only ask for enrolment again). The secret and the recovery codes go with it.
 */
export async function disableTotp(db: Db, cipher: FieldCipher, actor: Actor, password: string, code: string): Promise<void> {
  const user = await db.selectFrom('users').select(['password_hash', 'totp_secret_enc', 'totp_enabled']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!user.totp_enabled || !user.totp_secret_enc) throw new AppError('mfa_not_pending');
  if (await mfaRequiredFor(db, actor.userId)) throw new AppError('mfa_required_by_institution');
  if (!(await verifyPassword(user.password_hash, password))) throw new AppError('current_password_invalid');
  if (!verifyTotp(cipher.decryptText(user.totp_secret_enc), code)) {
    await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'mfa.failed', recordType: 'user', recordId: actor.userId, ip: actor.ip });
    throw new AppError('mfa_invalid');
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled: false, totp_secret_enc: null }).where('id', '=', actor.userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', actor.userId).execute();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'mfa.disabled', recordType: 'user', recordId: actor.userId, ip: actor.ip });
  });
}

export async function switchInstitution(db: Db, session: ResolvedSession, institutionId: string): Promise<void> {
  const membership = await db
    .selectFrom('memberships')
    .innerJoin('institutions', 'institutions.id', 'memberships.institution_id')
    .select(['memberships.role', 'institutions.require_mfa', 'institutions.complaint_handlers_mfa'])
    .where('user_id', '=', session.actor.userId)
    .where('institution_id', '=', institutionId)
    .executeTakeFirst();
  if (!membership) throw new AppError('not_found');
  const user = await db.selectFrom('users').select('totp_enabled').where('id', '=', session.actor.userId).executeTakeFirstOrThrow();
  await db
    .updateTable('sessions')
    .set({ institution_id: institutionId, mfa_pending: secondFactorRequired(membership.role, membership) && !user.totp_enabled })
    .where('id_hash', '=', session.sessionHash)
    .execute();
  await appendAudit(db, { institutionId, actorUserId: session.actor.userId, action: 'session.institution_switched', recordType: 'user', recordId: session.actor.userId, ip: session.actor.ip, detail: { from: session.actor.institutionId } });
}

export async function changePassword(db: Db, actor: Actor, current: string, next: string): Promise<void> {
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) throw new AppError('current_password_invalid');
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', actor.userId).execute();
    // The same key pair under the new password, so that the user's grants stay valid.
    const unlocked = await unlockUserKey(trx, actor.userId, current);
    if (typeof unlocked === 'object') await rewrapUserKey(trx, actor.userId, unlocked, next);
    else if (unlocked === 'lost') await createUserKey(trx, actor.userId, next);
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'password.changed', recordType: 'user', recordId: actor.userId, ip: actor.ip });
  });
}

const TOKEN_PREFIX = 'amp_';

export async function createApiToken(db: Db, actor: Actor, input: { name: string; expiresInDays?: number | undefined }) {
  const token = TOKEN_PREFIX + randomToken();
  const row = await db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('api_tokens')
      .values({
        user_id: actor.userId,
        institution_id: actor.institutionId,
        name: input.name,
        token_hash: sha256Hex(token),
        expires_at: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
        last_used_at: null,
        revoked_at: null,
        // A token made in a session carries the user's key pair, so scripts can read what the user can.
        secret_key_wrapped: actor.keys ? wrapForToken(actor.keys.secretKey, token) : null,
      })
      .returning(['id', 'name', 'created_at', 'expires_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'api_token.created', recordType: 'api_token', recordId: created.id, ip: actor.ip });
    return created;
  });
  return { ...row, token };
}

export async function revokeApiToken(db: Db, actor: Actor, id: string): Promise<void> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', actor.userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError('not_found');
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'api_token.revoked', recordType: 'api_token', recordId: id, ip: actor.ip });
}

export async function resolveApiToken(db: Db, token: string, ip: string | null): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .innerJoin('memberships', (join) => join.onRef('memberships.user_id', '=', 'api_tokens.user_id').onRef('memberships.institution_id', '=', 'api_tokens.institution_id'))
    .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.institution_id', 'api_tokens.expires_at', 'api_tokens.revoked_at', 'api_tokens.last_used_at', 'api_tokens.secret_key_wrapped', 'memberships.role', 'users.is_platform_admin', 'users.disabled_at'])
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at || (row.expires_at && row.expires_at < new Date())) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return { userId: row.user_id, institutionId: row.institution_id, role: row.role as Role, isPlatformAdmin: row.is_platform_admin, ip, keys: unwrapWithToken(row.secret_key_wrapped, token) };
}

export { PLATFORM_CHAIN };
