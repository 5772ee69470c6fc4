import { sql, type Kysely } from 'kysely';

// The search for missing migrants (src/missing, docs/missing.md): reports of the missing, records of
// persons found alive and of remains, the name keys that block them for matching, the queue of records
// waiting to be matched, the candidate pairs under review, messages with the family, notifications.
//
// Reports and found records belong to an institution (distribution key institution_id, decision 0002),
// but matching crosses institutions: a consulate's report meets a forensic service's record. The keys
// table is global and would be distributed by `key`. Candidate pairs carry both institutions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table memberships drop constraint memberships_role_check;
    alter table memberships add constraint memberships_role_check
      check (role in ('administrator','supervisor','caseworker','analyst','auditor','complaint_handler','search_officer'));

    create table missing_reports (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      folio text not null unique,
      receipt_hash text,
      external_id text,
      channel text not null check (channel in ('in_person','phone','consulate','public_web','import')),
      status text not null default 'active' check (status in ('active','located_alive','located_deceased','closed')),
      given_names text,
      surname1 text,
      surname2 text,
      other_names text[] not null default '{}',
      sex text not null check (sex in ('female','male','intersex','unknown')),
      date_of_birth date,
      age_min smallint check (age_min between 0 and 120),
      age_max smallint check (age_max between 0 and 120),
      age_on date,
      nationalities char(3)[] not null default '{}',
      languages text[] not null default '{}',
      height_min_cm smallint check (height_min_cm between 40 and 230),
      height_max_cm smallint check (height_max_cm between 40 and 230),
      build text,
      hair text,
      eyes text,
      marks text,
      clothing text,
      dental_notes_enc text,
      documents_enc text,
      document_keys text[] not null default '{}',
      last_seen_on date,
      last_seen_country char(3),
      last_seen_state char(2),
      last_seen_place text,
      route text,
      circumstance_enc text,
      reporter_name_enc text,
      reporter_relationship text,
      reporter_contact_enc text,
      reporter_country char(3),
      dna_reference_taken boolean not null default false,
      dna_custodian text,
      located_found_id uuid,
      located_person_id uuid,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (institution_id, external_id),
      check (age_min is null or age_max is null or age_min <= age_max),
      check (height_min_cm is null or height_max_cm is null or height_min_cm <= height_max_cm)
    );
    create index missing_reports_list on missing_reports (institution_id, status, last_seen_state, last_seen_on desc);

    create table found_records (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      folio text not null unique,
      external_id text,
      condition text not null check (condition in ('alive','deceased')),
      situation text not null check (situation in ('rescued','shelter','hospital','migration_station','remains','other')),
      status text not null default 'unidentified' check (status in ('unidentified','identified','closed')),
      given_names text,
      surname1 text,
      surname2 text,
      other_names text[] not null default '{}',
      sex text not null check (sex in ('female','male','intersex','unknown')),
      date_of_birth date,
      age_min smallint check (age_min between 0 and 120),
      age_max smallint check (age_max between 0 and 120),
      nationalities char(3)[] not null default '{}',
      languages text[] not null default '{}',
      height_min_cm smallint check (height_min_cm between 40 and 230),
      height_max_cm smallint check (height_max_cm between 40 and 230),
      build text,
      hair text,
      eyes text,
      marks text,
      clothing text,
      effects text,
      documents_enc text,
      document_keys text[] not null default '{}',
      found_on date not null,
      found_country char(3) not null default 'MEX',
      found_state char(2),
      found_place text,
      death_from date,
      death_to date,
      custodian_name text,
      custodian_file_number text,
      notes_enc text,
      identified_report_id uuid references missing_reports(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (institution_id, external_id),
      check (age_min is null or age_max is null or age_min <= age_max),
      check (height_min_cm is null or height_max_cm is null or height_min_cm <= height_max_cm),
      check (death_from is null or death_to is null or death_from <= death_to)
    );
    create index found_records_list on found_records (institution_id, status, found_state, found_on desc);
    alter table missing_reports add constraint missing_reports_located_found foreign key (located_found_id) references found_records(id);
    alter table missing_reports add constraint missing_reports_located_person foreign key (located_person_id) references people(id);

    create table missing_name_keys (
      key text not null,
      side char(1) not null check (side in ('R','F')),
      record_id uuid not null,
      primary key (key, side, record_id)
    );
    create index missing_name_keys_record on missing_name_keys (record_id);

    -- A record waits here until it has been matched; the row is deleted in the same transaction that
    -- writes its candidates, so a crash leaves it queued and nothing half-done.
    create table missing_match_queue (
      side char(1) not null check (side in ('R','F')),
      record_id uuid not null,
      enqueued_at timestamptz not null default now(),
      attempts int not null default 0,
      primary key (side, record_id)
    );

    create table match_candidates (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references missing_reports(id) on delete cascade,
      found_id uuid references found_records(id) on delete cascade,
      person_id uuid references people(id) on delete cascade,
      report_institution_id uuid not null references institutions(id),
      other_institution_id uuid not null references institutions(id),
      probability double precision not null,
      weight double precision not null,
      explanation jsonb not null,
      evidence text not null,
      status text not null default 'proposed' check (status in ('proposed','confirmed','rejected','superseded')),
      times_proposed int not null default 1,
      proposed_at timestamptz not null default now(),
      reviewed_by uuid references users(id),
      reviewed_at timestamptz,
      review_note_enc text,
      check (num_nonnulls(found_id, person_id) = 1)
    );
    create unique index match_candidates_found_pair on match_candidates (report_id, found_id) where found_id is not null;
    create unique index match_candidates_person_pair on match_candidates (report_id, person_id) where person_id is not null;
    create index match_candidates_queue_report on match_candidates (report_institution_id, status, probability desc);
    create index match_candidates_queue_other on match_candidates (other_institution_id, status, probability desc);
    create index match_candidates_found on match_candidates (found_id);

    create table missing_messages (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references missing_reports(id) on delete cascade,
      institution_id uuid not null references institutions(id),
      author text not null check (author in ('officer','family')),
      author_user_id uuid references users(id),
      body_enc text not null,
      created_at timestamptz not null default now()
    );
    create index missing_messages_report on missing_messages (report_id, created_at);

    create table missing_events (
      id bigserial primary key,
      institution_id uuid not null references institutions(id),
      report_id uuid references missing_reports(id) on delete cascade,
      found_id uuid references found_records(id) on delete cascade,
      kind text not null,
      detail jsonb not null default '{}',
      actor_user_id uuid references users(id),
      at timestamptz not null default now()
    );
    create index missing_events_report on missing_events (report_id, at);
    create index missing_events_found on missing_events (found_id, at);

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      user_id uuid not null references users(id),
      kind text not null,
      record_type text not null,
      record_id uuid not null,
      created_at timestamptz not null default now(),
      read_at timestamptz
    );
    create index notifications_user on notifications (user_id, read_at, created_at desc);

    create table missing_settings (
      id boolean primary key default true check (id),
      public_institution_id uuid references institutions(id),
      review_threshold double precision not null default 0.5 check (review_threshold > 0 and review_threshold < 1)
    );
    insert into missing_settings (id) values (true);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table missing_settings, notifications, missing_events, missing_messages, match_candidates,
      missing_match_queue, missing_name_keys;
    alter table missing_reports drop constraint missing_reports_located_found;
    drop table found_records, missing_reports;
    alter table memberships drop constraint memberships_role_check;
    alter table memberships add constraint memberships_role_check
      check (role in ('administrator','supervisor','caseworker','analyst','auditor','complaint_handler'));
  `.execute(db);
}
