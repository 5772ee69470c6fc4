import { sql, type Kysely } from 'kysely';

/**
 * `attempts` was raised by the batch that took a queued record, in that batch's transaction: a batch that
 * fails rolls it back with everything else, and one that commits deletes the row. So it never counted
 * anything, and raising it wrote a new version of every row a batch took (5,000 per batch at national
 * scale) for the head of the queue to step over until the next vacuum.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table missing_match_queue drop column attempts`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table missing_match_queue add column attempts int not null default 0`.execute(db);
}
