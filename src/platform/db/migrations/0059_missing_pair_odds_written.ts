import { sql, type Kysely } from 'kysely';

/**
 * A batch of the matching queue scores each pair once, from whichever record comes later in the queue,
 * and writes the pair's odds; the earlier record's batch, running at the same time, replaces its own
 * odds. It must remove only odds that no longer reflect its record, those written before the record was
 * queued (its evidence changed then), and keep those another batch wrote meanwhile: `written_at` tells them apart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // now(): the start of the writing batch's transaction. Odds read from a record before it changed were
  // written by a batch that began before it was queued again, so they count as stale. A stable default
  // also adds the column without rewriting the table.
  await sql`alter table missing_pair_odds add column written_at timestamptz not null default now()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table missing_pair_odds drop column written_at`.execute(db);
}
