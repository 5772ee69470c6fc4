import fs from 'node:fs';
import { toCsvLine } from '../../platform/csv.ts';
import { PEOPLE_HEADER, personRow } from '../../missing/testing/import-files.ts';

/**
 * A people file in the import format (docs/missing-import.md) of any size, written row by row (never
 * held in memory): for the streamed-import test and `npm run bench -- import`. Names, sexes, dates of
 * birth, nationalities, documents and phones vary with the row; `override` changes given rows (a bad
 * value, to test rejection).
 */
const GIVEN = ['Juan', 'María', 'José Luis', 'Ana', 'Guadalupe', 'Carlos', 'Rosa', 'Pedro', 'Wilmer', 'Yesenia', 'Jean Robert', 'Kenia Marisol', 'Dilcia', 'Óscar', 'Fátima'];
const SURNAMES = ['Hernández', 'García', 'López', 'Martínez', 'Pérez', 'Gómez', 'Ramírez', 'Cruz', 'Orellana', 'Xicará', 'Saint-Fleur', 'Mejía', 'Zúñiga', 'Ávila', 'Chávez', 'Pineda', 'Ortiz'];
const NATIONALITIES = ['HND', 'GTM', 'SLV', 'NIC', 'HTI', 'VEN', 'CUB', 'MEX|GTM', 'COL', 'ECU'];
const SEXES = ['female', 'male', 'male', 'female', 'unknown'];

export function peopleFileRow(i: number): string[] {
  const year = 1950 + ((i * 7) % 70);
  const month = String(1 + ((i * 5) % 12)).padStart(2, '0');
  const day = String(1 + ((i * 11) % 28)).padStart(2, '0');
  return personRow(`P-${i}`, {
    given_names: GIVEN[i % GIVEN.length]!,
    surname1: SURNAMES[(i * 7) % SURNAMES.length]!,
    surname2: i % 6 === 0 ? '' : SURNAMES[(i * 3 + 1) % SURNAMES.length]!,
    sex: SEXES[i % SEXES.length]!,
    date_of_birth: i % 9 === 0 ? '' : `${year}-${month}-${day}`,
    nationality: NATIONALITIES[i % NATIONALITIES.length]!,
    languages: i % 10 === 4 ? 'hat|fra' : 'spa',
    documents: i % 4 === 0 ? `passport:P${String(i).padStart(8, '0')}:${NATIONALITIES[i % NATIONALITIES.length]!.slice(0, 3)}` : '',
    contact_phone: i % 3 === 0 ? `+504 ${String(10_000_000 + i).slice(0, 4)} ${String(i % 10_000).padStart(4, '0')}` : '',
  });
}

/** Writes `rows` people (and a header) to `file`; returns its size in bytes. */
export async function writePeopleFile(file: string, rows: number, override: (i: number, row: string[]) => string[] = (_, row) => row): Promise<number> {
  const out = fs.createWriteStream(file, { mode: 0o644 });
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(`${toCsvLine(PEOPLE_HEADER)}\r\n`);
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    buffer += `${toCsvLine(override(i, peopleFileRow(i)))}\r\n`;
    if (buffer.length > 1 << 16) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return fs.statSync(file).size;
}
