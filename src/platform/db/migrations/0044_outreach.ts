import { sql, type Kysely } from 'kysely';

// Outreach events (src/outreach, docs/outreach.md): what a consulate or another unit records of its
// workshops, fairs, mobile consulates and information sessions, with the attendance counted by sex and
// age band (aggregate: nobody is named) and, optionally, the people it wants to follow up.
//
// The outreach_events of migration 0005 was written only by the statistics seed scenario (no screen,
// no route, no import ever wrote it), so it is dropped here rather than converted; its rows had no
// place or topic to convert to. An event is never deleted: a deletion is recorded (who, when, why) and
// the event leaves lists and statistics.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table outreach_events;

    create table outreach_events (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      programme text not null check (length(programme) <= 40),
      kind text not null check (kind in ('talk','workshop','fair','campaign','mobile_consulate','information_session','other')),
      topic text not null check (length(topic) <= 40),
      title text not null check (length(title) between 1 and 200),
      held_on date not null,
      country char(3) not null,
      state_code char(2),
      municipality_code char(5),
      city text check (length(city) between 1 and 120),
      venue text check (length(venue) between 1 and 200),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      deleted_by uuid references users(id),
      deleted_at timestamptz,
      deletion_reason text check (length(deletion_reason) between 1 and 500),
      -- In Mexico the place is a state (and a municipality of it); abroad, a city.
      check ((country = 'MEX') = (state_code is not null)),
      check (country = 'MEX' or (city is not null and municipality_code is null)),
      check (municipality_code is null or left(municipality_code, 2) = state_code),
      check ((deleted_at is null) = (deletion_reason is null))
    );
    create index outreach_events_institution on outreach_events (institution_id, held_on) where deleted_at is null;
    create index outreach_events_held_on on outreach_events (held_on) where deleted_at is null;

    create table outreach_attendance (
      event_id uuid not null references outreach_events(id),
      institution_id uuid not null references institutions(id),
      sex text not null check (sex in ('female','male','intersex','unknown')),
      age_band text not null check (age_band in ('0-11','12-17','18-29','30-59','60+','unknown')),
      attendees integer not null check (attendees between 1 and 1000000),
      primary key (event_id, sex, age_band)
    );

    create table outreach_attendees (
      id uuid primary key default gen_random_uuid(),
      event_id uuid not null references outreach_events(id),
      person_id uuid not null references people(id),
      institution_id uuid not null references institutions(id),
      added_by uuid references users(id),
      added_at timestamptz not null default now(),
      unique (event_id, person_id)
    );
    create index outreach_attendees_person on outreach_attendees (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table outreach_attendees, outreach_attendance, outreach_events;
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
  `.execute(db);
}
