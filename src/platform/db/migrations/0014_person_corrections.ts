import { sql, type Kysely } from 'kysely';

/**
 * Corrections of a person's record, each with who, when and why (issue 10): the fields changed and
 * their values before and after, encrypted like the record's own sensitive fields (the values may be
 * identity documents or contact details). Distributed with people by person_id's institution.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_corrections (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      person_id uuid not null references people(id),
      corrected_by uuid references users(id),
      corrected_at timestamptz not null default now(),
      fields text[] not null,
      reason_enc text,
      changes_enc text not null
    );
    create index person_corrections_person on person_corrections (person_id, corrected_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table person_corrections`.execute(db);
}
