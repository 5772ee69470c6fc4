import { createDb, migrateToLatest } from '../src/platform/db/database.ts';
import { FieldCipher, newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { createInstitution } from '../src/institutions/institution.service.ts';
import { createUser } from '../src/users/user.service.ts';
import { importCsv } from '../src/missing/import.ts';
import { largePeopleFile, largeReportsFile } from '../src/missing/testing/import-files.ts';
import { ensureDatabase, machine, now, numberFlag, parseArgs, seconds, startBenchPostgres, table } from './support.ts';

/**
 * `npm run bench -- import [--rows=10000] [--keep]`: the bulk CSV import of the search for missing
 * persons (docs/missing-import.md), a file of people and a file of reports of `--rows` rows each,
 * through `importCsv` as the HTTP route and the command line call it (validation, encryption, name
 * keys, matching queue, one audit entry), into a fresh database. Target: 10,000 rows in under 30 s.
 */
const TARGET_SECONDS = 30;

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const rows = numberFlag(args, 'rows', 10_000);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const postgres = await startBenchPostgres({ keep: args.flags.has('keep'), log });
  try {
    const database = `amparo_bench_import_${Date.now()}`;
    await ensureDatabase(postgres.url('postgres'), database);
    const db = createDb(postgres.url(database), { max: 4 });
    try {
      await migrateToLatest(db);
      const cipher = await FieldCipher.fromRing(await newKeyRing());
      const institution = await createInstitution(db, null, { code: 'BUSQ', name: 'Comisión de Búsqueda (bench)', type: 'state_agency' });
      const user = await createUser(db, null, { email: 'supervisor@bench.invalid', display_name: 'Supervisión', institution_id: institution.id, role: 'supervisor' });
      const actor = { userId: user.id, institutionId: institution.id, role: 'supervisor' as const, isPlatformAdmin: false, ip: null };
      const m = machine();
      log(`Import benchmark: ${rows.toLocaleString('en')} rows per file; ${m.nproc} CPUs, ${m.memory}, ${m.cpu}, Node ${m.node}`);
      const results: string[][] = [['file', 'rows', 'seconds', 'rows/s', `target < ${TARGET_SECONDS} s per 10,000`]];
      for (const [kind, file] of [['people', largePeopleFile(rows)], ['reports', largeReportsFile(rows)]] as const) {
        const started = now();
        const result = await importCsv(db, cipher, actor, kind, file);
        const took = seconds(started);
        results.push([kind, String(result.rows), took.toFixed(1), Math.round(result.rows / took).toLocaleString('en'), took * (10_000 / rows) < TARGET_SECONDS ? 'met' : 'MISSED']);
      }
      log(table(results));
    } finally {
      await db.destroy();
    }
  } finally {
    await postgres.stop();
  }
}
