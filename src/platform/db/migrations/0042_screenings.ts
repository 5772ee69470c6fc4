import { sql, type Kysely } from 'kysely';

// Screenings (src/screenings, docs/screenings.md): instruments as versioned definitions (a definition
// is never changed once stored: a change is a new version), screenings given inside a case under one
// version, their answers saved one by one (free text encrypted by the application, `text_enc`), and
// the referrals made from a screening's suggestions. The instruments are the installation's, shared
// by every institution; screenings carry institution_id (decision 0002).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table screening_instruments (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{0,59}$'),
      created_at timestamptz not null default now()
    );

    create table screening_instrument_versions (
      id uuid primary key default gen_random_uuid(),
      instrument_id uuid not null references screening_instruments(id),
      version integer not null check (version >= 1),
      definition jsonb not null,
      languages text[] not null,
      shipped boolean not null default false,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (instrument_id, version)
    );

    create table screenings (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      person_id uuid not null references people(id),
      version_id uuid not null references screening_instrument_versions(id),
      language text not null check (language in ('es','en','fr','ht','pt')),
      status text not null default 'in_progress' check (status in ('in_progress','completed')),
      flags text[] not null default '{}',
      started_by uuid references users(id),
      started_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_by uuid references users(id),
      completed_at timestamptz,
      check ((status = 'completed') = (completed_at is not null))
    );
    create index screenings_case on screenings (case_id, started_at);
    create index screenings_institution on screenings (institution_id, completed_at);

    create table screening_answers (
      screening_id uuid not null references screenings(id),
      institution_id uuid not null references institutions(id),
      question_id text not null check (length(question_id) <= 60),
      value jsonb,
      text_enc text,
      answered_by uuid references users(id),
      answered_at timestamptz not null default now(),
      primary key (screening_id, question_id),
      check ((value is null) <> (text_enc is null))
    );

    create table screening_referrals (
      screening_id uuid not null references screenings(id),
      referral_id uuid not null unique references referrals(id),
      institution_id uuid not null references institutions(id),
      suggestion_id text not null check (length(suggestion_id) <= 60),
      created_at timestamptz not null default now(),
      primary key (screening_id, referral_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table screening_referrals, screening_answers, screenings, screening_instrument_versions, screening_instruments`.execute(db);
}
