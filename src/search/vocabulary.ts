import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { editDistanceAtMost2, jaroWinkler, twoEditCandidate } from './compare.ts';
import { soundForm } from './phonetic.ts';

/**
 * The words of an institution's vocabulary (person_name_tokens, the rows stored under themselves) in
 * memory, for the one correction the index cannot give: a query word two edits from every spelling
 * people have (SAASAR for SALAZAR). The one-typo corrections are exact index probes (engine.ts
 * `corrections`); two edits would need every two-deletion spelling stored, about L²/2 per word, so the
 * few query words left without a correction are compared with the words themselves, bucketed by first
 * letter and by first sound (a few thousand comparisons, under a millisecond at a million people).
 *
 * The list is read once per TWO_EDIT_TTL_MS per institution and process (31,687 words at 1M people:
 * about 40 ms); words added by this process in between are appended as they are stored (store.ts), so a
 * word of another process may be missed for at most that long. Words are never removed (store.ts).
 */
const TWO_EDIT_TTL_MS = 5 * 60_000;

type Buckets = { at: number; words: Set<string>; byStart: Map<string, string[]> };
const cache = new Map<string, Buckets>();
const loading = new Map<string, Promise<Buckets>>();

function add(b: Buckets, word: string): void {
  if (b.words.has(word)) return;
  b.words.add(word);
  const starts = new Set([word[0]!, soundForm(word)[0] ?? '']);
  for (const s of starts) {
    if (!s) continue;
    const list = b.byStart.get(s);
    if (list) list.push(word);
    else b.byStart.set(s, [word]);
  }
}

async function load(db: Db, institutionId: string): Promise<Buckets> {
  const { rows } = await sql<{ token: string }>`
    select token from person_name_tokens where institution_id = ${institutionId} and variant = token`.execute(db);
  const b: Buckets = { at: Date.now(), words: new Set(), byStart: new Map() };
  for (const r of rows) add(b, r.token);
  cache.set(institutionId, b);
  return b;
}

async function buckets(db: Db, institutionId: string): Promise<Buckets> {
  const cached = cache.get(institutionId);
  if (cached && Date.now() - cached.at < TWO_EDIT_TTL_MS) return cached;
  let pending = loading.get(institutionId);
  if (!pending) {
    pending = load(db, institutionId).finally(() => loading.delete(institutionId));
    loading.set(institutionId, pending);
  }
  return pending;
}

/** Words just stored in an institution's vocabulary (store.ts): kept in the list held in memory, if any. */
export function rememberVocabularyWords(institutionId: string, words: Iterable<string>): void {
  const b = cache.get(institutionId);
  if (!b) return;
  for (const w of words) add(b, w);
}

/**
 * For each word, the institution's words within two edits of it that start alike (compare.ts
 * twoEditCandidate), the most similar first (same sound, then Jaro–Winkler, then alphabetical), at most `limit`.
 */
export async function twoEditCorrections(db: Db, institutionId: string, words: string[], limit: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!words.length) return out;
  const b = await buckets(db, institutionId);
  for (const word of words) {
    const sound = soundForm(word);
    const pool = new Set([...(b.byStart.get(word[0]!) ?? []), ...(b.byStart.get(sound[0] ?? '') ?? [])]);
    const found: { t: string; s: number }[] = [];
    for (const t of pool) {
      if (t === word || Math.abs(t.length - word.length) > 2 || !editDistanceAtMost2(word, t) || !twoEditCandidate(word, t, sound, soundForm(t))) continue;
      found.push({ t, s: jaroWinkler(word, t) + (soundForm(t) === sound ? 1 : 0) });
    }
    found.sort((x, y) => y.s - x.s || (x.t < y.t ? -1 : 1));
    if (found.length) out.set(word, found.slice(0, limit).map((x) => x.t));
  }
  return out;
}
