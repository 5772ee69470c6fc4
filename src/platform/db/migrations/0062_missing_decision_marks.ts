import { sql, type Kysely } from 'kysely';

/**
 * A pair's probability depends on every other pair of its report and of its found record, so each
 * matching batch re-decided all pairs of every record it touched: during a national import the same
 * found record's pairs were re-decided in batch after batch (151,602 candidate rows written for 39,020
 * kept at 100k × 100k), in the section batches take in turn. Batches now mark the records whose odds
 * changed here, and the pairs of marked records are decided once the queue has nothing left to take
 * (or a mark has waited five minutes), from the odds as they then are: the same decisions, made once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table missing_decision_marks (
      side char(1) not null check (side in ('R', 'F')),
      record_id uuid not null,
      marked_at timestamptz not null default now(),
      primary key (record_id, side)
    );
    create index missing_decision_marks_marked_at on missing_decision_marks (marked_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table missing_decision_marks`.execute(db);
}
