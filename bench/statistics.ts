import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDb, migrateToLatest, type Db } from '../src/platform/db/database.ts';
import type { Actor } from '../src/platform/auth/policy.ts';
import { ageBands, DEFAULT_AGE_BANDS } from '../src/statistics/dimensions.ts';
import { indicatorByKey } from '../src/statistics/indicators.ts';
import { buildTable, type Filters } from '../src/statistics/query.ts';
import { buildReport } from '../src/statistics/report.ts';
import { ensureDatabase, machine, now, numberFlag, parseArgs, Samples, seconds, startBenchPostgres, elapsedMs, ms, table, withClient } from './support.ts';

/**
 * `npm run bench -- statistics [--services=10000000] [--people=2000000] [--runs=15] [--keep]`
 *
 * One indicator pair for a year (people attended, distinct, and services) by sex, age group and
 * nationality, platform-wide, from the maintained aggregates; the same table computed by DuckDB over
 * the same rows (services joined to people and cases, exported from PostgreSQL) in the same run; and
 * a whole report. Data: INSERT ... SELECT generate_series with triggers off, then stat_rebuild().
 * BENCH_DATA_DIR keeps the PostgreSQL folder (and the data) between runs.
 */
const NATIONALITIES = ['HND', 'GTM', 'SLV', 'NIC', 'MEX', 'CUB', 'HTI', 'VEN', 'COL', 'ECU', 'USA', 'CMR'];
const PROGRAMMES = ['health', 'mental_health', 'addiction_treatment', 'victim_assistance', 'shelter', 'legal_aid', 'women_support', 'child_protection', 'consular_protection', 'search'];

async function generate(db: Db, services: number, people: number, log: (s: string) => void): Promise<void> {
  const t = now();
  const run = (text: string) => sql.raw(text).execute(db);
  await run(`insert into institutions (id, code, name, type, state_code) values (md5('platform')::uuid, 'BPLAT', 'Plataforma', 'platform', '09')`);
  // 10 organisations, each with 19 units; programme by organisation.
  await run(`insert into institutions (id, code, name, type, state_code)
             select md5('i' || k)::uuid, 'B' || lpad(k::text, 4, '0'), 'Organización ' || k, 'federal_agency', '09' from generate_series(0, 9) k`);
  await run(`insert into institutions (id, code, name, type, unit_type, state_code, parent_id)
             select md5('i' || k)::uuid, 'B' || lpad(k::text, 4, '0'), 'Unidad ' || k, 'state_agency',
                    (array['outpatient','residential','office'])[1 + k % 3], lpad((1 + k % 32)::text, 2, '0'), md5('i' || (k % 10))::uuid
               from generate_series(10, 199) k`);
  await run(`set session_replication_role = replica`);
  for (const index of ['services_case', 'services_institution_date', 'services_person_day', 'services_provided_on']) await run(`drop index if exists ${index}`);
  const step = 500_000;
  for (let from = 1; from <= people; from += step) {
    const to = Math.min(people, from + step - 1);
    await run(`insert into people (id, institution_id, given_names, sex, date_of_birth, nationalities, vulnerabilities)
               select md5('p' || g)::uuid, md5('i' || (g % 200))::uuid, 'P', (array['female','male','male','female','male','unknown'])[1 + (g * 7) % 6],
                      date '1945-01-01' + ((g::bigint * 7919) % 27000)::int, array[(array[${NATIONALITIES.map((n) => `'${n}'`).join(',')}])[1 + ((g * 31) % 97) % 12]]::char(3)[],
                      case when g % 9 = 0 then array['pregnant'] else '{}' end
                 from generate_series(${from}, ${to}) g`);
    await run(`insert into cases (id, institution_id, folio, programme, status, opened_on)
               select md5('c' || g)::uuid, md5('i' || (g % 200))::uuid, 'B-' || g, (array[${PROGRAMMES.map((p) => `'${p}'`).join(',')}])[1 + (g % 200) % 10], 'open',
                      date '2018-01-01' + (g % 700)
                 from generate_series(${from}, ${to}) g`);
  }
  log(`people and cases: ${seconds(t).toFixed(0)} s`);
  const serviceStep = 1_000_000;
  for (let from = 1; from <= services; from += serviceStep) {
    const to = Math.min(services, from + serviceStep - 1);
    await run(`insert into services (institution_id, case_id, person_id, service_type, provided_on)
               select md5('i' || (p % 200))::uuid, md5('c' || p)::uuid, md5('p' || p)::uuid,
                      (array['medical','psychotherapy','legal','shelter','food','social_work','crisis_intervention','addiction_treatment'])[1 + g % 8],
                      date '2018-01-01' + ((g::bigint * 104729) % 730)::int
                 from (select g, 1 + ((g::bigint * 2654435761) % ${people}) as p from generate_series(${from}, ${to}) g) x`);
    log(`services: ${to.toLocaleString('en')} (${seconds(t).toFixed(0)} s)`);
  }
  await run(`set session_replication_role = origin`);
  await run(`create index services_case on services (case_id, provided_on)`);
  await run(`create index services_institution_date on services (institution_id, provided_on)`);
  await run(`create index services_person_day on services (person_id, provided_on)`);
  await run(`create index services_provided_on on services (provided_on)`);
  log(`indexes: ${seconds(t).toFixed(0)} s`);
  await run(`select stat_rebuild()`);
  log(`aggregates rebuilt: ${seconds(t).toFixed(0)} s`);
  await run(`analyze`);
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
    const sizes = await sql<{ t: string; n: number }>`select 'stat_services_monthly' as t, count(*)::int as n from stat_services_monthly union all select 'stat_person_period (year buckets)', count(*)::int from stat_person_period where period_kind = 'y'`.execute(db);
    for (const s of sizes.rows) log(`${s.t}: ${s.n.toLocaleString('en')} rows`);

    // PostgreSQL, through the module's own query engine (aggregates path).
    const by = ['sex', 'age_group', 'nationality'] as const;
    const bands = ageBands(DEFAULT_AGE_BANDS);
    const year = { from: '2019-01-01', to: '2019-12-31' };
    const filters: Filters = { programme: null, institutionCode: null, institutionIds: null };
    const pg = new Samples();
    let pgCells = { people: 0, services: 0, source: '' };
    for (let i = 0; i < runs + 1; i++) {
      const t = now();
      const [people, svc] = await Promise.all([
        buildTable(db, indicatorByKey.get('people_attended')!, [...by], bands, year, null, filters, 5, 'es'),
        buildTable(db, indicatorByKey.get('services_provided')!, [...by], bands, year, null, filters, 5, 'es'),
      ]);
      if (i > 0) pg.add(elapsedMs(t));
      pgCells = { people: people.total.value ?? -1, services: svc.total.value ?? -1, source: `${people.source}/${svc.source}` };
    }
    log(`PostgreSQL (${pgCells.source}): people ${pgCells.people.toLocaleString('en')}, services ${pgCells.services.toLocaleString('en')}`);

    // DuckDB over the same rows, exported from PostgreSQL in this run.
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
    log(`DuckDB loaded the rows in ${seconds(load).toFixed(1)} s`);
    const duckPeople = `
      with f as (select person_id, institution_id, programme, min(provided_on) as first_on, any_value(sex) as sex, any_value(dob) as dob, any_value(nationality) as nationality
                   from t where provided_on between date '2019-01-01' and date '2019-12-31' group by person_id, institution_id, programme),
           b as (select person_id, sex, nationality, ${duckBand(DUCK_AGE('first_on'))} as age_group from f)
      select sex, age_group, nationality, count(distinct person_id) as v from b group by cube (sex, age_group, nationality)`;
    const duckServices = `
      select sex, ${duckBand(DUCK_AGE('provided_on'))} as age_group, nationality, count(*) as v
        from t where provided_on between date '2019-01-01' and date '2019-12-31' group by cube (sex, age_group, nationality)`;
    const dk = new Samples();
    let duckTotals = { people: 0, services: 0 };
    for (let i = 0; i < runs + 1; i++) {
      const t = now();
      const people = await con.runAndReadAll(duckPeople);
      const svc = await con.runAndReadAll(duckServices);
      if (i > 0) dk.add(elapsedMs(t));
      const total = (rows: Record<string, unknown>[]) => Number(rows.find((r) => r.sex === null && r.age_group === null && r.nationality === null)?.v ?? -1);
      duckTotals = { people: total(people.getRowObjects()), services: total(svc.getRowObjects()) };
    }
    log(`DuckDB: people ${duckTotals.people.toLocaleString('en')}, services ${duckTotals.services.toLocaleString('en')}`);

    // A whole report for the year, platform-wide.
    const actor: Actor = { userId: '00000000-0000-0000-0000-0000000000aa', institutionId: (await db.selectFrom('institutions').select('id').where('code', '=', 'BPLAT').executeTakeFirstOrThrow()).id, role: 'analyst', isPlatformAdmin: false, ip: null };
    const reportTimes = new Samples();
    let sectionCount = 0;
    for (let i = 0; i < 3; i++) {
      const t = now();
      const report = await buildReport(db, actor, { period: '2019' }, { lang: 'es', format: 'html' });
      reportTimes.add(elapsedMs(t));
      sectionCount = report.sections.length;
    }

    const rows = [
      ['measure', 'p50', 'p95', 'runs'],
      ['PostgreSQL aggregates: people + services, 2019, sex x age group x nationality (cube)', ms(pg.percentile(50)), ms(pg.percentile(95)), String(pg.count)],
      ['DuckDB (in-memory, same rows pre-joined): same two tables', ms(dk.percentile(50)), ms(dk.percentile(95)), String(dk.count)],
      [`whole report for 2019 (${sectionCount} sections)`, ms(reportTimes.percentile(50)), ms(reportTimes.percentile(95)), String(reportTimes.count)],
    ];
    console.log(table(rows));
    console.log(`p95 ratio PostgreSQL / DuckDB: ${(pg.percentile(95) / dk.percentile(95)).toFixed(2)}`);
    console.log(`totals agree: people ${pgCells.people === duckTotals.people}, services ${pgCells.services === duckTotals.services}`);
    con.closeSync();
    duck.closeSync();
    await db.destroy();
  } finally {
    await pgServer.stop();
  }
}
