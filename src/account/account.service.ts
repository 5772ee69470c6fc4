import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../platform/crypto/sha256.ts';
import type { Db } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import { hashPassword, verifyPassword } from '../platform/auth/passwords.ts';
import { mfaRequiredFor, type ResolvedSession } from '../platform/auth/auth.service.ts';
import type { Actor } from '../platform/auth/policy.ts';

const RECOVERY_CODES = 10;
const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A session's public reference: derived from the stored hash, so neither the token nor its hash leaves the server. */
const sessionRef = (idHash: string) => sha256Hex(`session-ref:${idHash}`).slice(0, 24);

/** The user's sessions still valid: when each began and was last used, which one is this. Nothing about the connection is stored. */
export async function listSessions(db: Db, session: ResolvedSession) {
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('institutions', 'institutions.id', 'sessions.institution_id')
    .select(['sessions.id_hash', 'sessions.created_at', 'sessions.last_seen_at', 'sessions.expires_at', 'sessions.mfa_pending', 'institutions.name as institution'])
    .where('sessions.user_id', '=', session.actor.userId)
    .where('sessions.expires_at', '>', new Date())
    .orderBy('sessions.last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: sessionRef(r.id_hash), created_at: r.created_at, last_seen_at: r.last_seen_at, expires_at: r.expires_at, institution: r.institution, verified: !r.mfa_pending, current: r.id_hash === session.sessionHash }));
}

/** Ends one of the user's sessions (this one too, which signs out), or every other one. */
export async function revokeSessions(db: Db, session: ResolvedSession, which: { id: string } | { others: true }): Promise<number> {
  const rows = await db.selectFrom('sessions').select('id_hash').where('user_id', '=', session.actor.userId).execute();
  const targets = rows.map((r) => r.id_hash).filter((h) => ('others' in which ? h !== session.sessionHash : sessionRef(h) === which.id));
  if (!targets.length) {
    if ('others' in which) return 0;
    throw new AppError('session_not_found');
  }
  await db.deleteFrom('sessions').where('user_id', '=', session.actor.userId).where('id_hash', 'in', targets).execute();
  await appendAudit(db, { institutionId: session.actor.institutionId, actorUserId: session.actor.userId, action: 'session.revoked', recordType: 'user', recordId: session.actor.userId, ip: session.actor.ip, detail: { sessions: targets.length, others: 'others' in which } });
  return targets.length;
}

export async function setLanguage(db: Db, actor: Actor, language: 'es' | 'en'): Promise<void> {
  await db.updateTable('users').set({ preferred_language: language }).where('id', '=', actor.userId).execute();
}

/** What the account screen says about the second factor: on or off, whether it may be turned off, codes left. */
export async function secondFactorStatus(db: Db, actor: Actor) {
  const user = await db.selectFrom('users').select('totp_enabled').where('id', '=', actor.userId).executeTakeFirstOrThrow();
  const remaining = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', actor.userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return { enabled: user.totp_enabled, required_by_institution: await mfaRequiredFor(db, actor.userId), recovery_codes_remaining: Number(remaining.n) };
}

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => BASE32[b % 32]!).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normaliseCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Ten new recovery codes, shown once: each signs in once in place of the authenticator's code. The
 * earlier unused codes stop working. Only with the second factor on.
 */
export async function createRecoveryCodes(db: Db, actor: Actor): Promise<string[]> {
  const user = await db.selectFrom('users').select('totp_enabled').where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!user.totp_enabled) throw new AppError('recovery_codes_need_mfa');
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((c) => hashPassword(normaliseCode(c))));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recovery_codes').where('user_id', '=', actor.userId).where('used_at', 'is', null).execute();
    await trx.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ user_id: actor.userId, code_hash }))).execute();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'mfa.recovery_codes_created', recordType: 'user', recordId: actor.userId, ip: actor.ip });
  });
  return codes;
}

/** Completes a sign-in that waits for the second factor with a recovery code (used up). */
export async function signInWithRecoveryCode(db: Db, session: ResolvedSession, code: string): Promise<{ remaining: number }> {
  if (session.state !== 'mfa_required') throw new AppError('mfa_not_pending');
  const unused = await db.selectFrom('recovery_codes').select(['id', 'code_hash']).where('user_id', '=', session.actor.userId).where('used_at', 'is', null).execute();
  let match: string | null = null;
  for (const row of unused) if (!match && (await verifyPassword(row.code_hash, normaliseCode(code)))) match = row.id;
  await appendAudit(db, { institutionId: session.actor.institutionId, actorUserId: session.actor.userId, action: match ? 'mfa.recovery_code_used' : 'mfa.failed', recordType: 'user', recordId: session.actor.userId, ip: session.actor.ip });
  if (!match) throw new AppError('recovery_code_invalid');
  // Used at most once even if two requests race: the update only takes an unused code.
  const used = await db.updateTable('recovery_codes').set({ used_at: new Date() }).where('id', '=', match).where('used_at', 'is', null).returning('id').executeTakeFirst();
  if (!used) throw new AppError('recovery_code_invalid');
  await db.updateTable('sessions').set({ mfa_pending: false }).where('id_hash', '=', session.sessionHash).execute();
  return { remaining: unused.length - 1 };
}
