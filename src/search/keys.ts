import { nameTokens, type NameToken } from './normalize.ts';
import { soundForm } from './phonetic.ts';
import { frequencyKey, tableWords, tableGivenToken, tableSurname, type MatchQuery, type PersonRecord } from './model.ts';

/**
 * Blocking keys. A person gets, from the phonetic skeletons (phonetic.ts) of the canonical forms of
 * their tokens:
 * - `n:<surname>|<given>` for every surname token × every given-name token (and alias token): a query
 *   finds the person from any one surname and any one given name, in any order, with either surname
 *   missing, swapped, misspelt by ear, or the given name abbreviated, nicknamed or half of a compound;
 * - `m:<surname>|<given>`: the same pairs on the full phonetic forms (vowels kept). A skeleton merges
 *   MAYRA, MARIA and MARIO (MR); the form key lets the ranking of candidates prefer the person whose
 *   name sounds exactly like the query's, so that a block of thousands of MARIA AGUILAR cannot crowd
 *   out the one MAYRA AGUILAR sought;
 * - `s:<a>|<b>` for the pair of surname tokens (sorted): finds "J. Hernández López" and queries whose
 *   given name is wrong or a typo;
 * - `g:<a>|<b>` for pairs of given-name tokens, only for people without surnames;
 * - `fg:<form>` / `fs:<form>` for each given-name / surname word the frequency tables do not know or hold
 *   as rare (model.ts frequencyKey): not for finding people but for counting them, so that a name common
 *   among the institution's people (JEAN, JOSEPH, TZOC) is not scored as rare (`registerCounts`).
 * Missing-person matching adds `x:`/`y:` keys and corrected `n:` keys for name words the tables do not know
 * (`typoTolerantKeys`); a change there changes MATCH_KEY_VERSION (missing/evidence.ts), not KEY_VERSION.
 * Each key is selective on its own (a surname and a given name together), so a query touches a few
 * thousand index entries at most, never the whole table.
 *
 * KEY_VERSION changes whenever this function or the phonetic code changes; a migration must then
 * mark every person pending, as migrations 0004 and 0022 do (or an operator runs rebuildAllNameKeys in store.ts).
 */
export const KEY_VERSION = 4;

const tokenKeys = (t: NameToken) => (t.kind === 'initial' ? [] : t.keys);
const tokenForms = (t: NameToken) => (t.kind === 'initial' ? [] : t.phon);

function pairKeys(prefix: string, a: string[], b: string[], sorted: boolean, into: Set<string>) {
  for (const x of a) {
    for (const y of b) {
      if (sorted) into.add(`${prefix}:${x < y ? `${x}|${y}` : `${y}|${x}`}`);
      else into.add(`${prefix}:${x}|${y}`);
    }
  }
}

/** One word of a query or record and what it may stand for: its own keys plus those of its corrections. */
type Slot = { keys: string[]; forms: string[] };
const slotOf = (tokens: NameToken[]): Slot => ({ keys: [...new Set(tokens.flatMap(tokenKeys))], forms: [...new Set(tokens.flatMap(tokenForms))] });

function keysOf(given: Slot[], surnames: Slot[], surnameless: boolean, into: Set<string>, withForms = true) {
  const givenKeys = given.flatMap((g) => g.keys);
  const givenForms = given.flatMap((g) => g.forms);
  for (const s of surnames) {
    pairKeys('n', s.keys, givenKeys, false, into);
    if (withForms) pairKeys('m', s.forms, givenForms, false, into);
  }
  for (let i = 0; i < surnames.length; i++) for (let j = i + 1; j < surnames.length; j++) pairKeys('s', surnames[i]!.keys, surnames[j]!.keys, true, into);
  if (surnameless) for (let i = 0; i < given.length; i++) for (let j = i + 1; j < given.length; j++) pairKeys('g', given[i]!.keys, given[j]!.keys, true, into);
}

type Names = Pick<PersonRecord, 'given_names' | 'surname1' | 'surname2' | 'other_names'>;

const givenTokensOf = (person: Names) => [...nameTokens(person.given_names, 'given'), ...(person.other_names ?? []).flatMap((n) => nameTokens(n, 'given'))];
const surnameTokensOf = (person: { surname1?: string | null; surname2?: string | null }) => [...nameTokens(person.surname1, 'surname'), ...nameTokens(person.surname2, 'surname')];

/**
 * A person's keys. `withForms`: also the `m:` form keys, which only the person search's ranking uses
 * (person_name_keys); missing-person matching blocks on the others.
 */
export function personNameKeys(person: Names, withForms = false): string[] {
  const givenTokens = givenTokensOf(person);
  const surnameTokens = surnameTokensOf(person);
  const given = givenTokens.map((t) => slotOf([t]));
  const surnames = surnameTokens.map((t) => slotOf([t]));
  const keys = new Set<string>();
  keysOf(given, surnames, surnames.length === 0, keys, withForms);
  if (withForms) for (const k of frequencyKeys(givenTokens, surnameTokens)) keys.add(k);
  return [...keys];
}

/**
 * Keys that one typo in a name word does not break, for missing-person matching: a report and a found
 * record often share only two words ("Omar Domínguez" / "OMAR DJMINGUEZ"), and one typo in either then
 * leaves them without a key. Only words the name tables do not know (by spelling or by sound) get these
 * keys: every typo that changes how a name sounds, and names the tables lack (many Haitian and African
 * ones). So no block of a listed name grows:
 * - an unknown word one typo from a spelling of the tables (DJMINGUEZ → DOMINGUEZ) also gets the `n:`
 *   keys of that spelling, so it meets the records that spell it right in their own keys;
 * - an unknown word gets `x:` (surname word) or `y:` (given-name word) keys of its one-deletion spellings
 *   (deletionVariants) with each word of the other kind, so two unknown spellings one typo apart
 *   (DESSALINES / DESSAINES, SLYLA / SYLLA) share one.
 * Making listed words rare-keyed too (those under 1 in 10,000) found 2 more of 76 blocked true pairs in
 * the 10k benchmark for twice the keys. A typo that turns a name into another listed name is not caught
 * here.
 */
export function typoTolerantKeys(person: Names): string[] {
  const given = givenTokensOf(person).filter((t) => t.kind !== 'initial');
  const surnames = surnameTokensOf(person).filter((t) => t.kind !== 'initial');
  if (!given.length || !surnames.length) return [];
  const keys = new Set<string>();
  const unknownGiven = given.map((t) => unknownWord('given', t));
  const unknownSurnames = surnames.map((t) => unknownWord('surname', t));
  for (let i = 0; i < surnames.length; i++) {
    for (let j = 0; j < given.length; j++) {
      const s = unknownSurnames[i];
      const g = unknownGiven[j];
      if (s) {
        for (const v of s.variants) for (const gk of given[j]!.keys) keys.add(`x:${v}|${gk}`);
        pairKeys('n', s.correctionKeys, given[j]!.keys, false, keys);
      }
      if (g) {
        for (const v of g.variants) for (const sk of surnames[i]!.keys) keys.add(`y:${sk}|${v}`);
        pairKeys('n', surnames[i]!.keys, g.correctionKeys, false, keys);
      }
    }
  }
  return [...keys];
}

/** Shorter words get no typo keys: their one-deletion spellings are other names' (ANA → AN, NA). */
const TYPO_KEY_MIN_LENGTH = 4;

type UnknownWord = { variants: string[]; correctionKeys: string[] };

function unknownWord(field: 'given' | 'surname', t: NameToken): UnknownWord | null {
  if (t.kind !== 'word' || t.text.length < TYPO_KEY_MIN_LENGTH) return null;
  if ((field === 'given' ? tableGivenToken(t.text) : tableSurname(t.text)) !== undefined) return null;
  const correctionKeys = new Set<string>();
  for (const word of typoCorrections(field, t.text)) for (const c of nameTokens(word, field)) for (const k of c.keys) if (!t.keys.includes(k)) correctionKeys.add(k);
  return { variants: deletionVariants(t.text), correctionKeys: [...correctionKeys] };
}

const correctionIndexes = new Map<'given' | 'surname', Map<string, string[]>>();

/** The spellings the tables list one typo from this word (they share a one-deletion spelling). */
export function typoCorrections(field: 'given' | 'surname', word: string): string[] {
  let index = correctionIndexes.get(field);
  if (!index) {
    index = new Map();
    for (const listed of tableWords(field)) {
      for (const v of deletionVariants(listed)) {
        const list = index.get(v);
        if (list) list.push(listed);
        else index.set(v, [listed]);
      }
    }
    correctionIndexes.set(field, index);
  }
  const found = new Set<string>();
  for (const v of deletionVariants(word)) for (const c of index.get(v) ?? []) if (c !== word) found.add(c);
  return [...found];
}

/** The register-frequency keys (`fg:`, `fs:`) of these words: the ones the tables do not settle. */
export function frequencyKeys(givenTokens: NameToken[], surnameTokens: NameToken[]): string[] {
  const keys = new Set<string>();
  const add = (field: 'given' | 'surname', t: NameToken) => {
    if (t.kind === 'initial' || t.kind === 'abbreviation') return;
    const k = frequencyKey(field, t.forms[0] ?? t.text);
    if (k) keys.add(k);
  };
  for (const t of givenTokens) add('given', t);
  for (const t of surnameTokens) add('surname', t);
  return [...keys];
}

/**
 * The register-frequency keys a query's scoring may look up: each word of the query, and the words it
 * may be a typo or a by-ear spelling of (`corrections`), as a given name and as a surname (a free-text
 * query does not say which). `inVocabulary`: the query's words the institution's vocabulary holds (the
 * others are left out).
 */
export function queryFrequencyKeys(query: MatchQuery, corrections: ReadonlyMap<string, string[]> = new Map(), inVocabulary?: ReadonlySet<string>): string[] {
  const text = query.text && query.text.trim() ? query.text : [query.given_names, query.surname1, query.surname2].filter(Boolean).join(' ');
  // A word nobody of the institution has (a typo: JOSQE) counts 0 people; no need to ask.
  const tokens = nameTokens(text).filter((t) => !inVocabulary || t.kind !== 'word' || inVocabulary.has(t.text));
  const all = [...tokens, ...tokens.flatMap((t) => (corrections.get(t.text) ?? []).flatMap((w) => nameTokens(w)))];
  return [...new Set([...frequencyKeys(all, []), ...frequencyKeys([], all)])];
}

/**
 * The words of a person's name as the vocabulary of the institution keeps them (person_name_tokens):
 * folded spellings of three letters or more, and the names a nickname stands for.
 */
export function personNameWords(person: Names): string[] {
  const words = new Set<string>();
  for (const t of [...givenTokensOf(person), ...surnameTokensOf(person)]) {
    if (t.kind === 'initial' || t.kind === 'abbreviation') continue;
    if (t.text.length >= 3) words.add(t.text);
    if (t.kind === 'nickname') for (const f of t.forms) if (!f.includes(' ')) words.add(f);
  }
  return [...words];
}

/**
 * A word and its spellings with one letter deleted (CALDERON → ALDERON, CLDERON, CADERON...). Two words
 * one typo apart share one of these (a letter added, dropped or changed, two letters swapped): the
 * vocabulary stores every word under each, and a query word probes its own (SymSpell's idea).
 */
export function deletionVariants(word: string): string[] {
  const out = new Set([word]);
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/**
 * The spellings a vocabulary word is stored under (person_name_tokens.variant): its one-deletion
 * spellings (typos) and, prefixed with `~`, its sound read the French way (phonetic.ts soundForm), so
 * that YAN finds JEAN and PIER finds PIERRE.
 */
export function vocabularyVariants(word: string): string[] {
  return [...deletionVariants(word), `~${soundForm(word)}`];
}

/** The spellings a query word probes the vocabulary with: its deletions when it is long enough for a typo to be told from another name, and its sound. */
export function queryVariants(word: string): string[] {
  return word.length >= CORRECTABLE_LENGTH ? vocabularyVariants(word) : [word, `~${soundForm(word)}`];
}

/** Words shorter than this are not corrected for typos (too many names of four letters are one typo apart); their sound is still probed. */
export const CORRECTABLE_LENGTH = 5;

/** The words of a query that may be misspelt and are worth correcting against the vocabulary. */
export function correctableWords(query: MatchQuery): string[] {
  const tokens = query.text && query.text.trim() ? nameTokens(query.text) : [...nameTokens(query.given_names, 'given'), ...nameTokens(query.surname1, 'surname'), ...nameTokens(query.surname2, 'surname')];
  return [...new Set(tokens.filter((t) => t.kind === 'word' && t.text.length >= 3).map((t) => t.text))];
}

/**
 * The keys a query probes. A free-text query does not say which token is a surname, so every ordered
 * pair of tokens is tried as (surname, given name), and every unordered pair as a surname pair: at most
 * 6 tokens → 30 + 15 pairs, each an index probe per key. `corrections` maps a folded word of the query
 * to the words of the vocabulary it may be a typo of (CALDTRON → CALDERON): the word then probes its
 * own keys and those of its corrections, so a typo in one surname does not lose the pairs it is in.
 */
export function queryNameKeys(query: MatchQuery, corrections: ReadonlyMap<string, string[]> = new Map()): string[] {
  const slot = (t: NameToken, field: 'any' | 'given' | 'surname') => slotOf([t, ...(corrections.get(t.text) ?? []).flatMap((w) => nameTokens(w, field))]);
  const keys = new Set<string>();
  if (query.text && query.text.trim()) {
    const slots = nameTokens(query.text).slice(0, 6).map((t) => slot(t, 'any'));
    for (let i = 0; i < slots.length; i++) {
      for (let j = 0; j < slots.length; j++) {
        if (i === j) continue;
        pairKeys('n', slots[i]!.keys, slots[j]!.keys, false, keys);
        pairKeys('m', slots[i]!.forms, slots[j]!.forms, false, keys);
        if (i < j) {
          pairKeys('s', slots[i]!.keys, slots[j]!.keys, true, keys);
          pairKeys('g', slots[i]!.keys, slots[j]!.keys, true, keys);
        }
      }
    }
    return [...keys];
  }
  const given = nameTokens(query.given_names, 'given').map((t) => slot(t, 'given'));
  const surnames = surnameTokensOf(query).map((t) => slot(t, 'surname'));
  keysOf(given, surnames, true, keys);
  return [...keys];
}
