import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- <name> [flags]`: runs bench/<name>.ts, a module exporting `run(argv)`.
 * See bench/README.md for the benchmarks and their flags.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
// A benchmark is a bench/*.ts file exporting run(); the others are helpers.
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && /export (async )?function run\(/.test(fs.readFileSync(path.join(here, f), 'utf8')))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || !available.includes(name)) {
  if (name && name !== '--help') console.error(`Unknown benchmark "${name}".`);
  console.error(`Usage: npm run bench -- <name> [flags]\nBenchmarks: ${available.join(', ')}\nSee bench/README.md.`);
  process.exit(name && name !== '--help' ? 2 : 0);
}
const module = (await import(`./${name}.ts`)) as { run?: (argv: string[]) => Promise<void> };
if (typeof module.run !== 'function') {
  console.error(`bench/${name}.ts does not export run(argv).`);
  process.exit(2);
}
try {
  await module.run(rest);
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}
