import { sql, type Kysely } from 'kysely';

/**
 * At the end of a national import one transaction decides every marked record's pairs, holding the
 * decision lock while the other workers have nothing left to do: at 100k × 100k it spent 6.3 s loading
 * the 39,020 proposed pairs' records again and scoring them with words, and 9.6 s sending their words
 * back to PostgreSQL. A batch that scores a pair whose own probability reaches the review threshold (only
 * those can be proposed: competition lowers it) now keeps the pair's words, weight and evidence with its
 * odds, in parallel with the other batches, and the decision copies them into match_candidates in SQL.
 * Null for the other pairs, and for odds written before this migration: those are worded as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table missing_pair_odds
      add column weight double precision,
      add column explanation jsonb,
      add column evidence text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table missing_pair_odds drop column weight, drop column explanation, drop column evidence`.execute(db);
}
