import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { AppError } from '../errors.ts';

/**
 * Sign-in throttling by growing delays, not a lock (issue 14): after FREE_FAILURES wrong attempts for
 * an email, the next attempt is answered only after 1 s, then 2, 4, … up to MAX_DELAY_S; before that
 * it is refused with 429 and Retry-After, whatever the password. The owner of the account therefore
 * waits at most MAX_DELAY_S, from anywhere, while a guesser gets about one try a minute. Known and
 * unknown emails are throttled alike (the state is keyed by a hash of the email), so the answers tell
 * nothing about which accounts exist; the state is in PostgreSQL, so a restart does not reset it.
 */
export const FREE_FAILURES = 4;
export const MAX_DELAY_S = 60;

const keyOf = (email: string) => sha256Hex(`login:${email.trim().toLowerCase()}`);

export function delayAfter(failures: number): number {
  return failures <= FREE_FAILURES ? 0 : Math.min(MAX_DELAY_S, 2 ** (failures - FREE_FAILURES - 1));
}

/** Refuses the attempt (429, with the seconds to wait) while the email's delay runs. */
export async function assertMayAttempt(db: Db, email: string, now = new Date()): Promise<void> {
  const row = await db.selectFrom('login_throttle').select('next_attempt_at').where('key_hash', '=', keyOf(email)).executeTakeFirst();
  if (row && row.next_attempt_at > now) throw new AppError('too_many_requests', { retry_after: Math.ceil((row.next_attempt_at.getTime() - now.getTime()) / 1000) });
}

/** Counts a failure; returns the delay decided before the next attempt, in seconds. */
export async function recordFailure(db: Db, email: string, now = new Date()): Promise<number> {
  const { rows } = await sql<{ failures: number }>`
    insert into login_throttle (key_hash, failures, next_attempt_at) values (${keyOf(email)}, 1, ${now})
    on conflict (key_hash) do update set failures = login_throttle.failures + 1, updated_at = now()
    returning failures`.execute(db);
  const delay = delayAfter(rows[0]!.failures);
  await db.updateTable('login_throttle').set({ next_attempt_at: new Date(now.getTime() + delay * 1000) }).where('key_hash', '=', keyOf(email)).execute();
  return delay;
}

export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key_hash', '=', keyOf(email)).execute();
}

/** Which of these emails are made to wait now (the administration screen shows them as held back). */
export async function throttledEmails(db: Db, emails: string[], now = new Date()): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const byKey = new Map(emails.map((email) => [keyOf(email), email]));
  const rows = await db.selectFrom('login_throttle').select('key_hash').where('key_hash', 'in', [...byKey.keys()]).where('next_attempt_at', '>', now).execute();
  return new Set(rows.map((r) => byKey.get(r.key_hash)!));
}
