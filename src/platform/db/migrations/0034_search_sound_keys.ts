import { sql, type Kysely } from 'kysely';

/**
 * Person search, KEY_VERSION 3 (issue 11, docs/search.md): the vocabulary of name words
 * (`person_name_tokens`) also keeps each word under its sound read the French way (`~YAN` for JEAN), so
 * that a Haitian or French name written by a Spanish ear (YAN PIER for JEAN PIERRE) is corrected to the
 * names people have. Every person is marked pending; the application recomputes keys and words
 * (refreshPendingNameKeys), as migrations 0004 and 0022 do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into person_name_keys_pending (person_id, institution_id) select id, institution_id from people
      on conflict (person_id) do nothing
  `.execute(db);
}

export async function down(): Promise<void> {
  // Nothing to undo: the marks are cleared as the keys are recomputed.
}
