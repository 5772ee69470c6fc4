import { sql, type Kysely } from 'kysely';

// People, case files and what hangs from them. Every large table carries institution_id, the column
// a Citus deployment distributes by (see docs/decisions/0002-distribution-key.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table people (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      given_names text not null check (length(given_names) between 1 and 100),
      surname1 text check (length(surname1) between 1 and 100),
      surname2 text check (length(surname2) between 1 and 100),
      other_names text[] not null default '{}',
      sex text not null check (sex in ('female','male','intersex','unknown')),
      gender_identity text check (gender_identity in ('woman','man','trans_woman','trans_man','non_binary','other','not_stated')),
      date_of_birth date,
      estimated_age smallint check (estimated_age between 0 and 120),
      age_estimated_on date,
      nationalities char(3)[] not null default '{}',
      country_of_birth char(3),
      languages text[] not null default '{}',
      disabilities text[] not null default '{}',
      vulnerabilities text[] not null default '{}',
      documents_enc text,
      document_keys text[] not null default '{}',
      contact_enc text,
      location_country char(3),
      location_state char(2),
      location_municipality char(5),
      search_name text generated always as (
        amparo_fold(given_names || ' ' || coalesce(surname1, '') || ' ' || coalesce(surname2, ''))
      ) stored,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (date_of_birth is null or estimated_age is null),
      check ((estimated_age is null) = (age_estimated_on is null))
    );
    create index people_institution on people (institution_id, created_at desc);
    create index people_search_name_trgm on people using gin (search_name gin_trgm_ops);
    create index people_surname1_fold on people (amparo_fold(surname1) text_pattern_ops);
    create index people_document_keys on people using gin (document_keys);

    create table case_folio_counters (
      institution_id uuid not null references institutions(id),
      year smallint not null,
      last_number integer not null,
      primary key (institution_id, year)
    );

    create table cases (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      folio text not null,
      programme text not null,
      status text not null check (status in ('open','in_progress','closed','reopened')),
      closure_reason text,
      opened_on date not null,
      closed_on date,
      assigned_to uuid references users(id),
      summary_enc text,
      crime_types text[] not null default '{}',
      rights_violations text[] not null default '{}',
      origin_referral_id uuid,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (institution_id, folio),
      check ((status = 'closed') = (closure_reason is not null)),
      check (closed_on is null or closed_on >= opened_on)
    );
    create index cases_institution_list on cases (institution_id, opened_on desc, id);
    create index cases_assigned on cases (assigned_to, status);

    create table case_access (
      case_id uuid not null references cases(id),
      institution_id uuid not null references institutions(id),
      user_id uuid not null references users(id),
      granted_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      primary key (case_id, user_id)
    );
    create index case_access_user on case_access (user_id);

    create table case_participants (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      person_id uuid not null references people(id),
      role text not null check (role in ('direct_victim','indirect_victim','applicant','family_member','guardian')),
      relationship text,
      created_at timestamptz not null default now(),
      unique (case_id, person_id)
    );
    create index case_participants_person on case_participants (person_id);

    create table services (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      person_id uuid not null references people(id),
      service_type text not null,
      provided_on date not null,
      provider_unit text check (length(provider_unit) <= 200),
      notes_enc text,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index services_case on services (case_id, provided_on);
    create index services_institution_date on services (institution_id, provided_on);

    create table case_notes (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      body_enc text not null,
      author_id uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index case_notes_case on case_notes (case_id, created_at);

    create table attachments (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      filename_enc text not null,
      media_type text not null,
      size_bytes integer not null check (size_bytes >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      content_enc bytea not null,
      uploaded_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index attachments_case on attachments (case_id, created_at);

    create table referrals (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      to_institution_id uuid not null references institutions(id),
      reason text not null check (length(reason) between 3 and 2000),
      consent_recorded_on date not null,
      consent_method text not null check (consent_method in ('written','verbal','guardian')),
      shared_sections text[] not null,
      status text not null check (status in ('pending','accepted','declined','withdrawn')),
      response_note text check (length(response_note) <= 2000),
      responded_by uuid references users(id),
      responded_at timestamptz,
      receiving_case_id uuid references cases(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (institution_id <> to_institution_id)
    );
    create index referrals_case on referrals (case_id);
    create index referrals_to on referrals (to_institution_id, status);
    alter table cases add constraint cases_origin_referral foreign key (origin_referral_id) references referrals(id);

    create table case_events (
      id bigint generated always as identity primary key,
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      at timestamptz not null default now(),
      actor_user_id uuid references users(id),
      kind text not null,
      data jsonb not null default '{}'::jsonb
    );
    create index case_events_case on case_events (case_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table case_events, referrals, attachments, case_notes, services, case_participants, case_access, cases, case_folio_counters, people cascade;
  `.execute(db);
}
