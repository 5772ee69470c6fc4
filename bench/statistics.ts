import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDb, migrateToLatest, type Db } from '../src/platform/db/database.ts';
import type { Actor } from '../src/platform/auth/policy.ts';
import { ageBands, DEFAULT_AGE_BANDS } from '../src/statistics/dimensions.ts';
import { indicatorByKey, type Indicator } from '../src/statistics/indicators.ts';
import { baseContext, buildTable, computeCube, type Filters } from '../src/statistics/query.ts';
import { TOTAL } from '../src/platform/disclosure/suppression.ts';
import { buildReport } from '../src/statistics/report.ts';
import { ensureDatabase, machine, now, numberFlag, parseArgs, Samples, seconds, startBenchPostgres, elapsedMs, ms, table, withClient } from './support.ts';

/**
 * `npm run bench -- statistics [--services=10000000] [--people=2000000] [--runs=15] [--keep]`
 *
 * One indicator pair (people attended, distinct, and services) by sex, age group and nationality,
 * platform-wide, for the year 2019 and for June 2018 - May 2019 (a range that is no single bucket), from
 * the maintained aggregates; the same tables computed by DuckDB over the same rows (services joined to
 * people and cases, exported from PostgreSQL) in the same run, with every cell of all four compared; for
 * information, the bucket path with everyone through the distinct count, a table by state, and a whole
 * report. The people move between institutions, states and programmes (see generate).
 * Data: INSERT ... SELECT generate_series with triggers off, then stat_rebuild().
 * BENCH_DATA_DIR keeps the PostgreSQL folder (and the data) between runs; the load average is printed
 * at the start and the end (the machine may be shared).
 */
const NATIONALITIES = ['HND', 'GTM', 'SLV', 'NIC', 'MEX', 'CUB', 'HTI', 'VEN', 'COL', 'ECU', 'USA', 'CMR'];
const PROGRAMMES = ['health', 'mental_health', 'addiction_treatment', 'victim_assistance', 'shelter', 'legal_aid', 'women_support', 'child_protection', 'consular_protection', 'search'];

/** A column of the generating query (`g` a row's number, `p` a person's, `j` a step of her route) or a constant. */
type Column = RawBuilder<unknown>;
const g = sql.ref('g');
const p = sql.ref('p');
const j = sql.ref('j');
/** Constants written into the SQL text (as the planner sees a literal), never data. */
const literals = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * People who move (issue 11, item 6). Each person follows a route of 1 to 5 institutions (67 % one,
 * 18 % two, 10 % three, 5 % four or five): units of the 10 organisations, taken with a stride that
 * sometimes stays in the state (same organisation's other unit, a neighbour) and mostly crosses to
 * another one. A case file per step of the route, under the organisation's programme or, for 15 %
 * of the steps, another one (a shelter referring to legal aid). Arrival on any day of 2018-2019 and a
 * stay of a few days (60 %), weeks to months (30 %) or a year and more (10 %, people who settle and
 * come back), so that a route may cross the new year; services fall on the steps in order, each at
 * the step's institution and case. Services are spread over people by a hash (about
 * services / people each, some people with none in a year); a person's k-th service falls on step
 * k + p of her route (modulo its length), so every step of a long enough route is attended.
 */
const ROUTE_LENGTH = (p: Column) => sql`(case when (${p} * 7919 + 13) % 1000 < 670 then 1 when (${p} * 7919 + 13) % 1000 < 850 then 2 when (${p} * 7919 + 13) % 1000 < 950 then 3 when (${p} * 7919 + 13) % 1000 < 985 then 4 else 5 end)`;
const STAY = (p: Column) => sql`(case when (${p} * 613) % 100 < 60 then 1 + ${p} % 30 when (${p} * 613) % 100 < 90 then 30 + ${p} % 150 else 180 + ${p} % 500 end)`;
const ARRIVAL = (p: Column) => sql`((${p} * 104729) % (730 - ${STAY(p)}))`;
const STEP_INSTITUTION = (p: Column, j: Column) => sql`(10 + ((${p} * 31 + 7) % 190 + ${j} * (array[32, 1, 7, 45, 63, 95, 13, 32, 2, 150])[1 + (${p} * 101) % 10]) % 190)`;
const STEP_PROGRAMME = (p: Column, j: Column) =>
  sql`(array[${literals(PROGRAMMES)}])[1 + (case when (${p} * 17 + ${j} * 5) % 100 < 15 then (${p} + ${j}) % 10 else ${STEP_INSTITUTION(p, j)} % 10 end)]`;

async function generate(db: Db, services: number, people: number, log: (s: string) => void): Promise<void> {
  const t = now();
  const run = (query: RawBuilder<unknown>) => query.execute(db);
  await run(sql`insert into institutions (id, code, name, type, state_code) values (md5('platform')::uuid, 'BPLAT', 'Plataforma', 'platform', '09')`);
  // 10 organisations, each with 19 units spread over the 32 states.
  await run(sql`insert into institutions (id, code, name, type, state_code)
             select md5('i' || k)::uuid, 'B' || lpad(k::text, 4, '0'), 'Organización ' || k, 'federal_agency', '09' from generate_series(0, 9) k`);
  await run(sql`insert into institutions (id, code, name, type, unit_type, state_code, parent_id)
             select md5('i' || k)::uuid, 'B' || lpad(k::text, 4, '0'), 'Unidad ' || k, 'state_agency',
                    (array['outpatient','residential','office'])[1 + k % 3], lpad((1 + k % 32)::text, 2, '0'), md5('i' || (k % 10))::uuid
               from generate_series(10, 199) k`);
  await run(sql`set session_replication_role = replica`);
  for (const index of ['services_case', 'services_institution_date', 'services_person_day', 'services_provided_on']) await run(sql`drop index if exists ${sql.id(index)}`);
  const step = 250_000;
  for (let from = 1; from <= people; from += step) {
    const to = Math.min(people, from + step - 1);
    await run(sql`insert into people (id, institution_id, given_names, sex, date_of_birth, nationalities, vulnerabilities)
               select md5('p' || g)::uuid, md5('i' || ${STEP_INSTITUTION(g, sql.lit(0))})::uuid, 'P', (array['female','male','male','female','male','unknown'])[1 + (g * 7) % 6],
                      date '1945-01-01' + ((g * 7919) % 27000)::int, array[(array[${literals(NATIONALITIES)}])[1 + ((g * 31) % 97) % 12]]::char(3)[],
                      case when g % 9 = 0 then array['pregnant'] else '{}' end
                 from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) g`);
    await run(sql`insert into cases (id, institution_id, folio, programme, status, opened_on)
               select md5('c' || g || '-' || j)::uuid, md5('i' || ${STEP_INSTITUTION(g, j)})::uuid, 'B-' || g || '-' || j, ${STEP_PROGRAMME(g, j)}, 'open',
                      date '2018-01-01' + (${ARRIVAL(g)} + j * ${STAY(g)} / ${ROUTE_LENGTH(g)})::int
                 from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) g cross join lateral generate_series(0, ${ROUTE_LENGTH(g)} - 1) j`);
  }
  log(`people and cases: ${seconds(t).toFixed(0)} s`);
  const serviceStep = 1_000_000;
  for (let from = 1; from <= services; from += serviceStep) {
    const to = Math.min(services, from + serviceStep - 1);
    await run(sql`insert into services (institution_id, case_id, person_id, service_type, provided_on)
               select md5('i' || ${STEP_INSTITUTION(p, j)})::uuid, md5('c' || p || '-' || j)::uuid, md5('p' || p)::uuid,
                      (array['medical','psychotherapy','legal','shelter','food','social_work','crisis_intervention','addiction_treatment'])[1 + g % 8],
                      date '2018-01-01' + (${ARRIVAL(p)} + j * ${STAY(p)} / ${ROUTE_LENGTH(p)} + (g * 7907) % greatest(1, ${STAY(p)} / ${ROUTE_LENGTH(p)}))::int
                 from (select g, p, ((g - 1) / ${sql.lit(people)} + p) % ${ROUTE_LENGTH(p)} as j
                         from (select g, 1 + ((g * 2654435761) % ${sql.lit(people)}) as p from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) g) x) y`);
    log(`services: ${to.toLocaleString('en')} (${seconds(t).toFixed(0)} s)`);
  }
  await run(sql`set session_replication_role = origin`);
  await run(sql`create index services_case on services (case_id, provided_on)`);
  await run(sql`create index services_institution_date on services (institution_id, provided_on)`);
  await run(sql`create index services_person_day on services (person_id, provided_on)`);
  await run(sql`create index services_provided_on on services (provided_on)`);
  log(`indexes: ${seconds(t).toFixed(0)} s`);
  await run(sql`select stat_rebuild()`);
  log(`aggregates rebuilt: ${seconds(t).toFixed(0)} s`);
  await run(sql`analyze`);
}

const DUCK_AGE = (on: string) => `case when dob is null then -1 else date_sub('year', dob, ${on}) end`;
const duckBand = (age: string) => `case when ${age} < 0 then 'unknown' when ${age} >= 60 then '60+' when ${age} >= 30 then '30-59' when ${age} >= 18 then '18-29' when ${age} >= 12 then '12-17' else '0-11' end`;

const by = ['sex', 'age_group', 'nationality'] as const;
const bands = ageBands(DEFAULT_AGE_BANDS);
const periods = { year: { from: '2019-01-01', to: '2019-12-31' }, range: { from: '2018-06-01', to: '2019-05-31' } };
const filters: Filters = { programme: null, institutionCode: null, institutionIds: null };
type Timing = { both: Samples; people: Samples; source: string };
type DuckTiming = Timing & { rows: { people: Record<string, unknown>[]; services: Record<string, unknown>[] } };

export async function run(argv: string[] = []): Promise<void> {
  const args = parseArgs(argv);
  const services = numberFlag(args, 'services', 10_000_000);
  const peopleCount = numberFlag(args, 'people', 2_000_000);
  const runs = numberFlag(args, 'runs', 15);
  const log = (line: string) => console.log(`[statistics] ${line}`);
  log(JSON.stringify(machine()));
  const startLoad = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  log(`load average: ${startLoad}`);
  const pgServer = await startBenchPostgres({ keep: args.flags.has('keep'), log });
  // v2: people who move (the generator of issue 11); the data sets of the first generator are not reused.
  const dbName = `amparo_stats_v2_${services}_${peopleCount}`;
  try {
    const adminUrl = pgServer.url('postgres');
    await ensureDatabase(adminUrl, dbName);
    const db = createDb(pgServer.url(dbName), { max: 4 });
    await migrateToLatest(db);
    await prepareData(db, dbName, services, peopleCount, log);
    const amparo = await timeAmparo(db, runs);
    const duckdb = await timeDuckDb(adminUrl, path.join(pgServer.dataDir, `duck-${dbName}.csv`), dbName, runs, log);
    const checks = await compareCells(db, duckdb);
    const report = await timeReport(db);
    printResults(amparo, duckdb, report, checks, startLoad);
    duckdb.close();
    await db.destroy();
  } finally {
    await pgServer.stop();
  }
}

/** The data set: generated once per size (kept in BENCH_DATA_DIR), its aggregates rebuilt if a run was cut short; its sizes and how much people move. */
async function prepareData(db: Db, dbName: string, services: number, peopleCount: number, log: (line: string) => void): Promise<void> {
  const existing = await sql<{ n: number }>`select count(*)::int as n from services`.execute(db);
  if (existing.rows[0]!.n !== services) {
    if (existing.rows[0]!.n > 0) throw new Error(`Database ${dbName} holds ${existing.rows[0]!.n} services; remove the folder or use another BENCH_DATA_DIR.`);
    log(`generating ${services.toLocaleString('en')} services for ${peopleCount.toLocaleString('en')} people`);
    await generate(db, services, peopleCount, log);
  } else {
    log(`reusing ${services.toLocaleString('en')} services in ${dbName}`);
    const built = await sql<{ n: number }>`select count(*)::int as n from (select 1 from stat_services_monthly limit 1) x`.execute(db);
    if (built.rows[0]!.n === 0) {
      log('aggregates empty (an interrupted run?): rebuilding');
      await sql`select stat_rebuild()`.execute(db);
      await sql`analyze`.execute(db);
    }
  }
  const sizes = await sql<{ t: string; n: number }>`
    select 'stat_services_monthly (2019)' as t, count(*)::int as n from stat_services_monthly where month between '2019-01-01' and '2019-12-01'
    union all select 'stat_person_period (year 2019)', count(*)::int from stat_person_period where period_kind = 'y' and period_start = '2019-01-01'
    union all select 'stat_person_period (year 2019, people in several cells)', count(*)::int from stat_person_period where period_kind = 'y' and period_start = '2019-01-01' and not single
    union all select 'stat_people_cells (year 2019)', count(*)::int from stat_people_cells where period_kind = 'y' and period_start = '2019-01-01'
    union all select 'stat_people_firsts (all programmes, 2019)', count(*)::int from stat_people_firsts where programme = '*' and month between '2019-01-01' and '2019-12-01'`.execute(db);
  for (const s of sizes.rows) log(`${s.t}: ${s.n.toLocaleString('en')} rows`);
  // How much people move, in the records (not in the aggregates): the point of this data set.
  const moving = await sql<{ people: number; institutions: number; states: number; programmes: number }>`
    select count(*)::int as people, count(*) filter (where ni >= 2)::int as institutions, count(*) filter (where ns >= 2)::int as states, count(*) filter (where np >= 2)::int as programmes
      from (select s.person_id, count(distinct s.institution_id) as ni, count(distinct i.state_code) as ns, count(distinct c.programme) as np
              from services s join institutions i on i.id = s.institution_id join cases c on c.id = s.case_id
             where s.provided_on between '2019-01-01' and '2019-12-31' group by s.person_id) x`.execute(db);
  const m = moving.rows[0]!;
  const share = (n: number) => `${n.toLocaleString('en')} (${((100 * n) / m.people).toFixed(1)} %)`;
  log(`people attended in 2019: ${m.people.toLocaleString('en')}; by two or more institutions ${share(m.institutions)}, in two or more states ${share(m.states)}, under two or more programmes ${share(m.programmes)}`);
}

/** PostgreSQL through the statistics module's own query engine; for information, the distinct path and a table by state. */
async function timeAmparo(db: Db, runs: number) {
  // PostgreSQL, through the module's own query engine (the aggregates), the two tables at once on
  // two connections as the report does; for the year and for a range of whole months that is no
  // bucket (June 2018 - May 2019).
  const pgTable = (indicator: string, period: { from: string; to: string }) => buildTable(db, indicatorByKey.get(indicator)!, [...by], bands, period, null, filters, 5, 'es');
  const timePg = async (period: { from: string; to: string }): Promise<Timing> => {
    const both = new Samples();
    const people = new Samples();
    let source = '';
    for (let i = 0; i < runs + 1; i++) {
      let t = now();
      const [p, svc] = await Promise.all([pgTable('people_attended', period), pgTable('services_provided', period)]);
      if (i > 0) both.add(elapsedMs(t));
      source = `${p.source}/${svc.source}`;
      t = now();
      await pgTable('people_attended', period);
      if (i > 0) people.add(elapsedMs(t));
    }
    return { both, people, source };
  };
  const pgYear = await timePg(periods.year);
  const pgRange = await timePg(periods.range);

  // For information: the bucket path of 0011 with every person counted through the distinct path
  // (what a table by institution or state does for the people in several cells).
  const everyoneShared: Indicator = {
    ...indicatorByKey.get('people_attended')!,
    fast: (ctx) => [{ value: 'distinct', sql: sql`select person_id as k, 1 as w, amparo_record_key(person_id::text) as ks, institution_id, programme, sex, min(age_floor) over (partition by person_id) as age, nationality from stat_person_period where period_kind = 'y' and period_start = ${ctx.from}::date` }],
  };
  const pgShared = new Samples();
  for (let i = 0; i < 3; i++) {
    const t = now();
    await buildTable(db, everyoneShared, [...by], bands, periods.year, null, filters, 5, 'es');
    pgShared.add(elapsedMs(t));
  }
  // For information: a table by state (of the institution) and sex for the year, which still needs
  // the people's rows (cells of people in one cell, distinct count of the others).
  const byState = new Samples();
  for (let i = 0; i < 3; i++) {
    const t = now();
    await buildTable(db, indicatorByKey.get('people_attended')!, ['state', 'sex'], bands, periods.year, null, filters, 5, 'es');
    byState.add(elapsedMs(t));
  }
  return { year: pgYear, range: pgRange, shared: pgShared, byState };
}

/** DuckDB over the same rows, exported from PostgreSQL (once; kept in the data folder), timed the same way. */
async function timeDuckDb(adminUrl: string, csv: string, dbName: string, runs: number, log: (line: string) => void) {
  // DuckDB over the same rows, exported from PostgreSQL (once; kept in the data folder).
  if (!fs.existsSync(csv)) {
    const t = now();
    await withClient(adminUrl.replace(/\/postgres$/, `/${dbName}`), (c) =>
      c.query(`copy (select s.person_id, s.institution_id, c.programme, s.provided_on, p.sex, p.date_of_birth as dob,
                            coalesce(p.nationalities[1]::text, 'ZZZ') as nationality
                       from services s join people p on p.id = s.person_id join cases c on c.id = s.case_id)
               to '${csv}' with (format csv, header)`),
    );
    log(`exported rows for DuckDB in ${seconds(t).toFixed(0)} s`);
  }
  const duck = await DuckDBInstance.create(':memory:');
  const con = await duck.connect();
  const load = now();
  await con.run(`create table t as select * from read_csv('${csv}', header = true, columns = {'person_id': 'UUID', 'institution_id': 'UUID', 'programme': 'VARCHAR', 'provided_on': 'DATE', 'sex': 'VARCHAR', 'dob': 'DATE', 'nationality': 'VARCHAR'})`);
  log(`DuckDB loaded the rows in ${seconds(load).toFixed(1)} s (threads: ${(await con.runAndReadAll("select current_setting('threads') as n")).getRowObjects()[0]!.n})`);
  // The best formulation for DuckDB of the same figure: one row per person (the table's dimensions
  // are the person's), age at her first service of the period, then a plain count per cell.
  const duckPeople = ({ from, to }: { from: string; to: string }) => `
    with f as (select person_id, min(provided_on) as first_on, any_value(sex) as sex, any_value(dob) as dob, any_value(nationality) as nationality
                 from t where provided_on between date '${from}' and date '${to}' group by person_id)
    select sex, ${duckBand(DUCK_AGE('first_on'))} as age_group, nationality, count(*) as v from f group by cube (sex, age_group, nationality)`;
  const duckServices = ({ from, to }: { from: string; to: string }) => `
    select sex, ${duckBand(DUCK_AGE('provided_on'))} as age_group, nationality, count(*) as v
      from t where provided_on between date '${from}' and date '${to}' group by cube (sex, age_group, nationality)`;
  const timeDuck = async (period: { from: string; to: string }): Promise<DuckTiming> => {
    const both = new Samples();
    const people = new Samples();
    let rows = { people: [] as Record<string, unknown>[], services: [] as Record<string, unknown>[] };
    for (let i = 0; i < runs + 1; i++) {
      let t = now();
      const p = await con.runAndReadAll(duckPeople(period));
      const svc = await con.runAndReadAll(duckServices(period));
      if (i > 0) both.add(elapsedMs(t));
      rows = { people: p.getRowObjects(), services: svc.getRowObjects() };
      t = now();
      await con.runAndReadAll(duckPeople(period));
      if (i > 0) people.add(elapsedMs(t));
    }
    return { both, people, source: 'duckdb', rows };
  };
  const dkYear = await timeDuck(periods.year);
  const dkRange = await timeDuck(periods.range);
  return {
    year: dkYear,
    range: dkRange,
    close: () => {
      con.closeSync();
      duck.closeSync();
    },
  };
}

/** Every cell (before disclosure control) of both engines' tables, compared. */
async function compareCells(db: Db, duckdb: { year: DuckTiming; range: DuckTiming }) {
  const key = (coords: (string | null)[]) => coords.map((c) => c ?? '*').join('|');
  const compare = async (indicator: string, period: { from: string; to: string }, rows: Record<string, unknown>[]) => {
    const ours = await computeCube(db, indicatorByKey.get(indicator)!, [...by], bands, baseContext(period, filters));
    const mine = new Map(ours.cells.map((c) => [key(c.coords.map((x) => (x === TOTAL ? null : x))), c.value]));
    const theirs = new Map(rows.filter((r) => Number(r.v) > 0).map((r) => [key([r.sex as string | null, r.age_group as string | null, r.nationality as string | null]), Number(r.v)]));
    const differing = [...new Set([...mine.keys(), ...theirs.keys()])].filter((k) => mine.get(k) !== theirs.get(k));
    return { cells: mine.size, differing: differing.length, total: mine.get(key(by.map(() => null))) ?? 0, example: differing.slice(0, 3).map((k) => `${k}: ${mine.get(k)} vs ${theirs.get(k)}`) };
  };
  return [
    ['people, 2019', await compare('people_attended', periods.year, duckdb.year.rows.people)],
    ['services, 2019', await compare('services_provided', periods.year, duckdb.year.rows.services)],
    ['people, June 2018 - May 2019', await compare('people_attended', periods.range, duckdb.range.rows.people)],
    ['services, June 2018 - May 2019', await compare('services_provided', periods.range, duckdb.range.rows.services)],
  ] as const;
}

/** A whole report for the year, platform-wide. */
async function timeReport(db: Db): Promise<{ times: Samples; sections: number }> {
  const actor: Actor = { userId: '00000000-0000-0000-0000-0000000000aa', institutionId: (await db.selectFrom('institutions').select('id').where('code', '=', 'BPLAT').executeTakeFirstOrThrow()).id, role: 'analyst', isPlatformAdmin: false, ip: null };
  const reportTimes = new Samples();
  let sectionCount = 0;
  for (let i = 0; i < 4; i++) {
    const t = now();
    const report = await buildReport(db, actor, { period: '2019' }, { lang: 'es', format: 'html' });
    if (i > 0) reportTimes.add(elapsedMs(t));
    sectionCount = report.sections.length;
  }
  return { times: reportTimes, sections: sectionCount };
}

function printResults(amparo: Awaited<ReturnType<typeof timeAmparo>>, duckdb: { year: Timing; range: Timing }, report: { times: Samples; sections: number }, checks: Awaited<ReturnType<typeof compareCells>>, startLoad: string): void {
  const [pgYear, pgRange, dkYear, dkRange] = [amparo.year, amparo.range, duckdb.year, duckdb.range];
  const load1 = os.loadavg()[0]!.toFixed(2);
  const row = (label: string, samples: Samples) => [label, ms(samples.percentile(50)), ms(samples.percentile(95)), String(samples.count)];
  const rows = [
    ['measure', 'p50', 'p95', 'runs'],
    row(`Amparo (${pgYear.source}): people + services, 2019, sex x age group x nationality (cube)`, pgYear.both),
    row('DuckDB (in-memory, same rows pre-joined): same two tables', dkYear.both),
    row('Amparo: people attended alone, 2019', pgYear.people),
    row('DuckDB: people attended alone, 2019', dkYear.people),
    row(`Amparo (${pgRange.source}): people + services, June 2018 - May 2019`, pgRange.both),
    row('DuckDB: same two tables, June 2018 - May 2019', dkRange.both),
    row('Amparo: people attended alone, June 2018 - May 2019', pgRange.people),
    row('DuckDB: people attended alone, June 2018 - May 2019', dkRange.people),
    row('info: Amparo, 2019, everyone through the distinct path of the buckets', amparo.shared),
    row('info: Amparo, people attended 2019 by state x sex (buckets: cells + distinct)', amparo.byState),
    row(`whole report for 2019 (${report.sections} sections)`, report.times),
  ];
  console.log(table(rows));
  const ratio = (a: Samples, b: Samples) => (a.percentile(95) / b.percentile(95)).toFixed(3);
  console.log(`p95 ratio Amparo / DuckDB: 2019 both tables ${ratio(pgYear.both, dkYear.both)}, people alone ${ratio(pgYear.people, dkYear.people)}; June-May both tables ${ratio(pgRange.both, dkRange.both)}, people alone ${ratio(pgRange.people, dkRange.people)}`);
  for (const [label, check] of checks) console.log(`cells compared with DuckDB, ${label}: ${check.cells} cells, ${check.differing} differ, total ${check.total.toLocaleString('en')} ${check.example.join('; ')}`);
  console.log(`load average (1 min) at the end: ${load1}; at the start: ${startLoad}`);
}
