import { sql, type Kysely } from 'kysely';

/**
 * Person search, KEY_VERSION 4 (issue 11, docs/search.md): a person also gets a key per given-name and
 * surname word that the name frequency tables do not know or hold as rare (`fg:<form>`, `fs:<form>`), so
 * that the search counts how many of the institution's people share such a word (a Haitian JEAN, a Maya
 * TZOC) instead of scoring it as rare. Every person is marked pending; the application recomputes keys
 * and words (refreshPendingNameKeys), as migrations 0004, 0022 and 0034 do.
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
