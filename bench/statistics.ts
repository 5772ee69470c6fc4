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
 * One indicator pair for a year (people attended, distinct, and services) by sex, age group and
 * nationality, platform-wide, from the maintained aggregates; the same table computed by DuckDB over
 * the same rows (services joined to people and cases, exported from PostgreSQL) in the same run, with
 * every cell of both compared; for information, people attended alone, over June 2018 - May 2019 (a
 * range that is no single bucket) and in the worst case for the aggregates; and a whole report.
 * Data: INSERT ... SELECT generate_series with triggers off, then stat_rebuild().
 * BENCH_DATA_DIR keeps the PostgreSQL folder (and the data) between runs; the load average is printed
 * at the start and the end (the machine may be shared).
 */
const NATIONALITIES = ['HND', 'GTM', 'SLV', 'NIC', 'MEX', 'CUB', 'HTI', 'VEN', 'COL', 'ECU', 'USA', 'CMR'];
const PROGRAMMES = ['health', 'mental_health', 'addiction_treatment', 'victim_assistance', 'shelter', 'legal_aid', 'women_support', 'child_protection', 'consular_protection', 'search'];

async function generate(db: Db, services: number, people: number, log: (s: string) => void): Promise<void> {
  const t = now();
  // Constants and loop bounds only, bound as parameters like every other value.
  const run = (query: RawBuilder<unknown>) => query.execute(db);
  await run(sql`insert into institutions (id, code, name, type, state_code) values (md5('platform')::uuid, 'BPLAT', 'Plataforma', 'platform', '09')`);
  // 10 organisations, each with 19 units; programme by organisation.
  await run(sql`insert into institutions (id, code, name, type, state_code)
             select md5('i' || k)::uuid, 'B' || lpad(k::text, 4, '0'), 'Organización ' || k, 'federal_agency', '09' from generate_series(0, 9) k`);
  await run(sql`insert into institutions (id, code, name, type, unit_type, state_code, parent_id)
             select md5('i' || k)::uuid, 'B' || lpad(k::text, 4, '0'), 'Unidad ' || k, 'state_agency',
                    (array['outpatient','residential','office'])[1 + k % 3], lpad((1 + k % 32)::text, 2, '0'), md5('i' || (k % 10))::uuid
               from generate_series(10, 199) k`);
  await run(sql`set session_replication_role = replica`);
  for (const index of ['services_case', 'services_institution_date', 'services_person_day', 'services_provided_on']) await run(sql`drop index if exists ${sql.id(index)}`);
  const step = 500_000;
  for (let from = 1; from <= people; from += step) {
    const to = Math.min(people, from + step - 1);
    await run(sql`insert into people (id, institution_id, given_names, sex, date_of_birth, nationalities, vulnerabilities)
               select md5('p' || g)::uuid, md5('i' || (g % 200))::uuid, 'P', (array['female','male','male','female','male','unknown'])[1 + (g * 7) % 6],
                      date '1945-01-01' + ((g::bigint * 7919) % 27000)::int, array[(${NATIONALITIES}::text[])[1 + ((g * 31) % 97) % 12]]::char(3)[],
                      case when g % 9 = 0 then array['pregnant'] else '{}' end
                 from generate_series(${from}::int, ${to}::int) g`);
    await run(sql`insert into cases (id, institution_id, folio, programme, status, opened_on)
               select md5('c' || g)::uuid, md5('i' || (g % 200))::uuid, 'B-' || g, (${PROGRAMMES}::text[])[1 + (g % 200) % 10], 'open',
                      date '2018-01-01' + (g % 700)
                 from generate_series(${from}::int, ${to}::int) g`);
  }
  log(`people and cases: ${seconds(t).toFixed(0)} s`);
  const serviceStep = 1_000_000;
  for (let from = 1; from <= services; from += serviceStep) {
    const to = Math.min(services, from + serviceStep - 1);
    await run(sql`insert into services (institution_id, case_id, person_id, service_type, provided_on)
               select md5('i' || (p % 200))::uuid, md5('c' || p)::uuid, md5('p' || p)::uuid,
                      (array['medical','psychotherapy','legal','shelter','food','social_work','crisis_intervention','addiction_treatment'])[1 + g % 8],
                      date '2018-01-01' + ((g::bigint * 104729) % 730)::int
                 from (select g, 1 + ((g::bigint * 2654435761) % ${people}::bigint) as p from generate_series(${from}::int, ${to}::int) g) x`);
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
  const dbName = `amparo_stats_${services}_${peopleCount}`;
  try {
    const adminUrl = pgServer.url('postgres');
    await ensureDatabase(adminUrl, dbName);
    const db = createDb(pgServer.url(dbName), { max: 4 });
    await migrateToLatest(db);
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
      union all select 'stat_people_cells (year 2019)', count(*)::int from stat_people_cells where period_kind = 'y' and period_start = '2019-01-01'`.execute(db);
    for (const s of sizes.rows) log(`${s.t}: ${s.n.toLocaleString('en')} rows`);

    // PostgreSQL, through the module's own query engine (the aggregates), the two tables at once on
    // two connections as the report does.
    const by = ['sex', 'age_group', 'nationality'] as const;
    const bands = ageBands(DEFAULT_AGE_BANDS);
    const year = { from: '2019-01-01', to: '2019-12-31' };
    const range = { from: '2018-06-01', to: '2019-05-31' };
    const filters: Filters = { programme: null, institutionCode: null, institutionIds: null };
    const pgTable = (indicator: string, period: { from: string; to: string }) => buildTable(db, indicatorByKey.get(indicator)!, [...by], bands, period, null, filters, 5, 'es');
    const pg = new Samples();
    const pgPeople = new Samples();
    let pgCells = { people: 0, services: 0, source: '' };
    for (let i = 0; i < runs + 1; i++) {
      let t = now();
      const [people, svc] = await Promise.all([pgTable('people_attended', year), pgTable('services_provided', year)]);
      if (i > 0) pg.add(elapsedMs(t));
      pgCells = { people: people.total.value ?? -1, services: svc.total.value ?? -1, source: `${people.source}/${svc.source}` };
      t = now();
      await pgTable('people_attended', year);
      if (i > 0) pgPeople.add(elapsedMs(t));
    }
    log(`PostgreSQL (${pgCells.source}): people ${pgCells.people.toLocaleString('en')}, services ${pgCells.services.toLocaleString('en')}`);
    const pgRange = new Samples();
    let rangeTotal = 0;
    for (let i = 0; i < 3; i++) {
      const t = now();
      const people = await pgTable('people_attended', range);
      pgRange.add(elapsedMs(t));
      rangeTotal = people.total.value ?? -1;
    }

    // Worst case for the aggregates: as if every person had been attended by several institutions or
    // programmes in the year (none is, in this data set), all 2M person-year rows go through the
    // distinct path instead of the cells.
    const everyoneShared: Indicator = {
      ...indicatorByKey.get('people_attended')!,
      fast: (ctx) => [{ value: 'distinct', sql: sql`select person_id as k, 1 as w, amparo_record_key(person_id::text) as ks, institution_id, programme, sex, min(age_floor) over (partition by person_id) as age, nationality from stat_person_period where period_kind = 'y' and period_start = ${ctx.from}::date` }],
    };
    const pgShared = new Samples();
    let sharedTotal = 0;
    for (let i = 0; i < 3; i++) {
      const t = now();
      const people = await buildTable(db, everyoneShared, [...by], bands, year, null, filters, 5, 'es');
      pgShared.add(elapsedMs(t));
      sharedTotal = people.total.value ?? -1;
    }

    // DuckDB over the same rows, exported from PostgreSQL (once; kept in the data folder).
    const csv = path.join(pgServer.dataDir, `duck-${services}.csv`);
    if (!fs.existsSync(csv)) {
      const t = now();
      await withClient(adminUrl.replace(/\/postgres$/, `/${dbName}`), (c) =>
        c.query(`copy (select s.person_id, s.institution_id, c.programme, s.provided_on, p.sex,
                              case when p.date_of_birth is not null then p.date_of_birth else null end as dob,
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
    const duckPeople = (from: string, to: string) => `
      with f as (select person_id, institution_id, programme, min(provided_on) as first_on, any_value(sex) as sex, any_value(dob) as dob, any_value(nationality) as nationality
                   from t where provided_on between date '${from}' and date '${to}' group by person_id, institution_id, programme),
           b as (select person_id, sex, nationality, ${duckBand(DUCK_AGE('first_on'))} as age_group from f)
      select sex, age_group, nationality, count(distinct person_id) as v from b group by cube (sex, age_group, nationality)`;
    const duckServices = `
      select sex, ${duckBand(DUCK_AGE('provided_on'))} as age_group, nationality, count(*) as v
        from t where provided_on between date '2019-01-01' and date '2019-12-31' group by cube (sex, age_group, nationality)`;
    const dk = new Samples();
    const dkPeople = new Samples();
    let duckRows = { people: [] as Record<string, unknown>[], services: [] as Record<string, unknown>[] };
    for (let i = 0; i < runs + 1; i++) {
      let t = now();
      const people = await con.runAndReadAll(duckPeople(year.from, year.to));
      const svc = await con.runAndReadAll(duckServices);
      if (i > 0) dk.add(elapsedMs(t));
      duckRows = { people: people.getRowObjects(), services: svc.getRowObjects() };
      t = now();
      await con.runAndReadAll(duckPeople(year.from, year.to));
      if (i > 0) dkPeople.add(elapsedMs(t));
    }
    const dkRange = new Samples();
    let duckRangeTotal = 0;
    for (let i = 0; i < 3; i++) {
      const t = now();
      const rows = (await con.runAndReadAll(duckPeople(range.from, range.to))).getRowObjects();
      dkRange.add(elapsedMs(t));
      duckRangeTotal = Number(rows.find((r) => r.sex === null && r.age_group === null && r.nationality === null)?.v ?? -1);
    }

    // Every cell (before disclosure control) of both engines' tables, compared.
    const key = (coords: (string | null)[]) => coords.map((c) => c ?? '*').join('|');
    const compare = async (indicator: string, rows: Record<string, unknown>[]) => {
      const ours = await computeCube(db, indicatorByKey.get(indicator)!, [...by], bands, baseContext(year, filters));
      const mine = new Map(ours.cells.map((c) => [key(c.coords.map((x) => (x === TOTAL ? null : x))), c.value]));
      const theirs = new Map(rows.filter((r) => Number(r.v) > 0).map((r) => [key([r.sex as string | null, r.age_group as string | null, r.nationality as string | null]), Number(r.v)]));
      const differing = [...new Set([...mine.keys(), ...theirs.keys()])].filter((k) => mine.get(k) !== theirs.get(k));
      return { cells: mine.size, differing: differing.length, example: differing.slice(0, 3).map((k) => `${k}: ${mine.get(k)} vs ${theirs.get(k)}`) };
    };
    const peopleCheck = await compare('people_attended', duckRows.people);
    const servicesCheck = await compare('services_provided', duckRows.services);

    // A whole report for the year, platform-wide.
    const actor: Actor = { userId: '00000000-0000-0000-0000-0000000000aa', institutionId: (await db.selectFrom('institutions').select('id').where('code', '=', 'BPLAT').executeTakeFirstOrThrow()).id, role: 'analyst', isPlatformAdmin: false, ip: null };
    const reportTimes = new Samples();
    let sectionCount = 0;
    for (let i = 0; i < 4; i++) {
      const t = now();
      const report = await buildReport(db, actor, { period: '2019' }, { lang: 'es', format: 'html' });
      if (i > 0) reportTimes.add(elapsedMs(t));
      sectionCount = report.sections.length;
    }

    const load1 = os.loadavg()[0]!.toFixed(2);
    const rows = [
      ['measure', 'p50', 'p95', 'runs'],
      ['Amparo (PostgreSQL aggregates): people + services, 2019, sex x age group x nationality (cube)', ms(pg.percentile(50)), ms(pg.percentile(95)), String(pg.count)],
      ['DuckDB (in-memory, same rows pre-joined): same two tables', ms(dk.percentile(50)), ms(dk.percentile(95)), String(dk.count)],
      ['Amparo: people attended alone', ms(pgPeople.percentile(50)), ms(pgPeople.percentile(95)), String(pgPeople.count)],
      ['DuckDB: people attended alone', ms(dkPeople.percentile(50)), ms(dkPeople.percentile(95)), String(dkPeople.count)],
      ['Amparo: people attended alone, worst case (everyone counted through the distinct path)', ms(pgShared.percentile(50)), ms(pgShared.percentile(95)), String(pgShared.count)],
      ['Amparo: people attended, June 2018 - May 2019 (covering buckets)', ms(pgRange.percentile(50)), ms(pgRange.percentile(95)), String(pgRange.count)],
      ['DuckDB: people attended, June 2018 - May 2019', ms(dkRange.percentile(50)), ms(dkRange.percentile(95)), String(dkRange.count)],
      [`whole report for 2019 (${sectionCount} sections)`, ms(reportTimes.percentile(50)), ms(reportTimes.percentile(95)), String(reportTimes.count)],
    ];
    console.log(table(rows));
    console.log(`p95 ratio Amparo / DuckDB (both tables): ${(pg.percentile(95) / dk.percentile(95)).toFixed(3)}; people alone: ${(pgPeople.percentile(95) / dkPeople.percentile(95)).toFixed(3)}`);
    console.log(`cells compared with DuckDB: people ${peopleCheck.cells} cells, ${peopleCheck.differing} differ ${peopleCheck.example.join('; ')}; services ${servicesCheck.cells} cells, ${servicesCheck.differing} differ ${servicesCheck.example.join('; ')}`);
    console.log(`totals: people ${pgCells.people.toLocaleString('en')} (DuckDB ${String(duckRows.people.find((r) => r.sex === null && r.age_group === null && r.nationality === null)?.v)}), June 2018 - May 2019 ${rangeTotal.toLocaleString('en')} (DuckDB ${duckRangeTotal.toLocaleString('en')}); worst-case path ${sharedTotal.toLocaleString('en')}`);
    console.log(`load average (1 min) at the end: ${load1}; at the start: ${startLoad}`);
    con.closeSync();
    duck.closeSync();
    await db.destroy();
  } finally {
    await pgServer.stop();
  }
}
