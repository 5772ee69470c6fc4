import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { jaroWinkler } from './compare.ts';
import { CORRECTABLE_LENGTH, correctableWords, queryFrequencyKeys, queryNameKeys, queryVariants } from './keys.ts';
import { soundForm } from './phonetic.ts';
import { createScorer, matchWeight, prepareQuery, scoreRecord, tableGivenToken, tableSurname, type MatchQuery, type MatchResult, type PersonRecord, type RegisterCounts, type ScoreOptions } from './model.ts';
import { foldPlain } from './normalize.ts';
import { refreshPendingNameKeys } from './store.ts';
import { twoEditCorrections } from './vocabulary.ts';

/**
 * The search (docs/search.md): candidates from independent channels, each with a deterministic order
 * and its own bound, merged; every candidate scored by the Fellegi–Sunter model in TypeScript; the
 * weights of all candidates turned into the probability that each one is the person sought.
 *
 * Channels:
 * - names: the query's blocking keys (every pair of its words, each word also through its corrections
 *   from the institution's vocabulary, one typo away: CALDTRON → CALDERON), candidates ranked by the summed rarity of
 *   the keys they share (a shared rare key outranks many common ones), ties by id;
 * - date of birth (when the query has one): the people born that day, on the day and month swapped,
 *   and a year off by one or ten or with its last two digits swapped, ranked by name similarity; so
 *   the date is used before any cut, and a name too mangled for the keys still finds the person;
 * - trigram fallback (pg_trgm on the folded full name), when nothing convincing came from the others.
 */

export type SearchCandidate = PersonRecord & { sex: string; nationalities: string[] };
export type SearchHit = { person: SearchCandidate; result: MatchResult; via: 'keys' | 'birth' | 'trigram' };

export type SearchOptions = ScoreOptions & {
  limit?: number;
  /** Most candidates of the name channel. */
  candidateCap?: number;
  /** Run the trigram fallback when the best candidate's match weight is below this. */
  fallbackBelowWeight?: number;
  /** Skip the trigram fallback (benchmarks of the key path alone). */
  noFallback?: boolean;
  /** Calibration constants (benchmarks fit them; see CALIBRATION). */
  calibration?: Calibration;
};

/** Counters for benchmarks and monitoring (no personal data). */
export const engineStats = { queries: 0, fallbacks: 0, candidates: 0, dbMs: 0, scoreMs: 0 };

export const DEFAULTS = { limit: 10, candidateCap: 500, birthCap: 300, fallbackBelowWeight: 8, trigramCap: 200, correctionsPerWord: 3, frequentCorrectionsPerWord: 2, registerCountCap: 20_000 };

/**
 * The probability that candidate i is the person sought, given the query and all candidates:
 *
 *   p_i = 2^(a·w_i) / (Σ_j 2^(a·w_j) + N · 2^b)
 *
 * w_i is the Fellegi–Sunter match weight (log2 likelihood ratio) of candidate i, N the number of people of
 * the institution. Namesakes share the mass; the N · 2^b term is "none of these" (the person is not
 * registered, or not among the candidates): a stranger agrees on a name of frequency u with N·u people
 * of a register, so this term grows with the register as the chance namesakes do. `a` < 1 tempers the
 * model's independence assumption (name, sex and date of birth are not independent evidence in
 * practice: a typo and a phonetic spelling are the same kind of error).
 *
 * Fitted by maximum likelihood (grid search, a in steps of 0.05, b of 0.25) on generated data: the
 * "tune" half of the name lists, seed 7, 100,000 people, 300 people sought and 60 not registered, each
 * searched by name and by name with date of birth and sex (668 searches; 2026-12-06):
 *   BENCH_DATA_DIR=/tmp/amparo-bench-search BENCH_PEOPLE=100000 BENCH_QUERIES=300 BENCH_NAMES=tune BENCH_SEED=7 npm run bench -- search --fit
 * → a = 0.95, b = 0 (log-likelihood −211 against −696 for a = 1, b = −10, the old fixed prior); checked
 * on the other half of the name lists with another seed (bench/RESULTS.md).
 */
export type Calibration = { a: number; b: number };
export const CALIBRATION: Calibration = { a: 0.95, b: 0 };

const COLUMNS = sql`p.id, p.given_names, p.surname1, p.surname2, p.other_names, p.sex, p.date_of_birth::text as date_of_birth, p.estimated_age, p.age_estimated_on::text as age_estimated_on, p.nationalities`;

/**
 * Vocabulary words of the institution that a query word may be a typo of (one letter added, dropped,
 * changed or two swapped: a shared one-deletion spelling, keys.ts deletionVariants), the most similar
 * first (Jaro–Winkler, then alphabetical); for a word with none and not in the vocabulary, the words
 * within two edits (vocabulary.ts).
 */
async function corrections(db: Db, institutionId: string, words: string[]): Promise<{ fixes: Map<string, string[]>; known: Set<string> }> {
  const map = new Map<string, string[]>();
  const known = new Set<string>();
  if (!words.length) return { fixes: map, known };
  const variantsOf = new Map(words.map((w) => [w, queryVariants(w)]));
  const { rows } = await sql<{ variant: string; token: string }>`
    select variant, token from person_name_tokens
    where institution_id = ${institutionId} and variant = any(${[...new Set([...variantsOf.values()].flat())]}::text[])`.execute(db);
  for (const r of rows) if (r.token === r.variant && variantsOf.has(r.token)) known.add(r.token);
  for (const [word, variants] of variantsOf) {
    const own = new Set(variants);
    const found = [...new Set(rows.filter((r) => own.has(r.variant) && r.token !== word).map((r) => r.token))];
    // The words that sound the same (YAN for JEAN) and those one typo away, each the most similar first and
    // each bounded on its own: a short sound (SANK for SANCQEZ) is shared by many words that would
    // otherwise crowd out the typo's correction (SANCHEZ).
    const sound = soundForm(word);
    const byScore = (list: string[]) => list.map((t) => ({ t, s: jaroWinkler(word, t) })).sort((a, b) => b.s - a.s || (a.t < b.t ? -1 : 1)).slice(0, DEFAULTS.correctionsPerWord).map((x) => x.t);
    const alike = byScore(found.filter((t) => soundForm(t) === sound));
    const typos = byScore(found.filter((t) => soundForm(t) !== sound));
    // A slip in a common name is likelier than the exact spelling of a rare one: PALO is PABLO (3 in 1,000
    // people) far more often than PALOP or PALOU, which Jaro–Winkler puts closer and which pushed PABLO out
    // of the three. So the words the name tables hold as most frequent are probed too (a noisy channel's
    // prior; bench/RESULTS.md, session 22).
    const frequent = found
      .map((t) => ({ t, f: Math.max(tableGivenToken(t) ?? 0, tableSurname(t) ?? 0) }))
      .filter((x) => x.f > 0)
      .sort((a, b) => b.f - a.f || (a.t < b.t ? -1 : 1))
      .slice(0, DEFAULTS.frequentCorrectionsPerWord)
      .map((x) => x.t);
    const ranked = [...new Set([...alike, ...typos, ...frequent])];
    if (ranked.length) map.set(word, ranked);
  }
  // A word people do not have and that is no typo of any they have: the nearest within two edits (SAASAR → SALAZAR).
  const stranded = words.filter((w) => w.length >= CORRECTABLE_LENGTH && !known.has(w) && !map.has(w));
  for (const [word, near] of await twoEditCorrections(db, institutionId, stranded, DEFAULTS.correctionsPerWord)) map.set(word, near);
  return { fixes: map, known };
}

/**
 * A key that only a correction of a query word gives (PABLO for PALO) counts as if this many times more
 * people shared it: the person sought matches a correction only if the query misspelt that word, and one
 * typed word in about twenty is a slip that lands on any one spelling about one time in twenty (model.ts
 * TYPO_OUTCOMES). Without it, corrections of a common word (ELVIN: ELVIA, SELVIN...) brought rarer
 * pairs than the word itself and filled the cap before the ELVIN HERNÁNDEZ sought (bench/RESULTS.md,
 * session 22).
 */
const CORRECTION_KEY_DISCOUNT = Math.log(400);

/**
 * Candidates sharing keys with the query, ranked by the summed rarity (log of the inverse posting count)
 * of the keys they share, then by id: deterministic, and a block of thousands of namesakes sharing one
 * common key cannot push out a person who shares a rarer one. `corrected`: the keys that come from a
 * correction only (CORRECTION_KEY_DISCOUNT).
 */
async function keyCandidates(db: Db, institutionId: string, keys: string[], corrected: ReadonlySet<string>, cap: number): Promise<SearchCandidate[]> {
  if (!keys.length) return [];
  const { rows } = await sql<SearchCandidate>`
    with postings as materialized (
      select key, person_id from person_name_keys where institution_id = ${institutionId} and key = any(${keys}::text[])
    ), rarity as (
      select key, ln(10000000.0 / count(*)) - case when key = any(${[...corrected]}::text[]) then ${CORRECTION_KEY_DISCOUNT}::float8 else 0 end as w from postings group by key
    ), hits as (
      select person_id, sum(w) as w from postings join rarity using (key)
      group by person_id order by w desc, person_id limit ${cap}
    )
    select ${COLUMNS} from hits join people p on p.id = hits.person_id
    where p.merged_into is null`.execute(db);
  return rows;
}

/**
 * How many of the institution's people have each of these register-frequency keys (`fg:`/`fs:`, keys.ts):
 * an index-only count per key, stopped at `cap` (beyond it a name is common enough for any purpose).
 */
async function registerCounts(db: Db, institutionId: string, keys: string[], cap: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const now = Date.now();
  const missing: string[] = [];
  for (const key of keys) {
    const cached = countCache.get(`${institutionId}|${key}`);
    if (cached && now - cached.at < REGISTER_COUNT_TTL_MS) counts.set(key, cached.n);
    else missing.push(key);
  }
  if (!missing.length) return counts;
  const { rows } = await sql<{ key: string; n: number }>`
    select k.key, (select count(*)::int from (select 1 from person_name_keys c where c.institution_id = ${institutionId} and c.key = k.key limit ${cap}) x) as n
    from unnest(${missing}::text[]) as k(key)`.execute(db);
  for (const r of rows) {
    counts.set(r.key, r.n);
    const id = `${institutionId}|${r.key}`;
    countCache.delete(id);
    countCache.set(id, { n: r.n, at: now });
  }
  // Insertion order is age order: the oldest entries go first.
  for (const id of countCache.keys()) {
    if (countCache.size <= REGISTER_COUNT_ENTRIES) break;
    countCache.delete(id);
  }
  return counts;
}

/**
 * The counts above change slowly: one person more moves a frequency by 1 / (people + 20,000), and the
 * counts only raise rare words towards what the register says. Kept per institution and key for
 * REGISTER_COUNT_TTL_MS, at most REGISTER_COUNT_ENTRIES of them, so that a search repeating words already
 * counted (most do: names recur) asks the database only for the others.
 */
const REGISTER_COUNT_TTL_MS = 10 * 60_000;
const REGISTER_COUNT_ENTRIES = 100_000;
const countCache = new Map<string, { n: number; at: number }>();

/** The usual slips in a typed date of birth: day and month swapped, year off by one or ten, its last two digits swapped. */
export function birthDateVariants(date: string): string[] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const valid = (yy: number, mm: number, dd: number) => {
    if (mm < 1 || mm > 12 || dd < 1 || yy < 1900 || yy > 2100) return null;
    const t = new Date(Date.UTC(yy, mm - 1, dd));
    return t.getUTCMonth() === mm - 1 ? t.toISOString().slice(0, 10) : null;
  };
  const decade = Math.floor((y % 100) / 10);
  const swappedYear = y - (y % 100) + (y % 10) * 10 + decade;
  const out = [valid(y, m, d), valid(y, d, m), valid(y - 1, m, d), valid(y + 1, m, d), valid(y - 10, m, d), valid(y + 10, m, d), valid(swappedYear, m, d)];
  return [...new Set(out.filter((x): x is string => x !== null))];
}

async function birthCandidates(db: Db, institutionId: string, query: MatchQuery, text: string, cap: number): Promise<SearchCandidate[]> {
  if (!query.date_of_birth) return [];
  const dates = birthDateVariants(query.date_of_birth);
  const folded = foldPlain(text).toLowerCase();
  const sex = query.sex ?? '';
  const { rows } = await sql<SearchCandidate>`
    select ${COLUMNS} from people p
    where p.institution_id = ${institutionId} and p.date_of_birth = any(${dates}::date[]) and p.merged_into is null
    order by similarity(p.search_name, amparo_fold(${folded})) + (case when p.sex = ${sex} then 0.05 else 0 end) + (case when p.date_of_birth = ${query.date_of_birth}::date then 0.05 else 0 end) desc, p.id
    limit ${cap}`.execute(db);
  return rows;
}

async function trigramCandidates(db: Db, institutionId: string, text: string, cap: number): Promise<SearchCandidate[]> {
  const folded = foldPlain(text).toLowerCase();
  if (folded.length < 2) return [];
  const { rows } = await sql<SearchCandidate>`
    select ${COLUMNS} from people p
    where p.institution_id = ${institutionId} and p.merged_into is null
      and (p.search_name % amparo_fold(${folded}) or amparo_fold(${folded}) <% p.search_name)
    order by greatest(similarity(p.search_name, amparo_fold(${folded})), word_similarity(amparo_fold(${folded}), p.search_name)) desc, p.id
    limit ${cap}`.execute(db);
  return rows;
}

const queryText = (q: MatchQuery) => q.text ?? [q.given_names, q.surname1, q.surname2].filter(Boolean).join(' ');

// The number of people of an institution, for the "none of these" term; cached, since only its order of
// magnitude matters and counting a million rows per query would cost more than the search.
const registerSizes = new Map<string, { n: number; at: number }>();
async function registerSize(db: Db, institutionId: string): Promise<number> {
  const cached = registerSizes.get(institutionId);
  if (cached && Date.now() - cached.at < 10 * 60_000) return cached.n;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from people where institution_id = ${institutionId} and merged_into is null`.execute(db);
  const n = Math.max(1, rows[0]?.n ?? 1);
  registerSizes.set(institutionId, { n, at: Date.now() });
  return n;
}

/**
 * Probabilities of the candidates (same order as `weights`) under CALIBRATION (see above); they add up
 * to less than 1, the rest being the probability that the person sought is none of them.
 */
export function posterior(weights: number[], registerPeople: number, calibration: Calibration = CALIBRATION): number[] {
  if (!weights.length) return [];
  const max = Math.max(...weights.map((w) => calibration.a * w), calibration.b + Math.log2(registerPeople));
  const terms = weights.map((w) => 2 ** (calibration.a * w - max));
  const none = 2 ** (calibration.b + Math.log2(registerPeople) - max);
  const total = terms.reduce((s, t) => s + t, none);
  return terms.map((t) => t / total);
}

/**
 * Searches one institution's people. The caller checks capabilities and writes the audit entry.
 * People merged into another record (`merged_into`, migration 0009) have no keys and are never candidates.
 * Each hit's `result.probability` is the probability, given the query and every candidate, that it is
 * the person sought.
 */
export async function searchPersons(db: Db, institutionId: string, query: MatchQuery, options: SearchOptions = {}): Promise<SearchHit[]> {
  const limit = options.limit ?? DEFAULTS.limit;
  const text = queryText(query);
  const t0 = performance.now();
  // The date-of-birth channel and the register's size need no keys: they run while the keys are refreshed and the words corrected.
  const birthAndSize = Promise.all([birthCandidates(db, institutionId, query, text, DEFAULTS.birthCap), registerSize(db, institutionId)]);
  // Handled once awaited below; this only keeps an early failure from being reported as unhandled meanwhile.
  birthAndSize.catch(() => undefined);
  await refreshPendingNameKeys(db, institutionId);
  const seen = new Set<string>();
  const ranked: { person: SearchCandidate; weight: number; via: SearchHit['via'] }[] = [];
  const score = (rows: SearchCandidate[], via: SearchHit['via']) => {
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const person = { ...row, nationalities: (row.nationalities ?? []).map((n) => n.trim()) };
      ranked.push({ person, weight: matchWeight(scorer, person, options), via });
    }
  };
  const { fixes, known } = await corrections(db, institutionId, correctableWords(query));
  const keys = queryNameKeys(query, fixes);
  const typed = new Set(fixes.size ? queryNameKeys(query) : keys);
  const corrected = new Set(keys.filter((k) => !typed.has(k)));
  const [byKeys, counts] = await Promise.all([
    keyCandidates(db, institutionId, keys, corrected, options.candidateCap ?? DEFAULTS.candidateCap),
    registerCounts(db, institutionId, queryFrequencyKeys(query, fixes, known), DEFAULTS.registerCountCap),
  ]);
  const [byBirth, people] = await birthAndSize;
  const register: RegisterCounts = { people, counts };
  const scorer = createScorer(prepareQuery(query), register);
  const t1 = performance.now();
  score(byKeys, 'keys');
  score(byBirth, 'birth');
  engineStats.dbMs += t1 - t0;
  engineStats.scoreMs += performance.now() - t1;
  engineStats.candidates += byKeys.length + byBirth.length;
  const best = ranked.reduce((m, h) => Math.max(m, h.weight), -Infinity);
  engineStats.queries++;
  if (!options.noFallback && best < (options.fallbackBelowWeight ?? DEFAULTS.fallbackBelowWeight)) {
    engineStats.fallbacks++;
    score(await trigramCandidates(db, institutionId, text, DEFAULTS.trigramCap), 'trigram');
  }
  ranked.sort((a, b) => b.weight - a.weight || (a.person.id < b.person.id ? -1 : 1));
  const probabilities = posterior(
    ranked.map((r) => r.weight),
    people,
    options.calibration,
  );
  // Only the hits returned are explained.
  return ranked.slice(0, limit).map(({ person, via }, i) => {
    const result = scoreRecord(scorer, person, options);
    return { person, result: { ...result, probability: probabilities[i]! }, via };
  });
}

/** Weights of every candidate of a query, for fitting CALIBRATION (benchmarks). */
export async function searchWeights(db: Db, institutionId: string, query: MatchQuery, options: SearchOptions = {}): Promise<{ ids: string[]; weights: number[]; people: number }> {
  const hits = await searchPersons(db, institutionId, query, { ...options, limit: Number.MAX_SAFE_INTEGER });
  return { ids: hits.map((h) => h.person.id), weights: hits.map((h) => h.result.weight), people: await registerSize(db, institutionId) };
}
