/**
 * Benchmark of the name-matching engine against the pg_trgm baseline, at 1,000,000 people in ONE
 * institution (the worst case: the institution filter does not narrow anything).
 *
 *   npm run bench -- search            (once the lead wires bench/run.ts)
 *   npx tsx -e "import('./bench/search.ts').then((m) => m.run())"
 *
 * Environment: BENCH_PEOPLE (1000000), BENCH_QUERIES (1000), BENCH_BASELINE_QUERIES (300: the baseline
 * is slow, its recall is measured on the first N of the same queries), BENCH_DATA_DIR (reuse a loaded
 * database between runs), NAMES_DIR (name lists), BENCH_SEED.
 *
 * Latency is measured through the service function searchPeople (capability check, pending-keys
 * refresh, candidate query, scoring, audit entry), in-process, one query at a time.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { startEmbeddedPostgres, ensureDatabase, freePort, postgresDataDir } from '../src/platform/db/embedded.ts';
import { createDb, migrateToLatest, type Db } from '../src/platform/db/database.ts';
import { createInstitution } from '../src/institutions/institution.service.ts';
import { createUser } from '../src/users/user.service.ts';
import { searchPeople } from '../src/people/person.service.ts';
import { engineStats } from '../src/search/engine.ts';
import { personNameKeys } from '../src/search/keys.ts';
import { scorePair } from '../src/search/model.ts';
import type { Actor } from '../src/platform/auth/policy.ts';
import { PeopleGenerator, makeQuery, rng, type BenchQuery, type GeneratedPerson } from './names-generator.ts';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);


function dataDir(): { dir: string; reused: boolean } {
  const reuse = process.env.BENCH_DATA_DIR;
  const dir = postgresDataDir({ dir: reuse, prefix: 'amparo-bench-search-' });
  return { dir, reused: Boolean(reuse) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function load(url: string, institutionId: string, total: number, seed: number, log: (s: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  try {
    // Bulk load: no triggers or FK checks (replica role), indexes built once at the end.
    await client.query(`set session_replication_role = replica`);
    await client.query(`set maintenance_work_mem = '512MB'`);
    await client.query(`drop index if exists people_search_name_trgm, people_institution, people_surname1_fold, people_document_keys, person_name_keys_person`);
    await client.query(`alter table person_name_keys drop constraint if exists person_name_keys_pkey`);
    const gen = new PeopleGenerator();
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
        for (const k of personNameKeys({ ...p, other_names: [] })) {
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
    // Duplicated keys within a person were removed by personNameKeys; the primary key is safe to add.
    await client.query(`alter table person_name_keys add primary key (institution_id, key, person_id)`);
    await client.query(`create index person_name_keys_person on person_name_keys (person_id)`);
    await client.query(`create index people_search_name_trgm on people using gin (search_name gin_trgm_ops)`);
    await client.query(`create index people_institution on people (institution_id, created_at desc)`);
    await client.query(`create index people_surname1_fold on people (amparo_fold(surname1) text_pattern_ops)`);
    await client.query(`create index people_document_keys on people using gin (document_keys)`);
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

export async function run(): Promise<void> {
  const log = (s: string) => console.log(s);
  const total = env('BENCH_PEOPLE', 1_000_000);
  const queryCount = env('BENCH_QUERIES', 1000);
  const baselineCount = Math.min(queryCount, env('BENCH_BASELINE_QUERIES', 300));
  const seed = env('BENCH_SEED', 20240601);
  const { dir, reused } = dataDir();
  log(`search benchmark: ${total} people in one institution, ${queryCount} queries (baseline on ${baselineCount}); data in ${dir}`);
  const server = await startEmbeddedPostgres({ dataDir: dir, port: env('BENCH_PG_PORT', await freePort()) });
  const adminUrl = server.url('postgres');
  await ensureDatabase(adminUrl, 'amparo_bench');
  const url = server.url('amparo_bench');
  const db = createDb(url, { max: 4 });
  try {
    await migrateToLatest(db);
    let institution = await db.selectFrom('institutions').select('id').where('code', '=', 'BENCHSRCH').executeTakeFirst();
    if (!institution) institution = await createInstitution(db, null, { code: 'BENCHSRCH', name: 'Benchmark institution', type: 'federal_agency', state_code: '07' });
    let user = await db.selectFrom('users').select('id').where('email', '=', 'bench-search@bench.amparo').executeTakeFirst();
    if (!user) user = await createUser(db, null, { email: 'bench-search@bench.amparo', display_name: 'Bench', password: 'correct horse battery staple bench', institution_id: institution.id, role: 'caseworker' });
    const actor: Actor = { userId: user.id, institutionId: institution.id, role: 'caseworker', isPlatformAdmin: false, ip: null };

    const existing = (await sql<{ n: number }>`select count(*)::int as n from people where institution_id = ${institution.id}`.execute(db)).rows[0]!.n;
    if (existing < total) {
      if (existing > 0) throw new Error(`BENCH_DATA_DIR holds ${existing} people, fewer than ${total}; use a fresh folder`);
      log(`loading ${total} people...`);
      await load(url, institution.id, total, seed, log);
    } else log(`reusing ${existing} people`);
    const size = (await sql<{ people: string; keys: string; keys_index: string }>`
      select pg_size_pretty(pg_total_relation_size('people')) as people, pg_size_pretty(pg_relation_size('person_name_keys')) as keys,
             pg_size_pretty(pg_indexes_size('person_name_keys')) as keys_index`.execute(db)).rows[0]!;
    log(`sizes: people ${size.people}; person_name_keys ${size.keys} + indexes ${size.keys_index}`);

    // Queries: a reproducible sample of real rows, each typed with realistic variations.
    const sample = await sql<{ id: string; given_names: string; surname1: string | null; surname2: string | null }>`
      select id, given_names, surname1, surname2 from people tablesample bernoulli(${Math.min(100, ((queryCount * 3) / total) * 100)}) repeatable (${seed % 1000})
      where institution_id = ${institution.id} order by id limit ${queryCount}`.execute(db);
    const r = rng(seed + 1);
    const queries: (BenchQuery & { id: string; recorded: string; record: (typeof sample.rows)[number] })[] = sample.rows.map((p) => ({ ...makeQuery(r, p), id: p.id, record: p, recorded: [p.given_names, p.surname1, p.surname2].filter(Boolean).join(' ') }));

    // Warm-up (not counted).
    for (const q of queries.slice(0, 20)) await searchPeople(db, actor, { q: q.q, limit: 10 });
    Object.assign(engineStats, { queries: 0, fallbacks: 0, candidates: 0, dbMs: 0, scoreMs: 0 });
    let tied = 0;

    const latencies: number[] = [];
    const byVariation = new Map<string, { n: number; hits: number; baseN: number; baseHits: number }>();
    const misses: string[] = [];
    let hits = 0;
    const hitIds = new Set<string>();
    for (const q of queries) {
      const t0 = performance.now();
      const items = await searchPeople(db, actor, { q: q.q, limit: 10 });
      latencies.push(performance.now() - t0);
      const hit = items.some((i) => i.id === q.id);
      // Indistinguishable: the true person scores as high as the 10th result (namesakes the query cannot
      // tell apart, e.g. "Lorenzo Gómez" when forty Lorenzo Gómez X are registered).
      if (!hit && items.length === 10 && scorePair({ text: q.q }, q.record).weight >= items[9]!.match_weight - 0.01) tied++;
      if (hit) {
        hits++;
        hitIds.add(q.id);
      } else if (misses.length < 25) misses.push(`${q.variations.join('+')}: "${q.q}" (recorded "${q.recorded}") → top: ${items.slice(0, 2).map((i) => `${i.given_names} ${i.surname1 ?? ''} ${i.surname2 ?? ''} ${i.score}`).join(' | ')}`);
      for (const v of q.variations) {
        const s = byVariation.get(v) ?? { n: 0, hits: 0, baseN: 0, baseHits: 0 };
        s.n++;
        if (hit) s.hits++;
        byVariation.set(v, s);
      }
    }
    const fallbacks = engineStats.fallbacks;
    const stats = { ...engineStats };

    const baseLatencies: number[] = [];
    let baseHits = 0;
    for (const q of queries.slice(0, baselineCount)) {
      const t0 = performance.now();
      const ids = await baselineSearch(db, institution.id, q.q);
      baseLatencies.push(performance.now() - t0);
      const hit = ids.includes(q.id);
      if (hit) baseHits++;
      for (const v of q.variations) {
        const s = byVariation.get(v)!;
        s.baseN++;
        if (hit) s.baseHits++;
      }
    }
    // The engine's recall on the same subset, for a like-for-like comparison.
    const subset = queries.slice(0, baselineCount);
    const engineSubsetHits = subset.filter((q) => hitIds.has(q.id)).length;

    latencies.sort((a, b) => a - b);
    baseLatencies.sort((a, b) => a - b);
    const recall = hits / queries.length;
    const baseRecall = baseHits / Math.max(1, baselineCount);
    log('');
    log(`engine (searchPeople service function, ${queries.length} queries): recall@10 ${recall.toFixed(3)}; latency p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1]!)}; trigram fallback used in ${fallbacks} queries`);
    log(`  per query: ${(stats.candidates / stats.queries).toFixed(0)} candidates, candidate query ${ms(stats.dbMs / stats.queries)} and scoring ${ms(stats.scoreMs / stats.queries)} on average`);
    log(`  recall@10 counting ties with the 10th result as found (indistinguishable namesakes): ${((hits + tied) / queries.length).toFixed(3)} (${tied} tied queries)`);
    log(`baseline (pg_trgm % + similarity, GIN, ${baselineCount} queries): recall@10 ${baseRecall.toFixed(3)}; latency p50 ${ms(percentile(baseLatencies, 50))}, p95 ${ms(percentile(baseLatencies, 95))}`);
    log(`engine on the same ${baselineCount} queries: recall@10 ${(engineSubsetHits / Math.max(1, baselineCount)).toFixed(3)}`);
    log(`ratios: recall engine/baseline ${(recall / baseRecall).toFixed(2)}; p95 baseline/engine ${(percentile(baseLatencies, 95) / percentile(latencies, 95)).toFixed(1)}x faster; p50 ${(percentile(baseLatencies, 50) / percentile(latencies, 50)).toFixed(1)}x`);
    log('');
    log('recall@10 by variation (engine | baseline):');
    for (const [v, s] of [...byVariation.entries()].sort((a, b) => b[1].n - a[1].n)) {
      log(`  ${v.padEnd(24)} n=${String(s.n).padStart(4)}  ${(s.hits / s.n).toFixed(3)} | ${s.baseN ? (s.baseHits / s.baseN).toFixed(3) : '  -  '} (n=${s.baseN})`);
    }
    log('');
    log('first misses:');
    for (const m of misses) log(`  ${m}`);
    if (!reused) log(`\n(data folder ${dir} is removed; set BENCH_DATA_DIR to keep and reuse it)`);
  } finally {
    await db.destroy();
    await server.stop();
    if (!reused) fs.rmSync(dir, { recursive: true, force: true });
  }
}
