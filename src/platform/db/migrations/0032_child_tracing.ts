import { sql, type Kysely } from 'kysely';

// Family tracing for children (src/children/tracing.service.ts, docs/children.md): requests from
// relatives (in person, through a consulate abroad, or from the families' public page), each with the
// children sought, and the matches the name-matching engine proposes between them and the children's
// files (the child herself, or a family member recorded in her file). A match is proposed only for a
// child whose consent to tracing, or an approved best-interests determination to trace, is recorded.
//
// The names sought and the requester's name are plain text, as people's names are (they are what is
// matched); the requester's contact and the circumstances are encrypted by the application (`*_enc`).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tracing_requests (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      channel text not null check (channel in ('in_person','consulate','public_page')),
      consulate_country char(3),
      received_on date not null,
      requester_name text not null check (length(requester_name) between 2 and 300),
      requester_relationship text not null check (requester_relationship in ('mother','father','grandparent','sibling','aunt_uncle','other_relative','other')),
      requester_country char(3),
      contact_enc text,
      circumstances_enc text,
      missing_report_id uuid references missing_reports(id),
      status text not null default 'open' check (status in ('open','closed')),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (channel <> 'consulate' or consulate_country is not null)
    );
    create index tracing_requests_institution on tracing_requests (institution_id, received_on);

    create table tracing_sought_children (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      request_id uuid not null references tracing_requests(id),
      given_names text not null check (length(given_names) between 1 and 200),
      surname1 text check (length(surname1) <= 100),
      surname2 text check (length(surname2) <= 100),
      sex text check (sex in ('female','male','intersex','unknown')),
      date_of_birth date,
      estimated_age integer check (estimated_age between 0 and 17),
      age_estimated_on date,
      nationality char(3),
      last_seen text check (length(last_seen) <= 500)
    );
    create index tracing_sought_children_request on tracing_sought_children (request_id);

    create table tracing_matches (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references tracing_requests(id),
      request_institution_id uuid not null references institutions(id),
      sought_id uuid references tracing_sought_children(id),
      case_id uuid not null references child_files(case_id),
      child_institution_id uuid not null references institutions(id),
      via text not null check (via in ('child','family_member')),
      family_person_id uuid references people(id),
      probability double precision not null check (probability between 0 and 1),
      weight double precision not null,
      explanation jsonb not null,
      status text not null default 'proposed' check (status in ('proposed','confirmed','rejected')),
      proposed_at timestamptz not null default now(),
      reviewed_by uuid references users(id),
      reviewed_at timestamptz,
      check ((via = 'child') = (sought_id is not null)),
      check ((via = 'family_member') = (family_person_id is not null)),
      unique (request_id, case_id, via)
    );
    create index tracing_matches_case on tracing_matches (case_id, status);
    create index tracing_matches_child_institution on tracing_matches (child_institution_id, status, probability desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table tracing_matches, tracing_sought_children, tracing_requests;`.execute(db);
}
