import { sql, type Kysely } from 'kysely';

/**
 * A queued record's place in the queue is a stamp drawn from a sequence when it is queued (one per
 * queuing transaction's call, like its time before), and its blocking keys carry the same stamp. A batch
 * scores each pair once, by whichever record comes later in the queue; with the stamp in the keys' index
 * it reads, for each of its keys, only the other side's rows stamped up to its own latest record, instead
 * of every row and then dropping those of records queued after it (half of all key rows read in a
 * national import; matching.ts `candidateIds`, bench/RESULTS.md session 17). Queuing holds a shared lock
 * from its stamp to its commit, and a batch waits until no queuing transaction holds it, so a batch never
 * misses a record stamped before its own (matching.ts `awaitEarlierQueuing`).
 *
 * Existing queue rows get stamps in their order (one per queuing time), their records' keys the same;
 * the keys of records no longer queued keep 0.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create sequence missing_match_stamp;
    alter table missing_match_queue add column stamp bigint;
    update missing_match_queue q set stamp = s.stamp
      from (select side, record_id, dense_rank() over (order by enqueued_at) as stamp from missing_match_queue) s
      where s.side = q.side and s.record_id = q.record_id;
    select setval('missing_match_stamp', coalesce((select max(stamp) from missing_match_queue), 0) + 1, false);
    alter table missing_match_queue alter column stamp set default nextval('missing_match_stamp');
    alter table missing_match_queue alter column stamp set not null;
    drop index missing_match_queue_order;
    create index missing_match_queue_order on missing_match_queue (stamp, side, record_id);

    alter table missing_name_keys add column stamp bigint not null default 0;
    update missing_name_keys k set stamp = q.stamp from missing_match_queue q where q.side = k.side and q.record_id = k.record_id;
    alter table missing_name_keys drop constraint missing_name_keys_pkey;
    alter table missing_name_keys add constraint missing_name_keys_pkey primary key (key, side, stamp, record_id);

    alter table missing_mark_keys add column stamp bigint not null default 0;
    update missing_mark_keys k set stamp = q.stamp from missing_match_queue q where q.side = k.side and q.record_id = k.record_id;
    alter table missing_mark_keys drop constraint missing_mark_keys_pkey;
    alter table missing_mark_keys add constraint missing_mark_keys_pkey primary key (key, side, stamp, record_id)
      include (birth_lo, birth_hi, height_lo, height_hi, event_day, latest_day, earliest_decade);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table missing_mark_keys drop constraint missing_mark_keys_pkey;
    alter table missing_mark_keys drop column stamp;
    alter table missing_mark_keys add constraint missing_mark_keys_pkey primary key (key, side, record_id)
      include (birth_lo, birth_hi, height_lo, height_hi, event_day, latest_day, earliest_decade);
    alter table missing_name_keys drop constraint missing_name_keys_pkey;
    alter table missing_name_keys drop column stamp;
    alter table missing_name_keys add constraint missing_name_keys_pkey primary key (key, side, record_id);
    drop index missing_match_queue_order;
    alter table missing_match_queue drop column stamp;
    create index missing_match_queue_order on missing_match_queue (enqueued_at, side, record_id);
    drop sequence missing_match_stamp;
  `.execute(db);
}
