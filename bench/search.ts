/**
 * Benchmark of the person search against the pg_trgm baseline, at 1,000,000 people in ONE institution
 * (the worst case: the institution filter does not narrow anything). See bench/README.md.
 *
 *   BENCH_DATA_DIR=/tmp/amparo-bench-search npm run bench -- search            (evaluation: "all" names)
 *   BENCH_PEOPLE=100000 BENCH_NAMES=tune BENCH_SEED=7 npm run bench -- search --fit   (fits CALIBRATION)
 *
 * Environment: BENCH_PEOPLE (1000000), BENCH_QUERIES (1000 people of the register sought, plus a fifth
 * as many people not registered), BENCH_BASELINE_QUERIES (300: the baseline is slow, its recall is
 * measured on the first N of the same queries), BENCH_HTTP_QUERIES (500, latency through HTTP),
 * BENCH_NODE_ARGS (Node flags for the server's process, e.g. `--cpu-prof --cpu-prof-dir /tmp/prof`),
 * BENCH_HTTP_WARMUP (20: requests for other queries of the sample sent first, unmeasured, so that the
 * server is measured warm, as one that has been answering for a while is), BENCH_HTTP_PASSES (1: each
 * pass sends the same requests again to the same server),
 * BENCH_DATA_DIR (reuse loaded databases between runs), NAMES_DIR (name lists), BENCH_NAMES
 * (all, the default: the whole name lists; tune, the default of --fit, or eval: one half of them, names-generator.ts), BENCH_SEED (20261206).
 *
 * Every query is run twice: names only, and with the date of birth (as typed: names-generator.ts
 * queryBirthDate) and sex. Recall@10 by kind of error; expected calibration error of the scores and a
 * reliability diagram (bench/search-reliability.svg); latency in-process through the service function
 * searchPeople, then through HTTP (the real server in a child process).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { startEmbeddedPostgres, ensureDatabase, freePort, postgresDataDir } from '../src/platform/db/embedded.ts';
import { withClient } from './support.ts';
import { createDb, migrateToLatest, type Db } from '../src/platform/db/database.ts';
import { createInstitution } from '../src/institutions/institution.service.ts';
import { createUser } from '../src/users/user.service.ts';
import { searchPeople } from '../src/people/person.service.ts';
import { engineStats, searchWeights, CALIBRATION, posterior, type Calibration } from '../src/search/engine.ts';
import { KEY_VERSION, personNameWords, vocabularyVariants } from '../src/search/keys.ts';
import { rebuildAllNameKeys } from '../src/search/store.ts';
import { newKeyRing, type KeyRingFile } from '../src/platform/crypto/field-encryption.ts';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HttpClient, signInOverHttp } from './http.ts';
import { personNameKeys } from '../src/search/keys.ts';
import { scorePair } from '../src/search/model.ts';
import type { Actor } from '../src/platform/auth/policy.ts';
import { PeopleGenerator, makeQuery, queryBirthDate, rng, type BenchQuery, type GeneratedPerson, type NameSplit } from './names-generator.ts';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);


function dataDir(): { dir: string; reused: boolean } {
  const reuse = process.env.BENCH_DATA_DIR;
  const dir = postgresDataDir({ dir: reuse, prefix: 'amparo-bench-search-' });
  return { dir, reused: Boolean(reuse) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function load(url: string, institutionId: string, total: number, seed: number, split: NameSplit, log: (s: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  try {
    // Bulk load: no triggers or FK checks (replica role), indexes built once at the end.
    await client.query(`set session_replication_role = replica`);
    await client.query(`set maintenance_work_mem = '512MB'`);
    await client.query(`drop index if exists people_search_name_trgm, people_institution, people_surname1_fold, people_document_keys, person_name_keys_person, people_institution_birth`);
    await client.query(`alter table person_name_keys drop constraint if exists person_name_keys_pkey`);
    const gen = new PeopleGenerator(undefined, split);
    const words = new Set<string>();
    const r = rng(seed);
    const chunk = 20_000;
    let keysTotal = 0;
    for (let done = 0; done < total; done += chunk) {
      const n = Math.min(chunk, total - done);
      const cols = { id: [] as string[], given: [] as string[], s1: [] as (string | null)[], s2: [] as (string | null)[], sex: [] as string[], dob: [] as (string | null)[], age: [] as (number | null)[], ageOn: [] as (string | null)[], nat: [] as string[] };
      const keyInst: string[] = [];
      const keyKey: string[] = [];
      const keyPerson: string[] = [];
      for (let i = 0; i < n; i++) {
        const p: GeneratedPerson = gen.person(r);
        const id = randomUUID();
        cols.id.push(id);
        cols.given.push(p.given_names);
        cols.s1.push(p.surname1);
        cols.s2.push(p.surname2);
        cols.sex.push(p.sex);
        cols.dob.push(p.date_of_birth);
        cols.age.push(p.estimated_age);
        cols.ageOn.push(p.age_estimated_on);
        cols.nat.push(p.nationalities[0]!);
        for (const w of personNameWords({ ...p, other_names: [] })) words.add(w);
        for (const k of personNameKeys({ ...p, other_names: [] }, true)) {
          keyInst.push(institutionId);
          keyKey.push(k);
          keyPerson.push(id);
        }
      }
      await client.query(
        `insert into people (id, institution_id, given_names, surname1, surname2, sex, date_of_birth, estimated_age, age_estimated_on, nationalities, languages)
         select id, $1, g, s1, s2, sex, dob, age, age_on, array[nat]::char(3)[], '{spa}'
         from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::smallint[], $9::date[], $10::text[]) as t(id, g, s1, s2, sex, dob, age, age_on, nat)`,
        [institutionId, cols.id, cols.given, cols.s1, cols.s2, cols.sex, cols.dob, cols.age, cols.ageOn, cols.nat],
      );
      await client.query(`insert into person_name_keys (institution_id, key, person_id) select * from unnest($1::uuid[], $2::text[], $3::uuid[])`, [keyInst, keyKey, keyPerson]);
      keysTotal += keyKey.length;
      if ((done / chunk) % 10 === 0) log(`  ${done + n} people, ${keysTotal} keys, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    log(`  rows in ${((Date.now() - started) / 1000).toFixed(0)} s (${(keysTotal / total).toFixed(1)} keys per person); building indexes...`);
    const variants = [...words].flatMap((w) => vocabularyVariants(w).map((v) => [v, w] as const));
    await client.query(`insert into person_name_tokens (institution_id, variant, token) select $1, v, w from unnest($2::text[], $3::text[]) as t(v, w) on conflict do nothing`, [institutionId, variants.map((x) => x[0]), variants.map((x) => x[1])]);
    await client.query(`analyze person_name_tokens`);
    // Duplicated keys within a person were removed by personNameKeys; the primary key is safe to add.
    await client.query(`alter table person_name_keys add primary key (institution_id, key, person_id)`);
    await client.query(`create index person_name_keys_person on person_name_keys (person_id)`);
    await client.query(`create index people_search_name_trgm on people using gin (search_name gin_trgm_ops)`);
    await client.query(`create index people_institution on people (institution_id, created_at desc)`);
    await client.query(`create index people_surname1_fold on people (amparo_fold(surname1) text_pattern_ops)`);
    await client.query(`create index people_document_keys on people using gin (document_keys)`);
    await client.query(`create index people_institution_birth on people (institution_id, date_of_birth) where date_of_birth is not null`);
    await client.query(`set session_replication_role = origin`);
    await client.query(`vacuum analyze people`);
    await client.query(`vacuum analyze person_name_keys`);
    log(`  loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
}

async function baselineSearch(db: Db, institutionId: string, q: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from people
    where institution_id = ${institutionId} and search_name % amparo_fold(${q})
    order by similarity(search_name, amparo_fold(${q})) desc limit 10`.execute(db);
  return rows.map((r) => r.id);
}

type Row = { id: string; given_names: string; surname1: string | null; surname2: string | null; sex: string; date_of_birth: string | null; nationalities: string[] };

/** One search as a caseworker would type it: for a registered person (`id`) or for someone not registered (`id` null). */
type Query = BenchQuery & { id: string | null; recorded: string; record: Row; dob: string | null; slip: string; sex: string };

function buildQueries(rows: Row[], absent: GeneratedPerson[], seed: number): Query[] {
  const r = rng(seed + 1);
  const one = (p: Row, id: string | null): Query => {
    const name = makeQuery(r, p);
    const birth = p.date_of_birth ? queryBirthDate(r, p.date_of_birth) : null;
    return { ...name, id, record: p, recorded: [p.given_names, p.surname1, p.surname2].filter(Boolean).join(' '), dob: birth?.date ?? null, slip: birth?.slip ?? 'none', sex: p.sex };
  };
  return [...rows.map((p) => one(p, p.id)), ...absent.map((p) => one({ ...p, id: '' }, null))];
}

/** Expected calibration error over equal-width bins of the predicted probability, and the bins. */
export function calibrationError(points: { p: number; hit: boolean }[], bins = 10): { ece: number; table: { lo: number; n: number; conf: number; acc: number }[] } {
  const table = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, n: 0, conf: 0, acc: 0 }));
  for (const pt of points) {
    const b = table[Math.min(bins - 1, Math.floor(pt.p * bins))]!;
    b.n++;
    b.conf += pt.p;
    b.acc += pt.hit ? 1 : 0;
  }
  let ece = 0;
  for (const b of table) {
    if (!b.n) continue;
    b.conf /= b.n;
    b.acc /= b.n;
    ece += (b.n / Math.max(1, points.length)) * Math.abs(b.acc - b.conf);
  }
  return { ece, table };
}

/** A reliability diagram: observed share of hits that were the person sought against the score, per bin. */
function reliabilitySvg(title: string, table: ReturnType<typeof calibrationError>['table'], ece: number): string {
  const size = 360;
  const pad = 48;
  const plot = size - pad * 2;
  const x = (v: number) => pad + v * plot;
  const y = (v: number) => size - pad - v * plot;
  const maxN = Math.max(1, ...table.map((b) => b.n));
  const bars = table
    .filter((b) => b.n)
    .map((b) => {
      const w = plot / table.length;
      const h = (Math.log10(1 + b.n) / Math.log10(1 + maxN)) * 40;
      return `<rect x="${x(b.lo) + 1}" y="${y(b.acc)}" width="${w - 2}" height="${y(0) - y(b.acc)}" fill="#4a78b5" opacity="0.75"><title>${b.n} hits, mean score ${b.conf.toFixed(3)}, share correct ${b.acc.toFixed(3)}</title></rect>` + `<rect x="${x(b.lo) + 1}" y="${size - 8 - h}" width="${w - 2}" height="${h}" fill="#999"/>`;
    })
    .join('');
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => `<text x="${x(t)}" y="${size - pad + 14}" font-size="10" text-anchor="middle">${t}</text><text x="${pad - 6}" y="${y(t) + 3}" font-size="10" text-anchor="end">${t}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${size / 2}" y="18" font-size="12" text-anchor="middle">${title}</text>
<text x="${size / 2}" y="32" font-size="11" text-anchor="middle">expected calibration error ${ece.toFixed(3)}</text>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#c33" stroke-dasharray="4 3"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#333"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#333"/>
${bars}${ticks}
<text x="${size / 2}" y="${size - pad + 28}" font-size="11" text-anchor="middle">score (probability given the query)</text>
<text x="12" y="${size / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">share that were the person sought</text>
</svg>
`;
}

/** Maximum-likelihood a, b of CALIBRATION (grid search) from every candidate's weight of every query. */
function fitCalibration(samples: { weights: number[]; truth: number; people: number }[]): Calibration & { ll: number } {
  let best = { a: 1, b: 0, ll: -Infinity };
  for (let a = 0.3; a <= 1.3001; a += 0.05) {
    for (let b = -30; b <= 5; b += 0.25) {
      let ll = 0;
      for (const s of samples) {
        const p = posterior(s.weights, s.people, { a, b });
        const none = 1 - p.reduce((x, y) => x + y, 0);
        ll += Math.log(Math.max(1e-12, s.truth >= 0 ? p[s.truth]! : none));
      }
      if (ll > best.ll) best = { a: Math.round(a * 100) / 100, b, ll };
    }
  }
  return best;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The server's key ring, kept with the data set: the audit log's sealed heads are made with it, and a new
 * ring over a kept database made the server report every 10 s that the chain does not follow from its head.
 */
async function keptKeyRing(url: string): Promise<KeyRingFile> {
  return withClient(url, async (client) => {
    await client.query(`create table if not exists bench_search_meta (key text primary key, value jsonb not null)`);
    const kept = (await client.query(`select value from bench_search_meta where key = 'key_ring'`)).rows[0]?.value as KeyRingFile | undefined;
    if (kept) return kept;
    const ring = await newKeyRing();
    await client.query(`insert into bench_search_meta (key, value) values ('key_ring', $1)`, [JSON.stringify(ring)]);
    return ring;
  });
}

async function httpLatencies(url: string, email: string, password: string, queries: Query[], warmup: Query[], passes: number, log: (s: string) => void): Promise<number[][]> {
  const child = fork(path.join(here, 'server-child.ts'), [], { execArgv: [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx'], env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_KEYRING: JSON.stringify(await keptKeyRing(url)) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { type: string; address: string }) => (m.type === 'ready' ? resolve(m.address) : reject(new Error('unexpected message'))));
      child.once('exit', (code) => reject(new Error(`server exited with code ${code}`)));
    });
    const client = new HttpClient(address, 1);
    const session = await signInOverHttp(client, email, password);
    const path = (q: Query, withBirth: boolean) => `/api/v1/people/search?${new URLSearchParams({ q: q.q, limit: '10', ...(withBirth && q.dob ? { date_of_birth: q.dob, sex: q.sex } : {}) }).toString()}`;
    for (const [i, q] of warmup.entries()) await client.request('GET', path(q, i % 2 === 1), { session });
    const byPass: number[][] = [];
    for (let pass = 0; pass < passes; pass++) {
      const latencies: number[] = [];
      for (const [i, q] of queries.entries()) {
        const reply = await client.request('GET', path(q, i % 2 === 1), { session });
        if (reply.status !== 200) throw new Error(`search answered ${reply.status}: ${reply.body.slice(0, 200)}`);
        latencies.push(reply.ms);
      }
      byPass.push(latencies.sort((a, b) => a - b));
    }
    client.close();
    log(`  through HTTP: ${queries.length} requests per pass (every other one with date of birth and sex), ${passes} pass${passes > 1 ? 'es' : ''}, after ${warmup.length} requests for other queries`);
    return byPass;
  } finally {
    child.send({ type: 'stop' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

type Log = (s: string) => void;

/** The run as the environment sets it (see the top of this file). */
type Config = { fit: boolean; total: number; queryCount: number; baselineCount: number; httpCount: number; seed: number; split: NameSplit; dbName: string };

const PASSWORD = 'correct horse battery staple bench';

/** Recall of one kind of query: names only (engine, baseline, engine on the baseline's queries) and with date of birth. */
type Tally = { n: number; hits: number; baseN: number; baseHits: number; baseEngineHits: number; dobN: number; dobHits: number };
type Tallies = { byKind: Map<string, Tally>; of: (kind: string) => Tally };

function newTallies(): Tallies {
  const byKind = new Map<string, Tally>();
  const of = (k: string) => byKind.get(k) ?? (byKind.set(k, { n: 0, hits: 0, baseN: 0, baseHits: 0, baseEngineHits: 0, dobN: 0, dobHits: 0 }), byKind.get(k)!);
  return { byKind, of };
}

/** What the engine's pass over every query (names only, then with date of birth and sex) counted. */
type EngineRun = {
  latencies: number[];
  misses: string[];
  points: { p: number; hit: boolean }[];
  dobPoints: { p: number; hit: boolean }[];
  present: number;
  hits: number;
  hits1: number;
  dobPresent: number;
  dobHits: number;
  tied: number;
  sumTop: number;
  twoHigh: number;
  searches: number;
  absentConfident: number;
  hitIds: Set<string>;
  stats: typeof engineStats;
};

type BaselineRun = { latencies: number[]; hits: number; engineSubsetHits: number };

export async function run(argv: string[] = []): Promise<void> {
  const log = (s: string) => console.log(s);
  const fit = argv.includes('--fit');
  const total = env('BENCH_PEOPLE', 1_000_000);
  const queryCount = env('BENCH_QUERIES', fit ? 2000 : 1000);
  const seed = env('BENCH_SEED', 20261206);
  // Evaluation draws from the whole lists: half a list (eval, tune) doubles the frequency of each name it
  // keeps, so people sharing a given name and first surname are about 4 times as many as the lists
  // say (bench/RESULTS.md, 2026-12-06, realism of the generator). The fit keeps to the "tune" half.
  const split = (process.env.BENCH_NAMES ?? (fit ? 'tune' : 'all')) as NameSplit;
  if (!['eval', 'tune', 'all'].includes(split)) throw new Error('BENCH_NAMES must be eval, tune or all');
  const config: Config = {
    fit,
    total,
    queryCount,
    baselineCount: Math.min(queryCount, env('BENCH_BASELINE_QUERIES', fit ? 0 : 300)),
    httpCount: env('BENCH_HTTP_QUERIES', fit ? 0 : 500),
    seed,
    split,
    // g2: the generator with French-speaking people, French names heard by a Spanish ear, held-out nicknames, siblings.
    dbName: `amparo_bench_search_g2_${split}_s${seed}_p${total}`,
  };
  const { dir, reused } = dataDir();
  log(`search benchmark: ${total} people in one institution (${split === 'all' ? 'the whole name lists' : `the "${split}" half of the name lists`}, seed ${seed}), ${queryCount} queries + ${Math.round(queryCount / 5)} for people not registered; data in ${dir}, database ${config.dbName}`);
  const server = await startEmbeddedPostgres({ dataDir: dir, port: env('BENCH_PG_PORT', await freePort()) });
  const adminUrl = server.url('postgres');
  await ensureDatabase(adminUrl, config.dbName);
  const url = server.url(config.dbName);
  const db = createDb(url, { max: 4 });
  try {
    const actor = await prepareData(db, url, config, log);
    const queries = await sampleQueries(db, actor.institutionId, config);
    if (fit) return await reportFit(db, actor.institutionId, queries, log);

    // Warm-up (not counted).
    for (const q of queries.slice(0, 20)) await searchPeople(db, actor, { q: q.q, limit: 10 });
    Object.assign(engineStats, { queries: 0, fallbacks: 0, candidates: 0, dbMs: 0, scoreMs: 0 });
    const tallies = newTallies();
    const engine = await measureEngine(db, actor, queries, tallies);
    const ceiling = await namesakeCeiling(db, actor.institutionId, queries);
    const baseline = await measureBaseline(db, actor.institutionId, queries.filter((q) => q.id).slice(0, config.baselineCount), engine.hitIds, tallies);
    report(config, queries, engine, ceiling, baseline, tallies, log);
    if (config.httpCount > 0) {
      const warmup = queries.slice(config.httpCount, config.httpCount + env('BENCH_HTTP_WARMUP', 20));
      const passes = await httpLatencies(url, 'bench-search@bench.amparo', PASSWORD, queries.slice(0, config.httpCount), warmup, env('BENCH_HTTP_PASSES', 1), log);
      for (const [i, http] of passes.entries()) log(`  latency through HTTP${passes.length > 1 ? `, pass ${i + 1}` : ''}: p50 ${ms(percentile(http, 50))}, p95 ${ms(percentile(http, 95))}, p99 ${ms(percentile(http, 99))}`);
    }
    log('');
    log('first misses:');
    for (const m of engine.misses) log(`  ${m}`);
    if (!reused) log(`\n(data folder ${dir} is removed; set BENCH_DATA_DIR to keep and reuse it)`);
  } finally {
    await db.destroy();
    await server.stop();
    if (!reused) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The institution, its caseworker and its people: loaded on the first run, reused after (keys of an
 * older KEY_VERSION recomputed). Returns the caseworker who searches.
 */
async function prepareData(db: Db, url: string, config: Config, log: Log): Promise<Actor> {
  const { total, seed, split, dbName } = config;
  // Data sets are kept between sessions: one migrated on a branch may miss lower-numbered migrations merged since.
  await migrateToLatest(db, { allowUnorderedMigrations: true });
  let institution = await db.selectFrom('institutions').select('id').where('code', '=', 'BENCHSRCH').executeTakeFirst();
  if (!institution) institution = await createInstitution(db, null, { code: 'BENCHSRCH', name: 'Benchmark institution', type: 'federal_agency', state_code: '07' });
  let user = await db.selectFrom('users').select('id').where('email', '=', 'bench-search@bench.amparo').executeTakeFirst();
  if (!user) user = await createUser(db, null, { email: 'bench-search@bench.amparo', display_name: 'Bench', password: PASSWORD, institution_id: institution.id, role: 'caseworker' });

  const existing = (await sql<{ n: number }>`select count(*)::int as n from people where institution_id = ${institution.id}`.execute(db)).rows[0]!.n;
  if (existing < total) {
    if (existing > 0) throw new Error(`${dbName} holds ${existing} people, fewer than ${total}; drop it`);
    log(`loading ${total} people...`);
    await load(url, institution.id, total, seed, split, log);
    await sql`create table if not exists bench_key_version (v int not null)`.execute(db);
    await sql`insert into bench_key_version values (${KEY_VERSION})`.execute(db);
  } else {
    log(`reusing ${existing} people`);
    // Keys and vocabulary of an older KEY_VERSION are recomputed, as a migration marking everyone pending would.
    await sql`create table if not exists bench_key_version (v int not null)`.execute(db);
    const loaded = (await sql<{ v: number }>`select max(v) as v from bench_key_version`.execute(db)).rows[0]?.v ?? null;
    if (loaded !== KEY_VERSION) {
      const t = Date.now();
      const n = await rebuildAllNameKeys(db);
      await sql`delete from bench_key_version`.execute(db);
      await sql`insert into bench_key_version values (${KEY_VERSION})`.execute(db);
      await sql`vacuum analyze person_name_keys`.execute(db);
      await sql`vacuum analyze person_name_tokens`.execute(db);
      log(`  keys of ${n} people recomputed for KEY_VERSION ${KEY_VERSION} (data loaded with ${loaded ?? 'an older one'}) in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    }
  }
  const size = (await sql<{ people: string; keys: string; keys_index: string; words: number }>`
    select pg_size_pretty(pg_total_relation_size('people')) as people, pg_size_pretty(pg_relation_size('person_name_keys')) as keys,
           pg_size_pretty(pg_indexes_size('person_name_keys')) as keys_index, (select count(*)::int from person_name_tokens) as words`.execute(db)).rows[0]!;
  log(`sizes: people ${size.people}; person_name_keys ${size.keys} + indexes ${size.keys_index}; vocabulary ${size.words} words`);
  return { userId: user.id, institutionId: institution.id, role: 'caseworker', isPlatformAdmin: false, ip: null };
}

/**
 * A reproducible sample of real rows, each typed with realistic variations; and people drawn from the
 * same generator with another seed, not registered (most searches at intake are for someone new).
 */
async function sampleQueries(db: Db, institutionId: string, { total, queryCount, seed, split }: Config): Promise<Query[]> {
  const sample = await sql<Row>`
    select id, given_names, surname1, surname2, sex, date_of_birth::text as date_of_birth, nationalities from people tablesample bernoulli(${Math.min(100, ((queryCount * 3) / total) * 100)}) repeatable (${seed % 1000})
    where institution_id = ${institutionId} order by id limit ${queryCount}`.execute(db);
  const strangers = new PeopleGenerator(undefined, split);
  const rs = rng(seed + 99);
  const absent = Array.from({ length: Math.round(queryCount / 5) }, () => strangers.person(rs));
  return buildQueries(sample.rows, absent, seed);
}

/** `--fit`: the calibration constants that best explain the searches, beside those in engine.ts. */
async function reportFit(db: Db, institutionId: string, queries: Query[], log: Log): Promise<void> {
  const samples: { weights: number[]; truth: number; people: number }[] = [];
  for (const q of queries) {
    for (const withBirth of [false, true]) {
      if (withBirth && !q.dob) continue;
      const w = await searchWeights(db, institutionId, { text: q.q, ...(withBirth ? { date_of_birth: q.dob, sex: q.sex } : {}) });
      samples.push({ weights: w.weights, truth: q.id ? w.ids.indexOf(q.id) : -1, people: w.people });
    }
  }
  const best = fitCalibration(samples);
  const now = samples.reduce((ll, s) => {
    const p = posterior(s.weights, s.people);
    return ll + Math.log(Math.max(1e-12, s.truth >= 0 ? p[s.truth]! : 1 - p.reduce((x, y) => x + y, 0)));
  }, 0);
  log(`fit on ${samples.length} searches: a = ${best.a}, b = ${best.b} (log-likelihood ${best.ll.toFixed(1)}; with the constants in engine.ts, a = ${CALIBRATION.a}, b = ${CALIBRATION.b}: ${now.toFixed(1)})`);
}

/** Every query through searchPeople, names only and then with date of birth and sex: recall, scores, latency. */
async function measureEngine(db: Db, actor: Actor, queries: Query[], tallies: Tallies): Promise<EngineRun> {
  const e: EngineRun = { latencies: [], misses: [], points: [], dobPoints: [], present: 0, hits: 0, hits1: 0, dobPresent: 0, dobHits: 0, tied: 0, sumTop: 0, twoHigh: 0, searches: 0, absentConfident: 0, hitIds: new Set(), stats: engineStats };
  const missLimit = Number(process.env.BENCH_MISSES ?? 40);
  for (const q of queries) {
    for (const withBirth of [false, true]) {
      if (withBirth && !q.dob) continue;
      const t0 = performance.now();
      const items = await searchPeople(db, actor, { q: q.q, limit: 10, ...(withBirth ? { date_of_birth: q.dob!, sex: q.sex } : {}) });
      e.latencies.push(performance.now() - t0);
      e.searches++;
      e.sumTop += items.reduce((s, i) => s + i.score, 0);
      if (items.filter((i) => i.score >= 0.9).length >= 2) e.twoHigh++;
      for (const i of items) (withBirth ? e.dobPoints : e.points).push({ p: i.score, hit: i.id === q.id });
      if (!q.id) {
        if (items.some((i) => i.score >= 0.5)) e.absentConfident++;
        continue;
      }
      const hit = items.some((i) => i.id === q.id);
      if (withBirth) {
        e.dobPresent++;
        if (hit) e.dobHits++;
        for (const v of [...q.variations, `birth:${q.slip}`]) {
          const s = tallies.of(v);
          s.dobN++;
          if (hit) s.dobHits++;
        }
        if (!hit && e.misses.length < missLimit) e.misses.push(`with birth ${q.slip}, ${q.variations.join('+')}: "${q.q}" ${q.dob} (recorded "${q.recorded}" ${q.record.date_of_birth}) → top: ${items.slice(0, 2).map((i) => `${i.given_names} ${i.surname1 ?? ''} ${i.surname2 ?? ''} ${i.date_of_birth} ${i.score}`).join(' | ')}`);
        continue;
      }
      e.present++;
      if (items[0]?.id === q.id) e.hits1++;
      // Indistinguishable: the true person scores as high as the 10th result (namesakes the query cannot
      // tell apart, e.g. "Lorenzo Gómez" when forty Lorenzo Gómez X are registered).
      const own = hit ? 0 : scorePair({ text: q.q }, q.record).weight;
      const tenth = items[9]?.match_weight;
      const tied = !hit && tenth !== undefined && own >= tenth - 0.01;
      if (tied) e.tied++;
      if (hit) {
        e.hits++;
        e.hitIds.add(q.id);
      } else if (e.misses.length < missLimit) {
        // The person's own weight (without the register's counts) against the 10th hit's says whether a miss is a tie among namesakes or ranked below.
        const where = `${tied ? 'tied' : 'below'}: own ${own.toFixed(1)} bits, 10th ${tenth?.toFixed(1) ?? '-'}`;
        e.misses.push(`${q.variations.join('+')}: "${q.q}" (recorded "${q.recorded}"; ${where}) → top: ${items.slice(0, 2).map((i) => `${i.given_names} ${i.surname1 ?? ''} ${i.surname2 ?? ''} ${i.score}`).join(' | ')}`);
      }
      for (const v of q.variations) {
        const s = tallies.of(v);
        s.n++;
        if (hit) s.hits++;
      }
    }
  }
  e.stats = { ...engineStats };
  e.latencies.sort((a, b) => a - b);
  return e;
}

/**
 * What any ranking could reach on names alone: the person sought has N namesakes that the query cannot
 * tell apart from her (the same recorded given names and surnames; the same given names and first
 * surname when the query leaves the second out), so a top ten holds her at best 10/N of the time.
 */
async function namesakeCeiling(db: Db, institutionId: string, queries: Query[]): Promise<{ attainable: number; crowded: number }> {
  let attainable = 0;
  let crowded = 0;
  for (const q of queries) {
    if (!q.id) continue;
    const dropS2 = q.variations.includes('second_surname_missing');
    const n = (await sql<{ n: number }>`
      select count(*)::int as n from people
      where institution_id = ${institutionId} and amparo_fold(surname1) = amparo_fold(${q.record.surname1 ?? ''})
        and amparo_fold(given_names) = amparo_fold(${q.record.given_names})
        and (${dropS2} or coalesce(amparo_fold(surname2), '') = coalesce(amparo_fold(${q.record.surname2}), ''))`.execute(db)).rows[0]!.n;
    attainable += Math.min(1, 10 / Math.max(1, n));
    if (n > 10) crowded++;
  }
  return { attainable, crowded };
}

/** The pg_trgm baseline on the first queries for registered people, and the engine's recall on the same ones. */
async function measureBaseline(db: Db, institutionId: string, subset: Query[], engineHitIds: Set<string>, tallies: Tallies): Promise<BaselineRun> {
  const latencies: number[] = [];
  let hits = 0;
  for (const q of subset) {
    const t0 = performance.now();
    const ids = await baselineSearch(db, institutionId, q.q);
    latencies.push(performance.now() - t0);
    const hit = ids.includes(q.id!);
    if (hit) hits++;
    for (const v of q.variations) {
      const s = tallies.of(v);
      s.baseN++;
      if (hit) s.baseHits++;
      if (engineHitIds.has(q.id!)) s.baseEngineHits++;
    }
  }
  latencies.sort((a, b) => a - b);
  return { latencies, hits, engineSubsetHits: subset.filter((q) => engineHitIds.has(q.id!)).length };
}

/** Recall, calibration (and its reliability diagram, bench/search-reliability.svg), latency, and recall by kind of query. */
function report(config: Config, queries: Query[], e: EngineRun, ceiling: { attainable: number; crowded: number }, baseline: BaselineRun, tallies: Tallies, log: Log): void {
  const { total, split, baselineCount } = config;
  const { present, hits, stats } = e;
  const recall = hits / present;
  const baseRecall = baseline.hits / Math.max(1, baselineCount);
  const names = calibrationError(e.points);
  const withDob = calibrationError(e.dobPoints);
  const all = calibrationError([...e.points, ...e.dobPoints]);
  const svg = path.join(here, 'search-reliability.svg');
  fs.writeFileSync(svg, reliabilitySvg(`Person search, ${total.toLocaleString('en')} people, ${e.searches} searches ("${split}" names)`, all.table, all.ece));
  log('');
  log(`engine (searchPeople, ${present} names-only queries for registered people): recall@10 ${recall.toFixed(3)}, recall@1 ${(e.hits1 / present).toFixed(3)}; counting ties with the 10th result as found: ${((hits + e.tied) / present).toFixed(3)} (${e.tied} tied)`);
  log(`  attainable on names alone (the person among N namesakes the query cannot tell apart, 10/N at best): ${(ceiling.attainable / present).toFixed(3)}; ${ceiling.crowded} queries have more than 10 such namesakes`);
  log(`  with date of birth (as typed) and sex, ${e.dobPresent} queries: recall@10 ${(e.dobHits / Math.max(1, e.dobPresent)).toFixed(3)}`);
  log(`  latency in-process (${e.latencies.length} searches): p50 ${ms(percentile(e.latencies, 50))}, p95 ${ms(percentile(e.latencies, 95))}, p99 ${ms(percentile(e.latencies, 99))}; trigram fallback in ${stats.fallbacks}`);
  log(`  per search: ${(stats.candidates / stats.queries).toFixed(0)} candidates, queries ${ms(stats.dbMs / stats.queries)}, scoring ${ms(stats.scoreMs / stats.queries)}`);
  log(`calibration: expected calibration error ${all.ece.toFixed(3)} (names only ${names.ece.toFixed(3)}, with date of birth ${withDob.ece.toFixed(3)}) over ${e.points.length + e.dobPoints.length} hits; reliability diagram ${path.relative(process.cwd(), svg)}`);
  log(`  top-10 scores add up to ${(e.sumTop / e.searches).toFixed(2)} on average; ${e.twoHigh} of ${e.searches} searches have two hits >= 0.9; ${e.absentConfident} of ${queries.length - queries.filter((q) => q.id).length} searches for people not registered have a hit >= 0.5 (names only)`);
  for (const b of all.table) if (b.n) log(`    ${b.lo.toFixed(1)}-${(b.lo + 0.1).toFixed(1)}: ${String(b.n).padStart(6)} hits, mean score ${b.conf.toFixed(3)}, correct ${b.acc.toFixed(3)}`);
  log(`baseline (pg_trgm % + similarity, GIN, ${baselineCount} names-only queries): recall@10 ${baseRecall.toFixed(3)}; latency p50 ${ms(percentile(baseline.latencies, 50))}, p95 ${ms(percentile(baseline.latencies, 95))}; engine on the same queries ${(baseline.engineSubsetHits / Math.max(1, baselineCount)).toFixed(3)}`);
  log('');
  log('recall@10 by kind (names only: engine | baseline [engine on the baseline\'s queries]; with date of birth and sex: engine):');
  for (const [v, s] of [...tallies.byKind.entries()].sort((a, b) => b[1].n - a[1].n)) {
    log(`  ${v.padEnd(26)} n=${String(s.n).padStart(4)}  ${s.n ? (s.hits / s.n).toFixed(3) : '  -  '} | ${s.baseN ? (s.baseHits / s.baseN).toFixed(3) : '  -  '} [${s.baseN ? (s.baseEngineHits / s.baseN).toFixed(3) : '  -  '}] (n=${s.baseN})   with birth n=${String(s.dobN).padStart(4)} ${s.dobN ? (s.dobHits / s.dobN).toFixed(3) : '-'}`);
  }
}
