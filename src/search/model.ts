import fs from 'node:fs';
import { assignTokens, compareTokens, oneEditApart, TOKEN_RANK, type TokenComparison, type TokenLevel } from './compare.ts';
import { nameTokens, type NameToken } from './normalize.ts';
import { phoneticForm } from './phonetic.ts';

/**
 * Fellegi–Sunter scoring of a query against a person record.
 *
 * Every field is compared into an agreement level; each level has an m-probability (how often a true
 * match shows this level) and a u-probability (how often two different people do). For name levels that
 * mean "the same name" the u-probability is the name's frequency in the population (an agreement on
 * GARCIA is common among strangers, on a rare surname it is not). The weights log2(m/u) are summed with a
 * fixed prior into log-odds and turned into a probability, so scores are comparable across queries.
 * See docs/search.md for the tables and their reasoning.
 */

type Frequencies = {
  defaults: { surname: number; given: number; givenToken: number };
  surnames: Record<string, number>;
  surnamePhon: Record<string, number>;
  givenFull: Record<string, number>;
  givenFullPhon: Record<string, number>;
  givenToken: Record<string, number>;
  givenPhon: Record<string, number>;
};

const FREQ: Frequencies = JSON.parse(fs.readFileSync(new URL('./data/frequencies.json', import.meta.url), 'utf8'));

/**
 * Frequencies from the institution's own register, for the name words the tables do not know or hold as
 * rare (below REGISTER_BELOW): a Haitian JEAN or JOSEPH, a Maya TZOC, are rare in the Mexican and Spanish
 * lists and common among migrants. Counted on the phonetic form (all spellings of the word) in
 * person_name_keys, where a person has `fg:<form>` for such a given-name word and `fs:<form>` for such a
 * surname word (keys.ts `frequencyKeys`). `counts` holds the keys the search looked up (missing: not looked up).
 */
export type RegisterCounts = { people: number; counts: ReadonlyMap<string, number> };
/** Words at least this frequent in the tables are not counted in the register (the tables are enough). */
export const REGISTER_BELOW = 1e-3;
/**
 * The register's frequency is a posterior mean with the table's value (or the default) as prior worth
 * this many people: a small register says little (one MARÍA in a register of 40 is not 1 in 40), a
 * register of a million says it all. It only ever raises a frequency: the tables are never overruled
 * towards rarity.
 */
const REGISTER_PSEUDO_PEOPLE = 20_000;

/** The table's frequency of a given-name word (its phonetic form's when the spelling is not listed), or undefined. */
export function tableGivenToken(form: string): number | undefined {
  return FREQ.givenToken[form] ?? FREQ.givenPhon[phoneticForm(form)];
}
/** The table's frequency of a surname word (its phonetic form's when the spelling is not listed), or undefined. */
export function tableSurname(form: string): number | undefined {
  return FREQ.surnames[form] ?? FREQ.surnamePhon[phoneticForm(form)];
}
/** The spellings the tables list for a field (keys.ts corrects typos towards them). */
export const tableWords = (field: 'given' | 'surname'): string[] => Object.keys(field === 'given' ? FREQ.givenToken : FREQ.surnames);
/** The register key counting people with this word (folded canonical form) in this field, or null when the tables suffice. */
export function frequencyKey(field: 'given' | 'surname', form: string): string | null {
  const cache = field === 'given' ? givenKeyCache : surnameKeyCache;
  let key = cache.get(form);
  if (key === undefined) {
    const table = field === 'given' ? tableGivenToken(form) : tableSurname(form);
    key = (table ?? 0) >= REGISTER_BELOW ? null : `${field === 'given' ? 'fg' : 'fs'}:${phoneticForm(form)}`;
    if (cache.size > 100_000) cache.clear();
    cache.set(form, key);
  }
  return key;
}
const givenKeyCache = new Map<string, string | null>();
const surnameKeyCache = new Map<string, string | null>();

function registerFrequency(register: RegisterCounts | undefined, key: string | null, prior: number): number | undefined {
  if (!register || !key || !register.counts.size) return undefined;
  const count = register.counts.get(key);
  if (count === undefined) return undefined;
  return (count + REGISTER_PSEUDO_PEOPLE * prior) / (register.people + REGISTER_PSEUDO_PEOPLE);
}

/** m-probabilities per level (within a field they sum to 1, but for `variant`: see below). */
export const M = {
  // `variant` (abbreviation, nickname) is only possible when the query is written in a short form, and then
  // exact agreement is not: it takes the exact level's m, discounted for the ambiguity of short forms.
  // Likewise `phonetic`: it happens when the query is spelt by ear (GONSALES), and then exact agreement with
  // the standard spelling cannot; it takes a bit more than half of the exact level's m.
  given: { exact: 0.7, variant: 0.6, phonetic: 0.45, fuzzy: 0.05, initial: 0.02, partial: 0.08, mixed: 0.01, disagree: 0.03 },
  surname: { exact: 0.82, variant: 0.7, phonetic: 0.5, fuzzy: 0.04, initial: 0.01, partial: 0.02, disagree: 0.03 },
  // A surname slot the query leaves empty: if the record has that surname, the query omitted it (m 0.12);
  // if the record has none either, the query is complete (m 0.95). A surname the record lacks: m 0.2.
  surnameSlot: { not_given: 0.12, both_missing: 0.95, not_recorded: 0.2 },
  sex: { agree: 0.97, disagree: 0.03 },
  date_of_birth: { exact: 0.86, close: 0.04, year_slip: 0.02, same_year: 0.03, year_close: 0.03, disagree: 0.02 },
  age: { consistent: 0.95, inconsistent: 0.05 },
  nationality: { agree: 0.9, disagree: 0.1 },
} as const;

/** u-probabilities of the levels that do not depend on the value compared. */
export const U = {
  given: { fuzzy: 0.003, initial: 0.05, disagree: 0.95 },
  surname: { fuzzy: 0.003, initial: 0.06, disagree: 0.97 },
  // How often a query leaves a surname out: base rate among all queries (about 1 in 5 has one surname).
  surnameNotGiven: 0.2,
  sex: { agree: 0.5, disagree: 0.5 },
  // Birth dates spread over ~55 years of adult and child migrants.
  // year_slip: same day and month, the year a decade off or its last two digits swapped (two years of 55).
  date_of_birth: { exact: 1 / (365.25 * 55), close: 5 / (365.25 * 55), year_slip: 2 / (365.25 * 55), same_year: 1 / 55, year_close: 4 / 55, disagree: 0.9 },
  age: { consistent: 11 / 55, inconsistent: 44 / 55 },
  nationality: { agree: 0.25, disagree: 0.75 },
} as const;

/** Surnames given in the other order (or only the second surname given): log2 of its relative probability. */
export const SWAP_PENALTY = -2;
/** A free-text query read surnames-first (HERNANDEZ LOPEZ MARIA): about 1 query in 8 written so. */
export const ORDER_PENALTY = -3;
/** A free-text query read as surnames only (no given name): rare. */
export const SURNAMES_ONLY_PENALTY = -6;
/** A free-text query of two or more tokens read as given names only (no surname). */
export const GIVEN_ONLY_PENALTY = -2;
/** Default prior: log2 of the prior odds that a candidate sharing a blocking key is the person (1:1024). */
export const DEFAULT_PRIOR_LOG2 = -10;

export type PersonRecord = {
  id: string;
  given_names: string;
  surname1: string | null;
  surname2: string | null;
  other_names?: string[] | null;
  sex?: string | null;
  date_of_birth?: string | null;
  estimated_age?: number | null;
  age_estimated_on?: string | null;
  nationalities?: string[] | null;
};

/** Either a free-text name (`text`) or structured name fields, plus optional other fields. */
export type MatchQuery = {
  text?: string | null;
  given_names?: string | null;
  surname1?: string | null;
  surname2?: string | null;
  sex?: string | null;
  date_of_birth?: string | null;
  estimated_age?: number | null;
  age_estimated_on?: string | null;
  nationalities?: string[] | null;
};

export type FieldExplanation = { field: string; level: string; weight: number; detail?: string };
export type MatchResult = { weight: number; probability: number; explanation: FieldExplanation[] };

/** Extra comparators (e.g. height range, marks, places and dates for missing-person matching) plug in here. */
export type FieldComparator<Q, R> = (query: Q, record: R) => FieldExplanation | null;

type Range = readonly [number, number];
type Parse = { given: Range; s1: Range; s2: Range; penalty: number; order: 'given_first' | 'surnames_first' };

export type PreparedQuery = {
  query: MatchQuery;
  tokens: NameToken[];
  parses: Parse[];
  structured: boolean;
};

const log2 = Math.log2;
const round = (x: number) => Math.round(x * 100) / 100;
const MAX_TOKENS = 6;

function freeTextParses(n: number, surnamesFirstPreferred: boolean): Parse[] {
  const parses: Parse[] = [];
  const givenFirst = surnamesFirstPreferred ? ORDER_PENALTY : 0;
  const surnamesFirst = surnamesFirstPreferred ? 0 : ORDER_PENALTY;
  const splits = (m: number): [number, number][] => (m === 0 ? [[0, 0]] : m === 1 ? [[1, 0]] : m === 2 ? [[1, 1], [2, 0]] : m === 3 ? [[1, 2], [2, 1]] : []);
  for (let g = n; g >= 0; g--) {
    for (const [a, b] of splits(n - g)) {
      const penalty = g === 0 ? SURNAMES_ONLY_PENALTY : g === n && n >= 2 ? GIVEN_ONLY_PENALTY : givenFirst;
      parses.push({ given: [0, g], s1: [g, g + a], s2: [g + a, g + a + b], penalty, order: 'given_first' });
    }
  }
  for (let g = n - 1; g >= 1; g--) {
    for (const [a, b] of splits(n - g)) parses.push({ given: [n - g, n], s1: [0, a], s2: [a, a + b], penalty: surnamesFirst, order: 'surnames_first' });
  }
  return parses;
}

export function prepareQuery(query: MatchQuery): PreparedQuery {
  if (query.text && query.text.trim()) {
    const tokens = nameTokens(query.text).slice(0, MAX_TOKENS);
    return { query, tokens, parses: freeTextParses(tokens.length, query.text.includes(',')), structured: false };
  }
  const g = nameTokens(query.given_names, 'given');
  const s1 = nameTokens(query.surname1, 'surname');
  const s2 = nameTokens(query.surname2, 'surname');
  const tokens = [...g, ...s1, ...s2];
  const parse: Parse = { given: [0, g.length], s1: [g.length, g.length + s1.length], s2: [g.length + s1.length, tokens.length], penalty: 0, order: 'given_first' };
  return { query, tokens, parses: [parse], structured: true };
}

// Token comparisons are memoised by query token and record token (one object per distinct token,
// normalize.ts): record tokens repeat a lot (HERNANDEZ, MARIA...); so do whole field values, whose scores
// per query reading are cached too.
type Comparisons = Map<NameToken, Map<NameToken, TokenComparison>>;
type Scorer = {
  prepared: PreparedQuery;
  /** Per query token (by index), its comparisons with record tokens: a row of a Comparisons map. */
  memo: Map<NameToken, TokenComparison>[];
  givenRanges: Range[];
  surnameRanges: Range[];
  plan: { g: number; s1: number; s2: number; parse: Parse }[];
  givenCache: Map<string, FieldScore[]>;
  surnameCache: Map<string, FieldScore[]>;
  /** Per surname range, the scores other queries with the same words in a surname field share (SharedFieldScores). */
  sharedSurnames?: Map<string, FieldScore>[];
  register?: RegisterCounts;
};

/**
 * Field scores that scorers of many queries share. Without register counts, a field's score depends only
 * on the query's words in that field and the record's: missing-person matching scores thousands of reports
 * in a batch, many with the same given names or surnames, against candidates whose names repeat too, and
 * computed them once per report (a quarter of a 100k × 100k run's Node CPU; bench/RESULTS.md, session 16).
 * Keep one per batch: kept longer, such caches grow by hundreds of megabytes for little gain.
 */
export type SharedFieldScores = { comparisons: Comparisons; given: Map<string, Map<string, FieldScore[]>>; surnames: Map<string, Map<string, FieldScore>> };
export const createSharedFieldScores = (): SharedFieldScores => ({ comparisons: new Map(), given: new Map(), surnames: new Map() });

/** The inner map of `caches` under `key`, made empty when missing. */
function sharedCache<K, R, T>(caches: Map<K, Map<R, T>>, key: K): Map<R, T> {
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new Map()));
  return cache;
}

/**
 * `register`: counts of the institution's people for the rare words of the query (RegisterCounts; the
 * search passes them). `shared`: field scores shared with other scorers (SharedFieldScores), used for a
 * query of separate fields scored without register counts; a free-text query's readings keep their own.
 */
export function createScorer(prepared: PreparedQuery, register?: RegisterCounts, shared?: SharedFieldScores): Scorer {
  const givenRanges: Range[] = [];
  const surnameRanges: Range[] = [];
  const indexOf = (list: Range[], r: Range) => {
    let i = list.findIndex((x) => x[0] === r[0] && x[1] === r[1]);
    if (i < 0) i = list.push(r) - 1;
    return i;
  };
  const plan = prepared.parses.map((parse) => ({ g: indexOf(givenRanges, parse.given), s1: indexOf(surnameRanges, parse.s1), s2: indexOf(surnameRanges, parse.s2), parse }));
  // A structured query has one reading: its given-name range holds the given names' words and its surname
  // ranges those of surname1 and surname2, so the text of a field says what its range's scores are. A
  // surname's words score alike in either field.
  const q = prepared.query;
  const byFields = shared && prepared.structured && !register;
  const givenCache = byFields ? sharedCache(shared.given, q.given_names ?? '') : new Map<string, FieldScore[]>();
  let sharedSurnames: Map<string, FieldScore>[] | undefined;
  if (byFields) {
    sharedSurnames = [];
    sharedSurnames[plan[0]!.s1] = sharedCache(shared.surnames, q.surname1 ?? '');
    sharedSurnames[plan[0]!.s2] = sharedCache(shared.surnames, q.surname2 ?? '');
  }
  // Two tokens compare alike whatever the query: comparisons are shared whenever field scores are offered.
  const comparisons: Comparisons = shared?.comparisons ?? new Map();
  const memo = prepared.tokens.map((t) => sharedCache(comparisons, t));
  return { prepared, memo, givenRanges, surnameRanges, plan, givenCache, surnameCache: new Map(), ...(sharedSurnames ? { sharedSurnames } : {}), ...(register ? { register } : {}) };
}

function tokenCmp(scorer: Scorer, qi: number, r: NameToken): TokenComparison {
  const row = scorer.memo[qi]!;
  let c = row.get(r);
  if (!c) row.set(r, (c = compareTokens(scorer.prepared.tokens[qi]!, r)));
  return c;
}

const canonical = (tokens: NameToken[]) => tokens.map((t) => t.forms[0] ?? t.text).join(' ');

/** Frequency of a given-name word: the tables', raised to the register's when the register has it more often. */
function givenTokenFrequency(scorer: Scorer, form: string): number {
  const table = tableGivenToken(form) ?? FREQ.defaults.givenToken;
  if (!scorer.register?.counts.size) return table;
  return Math.max(table, registerFrequency(scorer.register, frequencyKey('given', form), table) ?? 0);
}

/** The frequency of a word as the register knows it, when it does (for words the tables do not settle). */
function registerOnly(scorer: Scorer, field: 'given' | 'surname', form: string): number {
  if (!scorer.register?.counts.size) return 0;
  const table = (field === 'given' ? tableGivenToken(form) : tableSurname(form)) ?? (field === 'given' ? FREQ.defaults.givenToken : FREQ.defaults.surname);
  return registerFrequency(scorer.register, frequencyKey(field, form), table) ?? 0;
}

/**
 * u for an agreement on the whole given name: the frequency of the name (order-insensitive: JAVIER
 * FRANCISCO counts as FRANCISCO JAVIER), for a phonetic agreement of all its spellings (FRANCISCO XAVIER
 * sounds like FRANCISCO JAVIER); a combination in neither table falls back to the product of its tokens'
 * frequencies, not below the default.
 */
function givenFrequency(scorer: Scorer, tokens: NameToken[], phonetic: boolean): number {
  const forms = tokens.map((t) => t.forms[0] ?? t.text);
  // The register's view (product of its word frequencies), when it knows a word better than the tables.
  let registered = 1;
  let known = false;
  for (const f of forms) {
    const r = registerOnly(scorer, 'given', f);
    known ||= r > 0;
    registered *= r > 0 ? r : (tableGivenToken(f) ?? FREQ.defaults.givenToken);
  }
  const fromRegister = known ? registered : 0;
  const full = FREQ.givenFull[[...forms].sort().join(' ')] ?? 0;
  const phon = phonetic || !full ? (FREQ.givenFullPhon[forms.map(phoneticForm).sort().join(' ')] ?? 0) : 0;
  if (full || phon) return Math.max(full, phon, fromRegister);
  let p = 1;
  for (const f of forms) p *= givenTokenFrequency(scorer, f);
  return Math.max(p, FREQ.defaults.given);
}

/**
 * u for an agreement on a surname: its frequency; a spelling not in the table (HERNANDES, as a record
 * may hold it) takes the frequency of its phonetic form, so a misspelt common surname is not scored as
 * a rare one.
 */
function surnameFrequency(scorer: Scorer, tokens: NameToken[], phonetic: boolean): number {
  const phon = FREQ.surnamePhon[tokens.map((t) => phoneticForm(t.forms[0] ?? t.text)).join(' ')];
  // The register's frequency of the rarest word (a stranger with SAINT-FLEUR has both words; both counts bound it).
  const registered = Math.min(...tokens.map((t) => registerOnly(scorer, 'surname', t.forms[0] ?? t.text) || Infinity));
  const exact = Math.max(FREQ.surnames[canonical(tokens)] ?? phon ?? FREQ.defaults.surname, Number.isFinite(registered) ? registered : 0);
  if (!phonetic) return exact;
  return Math.max(exact, phon ?? 0);
}

type FieldScore = { level: string; weight: number; detail?: string };

/**
 * A spelling agreement by sound is no rarer than the query's own words: LUIS agreeing by sound with a
 * surname LOUIS that the tables do not know (a Haitian surname) says no more than a name as common as
 * LUIS would. The frequency of the query's words as a given name or a surname, whichever is higher (the
 * least frequent word of the range: all of them must agree).
 */
function queryWordFrequency(scorer: Scorer, range: Range): number {
  let least = 1;
  for (let i = range[0]; i < range[1]; i++) {
    const t = scorer.prepared.tokens[i]!;
    const form = t.forms[0] ?? t.text;
    least = Math.min(least, Math.max(FREQ.surnames[form] ?? 0, FREQ.givenToken[form] ?? 0, FREQ.surnamePhon[phoneticForm(form)] ?? 0, registerOnly(scorer, 'given', form), registerOnly(scorer, 'surname', form)));
  }
  return least;
}

const worstStrong = (pairs: { cmp: TokenComparison }[]): TokenLevel => levelOfWorst(Math.min(...pairs.map((p) => TOKEN_RANK[p.cmp.level])));

/** How often a true match's name part is written at this level rather than exactly (1 for exact and variant). */
function levelShare(field: 'given' | 'surname', level: TokenLevel): number {
  const m = M[field];
  if (level === 'phonetic') return m.phonetic / m.exact;
  if (level === 'fuzzy' || level === 'prefix') return m.fuzzy / m.exact;
  return 1;
}
const MISSING: FieldScore = { level: 'missing', weight: 0 };

const LEVEL_BY_RANK = Object.fromEntries(Object.entries(TOKEN_RANK).map(([l, r]) => [r, l])) as Record<number, TokenLevel>;
const levelOfWorst = (rank: number): TokenLevel => LEVEL_BY_RANK[rank] ?? 'none';

/**
 * A whole given name agreeing with a typo in one of its parts (SONIA MARAI against SONIA MARIA): the
 * parts that agree exactly or by sound are evidence as well as the typo, so u is the chance that a
 * stranger has those parts and another one within a typo of the query's (ten times the chance for any
 * word, since names come in usual pairs), never below the whole name's own frequency; without such a
 * part, the typo alone.
 */
function fuzzyGivenWeight(scorer: Scorer, range: Range, pairs: { q: number; r: number; cmp: TokenComparison }[], record: NameToken[]): number {
  const typos = typoWeight(scorer, range, pairs, record, 'given');
  const sure = pairs.filter((p) => TOKEN_RANK[p.cmp.level] >= TOKEN_RANK.phonetic);
  if (!sure.length) return Math.max(FUZZY_FLOOR.given, log2(M.given.fuzzy / U.given.fuzzy) + typos);
  let f = 1;
  for (const p of sure) f *= givenTokenFrequency(scorer, p.cmp.form);
  const u = Math.max(f * U.given.fuzzy * 10, givenFrequency(scorer, record, true));
  return Math.max(FUZZY_FLOOR.given, Math.min(log2(M.given.fuzzy / u), log2(M.given.phonetic / Math.min(1, givenFrequency(scorer, record, true) * 1.5))) + typos);
}

/**
 * How many equally likely spellings one typo of a name usually lands on (a dropped or doubled letter,
 * two letters swapped, a neighbouring key): the chance that a typo produces one given spelling is about
 * 1 in TYPO_OUTCOMES.
 */
const TYPO_OUTCOMES = 20;
/**
 * A word two edits from the record's (SAASAR for SALAZAR) against one typo: log2 of (m2 / m1) / (u2 / u1).
 * Two slips in one word are about a quarter as common as one among true matches' misspelt words, and a
 * stranger's name lies within two edits of a word about ten times as often as within one (names of five
 * to eight letters). −5.3 bits: a complete two-edit agreement weighs about as much as an initial, well
 * above a disagreement (surname −5 bits). Only a complete agreement counts it: a two-edit part of a
 * compound is no evidence (scoreGiven, scoreSurname).
 */
export const TWO_EDITS = log2(0.25 / 10);
/** A fuzzy agreement is never weaker evidence than an initial (the words still share their first letter or sound). */
const FUZZY_FLOOR = { given: log2(M.given.initial / U.given.initial), surname: log2(M.surname.initial / U.surname.initial) };

/**
 * A query word one typo away from the record's that is itself a name people have (JOSE against JOSUE,
 * MARIA against MARIO) is more likely that other name than a typo: of the queries that read JOSE, those
 * for a JOSUE with a letter dropped are about U_fuzzy / TYPO_OUTCOMES against the frequency of JOSE.
 * The log2 of that share, summed over the typo-level pairs (0 when the query's word is no known name, as
 * for MARAI or CALDTRON). Spellings farther apart that agree on their sound skeleton (JONATHAN,
 * JHONATAN) are variants of one name, not typos, and keep their weight.
 */
function typoWeight(scorer: Scorer, range: Range, pairs: { q: number; r: number; cmp: TokenComparison }[], record: NameToken[], field: 'given' | 'surname'): number {
  let w = 0;
  const typo = (field === 'given' ? U.given.fuzzy : U.surname.fuzzy) / TYPO_OUTCOMES;
  for (const p of pairs) {
    if (p.cmp.level !== 'fuzzy') continue;
    const q = scorer.prepared.tokens[range[0] + p.q]!;
    const r = record[p.r]!;
    if (p.cmp.edits === 2 || p.cmp.loose) w += TWO_EDITS;
    else if (!oneEditApart(q.text, r.text)) continue;
    const form = q.forms[0] ?? q.text;
    const own = field === 'given' ? (FREQ.givenToken[form] ?? registerOnly(scorer, 'given', form)) : (FREQ.surnames[form] ?? registerOnly(scorer, 'surname', form));
    if (own > 0) w += log2(typo / (own + typo));
  }
  return w;
}

/** Given names: exact / variant / phonetic / fuzzy / initial / partial (one part of a compound) / mixed / disagree / missing. */
function scoreGiven(scorer: Scorer, range: Range, record: NameToken[]): FieldScore {
  const nq = range[1] - range[0];
  if (nq === 0 || record.length === 0) return MISSING;
  const a = assignTokens(nq, record.length, (i, j) => tokenCmp(scorer, range[0] + i, record[j]!));
  const complete = a.unmatchedQ.length === 0 && a.unmatchedR.length === 0;
  if (a.pairs.every((p) => p.cmp.edits === 2 && !complete)) return { level: 'disagree', weight: log2(M.given.disagree / U.given.disagree) };
  const strong = a.pairs.filter((p) => TOKEN_RANK[p.cmp.level] >= TOKEN_RANK.fuzzy && (complete || p.cmp.edits !== 2));
  if (complete) {
    const worst = levelOfWorst(Math.min(...a.pairs.map((p) => TOKEN_RANK[p.cmp.level])));
    const f = givenFrequency(scorer, record, worst !== 'exact');
    switch (worst) {
      case 'exact':
        return { level: 'exact', weight: log2(M.given.exact / f), detail: canonical(record) };
      case 'variant':
        return { level: 'variant', weight: log2(M.given.variant / f), detail: canonical(record) };
      case 'phonetic':
        return { level: 'phonetic', weight: log2(M.given.phonetic / Math.min(1, Math.max(f, queryWordFrequency(scorer, range)) * 1.5)), detail: canonical(record) };
      case 'fuzzy':
        return { level: 'fuzzy', weight: fuzzyGivenWeight(scorer, range, a.pairs, record) };
      default:
        if (strong.length) return { level: 'fuzzy', weight: fuzzyGivenWeight(scorer, range, a.pairs, record) };
        return { level: 'initial', weight: log2(M.given.initial / U.given.initial) };
    }
  }
  if (strong.length === 0) return { level: 'initial', weight: log2(M.given.initial / U.given.initial) + (a.unmatchedQ.length ? -1 : 0) };
  // u: the chance that a stranger's given names contain the part that agrees (LUIS is common, EVODIO not).
  // A fuzzy-level part agrees by chance more often than the name's own frequency says.
  let u = 1;
  for (const p of strong) {
    const f = TOKEN_RANK[p.cmp.level] >= TOKEN_RANK.phonetic ? Math.max(givenTokenFrequency(scorer, p.cmp.form), p.cmp.level === 'exact' ? 0 : queryWordFrequency(scorer, [range[0] + p.q, range[0] + p.q + 1])) : U.given.fuzzy;
    u = Math.min(u, f);
  }
  if (strong.length > 1) u = u * 0.5;
  // Giving one part of a compound AND misspelling it are two things that must both happen: m is the
  // part's m times how often the part is written at its (worst) level, so "Jea" against JEAN BAPTISTE
  // never outweighs "Jea" against JEAN (a complete fuzzy agreement).
  const m = levelShare('given', worstStrong(strong));
  const mixed = a.unmatchedQ.length > 0 && a.unmatchedR.length > 0;
  const detail = strong.map((p) => p.cmp.form).join(' ');
  const typos = typoWeight(scorer, range, strong, record, 'given');
  return mixed ? { level: 'mixed', weight: log2((M.given.mixed * m) / u) + typos, detail } : { level: 'partial', weight: log2((M.given.partial * m) / Math.min(1, u)) + typos, detail };
}

/** One surname field: exact / variant / phonetic / fuzzy / initial / partial (part of a compound surname) / disagree / missing. */
function scoreSurname(scorer: Scorer, range: Range, record: NameToken[]): FieldScore {
  const nq = range[1] - range[0];
  if (nq === 0 && record.length === 0) return { level: 'both_missing', weight: log2(M.surnameSlot.both_missing / U.surnameNotGiven) };
  if (nq === 0) return { level: 'not_given', weight: log2(M.surnameSlot.not_given / U.surnameNotGiven) };
  if (record.length === 0) return { level: 'not_recorded', weight: log2(M.surnameSlot.not_recorded / (1 - U.surnameNotGiven)) };
  const a = assignTokens(nq, record.length, (i, j) => tokenCmp(scorer, range[0] + i, record[j]!));
  if (a.pairs.length === 0) return { level: 'disagree', weight: log2(M.surname.disagree / U.surname.disagree) };
  const complete = a.unmatchedQ.length === 0 && a.unmatchedR.length === 0;
  const strong = a.pairs.filter((p) => TOKEN_RANK[p.cmp.level] >= TOKEN_RANK.fuzzy && (complete || p.cmp.edits !== 2));
  if (complete) {
    const worst = levelOfWorst(Math.min(...a.pairs.map((p) => TOKEN_RANK[p.cmp.level])));
    const detail = canonical(record);
    switch (worst) {
      case 'exact':
        return { level: 'exact', weight: log2(M.surname.exact / surnameFrequency(scorer, record, false)), detail };
      case 'variant':
        return { level: 'variant', weight: log2(M.surname.variant / surnameFrequency(scorer, record, false)), detail };
      case 'phonetic':
        return { level: 'phonetic', weight: log2(M.surname.phonetic / Math.max(surnameFrequency(scorer, record, true), queryWordFrequency(scorer, range))), detail };
      case 'fuzzy':
        return { level: 'fuzzy', weight: Math.max(FUZZY_FLOOR.surname, log2(M.surname.fuzzy / U.surname.fuzzy) + typoWeight(scorer, range, a.pairs, record, 'surname')) };
      default:
        return { level: 'initial', weight: log2(M.surname.initial / U.surname.initial) };
    }
  }
  if (strong.length === 0) return { level: 'disagree', weight: log2(M.surname.disagree / U.surname.disagree) };
  const matched = strong.map((p) => record[p.r]!);
  // A fuzzy-level part agrees by chance more often than the surname's own frequency says.
  const u = strong.every((p) => TOKEN_RANK[p.cmp.level] >= TOKEN_RANK.phonetic) ? Math.max(surnameFrequency(scorer, matched, true), ...strong.map((p) => queryWordFrequency(scorer, [range[0] + p.q, range[0] + p.q + 1]))) : U.surname.fuzzy;
  return { level: 'partial', weight: log2((M.surname.partial * levelShare('surname', worstStrong(strong))) / u), detail: canonical(matched) };
}

type NameScore = { weight: number; explanation: FieldExplanation[] };

function givenScores(scorer: Scorer, record: PersonRecord): FieldScore[] {
  const aliases = record.other_names ?? [];
  const key = aliases.length ? [record.given_names, ...aliases].join('\u0001') : record.given_names;
  let scores = scorer.givenCache.get(key);
  if (!scores) {
    const given = nameTokens(record.given_names, 'given');
    const alts = aliases.map((n) => nameTokens(n, 'given')).filter((t) => t.length);
    scores = scorer.givenRanges.map((range) => {
      let s = scoreGiven(scorer, range, given);
      for (const alias of alts) {
        const alt = scoreGiven(scorer, range, alias);
        if (alt.weight > s.weight) s = { ...alt, detail: `alias ${alt.detail ?? ''}`.trim() };
      }
      return s;
    });
    scorer.givenCache.set(key, scores);
  }
  return scores;
}

function surnameScores(scorer: Scorer, value: string | null): FieldScore[] {
  const key = value ?? '';
  let scores = scorer.surnameCache.get(key);
  if (!scores) {
    const tokens = nameTokens(value, 'surname');
    const shared = scorer.sharedSurnames;
    scores = scorer.surnameRanges.map((range, i) => {
      let score = shared?.[i]!.get(key);
      if (!score) {
        score = scoreSurname(scorer, range, tokens);
        shared?.[i]!.set(key, score);
      }
      return score;
    });
    scorer.surnameCache.set(key, scores);
  }
  return scores;
}

function scoreNames(scorer: Scorer, record: PersonRecord, explain = true): NameScore {
  const given = givenScores(scorer, record);
  const r1 = surnameScores(scorer, record.surname1);
  const r2 = surnameScores(scorer, record.surname2);
  let bestTotal = -Infinity;
  let bestPlan = -1;
  let bestSwapped = false;
  for (let i = 0; i < scorer.plan.length; i++) {
    const p = scorer.plan[i]!;
    const straight = r1[p.s1]!.weight + r2[p.s2]!.weight;
    const crossed = r2[p.s1]!.weight + r1[p.s2]!.weight + SWAP_PENALTY;
    const swapped = crossed > straight;
    const total = given[p.g]!.weight + (swapped ? crossed : straight) + p.parse.penalty;
    if (total > bestTotal) {
      bestTotal = total;
      bestPlan = i;
      bestSwapped = swapped;
    }
  }
  if (bestPlan < 0) return { weight: 0, explanation: [] };
  if (!explain) return { weight: bestTotal, explanation: [] };
  const p = scorer.plan[bestPlan]!;
  const g = given[p.g]!;
  const f1 = bestSwapped ? r1[p.s2]! : r1[p.s1]!;
  const f2 = bestSwapped ? r2[p.s1]! : r2[p.s2]!;
  const explanation: FieldExplanation[] = [
    { field: 'given_names', ...g, weight: round(g.weight) },
    { field: 'surname1', ...f1, weight: round(f1.weight) },
    { field: 'surname2', ...f2, weight: round(f2.weight) },
  ];
  if (bestSwapped) explanation.push({ field: 'surname_order', level: 'swapped', weight: SWAP_PENALTY });
  const parse = p.parse;
  if (parse.penalty) explanation.push({ field: 'name_order', level: parse.given[1] === parse.given[0] ? 'surnames_only' : parse.s1[0] === parse.s1[1] ? 'given_only' : parse.order, weight: parse.penalty });
  return { weight: bestTotal, explanation };
}

type ParsedDate = Readonly<{ y: number; m: number; d: number; t: number }>;
/** Dates parsed lately: matching compares the same birth dates millions of times. Cleared when full. */
const parsedDates = new Map<string, ParsedDate>();
function parseDate(value: string): ParsedDate {
  let date = parsedDates.get(value);
  if (!date) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    if (parsedDates.size >= 200_000) parsedDates.clear();
    parsedDates.set(value, (date = Object.freeze({ y, m, d, t: Date.UTC(y, m - 1, d) / 86_400_000 })));
  }
  return date;
}

/** Birth interval implied by an estimated age: age ± 5 years at the date it was estimated. */
function ageInterval(age: number, on: string): [number, number] {
  const o = parseDate(on);
  return [Date.UTC(o.y - age - 6, o.m - 1, o.d) / 86_400_000, Date.UTC(o.y - age + 5, o.m - 1, o.d) / 86_400_000];
}

// Module-level helpers, not closures: these comparators run for every pair that matching compares, and
// their levels are shared frozen objects (no detail), built once with the module.
const fixed = (field: string, level: string, m: number, u: number): FieldExplanation => Object.freeze({ field, level, weight: round(log2(m / u)) });
const levelsOf = <F extends 'date_of_birth' | 'age' | 'sex' | 'nationality'>(field: F) =>
  Object.fromEntries(Object.keys(M[field]).map((level) => [level, fixed(field, level, (M[field] as Record<string, number>)[level]!, (U[field] as Record<string, number>)[level]!)])) as Record<keyof (typeof M)[F], FieldExplanation>;
const BIRTH = levelsOf('date_of_birth');
const AGE = levelsOf('age');
const SEX = levelsOf('sex');
const NATIONALITY = levelsOf('nationality');
const swappedYear = (y: number) => y - (y % 100) + (y % 10) * 10 + Math.floor((y % 100) / 10);
const knownSex = (s: string | null | undefined) => s === 'female' || s === 'male' || s === 'intersex';

export function scoreBirth(query: MatchQuery, record: PersonRecord): FieldExplanation | null {
  if (query.date_of_birth && record.date_of_birth) {
    const q = parseDate(query.date_of_birth);
    const r = parseDate(record.date_of_birth);
    if (q.t === r.t) return BIRTH.exact;
    if (Math.abs(q.t - r.t) <= 2 || (q.y === r.y && q.m === r.d && q.d === r.m)) return BIRTH.close;
    if (q.m === r.m && q.d === r.d && (Math.abs(q.y - r.y) === 10 || swappedYear(q.y) === r.y)) return BIRTH.year_slip;
    if (q.y === r.y) return BIRTH.same_year;
    if (Math.abs(q.y - r.y) <= 2) return BIRTH.year_close;
    return BIRTH.disagree;
  }
  if (!query.date_of_birth && query.estimated_age == null) return null;
  const qi = query.date_of_birth ? ([parseDate(query.date_of_birth).t, parseDate(query.date_of_birth).t] as const) : query.estimated_age != null && query.age_estimated_on ? ageInterval(query.estimated_age, query.age_estimated_on) : null;
  const ri = record.date_of_birth ? ([parseDate(record.date_of_birth).t, parseDate(record.date_of_birth).t] as const) : record.estimated_age != null && record.age_estimated_on ? ageInterval(record.estimated_age, record.age_estimated_on) : null;
  if (!qi || !ri) return null;
  const overlap = qi[0] <= ri[1] && ri[0] <= qi[1];
  return overlap ? AGE.consistent : AGE.inconsistent;
}

export function scoreSex(query: MatchQuery, record: PersonRecord): FieldExplanation | null {
  if (!knownSex(query.sex) || !knownSex(record.sex)) return null;
  return query.sex === record.sex ? SEX.agree : SEX.disagree;
}

export function scoreNationality(query: MatchQuery, record: PersonRecord): FieldExplanation | null {
  const q = query.nationalities ?? [];
  const r = record.nationalities ?? [];
  if (!q.length || !r.length) return null;
  const agree = q.some((n) => r.some((x) => x.trim() === n.trim()));
  return agree ? NATIONALITY.agree : NATIONALITY.disagree;
}

export type ScoreOptions = { priorLog2?: number; extra?: FieldComparator<MatchQuery, PersonRecord>[] };

export const toProbability = (logOdds2: number) => 1 / (1 + 2 ** -logOdds2);

/** Scores one record against a prepared query (use one scorer per query for many records). */
export function scoreRecord(scorer: Scorer, record: PersonRecord, options: ScoreOptions = {}): MatchResult {
  const names = scoreNames(scorer, record);
  const explanation = [...names.explanation];
  const q = scorer.prepared.query;
  for (const cmp of [scoreBirth, scoreSex, scoreNationality, ...(options.extra ?? [])]) {
    const e = cmp(q, record);
    if (e) explanation.push(e);
  }
  const weight = names.weight + explanation.slice(names.explanation.length).reduce((s, e) => s + e.weight, 0);
  const prior = options.priorLog2 ?? DEFAULT_PRIOR_LOG2;
  return { weight: round(weight), probability: toProbability(prior + weight), explanation };
}

/** The names' weight alone (best reading of given names and surnames, no explanation, not rounded). */
export const nameWeight = (scorer: Scorer, record: PersonRecord): number => scoreNames(scorer, record, false).weight;

/** The match weight alone (no explanation): for ranking many candidates before explaining the top ones. */
export function matchWeight(scorer: Scorer, record: PersonRecord, options: ScoreOptions = {}): number {
  let weight = scoreNames(scorer, record, false).weight;
  const q = scorer.prepared.query;
  for (const cmp of [scoreBirth, scoreSex, scoreNationality, ...(options.extra ?? [])]) {
    const e = cmp(q, record);
    if (e) weight += e.weight;
  }
  return weight;
}

/** Convenience for one pair (tests, de-duplication of a single record). */
export function scorePair(query: MatchQuery, record: PersonRecord, options: ScoreOptions = {}): MatchResult {
  return scoreRecord(createScorer(prepareQuery(query)), record, options);
}
