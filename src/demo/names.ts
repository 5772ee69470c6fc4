import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WeightedList, type Random } from '../platform/random.ts';

/**
 * Names for the demo people: samples of public frequency lists (src/demo/names/README.md), in
 * capitals without accents as published, written the way real records have them: accents, title
 * case, "de la" particles, the occasional "Ma." abbreviation kept as the list has it.
 */

// Words whose accent no rule gives.
const ACCENTED: Record<string, string> = Object.fromEntries(
  (
    'Aarón Adán Adrián Agustín Aidé Alanís Alarcón Albarrán Alcalá Alcántara Alemán Almazán Álvaro Álvarez América Anahí Andrés Ángel Ángela Ángeles ' +
    'Angélica Aníbal Antón Aragón Arévalo Argüelles Argüello Armendáriz Ávalos Ávila Avilés Bárcenas Barragán Barrón Bartolomé Belén Beltrán Benjamín ' +
    'Bernabé Cáceres Calderón Canché Cándido Cantú Cárdenas Carreón Castelán Castrejón Catalán Cázares Cerón César Chablé Chacón Chavarría Colín ' +
    'Córdoba Córdova Cortés Cristóbal Cuauhtémoc Cuéllar Damián Darío Dávila Díaz Durán Efraín Efrén Elías Eréndira Estefanía Euán Expósito Fabián ' +
    'Fátima Félix Fermín Filemón Frías Galán Galván García Gaytán Germán Gerónimo Girón Góngora Guillén Guzmán Héctor Hernán Hipólito Inés Isaías ' +
    'Iván Jáuregui Jazmín Jerónimo Jesús Joaquín José Josué Julián Lázaro León Limón Lomelí Lucía Macías Magalí María Marilú Marín Marroquín Martín ' +
    'Matías Máximo Medellín Mejía Millán Moisés Mondragón Mónica Morán Munguía Nájera Neftalí Néstor Nicolás Noé Noemí Nohemí Olguín Óscar Ramón ' +
    'Raúl Rendón René Rentería Reséndiz Rincón Río Ríos Rocío Roldán Román Rosalío Rubén Rubí Sáenz Saldívar Salmerón Salomón Santamaría Santillán ' +
    'Sebastián Serafín Servín Simón Sofía Solís Solórzano Teófilo Terán Tomás Valdés Valentín Verónica Víctor Xóchitl Yazmín Zárate Zúñiga ' +
    // Haitian and Mayan names used below.
    'Ajú'
  )
    .split(' ')
    .map((word) => [fold(word), word]),
);

// Words ending in -EZ that are stressed on the last syllable, so without accent.
const UNACCENTED_EZ = new Set(['VALDEZ', 'VALADEZ', 'CORTEZ']);
const PARTICLES = new Set(['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y']);

// Compound names that the Spanish lists publish without their particle.
const WITH_PARTICLE: Record<string, string> = {
  'MARIA CARMEN': 'MARIA DEL CARMEN',
  'MARIA PILAR': 'MARIA DEL PILAR',
  'MARIA ANGELES': 'MARIA DE LOS ANGELES',
  'MARIA ROSARIO': 'MARIA DEL ROSARIO',
  'MARIA MAR': 'MARIA DEL MAR',
  'MARIA LUZ': 'MARIA DE LA LUZ',
  'MARIA JESUS': 'MARIA DE JESUS',
  'MARIA NIEVES': 'MARIA DE LAS NIEVES',
  'MARIA CRUZ': 'MARIA DE LA CRUZ',
  'MARIA PAZ': 'MARIA DE LA PAZ',
  'MARIA CONSUELO': 'MARIA DEL CONSUELO',
  'MARIA SOCORRO': 'MARIA DEL SOCORRO',
  'MARIA LOURDES': 'MARIA DE LOURDES',
  'MARIA REFUGIO': 'MARIA DEL REFUGIO',
};

export function fold(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, (m, offset: number, all: string) => (m === '\u0303' && /n/i.test(all[offset - 1] ?? '') ? m : '')).normalize('NFC').toUpperCase();
}

function title(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase();
}

/** One word, upper case without accents (Ñ kept), as it should be written. */
export function accentWord(word: string): string {
  const upper = word.toUpperCase();
  if (ACCENTED[upper]) return ACCENTED[upper];
  // "MA." and "J." stay abbreviated; "MA" gets its dot as forms print it.
  if (upper === 'MA' || upper === 'MA.') return 'Ma.';
  if (/^[A-Z]\.?$/.test(upper)) return `${upper.charAt(0)}.`;
  let out = upper;
  if (/ION$/.test(upper) && upper.length > 4) {
    out = upper.replace(/ION$/, 'IÓN');
  } else if (/EZ$/.test(upper) && !UNACCENTED_EZ.has(upper)) {
    // Paroxytone ending in -z: the accent goes on the vowel before the last syllable
    // (Hernández, López, Domínguez: the u of gu/qu before e is silent and skipped).
    const stem = upper.slice(0, -2);
    for (let i = stem.length - 1; i >= 0; i--) {
      const ch = stem[i]!;
      if (!'AEIOU'.includes(ch)) continue;
      if (ch === 'U' && (stem[i - 1] === 'G' || stem[i - 1] === 'Q') && i === stem.length - 1) continue;
      if (i === stem.length - 1 && i > 0 && ch === 'I' && 'AEOU'.includes(stem[i - 1] ?? '')) continue;
      out = stem.slice(0, i) + { A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú' }[ch] + stem.slice(i + 1) + 'EZ';
      break;
    }
  }
  return title(out);
}

/** A full given name or surname: "MARIA DE LOS ANGELES" → "María de los Ángeles", "DE LA CRUZ" → "De la Cruz". */
export function writeName(raw: string, kind: 'given' | 'surname'): string {
  const expanded = kind === 'given' ? (WITH_PARTICLE[raw] ?? raw) : raw;
  const words = expanded.split(/\s+/).filter(Boolean);
  return words
    .map((word, index) => {
      if (PARTICLES.has(word) && (index > 0 || kind === 'given')) return word.toLowerCase();
      if (PARTICLES.has(word)) return title(word);
      return word
        .split('-')
        .map((part) => accentWord(part))
        .join('-');
    })
    .join(' ');
}

type NameLists = { female: WeightedList<string>; male: WeightedList<string>; first: WeightedList<string>; second: WeightedList<string> };

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'names');

function readCsv(file: string): string[][] {
  return fs
    .readFileSync(path.join(folder, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(','));
}

function loadLists(prefix: 'mx' | 'es'): NameLists {
  const given = (file: string) => new WeightedList(readCsv(file).map(([name, freq]) => ({ value: name!, weight: Number(freq) })));
  const surnames = readCsv(`${prefix}-surnames.csv`);
  return {
    female: given(`${prefix}-female.csv`),
    male: given(`${prefix}-male.csv`),
    first: new WeightedList(surnames.map(([name, first]) => ({ value: name!, weight: Number(first) }))),
    second: new WeightedList(surnames.map(([name, , second]) => ({ value: name!, weight: Number(second) }))),
  };
}

let cache: { mx: NameLists; es: NameLists } | undefined;
function lists() {
  cache ??= { mx: loadLists('mx'), es: loadLists('es') };
  return cache;
}

// Small lists for people whose names the Spanish-language lists do not cover.
const HAITIAN = {
  female: ['MARIE', 'MARIE CLAIRE', 'MARIE ANGE', 'ROSELINE', 'GUERLINE', 'NADEGE', 'FABIOLA', 'WIDELINE', 'JOSEPHINE', 'MYRLANDE', 'NATACHA', 'DAPHNEY', 'ISLANDE', 'LOUDINA', 'SOPHIA', 'MIRLENE'],
  male: ['JEAN', 'JEAN PIERRE', 'JEAN BAPTISTE', 'JOSEPH', 'PIERRE', 'LOUIS', 'JACQUES', 'WILNER', 'JUNIOR', 'FRANTZ', 'WISLER', 'EMMANUEL', 'RICHARDSON', 'MACKENSON', 'WOODLEY', 'STEVENSON', 'DIEUNEL', 'JOHNSON'],
  surnames: ['JOSEPH', 'JEAN', 'PIERRE', 'LOUIS', 'CHARLES', 'BAPTISTE', 'ETIENNE', 'FRANCOIS', 'DORVAL', 'ALEXIS', 'AUGUSTIN', 'CELESTIN', 'DESIR', 'EXILUS', 'FLEURANT', 'GEDEON', 'HYPPOLITE', 'JULES', 'LAGUERRE', 'MICHEL', 'NOEL', 'PAUL', 'SAINT FLEUR', 'SAINT LOUIS', 'THERMIDOR', 'VALCOURT'],
};
const HAITIAN_SPELLING: Record<string, string> = { NADEGE: 'Nadège', FRANCOIS: 'François', DESIR: 'Désir', GEDEON: 'Gédéon', ETIENNE: 'Étienne', CELESTIN: 'Célestin', 'SAINT FLEUR': 'Saint-Fleur', 'SAINT LOUIS': 'Saint-Louis', 'JEAN PIERRE': 'Jean-Pierre', 'JEAN BAPTISTE': 'Jean-Baptiste', 'MARIE CLAIRE': 'Marie-Claire', 'MARIE ANGE': 'Marie-Ange' };
const haitian = (raw: string) => HAITIAN_SPELLING[raw] ?? raw.split(' ').map(title).join(' ');

// Mayan surnames of Guatemala's western highlands, for some indigenous people.
const MAYAN_SURNAMES = ['Tzoc', 'Chuc', 'Ixcoy', 'Tum', 'Coc', 'Caal', 'Choc', 'Xol', 'Tzul', 'Cux', 'Ajú', 'Ixcot', 'Yax', 'Quiej', 'Tax', 'Pop', 'Ical', 'Cuc'];

export type NameStyle = 'mx' | 'es' | 'haitian' | 'mayan';

export type GeneratedName = { given_names: string; surname1: string | null; surname2: string | null };

export function randomName(random: Random, sex: 'female' | 'male', style: NameStyle): GeneratedName {
  if (style === 'haitian') {
    const given = haitian(random.pick(sex === 'female' ? HAITIAN.female : HAITIAN.male));
    return { given_names: given, surname1: haitian(random.pick(HAITIAN.surnames)), surname2: null };
  }
  const source = style === 'es' ? lists().es : lists().mx;
  const givenList = sex === 'female' ? source.female : source.male;
  let givenRaw = givenList.sample(random);
  // Some people carry two names that the lists do not have as one entry.
  if (!givenRaw.includes(' ') && random.chance(0.12)) {
    const second = givenList.sample(random);
    if (!second.includes(' ') && second !== givenRaw && !/^(MA|J)\.?$/.test(second)) givenRaw = `${givenRaw} ${second}`;
  }
  let surname1 = writeName(source.first.sample(random), 'surname');
  if (style === 'mayan' && random.chance(0.6)) surname1 = random.pick(MAYAN_SURNAMES);
  let surname2: string | null = writeName(source.second.sample(random), 'surname');
  if (style === 'mayan' && random.chance(0.5)) surname2 = random.pick(MAYAN_SURNAMES);
  if (surname2 === surname1 || random.chance(0.07)) surname2 = null;
  return { given_names: writeName(givenRaw, 'given'), surname1, surname2 };
}
