/**
 * Seeded generator of missing-person reports and found records with known true pairs, for the matching
 * benchmark (bench/matching.ts, issue 4). Same seed and sizes → same records (ids aside).
 *
 * PEOPLE. Names, sex and nationality come from the name generator of the search benchmark
 * (names-generator.ts: PeopleGenerator, Mexican 75 % / Spanish 25 % name lists, nationalities MEX 35 %,
 * HND 25 %, GTM 20 %, SLV 11 %, NIC, VEN, CUB, HTI 2 % each with Haitian names; accents as a clerk
 * types them 70 %, upper case 30 %, 8 % without a second surname). Each person also gets what a
 * description is made of: a birth date (age when last seen: 8 % are 10-17, adults 18 + |N(0, 12)|,
 * at most 75), a height (N(167, 7) cm for men, N(155, 6) for women, less for minors), a body
 * (tattoos: none 45 %, one 22 %, two 17 %, three or four 16 %; motifs drawn with Zipf-like weights from
 * MOTIFS below — virgen, rosa, corazón, cruz, nombres propios, fechas, calavera, santa muerte, estrella,
 * golondrina, escorpión/alacrán, dragón, ancla, ...; scars 30 %, a missing or gold tooth, moles, piercings),
 * the clothes worn when last seen (3-4 garments with colour, 40 % with a brand, team or print), an
 * identity document (passport or national ID number, 45 %), the date last seen (2018-01 to 2026-10,
 * more recent years weighted up) and the state last seen (INEGI code, migrant route states: Chiapas
 * 20 %, Tamaulipas 10 %, Veracruz 10 %, Oaxaca 7 %, ...).
 *
 * REPORTS (one per person, written by the family): the name as recorded (4 % add a nickname as other
 * name); date of birth 55 %, else an age range (exact 40 %, ±1 40 %, -2/+3 20 %); a height range
 * (85 %: the family's guess N(h, 3) cm as a 5 or 10 cm range); marks (85 % of those with any: each tattoo
 * written with 90 % probability, scars 60 %, in family wording: "tatuaje de una golondrina en el
 * antebrazo derecho"); clothing (85 %, most garments); the document number (60 % of those with one);
 * last seen date and state; channel consulate 35 %, in person 35 %, phone 20 %, public web 10 %.
 *
 * TRUE PAIRS: 40 % of reports have exactly one found record of the same person, written by someone
 * else. Of those found records:
 *   - 80 % found alive (rescued 35 %, migration station 30 %, shelter 15 %, hospital 15 %, other 5 %),
 *   - 12 % deceased with a name (from documents on the body 45 %: name as recorded; else as told by
 *     others), 8 % nameless remains (see below).
 * Names of named found records: the person's name passed through makeQuery (names-generator.ts), i.e.
 * one main variation in the proportions of VARIATIONS (as recorded 14 %, second surname missing 10 %,
 * first surname missing 2 %, surnames swapped 7 %, one part of a compound given name 12 %,
 * abbreviation Ma./Fco./Gpe. 6 %, nickname 6 %, spelling by ear 20 %, typo 15 %, surnames first 3 %,
 * a second variation 10 %, accents dropped 60 %, lower case 30 %, upper case 20 %), then put back
 * into the three fields as an officer would (surnames-first text is put in the right fields).
 *   - Found alive: stated date of birth 45 % (10 % of them a different one: a minor declaring adulthood,
 *     a misremembered year), else an officer's age range (apparent age N(true, 3), 5 years wide);
 *     height measured 40 % (±1 cm), estimated 30 % (N(h, 4) ± 5), none 30 %; marks written by an
 *     officer 55 % (each visible mark 75 %); clothes 50 % (the same clothes if found within 30 days
 *     60 %, else other clothes); nationality as reported 90 %, claimed Mexican 6 %, none 4 %; the
 *     document 30 % (when the person has one); found 0-N days after last seen: exponential with mean
 *     75 days, 10 % between 1 and 4 years later.
 *   - Deceased: died exponential(mean 25 days) after last seen, found exponential(mean 120 days) after
 *     death; forensic window of death [found - 1.5 PMI', found - 0.7 PMI'] with PMI' = PMI·(1 + N(0, 0.3)),
 *     its end never before last seen; forensic age range 10 (60 %), 15 (30 %) or 20 (10 %) years wide
 *     around N(true, 4); height range ±5 cm around N(h, 3.5) (85 %); clothes described 80 % (the same
 *     clothes 80 %); marks described 85 % in forensic wording ("Tatuaje en región deltoidea derecha que
 *     representa un alacrán"), each visible mark 80 %.
 *   - Nameless remains (8 % of true pairs): no names, sex unknown 8 %, nationality unknown 85 %; the
 *     person has at least one tattoo (60 %) or else at least one scar ("cicatriz en la ceja izquierda" /
 *     "cicatriz lineal en región superciliar izquierda": a single mark is all that links them), and the
 *     family report describes every tattoo. The forensic record
 *     describes them according to a plan: all visible marks (at least two) 70 %, exactly one 20 %,
 *     none ("no se aprecian tatuajes por el estado de los restos") 10 %. Writers choose their own words
 *     for a motif (escorpión/alacrán, golondrina/ave/pájaro, calavera/cráneo, Virgen de
 *     Guadalupe/virgen/guadalupana...), so the distinctive words the two texts really share (as the
 *     engine's descriptionTokens counts them) are often fewer than planned: the truth table records the
 *     actual count (shared_motifs), and the benchmark reports recall by it.
 *   - Found state: the state last seen 45 %, else a route state weighted to the north (Tamaulipas,
 *     Sonora, Chihuahua, Baja California, Coahuila, Nuevo León...).
 *
 * FOUND RECORDS WITHOUT A REPORT (the rest of the found side, and all extra records of the 1M scale
 * data set), deliberately rich in hard negatives:
 *   - 59 % unrelated people (alive 75 %, deceased with a name 25 %): common names collide by themselves
 *     (García, Hernández, María, José...);
 *   - 8 % unrelated nameless remains (marks from the same motif vocabulary: common motifs collide);
 *   - 10 % siblings of a reported person: same two surnames, another given name (either sex), age
 *     ±1-12 years, same nationality; half of them travelled together (found 0-90 days after the
 *     report's last seen date, often in the same state);
 *   - 8 % namesakes: same given name and first surname as a reported person, another second surname
 *     (or none), same sex, independent age;
 *   - 7 % same full name as a reported person but inconsistent: a different age (at least 12 years
 *     apart) 70 %, the other sex 30 %;
 *   - 5 % same full name, sex and age as a reported person, found before that person was last seen;
 *   - 3 % same full name and consistent sex, age and timeline, but another person: the truly
 *     ambiguous namesakes (rare, realistic for José Hernández Hernández).
 * Every one of these is written with its own makeQuery variation, as a real record would be.
 *
 * Not modelled: false names given to the authorities, duplicate reports of one person, records
 * edited later.
 */
import { makeQuery, PeopleGenerator, rng, type Rng } from './names-generator.ts';
import { markTokens } from '../src/missing/evidence.ts';
import { NICKNAMES } from '../src/search/data/variants.ts';

// ---------------------------------------------------------------------------------------------------
// Small helpers

const DAY = 86_400_000;
export const dayOf = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
/** The last day anything can have happened (the benchmark is dated 2026-11-28). */
export const LAST_DAY = dayOf('2026-11-27');
const FIRST_SEEN = dayOf('2018-01-01');
const LAST_SEEN = dayOf('2026-10-31');

const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Rng, p: number) => r() < p;
const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
function normal(r: Rng, mean = 0, sd = 1): number {
  const u = 1 - r();
  const v = r();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
const exponential = (r: Rng, mean: number) => -Math.log(1 - r()) * mean;
function weighted<T>(r: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = r() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1]![0];
}
function shuffle<T>(r: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------------------------------
// Places (INEGI state codes)

const LAST_SEEN_STATES: [string, number][] = [
  ['07', 20], ['28', 10], ['30', 10], ['20', 7], ['27', 6], ['09', 6], ['08', 6], ['26', 6], ['19', 5], ['05', 5], ['02', 5],
  ['15', 4], ['24', 4], ['21', 3], ['14', 2], ['11', 2], ['32', 1], ['25', 1], ['04', 1], ['23', 1],
];
const FOUND_STATES: [string, number][] = [
  ['28', 15], ['26', 14], ['08', 12], ['02', 10], ['05', 8], ['19', 8], ['30', 6], ['20', 5], ['07', 5], ['24', 5], ['09', 4],
  ['27', 3], ['15', 3], ['14', 2],
];

// ---------------------------------------------------------------------------------------------------
// Bodies: tattoos, scars, other marks; and how family, officers and forensic services write them

type Motif = { id: string; weight: number; forms: string[] };

/** Tattoo motifs with rough popularity; `forms` are the ways people write them (the first the most usual). */
const MOTIFS: Motif[] = [
  { id: 'virgen', weight: 10, forms: ['la Virgen de Guadalupe', 'virgen', 'Virgen de Guadalupe', 'imagen de la virgen', 'guadalupana'] },
  { id: 'rosa', weight: 9, forms: ['una rosa', 'rosa', 'rosas', 'flor'] },
  { id: 'nombre', weight: 9, forms: ['NAME'] },
  { id: 'corazon', weight: 7, forms: ['un corazón', 'corazón', 'corazón con flecha'] },
  { id: 'cruz', weight: 6, forms: ['una cruz', 'cruz', 'crucifijo'] },
  { id: 'fecha', weight: 5, forms: ['DATE'] },
  { id: 'calavera', weight: 5, forms: ['una calavera', 'calavera', 'cráneo'] },
  { id: 'santa_muerte', weight: 4, forms: ['la Santa Muerte', 'santa muerte', 'figura de la muerte'] },
  { id: 'estrella', weight: 4, forms: ['una estrella', 'estrellas', 'estrella náutica'] },
  { id: 'rosario', weight: 3, forms: ['un rosario', 'rosario'] },
  { id: 'golondrina', weight: 3, forms: ['una golondrina', 'golondrinas', 'pájaro', 'ave'] },
  { id: 'escorpion', weight: 3, forms: ['un escorpión', 'alacrán', 'escorpión'] },
  { id: 'dragon', weight: 3, forms: ['un dragón', 'dragón'] },
  { id: 'aguila', weight: 3, forms: ['un águila', 'águila'] },
  { id: 'mariposa', weight: 3, forms: ['una mariposa', 'mariposas'] },
  { id: 'cristo', weight: 3, forms: ['el rostro de Cristo', 'Cristo', 'Jesucristo'] },
  { id: 'san_judas', weight: 2, forms: ['San Judas Tadeo', 'San Judas'] },
  { id: 'ancla', weight: 2, forms: ['un ancla', 'ancla'] },
  { id: 'leon', weight: 2, forms: ['un león', 'cabeza de león'] },
  { id: 'lobo', weight: 2, forms: ['un lobo', 'lobo aullando'] },
  { id: 'tigre', weight: 2, forms: ['un tigre', 'tigre'] },
  { id: 'payaso', weight: 2, forms: ['un payaso', 'payasos'] },
  { id: 'serpiente', weight: 2, forms: ['una serpiente', 'víbora'] },
  { id: 'manos', weight: 2, forms: ['unas manos rezando', 'manos orando'] },
  { id: 'alas', weight: 2, forms: ['unas alas', 'alas de ángel'] },
  { id: 'angel', weight: 2, forms: ['un ángel', 'angelito'] },
  { id: 'infinito', weight: 2, forms: ['el símbolo de infinito', 'infinito'] },
  { id: 'tribal', weight: 2, forms: ['un tribal', 'diseño tribal'] },
  { id: 'telarana', weight: 1, forms: ['una telaraña', 'telaraña'] },
  { id: 'buho', weight: 1, forms: ['un búho', 'tecolote'] },
  { id: 'reloj', weight: 1, forms: ['un reloj', 'reloj'] },
  { id: 'dados', weight: 1, forms: ['unos dados', 'dados'] },
  { id: 'luna', weight: 1, forms: ['una luna', 'media luna'] },
  { id: 'sol', weight: 1, forms: ['un sol', 'sol azteca'] },
  { id: 'chinas', weight: 1, forms: ['letras chinas', 'caracteres chinos'] },
  { id: 'pluma', weight: 1, forms: ['una pluma', 'pluma'] },
  { id: 'corona', weight: 1, forms: ['una corona', 'corona'] },
  { id: 'trebol', weight: 1, forms: ['un trébol', 'trébol de cuatro hojas'] },
  { id: 'hoja', weight: 1, forms: ['una hoja de marihuana', 'hoja de cannabis'] },
  { id: 'mara', weight: 0.5, forms: ['las letras MS', 'Mara Salvatrucha'] },
];
const MOTIF_DRAW = MOTIFS.map((m) => [m, m.weight] as const);

/** A place on the body or a mark as each writer words it: the family, the officer, the forensic report. */
type Wording = Record<Writer, string>;
const worded = (rows: [family: string, officer: string, forensic: string][]): Wording[] =>
  rows.map(([family, officer, forensic]) => ({ family, officer, forensic }));

type Place = Wording;
const PLACES: Place[] = worded([
  ['el antebrazo derecho', 'antebrazo der.', 'cara anterior de antebrazo derecho'],
  ['el antebrazo izquierdo', 'antebrazo izq.', 'cara anterior de antebrazo izquierdo'],
  ['el brazo derecho', 'brazo derecho', 'región deltoidea derecha'],
  ['el brazo izquierdo', 'brazo izquierdo', 'región deltoidea izquierda'],
  ['el pecho', 'pecho', 'región pectoral'],
  ['la espalda', 'espalda', 'región escapular'],
  ['el cuello', 'cuello', 'cara lateral del cuello'],
  ['la mano derecha', 'mano der.', 'dorso de mano derecha'],
  ['la pierna izquierda', 'pierna izq.', 'cara lateral de muslo izquierdo'],
  ['la pantorrilla derecha', 'pantorrilla der.', 'región gemelar derecha'],
  ['el hombro izquierdo', 'hombro izq.', 'región deltoidea izquierda'],
]);

type Scar = Wording;
const SCARS: Scar[] = worded([
  ['una cicatriz en la ceja izquierda', 'cicatriz en ceja izq.', 'cicatriz lineal en región superciliar izquierda'],
  ['cicatriz de cesárea', 'cicatriz de cesárea', 'cicatriz quirúrgica transversal en hipogastrio'],
  ['una cicatriz de operación en el abdomen', 'cicatriz en abdomen', 'cicatriz quirúrgica en región abdominal'],
  ['una cicatriz de quemadura en la mano', 'quemadura antigua en mano', 'cicatriz por quemadura en dorso de mano'],
  ['cicatriz en la rodilla', 'cicatriz rodilla', 'cicatriz en región rotuliana'],
  ['cicatriz en la cara', 'cicatriz en mejilla', 'cicatriz en región malar'],
]);
const OTHER_MARKS: Scar[] = worded([
  ['le falta un diente de enfrente', 'le falta un diente', 'ausencia de incisivo central superior'],
  ['tiene un diente de oro', 'diente de oro', 'corona dental de metal dorado'],
  ['un lunar grande en la mejilla', 'lunar en mejilla', 'nevo en región malar'],
  ['perforaciones en las orejas', 'aretes en ambas orejas', 'perforación en ambos lóbulos auriculares'],
]);

const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

type Tattoo = { motif: Motif; place: Place; name?: string; date?: { d: number; m: number; y: number } };
type Body = { tattoos: Tattoo[]; scars: Scar[]; other: Scar[] };

type Writer = 'family' | 'officer' | 'forensic';

function motifText(r: Rng, t: Tattoo, writer: Writer): string {
  if (t.motif.id === 'nombre') {
    const name = t.name!;
    if (writer === 'family') return pick(r, [`el nombre "${name}"`, `el nombre de ${name}`, `letras que dicen ${name}`]);
    if (writer === 'officer') return pick(r, [`nombre ${name.toUpperCase()}`, `letras "${name.toUpperCase()}"`]);
    return `letras que forman la palabra "${name.toUpperCase()}"`;
  }
  if (t.motif.id === 'fecha') {
    const { d, m, y } = t.date!;
    if (writer === 'family') return pick(r, [`la fecha ${d} de ${MONTHS[m - 1]} de ${y}`, `el año ${y}`, `la fecha ${d}/${m}/${y}`]);
    if (writer === 'officer') return `fecha ${String(d).padStart(2, '0')}-${String(m).padStart(2, '0')}-${y}`;
    return `números "${String(d).padStart(2, '0')} ${String(m).padStart(2, '0')} ${String(y).slice(2)}"`;
  }
  // Each writer uses the usual form most of the time, another form otherwise.
  const forms = t.motif.forms;
  const form = forms.length === 1 || chance(r, 0.8) ? forms[0]! : pick(r, forms.slice(1));
  return writer === 'family' ? form : form.replace(/^(un|una|unos|unas|el|la|las) /, '');
}

/**
 * Marks as a writer puts them in the free-text field: which marks they see or know (`keep`), in their
 * own words. Returns null when nothing is written.
 */
function writeMarks(r: Rng, body: Body, writer: Writer, keep: { tattoo: number; scar: number }, forced?: Tattoo[]): string | null {
  const tattoos = forced ?? body.tattoos.filter(() => chance(r, keep.tattoo));
  const scars = [...body.scars, ...body.other].filter(() => chance(r, keep.scar));
  const parts: string[] = [];
  for (const t of tattoos) {
    const m = motifText(r, t, writer);
    if (writer === 'family') parts.push(pick(r, [`tatuaje de ${m} en ${t.place.family}`, `un tatuaje de ${m} en ${t.place.family}`, `tiene tatuado ${m} en ${t.place.family}`]));
    else if (writer === 'officer') parts.push(pick(r, [`tatuaje ${m} en ${t.place.officer}`, `tatuaje en ${t.place.officer}: ${m}`]));
    else parts.push(`Tatuaje en ${t.place.forensic} que representa ${m}`);
  }
  for (const s of scars) parts.push(s[writer]);
  if (!parts.length) return null;
  if (writer === 'family') return cap(parts.join(pick(r, [', ', '; ', ' y '])).replace(/ de el /g, ' del '));
  if (writer === 'officer') return parts.join('; ');
  return parts.map(cap).join('. ') + '.';
}

// ---------------------------------------------------------------------------------------------------
// Clothes

/** A garment: its words, whether it is feminine and/or plural (colours agree with it), whether it has a colour. */
type Garment = { female?: boolean; feminine?: boolean; plural?: boolean; colour: boolean; forms: string[] };
const TOPS: Garment[] = [
  { feminine: true, colour: true, forms: ['playera', 'camiseta'] },
  { feminine: true, colour: true, forms: ['camisa'] },
  { feminine: true, colour: true, forms: ['sudadera'] },
  { feminine: true, colour: true, forms: ['chamarra', 'chaqueta'] },
  { female: true, feminine: true, colour: true, forms: ['blusa'] },
];
const BOTTOMS: Garment[] = [
  { colour: false, forms: ['pantalón de mezclilla azul', 'pantalón de mezclilla', 'jeans azules'] },
  { colour: true, forms: ['pantalón'] },
  { colour: true, forms: ['short'] },
  { female: true, feminine: true, colour: true, forms: ['falda'] },
  { colour: true, forms: ['pants deportivo', 'pantalón deportivo'] },
];
const SHOES: Garment[] = [
  { plural: true, colour: true, forms: ['tenis'] },
  { plural: true, feminine: true, colour: true, forms: ['botas', 'botas vaqueras'] },
  { plural: true, colour: true, forms: ['zapatos'] },
  { plural: true, feminine: true, colour: false, forms: ['sandalias', 'chanclas'] },
];
const CAPS: Garment[] = [{ feminine: true, colour: true, forms: ['gorra', 'cachucha'] }];
const COLOURS = ['negro', 'azul', 'gris', 'blanco', 'rojo', 'verde', 'café', 'amarillo', 'morado', 'beige', 'guinda', 'naranja'];
/** Brands and teams (written "con logotipo ..." by some), and materials or prints. */
const BRANDS = ['Nike', 'Adidas', 'Puma', 'de las Chivas', 'del América', 'de los Pumas', 'del Barcelona', 'del Real Madrid', 'de los Yankees', 'de los Lakers', 'Jordan', 'Converse', 'Levis', 'Columbia'];
const PRINTS = ['a cuadros', 'de rayas', 'con capucha', 'con estampado de calavera', 'de cuero', 'con letras blancas', 'camuflaje'];

type Worn = { g: Garment; form: string; colour: string | null; extra: string | null; brand: boolean };

function dressed(r: Rng, female: boolean): Worn[] {
  const from = (list: Garment[]) => list.filter((g) => female || !g.female);
  const pieces = [pick(r, from(TOPS)), pick(r, from(BOTTOMS)), pick(r, SHOES), ...(chance(r, 0.35) ? [CAPS[0]!] : [])];
  return pieces.map((g) => {
    const brand = chance(r, 0.6);
    return { g, form: pick(r, g.forms), colour: g.colour ? pick(r, COLOURS) : null, extra: chance(r, 0.4) ? pick(r, brand ? BRANDS : PRINTS) : null, brand };
  });
}

/** negro → negra, negros, negras; azul → azules; café, beige, guinda, naranja do not change. */
function agree(colour: string, g: Garment): string {
  if (['café', 'beige', 'guinda', 'naranja'].includes(colour)) return colour;
  let c = colour;
  if (g.feminine && c.endsWith('o')) c = `${c.slice(0, -1)}a`;
  if (g.plural) c = /[aeiou]$/.test(c) ? `${c}s` : `${c}es`;
  return c;
}

function writeClothes(r: Rng, worn: Worn[], writer: Writer, keep: number): string | null {
  const parts = worn
    .filter(() => chance(r, keep))
    .map((w) => {
      const colour = w.colour ? (writer === 'forensic' ? ` color ${w.colour}` : ` ${agree(w.colour, w.g)}`) : '';
      const extra = w.extra ? (writer === 'forensic' && w.brand && chance(r, 0.5) ? ` con logotipo ${w.extra.replace(/^(de los|de las|del|de la|de) /, '')}` : ` ${w.extra}`) : '';
      return `${w.form}${colour}${extra}`;
    });
  if (!parts.length) return null;
  return writer === 'forensic' ? parts.map(cap).join('; ') + '.' : cap(parts.join(', '));
}

// ---------------------------------------------------------------------------------------------------
// People

export type PersonName = { given: string; s1: string | null; s2: string | null };
type Sex = 'female' | 'male';

export type Person = {
  n: number;
  name: PersonName;
  sex: Sex;
  nationality: string;
  birthDay: number;
  heightCm: number;
  body: Body;
  worn: Worn[];
  document: { type: 'passport' | 'national_id'; number: string; issuer: string } | null;
  lastSeenDay: number;
  lastSeenState: string;
};

const NICK_OF: Record<string, string[]> = {};
for (const [nick, names] of Object.entries(NICKNAMES)) for (const n of names) (NICK_OF[n] ??= []).push(nick);
const foldWord = (w: string) => w.normalize('NFD').replace(/\p{M}+/gu, '').toUpperCase();

const words = (s: string | null) => (s ? s.split(' ').filter(Boolean).length : 0);

/**
 * The name as someone else writes it into the three fields: makeQuery (names-generator.ts) writes it
 * with its realistic variations as one string; the variations it reports say how many words went to
 * each surname, so the string goes back into given names, first and second surname.
 */
export function writtenName(r: Rng, name: PersonName): { given_names: string | null; surname1: string | null; surname2: string | null; variations: string } {
  const q = makeQuery(r, { given_names: name.given, surname1: name.s1, surname2: name.s2 });
  let w1 = words(name.s1);
  let w2 = words(name.s2);
  let surnamesFirst = false;
  for (const v of q.variations) {
    if (v === 'second_surname_missing') w2 = 0;
    else if (v === 'first_surname_missing') [w1, w2] = [w2, 0];
    else if (v === 'swapped_surnames') [w1, w2] = [w2, w1];
    else if (v === 'surnames_first') surnamesFirst = true;
  }
  const tokens = q.q.split(' ').filter(Boolean);
  // A typo across the space of a compound surname ("de la Cruz") can merge two words: keep one given name.
  while (tokens.length - w1 - w2 < 1 && w1 + w2 > 0) {
    if (w2 > 0) w2--;
    else w1--;
  }
  const g = tokens.length - w1 - w2;
  const given = surnamesFirst ? tokens.slice(w1 + w2) : tokens.slice(0, g);
  const surnames = surnamesFirst ? tokens.slice(0, w1 + w2) : tokens.slice(g);
  return {
    given_names: given.join(' ') || null,
    surname1: surnames.slice(0, w1).join(' ') || null,
    surname2: surnames.slice(w1).join(' ') || null,
    variations: q.variations.join('+'),
  };
}

// ---------------------------------------------------------------------------------------------------
// Records

export type Document = { type: 'passport' | 'national_id'; number: string; issuer: string };

/** What a report and a found record both say of the person, besides names and sex. */
type Description = {
  date_of_birth: string | null;
  age_min: number | null;
  age_max: number | null;
  nationalities: string[];
  height_min_cm: number | null;
  height_max_cm: number | null;
  marks: string | null;
  clothing: string | null;
  documents: Document[];
};

export type ReportRecord = Description & {
  person: number;
  institution: number;
  channel: 'consulate' | 'in_person' | 'phone' | 'public_web';
  given_names: string | null;
  surname1: string | null;
  surname2: string | null;
  other_names: string[];
  sex: Sex;
  last_seen_on: string;
  last_seen_state: string;
  reporter_relationship: string;
  /** Ground truth: whether a found record of this person exists in the base data set. */
  category: 'with_found' | 'without_found';
};

export const FOUND_CATEGORIES = [
  'true_alive',
  'true_deceased_named',
  'true_remains_nameless',
  'unrelated',
  'remains_unrelated',
  'sibling',
  'namesake_given_s1',
  'namesake_other_age',
  'namesake_other_sex',
  'namesake_found_before',
  'namesake_consistent',
] as const;
export type FoundCategory = (typeof FOUND_CATEGORIES)[number];

export type FoundRecord = Description & {
  person: number;
  institution: number;
  condition: 'alive' | 'deceased';
  situation: 'rescued' | 'shelter' | 'hospital' | 'migration_station' | 'remains' | 'other';
  given_names: string | null;
  surname1: string | null;
  surname2: string | null;
  sex: Sex | 'unknown';
  found_on: string;
  found_state: string;
  death_from: string | null;
  death_to: string | null;
  /** Ground truth. */
  category: FoundCategory;
  /** The reported person this record was derived from (true pairs: the same person; hard negatives: the one it imitates). */
  related: number | null;
  variations: string;
  /** Nameless true pairs: distinctive words of marks shared with the report (descriptionTokens). */
  shared_motifs: number | null;
};

export const REPORT_INSTITUTIONS = 6;
export const FOUND_INSTITUTIONS = 6;

const WITHOUT_REPORT_MIX: [FoundCategory, number][] = [
  ['unrelated', 59],
  ['remains_unrelated', 8],
  ['sibling', 10],
  ['namesake_given_s1', 8],
  ['namesake_other_age', 7],
  ['namesake_found_before', 5],
  ['namesake_consistent', 3],
];

export type GeneratorOptions = { seed: number; reports: number; found: number; trueShare?: number };

export class MissingGenerator {
  private readonly people = new PeopleGenerator();
  readonly reportPersons: Person[] = [];
  readonly trueShare: number;

  constructor(readonly options: GeneratorOptions) {
    this.trueShare = options.trueShare ?? 0.4;
  }

  /** A new person, last seen between 2018 and October 2026. */
  person(r: Rng, n: number, tattoosAtLeast = 0): Person {
    const g = this.people.person(r);
    const lastSeenDay = Math.min(LAST_SEEN, FIRST_SEEN + Math.floor(Math.sqrt(r()) * (LAST_SEEN - FIRST_SEEN)));
    const age = chance(r, 0.08) ? int(r, 10, 17) : Math.min(75, 18 + Math.floor(Math.abs(normal(r, 0, 12))));
    const birthDay = lastSeenDay - Math.floor(age * 365.25 + r() * 365);
    return this.withBody(r, { n, name: { given: g.given_names, s1: g.surname1, s2: g.surname2 }, sex: g.sex, nationality: g.nationalities[0] ?? 'HND', birthDay, lastSeenDay, lastSeenState: weighted(r, LAST_SEEN_STATES) }, tattoosAtLeast);
  }

  private withBody(r: Rng, p: Omit<Person, 'heightCm' | 'body' | 'worn' | 'document'>, tattoosAtLeast: number): Person {
    const age = (p.lastSeenDay - p.birthDay) / 365.25;
    const adult = p.sex === 'male' ? normal(r, 167, 7) : normal(r, 155, 6);
    const heightCm = Math.round(age >= 17 ? adult : adult * (0.78 + 0.013 * Math.max(0, age - 10)));
    const count = Math.max(tattoosAtLeast, weighted(r, [[0, 45], [1, 22], [2, 17], [3, 10], [4, 6]] as const));
    const tattoos: Tattoo[] = [];
    const used = new Set<string>();
    while (tattoos.length < count) {
      const motif = weighted(r, MOTIF_DRAW);
      if (used.has(motif.id)) continue;
      used.add(motif.id);
      const t: Tattoo = { motif, place: pick(r, PLACES) };
      if (motif.id === 'nombre') t.name = this.firstGiven(r);
      if (motif.id === 'fecha') t.date = { d: int(r, 1, 28), m: int(r, 1, 12), y: int(r, 1975, 2022) };
      tattoos.push(t);
    }
    const scars = chance(r, 0.3) || tattoosAtLeast < 0 ? [pick(r, p.sex === 'female' ? SCARS : SCARS.filter((s) => !s.family.includes('cesárea')))] : [];
    const other = chance(r, 0.25) ? [pick(r, OTHER_MARKS)] : [];
    const document = chance(r, 0.45) ? { type: chance(r, 0.7) ? ('passport' as const) : ('national_id' as const), number: `${String.fromCharCode(65 + int(r, 0, 25))}${String(int(r, 0, 99_999_999)).padStart(8, '0')}`, issuer: p.nationality } : null;
    return { ...p, heightCm, body: { tattoos, scars, other }, worn: dressed(r, p.sex === 'female'), document };
  }

  private firstGiven(r: Rng): string {
    const g = this.people.person(r).given_names.split(' ')[0]!;
    return g.charAt(0).toUpperCase() + g.slice(1).toLowerCase();
  }

  /** A report of this person, as the family files it. */
  report(r: Rng, p: Person, category: ReportRecord['category'], forceMarks = false): ReportRecord {
    const ageAtLastSeen = Math.floor((p.lastSeenDay - p.birthDay) / 365.25);
    const dob = chance(r, 0.55);
    const ageStyle = r();
    const [age_min, age_max] = dob ? [null, null] : ageStyle < 0.4 ? [ageAtLastSeen, ageAtLastSeen] : ageStyle < 0.8 ? [ageAtLastSeen - 1, ageAtLastSeen + 1] : [ageAtLastSeen - 2, ageAtLastSeen + 3];
    let height: [number, number] | [null, null] = [null, null];
    if (chance(r, 0.85)) {
      const guess = normal(r, p.heightCm, 3);
      const width = chance(r, 0.8) ? 5 : 10;
      const lo = Math.round(guess - width / 2);
      height = [lo, lo + width];
    }
    const hasMarks = p.body.tattoos.length + p.body.scars.length + p.body.other.length > 0;
    const marks = forceMarks ? writeMarks(r, p.body, 'family', { tattoo: 1, scar: 0.6 }) : hasMarks && chance(r, 0.85) ? writeMarks(r, p.body, 'family', { tattoo: 0.9, scar: 0.6 }) : null;
    const nicks = NICK_OF[foldWord(p.name.given.split(' ')[0] ?? '')];
    return {
      person: p.n,
      institution: Math.floor(r() * REPORT_INSTITUTIONS),
      channel: weighted(r, [['consulate', 35], ['in_person', 35], ['phone', 20], ['public_web', 10]] as const),
      given_names: p.name.given,
      surname1: p.name.s1,
      surname2: p.name.s2,
      other_names: nicks && chance(r, 0.04) ? [cap(pick(r, nicks).toLowerCase())] : [],
      sex: p.sex,
      date_of_birth: dob ? isoOf(p.birthDay) : null,
      age_min: age_min == null ? null : Math.max(0, age_min),
      age_max,
      nationalities: [p.nationality],
      height_min_cm: height[0],
      height_max_cm: height[1],
      marks,
      clothing: chance(r, 0.85) ? writeClothes(r, p.worn, 'family', 0.85) : null,
      documents: p.document && chance(r, 0.6) ? [p.document] : [],
      last_seen_on: isoOf(p.lastSeenDay),
      last_seen_state: p.lastSeenState,
      reporter_relationship: weighted(r, [['mother', 35], ['sibling', 20], ['spouse', 15], ['father', 10], ['child', 8], ['other_relative', 8], ['friend', 4]] as const),
      category,
    };
  }

  /**
   * A found record of this person. `kind` says how they were found; for nameless remains `motifPlan`
   * says how many of the tattoos the forensic text describes. Dates and ages are consistent with the
   * person's last seen date unless `foundDay` imposes another date.
   */
  found(r: Rng, p: Person, kind: 'alive' | 'deceased_named' | 'nameless', category: FoundCategory, related: number | null, foundDay?: number): FoundRecord {
    let found: number;
    let death: [number, number] | null = null;
    if (kind === 'alive') {
      found = foundDay ?? p.lastSeenDay + Math.floor(chance(r, 0.1) ? int(r, 365, 1460) : exponential(r, 75));
    } else {
      const died = p.lastSeenDay + Math.floor(exponential(r, 25));
      const pmi = Math.max(1, Math.floor(exponential(r, 120)));
      found = foundDay ?? died + pmi;
      const estimate = Math.max(2, pmi * (1 + normal(r, 0, 0.3)));
      let to = Math.min(found, Math.round(found - estimate * 0.7));
      if (foundDay == null) to = Math.max(to, Math.min(found, p.lastSeenDay + int(r, 0, 5)));
      death = [Math.min(to, Math.round(found - estimate * 1.5)), to];
    }
    found = Math.min(found, LAST_DAY);
    if (death) {
      death[1] = Math.min(death[1], found);
      death[0] = Math.min(death[0], death[1]);
    }
    const trueAge = (found - p.birthDay) / 365.25;
    let date_of_birth: string | null = null;
    let age: [number, number] | [null, null] = [null, null];
    let height: [number, number] | [null, null] = [null, null];
    let marks: string | null = null;
    let clothing: string | null = null;
    let nationalities: string[] = [];
    let documents: Document[] = [];
    let name: { given_names: string | null; surname1: string | null; surname2: string | null; variations: string } = { given_names: null, surname1: null, surname2: null, variations: 'nameless' };
    let sex: FoundRecord['sex'] = p.sex;
    let situation: FoundRecord['situation'];
    const forensicAge = () => {
      const est = normal(r, trueAge, 4);
      const width = weighted(r, [[10, 60], [15, 30], [20, 10]] as const);
      const lo = Math.max(0, Math.round(est - width / 2));
      return [lo, Math.min(120, lo + width)] as [number, number];
    };
    const sameClothes = (days: number, p1: number) => (chance(r, days <= 30 ? p1 : p1 / 4) ? p.worn : dressed(r, p.sex === 'female'));

    if (kind === 'alive') {
      situation = weighted(r, [['rescued', 35], ['migration_station', 30], ['shelter', 15], ['hospital', 15], ['other', 5]] as const);
      name = writtenName(r, p.name);
      if (chance(r, 0.45)) {
        const lie = chance(r, 0.1);
        date_of_birth = isoOf(lie ? p.birthDay + Math.round(normal(r, 0, 2) * 365) : p.birthDay);
      } else {
        const est = normal(r, trueAge, 3);
        const lo = Math.max(0, Math.floor(est - 2 - r() * 2));
        age = [lo, lo + 5];
      }
      const h = r();
      if (h < 0.4) height = [p.heightCm - 1, p.heightCm + 1];
      else if (h < 0.7) {
        const e = Math.round(normal(r, p.heightCm, 4));
        height = [e - 5, e + 5];
      }
      if (chance(r, 0.55)) marks = writeMarks(r, p.body, 'officer', { tattoo: 0.75, scar: 0.5 });
      if (chance(r, 0.5)) clothing = writeClothes(r, sameClothes(found - p.lastSeenDay, 0.6), 'officer', 0.8);
      const nat = r();
      nationalities = nat < 0.9 ? [p.nationality] : nat < 0.96 ? ['MEX'] : [];
      if (p.document && chance(r, 0.3)) documents = [p.document];
    } else {
      situation = 'remains';
      if (kind === 'deceased_named') {
        const byDocument = chance(r, 0.45);
        name = byDocument ? { given_names: p.name.given, surname1: p.name.s1, surname2: p.name.s2, variations: 'document' } : writtenName(r, p.name);
        if (byDocument && p.document) documents = [p.document];
        if (byDocument && chance(r, 0.5)) date_of_birth = isoOf(p.birthDay);
        else age = forensicAge();
        nationalities = chance(r, 0.7) ? [p.nationality] : [];
        if (chance(r, 0.85)) marks = writeMarks(r, p.body, 'forensic', { tattoo: 0.8, scar: 0.6 });
      } else {
        age = forensicAge();
        if (chance(r, 0.08)) sex = 'unknown';
        nationalities = chance(r, 0.15) ? [p.nationality] : [];
        const plan = r();
        const tattoos = shuffle(r, [...p.body.tattoos]);
        const scar = tattoos.length ? 0.5 : 0.9; // a scar is all some remains show
        if (plan < 0.7) marks = writeMarks(r, p.body, 'forensic', { tattoo: 0, scar }, tattoos.filter((_, i) => i < 2 || chance(r, 0.9)));
        else if (plan < 0.9) marks = writeMarks(r, p.body, 'forensic', { tattoo: 0, scar }, tattoos.slice(0, 1));
        else marks = `No se aprecian tatuajes por el estado de los restos.${p.body.scars.length && chance(r, 0.5) ? ` ${cap(p.body.scars[0]!.forensic)}.` : ''}`;
      }
      if (chance(r, 0.85)) {
        const e = Math.round(normal(r, p.heightCm, 3.5));
        height = [e - 5, e + 5];
      }
      if (chance(r, 0.8)) clothing = writeClothes(r, sameClothes(found - p.lastSeenDay, 0.9), 'forensic', 0.8);
    }
    const state = chance(r, 0.45) ? p.lastSeenState : weighted(r, FOUND_STATES);
    return {
      person: p.n,
      institution: Math.floor(r() * FOUND_INSTITUTIONS),
      condition: kind === 'alive' ? 'alive' : 'deceased',
      situation,
      given_names: name.given_names,
      surname1: name.surname1,
      surname2: name.surname2,
      sex,
      date_of_birth,
      age_min: age[0],
      age_max: age[1],
      nationalities,
      height_min_cm: height[0] == null ? null : Math.max(40, height[0]),
      height_max_cm: height[1] == null ? null : Math.min(230, height[1]),
      marks,
      clothing,
      documents,
      found_on: isoOf(found),
      found_state: state,
      death_from: death ? isoOf(death[0]) : null,
      death_to: death ? isoOf(death[1]) : null,
      category,
      related,
      variations: name.variations,
      shared_motifs: null,
    };
  }

  /** A found record of someone who was not reported, of the category asked (hard negatives imitate `base`). */
  unreportedFound(r: Rng, n: number, category: FoundCategory, base: Person | null): FoundRecord {
    const kind = (): 'alive' | 'deceased_named' => (chance(r, 0.75) ? 'alive' : 'deceased_named');
    if (category === 'unrelated' || !base) {
      const p = this.person(r, n);
      return this.found(r, p, kind(), 'unrelated', null, p.lastSeenDay + Math.floor(exponential(r, 200)));
    }
    if (category === 'remains_unrelated') {
      const p = this.person(r, n, chance(r, 0.6) ? 1 : 0);
      return this.found(r, p, 'nameless', category, null);
    }
    const other = this.person(r, n);
    const ageAtBase = (base.lastSeenDay - base.birthDay) / 365.25;
    let p: Person;
    let foundDay: number | undefined;
    switch (category) {
      case 'sibling': {
        const together = chance(r, 0.5);
        const sibAge = Math.max(8, ageAtBase + (chance(r, 0.5) ? 1 : -1) * int(r, 1, 12));
        p = {
          ...other,
          name: { given: other.name.given, s1: base.name.s1, s2: base.name.s2 },
          nationality: base.nationality,
          birthDay: base.lastSeenDay - Math.floor(sibAge * 365.25 + r() * 365),
          lastSeenDay: together ? base.lastSeenDay : other.lastSeenDay,
          lastSeenState: together ? base.lastSeenState : other.lastSeenState,
        };
        if (together) foundDay = base.lastSeenDay + int(r, 0, 90);
        break;
      }
      case 'namesake_given_s1': {
        const s2 = chance(r, 0.85) ? other.name.s2 : null;
        p = { ...other, name: { given: base.name.given, s1: base.name.s1, s2: s2 === base.name.s2 ? null : s2 }, sex: base.sex };
        break;
      }
      case 'namesake_other_age': {
        if (chance(r, 0.7)) {
          const gap = int(r, 12, 30) * (ageAtBase > 40 || (ageAtBase > 25 && chance(r, 0.5)) ? -1 : 1);
          const age = Math.max(10, ageAtBase + gap);
          p = { ...other, name: base.name, sex: base.sex, lastSeenDay: base.lastSeenDay, birthDay: base.lastSeenDay - Math.floor(age * 365.25) };
        } else {
          p = { ...other, name: base.name, sex: base.sex === 'male' ? 'female' : 'male', birthDay: base.birthDay + int(r, -700, 700), lastSeenDay: base.lastSeenDay };
          category = 'namesake_other_sex';
        }
        foundDay = base.lastSeenDay + Math.floor(exponential(r, 120));
        break;
      }
      case 'namesake_found_before': {
        p = { ...other, name: base.name, sex: base.sex, birthDay: base.birthDay + int(r, -500, 500), nationality: chance(r, 0.6) ? base.nationality : other.nationality };
        foundDay = base.lastSeenDay - int(r, 20, 900);
        // Their own last seen date must precede their found date.
        p.lastSeenDay = foundDay - Math.floor(exponential(r, 60));
        break;
      }
      case 'namesake_consistent':
      default: {
        p = { ...other, name: base.name, sex: base.sex, birthDay: base.birthDay + int(r, -900, 900), nationality: chance(r, 0.5) ? base.nationality : other.nationality, lastSeenDay: base.lastSeenDay - int(r, 0, 400) };
        foundDay = Math.max(base.lastSeenDay, p.lastSeenDay) + Math.floor(exponential(r, 90));
        break;
      }
    }
    const record = this.found(r, p, kind(), category, base.n, foundDay);
    return record;
  }

  /**
   * The base data set: `reports` reports (person numbers 1..reports) and `found` found records, of which
   * trueShare × reports (at most `found`) are true pairs, in random order.
   */
  base(): { reports: ReportRecord[]; found: FoundRecord[] } {
    const { seed, reports: nReports, found: nFound } = this.options;
    const rReports = rng(seed);
    const rTrue = rng(seed ^ 0x2545f491);
    const rOther = rng(seed ^ 0x6b43a9b5);
    const nTrue = Math.min(nFound, Math.round(nReports * this.trueShare));
    // Which reports have a true found record, and of what kind, is decided first: nameless remains need
    // a person with tattoos the family describes.
    const kinds: ('alive' | 'deceased_named' | 'nameless' | null)[] = new Array(nReports).fill(null);
    const order = shuffle(rReports, Array.from({ length: nReports }, (_, i) => i));
    for (let i = 0; i < nTrue; i++) kinds[order[i]!] = weighted(rReports, [['alive', 80], ['deceased_named', 12], ['nameless', 8]] as const);
    const reports: ReportRecord[] = [];
    this.reportPersons.length = 0;
    for (let i = 0; i < nReports; i++) {
      const kind = kinds[i];
      const p = this.person(rReports, i + 1, kind === 'nameless' ? (chance(rReports, 0.6) ? 1 : -1) : 0);
      this.reportPersons.push(p);
      reports.push(this.report(rReports, p, kind ? 'with_found' : 'without_found', kind === 'nameless'));
    }
    const found: FoundRecord[] = [];
    for (let i = 0; i < nReports; i++) {
      const kind = kinds[i];
      if (!kind) continue;
      const f = this.found(rTrue, this.reportPersons[i]!, kind, kind === 'alive' ? 'true_alive' : kind === 'deceased_named' ? 'true_deceased_named' : 'true_remains_nameless', i + 1);
      if (kind === 'nameless') f.shared_motifs = sharedDistinctive(reports[i]!.marks, f.marks);
      found.push(f);
    }
    for (let i = 0; found.length < nFound; i++) found.push(this.unreportedFound(rOther, nReports + 1 + i, weighted(rOther, WITHOUT_REPORT_MIX), pick(rOther, this.reportPersons)));
    return { reports, found: shuffle(rOther, found) };
  }

  /**
   * Extra found records without a report for the scale data set (call base() first: hard negatives
   * imitate its reported persons), in chunks; person numbers from 5,000,001.
   */
  *extraFound(count: number, chunk = 20_000): Generator<FoundRecord[]> {
    if (!this.reportPersons.length) throw new Error('call base() first');
    const r = rng(this.options.seed ^ 0x1b873593);
    for (let done = 0; done < count; done += chunk) {
      const list: FoundRecord[] = [];
      for (let i = done; i < Math.min(count, done + chunk); i++) list.push(this.unreportedFound(r, 5_000_001 + i, weighted(r, WITHOUT_REPORT_MIX), pick(r, this.reportPersons)));
      yield list;
    }
  }

  /**
   * New reports for the latency measurement (person numbers from 9,000,001), the same for a seed: a
   * `trueShare` of them have a found record (returned separately, to be hidden in the scale data set).
   */
  freshPairs(count: number): { reports: ReportRecord[]; found: FoundRecord[] } {
    const r = rng(this.options.seed ^ 0x7feb352d);
    const reports: ReportRecord[] = [];
    const found: FoundRecord[] = [];
    for (let i = 0; i < count; i++) {
      const kind = chance(r, this.trueShare) ? weighted(r, [['alive', 80], ['deceased_named', 12], ['nameless', 8]] as const) : null;
      const p = this.person(r, 9_000_001 + i, kind === 'nameless' ? (chance(r, 0.6) ? 1 : -1) : 0);
      const report = this.report(r, p, kind ? 'with_found' : 'without_found', kind === 'nameless');
      reports.push(report);
      if (kind) {
        const f = this.found(r, p, kind, kind === 'alive' ? 'true_alive' : kind === 'deceased_named' ? 'true_deceased_named' : 'true_remains_nameless', p.n);
        if (kind === 'nameless') f.shared_motifs = sharedDistinctive(report.marks, f.marks);
        found.push(f);
      }
    }
    return { reports, found };
  }
}

/** Distinctive words two descriptions share, as the matching engine counts them. */
export function sharedDistinctive(a: string | null, b: string | null): number {
  const x = markTokens(a).specific;
  const y = new Set(markTokens(b).specific);
  return x.filter((w) => y.has(w)).length;
}
