import { sql, type Kysely } from 'kysely';

/**
 * Missing-person matching keys are versioned (evidence.ts MATCH_KEY_VERSION; version 2 adds keys that one
 * typo in an unknown name word does not break). The version the stored keys were written with is kept
 * here; the matching worker rewrites every open record's keys and queues it before it matches anything
 * when this is older than its code (matching.ts ensureCurrentKeys). Dropping the keys here instead and
 * letting each batch write its own records' keys lost pairs: a batch running beside an earlier record's
 * batch did not yet see that record's keys, and the earlier batch leaves later records to their own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table missing_settings add column match_key_version integer not null default 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table missing_settings drop column match_key_version`.execute(db);
}
