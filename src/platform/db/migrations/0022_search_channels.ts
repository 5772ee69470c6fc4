import { sql, type Kysely } from 'kysely';

/**
 * Person search channels (issue 11, docs/search.md):
 * - `person_name_tokens`: the distinct name words of each institution's people (folded spelling), each
 *   under itself and under every spelling with one letter deleted (`variant`), so that a mistyped word
 *   of a query (CALDTRON) is corrected to the words people really have (CALDERON: both become
 *   CALDRON) by exact index probes before the blocking keys are made;
 * - an index on (institution_id, date_of_birth): a query with a date of birth gets the people born that
 *   day (and on the usual typos of it) as candidates whatever their name keys;
 * - the key algorithm changed (KEY_VERSION 2: exact phonetic-form keys beside the skeleton keys): every
 *   person is marked pending, and the keys and words are recomputed by the application
 *   (refreshPendingNameKeys), as migration 0004 does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_name_tokens (
      institution_id uuid not null references institutions(id),
      variant text not null,
      token text not null,
      primary key (institution_id, variant, token)
    );
    create index people_institution_birth on people (institution_id, date_of_birth) where date_of_birth is not null;
    insert into person_name_keys_pending (person_id, institution_id) select id, institution_id from people
      on conflict (person_id) do nothing;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index people_institution_birth;
    drop table person_name_tokens;
  `.execute(db);
}
