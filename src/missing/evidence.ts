import { foldPlain } from '../search/normalize.ts';
import { createScorer, matchWeight, prepareQuery, scoreNationality, scoreRecord, scoreSex, toProbability, type FieldExplanation, type MatchQuery, type PersonRecord } from '../search/model.ts';
import { personNameKeys } from '../search/keys.ts';
import { mexicanStates } from '../platform/mx-states.ts';

/**
 * Scoring a missing-person report against a found record: the name model of src/search (Fellegi–Sunter
 * with name frequencies) plus the evidence a search has that a person search does not: age ranges,
 * height ranges, when and where the person was last seen and found, marks, tattoos and clothing in free
 * text, identity documents. Every comparator returns a level and its weight log2(m/u); the weights add up
 * with a prior into a probability. docs/missing.md explains the levels and their m and u.
 */

/** A report or a found record, reduced to what matching compares. */
export type Subject = {
  side: 'R' | 'F';
  id: string;
  institution_id: string;
  given_names: string | null;
  surname1: string | null;
  surname2: string | null;
  other_names: string[];
  sex: string;
  date_of_birth: string | null;
  age_min: number | null;
  age_max: number | null;
  /** The date the age range refers to (report: age_on or last seen; found record: found_on). */
  age_on: string | null;
  nationalities: string[];
  height_min_cm: number | null;
  height_max_cm: number | null;
  marks: string | null;
  clothing: string | null;
  document_keys: string[];
  /** Report: last seen on; found record: found on. */
  event_on: string | null;
  /** Found record: the latest estimated date of death (deceased only). */
  death_to: string | null;
  state: string | null;
  condition: 'alive' | 'deceased' | null;
};

/** Prior log-odds that a report and a found record sharing a blocking key are the same person (1:4096). */
export const MATCH_PRIOR_LOG2 = -12;

const log2 = Math.log2;
const round = (x: number) => Math.round(x * 100) / 100;
const level = (field: string, name: string, m: number, u: number, detail?: string): FieldExplanation => ({ field, level: name, weight: round(log2(m / u)), ...(detail ? { detail } : {}) });

const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const yearsBetween = (from: string, to: string) => (dayNumber(to) - dayNumber(from)) / 365.25;

export const hasName = (s: Pick<Subject, 'given_names' | 'surname1' | 'surname2'>) => Boolean(s.given_names?.trim() || s.surname1?.trim() || s.surname2?.trim());

/** The person's possible ages [min, max] on `date`, from a birth date or an estimated range. */
export function ageRangeOn(s: Subject, date: string): [number, number] | null {
  if (s.date_of_birth) {
    const age = yearsBetween(s.date_of_birth, date);
    return [age, age];
  }
  if (s.age_min == null && s.age_max == null) return null;
  const shift = s.age_on ? yearsBetween(s.age_on, date) : 0;
  return [(s.age_min ?? s.age_max!) + shift, (s.age_max ?? s.age_min!) + shift + 1];
}

/** Both ages on the found date; estimates are intervals, and a forensic estimate gets two years of slack. */
function compareAge(r: Subject, f: Subject): FieldExplanation | null {
  if (r.date_of_birth && f.date_of_birth) return null; // the name model compares birth dates
  const on = f.event_on ?? f.age_on;
  if (!on) return null;
  const a = ageRangeOn(r, on);
  const b = ageRangeOn(f, on);
  if (!a || !b) return null;
  const slack = 2;
  const overlap = a[0] - slack <= b[1] && b[0] - slack <= a[1];
  // Two random adults' ranges overlap with a probability about the ranges' joint width over ~55 years.
  const u = Math.min(0.9, (a[1] - a[0] + (b[1] - b[0]) + 2 * slack + 1) / 55);
  const detail = `${Math.floor(a[0])}–${Math.ceil(a[1])} / ${Math.floor(b[0])}–${Math.ceil(b[1])}`;
  return overlap ? level('age', 'consistent', 0.95, u, detail) : level('age', 'inconsistent', 0.05, 1 - u, detail);
}

function compareHeight(r: Subject, f: Subject): FieldExplanation | null {
  const a = range(r.height_min_cm, r.height_max_cm);
  const b = range(f.height_min_cm, f.height_max_cm);
  if (!a || !b) return null;
  const slack = 4;
  const overlap = a[0] - slack <= b[1] && b[0] - slack <= a[1];
  const u = Math.min(0.9, (a[1] - a[0] + (b[1] - b[0]) + 2 * slack + 1) / 45);
  const detail = `${a[0]}–${a[1]} / ${b[0]}–${b[1]} cm`;
  return overlap ? level('height', 'consistent', 0.92, u, detail) : level('height', 'inconsistent', 0.08, 1 - u, detail);
}

const range = (min: number | null, max: number | null): [number, number] | null => (min == null && max == null ? null : [min ?? max!, max ?? min!]);

/** A person cannot be found (or have died) before they were last seen. */
export const IMPOSSIBLE_WEIGHT = -30;

function compareTimeline(r: Subject, f: Subject): FieldExplanation | null {
  if (!r.event_on || !f.event_on) return null;
  const latest = f.condition === 'deceased' && f.death_to ? Math.min(dayNumber(f.death_to), dayNumber(f.event_on)) : dayNumber(f.event_on);
  if (latest < dayNumber(r.event_on)) return { field: 'timeline', level: 'found_before_last_seen', weight: IMPOSSIBLE_WEIGHT, detail: `${r.event_on} > ${f.event_on}` };
  const gapYears = (dayNumber(f.event_on) - dayNumber(r.event_on)) / 365.25;
  // Most people who are found are found within two years of being last seen.
  return gapYears <= 2 ? level('timeline', 'consistent', 0.85, 0.45, `${r.event_on} → ${f.event_on}`) : level('timeline', 'long_after', 0.15, 0.55, `${r.event_on} → ${f.event_on}`);
}

function comparePlace(r: Subject, f: Subject): FieldExplanation | null {
  if (!r.state || !f.state) return null;
  return r.state === f.state ? level('place', 'same_state', 0.3, 0.06, stateNames(r.state)) : level('place', 'other_state', 0.7, 0.94, stateNames(`${r.state} / ${f.state}`));
}

function compareDocuments(r: Subject, f: Subject): FieldExplanation | null {
  if (!r.document_keys.length || !f.document_keys.length) return null;
  return r.document_keys.some((k) => f.document_keys.includes(k)) ? level('documents', 'same_document', 0.9, 1e-7) : level('documents', 'different', 0.3, 0.999);
}

/**
 * Words of a description that say little on their own: body parts, sides, kinds of mark, colours,
 * common garments. A shared "tatuaje en el brazo" is weak evidence; a shared "ancla" or "Guadalupe"
 * is strong.
 */
const COMMON_WORDS = new Set(
  `tatuaje tatuajes tatuado cicatriz cicatrices lunar lunares mancha marca marcas quemadura perforacion arete aretes piercing
   brazo brazos antebrazo antebrazos mano manos dedo dedos muneca hombro hombros pecho espalda abdomen vientre cuello cara rostro frente
   mejilla ceja ojo ojos labio boca nariz oreja pierna piernas muslo rodilla pantorrilla tobillo pie pies cabeza cadera gluteo costado
   izquierdo izquierda derecho derecha izq der superior inferior lado parte zona pequeno pequena grande mediano mediana
   con sin del las los una uno unos unas que por para sobre bajo entre cerca
   negro negra azul rojo roja blanco blanca verde gris cafe amarillo amarilla rosa morado oscuro oscura claro clara
   pantalon pantalones mezclilla playera camisa camiseta sudadera chamarra gorra tenis zapatos botas calcetines short shorts vestido blusa falda
   ropa interior cinturon mochila color colores manga larga corta tipo marca talla letra letras nombre palabra dibujo figura`.split(/\s+/),
);

export type DescriptionTokens = { distinctive: string[]; common: string[] };

export function descriptionTokens(text: string | null | undefined): DescriptionTokens {
  if (!text) return { distinctive: [], common: [] };
  const words = foldPlain(text).toLowerCase().split(' ').filter((w) => w.length >= 3);
  const distinctive = new Set<string>();
  const common = new Set<string>();
  for (const raw of words) {
    const w = raw.length > 4 && raw.endsWith('s') ? raw.slice(0, -1) : raw;
    (COMMON_WORDS.has(raw) || COMMON_WORDS.has(w) ? common : distinctive).add(w);
  }
  return { distinctive: [...distinctive], common: [...common] };
}

const shared = (a: string[], b: string[]) => a.filter((x) => b.includes(x));

/**
 * How common a pair of description words is among the other side's records, as a u-probability. Two
 * shared motifs are strong evidence only if that pair is rare: "corazón" and "cruz" are on many
 * tattooed people, "ancla" and "escorpión" on few. Estimated from the size of the pair's blocking key
 * (`m:` keys, one per pair of distinctive words), shrunk towards MARK_PAIR_U0 by MARK_PAIR_PSEUDO
 * pseudo-records so that a small register does not make every pair look common.
 */
export type MarkPairFrequency = (key: string) => number;
export const MARK_PAIR_U0 = 0.0005;
export const MARK_PAIR_PSEUDO = 1000;
export const markPairU = (blockSize: number, sideSize: number) => (blockSize + MARK_PAIR_PSEUDO * MARK_PAIR_U0) / (Math.max(0, sideSize) + MARK_PAIR_PSEUDO);

const sexKey = (sex: string) => (sex === 'female' || sex === 'male' ? sex[0] : 'x');
const markPairKey = (sex: string, a: string, b: string) => `m:${sexKey(sex)}|${a < b ? a : b}|${a < b ? b : a}`;

function compareMarks(r: Subject, f: Subject, frequency: MarkPairFrequency | undefined, candidateSex: string): FieldExplanation | null {
  const a = descriptionTokens(r.marks);
  const b = descriptionTokens(f.marks);
  if (!a.distinctive.length && !a.common.length) return null;
  if (!b.distinctive.length && !b.common.length) return null;
  const both = shared(a.distinctive, b.distinctive);
  if (both.length >= 2) {
    // The rarest shared pair decides how telling the agreement is.
    let u = MARK_PAIR_U0;
    if (frequency) {
      u = 1;
      for (let i = 0; i < both.length; i++) for (let j = i + 1; j < both.length; j++) u = Math.min(u, frequency(markPairKey(candidateSex, both[i]!, both[j]!)));
    }
    return level('marks', 'strong', 0.55, Math.min(u, 0.5), both.slice(0, 4).join(', '));
  }
  if (both.length === 1) return level('marks', 'partial', 0.25, 0.01, both[0]);
  if (shared(a.common, b.common).length >= 2) return level('marks', 'similar', 0.1, 0.05);
  return level('marks', 'different', 0.1, 0.94);
}

function compareClothing(r: Subject, f: Subject): FieldExplanation | null {
  const a = descriptionTokens(r.clothing);
  const b = descriptionTokens(f.clothing);
  const wa = [...a.distinctive, ...a.common];
  const wb = [...b.distinctive, ...b.common];
  if (!wa.length || !wb.length) return null;
  const n = shared(wa, wb).length + shared(a.distinctive, b.distinctive).length; // distinctive words count twice
  if (n >= 4) return level('clothing', 'similar', 0.45, 0.03, shared(wa, wb).slice(0, 4).join(', '));
  if (n >= 2) return level('clothing', 'some', 0.3, 0.25, shared(wa, wb).slice(0, 4).join(', '));
  // People who are found alive have often changed clothes.
  return level('clothing', 'different', 0.25, 0.72);
}

const EVIDENCE = [compareAge, compareHeight, compareTimeline, comparePlace, compareDocuments, compareClothing];

const asPersonRecord = (s: Subject): PersonRecord => ({
  id: s.id,
  given_names: s.given_names ?? '',
  surname1: s.surname1,
  surname2: s.surname2,
  other_names: s.other_names,
  sex: s.sex,
  date_of_birth: s.date_of_birth,
  estimated_age: null,
  age_estimated_on: null,
  nationalities: s.nationalities,
});

const asQuery = (s: Subject): MatchQuery => ({ given_names: s.given_names, surname1: s.surname1, surname2: s.surname2, sex: s.sex, date_of_birth: s.date_of_birth, nationalities: s.nationalities });

export type PairScore = { weight: number; probability: number; explanation: FieldExplanation[] };

/** Scores many found records against one report (or the other way round): one name scorer per source. */
export function createPairScorer(source: Subject, markFrequency?: MarkPairFrequency) {
  const report = source.side === 'R';
  const scorer = hasName(source) ? createScorer(prepareQuery(asQuery(source))) : null;
  const pair = (other: Subject): [Subject, Subject] => (report ? [source, other] : [other, source]);
  const nameless = (other: Subject): FieldExplanation[] => {
    const parts = [scoreSex(asQuery(source), asPersonRecord(other)), scoreNationality(asQuery(source), asPersonRecord(other))].filter((e): e is FieldExplanation => e !== null);
    return [{ field: 'name', level: 'not_recorded', weight: 0 }, ...parts];
  };
  const evidence = (other: Subject) => {
    const [r, f] = pair(other);
    return [...EVIDENCE.map((cmp) => cmp(r, f)), compareMarks(r, f, markFrequency, other.sex)].filter((e): e is FieldExplanation => e !== null);
  };
  return {
    /** The weight alone, for ranking. */
    weight(other: Subject): number {
      const names = scorer && hasName(other) ? matchWeight(scorer, asPersonRecord(other)) : nameless(other).reduce((s, e) => s + e.weight, 0);
      return names + evidence(other).reduce((s, e) => s + e.weight, 0);
    },
    /** Weight, calibrated probability and the field-by-field explanation. */
    score(other: Subject): PairScore {
      const names = scorer && hasName(other) ? scoreRecord(scorer, asPersonRecord(other)).explanation : nameless(other);
      const explanation = [...names, ...evidence(other)];
      const weight = round(explanation.reduce((s, e) => s + e.weight, 0));
      return { weight, probability: toProbability(MATCH_PRIOR_LOG2 + weight), explanation };
    },
  };
}

/**
 * Blocking keys of a report or found record: the person-search name keys (any surname with any given
 * name, surname pairs, phonetic, nicknames, abbreviations), identity documents, and pairs of
 * distinctive words of the marks (two shared tattoo motifs find nameless remains).
 */
/** The `m:` keys a candidate of any sex would carry for the pairs of this record's distinctive mark words. */
export function markPairKeysForAnySex(s: Subject): string[] {
  const marks = descriptionTokens(s.marks).distinctive.sort().slice(0, 8);
  const keys: string[] = [];
  for (const sex of ['female', 'male', 'unknown']) for (let i = 0; i < marks.length; i++) for (let j = i + 1; j < marks.length; j++) keys.push(markPairKey(sex, marks[i]!, marks[j]!));
  return keys;
}

export function subjectKeys(s: Subject): string[] {
  const keys = new Set<string>();
  if (hasName(s)) for (const k of personNameKeys({ given_names: s.given_names ?? '', surname1: s.surname1, surname2: s.surname2, other_names: s.other_names })) keys.add(k);
  for (const d of s.document_keys) keys.add(`d:${d}`);
  const marks = descriptionTokens(s.marks).distinctive.sort().slice(0, 8);
  for (let i = 0; i < marks.length; i++) for (let j = i + 1; j < marks.length; j++) keys.add(markPairKey(s.sex, marks[i]!, marks[j]!));
  return [...keys];
}

/** What a decision about a pair was based on: a rejected pair comes back only if this changes. */
export function evidenceFingerprint(s: Subject): string {
  const { side: _side, id: _id, institution_id: _inst, ...fields } = s;
  return JSON.stringify(fields);
}

/** "27 / 26" -> "Tabasco / Sonora": state codes in a place's detail, in words. */
const stateNames = (detail: string) => detail.replace(/\b\d{2}\b/g, (code) => mexicanStates[code] ?? code);

/** How much one piece of evidence moves the decision, for a bar of three steps (0: hardly at all). */
export type Strength = 0 | 1 | 2 | 3;

/**
 * A piece of evidence for people reviewing a pair: a phrase key for the web app's words (`field.level`,
 * with `_rare` or `_common` for a name shared by few or by many people, which is what its weight says),
 * whether it speaks for or against, and how strongly, instead of a log-odds weight.
 */
export type EvidenceInWords = FieldExplanation & { phrase: string; direction: 'for' | 'against' | 'neutral'; strength: Strength };

const NAME_FIELDS = new Set(['given_names', 'surname1', 'surname2']);
const SHARED_NAME = new Set(['exact', 'variant', 'phonetic']);

export function inWords(e: FieldExplanation): EvidenceInWords {
  const size = Math.abs(e.weight);
  const strength: Strength = size < 1 ? 0 : size < 4 ? 1 : size < 8 ? 2 : 3;
  const rarity = NAME_FIELDS.has(e.field) && SHARED_NAME.has(e.level) ? (e.weight >= 10 ? '_rare' : e.weight < 7 ? '_common' : '') : '';
  return {
    ...e,
    ...(e.detail && e.field === 'place' ? { detail: stateNames(e.detail) } : {}),
    phrase: `${e.field}.${e.level}${rarity}`,
    direction: strength === 0 ? 'neutral' : e.weight > 0 ? 'for' : 'against',
    strength,
  };
}
