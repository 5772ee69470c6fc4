import { sql, type Kysely } from 'kysely';

/**
 * The identifier a person had in the system they were imported from (src/missing/import.ts,
 * docs/missing-import.md): unique within an institution, so that importing the same file twice is
 * refused row by row instead of registering everyone again. Reports and found records have had it
 * since 0008.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table people add column external_id text;
    create unique index people_institution_external_id on people (institution_id, external_id) where external_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index people_institution_external_id;
    alter table people drop column external_id;
  `.execute(db);
}
