import { sql, type Kysely } from 'kysely';

/**
 * A record is keyed under each decade in which its person may have been born (`w:` keys), so two records
 * whose ages fit share every decade their ranges have in common, and the candidate query listed such a pair
 * once per shared decade (1.7 rows per pair and mark at 100k × 100k). `earliest_decade` marks the key of
 * the record's first decade; the query keeps the one shared key where either record's is set (the later of
 * the two first decades): one row per pair and mark. Existing rows are all set, which keeps every row, as
 * before, until the worker rewrites the keys (evidence.ts MATCH_KEY_VERSION 3). The flag is carried in the
 * primary key's index, which the query reads without visiting the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table missing_mark_keys add column earliest_decade boolean not null default true;
    alter table missing_mark_keys drop constraint missing_mark_keys_pkey;
    alter table missing_mark_keys add constraint missing_mark_keys_pkey primary key (key, side, record_id)
      include (birth_lo, birth_hi, height_lo, height_hi, event_day, latest_day, earliest_decade);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table missing_mark_keys drop constraint missing_mark_keys_pkey;
    alter table missing_mark_keys drop column earliest_decade;
    alter table missing_mark_keys add constraint missing_mark_keys_pkey primary key (key, side, record_id)
      include (birth_lo, birth_hi, height_lo, height_hi, event_day, latest_day);
  `.execute(db);
}
