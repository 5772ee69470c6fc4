import { sql, type Kysely } from 'kysely';

/**
 * The keys of one specific mark by sex and decade of birth (`w:`, reports and nameless remains) move out
 * of `missing_name_keys` into their own table that carries each record's compact profile (migration
 * 0054) in its index. The fit of a nameless comparison (age, height, timeline) is then checked on the
 * index entries themselves: before, every batch joined the key matches with `missing_match_profiles`,
 * which PostgreSQL did by hashing the whole profiles table twice (0.25 s a batch at 200,000 records).
 * A record's rows are rewritten with its keys; its profile columns are updated with its profile.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table missing_mark_keys (
      key text not null,
      side char(1) not null check (side in ('R', 'F')),
      record_id uuid not null,
      birth_lo real,
      birth_hi real,
      height_lo smallint,
      height_hi smallint,
      event_day integer,
      latest_day integer,
      primary key (key, side, record_id) include (birth_lo, birth_hi, height_lo, height_hi, event_day, latest_day)
    );
    insert into missing_mark_keys
      select k.key, k.side, k.record_id, p.birth_lo, p.birth_hi, p.height_lo, p.height_hi, p.event_day, p.latest_day
      from missing_name_keys k left join missing_match_profiles p on p.record_id = k.record_id
      where k.key like 'w:%';
    create index missing_mark_keys_record on missing_mark_keys (record_id);
    delete from missing_name_keys where key like 'w:%';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into missing_name_keys (key, side, record_id) select key, side, record_id from missing_mark_keys on conflict do nothing;
    drop table missing_mark_keys;
  `.execute(db);
}
