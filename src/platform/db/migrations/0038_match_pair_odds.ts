import { sql, type Kysely } from 'kysely';

/**
 * Missing-person matching scores every pair that shares a blocking key once, the same from either side
 * (issue 11). `missing_pair_odds` keeps each scored pair's log2 odds above a floor: a pair's probability
 * is its odds against the odds of every other pair of either record (namesakes share the mass), and the
 * remains' page lists the reports that fit them by these odds. The blocking keys changed (single
 * specific marks by sex and decade of birth, dates of birth, mark counts): the old keys are dropped and
 * every open record is queued, and the matching worker writes the new keys of a queued record that has
 * none before matching it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table missing_pair_odds (
      report_id uuid not null references missing_reports(id) on delete cascade,
      found_id uuid not null references found_records(id) on delete cascade,
      log_odds real not null,
      primary key (report_id, found_id)
    );
    create index missing_pair_odds_found on missing_pair_odds (found_id);
    delete from missing_name_keys;
    insert into missing_match_queue (side, record_id) select 'R', id from missing_reports where status = 'active'
      on conflict (side, record_id) do nothing;
    insert into missing_match_queue (side, record_id) select 'F', id from found_records where status = 'unidentified'
      on conflict (side, record_id) do nothing;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table missing_pair_odds`.execute(db);
}
