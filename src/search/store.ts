import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { personNameKeys, personNameWords, vocabularyVariants } from './keys.ts';
import type { PersonRecord } from './model.ts';
import { rememberVocabularyWords } from './vocabulary.ts';

/**
 * Maintenance of `person_name_keys` (migration 0004). Keys are computed in TypeScript (the phonetic code,
 * the nickname and abbreviation tables live here, not in SQL):
 * - person.service calls replacePersonNameKeys in the same transaction as every insert or name change;
 * - a trigger on `people` records every insert or name change in `person_name_keys_pending`, so a row
 *   written by any other path (a bulk import, a demo loader, psql) is not lost: the search refreshes
 *   its institution's pending rows before it runs (refreshPendingNameKeys), and replacePersonNameKeys
 *   clears the mark.
 */

type NameFields = Pick<PersonRecord, 'id' | 'given_names' | 'surname1' | 'surname2' | 'other_names'> & { institution_id: string };

export async function replacePersonNameKeys(db: Db, person: NameFields): Promise<void> {
  const keys = personNameKeys(person, true);
  await sql`delete from person_name_keys where person_id = ${person.id}`.execute(db);
  if (keys.length) {
    await sql`insert into person_name_keys (institution_id, key, person_id)
      select ${person.institution_id}::uuid, k, ${person.id}::uuid from unnest(${keys}::text[]) as k
      on conflict do nothing`.execute(db);
  }
  await insertWords(db, [person]);
  await sql`delete from person_name_keys_pending where person_id = ${person.id}`.execute(db);
}

/**
 * Adds the words of these people's names to their institution's vocabulary (person_name_tokens, for
 * correcting typos in queries). Words are never removed when a name changes: a word nobody has any
 * more only makes a query probe keys that find nothing.
 */
async function insertWords(db: Db, rows: NameFields[]): Promise<void> {
  const seen = new Set<string>();
  const inst: string[] = [];
  const variants: string[] = [];
  const words: string[] = [];
  for (const row of rows) {
    for (const w of personNameWords(row)) {
      const k = `${row.institution_id}|${w}`;
      if (seen.has(k)) continue;
      seen.add(k);
      for (const v of vocabularyVariants(w)) {
        inst.push(row.institution_id);
        variants.push(v);
        words.push(w);
      }
    }
  }
  if (!words.length) return;
  await sql`insert into person_name_tokens (institution_id, variant, token)
    select * from unnest(${inst}::uuid[], ${variants}::text[], ${words}::text[]) order by 1, 2, 3 on conflict do nothing`.execute(db);
  // The two-edit corrections' copy in memory (vocabulary.ts); a word of a transaction rolled back only finds nothing.
  for (const key of seen) {
    const bar = key.indexOf('|');
    rememberVocabularyWords(key.slice(0, bar), [key.slice(bar + 1)]);
  }
}

async function insertKeysFor(db: Db, rows: NameFields[]): Promise<void> {
  const inst: string[] = [];
  const keys: string[] = [];
  const ids: string[] = [];
  for (const row of rows) {
    for (const k of personNameKeys(row, true)) {
      inst.push(row.institution_id);
      keys.push(k);
      ids.push(row.id);
    }
  }
  await insertWords(db, rows);
  if (!ids.length) return;
  await sql`insert into person_name_keys (institution_id, key, person_id)
    select * from unnest(${inst}::uuid[], ${keys}::text[], ${ids}::uuid[]) on conflict do nothing`.execute(db);
}

/** Computes the keys of people written outside person.service (see above). Cheap when there are none. */
export async function refreshPendingNameKeys(db: Db, institutionId?: string, batch = 1000): Promise<number> {
  let done = 0;
  for (;;) {
    const pending = await sql<PendingNames>`
      select p.id, p.institution_id, p.given_names, p.surname1, p.surname2, p.other_names, p.merged_into is not null as merged
      from person_name_keys_pending q join people p on p.id = q.person_id
      where ${institutionId ? sql`q.institution_id = ${institutionId}` : sql`true`}
      limit ${batch}`.execute(db);
    if (!pending.rows.length) return done;
    await recomputeKeys(db, pending.rows);
    done += pending.rows.length;
    if (pending.rows.length < batch) return done;
  }
}

/**
 * Recomputes the keys of the given people if they are pending. A bulk import inside one transaction calls
 * this per batch instead of refreshPendingNameKeys: rows it marked and cleared earlier in the same
 * transaction stay in the pending table's index until it commits, so scanning by institution would read
 * every earlier batch again (quadratic in the file's size); a lookup by person id does not.
 */
export async function refreshNameKeysOf(db: Db, personIds: readonly string[]): Promise<number> {
  if (!personIds.length) return 0;
  const pending = await sql<PendingNames>`
    select p.id, p.institution_id, p.given_names, p.surname1, p.surname2, p.other_names, p.merged_into is not null as merged
    from person_name_keys_pending q join people p on p.id = q.person_id
    where q.person_id = any(${personIds}::uuid[])`.execute(db);
  if (pending.rows.length) await recomputeKeys(db, pending.rows);
  return pending.rows.length;
}

type PendingNames = NameFields & { merged: boolean };

async function recomputeKeys(db: Db, rows: PendingNames[]): Promise<void> {
  const ids = rows.map((r) => r.id);
  await sql`delete from person_name_keys where person_id = any(${ids}::uuid[])`.execute(db);
  await insertKeysFor(db, rows.filter((r) => !r.merged));
  await sql`delete from person_name_keys_pending where person_id = any(${ids}::uuid[])`.execute(db);
}

/** Recomputes every person's keys (after a KEY_VERSION change): marks everyone pending, then refreshes. */
export async function rebuildAllNameKeys(db: Db): Promise<number> {
  await sql`insert into person_name_keys_pending (person_id, institution_id)
    select id, institution_id from people on conflict (person_id) do nothing`.execute(db);
  return refreshPendingNameKeys(db);
}
