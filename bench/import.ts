import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDb, migrateToLatest } from '../src/platform/db/database.ts';
import { FieldCipher, newKeyRing, type KeyRingFile } from '../src/platform/crypto/field-encryption.ts';
import { createInstitution } from '../src/institutions/institution.service.ts';
import { createUser } from '../src/users/user.service.ts';
import { importCsv } from '../src/missing/import.ts';
import { largePeopleFile, largeReportsFile } from '../src/missing/testing/import-files.ts';
import { writePeopleFile } from '../src/imports/testing/people-file.ts';
import { ensureDatabase, machine, now, numberFlag, parseArgs, seconds, startBenchPostgres, table, withClient } from './support.ts';

/**
 * `npm run bench -- import [--rows=10000] [--file-rows=1000000] [--keep]`
 *
 * 1. The bulk CSV import of the search for missing persons (docs/missing-import.md): a file of people and
 *    one of missing-person reports of `--rows` rows each, through `importCsv` as the HTTP route calls it
 *    (validation, encryption, name keys, matching queue, one audit entry). Target: 10,000 rows in under
 *    30 s. `--rows=0` skips it.
 * 2. One people file of `--file-rows` rows (issue 11, item 7: 1,000,000 in one file) through the command
 *    line, `amparo import people`, in a child process as an operator runs it: streamed, one transaction,
 *    progress lines on stderr (not a terminal). Reports rows/s and the child's peak memory (VmHWM, read
 *    from /proc while it runs). Baseline, same run, same file, same PostgreSQL: `COPY` of the file into a
 *    table of ten text columns (no validation, no encryption, no keys): how fast these bytes can enter
 *    this database at all. `--file-rows=0` skips it.
 */
const TARGET_SECONDS = 30;
const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const rows = numberFlag(args, 'rows', 10_000);
  const fileRows = numberFlag(args, 'file-rows', 1_000_000);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const postgres = await startBenchPostgres({ keep: args.flags.has('keep'), log });
  try {
    const database = `amparo_bench_import_${Date.now()}`;
    await ensureDatabase(postgres.url('postgres'), database);
    const db = createDb(postgres.url(database), { max: 4 });
    try {
      await migrateToLatest(db);
      const ring = await newKeyRing();
      const cipher = await FieldCipher.fromRing(ring);
      const institution = await createInstitution(db, null, { code: 'BUSQ', name: 'Comisión de Búsqueda (bench)', type: 'state_agency' });
      const user = await createUser(db, null, { email: 'supervisor@bench.invalid', display_name: 'Supervisión', institution_id: institution.id, role: 'supervisor' });
      const actor = { userId: user.id, institutionId: institution.id, role: 'supervisor' as const, isPlatformAdmin: false, ip: null };
      const m = machine();
      log(`Import benchmark: ${rows.toLocaleString('en')} rows per file through importCsv, ${fileRows.toLocaleString('en')} in one file through the CLI; ${m.nproc} CPUs, ${m.memory}, ${m.cpu}, Node ${m.node}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      if (rows > 0) {
        const results: string[][] = [['file', 'rows', 'seconds', 'rows/s', `target < ${TARGET_SECONDS} s per 10,000`]];
        for (const [kind, file] of [['people', largePeopleFile(rows)], ['reports', largeReportsFile(rows)]] as const) {
          const started = now();
          const result = await importCsv(db, cipher, actor, kind, file);
          const took = seconds(started);
          results.push([kind, String(result.rows), took.toFixed(1), Math.round(result.rows / took).toLocaleString('en'), took * (10_000 / rows) < TARGET_SECONDS ? 'met' : 'MISSED']);
        }
        log(table(results));
      }
      if (fileRows > 0) await oneLargeFile(postgres.url(database), ring, fileRows, log);
    } finally {
      await db.destroy();
    }
  } finally {
    await postgres.stop();
  }
}

async function oneLargeFile(url: string, ring: KeyRingFile, rows: number, log: (line: string) => void): Promise<void> {
  // In the system temp folder: the PostgreSQL server reads it too, for COPY.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-bench-import-'));
  fs.chmodSync(work, 0o755);
  const file = path.join(work, 'people.csv');
  try {
    let t = now();
    const bytes = await writePeopleFile(file, rows);
    log(`people file: ${rows.toLocaleString('en')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB, written in ${seconds(t).toFixed(1)} s`);

    t = now();
    const copied = await withClient(url, async (c) => {
      await c.query(`create table bench_copy_people (external_id text, given_names text, surname1 text, surname2 text, sex text, date_of_birth text, nationality text, languages text, documents text, contact_phone text)`);
      const result = await c.query(`copy bench_copy_people from '${file}' with (format csv, header)`);
      await c.query('drop table bench_copy_people');
      return result.rowCount ?? 0;
    });
    const copySeconds = seconds(t);
    log(`baseline COPY: ${copied.toLocaleString('en')} rows in ${copySeconds.toFixed(1)} s`);

    // The operator's key file: the ring this database's encrypted rows were written with.
    const keyFile = path.join(work, 'keys.json');
    fs.writeFileSync(keyFile, JSON.stringify(ring, null, 2) + '\n', { mode: 0o600 });
    const env = { ...process.env, DATABASE_URL: url, AMPARO_KEY_FILE: keyFile, AMPARO_DATA_DIR: work, AMPARO_LOG_LEVEL: 'warn' };
    t = now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'import', 'people', '--institution', 'BUSQ', '--file', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    const sample = () => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // The process has exited.
      }
    };
    const sampler = setInterval(sample, 200);
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) log(`  cli: ${line}`);
    });
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    clearInterval(sampler);
    const cliSeconds = seconds(t);
    log(`  cli stdout: ${output.join('').trim()}`);
    if (code !== 0) throw new Error(`amparo import people exited with ${code}`);
    const imported = await withClient(url, async (c) => Number((await c.query(`select count(*) as n from people`)).rows[0].n));
    if (imported !== rows) throw new Error(`expected ${rows} people, found ${imported}`);
    log(
      table([
        ['one file of people', 'rows', 'seconds', 'rows/s', 'peak memory'],
        ['amparo import people (CLI: validation, encryption, name keys, audit, one transaction)', rows.toLocaleString('en'), cliSeconds.toFixed(1), Math.round(rows / cliSeconds).toLocaleString('en'), `${(peakKb / 1024).toFixed(0)} MB (VmHWM)`],
        ['baseline: COPY into ten text columns', copied.toLocaleString('en'), copySeconds.toFixed(1), Math.round(copied / copySeconds).toLocaleString('en'), 'server side'],
      ]),
    );
    log(`ratio amparo / COPY rows per second: ${(copySeconds / cliSeconds).toFixed(3)}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
