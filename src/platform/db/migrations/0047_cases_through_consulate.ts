import { sql, type Kysely } from 'kysely';

// A case file opened through a consulate (the Mecanismo de Apoyo Exterior): the family abroad comes to
// a Mexican consulate, which takes the statement; the file belongs to the institution that holds it
// (CEAV) and keeps the consulate it was opened through. Null for a file opened in person.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases add column through_consulate_id uuid references institutions(id);
    create index cases_through_consulate on cases (through_consulate_id) where through_consulate_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases drop column through_consulate_id`.execute(db);
}
