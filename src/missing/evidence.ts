import { foldPlain } from '../search/normalize.ts';
import { createScorer, createSharedFieldScores, nameWeight, prepareQuery, scoreBirth, scoreNationality, scoreRecord, scoreSex, toProbability, type FieldExplanation, type MatchQuery, type PersonRecord, type PreparedQuery } from '../search/model.ts';
import { personNameKeys, typoTolerantKeys } from '../search/keys.ts';
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
const level = (field: string, name: string, m: number, u: number, detail?: string): FieldExplanation =>
  detail ? { field, level: name, weight: round(log2(m / u)), detail } : { field, level: name, weight: round(log2(m / u)) };
/**
 * A level whose m and u are fixed, without detail: one shared, frozen object, since matching compares
 * millions of pairs and keeps the words of the few it proposes only.
 */
const fixedLevel = (field: string, name: string, m: number, u: number): FieldExplanation => Object.freeze(level(field, name, m, u));
/** The fixed level of each named level of a field's m/u table. */
const fixedLevels = <K extends string>(field: string, table: Record<K, { m: number; u: number }>): Record<K, FieldExplanation> =>
  Object.fromEntries(Object.entries<{ m: number; u: number }>(table).map(([name, { m, u }]) => [name, fixedLevel(field, name, m, u)])) as Record<K, FieldExplanation>;
/**
 * A level whose u takes few values (the widths of ranges of whole years or centimetres, the count of a
 * mark): one shared, frozen object per `key` in `cache`, for matching's millions of pairs weighed without words.
 */
function sharedLevel(cache: Map<number, FieldExplanation>, key: number, field: string, name: string, m: number, u: number): FieldExplanation {
  let e = cache.get(key);
  if (!e) cache.set(key, (e = fixedLevel(field, name, m, u)));
  return e;
}

const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const dayOf = (date: string | null) => (date ? dayNumber(date) : null);

export const hasName = (s: Pick<Subject, 'given_names' | 'surname1' | 'surname2'>) => Boolean(s.given_names?.trim() || s.surname1?.trim() || s.surname2?.trim());

/** The person's possible ages [min, max] on `date`, from a birth date or an estimated range. */
export const ageRangeOn = (s: Subject, date: string): [number, number] | null => ageRangeOnDay(prepare(s), dayNumber(date));

function ageRangeOnDay(p: Prepared, day: number): [number, number] | null {
  const lo = ageOnDay(p, day, false);
  return lo === null ? null : [lo, ageOnDay(p, day, true)!];
}

/** The youngest (`oldest` false) or oldest possible age on `day`: ageRangeOnDay without an array, for matching's every pair. */
function ageOnDay(p: Prepared, day: number, oldest: boolean): number | null {
  if (p.birthDay !== null) return (day - p.birthDay) / 365.25;
  if (p.ageMin == null && p.ageMax == null) return null;
  const shift = p.ageOnDay !== null ? (day - p.ageOnDay) / 365.25 : 0;
  return oldest ? (p.ageMax ?? p.ageMin!) + shift + 1 : (p.ageMin ?? p.ageMax!) + shift;
}

/**
 * How likely an age gap of `gap` years beyond the slack is for one person, against two people. Measured
 * on the benchmark's true pairs (3,132 compared by age ranges): 3.2 % are one year beyond the slack,
 * 1.5 % two, 1.1 % three, 0.6 % four, 0.06 % five and almost none further; a family's, an officer's or
 * a forensic estimate misses by a few years, practically never by ten. So m falls like a bell curve
 * (0.045 · 2^-(gap/2)²) against u = 0.04 per year of gap for two people, and a decade apart counts
 * nearly as much against as a timeline that cannot be (floored at −16, not −30: the records may be wrong).
 */
export function ageGapWeight(gap: number): number {
  return round(Math.max(-16, log2((0.045 * 2 ** -((gap / 2) ** 2)) / 0.04)));
}

/** Both ages on the found date; estimates are intervals, and a forensic estimate gets two years of slack. */
function compareAge(r: Prepared, f: Prepared, detailed: boolean): FieldExplanation | null {
  if (r.birthDay !== null && f.birthDay !== null) {
    // The name model compares the dates (a slip of a day, a month or a year); beyond the two years of
    // slack, a gap is one more sign of another person.
    const gap = Math.abs((f.birthDay - r.birthDay) / 365.25) - AGE_SLACK_YEARS;
    return gap > 0 ? { field: 'age', level: 'inconsistent', weight: Math.min(-0.5, ageGapWeight(gap)), ...(detailed ? { detail: `${r.subject.date_of_birth} / ${f.subject.date_of_birth}` } : {}) } : null;
  }
  const on = f.eventDay ?? f.ageOnDay;
  if (on === null) return null;
  const a0 = ageOnDay(r, on, false);
  const b0 = ageOnDay(f, on, false);
  if (a0 === null || b0 === null) return null;
  const a1 = ageOnDay(r, on, true)!;
  const b1 = ageOnDay(f, on, true)!;
  const slack = AGE_SLACK_YEARS;
  const overlap = a0 - slack <= b1 && b0 - slack <= a1;
  // Two random adults' ranges overlap with a probability about the ranges' joint width over ~55 years.
  const u = Math.min(0.9, (a1 - a0 + (b1 - b0) + 2 * slack + 1) / 55);
  if (overlap && !detailed) return sharedLevel(AGE_CONSISTENT, u, 'age', 'consistent', 0.95, u);
  const detail = detailed ? `${Math.floor(a0)}–${Math.ceil(a1)} / ${Math.floor(b0)}–${Math.ceil(b1)}` : undefined;
  if (overlap) return level('age', 'consistent', 0.95, u, detail);
  const gap = Math.max(a0 - slack - b1, b0 - slack - a1);
  return { field: 'age', level: 'inconsistent', weight: Math.min(-0.5, ageGapWeight(gap)), ...(detail ? { detail } : {}) };
}

const AGE_CONSISTENT = new Map<number, FieldExplanation>();

function compareHeight({ height: a }: Prepared, { height: b }: Prepared, detailed: boolean): FieldExplanation | null {
  if (!a || !b) return null;
  const slack = HEIGHT_SLACK_CM;
  const overlap = a[0] - slack <= b[1] && b[0] - slack <= a[1];
  const width = a[1] - a[0] + (b[1] - b[0]);
  const u = Math.min(0.9, (width + 2 * slack + 1) / 45);
  // Without words the level depends on the joint width and the overlap alone.
  if (!detailed) return overlap ? sharedLevel(HEIGHT_LEVELS, width, 'height', 'consistent', 0.92, u) : sharedLevel(HEIGHT_LEVELS, -1 - width, 'height', 'inconsistent', 0.08, 1 - u);
  const detail = `${a[0]}–${a[1]} / ${b[0]}–${b[1]} cm`;
  return overlap ? level('height', 'consistent', 0.92, u, detail) : level('height', 'inconsistent', 0.08, 1 - u, detail);
}
const HEIGHT_LEVELS = new Map<number, FieldExplanation>();

const range = (min: number | null, max: number | null): [number, number] | null => (min == null && max == null ? null : [min ?? max!, max ?? min!]);

/** A person cannot be found (or have died) before they were last seen. */
export const IMPOSSIBLE_WEIGHT = -30;

const TIMELINE_IMPOSSIBLE: FieldExplanation = Object.freeze({ field: 'timeline', level: 'found_before_last_seen', weight: IMPOSSIBLE_WEIGHT });
// Most people who are found are found within two years of being last seen.
const TIMELINE = { consistent: { m: 0.85, u: 0.45 }, long_after: { m: 0.15, u: 0.55 } };
const TIMELINE_FIXED = fixedLevels('timeline', TIMELINE);

function compareTimeline(pr: Prepared, pf: Prepared, detailed: boolean): FieldExplanation | null {
  if (pr.eventDay === null || pf.eventDay === null) return null;
  const [r, f] = [pr.subject, pf.subject];
  if (pf.latestDay! < pr.eventDay) return detailed ? { ...TIMELINE_IMPOSSIBLE, detail: `${r.event_on} > ${f.event_on}` } : TIMELINE_IMPOSSIBLE;
  const name = (pf.eventDay - pr.eventDay) / 365.25 <= 2 ? 'consistent' : 'long_after';
  return detailed ? level('timeline', name, TIMELINE[name].m, TIMELINE[name].u, `${r.event_on} → ${f.event_on}`) : TIMELINE_FIXED[name];
}

const PLACE = { same: fixedLevel('place', 'same_state', 0.3, 0.06), other: fixedLevel('place', 'other_state', 0.7, 0.94) };

function comparePlace(pr: Prepared, pf: Prepared, detailed: boolean): FieldExplanation | null {
  const [r, f] = [pr.subject, pf.subject];
  if (!pr.stateCode || !pf.stateCode) return null;
  const same = pr.stateCode === pf.stateCode;
  const e = same ? PLACE.same : PLACE.other;
  return detailed ? { ...e, detail: stateNames(same ? r.state! : `${r.state} / ${f.state}`) } : e;
}

const DOCUMENTS = { same: fixedLevel('documents', 'same_document', 0.9, 1e-7), different: fixedLevel('documents', 'different', 0.3, 0.999) };

function compareDocuments(pr: Prepared, pf: Prepared): FieldExplanation | null {
  if (!pr.documentCount || !pf.documentCount) return null;
  const [r, f] = [pr.subject, pf.subject];
  return r.document_keys.some((k) => f.document_keys.includes(k)) ? DOCUMENTS.same : DOCUMENTS.different;
}

/**
 * Words of a description that say little on their own: kinds of mark, sides, sizes, articles, common
 * garments, the forensic report's filler ("región", "representa", "cara anterior") and the body regions
 * (below: a region is evidence only together with the kind of mark found there). A shared "tatuaje en
 * el brazo" is weak evidence; a shared "ancla" or "Guadalupe" is strong.
 */
const COMMON_WORDS = new Set(
  `tatuaje tatuajes tatuado tatuada tatuados cicatriz cicatrices lunar lunares mancha marca marcas quemadura perforacion arete aretes piercing
   izquierdo izquierda derecho derecha izq der superior inferior lado parte zona pequeno pequena grande mediano mediana ambos ambas
   con sin del las los una uno unos unas que por para sobre bajo entre cerca tiene tenia lleva tiene
   negro negra azul rojo roja blanco blanca verde gris cafe amarillo amarilla rosa morado oscuro oscura claro clara
   pantalon pantalones mezclilla playera camisa camiseta sudadera chamarra gorra tenis zapatos botas calcetines short shorts vestido blusa falda
   ropa interior cinturon mochila color colores manga larga corta tipo talla letra letras nombre palabra dibujo figura imagen simbolo diseno
   region regiones representa representan representando anterior posterior lateral medial dorso externa interna cara tercio proximal distal
   forma forman dice dicen leyenda numero numeros fecha ano lineal transversal quirurgica antigua reciente visible visibles aprecia aprecian
   estado restos`.split(/\s+/),
);

/** Colours that are also things people have tattooed ("una rosa"); as adjectives ("lunar negro", "color rosa") they are common. */
const COLOURS = new Set(`negro negra azul rojo roja blanco blanca verde gris cafe amarillo amarilla rosa morado morada oscuro oscura claro clara naranja`.split(/\s+/));
const NOUN_BEFORE = new Set(['un', 'una', 'unos', 'unas', 'de', 'el', 'la', 'los', 'las', 'dos', 'tres', 'y']);

/** Body regions in the words of families, officers and forensic services, to one name per region. */
const REGIONS: Record<string, string> = {};
for (const [region, words] of Object.entries({
  ceja: 'ceja cejas superciliar ciliar',
  frente: 'frente frontal',
  cara: 'mejilla mejillas malar pomulo rostro facial menton mandibula mandibular',
  ojo: 'ojo ojos palpebral orbita orbitaria',
  nariz: 'nariz nasal',
  boca: 'labio labios labial boca',
  oreja: 'oreja orejas auricular auriculares lobulo lobulos pabellon',
  cuello: 'cuello cervical nuca',
  brazo: 'hombro hombros deltoidea deltoideo deltoidea brazo brazos humeral biceps',
  antebrazo: 'antebrazo antebrazos',
  mano: 'mano manos palma palmar dedo dedos falange falanges muneca munecas',
  pecho: 'pecho pectoral torax toracica toracico esternal mama seno',
  espalda: 'espalda escapular interescapular lumbar',
  abdomen: 'abdomen abdominal vientre hipogastrio hipogastrica umbilical ombligo epigastrio cesarea',
  cadera: 'cadera iliaca gluteo glutea gluteos nalga',
  pierna: 'pierna piernas muslo muslos femoral pantorrilla pantorrillas gemelar tibial espinilla',
  rodilla: 'rodilla rodillas rotuliana patelar',
  pie: 'pie pies plantar tobillo tobillos maleolar',
  cabeza: 'cabeza parietal occipital',
  diente: 'diente dientes incisivo incisivos dental dentaria molar molares canino colmillo premolar',
})) for (const w of words.split(' ')) REGIONS[w] = region;

/** Kinds of mark other than tattoos: with a region they make one specific mark ("cicatriz@ceja"). */
const KINDS: Record<string, string> = {};
for (const [kind, words] of Object.entries({
  cicatriz: 'cicatriz cicatrices herida heridas quemadura quemaduras operacion cesarea quirurgica',
  lunar: 'lunar lunares nevo nevos mancha manchas verruga',
  perforacion: 'perforacion perforaciones arete aretes piercing expansion expansiones',
})) for (const w of words.split(' ')) KINDS[w] = kind;
const TATTOO = /^tatua/;

export type DescriptionTokens = { distinctive: string[]; common: string[] };

const stem = (raw: string) => (raw.length > 4 && raw.endsWith('s') ? raw.slice(0, -1) : raw);
const isCommon = (raw: string, w: string) => COMMON_WORDS.has(raw) || COMMON_WORDS.has(w) || raw in REGIONS || w in REGIONS || raw in KINDS;

/** Distinctive and common words of a description (clothing; marks go through markTokens). */
export function descriptionTokens(text: string | null | undefined): DescriptionTokens {
  if (!text) return { distinctive: [], common: [] };
  const distinctive = new Set<string>();
  const common = new Set<string>();
  for (const raw of foldPlain(text).toLowerCase().split(' ')) {
    if (raw.length < 3) continue;
    const w = stem(raw);
    (isCommon(raw, w) ? common : distinctive).add(w);
  }
  return { distinctive: [...distinctive], common: [...common] };
}

/**
 * The specific marks of a description: tattoo motifs and other distinctive words ("ancla", "rosa" as a
 * noun, "oro"), and marks that are specific by where they are ("cicatriz@ceja" for "una cicatriz en la
 * ceja izquierda" as much as for "cicatriz lineal en región superciliar izquierda"); plus common words.
 * A colour is a motif only where it is a noun (after an article or "de"), never after "color" or a mark.
 */
export type MarkTokens = { specific: string[]; common: string[] };

export function markTokens(text: string | null | undefined): MarkTokens {
  if (!text) return { specific: [], common: [] };
  const specific = new Set<string>();
  const common = new Set<string>();
  for (const clause of text.split(/[.;,:\n()]|\s+y\s+|\s+e\s+/i)) {
    const words = foldPlain(clause).toLowerCase().split(' ').filter(Boolean);
    const kinds = new Set<string>();
    const regions = new Set<string>();
    let tattoo = false;
    for (let i = 0; i < words.length; i++) {
      const raw = words[i]!;
      if (TATTOO.test(raw)) tattoo = true;
      if (raw in KINDS) kinds.add(KINDS[raw]!);
      if (raw in REGIONS) regions.add(REGIONS[raw]!);
      if (raw.length < 3) continue;
      const w = stem(raw);
      const prev = words[i - 1] ?? '';
      const colourNoun = COLOURS.has(raw) || COLOURS.has(w) ? NOUN_BEFORE.has(prev) && !COLOURS.has(words[i - 2] ?? '') : false;
      if (colourNoun || !isCommon(raw, w)) specific.add(w);
      else common.add(w);
    }
    if (regions.has('diente')) specific.add('@diente');
    if (!tattoo) for (const k of kinds) for (const r of regions) if (r !== 'diente') specific.add(`${k}@${r}`);
  }
  return { specific: [...specific], common: [...common] };
}

const shared = (a: string[], b: string[]) => a.filter((x) => b.includes(x));

/**
 * How common a specific mark is, as a u-probability: the share of all records (reports and found
 * records) that have it, from its `v:` key, shrunk towards MARK_U0 by MARK_PSEUDO pseudo-records so that
 * a small register does not make every mark look common. "rosa" and "virgen" are on many tattooed
 * people, "ancla" and "escorpión" on few; a misspelt or unknown word is rare, which it is.
 */
export type MarkFrequency = (token: string) => number;
export const MARK_U0 = 0.002;
export const MARK_PSEUDO = 1000;
export const markU = (records: number, registerSize: number) => (records + MARK_PSEUDO * MARK_U0) / (Math.max(0, registerSize) + MARK_PSEUDO);
export const markCountKey = (token: string) => `v:${token}`;

/**
 * What comparing a record needs, computed once per record object however many records of the other
 * side it meets (matching.ts keeps candidates between batches): tokens, the dates as day numbers, the
 * record as the name model's query and record.
 */
export type Prepared = {
  subject: Subject;
  named: boolean;
  marks: MarkTokens | null;
  clothing: DescriptionTokens;
  clothingWords: string[];
  /** The specific marks it is keyed and counted under (a bound keeps a long text from making hundreds of keys). */
  keyedMarks: string[];
  markCountKeys: string[];
  height: [number, number] | null;
  query: MatchQuery;
  person: PersonRecord;
  birthDay: number | null;
  ageOnDay: number | null;
  eventDay: number | null;
  /** The latest day the person can have been found alive or dead: the found date, or an earlier estimated death. */
  latestDay: number | null;
  /** Small numbers for the sex, the nationalities and the state (codeOf): compared per pair without reading strings. */
  sexCode: number;
  nationalityCode: number;
  stateCode: number;
  /** Copies of the subject's, read for every pair without visiting the subject. */
  ageMin: number | null;
  ageMax: number | null;
  documentCount: number;
  /** The name model's reading of a report's names, made when first needed and kept with the record (a scorer and its caches are per batch). */
  nameQuery?: PreparedQuery;
};

/**
 * A small number per distinct value (sex, list of nationalities, state), so that the comparisons that
 * depend on nothing else are looked up per pair of numbers instead of recomputed on strings.
 */
const codes = new Map<string, number>();
const codeOf = (value: string) => {
  let c = codes.get(value);
  if (c === undefined) codes.set(value, (c = codes.size + 1));
  return c;
};
const prepared = new WeakMap<Subject, Prepared>();

/**
 * Tokens of recent description texts, by text: a record is a candidate in many batches (loaded afresh
 * each time), and its text is tokenised once. Cleared when full; the token lists are never modified.
 */
const TOKEN_CACHE_SIZE = 50_000;
const markTokenCache = new Map<string, MarkTokens>();
const clothingTokenCache = new Map<string, DescriptionTokens>();
function cached<T>(cache: Map<string, T>, text: string | null, tokenise: (text: string | null) => T): T {
  if (!text) return tokenise(text);
  let tokens = cache.get(text);
  if (!tokens) {
    if (cache.size >= TOKEN_CACHE_SIZE) cache.clear();
    cache.set(text, (tokens = tokenise(text)));
  }
  return tokens;
}

/** What comparing this record needs (computed once per record object): pass it to a PairContext's `atLeast`. */
export function prepare(s: Subject): Prepared {
  let p = prepared.get(s);
  if (p) return p;
  const clothing = cached(clothingTokenCache, s.clothing, descriptionTokens);
  const eventDay = dayOf(s.event_on);
  const marks = s.marks?.trim() ? cached(markTokenCache, s.marks, markTokens) : null;
  const keyed = (marks?.specific ?? []).slice().sort().slice(0, 10);
  p = {
    subject: s,
    named: hasName(s),
    marks,
    keyedMarks: keyed,
    markCountKeys: keyed.map(markCountKey),
    clothing,
    clothingWords: [...clothing.distinctive, ...clothing.common],
    height: range(s.height_min_cm, s.height_max_cm),
    query: asQuery(s),
    person: asPersonRecord(s),
    birthDay: dayOf(s.date_of_birth),
    ageOnDay: dayOf(s.age_on),
    eventDay,
    latestDay: eventDay !== null && s.condition === 'deceased' && s.death_to ? Math.min(dayNumber(s.death_to), eventDay) : eventDay,
    sexCode: codeOf(`sex:${s.sex}`),
    nationalityCode: codeOf(`nationalities:${s.nationalities.map((n) => n.trim()).sort().join('|')}`),
    stateCode: s.state ? codeOf(`state:${s.state}`) : 0,
    ageMin: s.age_min,
    ageMax: s.age_max,
    documentCount: s.document_keys.length,
  };
  prepared.set(s, p);
  return p;
}

function compareMarks(pr: Prepared, pf: Prepared, frequency: MarkFrequency | undefined, detailed: boolean): FieldExplanation | null {
  const a = pr.marks;
  const b = pf.marks;
  if (!a || !b) return null;
  // Most pairs share no specific mark: told without building the list of shared ones.
  const n = countShared(a.specific, b.specific);
  if (n === 1 && !detailed) {
    // The usual shared mark, weighed without lists: the same u as below.
    const u = Math.min(frequency ? frequency(a.specific.find((t) => b.specific.includes(t))!) : MARK_U0, 0.5);
    return sharedLevel(MARK_PARTIAL, u, 'marks', 'partial', 0.4, u);
  }
  const both = n ? shared(a.specific, b.specific) : NONE;
  if (both.length) {
    // The rarest shared mark decides; each further one counts with the square root of its frequency,
    // since marks come together (a "Santa Muerte" is two words, a "rosa" often has a "corazón").
    const us = both.map((t) => (frequency ? frequency(t) : MARK_U0)).sort((x, y) => x - y);
    let u = us[0]!;
    for (const x of us.slice(1)) u *= Math.sqrt(x);
    const detail = detailed ? both.slice(0, 4).map((t) => t.replace('@', ' ').trim()).join(', ') : undefined;
    return both.length >= 2 ? level('marks', 'strong', 0.4, Math.min(u, 0.5), detail) : level('marks', 'partial', 0.4, Math.min(u, 0.5), detail);
  }
  if (countShared(a.common, b.common) >= 2) return MARKS.similar;
  // Families and forensic services often describe different marks (what they know, what the remains show).
  return MARKS.different;
}
const NONE: string[] = [];
const MARK_PARTIAL = new Map<number, FieldExplanation>();
const MARKS = { similar: fixedLevel('marks', 'similar', 0.1, 0.05), different: fixedLevel('marks', 'different', 0.2, 0.9) };
function countShared(a: string[], b: string[]): number {
  let n = 0;
  for (const x of a) if (b.includes(x)) n++;
  return n;
}

/** Clothing described alike: m and u of the strongest level, and so the most clothing can weigh. */
const CLOTHING_SIMILAR = { m: 0.45, u: 0.03 };
const CLOTHING_MAX_WEIGHT = round(log2(CLOTHING_SIMILAR.m / CLOTHING_SIMILAR.u));

function compareClothing(pr: Prepared, pf: Prepared, detailed: boolean): FieldExplanation | null {
  const [a, b, wa, wb] = [pr.clothing, pf.clothing, pr.clothingWords, pf.clothingWords];
  if (!wa.length || !wb.length) return null;
  const n = countShared(wa, wb) + countShared(a.distinctive, b.distinctive); // distinctive words count twice
  const name = n >= 4 ? 'similar' : n >= 2 ? 'some' : 'different';
  if (!detailed) return CLOTHING_FIXED[name];
  const { m, u } = CLOTHING[name];
  return level('clothing', name, m, u, name === 'different' ? undefined : shared(wa, wb).slice(0, 4).join(', '));
}
// People who are found alive have often changed clothes.
const CLOTHING = { similar: CLOTHING_SIMILAR, some: { m: 0.3, u: 0.25 }, different: { m: 0.25, u: 0.72 } };
const CLOTHING_FIXED = fixedLevels('clothing', CLOTHING);

/** The comparators other than names and marks; `detailed` false leaves out the words of `detail` (weights only). */
const EVIDENCE = [compareAge, compareHeight, compareTimeline, comparePlace, compareDocuments, compareClothing];
/** The comparators whose weight `atLeast` adds exactly before bounding the rest (all but names and clothing). */
const BOUNDED_EVIDENCE = [compareHeight, compareTimeline, comparePlace, compareDocuments];
/** Room for the rounding of each weight to hundredths when a bound is compared with a threshold. */
const ROUNDING_MARGIN = 0.1;

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

/**
 * Two surnames in common are not two independent coincidences: brothers, sisters and cousins carry
 * both, and migrants travel and are found with their families. Agreement on both surnames is worth at
 * most FAMILY_SURNAMES_LOG2 (about one other person in 16,000 sharing them), however rare each surname
 * is alone; the given name, age and sex then tell relatives apart.
 */
const NAME_FIELDS = new Set(['given_names', 'surname1', 'surname2']);
export const FAMILY_SURNAMES_LOG2 = 14;
function familySurnames(explanation: FieldExplanation[]): FieldExplanation[] {
  const s1 = explanation.find((e) => e.field === 'surname1');
  const s2 = explanation.find((e) => e.field === 'surname2');
  if (!s1 || !s2 || s1.weight <= 0 || s2.weight <= 0 || s1.weight + s2.weight <= FAMILY_SURNAMES_LOG2) return explanation;
  const scale = FAMILY_SURNAMES_LOG2 / (s1.weight + s2.weight);
  return explanation.map((e) => (e === s1 || e === s2 ? { ...e, weight: round(e.weight * scale) } : e));
}
/**
 * A full name is shared by more people than the product of its parts' frequencies says (names run in
 * families and regions), and a register of migrants holds namesakes that differ only in sex, age or
 * second surname. Agreement on the names is worth at most NAME_AGREEMENT_MAX_LOG2 (about one person in
 * 8,000 with that full name), so that a disagreeing sex or an age a decade apart is not outweighed by
 * a rare name; the benchmark's namesakes (other sex, other age, same given name and first surname) were
 * proposed with 20 bits and more of names.
 */
export const NAME_AGREEMENT_MAX_LOG2 = 14;
function nameAgreementCap(explanation: FieldExplanation[]): FieldExplanation[] {
  const agreeing = explanation.filter((e) => NAME_FIELDS.has(e.field) && e.weight > 0);
  const total = agreeing.reduce((sum, e) => sum + e.weight, 0);
  if (total <= NAME_AGREEMENT_MAX_LOG2) return explanation;
  const scale = NAME_AGREEMENT_MAX_LOG2 / total;
  return explanation.map((e) => (agreeing.includes(e) ? { ...e, weight: round(e.weight * scale) } : e));
}

/**
 * A pair whose sexes disagree: m 0.001, u 0.5. Two records written by people who saw the person (a family
 * and an officer or a forensic service) disagree on sex very rarely: none of the benchmark's 3,681 named
 * true pairs does (three in 3,681 is the upper end of what that allows).
 */
const SEX_DISAGREE_WEIGHT = round(log2(0.001 / 0.5));
// The person-search model allows for a sex mistyped in a register (m 0.03); a family and an officer or a
// forensic service who both saw the person disagree far less often.
const isSexDisagreement = (e: FieldExplanation) => e.field === 'sex' && e.level === 'disagree';
const sexDisagreement = (e: FieldExplanation) => (isSexDisagreement(e) ? { ...e, weight: SEX_DISAGREE_WEIGHT } : e);
/** A comparison's weight as matching counts it (0 when there is nothing to compare). */
const countedWeight = (e: FieldExplanation | null) => (e === null ? 0 : isSexDisagreement(e) ? SEX_DISAGREE_WEIGHT : e.weight);
/** Weights that depend only on two codes (codeOf): sex, nationalities. */
const sexWeights = new Map<number, number>();
const nationalityWeights = new Map<number, number>();
/** The name part of a nameless pair's comparison (not recorded, sex, nationalities), by the codes of both records. */
const namelessLists = new Map<number, Map<number, readonly FieldExplanation[]>>();
/**
 * One number for a pair of codes (codeOf): exact and collision-free while codes stay below 2^26 (tens of
 * millions of distinct values); the values coded are sexes, states and lists of nationalities, a few
 * hundred in a national register.
 */
const codePair = (a: number, b: number) => a * 67_108_864 + b;
function byCodes(memo: Map<number, number>, r: Prepared, f: Prepared, a: number, b: number, compare: (q: MatchQuery, p: PersonRecord) => FieldExplanation | null): number {
  const key = codePair(a, b);
  let w = memo.get(key);
  if (w === undefined) memo.set(key, (w = countedWeight(compare(r.query, f.person))));
  return w;
}

export type PairScore = { weight: number; probability: number; explanation: FieldExplanation[] };

/**
 * Scores report–found pairs. The report is always the query and the found record the record, whichever
 * of the two is being matched: a pair gets the same score from either side (and so whatever the order in
 * which the two records arrived). One name scorer per report object and context (a matching batch): kept
 * across batches, the scorers' caches grew the workers' heaps by hundreds of megabytes for no gain in speed.
 */
export function createPairContext(markFrequency?: MarkFrequency) {
  const scorers = new WeakMap<Subject, ReturnType<typeof createScorer> | null>();
  // Reports with the same given names or surnames share their field scores (model.ts SharedFieldScores).
  const fieldScores = createSharedFieldScores();
  const scorerOf = (report: Prepared) => {
    let s = scorers.get(report.subject);
    if (s === undefined) scorers.set(report.subject, (s = report.named ? createScorer((report.nameQuery ??= prepareQuery(report.query)), undefined, fieldScores) : null));
    return s;
  };
  const nameless = (r: Prepared, f: Prepared): readonly FieldExplanation[] => {
    // The same few lists for millions of nameless pairs: one per pair of sexes and of nationality lists.
    let bySex = namelessLists.get(codePair(r.sexCode, f.sexCode));
    if (!bySex) namelessLists.set(codePair(r.sexCode, f.sexCode), (bySex = new Map()));
    let list = bySex.get(codePair(r.nationalityCode, f.nationalityCode));
    if (!list) {
      const parts = [scoreSex(r.query, f.person), scoreNationality(r.query, f.person)].filter((e): e is FieldExplanation => e !== null);
      list = Object.freeze([{ field: 'name', level: 'not_recorded', weight: 0 }, ...parts].map(sexDisagreement));
      bySex.set(codePair(r.nationalityCode, f.nationalityCode), list);
    }
    return list;
  };
  const names = (r: Prepared, f: Prepared): readonly FieldExplanation[] => {
    const scorer = scorerOf(r);
    return scorer && f.named ? nameAgreementCap(familySurnames(scoreRecord(scorer, f.person).explanation.map(sexDisagreement))) : nameless(r, f);
  };
  /**
   * Every comparison of a pair, in order: the names, the other evidence, the marks. A birth year ten years
   * off (or its digits swapped) with the same day and month is a slip the name model already scores as such
   * (`year_slip`); the age comparison must not count it again as a decade apart.
   */
  const eachComparison = (r: Prepared, f: Prepared, detailed: boolean, visit: (e: FieldExplanation) => void) => {
    let slip = false;
    for (const e of names(r, f)) {
      visit(e);
      if (e.field === 'date_of_birth' && e.level === 'year_slip') slip = true;
    }
    for (const cmp of EVIDENCE) {
      const e = cmp(r, f, detailed);
      if (e && !(slip && e.field === 'age')) visit(e);
    }
    const marks = compareMarks(r, f, markFrequency, detailed);
    if (marks) visit(marks);
  };
  const withNames = (r: Prepared, f: Prepared, detailed: boolean) => {
    const all: FieldExplanation[] = [];
    eachComparison(r, f, detailed, (e) => all.push(e));
    return all;
  };
  /** The sum of withNames' weights, added in the same order (so to the same bits), without building the list. */
  const weightOf = (r: Prepared, f: Prepared) => {
    let total = 0;
    eachComparison(r, f, false, (e) => (total += e.weight));
    return round(total);
  };
  const weight = (r: Subject, f: Subject) => weightOf(prepare(r), prepare(f));
  /**
   * The pair's weight, exactly but for the names and the clothing, which count at their most (the cap
   * NAME_AGREEMENT_MAX_LOG2, the strongest clothing level): cheap, no name model, no words compared.
   */
  const roughBound = (r: Prepared, f: Prepared): number => {
    let bound = (r.named && f.named ? NAME_AGREEMENT_MAX_LOG2 : 0) + byCodes(sexWeights, r, f, r.sexCode, f.sexCode, scoreSex) + byCodes(nationalityWeights, r, f, r.nationalityCode, f.nationalityCode, scoreNationality);
    let slip = false;
    if (r.named && f.named) {
      // Matching's records carry no estimated age for the name model (asPersonRecord): without two birth
      // dates there is nothing to compare.
      const birth = r.birthDay !== null && f.birthDay !== null ? scoreBirth(r.query, f.person) : null;
      bound += countedWeight(birth);
      slip = birth?.level === 'year_slip';
    }
    if (!slip) bound += countedWeight(compareAge(r, f, false));
    for (const cmp of BOUNDED_EVIDENCE) bound += countedWeight(cmp(r, f, false));
    bound += countedWeight(compareMarks(r, f, markFrequency, false));
    if (r.clothingWords.length && f.clothingWords.length) bound += CLOTHING_MAX_WEIGHT;
    return bound;
  };
  /**
   * roughBound with the clothing compared and the names at the names model's total before its caps
   * (familySurnames and nameAgreementCap only lower it). Without names on both sides, this is the
   * pair's weight itself (up to the rounding of each part).
   */
  const closeBound = (r: Prepared, f: Prepared, rough: number): number => {
    let bound = rough;
    if (r.clothingWords.length && f.clothingWords.length) bound += (compareClothing(r, f, false)?.weight ?? 0) - CLOTHING_MAX_WEIGHT;
    if (r.named && f.named) bound += Math.min(NAME_AGREEMENT_MAX_LOG2, nameWeight(scorerOf(r)!, f.person)) - NAME_AGREEMENT_MAX_LOG2;
    return bound;
  };
  /**
   * Matching drops most of the pairs it compares (a common name shares keys with thousands of people of
   * another age, sex or timeline), and tells them apart with the bounds: a pair whose upper bound stays
   * below `min` is dropped without running the name model.
   */
  const atLeast = (pr: Prepared, pf: Prepared, min: number): number => {
    const rough = roughBound(pr, pf);
    if (rough < min - ROUNDING_MARGIN) return -Infinity;
    if (closeBound(pr, pf, rough) < min - ROUNDING_MARGIN) return -Infinity;
    const exact = weightOf(pr, pf);
    return exact >= min ? exact : -Infinity;
  };
  return {
    /**
     * The pair's weight alone (log2 likelihood ratio, rounded as in `score`), without the words of the
     * explanation.
     */
    weight,
    /**
     * The pair's weight (as `weight`) when it reaches `min`, -Infinity otherwise, through the bounds, for
     * records prepared once (matching compares each with hundreds of others).
     */
    atLeast,
    /** Weight, the pair's own probability (prior and this pair's evidence only) and the field-by-field explanation. */
    score(r: Subject, f: Subject): PairScore {
      const explanation = withNames(prepare(r), prepare(f), true);
      const weight = round(explanation.reduce((s, e) => s + e.weight, 0));
      return { weight, probability: toProbability(MATCH_PRIOR_LOG2 + weight), explanation };
    },
  };
}
export type PairContext = ReturnType<typeof createPairContext>;

/** Scores many records of the other side against one source (a report or a found record): see createPairContext. */
export function createPairScorer(source: Subject, markFrequency?: MarkFrequency, context = createPairContext(markFrequency)) {
  const pair = (other: Subject): [Subject, Subject] => (source.side === 'R' ? [source, other] : [other, source]);
  return {
    weight: (other: Subject) => context.weight(...pair(other)),
    score: (other: Subject) => context.score(...pair(other)),
  };
}

const sexKeys = (sex: string) => (sex === 'female' ? ['f'] : sex === 'male' ? ['m'] : ['f', 'm']);

/**
 * Decades in which the person may have been born, from the birth date or the age range at its date,
 * with the slack of compareAge and more: two records whose ages are consistent share at least one.
 */
function birthDecades(s: Subject): number[] {
  const year = (d: string) => Number(d.slice(0, 4));
  let lo: number;
  let hi: number;
  if (s.date_of_birth) lo = hi = year(s.date_of_birth);
  else if ((s.age_min ?? s.age_max) != null && s.age_on) {
    lo = year(s.age_on) - (s.age_max ?? s.age_min)! - 1;
    hi = year(s.age_on) - (s.age_min ?? s.age_max)!;
  } else {
    lo = 1900;
    hi = 2039;
  }
  const decades: number[] = [];
  for (let d = Math.floor((lo - 3) / 10); d <= Math.floor((hi + 3) / 10); d++) decades.push(d);
  return decades;
}

/** The tokens a record's marks are keyed and counted under (a bound keeps a long text from making hundreds of keys). */
const keyedMarks = (s: Subject) => prepare(s).keyedMarks;

/**
 * Changes whenever subjectKeys (or the name keys it uses), matchProfile or what is stored with a key changes
 * (3: the earliest-decade flag of `w:` keys, migration 0063). The version the stored
 * keys and profiles were written with is in missing_settings (migration 0060); the matching worker
 * rewrites every open record's keys and profile before it matches anything when they are older
 * (matching.ts ensureCurrentKeys): batches read them as written. The matching benchmark keeps one data set
 * per version.
 */
export const MATCH_KEY_VERSION = 3;

/**
 * Blocking keys of a report or found record:
 * - the person-search name keys (any surname with any given name, surname pairs, phonetic, nicknames,
 *   abbreviations), keys that one typo in a name word the tables do not know does not break (search/keys.ts
 *   typoTolerantKeys), the date of birth (`b:`: a typo in the only shared name leaves the birth date), and
 *   each identity document;
 * - for reports and nameless found records only, each specific mark by sex and decade of birth (`w:`):
 *   every report whose sex, age and one specific mark fit the remains is compared with them (remains of
 *   unknown sex are keyed under both sexes);
 * - `v:` per specific mark, to count how common it is (never used to find candidates).
 */
export function subjectKeys(s: Subject): string[] {
  const keys = new Set<string>();
  const named = hasName(s);
  if (named) {
    const names = { given_names: s.given_names ?? '', surname1: s.surname1, surname2: s.surname2, other_names: s.other_names };
    for (const k of personNameKeys(names)) keys.add(k);
    for (const k of typoTolerantKeys(names)) keys.add(k);
  }
  if (s.date_of_birth) keys.add(`b:${s.date_of_birth}`);
  for (const d of s.document_keys) keys.add(`d:${d}`);
  const marks = keyedMarks(s);
  for (const t of marks) keys.add(markCountKey(t));
  const sexes = sexKeys(s.sex);
  if (s.side === 'R' || !named) {
    const decades = birthDecades(s);
    for (const t of marks) for (const x of sexes) for (const d of decades) keys.add(`w:${t}|${x}|${d}`);
  }
  return [...keys];
}

/**
 * What the SQL check of a nameless comparison reads (table `missing_match_profiles`, matching.ts
 * `namelessFit`): the possible years of birth (years since 1970, from the birth date or the age range at
 * its date), the height range, and the dates in days since 1970 (report: last seen; found record: found,
 * and for the deceased the latest possible date of death). The fit in SQL is the same arithmetic as
 * compareAge, compareHeight and compareTimeline: a pair it leaves out is one these would call
 * inconsistent or impossible.
 */
export type MatchProfile = { record_id: string; side: 'R' | 'F'; birth_lo: number | null; birth_hi: number | null; height_lo: number | null; height_hi: number | null; event_day: number | null; latest_day: number | null };

export function matchProfile(s: Subject): MatchProfile {
  const yearOf = (date: string) => dayNumber(date) / 365.25;
  let birth: [number, number] | null = null;
  if (s.date_of_birth) birth = [yearOf(s.date_of_birth), yearOf(s.date_of_birth)];
  else if ((s.age_min ?? s.age_max) != null && s.age_on) {
    const ages = ageRangeOn(s, s.age_on)!;
    birth = [yearOf(s.age_on) - ages[1], yearOf(s.age_on) - ages[0]];
  }
  const height = prepare(s).height;
  const event = s.event_on ? dayNumber(s.event_on) : null;
  const latest = event == null ? null : s.side === 'F' && s.condition === 'deceased' && s.death_to ? Math.min(dayNumber(s.death_to), event) : event;
  return { record_id: s.id, side: s.side, birth_lo: birth?.[0] ?? null, birth_hi: birth?.[1] ?? null, height_lo: height?.[0] ?? null, height_hi: height?.[1] ?? null, event_day: event, latest_day: latest };
}

/**
 * The day a record's timeline is compared on, stored with its name keys (`timeline_day`): a report's
 * last-seen day, a found record's latest day. A found record whose day is before the report's is one
 * compareTimeline calls impossible, and the candidate query leaves the pair out unless they share a
 * document.
 */
export const timelineDay = (p: MatchProfile) => (p.side === 'R' ? p.event_day : p.latest_day);

/** The slack of compareAge (years) and compareHeight (cm), for the SQL check. */
export const AGE_SLACK_YEARS = 2;
export const HEIGHT_SLACK_CM = 4;

/** Keys of one specific mark by sex and decade (`w:`): stored with the record's profile (`missing_mark_keys`). */
export const isMarkKey = (key: string) => key.startsWith('w:');

/**
 * Whether a `w:` key of this record is of the earliest decade in which its person may have been born. Two
 * records whose ages fit share every decade their ranges have in common; the candidate query keeps only the
 * shared key that is the earliest of either record (the later of their two earliest decades), so a pair is
 * listed once per shared mark instead of once per shared decade.
 */
export const isEarliestDecadeKey = (s: Subject, key: string) => Number(key.slice(key.lastIndexOf('|') + 1)) === birthDecades(s)[0];

/** The `v:` keys whose counts score this record's marks. */
export const markCountKeys = (s: Subject): readonly string[] => prepare(s).markCountKeys;

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
