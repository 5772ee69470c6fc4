import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { editDistanceAtMost2, jaroWinkler } from './compare.ts';
import { tableGivenToken, tableSurname } from './model.ts';
import { phoneticForm, soundForm } from './phonetic.ts';

/**
 * The words of an institution's vocabulary (person_name_tokens, the rows stored under themselves) in
 * memory, for the one correction the index cannot give: a query word two edits from every spelling
 * people have (SAASAR for SALAZAR). The one-typo corrections are exact index probes (engine.ts
 * `corrections`); two edits would need every two-deletion spelling stored, about L²/2 per word, so the
 * few query words left without a correction are compared with the words themselves, bucketed by first
 * letter and by first sound (a few thousand comparisons: 1–10 ms per word at 1M people on the loaded machine).
 *
 * The list is read on the first such word of an institution in a process (31,687 words at 1M people:
 * 1.0–1.6 s on the shared 2-core machine at load 14: a scan of person_name_tokens and each word's sound), then read again in
 * the background every TWO_EDIT_TTL_MS while searches use the list they have; words added by this process
 * in between are appended as they are stored (store.ts), so a word of another process may be missed for
 * at most that long. Words are never removed (store.ts).
 */
const TWO_EDIT_TTL_MS = 5 * 60_000;

/** Words by first letter and by first sound letter, each entry with its first sound letter (twoEditCandidate). */
type Entry = { word: string; soundStart: string };
type Buckets = { at: number; words: Set<string>; byStart: Map<string, Entry[]> };
const cache = new Map<string, Buckets>();
const loading = new Map<string, Promise<Buckets>>();

function add(b: Buckets, word: string): void {
  if (b.words.has(word)) return;
  b.words.add(word);
  const entry = { word, soundStart: soundForm(word)[0] ?? '' };
  for (const s of new Set([word[0]!, entry.soundStart])) {
    if (!s) continue;
    const list = b.byStart.get(s);
    if (list) list.push(entry);
    else b.byStart.set(s, [entry]);
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
  const fresh = cached && Date.now() - cached.at < TWO_EDIT_TTL_MS;
  let pending = loading.get(institutionId);
  if (!fresh && !pending) {
    pending = load(db, institutionId).finally(() => loading.delete(institutionId));
    loading.set(institutionId, pending);
    // A reload in the background: the search goes on with the list it has.
    if (cached) pending.catch(() => undefined);
  }
  return cached ?? pending!;
}

/** Words just stored in an institution's vocabulary (store.ts): kept in the list held in memory, if any. */
export function rememberVocabularyWords(institutionId: string, words: Iterable<string>): void {
  const b = cache.get(institutionId);
  if (!b) return;
  for (const w of words) add(b, w);
}

/**
 * For each word, the institution's words within two edits of it that start alike (compare.ts
 * twoEditCandidate), at most `limit` and one per Spanish form: the same sound first, then the most common
 * in the frequency tables (SAASAR is more often SALAZAR than SACASA), then Jaro–Winkler, then alphabetical.
 */
export async function twoEditCorrections(db: Db, institutionId: string, words: string[], limit: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!words.length) return out;
  const b = await buckets(db, institutionId);
  for (const word of words) {
    const sound = soundForm(word);
    const first = word[0]!;
    const seen = new Set<string>();
    const found: { t: string; sameSound: number; f: number; jw: number }[] = [];
    for (const start of new Set([first, sound[0] ?? ''])) {
      for (const e of b.byStart.get(start) ?? []) {
        const t = e.word;
        if (t === word || Math.abs(t.length - word.length) > 2 || Math.min(t.length, word.length) < 4 || Math.max(t.length, word.length) < 5) continue;
        if (t[0] !== first && e.soundStart !== sound[0]) continue;
        if (seen.has(t) || !editDistanceAtMost2(word, t)) continue;
        seen.add(t);
        found.push({ t, sameSound: soundForm(t) === sound ? 1 : 0, f: Math.max(tableSurname(t) ?? 0, tableGivenToken(t) ?? 0), jw: jaroWinkler(word, t) });
      }
    }
    found.sort((x, y) => y.sameSound - x.sameSound || y.f - x.f || y.jw - x.jw || (x.t < y.t ? -1 : 1));
    // One word per Spanish form: SALASAR and SALAZAR probe the same keys.
    const forms = new Set<string>();
    const chosen = found.filter((x) => !forms.has(phoneticForm(x.t)) && forms.add(phoneticForm(x.t))).slice(0, limit);
    if (chosen.length) out.set(word, chosen.map((x) => x.t));
  }
  return out;
}
