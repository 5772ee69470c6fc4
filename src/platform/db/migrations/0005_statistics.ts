import { sql, type Kysely } from 'kysely';

/**
 * Statistics: the records the seed's programmes count that the case tables cannot hold (outreach
 * events with attendance, family reunifications), and two aggregate tables kept up to date by
 * statement-level triggers, so that a year of ten million services is summed, not scanned:
 *
 * - stat_services_monthly: services per (month, institution, programme, service type, sex, age floor,
 *   first nationality). Age is the person's age on the day of the service, floored to a cut point.
 * - stat_person_period: one row per (month | quarter | year, institution, programme, person), with the
 *   first service day in that bucket and the person's sex, nationality and age floor on that day.
 *   Distinct people in an aligned period are count(distinct person_id) over far fewer rows.
 *
 * The age cut points below must equal AGE_CUT_POINTS in src/statistics/dimensions.ts (a test checks).
 */
const CUTS = [80, 75, 70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 18, 15, 12, 10, 5, 1, 0];

export async function up(db: Kysely<unknown>): Promise<void> {
  const floorCase = CUTS.map((c) => `when a >= ${c} then ${c}`).join(' ');
  await sql
    .raw(
      `
    create table outreach_events (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      programme text not null,
      held_on date not null,
      kind text not null check (kind in ('talk','workshop','fair','campaign','mobile_consulate','other')),
      attendees_total integer not null check (attendees_total >= 0),
      attendees_women integer check (attendees_women >= 0),
      attendees_men integer check (attendees_men >= 0),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (coalesce(attendees_women, 0) + coalesce(attendees_men, 0) <= attendees_total)
    );
    create index outreach_events_institution on outreach_events (institution_id, held_on);
    create index outreach_events_held_on on outreach_events (held_on);

    create table reunifications (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      person_id uuid not null references people(id),
      reunified_on date not null,
      relationship text check (length(relationship) <= 100),
      country char(3),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (case_id, person_id)
    );
    create index reunifications_institution on reunifications (institution_id, reunified_on);

    create index services_person_day on services (person_id, provided_on);
    create index services_provided_on on services (provided_on);
    create index cases_opened_on on cases (opened_on);

    create function amparo_age_on(dob date, est_age smallint, est_on date, on_date date) returns smallint
      language sql immutable parallel safe as $$
        select case when dob is not null then extract(year from age(on_date, dob))::smallint
                    when est_age is not null then (est_age + extract(year from age(on_date, est_on)))::smallint
                    else null end $$;

    create function amparo_age_floor(a smallint) returns smallint
      language sql immutable parallel safe as $$
        select (case when a is null or a < 0 then -1 ${floorCase} end)::smallint $$;

    create table stat_services_monthly (
      month date not null,
      institution_id uuid not null,
      programme text not null,
      service_type text not null,
      sex text not null,
      age_floor smallint not null,
      nationality text not null,
      n integer not null,
      primary key (month, institution_id, programme, service_type, sex, age_floor, nationality)
    );

    create table stat_person_period (
      period_kind char(1) not null check (period_kind in ('m','q','y')),
      period_start date not null,
      institution_id uuid not null,
      programme text not null,
      person_id uuid not null,
      first_on date not null,
      services integer not null,
      sex text not null,
      age_floor smallint not null,
      nationality text not null,
      primary key (period_kind, period_start, institution_id, programme, person_id)
    );
    create index stat_person_period_person on stat_person_period (person_id);

    -- Recomputes every bucket row of these people from their services (a handful of rows each).
    create function stat_refresh_people(ids uuid[]) returns void language sql as $$
      delete from stat_person_period where person_id = any(ids);
      insert into stat_person_period (period_kind, period_start, institution_id, programme, person_id, first_on, services, sex, age_floor, nationality)
      select k.kind, k.start, s.institution_id, c.programme, s.person_id, min(s.provided_on), count(*), p.sex,
             amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, min(s.provided_on))),
             coalesce(p.nationalities[1]::text, 'ZZZ')
        from services s
        join people p on p.id = s.person_id
        join cases c on c.id = s.case_id
        cross join lateral (values ('m', date_trunc('month', s.provided_on)::date),
                                   ('q', date_trunc('quarter', s.provided_on)::date),
                                   ('y', date_trunc('year', s.provided_on)::date)) k(kind, start)
       where s.person_id = any(ids)
       group by k.kind, k.start, s.institution_id, c.programme, s.person_id, p.id;
    $$;

    -- Rebuilds both aggregates from the raw records (after a bulk load with triggers off, or to repair).
    create function stat_rebuild() returns void language plpgsql as $$
    begin
      truncate stat_services_monthly, stat_person_period;
      insert into stat_services_monthly
      select date_trunc('month', s.provided_on)::date, s.institution_id, c.programme, s.service_type, p.sex,
             amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, s.provided_on)),
             coalesce(p.nationalities[1]::text, 'ZZZ'), count(*)
        from services s join people p on p.id = s.person_id join cases c on c.id = s.case_id
       group by 1, 2, 3, 4, 5, 6, 7;
      insert into stat_person_period (period_kind, period_start, institution_id, programme, person_id, first_on, services, sex, age_floor, nationality)
      select k.kind, k.start, s.institution_id, c.programme, s.person_id, min(s.provided_on), count(*), p.sex,
             amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, min(s.provided_on))),
             coalesce(p.nationalities[1]::text, 'ZZZ')
        from services s
        join people p on p.id = s.person_id
        join cases c on c.id = s.case_id
        cross join lateral (values ('m', date_trunc('month', s.provided_on)::date),
                                   ('q', date_trunc('quarter', s.provided_on)::date),
                                   ('y', date_trunc('year', s.provided_on)::date)) k(kind, start)
       group by k.kind, k.start, s.institution_id, c.programme, s.person_id, p.id;
    end $$;

    create function stat_services_inserted() returns trigger language plpgsql as $$
    begin
      insert into stat_services_monthly as t
      select date_trunc('month', s.provided_on)::date, s.institution_id, c.programme, s.service_type, p.sex,
             amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, s.provided_on)),
             coalesce(p.nationalities[1]::text, 'ZZZ'), count(*)
        from new_rows s join people p on p.id = s.person_id join cases c on c.id = s.case_id
       group by 1, 2, 3, 4, 5, 6, 7
      on conflict (month, institution_id, programme, service_type, sex, age_floor, nationality) do update set n = t.n + excluded.n;
      perform stat_refresh_people(array(select distinct person_id from new_rows));
      return null;
    end $$;

    create function stat_services_deleted() returns trigger language plpgsql as $$
    begin
      insert into stat_services_monthly as t
      select date_trunc('month', s.provided_on)::date, s.institution_id, c.programme, s.service_type, p.sex,
             amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, s.provided_on)),
             coalesce(p.nationalities[1]::text, 'ZZZ'), -count(*)
        from old_rows s join people p on p.id = s.person_id join cases c on c.id = s.case_id
       group by 1, 2, 3, 4, 5, 6, 7
      on conflict (month, institution_id, programme, service_type, sex, age_floor, nationality) do update set n = t.n + excluded.n;
      delete from stat_services_monthly where n = 0 and month in (select distinct date_trunc('month', provided_on)::date from old_rows);
      perform stat_refresh_people(array(select distinct person_id from old_rows));
      return null;
    end $$;

    create function stat_services_updated() returns trigger language plpgsql as $$
    begin
      insert into stat_services_monthly as t
      select month, institution_id, programme, service_type, sex, age_floor, nationality, sum(n) from (
        select date_trunc('month', s.provided_on)::date as month, s.institution_id, c.programme, s.service_type, p.sex,
               amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, s.provided_on)) as age_floor,
               coalesce(p.nationalities[1]::text, 'ZZZ') as nationality, -1 as n
          from old_rows s join people p on p.id = s.person_id join cases c on c.id = s.case_id
        union all
        select date_trunc('month', s.provided_on)::date, s.institution_id, c.programme, s.service_type, p.sex,
               amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, s.provided_on)),
               coalesce(p.nationalities[1]::text, 'ZZZ'), 1
          from new_rows s join people p on p.id = s.person_id join cases c on c.id = s.case_id
      ) d group by 1, 2, 3, 4, 5, 6, 7
      on conflict (month, institution_id, programme, service_type, sex, age_floor, nationality) do update set n = t.n + excluded.n;
      delete from stat_services_monthly where n = 0 and month in (
        select date_trunc('month', provided_on)::date from old_rows union select date_trunc('month', provided_on)::date from new_rows);
      perform stat_refresh_people(array(select person_id from old_rows union select person_id from new_rows));
      return null;
    end $$;

    create trigger stat_services_ins after insert on services referencing new table as new_rows
      for each statement execute function stat_services_inserted();
    create trigger stat_services_del after delete on services referencing old table as old_rows
      for each statement execute function stat_services_deleted();
    create trigger stat_services_upd after update on services referencing old table as old_rows new table as new_rows
      for each statement execute function stat_services_updated();

    -- A person's sex, age or nationality changed: move their services to the new cells.
    create function stat_person_changed() returns trigger language plpgsql as $$
    begin
      insert into stat_services_monthly as t
      select month, institution_id, programme, service_type, sex, age_floor, nationality, sum(n) from (
        select date_trunc('month', s.provided_on)::date as month, s.institution_id, c.programme, s.service_type, old.sex as sex,
               amparo_age_floor(amparo_age_on(old.date_of_birth, old.estimated_age, old.age_estimated_on, s.provided_on)) as age_floor,
               coalesce(old.nationalities[1]::text, 'ZZZ') as nationality, -1 as n
          from services s join cases c on c.id = s.case_id where s.person_id = old.id
        union all
        select date_trunc('month', s.provided_on)::date, s.institution_id, c.programme, s.service_type, new.sex,
               amparo_age_floor(amparo_age_on(new.date_of_birth, new.estimated_age, new.age_estimated_on, s.provided_on)),
               coalesce(new.nationalities[1]::text, 'ZZZ'), 1
          from services s join cases c on c.id = s.case_id where s.person_id = new.id
      ) d group by 1, 2, 3, 4, 5, 6, 7
      on conflict (month, institution_id, programme, service_type, sex, age_floor, nationality) do update set n = t.n + excluded.n;
      delete from stat_services_monthly where n = 0 and month in (select date_trunc('month', provided_on)::date from services where person_id = new.id);
      perform stat_refresh_people(array[new.id]);
      return null;
    end $$;
    create trigger stat_people_upd after update of sex, date_of_birth, estimated_age, age_estimated_on, nationalities on people
      for each row when ((old.sex, old.date_of_birth, old.estimated_age, old.age_estimated_on, old.nationalities)
                         is distinct from (new.sex, new.date_of_birth, new.estimated_age, new.age_estimated_on, new.nationalities))
      execute function stat_person_changed();

    -- A case file moved to another programme: its services move with it.
    create function stat_case_changed() returns trigger language plpgsql as $$
    begin
      insert into stat_services_monthly as t
      select month, institution_id, programme, service_type, sex, age_floor, nationality, sum(n) from (
        select date_trunc('month', s.provided_on)::date as month, s.institution_id, p2.programme, s.service_type, p.sex,
               amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, s.provided_on)) as age_floor,
               coalesce(p.nationalities[1]::text, 'ZZZ') as nationality, p2.sign as n
          from services s join people p on p.id = s.person_id
          cross join (values (old.programme, -1), (new.programme, 1)) p2(programme, sign)
         where s.case_id = new.id
      ) d group by 1, 2, 3, 4, 5, 6, 7
      on conflict (month, institution_id, programme, service_type, sex, age_floor, nationality) do update set n = t.n + excluded.n;
      delete from stat_services_monthly where n = 0 and programme = old.programme;
      perform stat_refresh_people(array(select distinct person_id from services where case_id = new.id));
      return null;
    end $$;
    create trigger stat_cases_upd after update of programme on cases
      for each row when (old.programme is distinct from new.programme) execute function stat_case_changed();
  `,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger stat_cases_upd on cases;
    drop trigger stat_people_upd on people;
    drop trigger stat_services_ins on services;
    drop trigger stat_services_del on services;
    drop trigger stat_services_upd on services;
    drop function stat_case_changed, stat_person_changed, stat_services_inserted, stat_services_deleted, stat_services_updated, stat_rebuild, stat_refresh_people;
    drop table stat_person_period, stat_services_monthly, reunifications, outreach_events;
    drop function amparo_age_floor, amparo_age_on;
    drop index services_person_day, services_provided_on, cases_opened_on;
  `.execute(db);
}
