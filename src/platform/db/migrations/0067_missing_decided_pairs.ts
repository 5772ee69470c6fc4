import { sql, type Kysely } from 'kysely';

/**
 * The decision at the end of an import (matching.ts decideMarked) worded and wrote its 39,000 proposals
 * itself, one chunk after another, while every other worker had nothing left to do: 12 of the 112 seconds
 * of a 100k × 100k run, with one core idle (bench/RESULTS.md, session 19). The decision now only computes
 * the probabilities (SQL) and leaves the pairs to propose here; any worker then words and writes them a
 * chunk at a time (`for update skip locked`), in parallel. No foreign keys, as for the odds: a pair whose
 * record is gone or closed is dropped when it is worded. Distributed, like the odds, by report.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table missing_decided_pairs (
      report_id uuid not null,
      found_id uuid not null,
      probability double precision not null,
      decided_at timestamptz not null default now(),
      primary key (report_id, found_id)
    );
    create index missing_decided_pairs_found on missing_decided_pairs (found_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table missing_decided_pairs`.execute(db);
}
