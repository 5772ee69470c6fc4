import { sql, type Kysely } from 'kysely';

/**
 * Cell keys for disclosure control (decision 0007, docs/statistics.md "Disclosure control").
 *
 * Every counted record (a person, a service, a case file, a complaint) has a fixed record key, 48
 * bits of md5 of its identifier; the key of a cell is the sum of the keys of the records in it,
 * modulo 2^48. Published counts are rounded to the base by a draw taken from the cell key, so the
 * same records always give the same published figure, whatever query produced the cell.
 *
 * The aggregates of 0011 keep the key sum beside each count (`ks`), maintained by the same
 * trigger functions, redefined here with it. Sums are kept modulo 2^48, so they never overflow and
 * a removal (negative delta) stays in range.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function amparo_record_key(id text) returns bigint language sql immutable parallel safe
      as $$ select ('x' || substr(md5(id), 1, 12))::bit(48)::bigint $$;
    create function amparo_key_add(a bigint, b numeric) returns bigint language sql immutable parallel safe
      as $$ select (((a + b) % 281474976710656 + 281474976710656) % 281474976710656)::bigint $$;

    alter table stat_services_monthly add column ks bigint not null default 0;
    alter table stat_people_cells add column ks bigint not null default 0;

    create or replace function stat_services_apply(rows services[], sign integer, programme_override text default null) returns void language plpgsql as $$
    declare
      emptied stat_services_monthly[];
    begin
      if coalesce(cardinality(rows), 0) = 0 then return; end if;
      with d as (
        select date_trunc('month', s.provided_on)::date as month, s.institution_id, coalesce(programme_override, c.programme) as programme, s.service_type, pi.sex,
               amparo_age_floor(amparo_age_on(pi.date_of_birth, pi.estimated_age, pi.age_estimated_on, s.provided_on)) as age_floor,
               pi.nationality, (sign * count(*))::int as n,
               amparo_key_add(0, sign * sum(amparo_record_key(s.id::text))) as ks
          from unnest(rows) s
          join stat_person_identity pi on pi.person_id = s.person_id
          join cases c on c.id = s.case_id
         group by 1, 2, 3, 4, 5, 6, 7),
      up as (
        insert into stat_services_monthly as t select * from d order by 1, 2, 3, 4, 5, 6, 7
        on conflict (month, institution_id, programme, service_type, sex, age_floor, nationality)
        do update set n = t.n + excluded.n, ks = amparo_key_add(t.ks, excluded.ks)
        returning t.*)
      select array_agg(row(up.*)::stat_services_monthly) into emptied from up where up.n = 0;
      if emptied is not null then
        delete from stat_services_monthly t using unnest(emptied) e
         where (t.month, t.institution_id, t.programme, t.service_type, t.sex, t.age_floor, t.nationality)
             = (e.month, e.institution_id, e.programme, e.service_type, e.sex, e.age_floor, e.nationality) and t.n = 0;
      end if;
    end $$;

    create or replace function stat_refresh_people(ids uuid[]) returns void language plpgsql as $$
    declare
      emptied stat_people_cells[];
    begin
      if coalesce(cardinality(ids), 0) = 0 then return; end if;
      perform pg_advisory_xact_lock(1937006964, h) from (select distinct hashtext(id::text) as h from unnest(ids) id order by 1) x;
      with gone as (delete from stat_person_period where person_id = any(ids) returning *),
      d as (
        select period_kind, period_start, institution_id, programme, sex, age_floor, nationality, -count(*)::int as n,
               amparo_key_add(0, -sum(amparo_record_key(person_id::text))) as ks
          from gone where single group by 1, 2, 3, 4, 5, 6, 7),
      up as (
        insert into stat_people_cells as t select * from d order by 1, 2, 3, 4, 5, 6, 7
        on conflict (period_kind, period_start, institution_id, programme, sex, age_floor, nationality)
        do update set n = t.n + excluded.n, ks = amparo_key_add(t.ks, excluded.ks)
        returning t.*)
      select array_agg(row(up.*)::stat_people_cells) into emptied from up where up.n = 0;

      insert into stat_person_period (period_kind, period_start, institution_id, programme, person_id, first_on, services, sex, age_floor, nationality, single)
      select k.kind, k.start, s.institution_id, c.programme, pi.root_id, min(s.provided_on), count(*), pi.sex,
             amparo_age_floor(amparo_age_on(pi.date_of_birth, pi.estimated_age, pi.age_estimated_on, min(s.provided_on))),
             pi.nationality, count(*) over (partition by k.kind, k.start, pi.root_id) = 1
        from stat_person_identity pi
        join services s on s.person_id = pi.person_id
        join cases c on c.id = s.case_id
        cross join lateral (values ('m', date_trunc('month', s.provided_on)::date),
                                   ('q', date_trunc('quarter', s.provided_on)::date),
                                   ('y', date_trunc('year', s.provided_on)::date)) k(kind, start)
       where pi.root_id = any(ids)
       group by k.kind, k.start, pi.root_id, s.institution_id, c.programme, pi.sex, pi.date_of_birth, pi.estimated_age, pi.age_estimated_on, pi.nationality;

      insert into stat_people_cells as t
      select period_kind, period_start, institution_id, programme, sex, age_floor, nationality, count(*), amparo_key_add(0, sum(amparo_record_key(person_id::text)))
        from stat_person_period where person_id = any(ids) and single group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (period_kind, period_start, institution_id, programme, sex, age_floor, nationality)
      do update set n = t.n + excluded.n, ks = amparo_key_add(t.ks, excluded.ks);

      if emptied is not null then
        delete from stat_people_cells t using unnest(emptied) e
         where (t.period_kind, t.period_start, t.institution_id, t.programme, t.sex, t.age_floor, t.nationality)
             = (e.period_kind, e.period_start, e.institution_id, e.programme, e.sex, e.age_floor, e.nationality) and t.n = 0;
      end if;
    end $$;

    create or replace function stat_rebuild() returns void language plpgsql as $$
    begin
      truncate stat_services_monthly, stat_person_period, stat_people_cells, stat_person_identity;
      insert into stat_person_identity
      select p.id, r.id, r.sex, r.date_of_birth, r.estimated_age, r.age_estimated_on, coalesce(r.nationalities[1]::text, 'ZZZ')
        from people p
        join people r on r.id = case when p.merged_into is null then p.id else amparo_person_root(p.id) end
       where exists (select 1 from services s where s.person_id = p.id);
      insert into stat_services_monthly
      select date_trunc('month', s.provided_on)::date, s.institution_id, c.programme, s.service_type, pi.sex,
             amparo_age_floor(amparo_age_on(pi.date_of_birth, pi.estimated_age, pi.age_estimated_on, s.provided_on)),
             pi.nationality, count(*), amparo_key_add(0, sum(amparo_record_key(s.id::text)))
        from services s join stat_person_identity pi on pi.person_id = s.person_id join cases c on c.id = s.case_id
       group by 1, 2, 3, 4, 5, 6, 7;
      insert into stat_person_period (period_kind, period_start, institution_id, programme, person_id, first_on, services, sex, age_floor, nationality, single)
      select k.kind, k.start, s.institution_id, c.programme, pi.root_id, min(s.provided_on), count(*), pi.sex,
             amparo_age_floor(amparo_age_on(pi.date_of_birth, pi.estimated_age, pi.age_estimated_on, min(s.provided_on))),
             pi.nationality, count(*) over (partition by k.kind, k.start, pi.root_id) = 1
        from services s
        join stat_person_identity pi on pi.person_id = s.person_id
        join cases c on c.id = s.case_id
        cross join lateral (values ('m', date_trunc('month', s.provided_on)::date),
                                   ('q', date_trunc('quarter', s.provided_on)::date),
                                   ('y', date_trunc('year', s.provided_on)::date)) k(kind, start)
       group by k.kind, k.start, pi.root_id, s.institution_id, c.programme, pi.sex, pi.date_of_birth, pi.estimated_age, pi.age_estimated_on, pi.nationality;
      insert into stat_people_cells
      select period_kind, period_start, institution_id, programme, sex, age_floor, nationality, count(*), amparo_key_add(0, sum(amparo_record_key(person_id::text)))
        from stat_person_period where single group by 1, 2, 3, 4, 5, 6, 7;
    end $$;

    -- Key sums for the cells that exist (the counts are exact already).
    update stat_services_monthly t set ks = x.ks
      from (select date_trunc('month', s.provided_on)::date as month, s.institution_id, c.programme, s.service_type, pi.sex,
                   amparo_age_floor(amparo_age_on(pi.date_of_birth, pi.estimated_age, pi.age_estimated_on, s.provided_on)) as age_floor,
                   pi.nationality, amparo_key_add(0, sum(amparo_record_key(s.id::text))) as ks
              from services s join stat_person_identity pi on pi.person_id = s.person_id join cases c on c.id = s.case_id
             group by 1, 2, 3, 4, 5, 6, 7) x
     where (t.month, t.institution_id, t.programme, t.service_type, t.sex, t.age_floor, t.nationality)
         = (x.month, x.institution_id, x.programme, x.service_type, x.sex, x.age_floor, x.nationality);
    update stat_people_cells t set ks = x.ks
      from (select period_kind, period_start, institution_id, programme, sex, age_floor, nationality, amparo_key_add(0, sum(amparo_record_key(person_id::text))) as ks
              from stat_person_period where single group by 1, 2, 3, 4, 5, 6, 7) x
     where (t.period_kind, t.period_start, t.institution_id, t.programme, t.sex, t.age_floor, t.nationality)
         = (x.period_kind, x.period_start, x.institution_id, x.programme, x.sex, x.age_floor, x.nationality);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The functions of 0011 without key sums are not restored: refuse rather than leave triggers
  // writing a column that no longer exists.
  void db;
  throw new Error('0013_disclosure_keys cannot be reverted automatically');
}
