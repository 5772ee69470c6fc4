import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { AppError } from '../errors.ts';

/**
 * Throttling by growing delays, not a lock (issue 14), for every secret people type: after
 * `freeFailures` wrong attempts for a key, the next attempt is answered only after 1 s, then 2, 4, …
 * up to `maxDelayS`; before that it is refused with 429 and Retry-After, whatever was typed. The owner
 * therefore waits at most `maxDelayS`, from anywhere, while a guesser gets about one try per
 * `maxDelayS`. Known and unknown keys are throttled alike (the state is keyed by a hash), so the
 * answers tell nothing about which accounts or folios exist; the state is in PostgreSQL, so a restart
 * does not reset it.
 *
 * Per-source limits of the public pages are elsewhere (`anonymous.ts`): a complainant's address may
 * never be stored, not even hashed.
 */
export type ThrottleRule = { scope: 'login' | 'folio'; freeFailures: number; maxDelayS: number };

/** Sign-in, per email. */
export const loginThrottle: ThrottleRule = { scope: 'login', freeFailures: 4, maxDelayS: 60 };

/** Complaint receipts and families' access codes, per folio: a low cap, so the owner is never kept out for long. */
export function folioThrottle(maxDelayS: number): ThrottleRule {
  return { scope: 'folio', freeFailures: 4, maxDelayS };
}

const keyOf = (rule: ThrottleRule, key: string) => sha256Hex(`${rule.scope}:${key.trim().toLowerCase()}`);

export function delayAfter(rule: ThrottleRule, failures: number): number {
  return failures <= rule.freeFailures ? 0 : Math.min(rule.maxDelayS, 2 ** (failures - rule.freeFailures - 1));
}

/** Seconds left before the key may be tried again (0: now). */
export async function secondsToWait(db: Db, rule: ThrottleRule, key: string, now = new Date()): Promise<number> {
  const row = await db.selectFrom('attempt_throttle').select('next_attempt_at').where('key_hash', '=', keyOf(rule, key)).executeTakeFirst();
  return row && row.next_attempt_at > now ? Math.ceil((row.next_attempt_at.getTime() - now.getTime()) / 1000) : 0;
}

/** Refuses the attempt (429, with the seconds to wait) while the key's delay runs. */
export async function assertMayAttempt(db: Db, rule: ThrottleRule, key: string, now = new Date()): Promise<void> {
  const wait = await secondsToWait(db, rule, key, now);
  if (wait > 0) throw new AppError('too_many_requests', { retry_after: wait });
}

/** Counts a failure; returns the delay decided before the next attempt, in seconds. */
export async function recordFailure(db: Db, rule: ThrottleRule, key: string, now = new Date()): Promise<number> {
  const hash = keyOf(rule, key);
  const { rows } = await sql<{ failures: number }>`
    insert into attempt_throttle (key_hash, scope, failures, next_attempt_at) values (${hash}, ${rule.scope}, 1, ${now})
    on conflict (key_hash) do update set failures = attempt_throttle.failures + 1, updated_at = now()
    returning failures`.execute(db);
  const delay = delayAfter(rule, rows[0]!.failures);
  await db.updateTable('attempt_throttle').set({ next_attempt_at: new Date(now.getTime() + delay * 1000) }).where('key_hash', '=', hash).execute();
  return delay;
}

export async function clearFailures(db: Db, rule: ThrottleRule, key: string): Promise<void> {
  await db.deleteFrom('attempt_throttle').where('key_hash', '=', keyOf(rule, key)).execute();
}

/** Which of these keys are made to wait now (the administration screen shows such accounts as held back). */
export async function throttledKeys(db: Db, rule: ThrottleRule, keys: string[], now = new Date()): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const byHash = new Map(keys.map((key) => [keyOf(rule, key), key]));
  const rows = await db.selectFrom('attempt_throttle').select('key_hash').where('key_hash', 'in', [...byHash.keys()]).where('next_attempt_at', '>', now).execute();
  return new Set(rows.map((r) => byHash.get(r.key_hash)!));
}
