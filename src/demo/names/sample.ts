/**
 * Rebuilds the small name samples in this folder from the full public frequency lists
 * (see README.md here). Not used at run time: the demo reads the CSV files next to this script.
 *
 *   npx tsx src/demo/names/sample.ts /path/to/names   (a folder with mx/ and es/)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: tsx src/demo/names/sample.ts <folder with mx/ and es/>\n');
  process.exit(1);
}
const here = path.dirname(fileURLToPath(import.meta.url));

// The Mexican lists are Latin-1 (Ñ is byte 0xD1); the Spanish ones are UTF-8.
const read = (file: string, encoding: BufferEncoding) =>
  fs
    .readFileSync(path.join(source, file), encoding)
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(','));

// Spelling variants of the same surname written without Ñ or with a stray character are merged.
const variants: Record<string, string> = { 'MU!OZ': 'MUÑOZ', MUNOZ: 'MUÑOZ', NUNEZ: 'NUÑEZ', PENA: 'PEÑA', CASTANEDA: 'CASTAÑEDA', ZUNIGA: 'ZUÑIGA' };
const dropped = new Set(['DE', 'DE LA', 'DEL', 'LA']);
// Catalan, Basque and Arabic names common in Spain but not among Latin American migrants.
const notLatinAmerican = new Set(
  'JORDI JOAN MARC JOSEP AITOR IKER BORJA JAUME PAU SERGI MIKEL IÑIGO ASIER MIQUEL FRANCESC XAVIER ALBERT ALEX MOHAMED MOHAMMED AHMED NURIA MONTSERRAT NEREA AINHOA BEGOÑA ANNA GEMMA GEMA MERITXELL IÑAKI ANTONI CARLES LLUIS PERE GERARD CARBONELL FONT ARNAU POL ORIOL ENEKO UNAI JON ANDONI IZASKUN ITZIAR AMAIA LAIA NEUS MIREIA ALBA CARLA PUIG ROIG DOMENECH RIERA SOLER PONS MAS ROS SERRA VILA MARTI COSTA ANDREU OLIVER SOLA CHEN LLORENTE GIMENO ROCA FERRER VILLAR'.split(' '),
);

function names(file: string, encoding: BufferEncoding, top: number): string {
  const rows = read(file, encoding)
    .map(([name, freq]) => [name!.trim(), Number(freq)] as const)
    .filter(([name, freq]) => name && freq > 0 && !notLatinAmerican.has(name) && !name.split(' ').some((w) => notLatinAmerican.has(w)));
  return 'name,frequency\n' + rows.slice(0, top).map(([n, f]) => `${n},${f}`).join('\n') + '\n';
}

function surnames(file: string, encoding: BufferEncoding, top: number): string {
  const merged = new Map<string, [number, number]>();
  for (const [raw, first, second] of read(file, encoding)) {
    const name = variants[raw!.trim()] ?? raw!.trim();
    if (!name || dropped.has(name) || notLatinAmerican.has(name) || /[^A-ZÑÜ ]/.test(name)) continue;
    const current = merged.get(name) ?? [0, 0];
    merged.set(name, [current[0] + Number(first), current[1] + Number(second)]);
  }
  const rows = [...merged].sort((a, b) => b[1][0] + b[1][1] - (a[1][0] + a[1][1])).slice(0, top);
  return 'surname,as_first,as_second\n' + rows.map(([n, [a, b]]) => `${n},${a},${b}`).join('\n') + '\n';
}

fs.writeFileSync(path.join(here, 'mx-female.csv'), names('mx/mujeres.csv', 'latin1', 400));
fs.writeFileSync(path.join(here, 'mx-male.csv'), names('mx/hombres.csv', 'latin1', 400));
fs.writeFileSync(path.join(here, 'mx-surnames.csv'), surnames('mx/apellidos.csv', 'latin1', 600));
fs.writeFileSync(path.join(here, 'es-female.csv'), names('es/mujeres.csv', 'utf8', 150));
fs.writeFileSync(path.join(here, 'es-male.csv'), names('es/hombres.csv', 'utf8', 150));
fs.writeFileSync(path.join(here, 'es-surnames.csv'), surnames('es/apellidos.csv', 'utf8', 300));
process.stdout.write(`Wrote the samples to ${here}\n`);
