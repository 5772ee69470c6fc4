import { sql, type Kysely } from 'kysely';

/**
 * A name key carries the day its record's timeline is compared on (a report: the day the person was last
 * seen; a found record: the latest day they can have been found or died), in the key index itself. A
 * found record whose latest day is before the report's last-seen day is impossible for that report
 * (evidence.ts compareTimeline), and nearly half the named pairs that share a name key in a national
 * import are such pairs: the candidate query now leaves them out on the index rows instead of sending
 * them to be scored and dropped (matching.ts `candidateIds`, bench/RESULTS.md session 18). A shared
 * identity document still brings the pair (its `d:` key is not filtered).
 *
 * Existing keys get the day from their record's profile; a key without one stays unfiltered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table missing_name_keys add column timeline_day int4;
    update missing_name_keys k set timeline_day = case when k.side = 'R' then p.event_day else p.latest_day end
      from missing_match_profiles p where p.record_id = k.record_id and p.side = k.side;
    alter table missing_name_keys drop constraint missing_name_keys_pkey;
    alter table missing_name_keys add constraint missing_name_keys_pkey primary key (key, side, stamp, record_id) include (timeline_day);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table missing_name_keys drop constraint missing_name_keys_pkey;
    alter table missing_name_keys drop column timeline_day;
    alter table missing_name_keys add constraint missing_name_keys_pkey primary key (key, side, stamp, record_id);
  `.execute(db);
}
