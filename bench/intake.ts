import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, execFile, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDb } from '../src/platform/db/database.ts';
import { login } from '../src/platform/auth/auth.service.ts';
import { programmes, crimeTypes, rightsViolations } from '../src/cases/vocabularies.ts';
import { localDate } from '../src/platform/dates.ts';
import { BENCH_PASSWORD, datasetOptionsFrom, ensureDataset, type DatasetInfo } from './generate.ts';
import { HttpClient, completeSession, signInOverHttp, type Session } from './http.ts';
import { stripAccents } from './names.ts';
import { Random } from '../src/platform/random.ts';
import {
  Samples,
  childServerAddress,
  stopChildServer,
  elapsedMs,
  machine,
  ms,
  now,
  numberFlag,
  numberFlags,
  parseArgs,
  postgresCpu,
  seconds,
  startBenchPostgres,
  systemCpu,
  table,
  withClient,
  type BenchPostgres,
} from './support.ts';

/**
 * `npm run bench -- intake`: case intake at scale (bench/README.md).
 *
 * 1. A dedicated embedded PostgreSQL with the generated data set (1M people, 1M cases by default),
 *    cloned into a scratch database so every run starts from the same rows.
 * 2. Baseline: pgbench, single-row INSERTs in autocommit into a plain table, same concurrency.
 * 3. The real HTTP server (child process), caseworkers signed in (cookie + CSRF), sustained
 *    POST /api/v1/cases (1-2 existing people of the caseworker's institution, encrypted summary,
 *    audit entry): cases/s, errors, latency, CPU split and what PostgreSQL backends wait on.
 * 4. p50/p95 of GET /api/v1/cases (caseworker; supervisor of a ~50k-case institution) and of
 *    GET /api/v1/people/search with realistic misspelt or incomplete names.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const RUN_DATABASE = 'amparo_bench_run';
const TARGETS = { casesPerSecond: 1000, listP95: 100, searchP95: 100 };

type Options = {
  duration: number;
  warmup: number;
  concurrency: number;
  baselineSeconds: number;
  readRequests: number;
  readConcurrency: number;
  clone: boolean;
  poolSize: number | undefined;
  profile: boolean;
  statements: boolean;
  /** SQL file run on the run database before the server starts (experiments: an index under test). */
  sql: string | undefined;
};

type Log = (line: string) => void;
type Box = ReturnType<typeof machine>;
type Institution = DatasetInfo['institutionList'][number];
type Counts = { people: number; cases: number; participants: number; audit: number; bytes: string };
/** What the phases run against: the server (its process, for the CPU split), PostgreSQL and the run's database. */
type Rig = { client: HttpClient; child: ChildProcess; dataDir: string; url: string; database: string; box: Box; options: Options; log: Log };
type LoadPhase = { load: LoadResult; casesPerSecond: number; perCase: { server: number; postgres: number; loadgen: number }; ceiling: number };
type ReadsPhase = { listCaseworker: Samples; listSupervisor: Samples; listLargest: Samples; search: Samples };

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const options: Options = {
    ...numberFlags(args, { duration: 40, warmup: 5, concurrency: 32, baselineSeconds: 30, readRequests: 500, readConcurrency: 4 }),
    clone: !args.flags.has('no-clone'),
    poolSize: args.flags.has('pool-size') ? numberFlag(args, 'pool-size', 20) : undefined,
    profile: args.flags.has('profile'),
    statements: args.flags.has('statements'),
    sql: typeof args.flags.get('sql') === 'string' ? (args.flags.get('sql') as string) : undefined,
  };
  const log = (line: string) => console.log(line);
  const startedAt = new Date();
  const box = machine();
  log(`Amparo intake benchmark, ${startedAt.toISOString()}`);
  log(`Machine: ${box.nproc} CPUs (${box.cpu}), ${box.memory} RAM, Node ${box.node}`);
  log(
    `Options: ${options.duration} s load after ${options.warmup} s warm-up at concurrency ${options.concurrency}; ` +
      `${options.readRequests} reads per endpoint at concurrency ${options.readConcurrency}; baseline ${options.baselineSeconds} s`,
  );

  const postgres = await startBenchPostgres({ keep: args.flags.has('keep'), log });
  let child: ChildProcess | undefined;
  let client: HttpClient | undefined;
  try {
    await configureStatements(postgres, options.statements, log);
    const dataset = await ensureDataset(postgres.url, datasetOptionsFrom(args), log);
    const database = options.clone ? await cloneDatabase(postgres, dataset.database, log) : dataset.database;
    const url = postgres.url(database);
    const counts = await countRows(url);
    log(`Database ${database}: ${counts.people} people, ${counts.cases} cases, ${counts.participants} participants, ${counts.audit} audit entries, ${(Number(counts.bytes) / 2 ** 30).toFixed(2)} GiB`);
    if (options.sql) await runSqlFile(url, database, options.sql, log);

    // --- Baseline: raw single-row inserts on the same PostgreSQL --------------------------------
    const baseline = await pgbenchBaseline(postgres, database, options.concurrency, options.baselineSeconds, log);

    // --- The server and its users ---------------------------------------------------------------
    const server = await startServer(url, dataset.info, options, log);
    child = server.child;
    client = new HttpClient(server.address, options.concurrency + 8);
    const target = pickTargetInstitution(dataset.info);
    const largest = [...dataset.info.institutionList].sort((a, b) => b.cases - a.cases)[0]!;
    const sessions = await signIn(url, client, dataset.info, target.id, log);
    const pools = await peoplePools(url);

    const rig: Rig = { client, child, dataDir: postgres.dataDir, url, database, box, options, log };
    const load = await sustainedCreation(rig, sessions, pools);
    const reads = await readsAtScale(rig, sessions, target, largest);
    summarise({ counts, baseline, load, reads, target, largest, box, log });
    log(`Data set load time: ${dataset.generated ? `${dataset.info.loadSeconds.toFixed(0)} s (this run)` : `${dataset.info.loadSeconds.toFixed(0)} s (earlier run, reused)`}`);
  } finally {
    client?.close();
    if (child) await stopChildServer(child);
    if (options.statements) await configureStatements(postgres, false, log).catch(() => undefined);
    await postgres.stop();
  }
}

async function countRows(url: string): Promise<Counts> {
  return withClient(url, async (c) => {
    const r = await c.query(`select (select count(*) from people)::int as people, (select count(*) from cases)::int as cases,
      (select count(*) from case_participants)::int as participants, (select count(*) from audit_log)::int as audit, pg_database_size(current_database()) as bytes`);
    return r.rows[0] as Counts;
  });
}

/** `--sql`: a file run on the run database before the server starts (experiments: an index under test). */
async function runSqlFile(url: string, database: string, file: string, log: Log): Promise<void> {
  const text = fs.readFileSync(file, 'utf8');
  const started = now();
  await withClient(url, (c) => c.query(text));
  log(`Ran ${file} on ${database} in ${seconds(started).toFixed(1)} s`);
}

/** Sustained POST /api/v1/cases by the caseworkers after a warm-up: cases/s, latency, CPU per case, what backends wait on. */
async function sustainedCreation(rig: Rig, sessions: Session[], pools: Map<string, string[]>): Promise<LoadPhase> {
  const { client, child, dataDir, url, database, box, options, log } = rig;
  const rng = new Random(Date.now() & 0xffffffff);
  const caseworkers = sessions.filter((s) => s.role === 'caseworker');
  const createCase = (session: Session) => client.request('POST', '/api/v1/cases', { body: newCaseBody(rng, pools.get(session.institutionId)!), session });
  await waitForQuietMachine(log);
  log(`Warm-up: ${options.warmup} s of POST /api/v1/cases...`);
  await driveLoad(options.warmup, options.concurrency, () => createCase(rng.pick(caseworkers)));
  log(`Load: ${options.duration} s of POST /api/v1/cases at concurrency ${options.concurrency}, ${caseworkers.length} caseworkers of ${new Set(caseworkers.map((s) => s.institutionId)).size} institutions...`);
  const cpu = await cpuSnapshot(child, dataDir);
  if (options.statements) await resetStatements(url);
  const waits = startWaitSampler(url, database);
  const load = await driveLoad(options.duration, options.concurrency, () => createCase(rng.pick(caseworkers)));
  const waitReport = await waits.stop();
  const cpuAfter = await cpuSnapshot(child, dataDir);
  const statementReport = options.statements ? await topStatements(url) : '';
  const casesPerSecond = load.ok / load.seconds;
  log(`  ${load.ok} cases in ${load.seconds.toFixed(1)} s = ${casesPerSecond.toFixed(0)} cases/s; errors ${load.errors}; latency p50 ${ms(load.samples.percentile(50))}, p95 ${ms(load.samples.percentile(95))}, p99 ${ms(load.samples.percentile(99))}`);
  for (const e of load.errorSamples) log(`  error sample: ${e}`);
  const cpuReport = describeCpu(cpu, cpuAfter, load.seconds, box.nproc);
  log(`  CPU during the load: ${cpuReport}`);
  const perCase = {
    server: ((cpuAfter.server - cpu.server) * 1000) / Math.max(1, load.ok),
    postgres: ((cpuAfter.postgres - cpu.postgres) * 1000) / Math.max(1, load.ok),
    loadgen: ((cpuAfter.loadgen - cpu.loadgen) * 1000) / Math.max(1, load.ok),
  };
  // What the CPU alone allows when the cores serve only the server and PostgreSQL.
  const ceiling = (box.nproc * 1000) / (perCase.server + perCase.postgres);
  log(`  CPU per case creation: server ${perCase.server.toFixed(2)} ms, PostgreSQL ${perCase.postgres.toFixed(2)} ms, load generator ${perCase.loadgen.toFixed(2)} ms; CPU-bound ceiling on ${box.nproc} dedicated cores ~${ceiling.toFixed(0)} cases/s`);
  log(`  PostgreSQL client backends of the server (share of samples): ${waitReport}`);
  if (statementReport) log(statementReport);
  return { load, casesPerSecond, perCase, ceiling };
}

/** p50/p95 of the case list (a caseworker, the supervisors of the target and of the largest institution) and of person search. */
async function readsAtScale(rig: Rig, sessions: Session[], target: Institution, largest: Institution): Promise<ReadsPhase> {
  const { client, url, options, log } = rig;
  const targetCaseworkers = sessions.filter((s) => s.role === 'caseworker' && s.institutionId === target.id);
  const supervisor = sessions.find((s) => s.role === 'supervisor' && s.institutionId === target.id)!;
  const largestSupervisor = sessions.find((s) => s.role === 'supervisor' && s.institutionId === largest.id)!;
  const caseCounts = await withClient(url, async (c) => {
    const r = await c.query(`select institution_id, count(*)::int as n from cases where institution_id = any($1) group by 1`, [[target.id, largest.id]]);
    const perWorker = await c.query(`select count(*)::int as n from cases where assigned_to = $1`, [targetCaseworkers[0]!.userId]);
    return { byInstitution: new Map(r.rows.map((x: { institution_id: string; n: number }) => [x.institution_id, x.n])), perWorker: perWorker.rows[0].n as number };
  });
  log(`Reads: institution ${target.code} (${caseCounts.byInstitution.get(target.id)} cases, ${targetCaseworkers.length} caseworkers with ~${caseCounts.perWorker} cases each); largest ${largest.code} (${caseCounts.byInstitution.get(largest.id)} cases)`);
  const reads = { requests: options.readRequests, concurrency: options.readConcurrency };
  let i = 0;
  const listCaseworker = await measureReads('GET /api/v1/cases (caseworker)', reads, () => client.request('GET', '/api/v1/cases', { session: targetCaseworkers[i++ % targetCaseworkers.length]! }), log);
  const listSupervisor = await measureReads(`GET /api/v1/cases (supervisor, ${target.code})`, reads, () => client.request('GET', '/api/v1/cases', { session: supervisor }), log);
  const listLargest = await measureReads(`GET /api/v1/cases (supervisor, ${largest.code})`, reads, () => client.request('GET', '/api/v1/cases', { session: largestSupervisor }), log);
  const queries = await searchQueries(url, target.id, options.readRequests + 20);
  let q = 0;
  let found = 0;
  const search = await measureReads(
    'GET /api/v1/people/search',
    reads,
    async () => {
      const query = queries[q++ % queries.length]!;
      const reply = await client.request('GET', `/api/v1/people/search?q=${encodeURIComponent(query.q)}`, { session: targetCaseworkers[q % targetCaseworkers.length]! });
      if (reply.status === 200 && (JSON.parse(reply.body) as { items: { id: string }[] }).items.some((item) => item.id === query.personId)) found++;
      return reply;
    },
    log,
  );
  log(`  the person sought was among the results in ${((100 * found) / (options.readRequests + 20)).toFixed(1)}% of searches; examples: ${queries.slice(0, 4).map((x) => `"${x.q}"`).join(', ')}`);
  return { listCaseworker, listSupervisor, listLargest, search };
}

function summarise(run: { counts: Counts; baseline: { tps: number; pgCpuMs: number }; load: LoadPhase; reads: ReadsPhase; target: Institution; largest: Institution; box: Box; log: Log }): void {
  const { counts, baseline, target, largest, box, log } = run;
  const { load, casesPerSecond, perCase, ceiling } = run.load;
  const { listCaseworker, listSupervisor, listLargest, search } = run.reads;
  const ratio = casesPerSecond / baseline.tps;
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  log('');
  log(`Summary (${counts.people} people, ${counts.cases} cases before the run; ${box.nproc} CPUs, ${box.cpu}, ${box.memory})`);
  log(
    table([
      ['metric', 'value', 'target', 'result'],
      ['case creations per second (POST /api/v1/cases)', casesPerSecond.toFixed(0), `>= ${TARGETS.casesPerSecond}`, pass(casesPerSecond >= TARGETS.casesPerSecond && load.errors === 0)],
      ['  errors', String(load.errors), '0', pass(load.errors === 0)],
      ['  latency p50 / p95 / p99', `${ms(load.samples.percentile(50))} / ${ms(load.samples.percentile(95))} / ${ms(load.samples.percentile(99))}`, '', ''],
      ['  CPU per case: server + PostgreSQL', `${perCase.server.toFixed(2)} + ${perCase.postgres.toFixed(2)} ms`, '', ''],
      [`  CPU-bound ceiling, ${box.nproc} dedicated cores`, `~${ceiling.toFixed(0)}`, '', ''],
      ['raw single-row inserts per second (pgbench)', baseline.tps.toFixed(0), '(baseline)', ''],
      ['  PostgreSQL CPU per raw insert', `${baseline.pgCpuMs.toFixed(2)} ms`, '', ''],
      ['ratio case creations / raw inserts', ratio.toFixed(3), '', ''],
      ['case list p95, caseworker (p50)', `${ms(listCaseworker.percentile(95))} (${ms(listCaseworker.percentile(50))})`, `< ${TARGETS.listP95} ms`, pass(listCaseworker.percentile(95) < TARGETS.listP95)],
      [`case list p95, supervisor ${target.code} (p50)`, `${ms(listSupervisor.percentile(95))} (${ms(listSupervisor.percentile(50))})`, `< ${TARGETS.listP95} ms`, pass(listSupervisor.percentile(95) < TARGETS.listP95)],
      [`case list p95, supervisor ${largest.code} (p50)`, `${ms(listLargest.percentile(95))} (${ms(listLargest.percentile(50))})`, '(info)', ''],
      ['person search p95 (p50)', `${ms(search.percentile(95))} (${ms(search.percentile(50))})`, `< ${TARGETS.searchP95} ms`, pass(search.percentile(95) < TARGETS.searchP95)],
    ]),
  );
}

/**
 * `--statements`: loads pg_stat_statements (needs a restart) so that the load phase can report the
 * statements PostgreSQL spent its time on; the setting is removed again at the end.
 */
async function configureStatements(postgres: BenchPostgres, on: boolean, log: (line: string) => void): Promise<void> {
  const current = await withClient(postgres.url('postgres'), async (c) => (await c.query('show shared_preload_libraries')).rows[0].shared_preload_libraries as string);
  if (on === current.includes('pg_stat_statements')) return;
  await withClient(postgres.url('postgres'), async (c) => {
    if (on) {
      await c.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
      await c.query(`alter system set pg_stat_statements.track_planning = on`);
    } else {
      await c.query('alter system reset shared_preload_libraries');
      await c.query('alter system reset pg_stat_statements.track_planning');
    }
  });
  await postgres.restart();
  log(on ? 'PostgreSQL restarted with pg_stat_statements (--statements).' : 'PostgreSQL restarted without pg_stat_statements.');
}

/** The statements of the load phase by total time (planning + execution); reset before the phase. */
async function topStatements(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const r = await c.query(`
      select calls, round((total_plan_time + total_exec_time)::numeric, 0) as total_ms, round((mean_plan_time)::numeric, 3) as plan_ms,
             round(mean_exec_time::numeric, 3) as exec_ms, regexp_replace(left(query, 110), '[[:space:]]+', ' ', 'g') as query
        from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
       order by total_plan_time + total_exec_time desc limit 14`);
    const rows = [['calls', 'total ms', 'plan ms', 'exec ms', 'statement'], ...r.rows.map((x: Record<string, unknown>) => [String(x.calls), String(x.total_ms), String(x.plan_ms), String(x.exec_ms), String(x.query)])];
    return `  Statements during the load (pg_stat_statements, mean per call):\n${table(rows).replace(/^/gm, '    ')}`;
  });
}

async function resetStatements(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('create extension if not exists pg_stat_statements');
    await c.query('select pg_stat_statements_reset()');
  });
}

// -----------------------------------------------------------------------------------------------

async function cloneDatabase(postgres: BenchPostgres, source: string, log: (line: string) => void): Promise<string> {
  const started = now();
  await withClient(postgres.url('postgres'), async (c) => {
    await c.query(`drop database if exists ${RUN_DATABASE} with (force)`);
    // FILE_COPY copies the files after a checkpoint: much faster than WAL_LOG for a large database.
    await c.query(`create database ${RUN_DATABASE} template ${source} strategy file_copy`);
  });
  log(`Cloned ${source} into ${RUN_DATABASE} in ${seconds(started).toFixed(1)} s (every run starts from the same rows; --no-clone to use the data set itself)`);
  return RUN_DATABASE;
}

async function pgbenchBaseline(postgres: BenchPostgres, database: string, concurrency: number, duration: number, log: (line: string) => void) {
  const url = postgres.url(database);
  await withClient(url, (c) => c.query(`drop table if exists bench_raw; create table bench_raw (id bigint generated always as identity primary key, aid bigint not null, payload text not null, at timestamptz not null default now())`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-pgbench-'));
  const script = path.join(dir, 'insert.sql');
  fs.writeFileSync(script, `\\set aid random(1, 1000000000)\nINSERT INTO bench_raw (aid, payload) VALUES (:aid, 'a row of about the size of a small record, sixty-odd bytes');\n`);
  log(`Baseline: pgbench, single-row INSERT per transaction into bench_raw, ${concurrency} clients, ${duration} s...`);
  const cpu = systemCpu();
  const pgCpu = postgresCpu(postgres.dataDir);
  const { stdout } = await promisify(execFile)(
    process.env.BENCH_PGBENCH ?? 'pgbench',
    ['-h', '127.0.0.1', '-p', String(postgres.port), '-U', 'amparo', '-n', '-M', 'prepared', '-c', String(concurrency), '-j', '2', '-T', String(duration), '-f', script, database],
    { env: { ...process.env, PGPASSWORD: postgres.password }, maxBuffer: 10 * 2 ** 20 },
  );
  const cpuAfter = systemCpu();
  const pgCpuAfter = postgresCpu(postgres.dataDir);
  fs.rmSync(dir, { recursive: true, force: true });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`Could not read pgbench's output:\n${stdout}`);
  const busy = (100 * (cpuAfter.busy - cpu.busy)) / (cpuAfter.total - cpu.total);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? tps * duration);
  const pgCpuMs = ((pgCpuAfter - pgCpu) * 1000) / transactions;
  log(`  ${tps.toFixed(0)} inserts/s, latency average ${latency} ms, machine CPU busy ${busy.toFixed(0)}%, PostgreSQL CPU ${pgCpuMs.toFixed(3)} ms per insert`);
  await withClient(url, (c) => c.query('drop table bench_raw'));
  return { tps, latency, pgCpuMs };
}

async function startServer(url: string, info: DatasetInfo, options: Options, log: (line: string) => void): Promise<{ child: ChildProcess; address: string }> {
  const execArgv = ['--import', 'tsx'];
  if (options.profile) {
    const dir = path.join(os.tmpdir(), `amparo-bench-profile-${Date.now()}`);
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    log(`Profiling the server: CPU profile written to ${dir} when it stops (open in Chrome DevTools).`);
  }
  const child = fork(path.join(here, 'server-child.ts'), [], {
    execArgv,
    env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_KEYRING: JSON.stringify(info.keyRing), ...(options.poolSize ? { BENCH_POOL_SIZE: String(options.poolSize) } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const address = await childServerAddress(child);
  log(`Server (child process ${child.pid}, pool ${options.poolSize ?? 'default 20'}, LOG_LEVEL=warn) at ${address}`);
  return { child, address };
}


function pickTargetInstitution(info: DatasetInfo) {
  // The institution whose case count is closest to 50,000 (scaled with the data set).
  const wanted = 50_000 * (info.cases / 1_000_000);
  return [...info.institutionList].sort((a, b) => Math.abs(a.cases - wanted) - Math.abs(b.cases - wanted))[0]!;
}

/**
 * Every caseworker and the supervisors needed get a real session: one supervisor signs in over
 * HTTP; the others through the same login() the route calls (the route's per-address limit of 30
 * sign-ins per 10 minutes would stop 200 sign-ins from one address). Each then reads its CSRF token
 * over HTTP, as the web app does.
 */
async function signIn(url: string, client: HttpClient, info: DatasetInfo, targetId: string, log: (line: string) => void): Promise<Session[]> {
  const started = now();
  const db = createDb(url, { max: 2 });
  const emails = await db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.email', 'memberships.role', 'memberships.institution_id']).execute();
  const sessions: Session[] = [];
  const overHttp = emails.find((e) => e.role === 'supervisor' && e.institution_id === targetId)!;
  sessions.push(await signInOverHttp(client, overHttp.email, BENCH_PASSWORD));
  const rest = emails.filter((e) => e !== overHttp && (e.role === 'caseworker' || e.role === 'supervisor'));
  const queue = [...rest];
  await Promise.all(
    [0, 1].map(async () => {
      for (let user = queue.shift(); user; user = queue.shift()) {
        const { sessionToken } = await login(db, { email: user.email, password: BENCH_PASSWORD, ip: '127.0.0.1' });
        sessions.push(await completeSession(client, { token: sessionToken, csrf: '', userId: '', institutionId: '', role: '', email: user.email }));
      }
    }),
  );
  await db.destroy();
  log(`Signed in ${sessions.length} users (${sessions.filter((s) => s.role === 'caseworker').length} caseworkers) in ${seconds(started).toFixed(1)} s`);
  void info;
  return sessions;
}

/** A sample of existing people per institution, to be the participants of the new cases. */
async function peoplePools(url: string): Promise<Map<string, string[]>> {
  return withClient(url, async (c) => {
    const rows = await c.query(`select institution_id, id from people tablesample system (3) repeatable (7)`);
    const pools = new Map<string, string[]>();
    for (const r of rows.rows as { institution_id: string; id: string }[]) {
      const list = pools.get(r.institution_id) ?? [];
      list.push(r.id);
      pools.set(r.institution_id, list);
    }
    return pools;
  });
}

const PROGRAMMES = Object.keys(programmes);
const CRIMES = Object.keys(crimeTypes);
const RIGHTS = Object.keys(rightsViolations);
const SUMMARIES = [
  'Mujer hondureña de 27 años que viaja con su hija de 6. Refiere haber sido víctima de extorsión en la frontera sur; solicita orientación para la condición de refugiada y atención médica para la niña.',
  'Hombre guatemalteco de 34 años, retenido durante cuatro días en Chiapas por un grupo que exigió dinero a su familia. Presenta lesiones leves. Se canaliza a atención psicológica y se le informa sobre su derecho a denunciar.',
  'Adolescente salvadoreño no acompañado, de 15 años, detectado en la estación migratoria. Se da aviso a la Procuraduría de Protección de NNA y se solicita su canalización a un albergue especializado.',
];

function newCaseBody(rng: Random, pool: string[]) {
  const programme = rng.pick(PROGRAMMES);
  const first = rng.pick(pool);
  let second = rng.pick(pool);
  const participants: { person_id: string; role: string; relationship?: string }[] = [{ person_id: first, role: 'direct_victim' }];
  if (rng.chance(0.35) && second !== first) participants.push({ person_id: second, role: rng.pick(['indirect_victim', 'family_member', 'applicant']), relationship: rng.pick(['hija', 'hijo', 'madre', 'pareja']) });
  second = '';
  return {
    programme,
    opened_on: localDate(), // today in the deployment's time zone, as the web app fills it in
    summary: `${rng.pick(SUMMARIES)} Folio de referencia interna ${rng.int(1000, 999999)}.`,
    crime_types: rng.chance(0.7) ? [rng.pick(CRIMES)] : [],
    rights_violations: rng.chance(0.3) ? [rng.pick(RIGHTS)] : [],
    participants,
  };
}

type LoadResult = { ok: number; errors: number; seconds: number; samples: Samples; errorSamples: string[] };

/** `concurrency` loops sending requests back to back for `duration` seconds. */
async function driveLoad(duration: number, concurrency: number, send: () => Promise<{ status: number; body: string; ms: number }>): Promise<LoadResult> {
  const samples = new Samples();
  const errorSamples: string[] = [];
  let ok = 0;
  let errors = 0;
  const started = now();
  const end = Date.now() + duration * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        try {
          const reply = await send();
          if (reply.status === 201) {
            ok++;
            samples.add(reply.ms);
          } else {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(`${reply.status} ${reply.body.slice(0, 200)}`);
          }
        } catch (error) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(String(error));
        }
      }
    }),
  );
  return { ok, errors, seconds: seconds(started), samples, errorSamples };
}

async function measureReads(name: string, reads: { requests: number; concurrency: number }, send: () => Promise<{ status: number; body: string; ms: number }>, log: (line: string) => void): Promise<Samples> {
  const samples = new Samples();
  let errors = 0;
  let warm = 20;
  let remaining = reads.requests;
  const started = now();
  await Promise.all(
    Array.from({ length: reads.concurrency }, async () => {
      while (warm > 0 || remaining > 0) {
        const measured = warm <= 0;
        if (measured) remaining--;
        else warm--;
        const reply = await send();
        if (reply.status !== 200) {
          errors++;
          if (errors <= 3) log(`  ${name}: ${reply.status} ${reply.body.slice(0, 200)}`);
        } else if (measured) samples.add(reply.ms);
      }
    }),
  );
  log(`  ${name}: ${samples.count} requests, p50 ${ms(samples.percentile(50))}, p95 ${ms(samples.percentile(95))}, p99 ${ms(samples.percentile(99))}, max ${ms(samples.percentile(100))}, errors ${errors}, ${(samples.count / (elapsedMs(started) / 1000)).toFixed(0)} req/s`);
  return samples;
}

/** Names as a caseworker would type them: second surname missing, a typo, no accents, one given name. */
async function searchQueries(url: string, institutionId: string, n: number): Promise<{ q: string; personId: string }[]> {
  const rng = new Random(4242);
  const rows = await withClient(url, async (c) => (await c.query(`select id, given_names, surname1, surname2 from people where institution_id = $1 and surname1 is not null order by md5(id::text) limit $2`, [institutionId, n])).rows as { id: string; given_names: string; surname1: string; surname2: string | null }[]);
  const typo = (word: string): string => {
    if (word.length < 4) return word;
    const i = rng.int(1, word.length - 2);
    const kind = rng.int(0, 2);
    if (kind === 0) return word.slice(0, i) + word.slice(i + 1); // a letter missing
    if (kind === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // two letters swapped
    const similar: Record<string, string> = { s: 'z', z: 's', c: 's', v: 'b', b: 'v', y: 'i', i: 'y', j: 'g', g: 'j', n: 'm', m: 'n', e: 'i', o: 'u', a: 'e', r: 'rr', l: 'll' };
    const ch = word[i]!.toLowerCase();
    return word.slice(0, i) + (similar[ch] ?? 'e') + word.slice(i + 1);
  };
  return rows.map((p) => {
    const roll = rng.next();
    let q: string;
    if (roll < 0.4) q = `${p.given_names} ${p.surname1}`; // second surname missing
    else if (roll < 0.8) {
      const words = [p.given_names, p.surname1, p.surname2].filter(Boolean).join(' ').split(' ');
      const k = rng.int(0, words.length - 1);
      words[k] = typo(words[k]!);
      q = words.join(' ');
    } else q = stripAccents(`${p.given_names.split(' ')[0]} ${p.surname1} ${p.surname2 ?? ''}`).toLowerCase().trim(); // first given name only, no accents
    return { q, personId: p.id };
  });
}

type CpuSnapshot = { system: { busy: number; total: number }; server: number; loadgen: number; postgres: number };

async function cpuSnapshot(child: ChildProcess, dataDir: string): Promise<CpuSnapshot> {
  const server = await new Promise<number>((resolve) => {
    child.once('message', (m: { type: string; user: number; system: number }) => resolve(m.user + m.system));
    child.send({ type: 'cpu' });
  });
  const own = process.cpuUsage();
  return { system: systemCpu(), server, loadgen: (own.user + own.system) / 1e6, postgres: postgresCpu(dataDir) };
}

/**
 * The benchmark needs the machine to itself: waits (up to 2 minutes) until other processes use
 * less than 15% of the CPUs, and says how busy it was.
 */
async function waitForQuietMachine(log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 120_000;
  let told = 0;
  for (;;) {
    const a = systemCpu();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const b = systemCpu();
    const busy = (100 * (b.busy - a.busy)) / (b.total - a.total);
    if (busy < 15) {
      log(`Machine idle before the load: ${busy.toFixed(0)}% busy.`);
      return;
    }
    if (Date.now() > deadline) {
      log(`WARNING: other processes keep the machine ${busy.toFixed(0)}% busy; the figures below are affected.`);
      return;
    }
    if (Date.now() - told > 30_000) {
      told = Date.now();
      log(`  the machine is ${busy.toFixed(0)}% busy with other processes; waiting for it to quieten...`);
    }
  }
}

function describeCpu(before: CpuSnapshot, after: CpuSnapshot, wall: number, cores: number): string {
  const busy = after.system.busy - before.system.busy;
  const total = after.system.total - before.system.total;
  const share = (s: number) => `${((100 * s) / (wall * cores)).toFixed(0)}%`;
  return (
    `machine ${((100 * busy) / total).toFixed(0)}% busy of ${cores} cores; ` +
    `server process ${share(after.server - before.server)}, PostgreSQL ${share(after.postgres - before.postgres)}, load generator ${share(after.loadgen - before.loadgen)}, ` +
    `other processes ${share(Math.max(0, busy - (after.server - before.server) - (after.postgres - before.postgres) - (after.loadgen - before.loadgen)))} (shares of all cores)`
  );
}

/** Samples what the server's PostgreSQL backends are doing every 100 ms (pg_stat_activity). */
function startWaitSampler(url: string, database: string) {
  const client = new pg.Client({ connectionString: url });
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const rows = await client.query(
        `select state, coalesce(wait_event_type || ':' || wait_event, 'on CPU') as what from pg_stat_activity
          where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid() and application_name = ''`,
        [database],
      );
      samples++;
      for (const r of rows.rows as { state: string; what: string }[]) {
        const key = r.state === 'active' ? r.what : r.state;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)}%`)
        .join(', ') + ` (avg ${(total / Math.max(1, samples)).toFixed(1)} connections)`;
    },
  };
}
