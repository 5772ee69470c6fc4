/**
 * Realistic synthetic people and realistic search queries, for the name-matching benchmark.
 *
 * People: given names and surnames drawn by frequency from the public lists in /work/shared/data/names
 * (Mexico 75 %, Spain 25 %; override the folder with NAMES_DIR), a Mexican and Central American mix of
 * nationalities with Haitian names for Haitians, Maya surnames for a third of Guatemalans and the
 * English-sounding given names common in Honduras, El Salvador, Guatemala and Nicaragua for a third of
 * them, accents restored as a clerk would type them (most of the time), title or upper case, 8 % without
 * a second surname, 15 % with an estimated age instead of a date of birth, and 3 % namesakes (the whole
 * name of an earlier person, as fathers and sons, cousins, or strangers with a common name have).
 *
 * `split` holds out half of every list: a name is in the "eval" half when a hash of it is odd, else in
 * the "tune" half. Calibration constants are fitted on "tune" people and checked on "eval" people, so
 * that the check uses name distributions the fit never saw.
 *
 * Queries: a person's recorded name as a caseworker would type it when looking for them, with one
 * realistic variation (sometimes two) in the proportions of VARIATIONS below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NICKNAMES } from '../src/search/data/variants.ts';
import { Random } from '../src/platform/random.ts';

export type Rng = () => number;

/** The shared seeded generator (src/platform/random.ts) as a plain function, as these generators use it. */
export function rng(seed: number): Rng {
  const random = new Random(seed);
  return () => random.next();
}

const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

class Weighted {
  private readonly cumulative: Float64Array;
  constructor(
    readonly values: string[],
    weights: number[],
  ) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => (this.cumulative[i] = sum += w));
  }
  draw(r: Rng): string {
    const x = r() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.values[lo]!;
  }
}

export type NameSplit = 'all' | 'tune' | 'eval';

/** FNV-1a of the name: the half of the lists it belongs to, stable across runs and machines. */
function inSplit(name: string, split: NameSplit): boolean {
  if (split === 'all') return true;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (h & 1) === (split === 'eval' ? 1 : 0);
}

/**
 * A list's text. The Spanish lists are UTF-8; the Mexican ones are not, and write Ñ in half a dozen ways
 * (a Latin-1 byte, mangled replacement characters, "!", "#", "%": MU!OZ): anything but a letter inside
 * a word is Ñ, so that records say MUÑOZ, not "MU OZ" (two words).
 */
function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  // "MA! ELENA": an abbreviation's dot.
  return text.replace(/(?<=[A-Z])!(?=[ ,])/g, '.').replace(/(?<=[A-Z])[^A-Z0-9,\r\n .'\-ÑÇÁÉÍÓÚÜ]+(?=[A-Z])/g, 'Ñ');
}

function readList(file: string, column: number, fix: (name: string) => string = (n) => n, split: NameSplit = 'all'): Weighted {
  const rows = readText(file)
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split(','));
  const kept = rows.filter((r) => Number(r[column]) > 0 && inSplit(r[0]!, split));
  return new Weighted(
    kept.map((r) => fix(r[0]!)),
    kept.map((r) => Number(r[column])),
  );
}

// The INE list drops particles ("MARIA CARMEN"); records carry them.
const ES_PARTICLES: Record<string, string> = {
  'MARIA CARMEN': 'MARIA DEL CARMEN',
  'MARIA PILAR': 'MARIA DEL PILAR',
  'MARIA ROSARIO': 'MARIA DEL ROSARIO',
  'MARIA MAR': 'MARIA DEL MAR',
  'MARIA ANGELES': 'MARIA DE LOS ANGELES',
  'MARIA LOURDES': 'MARIA DE LOURDES',
  'MARIA JESUS': 'MARIA DE JESUS',
  'MARIA ROCIO': 'MARIA DEL ROCIO',
  'MARIA CONSUELO': 'MARIA DEL CONSUELO',
  'MARIA SOL': 'MARIA DEL SOL',
};

const ACCENTED: Record<string, string> = Object.fromEntries(
  (
    'JOSE:JOSÉ MARIA:MARÍA JESUS:JESÚS RAMON:RAMÓN ANGEL:ÁNGEL MARTIN:MARTÍN OSCAR:ÓSCAR HECTOR:HÉCTOR VICTOR:VÍCTOR RAUL:RAÚL ' +
    'ADRIAN:ADRIÁN JULIAN:JULIÁN SEBASTIAN:SEBASTIÁN NICOLAS:NICOLÁS TOMAS:TOMÁS ANDRES:ANDRÉS IVAN:IVÁN RUBEN:RUBÉN CESAR:CÉSAR ' +
    'GERMAN:GERMÁN BENJAMIN:BENJAMÍN JOAQUIN:JOAQUÍN AGUSTIN:AGUSTÍN ELIAS:ELÍAS MATIAS:MATÍAS LUCIA:LUCÍA SOFIA:SOFÍA ROCIO:ROCÍO ' +
    'VERONICA:VERÓNICA MONICA:MÓNICA ANGELICA:ANGÉLICA CONCEPCION:CONCEPCIÓN ASUNCION:ASUNCIÓN INES:INÉS ANGELES:ÁNGELES ' +
    'DIAZ:DÍAZ GARCIA:GARCÍA RIOS:RÍOS MEJIA:MEJÍA LEON:LEÓN CORTES:CORTÉS MUNOZ:MUÑOZ PENA:PEÑA NUNEZ:NÚÑEZ IBANEZ:IBÁÑEZ ' +
    'YANEZ:YÁÑEZ ORDONEZ:ORDÓÑEZ CASTANEDA:CASTAÑEDA ACUNA:ACUÑA TREVINO:TREVIÑO BRISENO:BRISEÑO MONTANO:MONTAÑO PATINO:PATIÑO ' +
    'ZUNIGA:ZÚÑIGA SALDANA:SALDAÑA BELTRAN:BELTRÁN GUZMAN:GUZMÁN ROMAN:ROMÁN DURAN:DURÁN CALDERON:CALDERÓN RINCON:RINCÓN ' +
    'CHACON:CHACÓN COLON:COLÓN AVILA:ÁVILA ALVAREZ:ÁLVAREZ ESPANA:ESPAÑA MONTANEZ:MONTAÑEZ CANO:CANO GOMEZ:GÓMEZ INIGUEZ:ÍÑIGUEZ ' +
    'VAZQUEZ:VÁZQUEZ VELAZQUEZ:VELÁZQUEZ MARQUEZ:MÁRQUEZ RODRIGUEZ:RODRÍGUEZ DOMINGUEZ:DOMÍNGUEZ'
  )
    .split(' ')
    .map((p) => p.split(':') as [string, string]),
);

/** Accents as a careful clerk writes them: a dictionary, and the stress rule of -EZ patronymics. */
export function accentWord(word: string): string {
  if (ACCENTED[word]) return ACCENTED[word]!;
  if (word.length > 4 && word.endsWith('EZ')) {
    const stem = word.slice(0, -2);
    for (let i = stem.length - 1; i >= 0; i--) {
      const c = stem[i]!;
      if ('AEIOU'.includes(c)) {
        if (c === 'U' && i > 0 && 'QG'.includes(stem[i - 1]!)) continue;
        return stem.slice(0, i) + { A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú' }[c] + stem.slice(i + 1) + 'EZ';
      }
    }
  }
  return word;
}

const titleWord = (w: string) => (['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y'].includes(w) ? w.toLowerCase() : w.charAt(0) + w.slice(1).toLowerCase());
const title = (s: string) => s.split(' ').map((w) => w.split('-').map(titleWord).join('-')).join(' ');

const HAITIAN_GIVEN_M = ['JEAN', 'JEAN-BAPTISTE', 'PIERRE', 'JEAN-PIERRE', 'WOOBENSON', 'JUNIOR', 'FRANTZ', 'JEAN-CLAUDE', 'MACKENSON', 'WIDLER', 'JOSUE', 'EMMANUEL', 'RICHARDSON', 'WILSON', 'JOHNSON', 'STEVENSON', 'DAVIDSON', 'FRITZ', 'GUERRIER', 'JACQUES', 'LOUIS', 'MICHEL', 'ROBERT', 'ROOSEVELT', 'SONY', 'WESLEY', 'YVENS', 'ERNST', 'KERVENS', 'LESLY', 'REGINALD', 'WISLY', 'JEAN-ROBERT', 'JEAN-MARC', 'JEAN-RENE', 'FRANCOIS', 'GERARD', 'LUCKNER', 'CLAUDE', 'OLIVIER', 'JOSEPH', 'RENAUD', 'DIEUVEUT', 'FRANCKY', 'WATSON'];
const HAITIAN_GIVEN_F = ['MARIE', 'MARIE-CLAUDE', 'ROSE-MARIE', 'NADEGE', 'WIDELINE', 'FABIOLA', 'GUERLINE', 'MIRLANDE', 'JUDITH', 'NATACHA', 'ROSELINE', 'MARIE-ANGE', 'ISLANDE', 'FLORENCE', 'LOUISE', 'GUERDA', 'MARLENE', 'SANDRA', 'VIERGELA', 'ESTHER', 'DARLINE', 'ROSENIE', 'JOSEPHINE', 'YOLETTE', 'CHRISTELLE', 'ROSE', 'JUNIE', 'LOVELY', 'MARIE-LOURDES', 'NATHALIE', 'MICHELINE', 'CLAUDETTE', 'MONIQUE', 'GINETTE', 'MARIE-JOSE', 'ANNE-MARIE', 'LUCIENNE', 'JOCELYNE', 'BETTY', 'EVELINE'];
const HAITIAN_SURNAMES = ['PIERRE', 'JEAN', 'JOSEPH', 'LOUIS', 'CHARLES', 'JEAN-BAPTISTE', 'PIERRE-LOUIS', 'ETIENNE', 'DORCE', 'AUGUSTIN', 'CELESTIN', 'DORVIL', 'FILS-AIME', 'SAINT-FLEUR', 'JEAN-LOUIS', 'ALEXIS', 'GUERRIER', 'CADET', 'DESIR', 'DORMEUS', 'FLEURANT', 'GEORGES', 'JACQUES', 'JEAN-PHILIPPE', 'LAGUERRE', 'LAMOTHE', 'MOISE', 'NOEL', 'PAUL', 'PETIT-FRERE', 'REMY', 'SAINT-LOUIS', 'THELUSMA', 'TOUSSAINT', 'VALCOURT', 'VILLIER', 'BELIZAIRE', 'CHERY', 'DORSAINVIL', 'EXANTUS', 'FRANCOIS', 'MICHEL', 'DESROSIERS', 'DUVERGER', 'BEAUBRUN', 'LAFLEUR', 'DUMAS', 'BAPTISTE', 'ROMELUS', 'DORELIEN', 'LUBIN', 'FLEURIMOND', 'SENAT', 'BEAUVAIS', 'JEUDY', 'CHARLEMAGNE', 'PHILOGENE', 'SAINTIL', 'JOACHIM', 'DESSALINES'];

// French-speaking West and Central Africans (Cameroon, Senegal, Guinea, DR Congo), who cross Mexico
// in growing numbers: French given names and African surnames, recorded by Spanish-speaking clerks.
const FRANCOPHONE_GIVEN_M = ['JEAN-PAUL', 'FRANCOIS', 'MAMADOU', 'IBRAHIMA', 'MOUSSA', 'OUSMANE', 'CHEIKH', 'SERGE', 'PATRICE', 'ARISTIDE', 'DIEUDONNE', 'BLAISE', 'HERVE', 'THIERRY', 'FABRICE', 'ALPHONSE', 'ABDOULAYE', 'BOUBACAR', 'CHRISTIAN', 'GUY'];
const FRANCOPHONE_GIVEN_F = ['AMINATA', 'FATOUMATA', 'MARIAMA', 'AWA', 'CHRISTELLE', 'BRIGITTE', 'GRACE', 'SOLANGE', 'ODILE', 'AURELIE', 'JOSIANE', 'CHANTAL', 'KADIATOU', 'AISSATOU', 'BERNADETTE', 'GISELE'];
const FRANCOPHONE_SURNAMES = ['DIALLO', 'BAH', 'BARRY', 'SOW', 'NDIAYE', 'DIOP', 'FALL', 'TRAORE', 'KONE', 'COULIBALY', 'CAMARA', 'SYLLA', 'MBARGA', 'NGUEMA', 'ESSOMBA', 'ATANGANA', 'FOTSO', 'TCHOUPO', 'TSHIBANDA', 'MUKENDI', 'KABONGO', 'ILUNGA', 'MBUYI', 'KALONJI', 'NKOUKA', 'MOUKOKO', 'EBOUE', 'NJOYA', 'SOUMAH', 'KEITA'];
const FRANCOPHONE = new Set(['HTI', 'CMR', 'SEN', 'GIN', 'COD']);

// Maya surnames (K'iche', Q'eqchi', Kaqchikel, Mam) as Guatemalan civil registers write them.
const MAYA_SURNAMES = ['TZOC', 'XICARA', 'AJU', 'CUX', 'COC', 'CHOC', 'CAAL', 'POP', 'TIUL', 'XOL', 'BOL', 'CHUB', 'CAC', 'ICAL', 'MAQUIN', 'QUEJ', 'SIS', 'TUT', 'YAT', 'TZUL', 'BATZ', 'CHIROY', 'TUM', 'IXCOY', 'SICAN', 'CUTZAL', 'XILOJ', 'CHOJ', 'TECUN', 'AJPOP', 'SACTIC', 'XOCOP', 'CUMES', 'SIQUINAJAY', 'COJTI', 'BOCEL', 'CHIQUITO', 'TZUNUN', 'ICU', 'PACAY'];
const CA_GIVEN_M = ['KEVIN', 'BRAYAN', 'YEISON', 'JEFFERSON', 'ELVIN', 'NELSON', 'OSMAN', 'DARWIN', 'WILMER', 'JONATHAN', 'ELMER', 'EDWIN', 'JOSUE', 'ERICK', 'DENIS', 'MARVIN', 'OSCAR', 'WALTER', 'SELVIN', 'BAYRON', 'EDGARDO', 'ANDERSON', 'JAIRO', 'HENRRY', 'NERY'];
const CA_GIVEN_F = ['DILCIA', 'WENDY', 'MERLIN', 'YOSELIN', 'KENIA', 'MAYRA', 'YESENIA', 'GLENDA', 'NOLVIA', 'SINDY', 'LESBIA', 'IRIS', 'DAYANA', 'KATHERINE', 'ASHLEY', 'HEIDY', 'ANGIE', 'YENI', 'ESMERALDA', 'DUNIA'];

const NATIONALITIES = new Weighted(['MEX', 'HND', 'GTM', 'SLV', 'NIC', 'VEN', 'CUB', 'HTI', 'CMR', 'SEN', 'GIN', 'COD'], [34, 24, 19, 10, 3, 2.5, 2, 3.5, 0.7, 0.5, 0.3, 0.5]);

export type GeneratedPerson = {
  given_names: string;
  surname1: string | null;
  surname2: string | null;
  sex: 'female' | 'male';
  date_of_birth: string | null;
  estimated_age: number | null;
  age_estimated_on: string | null;
  nationalities: string[];
};

export class PeopleGenerator {
  private readonly male: [Weighted, Weighted];
  private readonly female: [Weighted, Weighted];
  private readonly surname1: [Weighted, Weighted];
  private readonly surname2: [Weighted, Weighted];

  private readonly recent: GeneratedPerson[] = [];

  constructor(
    namesDir = process.env.NAMES_DIR ?? '/work/shared/data/names',
    private readonly split: NameSplit = 'all',
  ) {
    const es = (n: string) => ES_PARTICLES[n] ?? n;
    const list = (file: string, column: number, fix?: (n: string) => string) => readList(path.join(namesDir, file), column, fix, split);
    this.male = [list('mx/hombres.csv', 1), list('es/hombres.csv', 1, es)];
    this.female = [list('mx/mujeres.csv', 1), list('es/mujeres.csv', 1, es)];
    this.surname1 = [list('mx/apellidos.csv', 1), list('es/apellidos.csv', 1)];
    this.surname2 = [list('mx/apellidos.csv', 2), list('es/apellidos.csv', 2)];
  }

  /**
   * A person; 3 % are namesakes of one of the last thousand people generated (same whole name, same
   * sex: fathers and sons, cousins, strangers with a common name), and 5 % relatives of one (siblings:
   * both surnames, another given name), besides the namesakes that common names make by themselves.
   */
  person(r: Rng): GeneratedPerson {
    const x = r();
    if (this.recent.length >= 100 && x < 0.08) {
      const model = pick(r, this.recent);
      const other = this.fresh(r);
      if (x < 0.03) return { ...other, given_names: model.given_names, surname1: model.surname1, surname2: model.surname2, sex: model.sex };
      return { ...other, surname1: model.surname1, surname2: model.surname2, nationalities: model.nationalities };
    }
    const p = this.fresh(r);
    if (this.recent.length < 1000) this.recent.push(p);
    else this.recent[Math.floor(r() * 1000)] = p;
    return p;
  }

  private fresh(r: Rng): GeneratedPerson {
    const sex = r() < 0.56 ? 'male' : 'female';
    const nationality = NATIONALITIES.draw(r);
    const list = r() < 0.75 ? 0 : 1;
    let given: string;
    let s1: string | null;
    let s2: string | null;
    if (nationality === 'HTI') {
      const names = sex === 'male' ? HAITIAN_GIVEN_M : HAITIAN_GIVEN_F;
      given = r() < 0.5 ? pick(r, names) : `${pick(r, names)} ${pick(r, names)}`;
      s1 = pick(r, HAITIAN_SURNAMES);
      // Some Haitian records carry the mother's surname too, as Mexican forms ask for it.
      s2 = r() < 0.15 ? pick(r, HAITIAN_SURNAMES) : null;
    } else if (FRANCOPHONE.has(nationality)) {
      const names = (sex === 'male' ? FRANCOPHONE_GIVEN_M : FRANCOPHONE_GIVEN_F).filter((n) => inSplit(n, this.split));
      given = r() < 0.7 ? pick(r, names) : `${pick(r, names)} ${pick(r, names)}`;
      s1 = pick(r, FRANCOPHONE_SURNAMES);
      s2 = r() < 0.1 ? pick(r, FRANCOPHONE_SURNAMES) : null;
    } else {
      const centralAmerican = nationality === 'HND' || nationality === 'SLV' || nationality === 'GTM' || nationality === 'NIC';
      const caGiven = (sex === 'male' ? CA_GIVEN_M : CA_GIVEN_F).filter((n) => inSplit(n, this.split));
      given = centralAmerican && caGiven.length && r() < 0.33 ? pick(r, caGiven) : (sex === 'male' ? this.male : this.female)[list].draw(r);
      const maya = MAYA_SURNAMES.filter((n) => inSplit(n, this.split));
      const mayan = nationality === 'GTM' && maya.length && r() < 0.33;
      s1 = mayan && r() < 0.7 ? pick(r, maya) : this.surname1[r() < 0.75 ? 0 : 1].draw(r);
      s2 = r() < 0.08 ? null : mayan && r() < 0.7 ? pick(r, maya) : this.surname2[r() < 0.75 ? 0 : 1].draw(r);
    }
    const accents = r() < 0.7;
    const upper = r() < 0.3;
    const style = (s: string | null) => {
      if (!s) return null;
      const a = accents ? s.split(' ').map((w) => w.split('-').map(accentWord).join('-')).join(' ') : s;
      return upper ? a : title(a);
    };
    const today = Date.UTC(2024, 5, 1);
    const age = r() < 0.2 ? Math.floor(r() * 18) : 18 + Math.floor(Math.abs(r() + r() - 1) * 45);
    const estimated = r() < 0.15;
    const dob = new Date(today - (age * 365.25 + r() * 365) * 86_400_000).toISOString().slice(0, 10);
    return {
      given_names: style(given)!,
      surname1: style(s1),
      surname2: style(s2),
      sex,
      date_of_birth: estimated ? null : dob,
      estimated_age: estimated ? age : null,
      age_estimated_on: estimated ? '2024-06-01' : null,
      nationalities: [nationality],
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Queries

export type Variation =
  | 'as_recorded'
  | 'second_surname_missing'
  | 'first_surname_missing'
  | 'swapped_surnames'
  | 'one_part_of_compound'
  | 'abbreviation'
  | 'nickname'
  | 'phonetic_misspelling'
  | 'typo'
  | 'surname_typo'
  | 'two_errors'
  | 'surnames_first'
  /** A phonetic misspelling of a French or Haitian name by a Spanish speaker's ear (not drawn: how phonetic_misspelling is done for them, most of the time). */
  | 'french_by_ear';

/** Proportions (percent) of the main variation; accents dropped and case changed independently. */
export const VARIATIONS: [Variation, number][] = [
  ['as_recorded', 12],
  ['second_surname_missing', 10],
  ['first_surname_missing', 2],
  ['swapped_surnames', 6],
  ['one_part_of_compound', 10],
  ['abbreviation', 5],
  ['nickname', 6],
  ['phonetic_misspelling', 17],
  ['typo', 8],
  ['surname_typo', 8],
  ['two_errors', 8],
  ['surnames_first', 3],
  // plus: accents dropped in 60 % of queries, lower case 30 %, upper case 20 %, and a second
  // variation (phonetic misspelling, typo or second surname missing) in 10 %. `two_errors`: two of
  // typo, typo in a surname, phonetic spelling, second surname missing, part of a compound, nickname.
];
const VARIATION_DRAW = new Weighted(
  VARIATIONS.map((v) => v[0]),
  VARIATIONS.map((v) => v[1]),
);

const PARTICLE = new Set(['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y']);
const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');

const ABBREVIATE: Record<string, string> = { MARIA: 'Ma.', FRANCISCO: 'Fco.', GUADALUPE: 'Gpe.', JOSE: 'J.', JUAN: 'Jn.', ANTONIO: 'Ant.', GUILLERMO: 'Gmo.', FRANCISCA: 'Fca.' };
const NICK_OF: Record<string, string[]> = {};
for (const [nick, names] of Object.entries(NICKNAMES)) {
  for (const n of names) (NICK_OF[n] ??= []).push(nick);
}
// Nicknames the engine's table does not know (held out): a query with one must be found by the rest of the name.
for (const [nick, names] of Object.entries({ TAVO: ['GUSTAVO', 'OCTAVIO'], PONCHO: ['ALFONSO'], CHAGO: ['SANTIAGO'], CHEVO: ['EUSEBIO'], MANE: ['MANUEL'], CHILO: ['CECILIO'], NENO: ['ANTONIO'], LICHA: ['ALICIA'] })) {
  for (const n of names) (NICK_OF[n] ??= []).push(nick);
}

type Name = { given: string[]; s1: string | null; s2: string | null };

const words = (s: string | null) => (s ? s.split(' ') : []);
const fold = (w: string) => stripAccents(w).toUpperCase();

/** By-ear spelling changes a clerk makes (seseo, b/v, ll/y, silent h, j/g, x/j, qu/k, gu/w). */
const PHONETIC_RULES: [RegExp, string][] = [
  [/z/i, 's'],
  [/s$/i, 'z'],
  [/c(?=[ei])/i, 's'],
  [/v/i, 'b'],
  [/b/i, 'v'],
  [/ll/i, 'y'],
  [/y(?=[aeiou])/i, 'll'],
  [/^h/i, ''],
  [/g(?=[ei])/i, 'j'],
  [/j(?=[ei])/i, 'g'],
  [/x/i, 'j'],
  [/qu(?=[ei])/i, 'k'],
  [/^gua/i, 'wa'],
  [/rr/i, 'r'],
  [/ñ/i, 'n'],
];

/**
 * How a Spanish-speaking clerk writes a French (or Haitian Creole) name heard aloud: JEAN → YAN,
 * PIERRE → PIER, FLEUR → FLER, JOSEPH → YOSEF, MICHEL → MISHEL, GEORGES → YORCH, AUGUSTIN → OGUSTEN.
 */
const FRENCH_BY_EAR: [RegExp, string][] = [
  [/^jean/i, 'yan'],
  [/^j/i, 'y'],
  [/eau/i, 'o'],
  [/au/i, 'o'],
  [/ou/i, 'u'],
  [/eu/i, 'e'],
  [/ai/i, 'e'],
  [/ch/i, 'sh'],
  [/ph/i, 'f'],
  [/th/i, 't'],
  [/qu/i, 'k'],
  [/erre$/i, 'er'],
  [/ette$/i, 'et'],
  [/(?<=[^aeiou])e$/i, ''],
  [/(?<=[aeiou][^aeiou]?)[st]$/i, ''],
  [/in$/i, 'en'],
  [/y/i, 'i'],
  [/w/i, 'gu'],
  [/ss/i, 's'],
  [/ll/i, 'l'],
  [/ge(?=[aeiou])/i, 'y'],
];

function matchCase(original: string, replacement: string): string {
  return original === original.toUpperCase() ? replacement.toUpperCase() : replacement.toLowerCase();
}

function phoneticMisspell(r: Rng, name: Name, french = false): boolean {
  const slots: { get: () => string; set: (v: string) => void }[] = [];
  if (name.s1) slots.push({ get: () => name.s1!, set: (v) => (name.s1 = v) }, { get: () => name.s1!, set: (v) => (name.s1 = v) });
  if (name.s2) slots.push({ get: () => name.s2!, set: (v) => (name.s2 = v) });
  name.given.forEach((_, i) => slots.push({ get: () => name.given[i]!, set: (v) => (name.given[i] = v) }));
  for (let attempt = 0; attempt < 12; attempt++) {
    const slot = pick(r, slots);
    const value = slot.get();
    // A French name heard aloud often changes in two places at once (JEAN-PIERRE → YAN PIER).
    let next = value;
    for (let k = 0; k < (french && r() < 0.4 ? 2 : 1); k++) {
      const rules = (french ? FRENCH_BY_EAR : PHONETIC_RULES).filter(([re]) => re.test(next));
      if (!rules.length) break;
      const [re, to] = pick(r, rules);
      next = next.replace(re, (m) => matchCase(m, to));
    }
    if (next !== value && next.length > 1) {
      slot.set(next);
      return true;
    }
  }
  return false;
}

const KEYBOARD = 'qwertyuiopasdfghjklzxcvbnm';
function typo(r: Rng, name: Name, surnameOnly = false): boolean {
  const slots: { get: () => string; set: (v: string) => void }[] = [];
  if (name.s1) slots.push({ get: () => name.s1!, set: (v) => (name.s1 = v) });
  if (name.s2) slots.push({ get: () => name.s2!, set: (v) => (name.s2 = v) });
  if (!surnameOnly) name.given.forEach((_, i) => slots.push({ get: () => name.given[i]!, set: (v) => (name.given[i] = v) }));
  if (!slots.length) return false;
  const slot = pick(r, slots);
  const v = slot.get();
  if (v.length < 4) return false;
  const i = 1 + Math.floor(r() * (v.length - 1));
  const letter = KEYBOARD[Math.floor(r() * KEYBOARD.length)]!;
  const ch = v === v.toUpperCase() ? letter.toUpperCase() : letter;
  const kind = Math.floor(r() * 4);
  const next =
    kind === 0 ? v.slice(0, i) + v.slice(i + 1) : kind === 1 ? v.slice(0, i) + ch + v.slice(i) : kind === 2 ? v.slice(0, i) + ch + v.slice(i + 1) : i < v.length - 1 ? v.slice(0, i) + v[i + 1] + v[i] + v.slice(i + 2) : v.slice(0, i) + ch;
  slot.set(next);
  return next !== v;
}

type QueryState = { surnamesFirst: boolean; french: boolean; byEar: boolean };

function apply(r: Rng, kind: Variation, name: Name, order: QueryState): boolean {
  const content = name.given.filter((w) => !PARTICLE.has(fold(w)));
  switch (kind) {
    case 'as_recorded':
      return true;
    case 'second_surname_missing':
      if (!name.s2) return false;
      name.s2 = null;
      return true;
    case 'first_surname_missing':
      if (!name.s2 || !name.s1) return false;
      name.s1 = name.s2;
      name.s2 = null;
      return true;
    case 'swapped_surnames':
      if (!name.s1 || !name.s2) return false;
      [name.s1, name.s2] = [name.s2, name.s1];
      return true;
    case 'one_part_of_compound': {
      if (content.length < 2) return false;
      // People named "María Guadalupe" mostly go by the second part; "José Luis" by either.
      name.given = [fold(content[0]!) === 'MARIA' || r() < 0.5 ? content[content.length - 1]! : content[0]!];
      return true;
    }
    case 'abbreviation': {
      const i = name.given.findIndex((w) => ABBREVIATE[fold(w)]);
      if (i >= 0) {
        name.given[i] = ABBREVIATE[fold(name.given[i]!)]!;
        return true;
      }
      if (content.length >= 2) {
        name.given[name.given.indexOf(content[0]!)] = `${content[0]!.charAt(0)}.`;
        return true;
      }
      return false;
    }
    case 'nickname': {
      for (const w of content) {
        const nicks = NICK_OF[fold(w)];
        if (nicks) {
          const nick = pick(r, nicks);
          name.given = [w === w.toUpperCase() ? nick : nick.charAt(0) + nick.slice(1).toLowerCase()];
          return true;
        }
      }
      return false;
    }
    case 'phonetic_misspelling':
      order.byEar = order.french && r() < 0.7;
      return phoneticMisspell(r, name, order.byEar);
    case 'typo':
      return typo(r, name);
    case 'surname_typo':
      return typo(r, name, true);
    case 'two_errors': {
      const kinds: Variation[] = ['typo', 'surname_typo', 'phonetic_misspelling', 'second_surname_missing', 'one_part_of_compound', 'nickname'];
      const first = pick(r, kinds);
      if (!apply(r, first, name, order)) return false;
      for (let attempt = 0; attempt < 6; attempt++) {
        const second = pick(r, kinds);
        if (second !== first && apply(r, second, name, order)) return true;
      }
      return false;
    }
    case 'surnames_first':
      order.surnamesFirst = true;
      return true;
    case 'french_by_ear':
      order.byEar = true;
      return phoneticMisspell(r, name, true);
  }
}

export type BenchQuery = { q: string; variations: Variation[] };

export function makeQuery(r: Rng, person: { given_names: string; surname1: string | null; surname2: string | null; nationalities?: string[] | null }): BenchQuery {
  const name: Name = { given: words(person.given_names), s1: person.surname1, s2: person.surname2 };
  const order: QueryState = { surnamesFirst: false, french: (person.nationalities ?? []).some((n) => FRANCOPHONE.has(n.trim())), byEar: false };
  const variations: Variation[] = [];
  let kind = VARIATION_DRAW.draw(r) as Variation;
  if (!apply(r, kind, name, order)) {
    // Not applicable to this name (no compound, no nickname...): a by-ear misspelling instead, else as recorded.
    kind = apply(r, 'phonetic_misspelling', name, order) ? 'phonetic_misspelling' : 'as_recorded';
  }
  variations.push(kind);
  if (r() < 0.1) {
    const second = pick(r, ['phonetic_misspelling', 'typo', 'second_surname_missing'] as const);
    if (second !== kind && apply(r, second, name, order)) variations.push(second);
  }
  if (order.byEar) variations.push('french_by_ear');
  const surnames = [name.s1, name.s2].filter(Boolean).join(' ');
  let q = order.surnamesFirst ? `${surnames} ${name.given.join(' ')}` : `${name.given.join(' ')} ${surnames}`;
  q = q.replace(/\s+/g, ' ').trim();
  if (r() < 0.6) q = stripAccents(q);
  const c = r();
  if (c < 0.3) q = q.toLowerCase();
  else if (c < 0.5) q = q.toUpperCase();
  return { q, variations };
}

export type BirthSlip = 'exact' | 'day_month_swapped' | 'year_off_by_one' | 'year_digit';

/**
 * A date of birth as typed in a query: 90 % as recorded, 4 % day and month swapped (when the day can be a
 * month), 3 % the year off by one, 3 % a slip in the year's digits (a decade off, or its last two digits
 * swapped).
 */
export function queryBirthDate(r: Rng, date: string): { date: string; slip: BirthSlip } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const iso = (yy: number, mm: number, dd: number) => `${yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  const x = r();
  if (x < 0.04 && d <= 12 && d !== m) return { date: iso(y, d, m), slip: 'day_month_swapped' };
  if (x >= 0.04 && x < 0.07 && !(m === 2 && d === 29)) return { date: iso(y + (r() < 0.5 ? -1 : 1), m, d), slip: 'year_off_by_one' };
  if (x >= 0.07 && x < 0.1 && !(m === 2 && d === 29)) {
    const swapped = y - (y % 100) + (y % 10) * 10 + Math.floor((y % 100) / 10);
    const yy = r() < 0.5 && swapped !== y && swapped <= 2024 ? swapped : y + (y + 10 <= 2024 ? 10 : -10);
    return { date: iso(yy, m, d), slip: 'year_digit' };
  }
  return { date, slip: 'exact' };
}
