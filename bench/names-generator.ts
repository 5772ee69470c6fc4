/**
 * Realistic synthetic people and realistic search queries, for the name-matching benchmark.
 *
 * People: given names and surnames drawn by frequency from the public lists in /work/shared/data/names
 * (Mexico 75 %, Spain 25 %; override the folder with NAMES_DIR), a Mexican and Central American mix of
 * nationalities with a few Haitian names, accents restored as a clerk would type them (most of the
 * time), title or upper case, 8 % without a second surname, 15 % with an estimated age instead of a date
 * of birth.
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

function readList(file: string, column: number, fix: (name: string) => string = (n) => n): Weighted {
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split(','));
  const kept = rows.filter((r) => Number(r[column]) > 0);
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

const HAITIAN_GIVEN_M = ['JEAN', 'JEAN-BAPTISTE', 'PIERRE', 'JEAN-PIERRE', 'WOOBENSON', 'JUNIOR', 'FRANTZ', 'JEAN-CLAUDE', 'MACKENSON', 'WIDLER', 'JOSUE', 'EMMANUEL', 'RICHARDSON', 'WILSON', 'JOHNSON', 'STEVENSON', 'DAVIDSON', 'FRITZ', 'GUERRIER', 'JACQUES', 'LOUIS', 'MICHEL', 'ROBERT', 'ROOSEVELT', 'SONY', 'WESLEY', 'YVENS', 'ERNST', 'KERVENS', 'LESLY'];
const HAITIAN_GIVEN_F = ['MARIE', 'MARIE-CLAUDE', 'ROSE-MARIE', 'NADEGE', 'WIDELINE', 'FABIOLA', 'GUERLINE', 'MIRLANDE', 'JUDITH', 'NATACHA', 'ROSELINE', 'MARIE-ANGE', 'ISLANDE', 'FLORENCE', 'LOUISE', 'GUERDA', 'MARLENE', 'SANDRA', 'VIERGELA', 'ESTHER', 'DARLINE', 'ROSENIE', 'JOSEPHINE', 'YOLETTE', 'CHRISTELLE'];
const HAITIAN_SURNAMES = ['PIERRE', 'JEAN', 'JOSEPH', 'LOUIS', 'CHARLES', 'JEAN-BAPTISTE', 'PIERRE-LOUIS', 'ETIENNE', 'DORCE', 'AUGUSTIN', 'CELESTIN', 'DORVIL', 'FILS-AIME', 'SAINT-FLEUR', 'JEAN-LOUIS', 'ALEXIS', 'GUERRIER', 'CADET', 'DESIR', 'DORMEUS', 'FLEURANT', 'GEORGES', 'JACQUES', 'JEAN-PHILIPPE', 'LAGUERRE', 'LAMOTHE', 'MOISE', 'NOEL', 'PAUL', 'PETIT-FRERE', 'REMY', 'SAINT-LOUIS', 'THELUSMA', 'TOUSSAINT', 'VALCOURT', 'VILLIER', 'BELIZAIRE', 'CHERY', 'DORSAINVIL', 'EXANTUS'];

const NATIONALITIES = new Weighted(['MEX', 'HND', 'GTM', 'SLV', 'NIC', 'VEN', 'CUB', 'HTI'], [35, 25, 20, 11, 3, 2, 2, 2]);

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

  constructor(namesDir = process.env.NAMES_DIR ?? '/work/shared/data/names') {
    const es = (n: string) => ES_PARTICLES[n] ?? n;
    this.male = [readList(path.join(namesDir, 'mx/hombres.csv'), 1), readList(path.join(namesDir, 'es/hombres.csv'), 1, es)];
    this.female = [readList(path.join(namesDir, 'mx/mujeres.csv'), 1), readList(path.join(namesDir, 'es/mujeres.csv'), 1, es)];
    this.surname1 = [readList(path.join(namesDir, 'mx/apellidos.csv'), 1), readList(path.join(namesDir, 'es/apellidos.csv'), 1)];
    this.surname2 = [readList(path.join(namesDir, 'mx/apellidos.csv'), 2), readList(path.join(namesDir, 'es/apellidos.csv'), 2)];
  }

  person(r: Rng): GeneratedPerson {
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
      s2 = null;
    } else {
      given = (sex === 'male' ? this.male : this.female)[list].draw(r);
      s1 = this.surname1[r() < 0.75 ? 0 : 1].draw(r);
      s2 = r() < 0.08 ? null : this.surname2[r() < 0.75 ? 0 : 1].draw(r);
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
  | 'surnames_first';

/** Proportions (percent) of the main variation; accents dropped and case changed independently. */
export const VARIATIONS: [Variation, number][] = [
  ['as_recorded', 14],
  ['second_surname_missing', 10],
  ['first_surname_missing', 2],
  ['swapped_surnames', 7],
  ['one_part_of_compound', 12],
  ['abbreviation', 6],
  ['nickname', 6],
  ['phonetic_misspelling', 20],
  ['typo', 15],
  ['surnames_first', 3],
  // plus: accents dropped in 60 % of queries, lower case 30 %, upper case 20 %, and a second
  // variation (phonetic misspelling, typo or second surname missing) in 10 %.
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

function matchCase(original: string, replacement: string): string {
  return original === original.toUpperCase() ? replacement.toUpperCase() : replacement.toLowerCase();
}

function phoneticMisspell(r: Rng, name: Name): boolean {
  const slots: { get: () => string; set: (v: string) => void }[] = [];
  if (name.s1) slots.push({ get: () => name.s1!, set: (v) => (name.s1 = v) }, { get: () => name.s1!, set: (v) => (name.s1 = v) });
  if (name.s2) slots.push({ get: () => name.s2!, set: (v) => (name.s2 = v) });
  name.given.forEach((_, i) => slots.push({ get: () => name.given[i]!, set: (v) => (name.given[i] = v) }));
  for (let attempt = 0; attempt < 12; attempt++) {
    const slot = pick(r, slots);
    const value = slot.get();
    const rules = PHONETIC_RULES.filter(([re]) => re.test(value));
    if (!rules.length) continue;
    const [re, to] = pick(r, rules);
    const next = value.replace(re, (m) => matchCase(m, to));
    if (next !== value && next.length > 1) {
      slot.set(next);
      return true;
    }
  }
  return false;
}

const KEYBOARD = 'qwertyuiopasdfghjklzxcvbnm';
function typo(r: Rng, name: Name): boolean {
  const slots: { get: () => string; set: (v: string) => void }[] = [];
  if (name.s1) slots.push({ get: () => name.s1!, set: (v) => (name.s1 = v) });
  if (name.s2) slots.push({ get: () => name.s2!, set: (v) => (name.s2 = v) });
  name.given.forEach((_, i) => slots.push({ get: () => name.given[i]!, set: (v) => (name.given[i] = v) }));
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

function apply(r: Rng, kind: Variation, name: Name, order: { surnamesFirst: boolean }): boolean {
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
      return phoneticMisspell(r, name);
    case 'typo':
      return typo(r, name);
    case 'surnames_first':
      order.surnamesFirst = true;
      return true;
  }
}

export type BenchQuery = { q: string; variations: Variation[] };

export function makeQuery(r: Rng, person: { given_names: string; surname1: string | null; surname2: string | null }): BenchQuery {
  const name: Name = { given: words(person.given_names), s1: person.surname1, s2: person.surname2 };
  const order = { surnamesFirst: false };
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
  const surnames = [name.s1, name.s2].filter(Boolean).join(' ');
  let q = order.surnamesFirst ? `${surnames} ${name.given.join(' ')}` : `${name.given.join(' ')} ${surnames}`;
  q = q.replace(/\s+/g, ' ').trim();
  if (r() < 0.6) q = stripAccents(q);
  const c = r();
  if (c < 0.3) q = q.toLowerCase();
  else if (c < 0.5) q = q.toUpperCase();
  return { q, variations };
}
