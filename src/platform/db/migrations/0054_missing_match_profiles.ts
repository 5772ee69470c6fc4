import { sql, type Kysely } from 'kysely';

/**
 * Nameless remains are compared with every report that shares one specific mark and whose sex, age,
 * height and timeline fit them (issue 11, item 3). At national scale a common mark ("virgen", a missing
 * tooth) is shared by thousands of reports, so the fit is checked in SQL on this compact table before any
 * pair is loaded and scored: per record, its possible years of birth, its height range and its dates
 * (report: last seen; found record: found, and for remains the latest possible date of death); sex and
 * decade of birth are in the mark's blocking key already. The
 * matching worker writes a record's row with its blocking keys; records queued without one get it then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table missing_match_profiles (
      record_id uuid primary key,
      side char(1) not null check (side in ('R', 'F')),
      birth_lo real,
      birth_hi real,
      height_lo smallint,
      height_hi smallint,
      event_day integer,
      latest_day integer
    );
    insert into missing_match_queue (side, record_id) select 'R', id from missing_reports where status = 'active'
      on conflict (side, record_id) do nothing;
    insert into missing_match_queue (side, record_id) select 'F', id from found_records where status = 'unidentified'
      on conflict (side, record_id) do nothing;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table missing_match_profiles`.execute(db);
}
