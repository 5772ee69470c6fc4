import fs from 'node:fs';
import path from 'node:path';
import type { Random } from '../src/platform/random.ts';

/**
 * Realistic names for generated people, from the public frequency lists in /work/shared/data/names
 * (override with BENCH_NAMES_DIR): Mexico (SEP 2012) and Spain (INE). The lists are in capitals
 * without accents; records are written in title case with accents, so common words get theirs.
 */

export const NAMES_DIR = process.env.BENCH_NAMES_DIR ?? '/work/shared/data/names';

/** 32 random characters in base64url, the shape of a blind index. */
export function token32(random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < 32; i++) out += alphabet[Math.floor(random.next() * 64)];
  return out;
}

/** Weighted list with O(log n) sampling by cumulative weight. */
export class WeightedNames {
  private readonly cumulative: Float64Array;
  constructor(
    readonly names: string[],
    weights: number[],
  ) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
  }
  get size(): number {
    return this.names.length;
  }
  sample(rng: Random): string {
    const target = rng.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.names[lo]!;
  }
}

// Words whose accent no simple rule gives (given names and surnames common in Mexico and Central America).
const ACCENTED = new Map(
  (
    'Aarón Adán Adrián Agustín Aída Aidé Alarcón Alcalá Alcántara Alemán Almazán Álvaro Álvarez Ambrosio América Anahí Andrés Ángel Ángela Ángeles ' +
    'Angélica Aníbal Aragón Arévalo Argüelles Ávalos Ávila Avilés Bárbara Bárcenas Barragán Barrón Bartolomé Belén Beltrán Benjamín Bernabé Cáceres ' +
    'Calderón Cándido Cantú Cárdenas Carreón Castañeda Catalán Cázares Cecilia Cerón César Chacón Colín Córdoba Córdova Cortés Cristóbal Cuauhtémoc ' +
    'Cuéllar Damián Darío Dávila Díaz Durán Efraín Efrén Elías Eréndira Estefanía Fabián Fátima Félix Fermín Frías Galán Galván García Gastón Germán ' +
    'Gerónimo Girón Guillén Guzmán Héctor Hernán Hipólito Inés Isaías Iván Jáuregui Jazmín Jerónimo Jesús Joaquín José Josué Julián Lázaro León ' +
    'Limón Lucía Macías Magalí María Marilú Marín Martín Matías Máximo Medellín Mejía Millán Moisés Mondragón Mónica Morán Munguía Muñoz Nájera ' +
    'Neftalí Néstor Nicolás Noé Noemí Nohemí Núñez Olguín Óscar Ramón Raúl Rendón René Rentería Reséndiz Rincón Río Ríos Rocío Roldán Román Rosalío ' +
    'Rubén Rubí Sáenz Saldaña Saldívar Salomón Santillán Sebastián Serafín Simón Sofía Solís Solórzano Teófilo Terán Tomás Valdés Valentín ' +
    'Verónica Víctor Xóchitl Yazmín Zárate Zúñiga Ibáñez Peña Patiño Muñiz Ordóñez Cañas Treviño Toribio Begoña Iñaki Íñigo Ángeles Jesús Rosalía'
  )
    .split(' ')
    .map((word) => [stripAccents(word).toUpperCase(), word] as const),
);
const UNACCENTED_EZ = new Set(['VALDEZ', 'VALADEZ', 'CORTEZ', 'ALVAREZ']);
const PARTICLES = new Set(['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y']);

export function stripAccents(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

function titleWord(upper: string, accents: boolean): string {
  if (PARTICLES.has(upper)) return upper.toLowerCase();
  if (upper === 'MA' || upper === 'MA.') return 'Ma.';
  if (accents) {
    const known = ACCENTED.get(upper);
    if (known) return known;
    // Patronymics in -EZ are stressed on the last but one syllable: Hernández, Rodríguez, Vázquez.
    if (upper.length > 4 && upper.endsWith('EZ') && !UNACCENTED_EZ.has(upper)) {
      const stem = upper.slice(0, -2);
      for (let i = stem.length - 1; i >= 0; i--) {
        const ch = stem[i]!;
        if ('AEIOU'.includes(ch) && !(ch === 'U' && (stem[i - 1] === 'G' || stem[i - 1] === 'Q'))) {
          const acute = { A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú' }[ch as 'A']!;
          const word = stem.slice(0, i) + acute + stem.slice(i + 1) + 'EZ';
          return word[0] + word.slice(1).toLowerCase();
        }
      }
    }
  }
  const lower = upper.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** "MARIA DE LA LUZ" → "María de la Luz" (with accents) or "Maria de la Luz". */
export function formatName(upper: string, accents = true): string {
  const words = upper.trim().split(/\s+/).map((w) => titleWord(w, accents));
  if (words[0]) words[0] = words[0].charAt(0).toUpperCase() + words[0].slice(1);
  return words.join(' ');
}

function readCsv(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => line.split(','));
}

export type NameLists = {
  female: WeightedNames;
  male: WeightedNames;
  surname1: WeightedNames;
  surname2: WeightedNames;
};

/** Loads one country's lists; `limit` keeps the most frequent entries (the long tail is mostly noise). */
export function loadNameLists(country: 'mx' | 'es', limit = 5000): NameLists {
  const dir = path.join(NAMES_DIR, country);
  // The Mexican list writes Ñ as "!" (MU!OZ).
  const clean = (name: string) => name.replace(/!/g, 'Ñ').replace(/\s+/g, ' ').trim();
  const given = (file: string) => {
    const rows = readCsv(path.join(dir, file))
      .filter((r) => r[0] && Number(r[1]) > 0)
      .slice(0, limit);
    return new WeightedNames(
      rows.map((r) => clean(r[0]!)),
      rows.map((r) => Number(r[1])),
    );
  };
  const surnameRows = readCsv(path.join(dir, 'apellidos.csv'))
    .filter((r) => r[0] && /^[A-ZÑÜ' .!-]+$/.test(r[0]))
    .slice(0, limit);
  return {
    female: given('mujeres.csv'),
    male: given('hombres.csv'),
    surname1: new WeightedNames(
      surnameRows.map((r) => clean(r[0]!)),
      surnameRows.map((r) => Number(r[1]) || 0),
    ),
    surname2: new WeightedNames(
      surnameRows.map((r) => clean(r[0]!)),
      surnameRows.map((r) => Number(r[2]) || 0),
    ),
  };
}
