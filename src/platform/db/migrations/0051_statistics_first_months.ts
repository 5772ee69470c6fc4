import { sql, type Kysely } from 'kysely';

/**
 * People attended over any range of whole months, counted by a sum (issue 11, item 6).
 *
 * A person attended in some month of [a, b] has exactly one first month in it: the month m of the
 * range in which she was attended and whose previous month with a service (`prev_month`) is before a.
 * So the number of distinct people attended in [a, b] is the number of (person, month) rows with
 * a <= month <= b and prev_month < a, a sum over a table grouped by (month, prev_month, sex, age,
 * nationality) instead of a count(distinct) over the people. The age kept is the age at the first
 * service of that month, which is the age at the first service of the range (the rule of issue 18).
 *
 * Distinctness holds at the level the previous month was computed at: `programme = '*'` over all of a
 * person's services (the whole platform, any programme), or one programme (the programme filter).
 * Tables broken down by the institution, its state or type need the person's rows and keep using
 * stat_person_period.
 *
 * Maintained from stat_person_period's month rows, by the same function that recomputes those
 * (stat_refresh_people, which every trigger calls) and by stat_rebuild().
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table stat_people_firsts (
      programme text not null,
      month date not null,
      prev_month date not null,
      sex text not null,
      age_floor smallint not null,
      nationality text not null,
      n integer not null,
      ks bigint not null default 0,
      primary key (programme, month, prev_month, sex, age_floor, nationality)
    );

    -- Adds (sign 1) or removes (sign -1) these people's first-month rows, from their month rows of
    -- stat_person_period as they are now. Upserted in key order, cells that reach 0 deleted (as
    -- stat_services_apply does).
    create function stat_firsts_apply(ids uuid[], sign integer) returns void language plpgsql as $$
    declare
      emptied stat_people_firsts[];
    begin
      with months as (
        select s.scope, p.period_start as month, p.person_id, min(p.sex) as sex, min(p.age_floor) as age_floor, min(p.nationality) as nationality
          from stat_person_period p cross join lateral (values ('*'::text), (p.programme)) s(scope)
         where p.period_kind = 'm' and p.person_id = any(ids)
         group by 1, 2, 3),
      d as (
        select scope, month, coalesce(prev, '-infinity'::date), sex, age_floor, nationality, (sign * count(*))::int,
               amparo_key_add(0, sign * sum(amparo_record_key(person_id::text)))
          from (select m.*, lag(month) over (partition by scope, person_id order by month) as prev from months m) x
         group by 1, 2, 3, 4, 5, 6),
      up as (
        insert into stat_people_firsts as t select * from d order by 1, 2, 3, 4, 5, 6
        on conflict (programme, month, prev_month, sex, age_floor, nationality)
        do update set n = t.n + excluded.n, ks = amparo_key_add(t.ks, excluded.ks)
        returning t.*)
      select array_agg(row(up.*)::stat_people_firsts) into emptied from up where up.n = 0;
      if emptied is not null then
        delete from stat_people_firsts t using unnest(emptied) e
         where (t.programme, t.month, t.prev_month, t.sex, t.age_floor, t.nationality)
             = (e.programme, e.month, e.prev_month, e.sex, e.age_floor, e.nationality) and t.n = 0;
      end if;
    end $$;

    -- The recomputation of 0013 keeps its body under another name; stat_refresh_people (the name the
    -- triggers call) takes the people's lock, takes their first months out, recomputes their rows and
    -- puts the first months back. The lock is re-entrant within the transaction.
    alter function stat_refresh_people(uuid[]) rename to stat_refresh_person_rows;
    create function stat_refresh_people(ids uuid[]) returns void language plpgsql as $$
    begin
      if coalesce(cardinality(ids), 0) = 0 then return; end if;
      perform pg_advisory_xact_lock(1937006964, h) from (select distinct hashtext(id::text) as h from unnest(ids) id order by 1) x;
      perform stat_firsts_apply(ids, -1);
      perform stat_refresh_person_rows(ids);
      perform stat_firsts_apply(ids, 1);
    end $$;

    create function stat_firsts_fill() returns void language sql as $$
      insert into stat_people_firsts
      select scope, month, coalesce(prev, '-infinity'::date), sex, age_floor, nationality, count(*), amparo_key_add(0, sum(amparo_record_key(person_id::text)))
        from (select m.*, lag(month) over (partition by scope, person_id order by month) as prev
                from (select s.scope, p.period_start as month, p.person_id, min(p.sex) as sex, min(p.age_floor) as age_floor, min(p.nationality) as nationality
                        from stat_person_period p cross join lateral (values ('*'::text), (p.programme)) s(scope)
                       where p.period_kind = 'm'
                       group by 1, 2, 3) m) x
       group by 1, 2, 3, 4, 5, 6
    $$;

    alter function stat_rebuild() rename to stat_rebuild_rows;
    create function stat_rebuild() returns void language plpgsql as $$
    begin
      perform stat_rebuild_rows();
      truncate stat_people_firsts;
      perform stat_firsts_fill();
    end $$;

    select stat_firsts_fill();
    analyze stat_people_firsts;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function stat_rebuild();
    alter function stat_rebuild_rows() rename to stat_rebuild;
    drop function stat_refresh_people(uuid[]);
    alter function stat_refresh_person_rows(uuid[]) rename to stat_refresh_people;
    drop function stat_firsts_fill();
    drop function stat_firsts_apply(uuid[], integer);
    drop table stat_people_firsts;
  `.execute(db);
}
