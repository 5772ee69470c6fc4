import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_PASSWORD, datasetOptionsFrom, ensureDataset, type DatasetInfo } from './generate.ts';
import { HttpClient, signInOverHttp, type Reply, type Session } from './http.ts';
import { makeQuery, rng, type Rng } from './names-generator.ts';
import { Samples, childServerAddress, machine, ms, now, numberFlags, parseArgs, postgresCpu, startBenchPostgres, stopChildServer, systemCpu, table, withClient } from './support.ts';

/**
 * `npm run bench -- find`: the search box of every staff screen (issue 10, item 1), through HTTP.
 *
 *   BENCH_DATA_DIR=/tmp/amparo-bench-find npm run bench -- find
 *   BENCH_DATA_DIR=/tmp/amparo-bench-find-small npm run bench -- find --people=20000 --cases=20000
 *
 * Target: p95 <= 100 ms for GET /api/v1/find with 1,000,000 people.
 *
 * 1. The generated data set (bench/generate.ts; 1M people and 1M cases by default). The run writes
 *    only audit entries (one per search), so it uses the data set itself; each run adds a few
 *    thousand `find.searched` / `person.searched` / `case.listed` entries to it.
 * 2. The real server in a child process (bench/server-child.ts); the supervisor and one caseworker
 *    of the largest institution sign in over HTTP.
 * 3. Queries (`--queries`, seeded): `--folio-share` case folios of the institution (half typed in
 *    lower case), the rest names of the institution's people as a caseworker types them
 *    (bench/names-generator.ts makeQuery: typos, missing second surname, one part of a compound
 *    name, phonetic spellings, nicknames, no accents...), `--details-share` of them with the date of
 *    birth (1990-04-12 or 12/04/1990) and "mujer"/"hombre" added. The caseworker's folios are those
 *    of cases assigned to them (they see no others); the names are the same.
 * 4. Each query goes to GET /api/v1/find?q=...&limit=5 and, as the baseline (what staff had before),
 *    to GET /api/v1/people/search?q=...&limit=5 (date of birth and sex in their own fields when
 *    typed) for names, GET /api/v1/cases?folio=... (an ILIKE filter of the case list) for folios.
 *    Passes: one request at a time as the supervisor and as the caseworker (find and baseline
 *    alternate, in turn first, so neither warms the cache for the other), then `--concurrency`
 *    requests in flight as the supervisor, each endpoint on its own. `--warmup` unmeasured
 *    requests per endpoint first.
 * 5. Per pass: p50/p95/p99, errors, recall@1 and recall@5 of the person sought (names), exactness
 *    of folio queries (exactly the case asked for), whether the case of a person found is shown by
 *    find, what find understood (a date, a sex, a folio taken from a name would show here), and
 *    the CPU split. Checks (unmeasured): folios of another institution and, for the caseworker,
 *    of cases not theirs must find nothing.
 *
 * Flags (`--name=value`): --queries (1000), --folio-share (0.2), --details-share (0.33),
 * --concurrency (4), --limit (5), --warmup (20), --query-seed (10), --examples (5: misses shown),
 * --keep (keep a temporary data folder), and the data set's --people, --cases, --institutions,
 * --caseworkers, --seed (bench/generate.ts).
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const TARGET_P95 = 100;

type Options = { queries: number; folioShare: number; detailsShare: number; concurrency: number; limit: number; warmup: number; querySeed: number; examples: number };

type Query =
  | { kind: 'name'; find: string; baseline: string; personId: string; recorded: string; details: boolean; dob: string | null; sex: string | null }
  | { kind: 'folio'; find: string; baseline: string; folio: string };

type Person = { id: string; given_names: string; surname1: string | null; surname2: string | null; sex: string; date_of_birth: string | null };

type FindBody = {
  understood: { name: boolean; date_of_birth: string | null; sex: string | null; folios: string[] };
  people: { id: string; score: number }[];
  cases: { id: string; folio: string }[];
};

type Log = (line: string) => void;
type Box = ReturnType<typeof machine>;
type Institution = DatasetInfo['institutionList'][number];
type Counts = { people: number; cases: number; inst_people: number; inst_cases: number };
type Users = { supervisor: Session; caseworker: Session; caseworkerId: string };
/** The queries of each role (warm-up ones first) and the cases of the people sought that each may see. */
type Workload = { forSupervisor: Query[]; forCaseworker: Query[]; casesOfPeople: Map<string, Set<string>>; caseworkerCasesOfPeople: Map<string, Set<string>> };
/** What the passes run against: the server (its process, for the CPU split) and PostgreSQL's data folder. */
type Rig = { client: HttpClient; child: ChildProcess; dataDir: string; box: Box; options: Options; log: Log };

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const options: Options = numberFlags(args, { queries: 1000, folioShare: 0.2, detailsShare: 0.33, concurrency: 4, limit: 5, warmup: 20, querySeed: 10, examples: 5 });
  const log = (line: string) => console.log(line);
  const box = machine();
  log(`Amparo search box benchmark (GET /api/v1/find), ${new Date().toISOString()}`);
  log(`Machine: ${box.nproc} CPUs (${box.cpu}), ${box.memory} RAM, Node ${box.node}`);
  log(`Options: ${options.queries} queries (${Math.round(options.folioShare * 100)}% folios, ${Math.round(options.detailsShare * 100)}% of names with date of birth and sex), limit ${options.limit}, concurrency 1 and ${options.concurrency}, ${options.warmup} warm-up requests per endpoint`);

  const postgres = await startBenchPostgres({ keep: args.flags.has('keep'), log });
  let child: ChildProcess | undefined;
  let client: HttpClient | undefined;
  try {
    const dataset = await ensureDataset(postgres.url, datasetOptionsFrom(args), log);
    const url = postgres.url(dataset.database);
    const largest = [...dataset.info.institutionList].sort((a, b) => b.cases - a.cases)[0]!;
    const counts = await countRows(url, largest.id);
    log(`Database ${dataset.database}: ${counts.people} people, ${counts.cases} cases; largest institution ${largest.code}: ${counts.inst_people} people, ${counts.inst_cases} cases`);

    const server = await startServer(url, dataset.info);
    child = server.child;
    log(`Server (child process ${child.pid}) at ${server.address}`);
    client = new HttpClient(server.address, options.concurrency + 2);
    const users = await signInUsers(url, client, largest);
    log(`Signed in over HTTP: the supervisor and a caseworker of ${largest.code}`);
    const workload = await prepareWorkload(url, largest.id, users.caseworkerId, options, log);

    // --- Access checks (unmeasured) ---------------------------------------------------------------
    const leaks = await accessChecks(url, client, largest.id, users.supervisor, users.caseworker, users.caseworkerId, log);

    const rig: Rig = { client, child, dataDir: postgres.dataDir, box, options, log };
    const passes = await measurePasses(rig, users, workload);
    reportMisses(passes, options, log);
    summarise(passes, { counts, largest, measured: measuredPart(workload.forSupervisor, options).length, leaks, box, options, log });
    log(`Data set: ${dataset.generated ? `generated in this run (${dataset.info.loadSeconds.toFixed(0)} s)` : `reused (generated ${dataset.info.generatedAt})`}`);
  } finally {
    client?.close();
    if (child) await stopChildServer(child);
    await postgres.stop();
  }
}

// ---------------------------------------------------------------------------------------------------
// Setup

async function countRows(url: string, institutionId: string): Promise<Counts> {
  return withClient(url, async (c) => {
    const r = await c.query(
      `select (select count(*) from people)::int as people, (select count(*) from cases)::int as cases,
              (select count(*) from people where institution_id = $1)::int as inst_people, (select count(*) from cases where institution_id = $1)::int as inst_cases`,
      [institutionId],
    );
    return r.rows[0] as Counts;
  });
}

/** The supervisor of the institution and its caseworker with the most cases assigned (the most folios to look up), signed in over HTTP. */
async function signInUsers(url: string, client: HttpClient, institution: Institution): Promise<Users> {
  const users = await withClient(url, async (c) => {
    const r = await c.query(
      `select u.id, u.email, m.role from users u join memberships m on m.user_id = u.id
        where m.institution_id = $1 and m.role in ('supervisor', 'caseworker') order by m.role desc, u.email`,
      [institution.id],
    );
    return r.rows as { id: string; email: string; role: string }[];
  });
  const caseworkerId = await withClient(url, async (c) => {
    const r = await c.query(`select assigned_to from cases where institution_id = $1 and assigned_to is not null group by 1 order by count(*) desc limit 1`, [institution.id]);
    return r.rows[0].assigned_to as string;
  });
  const supervisor = await signInOverHttp(client, users.find((u) => u.role === 'supervisor')!.email, BENCH_PASSWORD);
  const caseworker = await signInOverHttp(client, users.find((u) => u.id === caseworkerId)!.email, BENCH_PASSWORD);
  return { supervisor, caseworker, caseworkerId };
}

/** People and folios of the institution sampled, typed as staff type them, mixed in a seeded order for each role. */
async function prepareWorkload(url: string, institutionId: string, caseworkerId: string, options: Options, log: Log): Promise<Workload> {
  const total = options.queries + 2 * options.warmup;
  const folioCount = Math.round(total * options.folioShare);
  const people = await samplePeople(url, institutionId, total - folioCount);
  const supervisorFolios = await sampleFolios(url, `institution_id = $1`, [institutionId], folioCount);
  const caseworkerFolios = await sampleFolios(url, `institution_id = $1 and assigned_to = $2`, [institutionId, caseworkerId], folioCount);
  const casesOfPeople = await casesOf(url, people.map((p) => p.id));
  const caseworkerCasesOfPeople = await casesOf(url, people.map((p) => p.id), caseworkerId);
  const r = rng(options.querySeed);
  const nameQueries = people.map((p) => nameQuery(r, p, options.limit, options.detailsShare));
  const forSupervisor = interleave(r, nameQueries, supervisorFolios.map((f) => folioQuery(r, f)));
  const forCaseworker = interleave(r, nameQueries, caseworkerFolios.map((f) => folioQuery(r, f)));
  const withDetails = nameQueries.filter((q) => q.kind === 'name' && q.details).length;
  log(
    `Queries: ${nameQueries.length} names (${withDetails} with date of birth and/or sex), ${supervisorFolios.length} folios (supervisor), ${caseworkerFolios.length} folios (caseworker's own cases); ` +
      `examples: ${forSupervisor.slice(0, 6).map((q) => `"${q.find}"`).join(', ')}`,
  );
  if (caseworkerFolios.length < folioCount) log(`  (the caseworker has only ${caseworkerFolios.length} cases: their folio queries repeat)`);
  return { forSupervisor, forCaseworker, casesOfPeople, caseworkerCasesOfPeople };
}

// ---------------------------------------------------------------------------------------------------
// Measured passes

/** The queries measured: those after the warm-up ones, `--queries` of them. */
const measuredPart = (queries: Query[], options: Options) => queries.slice(options.warmup * 2).slice(0, options.queries);

/** Warm-up (unmeasured), then one request at a time as each role, then `--concurrency` in flight as the supervisor. */
async function measurePasses(rig: Rig, users: Users, workload: Workload): Promise<Pass[]> {
  const { client, options } = rig;
  const warm = workload.forSupervisor.slice(0, options.warmup * 2);
  for (const q of warm) {
    await send(client, users.supervisor, q, 'find', options.limit);
    await send(client, users.supervisor, q, 'baseline', options.limit);
  }
  const measuredSupervisor = measuredPart(workload.forSupervisor, options);
  const measuredCaseworker = measuredPart(workload.forCaseworker, options);
  const passes: Pass[] = [];
  for (const [role, session, queries, visibleCases] of [
    ['supervisor', users.supervisor, measuredSupervisor, workload.casesOfPeople],
    ['caseworker', users.caseworker, measuredCaseworker, workload.caseworkerCasesOfPeople],
  ] as const) {
    passes.push(...(await oneAtATime(rig, role, session, queries, visibleCases)));
  }
  rig.log(`${options.concurrency} requests in flight as the supervisor: ${measuredSupervisor.length} queries to each endpoint...`);
  for (const endpoint of ['find', 'baseline'] as const) passes.push(await inFlight(rig, endpoint, users.supervisor, measuredSupervisor, workload.casesOfPeople));
  return passes;
}

/** Both endpoints one request at a time, in turn first, so that neither warms PostgreSQL's cache for the other. */
async function oneAtATime(rig: Rig, role: string, session: Session, queries: readonly Query[], visibleCases: Map<string, Set<string>>): Promise<Pass[]> {
  const { client, child, dataDir, box, options, log } = rig;
  log(`One request at a time as the ${role}: ${queries.length} queries to each endpoint...`);
  const cpu = await cpuSnapshot(child, dataDir);
  const find = newPass(`find, ${role}, 1 at a time`, 'find', 1);
  const base = newPass(`baseline, ${role}, 1 at a time`, 'baseline', 1);
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    const order = i % 2 === 0 ? [find, base] : [base, find];
    for (const pass of order) record(pass, q, await send(client, session, q, pass.endpoint, options.limit), visibleCases);
  }
  const split = describeCpu(cpu, await cpuSnapshot(child, dataDir), box.nproc);
  find.cpu = split;
  base.cpu = split;
  for (const p of [find, base]) log(describePass(p));
  return [find, base];
}

/** One endpoint with `--concurrency` requests in flight. */
async function inFlight(rig: Rig, endpoint: 'find' | 'baseline', session: Session, queries: readonly Query[], visibleCases: Map<string, Set<string>>): Promise<Pass> {
  const { client, child, dataDir, box, options, log } = rig;
  const pass = newPass(`${endpoint}, supervisor, ${options.concurrency} in flight`, endpoint, options.concurrency);
  const cpu = await cpuSnapshot(child, dataDir);
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let i = next++; i < queries.length; i = next++) {
        const q = queries[i]!;
        record(pass, q, await send(client, session, q, endpoint, options.limit), visibleCases);
      }
    }),
  );
  pass.cpu = describeCpu(cpu, await cpuSnapshot(child, dataDir), box.nproc);
  log(describePass(pass));
  return pass;
}

// ---------------------------------------------------------------------------------------------------
// Reporting

/** What find got wrong (supervisor, one at a time), and the first errors of each pass. */
function reportMisses(passes: Pass[], options: Options, log: Log): void {
  const [first, firstBaseline] = [passes[0]!, passes[1]!];
  if (first.misses.length && options.examples > 0) {
    const baselineFound = first.misses.filter((m) => firstBaseline.foundIds.has(m.personId)).length;
    log(`Names whose person find did not return in the top ${options.limit} (supervisor): ${first.misses.length}, of which the baseline found ${baselineFound}; the first ${Math.min(options.examples, first.misses.length)}:`);
    for (const m of first.misses.slice(0, options.examples)) log(`  "${m.q}" for ${m.recorded}${firstBaseline.foundIds.has(m.personId) ? ' (the baseline found them)' : ''}`);
  }
  for (const p of passes.filter((x) => x.endpoint === 'find')) for (const e of p.errorSamples) log(`  ${p.name}: ${e}`);
  for (const p of passes.filter((x) => x.endpoint === 'baseline')) for (const e of p.errorSamples) log(`  ${p.name}: ${e}`);
}

function summarise(passes: Pass[], run: { counts: Counts; largest: Institution; measured: number; leaks: number; box: Box; options: Options; log: Log }): void {
  const { counts, largest, measured, leaks, box, options, log } = run;
  const byName = new Map(passes.map((p) => [p.name, p]));
  const ratio = (a: Pass, b: Pass) => (a.all.percentile(95) / b.all.percentile(95)).toFixed(2);
  const verdict = (p: Pass) => (p.errors === 0 && p.all.percentile(95) <= TARGET_P95 ? 'PASS' : 'MISS');
  const rows: string[][] = [['', 'p50', 'p95', 'p99', 'names p95', 'folios p95', 'recall@5', 'folios exact', 'errors', 'target p95', 'result']];
  for (const p of passes) {
    rows.push([
      p.name,
      ms(p.all.percentile(50)),
      ms(p.all.percentile(95)),
      ms(p.all.percentile(99)),
      ms(p.names.percentile(95)),
      ms(p.folios.percentile(95)),
      pct(p.found5, p.nameCount),
      pct(p.exact, p.folioCount),
      String(p.errors),
      p.endpoint === 'find' ? `<= ${TARGET_P95} ms` : '(baseline)',
      p.endpoint === 'find' ? verdict(p) : '',
    ]);
  }
  const pairs: [string, string, string][] = [
    ['supervisor, 1 at a time', 'find, supervisor, 1 at a time', 'baseline, supervisor, 1 at a time'],
    ['caseworker, 1 at a time', 'find, caseworker, 1 at a time', 'baseline, caseworker, 1 at a time'],
    [`supervisor, ${options.concurrency} in flight`, `find, supervisor, ${options.concurrency} in flight`, `baseline, supervisor, ${options.concurrency} in flight`],
  ];
  log('');
  log(`Summary: ${counts.people} people, ${counts.cases} cases; ${largest.code} ${counts.inst_people} people, ${counts.inst_cases} cases; ${measured} queries per pass; ${box.nproc} CPUs, ${box.cpu}, ${box.memory}`);
  log(table(rows));
  log(`p95 find / baseline (same run, same queries): ${pairs.map(([label, f, b]) => `${label} ${ratio(byName.get(f)!, byName.get(b)!)}`).join('; ')}`);
  log(`Access checks: ${leaks === 0 ? 'nothing of another institution or of another caseworker found (OK)' : `${leaks} FOLIOS FOUND THAT MUST NOT BE`}`);
}

// ---------------------------------------------------------------------------------------------------
// Queries

async function samplePeople(url: string, institutionId: string, n: number): Promise<Person[]> {
  return withClient(url, async (c) => {
    const r = await c.query(
      `select id, given_names, surname1, surname2, sex, to_char(date_of_birth, 'YYYY-MM-DD') as date_of_birth from people
        where institution_id = $1 and merged_into is null order by md5(id::text) limit $2`,
      [institutionId, n],
    );
    return r.rows as Person[];
  });
}

async function sampleFolios(url: string, where: string, params: unknown[], n: number): Promise<string[]> {
  return withClient(url, async (c) => {
    const r = await c.query(`select folio from cases where ${where} order by md5(id::text) limit ${Number(n)}`, params);
    const folios = r.rows.map((x: { folio: string }) => x.folio);
    // A caseworker with fewer cases than asked for: the folios repeat.
    return folios.length ? Array.from({ length: n }, (_, i) => folios[i % folios.length]!) : [];
  });
}

/** The cases of these people that a user sees: all of them (a supervisor) or the caseworker's own (`caseworkerId`). */
async function casesOf(url: string, personIds: string[], caseworkerId?: string): Promise<Map<string, Set<string>>> {
  return withClient(url, async (c) => {
    const r = caseworkerId
      ? await c.query(
          `select cp.person_id, cp.case_id from case_participants cp join cases on cases.id = cp.case_id
            where cp.person_id = any($1::uuid[]) and (cases.assigned_to = $2 or cases.id in (select case_id from case_access where user_id = $2))`,
          [personIds, caseworkerId],
        )
      : await c.query(`select person_id, case_id from case_participants where person_id = any($1::uuid[])`, [personIds]);
    const map = new Map<string, Set<string>>();
    for (const row of r.rows as { person_id: string; case_id: string }[]) map.set(row.person_id, (map.get(row.person_id) ?? new Set()).add(row.case_id));
    return map;
  });
}

const pickOf = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

/**
 * A name as typed (makeQuery), and for `detailsShare` of the people with a date of birth or a known
 * sex, the date (ISO or day first) and "mujer"/"hombre" in the box too, in either order after it.
 */
function nameQuery(r: Rng, p: Person, limit: number, detailsShare: number): Query {
  const name = makeQuery(r, p).q;
  const sexWord = p.sex === 'female' ? 'mujer' : p.sex === 'male' ? 'hombre' : null;
  const details = (p.date_of_birth !== null || sexWord !== null) && r() < detailsShare;
  const dob = details ? p.date_of_birth : null;
  const sex = details && sexWord ? p.sex : null;
  const extra: string[] = [];
  if (dob) {
    const [y, m, d] = dob.split('-');
    extra.push(r() < 0.5 ? dob : `${d}/${m}/${y}`);
  }
  if (sex) extra.push(sexWord!);
  if (r() < 0.5) extra.reverse();
  const params = new URLSearchParams({ q: name, limit: String(limit) });
  if (dob) params.set('date_of_birth', dob);
  if (sex) params.set('sex', sex);
  const recorded = [p.given_names, p.surname1, p.surname2].filter(Boolean).join(' ');
  return { kind: 'name', find: [name, ...extra].join(' '), baseline: `/api/v1/people/search?${params}`, personId: p.id, recorded, details, dob, sex };
}

function folioQuery(r: Rng, folio: string): Query {
  const typed = r() < 0.5 ? folio.toLowerCase() : folio;
  return { kind: 'folio', find: typed, baseline: `/api/v1/cases?folio=${encodeURIComponent(typed)}`, folio };
}

/** Names and folios mixed in a seeded order, warm-up queries first. */
function interleave(r: Rng, names: Query[], folios: Query[]): Query[] {
  const all = [...names, ...folios];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

function send(client: HttpClient, session: Session, q: Query, endpoint: 'find' | 'baseline', limit: number): Promise<Reply> {
  const path = endpoint === 'find' ? `/api/v1/find?q=${encodeURIComponent(q.find)}&limit=${limit}` : q.baseline;
  return client.request('GET', path, { session });
}

// ---------------------------------------------------------------------------------------------------
// Passes

type Pass = {
  name: string;
  endpoint: 'find' | 'baseline';
  concurrency: number;
  all: Samples;
  names: Samples;
  folios: Samples;
  errors: number;
  errorSamples: string[];
  nameCount: number;
  found1: number;
  found5: number;
  foundDetails: number;
  detailsCount: number;
  folioCount: number;
  exact: number;
  /** find only: people found with a case whose case was among the cases shown. */
  caseShown: number;
  caseExpected: number;
  misunderstood: string[];
  misses: { q: string; recorded: string; personId: string }[];
  /** People sought and found (names). */
  foundIds: Set<string>;
  cpu: string;
};

function newPass(name: string, endpoint: 'find' | 'baseline', concurrency: number): Pass {
  return {
    name, endpoint, concurrency, all: new Samples(), names: new Samples(), folios: new Samples(), errors: 0, errorSamples: [],
    nameCount: 0, found1: 0, found5: 0, foundDetails: 0, detailsCount: 0, folioCount: 0, exact: 0, caseShown: 0, caseExpected: 0, misunderstood: [], misses: [], foundIds: new Set(), cpu: '',
  };
}

/** Counts one reply; `visibleCases`: the cases of each person sought that the user may see. */
function record(pass: Pass, q: Query, reply: Reply, visibleCases: Map<string, Set<string>>): void {
  if (reply.status !== 200) {
    pass.errors++;
    if (pass.errorSamples.length < 3) pass.errorSamples.push(`${reply.status} for "${q.find}": ${reply.body.slice(0, 200)}`);
    return;
  }
  pass.all.add(reply.ms);
  const body = JSON.parse(reply.body) as FindBody & { items: { id: string; folio: string }[]; total: number };
  if (q.kind === 'folio') {
    pass.folios.add(reply.ms);
    pass.folioCount++;
    const found = pass.endpoint === 'find' ? body.cases : body.items;
    if (found.length === 1 && found[0]!.folio === q.folio) pass.exact++;
    if (pass.endpoint === 'find' && (body.understood.folios.join() !== q.folio || body.understood.name) && pass.misunderstood.length < 5) pass.misunderstood.push(`"${q.find}" understood as ${JSON.stringify(body.understood)}`);
    return;
  }
  pass.names.add(reply.ms);
  pass.nameCount++;
  if (q.details) pass.detailsCount++;
  const ids = (pass.endpoint === 'find' ? body.people : body.items).map((x) => x.id);
  const rank = ids.indexOf(q.personId);
  if (rank === 0) pass.found1++;
  if (rank >= 0) {
    pass.found5++;
    pass.foundIds.add(q.personId);
    if (q.details) pass.foundDetails++;
  } else if (pass.endpoint === 'find') pass.misses.push({ q: q.find, recorded: q.recorded, personId: q.personId });
  if (pass.endpoint === 'find') {
    const u = body.understood;
    if ((!u.name || u.date_of_birth !== q.dob || u.sex !== q.sex || u.folios.length) && pass.misunderstood.length < 5) pass.misunderstood.push(`"${q.find}" understood as ${JSON.stringify(u)}`);
    // The person's cases are one step away when find is sure enough of them (score >= 0.5).
    const person = body.people.find((x) => x.id === q.personId);
    const theirs = visibleCases.get(q.personId);
    if (person && person.score >= 0.5 && theirs?.size) {
      pass.caseExpected++;
      if (body.cases.some((c) => theirs.has(c.id))) pass.caseShown++;
    }
  }
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');

function describePass(p: Pass): string {
  const lines = [
    `  ${p.name}: ${p.all.count} ok, ${p.errors} errors; p50 ${ms(p.all.percentile(50))}, p95 ${ms(p.all.percentile(95))}, p99 ${ms(p.all.percentile(99))}, max ${ms(p.all.percentile(100))}` +
      ` (names p95 ${ms(p.names.percentile(95))}, folios p95 ${ms(p.folios.percentile(95))})`,
    `    names: recall@1 ${pct(p.found1, p.nameCount)}, recall@5 ${pct(p.found5, p.nameCount)} (with date of birth/sex ${pct(p.foundDetails, p.detailsCount)} of ${p.detailsCount}); folios exact ${pct(p.exact, p.folioCount)} of ${p.folioCount}`,
  ];
  if (p.endpoint === 'find') lines.push(`    a case of the person found (score >= 0.5) among the cases shown, of those with a case the user may see: ${pct(p.caseShown, p.caseExpected)} of ${p.caseExpected}`);
  for (const m of p.misunderstood) lines.push(`    misunderstood: ${m}`);
  if (p.cpu) lines.push(`    CPU: ${p.cpu}`);
  return lines.join('\n');
}

/**
 * Folios that must find nothing: cases of another institution (as the supervisor) and cases of the
 * caseworker's institution that are neither assigned nor opened to them (as the caseworker).
 */
async function accessChecks(url: string, client: HttpClient, institutionId: string, supervisor: Session, caseworker: Session, caseworkerId: string, log: (line: string) => void): Promise<number> {
  const { foreign, notTheirs } = await withClient(url, async (c) => {
    const a = await c.query(`select folio from cases where institution_id <> $1 order by md5(id::text) limit 20`, [institutionId]);
    const b = await c.query(
      `select folio from cases where institution_id = $1 and assigned_to is distinct from $2
          and id not in (select case_id from case_access where user_id = $2) order by md5(id::text) limit 20`,
      [institutionId, caseworkerId],
    );
    return { foreign: a.rows.map((x: { folio: string }) => x.folio), notTheirs: b.rows.map((x: { folio: string }) => x.folio) };
  });
  let leaks = 0;
  for (const [session, folios] of [
    [supervisor, foreign],
    [caseworker, [...notTheirs, ...foreign]],
  ] as const) {
    for (const folio of folios) {
      const reply = await client.request('GET', `/api/v1/find?q=${encodeURIComponent(folio)}`, { session });
      const body = JSON.parse(reply.body) as FindBody;
      if (reply.status !== 200 || body.cases.length) {
        leaks++;
        if (leaks <= 3) log(`  access check: ${reply.status} for ${folio} as the ${session.role}: ${reply.body.slice(0, 200)}`);
      }
    }
  }
  log(`Access checks: ${foreign.length} folios of other institutions (supervisor and caseworker), ${notTheirs.length} of cases not the caseworker's: ${leaks} found`);
  return leaks;
}

// ---------------------------------------------------------------------------------------------------
// The server and the CPU split

async function startServer(url: string, info: DatasetInfo): Promise<{ child: ChildProcess; address: string }> {
  const child = fork(path.join(here, 'server-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_KEYRING: JSON.stringify(info.keyRing) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const address = await childServerAddress(child);
  return { child, address };
}


type CpuSnapshot = { at: bigint; system: { busy: number; total: number }; server: number; loadgen: number; postgres: number };

async function cpuSnapshot(child: ChildProcess, dataDir: string): Promise<CpuSnapshot> {
  const server = await new Promise<number>((resolve) => {
    child.once('message', (m: { type: string; user: number; system: number }) => resolve(m.user + m.system));
    child.send({ type: 'cpu' });
  });
  const own = process.cpuUsage();
  return { at: now(), system: systemCpu(), server, loadgen: (own.user + own.system) / 1e6, postgres: postgresCpu(dataDir) };
}

/** Shares of all cores: the machine is shared, so "other processes" says how much the figures suffer. */
function describeCpu(a: CpuSnapshot, b: CpuSnapshot, cores: number): string {
  const wall = Number(b.at - a.at) / 1e9;
  const share = (s: number) => `${((100 * s) / (wall * cores)).toFixed(0)}%`;
  const server = b.server - a.server;
  const postgres = b.postgres - a.postgres;
  const loadgen = b.loadgen - a.loadgen;
  const busy = b.system.busy - a.system.busy;
  return `over ${wall.toFixed(1)} s, machine ${share(busy)} busy of ${cores} cores: server ${share(server)}, PostgreSQL ${share(postgres)}, load generator ${share(loadgen)}, other processes ${share(Math.max(0, busy - server - postgres - loadgen))}`;
}
