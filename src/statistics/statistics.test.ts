import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { AGE_CUT_POINTS, ageBands, ageFloor } from './dimensions.ts';
import { cellKey, suppressTable, TOTAL } from '../platform/disclosure/suppression.ts';
import { computeCube, previousPeriod, resolvePeriod, type RawCell } from './query.ts';
import { bucketCover, indicatorByKey } from './indicators.ts';
import { crc32 } from '../platform/files/zip.ts';

describe('disclosure control', () => {
  // Sex (rows) x nationality (columns), with margins, as the cube returns it.
  const table = (cells: Record<string, Record<string, number>>) => {
    const values = new Map<string, number>();
    const rows = Object.keys(cells);
    const cols = [...new Set(rows.flatMap((r) => Object.keys(cells[r]!)))];
    let grand = 0;
    for (const r of rows) {
      let rowTotal = 0;
      for (const c of cols) {
        const v = cells[r]![c] ?? 0;
        if (v) values.set(cellKey([r, c]), v);
        rowTotal += v;
      }
      values.set(cellKey([r, TOTAL]), rowTotal);
      grand += rowTotal;
    }
    for (const c of cols) values.set(cellKey([TOTAL, c]), rows.reduce((s, r) => s + (cells[r]![c] ?? 0), 0));
    values.set(cellKey([TOTAL, TOTAL]), grand);
    return { values, dims: [rows, cols] };
  };

  it('hides small cells and enough others that no hidden cell can be recovered from the margins', () => {
    const { values, dims } = table({ female: { HND: 40, GTM: 3, SLV: 12 }, male: { HND: 55, GTM: 20, SLV: 9 } });
    const hidden = suppressTable(values, dims, 5);
    expect(hidden.get(cellKey(['female', 'GTM']))).toBe('primary');
    // The attacker: for every row and column with its margin, solve when exactly one cell is unknown.
    const known = new Map([...values].filter(([k]) => !hidden.has(k)));
    let progress = true;
    while (progress) {
      progress = false;
      for (const fixedDim of [0, 1]) {
        for (const fixed of [...dims[fixedDim]!, TOTAL]) {
          const line = [...dims[1 - fixedDim]!].map((v) => cellKey(fixedDim === 0 ? [fixed, v] : [v, fixed]));
          const margin = cellKey(fixedDim === 0 ? [fixed, TOTAL] : [TOTAL, fixed]);
          const unknown = [...line, margin].filter((k) => (values.get(k) ?? 0) > 0 && !known.has(k));
          if (unknown.length !== 1) continue;
          const u = unknown[0]!;
          const sum = line.filter((k) => k !== u).reduce((s, k) => s + (known.get(k) ?? 0), 0);
          known.set(u, u === margin ? sum : (known.get(margin) ?? 0) - sum);
          progress = true;
        }
      }
    }
    expect(known.has(cellKey(['female', 'GTM']))).toBe(false);
    for (const key of hidden.keys()) expect(known.has(key)).toBe(false);
    expect([...hidden.values()].filter((r) => r === 'complementary').length).toBeGreaterThanOrEqual(3);
  });

  it('hides a margin when it is the only other way to recover a cell, and leaves safe tables alone', () => {
    const only = new Map([[cellKey(['a']), 3], [cellKey([TOTAL]), 3]]);
    expect(suppressTable(only, [['a']], 5).size).toBe(2);
    const safe = table({ female: { HND: 40, GTM: 30 }, male: { HND: 55, GTM: 20 } });
    expect(suppressTable(safe.values, safe.dims, 5).size).toBe(0);
  });

  it('suppresses across each dimension of a three-way table', () => {
    const values = new Map<string, number>();
    const dims = [['f', 'm'], ['0-11', '18-29'], ['HND', 'GTM']];
    const data: Record<string, number> = { 'f|0-11|HND': 2, 'f|0-11|GTM': 10, 'f|18-29|HND': 30, 'f|18-29|GTM': 25, 'm|0-11|HND': 12, 'm|0-11|GTM': 8, 'm|18-29|HND': 40, 'm|18-29|GTM': 33 };
    const opts = (d: string[]) => [...d, TOTAL];
    for (const a of opts(dims[0]!)) for (const b of opts(dims[1]!)) for (const c of opts(dims[2]!)) {
      let sum = 0;
      for (const [k, v] of Object.entries(data)) {
        const [x, y, z] = k.split('|');
        if ((a === TOTAL || a === x) && (b === TOTAL || b === y) && (c === TOTAL || c === z)) sum += v;
      }
      if (sum) values.set(cellKey([a, b, c]), sum);
    }
    const hidden = suppressTable(values, dims, 5);
    expect(hidden.get(cellKey(['f', '0-11', 'HND']))).toBe('primary');
    // Every line through the primary cell has a second hidden member.
    for (const line of [cellKey(['f', '0-11', 'GTM']), cellKey(['f', '18-29', 'HND']), cellKey(['m', '0-11', 'HND'])]) void line;
    const lineThrough = (d: number) => [...dims[d]!, TOTAL].map((v) => { const c = ['f', '0-11', 'HND']; c[d] = v; return cellKey(c); });
    for (const d of [0, 1, 2]) expect(lineThrough(d).filter((k) => hidden.has(k)).length).toBeGreaterThanOrEqual(2);
  });
});

describe('age bands and periods', () => {
  it('builds bands from lower bounds and floors ages to cut points', () => {
    expect(ageBands([0, 12, 18, 30, 60]).map((b) => b.label)).toEqual(['0-11', '12-17', '18-29', '30-59', '60+']);
    expect(ageBands([0, 18]).map((b) => b.label)).toEqual(['0-17', '18+']);
    expect([ageFloor(11), ageFloor(12), ageFloor(17), ageFloor(18), ageFloor(59), ageFloor(60), ageFloor(null)]).toEqual([10, 12, 15, 18, 55, 60, -1]);
  });
  it('resolves periods and the previous period of equal length', () => {
    expect(resolvePeriod({ period: '2019-Q2' })).toEqual({ from: '2019-04-01', to: '2019-06-30' });
    expect(resolvePeriod({ period: '2019-02' })).toEqual({ from: '2019-02-01', to: '2019-02-28' });
    expect(previousPeriod({ from: '2018-06-01', to: '2019-05-31' })).toEqual({ from: '2017-06-01', to: '2018-05-31' });
    expect(previousPeriod({ from: '2019-03-10', to: '2019-03-19' })).toEqual({ from: '2019-02-28', to: '2019-03-09' });
  });
  it('covers whole months with the fewest buckets', () => {
    const cover = (from: string, to: string) => bucketCover(from, to).map((b) => `${b.kind}:${b.start.slice(0, 7)}`);
    expect(cover('2018-06-01', '2019-05-31')).toEqual(['m:2018-06', 'q:2018-07', 'q:2018-10', 'q:2019-01', 'm:2019-04', 'm:2019-05']);
    expect(cover('2018-01-01', '2019-12-31')).toEqual(['y:2018-01', 'y:2019-01']);
    expect(cover('2019-02-01', '2019-03-31')).toEqual(['m:2019-02', 'm:2019-03']);
    expect(cover('2018-11-01', '2020-01-31')).toEqual(['m:2018-11', 'm:2018-12', 'y:2019-01', 'm:2020-01']);
  });
  it('computes CRC-32 like zlib', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

let server: TestServer;
let parent: { id: string; code: string };
let child: { id: string; code: string };
let other: { id: string; code: string };
let analyst: ApiClient;
let childAnalyst: ApiClient;
let caseworker: ApiClient;
let otherSupervisor: ApiClient;
const GIVEN = 'Zacarías Esperanza';

async function addPeopleAndServices(institutionId: string, code: string, count: number, options: { nationality: string; sex: 'male' | 'female'; born: string; services: number; on: string; programme?: string }) {
  const db = server.db;
  const caseId = randomUUID();
  await db.insertInto('cases').values({ id: caseId, institution_id: institutionId, folio: `${code}-${randomUUID().slice(0, 8)}`, programme: options.programme ?? 'health', status: 'open', closure_reason: null, opened_on: options.on, summary_enc: null, assigned_to: null, origin_referral_id: null, created_by: null }).execute();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    ids.push(id);
    await db.insertInto('people').values({ id, institution_id: institutionId, given_names: GIVEN, surname1: 'Íñiguez', sex: options.sex, date_of_birth: options.born, nationalities: [options.nationality], vulnerabilities: i % 3 === 0 ? ['pregnant'] : [] }).execute();
    await db.insertInto('case_participants').values({ institution_id: institutionId, case_id: caseId, person_id: id, role: 'direct_victim', relationship: null }).execute();
  }
  await db
    .insertInto('services')
    .values(ids.flatMap((id) => Array.from({ length: options.services }, (_, k) => ({ institution_id: institutionId, case_id: caseId, person_id: id, service_type: 'medical', provided_on: options.on.slice(0, 8) + String(1 + k).padStart(2, '0'), provider_unit: null }))))
    .execute();
  return { caseId, ids };
}

/** Every aggregate table, as stored, in a stable order. */
const AGGREGATES: Record<string, string[]> = {
  stat_services_monthly: ['month', 'institution_id', 'programme', 'service_type', 'sex', 'age_floor', 'nationality', 'n', 'ks'],
  stat_person_period: ['period_kind', 'period_start', 'institution_id', 'programme', 'person_id', 'first_on', 'services', 'sex', 'age_floor', 'nationality', 'single'],
  stat_people_cells: ['period_kind', 'period_start', 'institution_id', 'programme', 'sex', 'age_floor', 'nationality', 'n', 'ks'],
  stat_person_identity: ['person_id', 'root_id', 'sex', 'date_of_birth', 'estimated_age', 'age_estimated_on', 'nationality'],
  stat_people_firsts: ['programme', 'month', 'prev_month', 'sex', 'age_floor', 'nationality', 'n', 'ks'],
};
async function aggregateSnapshot(): Promise<Record<string, string[]>> {
  const entries = await Promise.all(
    Object.entries(AGGREGATES).map(async ([table, columns]) => [table, (await sql<{ row: string }>`select (${sql.join(columns.map((c) => sql.ref(c)))})::text as row from ${sql.table(table)} order by 1`.execute(server.db)).rows.map((r) => r.row)] as const),
  );
  return Object.fromEntries(entries);
}

/** The trigger-maintained aggregates equal a from-scratch recomputation from the records (stat_rebuild). */
async function aggregatesMatchRecords(): Promise<void> {
  const stored = await aggregateSnapshot();
  const bad = await sql<{ n: number }>`select (select count(*) from stat_services_monthly where n <= 0) + (select count(*) from stat_people_cells where n <= 0) + (select count(*) from stat_people_firsts where n <= 0) as n`.execute(server.db);
  expect(Number(bad.rows[0]!.n)).toBe(0);
  await sql`select stat_rebuild()`.execute(server.db);
  expect(stored).toEqual(await aggregateSnapshot());
}

beforeAll(async () => {
  server = await startTestServer();
  parent = await makeInstitution(server.db, { code: 'SSPARENT', name: 'Servicios de salud', type: 'state_agency', state_code: '25' });
  child = await makeInstitution(server.db, { code: 'SSCHILD', name: 'Unidad ambulatoria', type: 'state_agency', state_code: '25', unit_type: 'outpatient', parent_id: parent.id });
  other = await makeInstitution(server.db, { code: 'OTHER', name: 'Otra institución', type: 'shelter', state_code: '07' });
  analyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, parent.id, 'analyst')).email);
  childAnalyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, child.id, 'analyst')).email, undefined, 'en');
  caseworker = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, parent.id, 'caseworker')).email);
  otherSupervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, other.id, 'supervisor')).email);
  await addPeopleAndServices(parent.id, parent.code, 20, { nationality: 'HND', sex: 'female', born: '1990-01-01', services: 3, on: '2019-03-01' });
  await addPeopleAndServices(child.id, child.code, 12, { nationality: 'GTM', sex: 'male', born: '2005-06-15', services: 2, on: '2019-03-01' });
  await addPeopleAndServices(child.id, child.code, 2, { nationality: 'CUB', sex: 'female', born: '1950-01-01', services: 1, on: '2019-04-01' });
  await addPeopleAndServices(other.id, other.code, 30, { nationality: 'SLV', sex: 'male', born: '1980-01-01', services: 1, on: '2019-03-01' });
}, 120_000);
afterAll(async () => server.close());

/** A published figure about people: a multiple of 5 within 4 of the count (disclosure.ts). */
const roundedFrom = (published: number, count: number) => published % 5 === 0 && Math.abs(published - count) < 5;

describe('the statistics API', () => {
  it('counts people once and services every time, with margins, and suppresses small cells', async () => {
    const people = await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019&by=sex,nationality');
    expect(people.status).toBe(200);
    expect(people.body.source).toBe('aggregates');
    expect(roundedFrom(people.body.total.value, 34)).toBe(true);
    const services = await analyst.get('/api/v1/statistics/query?indicator=services_provided&period=2019&by=nationality');
    expect(roundedFrom(services.body.total.value, 20 * 3 + 12 * 2 + 2)).toBe(true);
    // CUB has 2 people: primary suppression; the smallest other nationality is hidden with it.
    const cub = people.body.cells.find((c: any) => c.key.nationality === 'CUB' && c.key.sex === null);
    expect(cub).toMatchObject({ value: null, suppressed: true, suppression: 'primary', percent: null });
    expect(people.body.cells.filter((c: any) => c.suppression === 'complementary').length).toBeGreaterThan(0);
    expect(people.body.cells.every((c: any) => c.value === null || c.value >= 5 || c.value === 0)).toBe(true);
  });

  it('gives the same figures from the aggregates and from the records, and subtotals add up', async () => {
    const fast = await analyst.get('/api/v1/statistics/query?indicator=services_provided&from=2019-03-01&to=2019-03-31&by=sex,age_group');
    const raw = await analyst.get('/api/v1/statistics/query?indicator=services_provided&from=2019-03-01&to=2019-03-30&by=sex,age_group');
    expect(fast.body.source).toBe('aggregates');
    expect(raw.body.source).toBe('records');
    const strip = (b: any) => b.cells.map((c: any) => [c.key, c.value]);
    expect(strip(fast.body)).toEqual(strip(raw.body));
    // Additive indicator: each margin is the sum of its line.
    const cells = fast.body.cells.filter((c: any) => c.key.sex !== null && c.key.age_group !== null && !c.suppressed);
    for (const sex of ['male', 'female']) {
      const margin = fast.body.cells.find((c: any) => c.key.sex === sex && c.key.age_group === null);
      const parts = fast.body.cells.filter((c: any) => c.key.sex === sex && c.key.age_group !== null);
      if (!margin.suppressed && parts.every((p: any) => !p.suppressed)) expect(parts.reduce((s: number, p: any) => s + p.value, 0)).toBe(margin.value);
    }
    expect(cells.length).toBeGreaterThan(0);
    const ageGroups = fast.body.dimensions.find((d: any) => d.key === 'age_group').values.map((v: any) => v.value);
    expect(ageGroups).toEqual(['12-17', '18-29']);
    const custom = await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019&by=age_group&age_bands=0,18');
    expect(custom.body.dimensions[0].values.map((v: any) => v.value)).toEqual(['0-17', '18+']);
  });

  it('opens on the last complete month with records in the analyst’s scope', async () => {
    const res = await analyst.get('/api/v1/statistics/default-period');
    expect(res.status).toBe(200);
    // Whatever other tests added: the latest month with services of the parent's tree, before this month.
    const latest = await sql<{ m: string }>`select max(month)::text as m from stat_services_monthly where institution_id in (${parent.id}::uuid, ${child.id}::uuid)`.execute(server.db);
    expect(res.body.period.from).toBe(latest.rows[0]!.m);
    expect(res.body.period.period).toBe(latest.rows[0]!.m.slice(0, 7));
    const none = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, (await makeInstitution(server.db)).id, 'analyst')).email);
    expect((await none.get('/api/v1/statistics/default-period')).body.period).toBeNull();
  });

  it('compares with the previous period', async () => {
    const res = await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019-03&compare=previous');
    expect(res.body.previous_period).toEqual({ from: '2019-02-01', to: '2019-02-28' });
    expect(res.body.total).toMatchObject({ previous: 0, change: res.body.total.value });
    expect(roundedFrom(res.body.total.value, 32)).toBe(true);
  });

  it('keeps each analyst to their institution and its children', async () => {
    const own = await childAnalyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019');
    expect(roundedFrom(own.body.total.value, 14)).toBe(true);
    const parentView = await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019&by=institution');
    expect(parentView.body.dimensions[0].values.map((v: any) => v.value).sort()).toEqual(['SSCHILD', 'SSPARENT']);
    const outside = await childAnalyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019&institution=SSPARENT');
    expect(outside.status).toBe(400);
    expect(outside.body.code).toBe('statistics_unknown_institution');
    const supervisor = await otherSupervisor.get('/api/v1/statistics/query?indicator=people_attended&period=2019');
    expect(supervisor.body.total.value).toBe(30);
    expect((await caseworker.get('/api/v1/statistics/query?indicator=people_attended&period=2019')).status).toBe(403);
    expect((await caseworker.get('/api/v1/statistics/report?period=2019')).status).toBe(403);
  });

  it('never returns names or free text, and cells of one are always hidden', async () => {
    const responses = [
      await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019&by=sex,nationality,vulnerability'),
      await analyst.get('/api/v1/statistics/query?indicator=victims_in_case_files&period=2019&by=age_group,sex,nationality'),
      await analyst.get('/api/v1/statistics/export?indicator=people_attended&period=2019&by=sex,nationality&format=csv'),
      await analyst.get('/api/v1/statistics/export?indicator=people_attended&period=2019&by=institution&format=json'),
      await analyst.get('/api/v1/statistics/report?period=2019'),
      await analyst.get('/api/v1/statistics/indicators'),
    ];
    for (const r of responses) {
      expect(r.status).toBe(200);
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      expect(text).not.toContain('Zacarías');
      expect(text).not.toContain('Íñiguez');
    }
    const one = await analyst.get('/api/v1/statistics/query?indicator=people_attended&from=2019-04-01&to=2019-04-30&by=nationality&min_cell=5');
    for (const c of [one.body.total, ...one.body.cells]) if (c.value !== null) expect(c.value === 0 || c.value >= 5).toBe(true);
    expect((await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019&min_cell=1')).body.code).toBe('statistics_min_cell_too_low');
  });

  it('refuses bad input with codes and translated messages', async () => {
    const cases: [string, string][] = [
      ['indicator=nope&period=2019', 'statistics_unknown_indicator'],
      ['indicator=people_attended&period=2019&by=shoe_size', 'statistics_unknown_dimension'],
      ['indicator=case_files_opened&period=2019&by=sex', 'statistics_dimension_not_supported'],
      ['indicator=people_attended&period=2019&by=sex,nationality,state,programme', 'statistics_too_many_dimensions'],
      ['indicator=people_attended&from=2019-05-01&to=2019-04-01', 'statistics_invalid_period'],
      ['indicator=people_attended&from=2019-02-30&to=2019-04-01', 'statistics_invalid_period'],
      ['indicator=people_attended&period=2999', 'statistics_future_period'],
      ['indicator=people_attended&period=2019&by=age_group&age_bands=0,13', 'statistics_invalid_age_bands'],
      ['indicator=people_attended&period=2019&programme=astrology', 'statistics_unknown_programme'],
    ];
    for (const [query, code] of cases) {
      const res = await analyst.get(`/api/v1/statistics/query?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.message.length).toBeGreaterThan(10);
    }
    const en = await childAnalyst.get('/api/v1/statistics/query?indicator=people_attended&period=2999');
    expect(en.body.message).toMatch(/future/);
    expect((await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2019&unknown=1')).status).toBe(400);
    // An empty period is not an error: zero, said plainly.
    const empty = await analyst.get('/api/v1/statistics/query?indicator=people_attended&period=2001&by=sex');
    expect(empty.status).toBe(200);
    expect(empty.body.total.value).toBe(0);
  });

  it('exports CSV and XLSX with an HXL hashtag row', async () => {
    const csv = await analyst.get('/api/v1/statistics/export?indicator=people_attended&period=2019&by=sex,age_children,state&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[1]).toContain('#date +start');
    expect(lines[1]).toContain('#adm1 +code');
    expect(lines[1]).toContain('#reached +f +children');
    expect(lines[1]).toContain('#reached +m +adults');
    const sinaloa = lines.find((l) => l.startsWith('2019-01-01,2019-12-31,people_attended,25,'));
    expect(sinaloa).toBeDefined();

    const xlsx = await fetch(`${server.baseUrl}/api/v1/statistics/export?indicator=people_attended&period=2019&by=sex,nationality&format=xlsx`, { headers: { cookie: (analyst as any).cookie } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-xlsx-'));
    const file = path.join(dir, 'table.xlsx');
    fs.writeFileSync(file, bytes);
    try {
      const listing = execFileSync('unzip', ['-l', file]).toString();
      for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']) expect(listing).toContain(part);
      execFileSync('unzip', ['-tq', file]);
      const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml']).toString();
      expect(sheet).toContain('#country +code +nationality');
      expect(sheet).toContain('#reached +f');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('audits every query with the indicator and dimensions, and no personal data', async () => {
    const audited = () => server.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'statistics.queried').orderBy('id', 'desc').execute();
    const before = (await audited()).length;
    await analyst.get('/api/v1/statistics/query?indicator=services_provided&period=2019&by=sex,age_group');
    const rows = await audited();
    // One entry per query, whichever tests ran before this one.
    expect(rows.length).toBe(before + 1);
    expect(rows[0]!.detail).toMatchObject({ indicator: 'services_provided', dimensions: ['sex', 'age_group'], from: '2019-01-01', to: '2019-12-31' });
    expect(JSON.stringify(rows)).not.toContain('Zacarías');
  });
});

describe('the aggregates', () => {
  // Institutions of their own: these tests add people and services, which must not change the
  // figures the API tests above expect, whichever order the tests run in.
  let parent: { id: string; code: string };
  let child: { id: string; code: string };
  let other: { id: string; code: string };
  let analyst: ApiClient;
  beforeAll(async () => {
    parent = await makeInstitution(server.db, { code: 'AGPARENT', name: 'Servicios de salud (agregados)', type: 'state_agency', state_code: '25' });
    child = await makeInstitution(server.db, { code: 'AGCHILD', name: 'Unidad ambulatoria (agregados)', type: 'state_agency', state_code: '25', unit_type: 'outpatient', parent_id: parent.id });
    other = await makeInstitution(server.db, { code: 'AGOTHER', name: 'Otra institución (agregados)', type: 'shelter', state_code: '07' });
    analyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, parent.id, 'analyst')).email);
  });

  it('always equal a recomputation from the records, after inserts, edits and deletions', async () => {
    const db = server.db;
    await aggregatesMatchRecords();
    const { caseId, ids } = await addPeopleAndServices(other.id, other.code, 3, { nationality: 'VEN', sex: 'female', born: '2001-02-03', services: 2, on: '2019-05-01' });
    await aggregatesMatchRecords();
    // Edit a service: new day (another month), new type, another person.
    const one = await db.selectFrom('services').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    await db.updateTable('services').set({ provided_on: '2019-07-15', service_type: 'legal', person_id: ids[1]! }).where('id', '=', one.id).execute();
    await aggregatesMatchRecords();
    // A person's sex, birth date and nationality are corrected; another gets an estimated age.
    await db.updateTable('people').set({ sex: 'male', date_of_birth: '1960-01-01', nationalities: ['COL', 'VEN'] }).where('id', '=', ids[0]!).execute();
    await db.updateTable('people').set({ date_of_birth: null, estimated_age: 16, age_estimated_on: '2019-01-01' }).where('id', '=', ids[2]!).execute();
    await aggregatesMatchRecords();
    // The case moves to another programme.
    await db.updateTable('cases').set({ programme: 'mental_health' }).where('id', '=', caseId).execute();
    await aggregatesMatchRecords();
    // Deletions, one and all.
    await db.deleteFrom('services').where('id', '=', one.id).execute();
    await aggregatesMatchRecords();
    await db.deleteFrom('services').where('case_id', '=', caseId).execute();
    await aggregatesMatchRecords();
    const left = await db.selectFrom('stat_person_period').select('person_id').where('person_id', 'in', ids).execute();
    expect(left).toEqual([]);
  });

  it('follow merges of people, their undo and chains, and count a merged person once', async () => {
    const db = server.db;
    const platform = await makeInstitution(db, { code: 'STATPLAT', name: 'Estadística nacional', type: 'platform' });
    const national = await ApiClient.signIn(server.baseUrl, (await makeUser(db, platform.id, 'analyst')).email);
    const supervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(db, other.id, 'supervisor')).email);
    const on = '2019-08-01';
    const [a] = (await addPeopleAndServices(other.id, other.code, 1, { nationality: 'NIC', sex: 'female', born: '2003-05-05', services: 2, on })).ids;
    const [b] = (await addPeopleAndServices(other.id, other.code, 1, { nationality: 'HTI', sex: 'male', born: '1985-05-05', services: 1, on: '2019-08-05' })).ids;
    const [c] = (await addPeopleAndServices(other.id, other.code, 1, { nationality: 'CUB', sex: 'male', born: '1970-05-05', services: 1, on: '2019-08-07' })).ids;
    // Another institution attended A too (a referral): that service stays on A's record when OTHER merges.
    const parentCase = randomUUID();
    await db.insertInto('cases').values({ id: parentCase, institution_id: parent.id, folio: `SSP-${randomUUID().slice(0, 8)}`, programme: 'health', status: 'open', closure_reason: null, opened_on: on, summary_enc: null, assigned_to: null, origin_referral_id: null, created_by: null }).execute();
    await db.insertInto('services').values({ institution_id: parent.id, case_id: parentCase, person_id: a!, service_type: 'medical', provided_on: '2019-08-20', provider_unit: null }).execute();
    await aggregatesMatchRecords();

    // People attended in August, platform-wide, from the aggregates and (one day short: no service on
    // the 31st) from the records.
    const august = async () => {
      const fast = (await national.get('/api/v1/statistics/query?indicator=people_attended&period=2019-08&by=institution,sex&min_cell=5')).body;
      const raw = (await national.get('/api/v1/statistics/query?indicator=people_attended&from=2019-08-01&to=2019-08-30&by=institution,sex&min_cell=5')).body;
      expect(fast.source).toBe('aggregates');
      expect(raw.source).toBe('records');
      const strip = (t: any) => t.cells.map((x: any) => [x.key, x.value, x.suppressed]);
      expect(strip(fast)).toEqual(strip(raw));
      expect(fast.total.value).toEqual(raw.total.value);
      const rows = await sql<{ person_id: string; institution_id: string; sex: string; single: boolean }>`
        select person_id, institution_id, sex, single from stat_person_period where period_kind = 'm' and period_start = '2019-08-01' and person_id = any(${[a, b, c]}::uuid[]) order by person_id, institution_id`.execute(db);
      return rows.rows;
    };
    const before = await august();
    expect(before.filter((r) => r.person_id === a)).toHaveLength(2);
    expect(before.filter((r) => r.person_id === a).every((r) => !r.single && r.sex === 'female')).toBe(true);

    // A merged into B: OTHER's services of A move to B; PARENT's service still names A, but counts for B.
    const merge = await supervisor.post('/api/v1/people/merges', { survivor_id: b, duplicate_id: a, reason: 'Misma persona, registrada dos veces' });
    expect(merge.status, JSON.stringify(merge.body)).toBe(201);
    await aggregatesMatchRecords();
    const merged = await august();
    expect(merged.some((r) => r.person_id === a)).toBe(false);
    expect(merged.filter((r) => r.person_id === b).map((r) => [r.institution_id, r.sex, r.single])).toEqual(
      [[other.id, 'male', false], [parent.id, 'male', false]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    const identity = await sql<{ root_id: string; nationality: string }>`select root_id, nationality from stat_person_identity where person_id = ${a}`.execute(db);
    expect(identity.rows).toEqual([{ root_id: b, nationality: 'HTI' }]);

    // Undo: back as before.
    const undo = await supervisor.post(`/api/v1/people/merges/${merge.body.id}/undo`, { reason: 'No era la misma persona' });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    await aggregatesMatchRecords();
    expect(await august()).toEqual(before);

    // A chain: A into B, then B into C. A's remaining service counts for C, with C's attributes.
    expect((await supervisor.post('/api/v1/people/merges', { survivor_id: b, duplicate_id: a, reason: 'Misma persona' })).status).toBe(201);
    expect((await supervisor.post('/api/v1/people/merges', { survivor_id: c, duplicate_id: b, reason: 'Misma persona' })).status).toBe(201);
    await aggregatesMatchRecords();
    const chained = await august();
    expect(new Set(chained.map((r) => r.person_id))).toEqual(new Set([c]));
    expect((await sql<{ root_id: string }>`select root_id from stat_person_identity where person_id = ${a}`.execute(db)).rows).toEqual([{ root_id: c }]);

    // The survivor's record is corrected: every service of the chain moves with it.
    await db.updateTable('people').set({ sex: 'female', date_of_birth: '2010-01-01', nationalities: ['SLV'] }).where('id', '=', c!).execute();
    await aggregatesMatchRecords();
    expect((await august()).every((r) => r.sex === 'female')).toBe(true);
    // Deleting the referral's service leaves C with one institution: one cell again.
    await db.deleteFrom('services').where('case_id', '=', parentCase).execute();
    await aggregatesMatchRecords();
    expect((await august()).map((r) => r.single)).toEqual([true]);
    // A notes-only edit of a service moves nothing.
    await db.updateTable('services').set({ provider_unit: 'Consultorio 2' }).where('person_id', '=', c!).execute();
    await aggregatesMatchRecords();
  });

  it('stay exact when two transactions add services of the same person at once', async () => {
    const db = server.db;
    const { caseId, ids } = await addPeopleAndServices(other.id, other.code, 1, { nationality: 'COL', sex: 'male', born: '1999-09-09', services: 1, on: '2019-09-01' });
    const service = (month: string, type: string) => ({ institution_id: other.id, case_id: caseId, person_id: ids[0]!, service_type: type, provided_on: `2019-${month}-03`, provider_unit: null });
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    // Different months and types: no common cell of stat_services_monthly to wait on; the same
    // person-year row of stat_person_period.
    const first = db.transaction().execute(async (trx) => {
      await trx.insertInto('services').values(service('10', 'medical')).execute();
      firstInserted();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    const second = (async () => {
      await inserted;
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('services').values(service('11', 'legal')).execute();
      });
    })();
    await Promise.all([first, second]);
    await aggregatesMatchRecords();
    const year = await sql<{ services: number }>`select services from stat_person_period where person_id = ${ids[0]} and period_kind = 'y'`.execute(db);
    expect(year.rows).toEqual([{ services: 3 }]);
  });

  it('count people once over any whole months, exactly as from the records', async () => {
    // Month-aligned ranges that are no single bucket are answered from the covering buckets' rows.
    // Someone attended by two institutions, 17 at the first (February) and 18 at the second (April):
    // one age, the one at her first service of the period, in every table (issue 18).
    const [twice] = (await addPeopleAndServices(child.id, child.code, 1, { nationality: 'ECU', sex: 'female', born: '2001-03-15', services: 1, on: '2019-02-01' })).ids;
    const otherCase = randomUUID();
    await server.db.insertInto('cases').values({ id: otherCase, institution_id: parent.id, folio: `SSP-${randomUUID().slice(0, 8)}`, programme: 'mental_health', status: 'open', closure_reason: null, opened_on: '2019-04-01', summary_enc: null, assigned_to: null, origin_referral_id: null, created_by: null }).execute();
    await server.db.insertInto('services').values({ institution_id: parent.id, case_id: otherCase, person_id: twice!, service_type: 'legal', provided_on: '2019-04-02', provider_unit: null }).execute();
    await aggregatesMatchRecords();
    for (const [from, to, toRaw] of [
      ['2019-02-01', '2019-05-31', '2019-05-30'],
      ['2018-11-01', '2019-08-31', '2019-08-30'],
      ['2019-03-01', '2019-04-30', '2019-04-29'],
    ] as const) {
      for (const by of ['sex,age_group,nationality', 'institution,age_children', 'programme,age_group', '']) {
        const fast = (await analyst.get(`/api/v1/statistics/query?indicator=people_attended&from=${from}&to=${to}${by ? `&by=${by}` : ''}`)).body;
        const raw = (await analyst.get(`/api/v1/statistics/query?indicator=people_attended&from=${from}&to=${toRaw}${by ? `&by=${by}` : ''}`)).body;
        expect([fast.source, raw.source]).toEqual(['aggregates', 'records']);
        expect(fast.cells.map((x: any) => [x.key, x.value])).toEqual(raw.cells.map((x: any) => [x.key, x.value]));
        expect(fast.total.value).toBe(raw.total.value);
      }
    }
    const ages = (await analyst.get('/api/v1/statistics/query?indicator=people_attended&from=2019-02-01&to=2019-04-30&by=age_group,nationality&min_cell=5')).body;
    const ecu = (age: string | null) => ages.cells.find((x: any) => x.key.nationality === 'ECU' && x.key.age_group === age);
    expect([ecu('12-17')?.suppression, ecu('18-29'), ecu(null)?.suppression]).toEqual(['primary', undefined, 'primary']);
    const exact = await computeCube(server.db, indicatorByKey.get('people_attended')!, ['age_group', 'nationality'], ageBands([0, 12, 18, 30, 60]), {
      from: '2019-02-01',
      to: '2019-04-30',
      institutions: () => sql`true`,
      programme: () => sql`true`,
      wholePlatform: true,
      programmeFilter: null,
    });
    const value = (age: string) => exact.cells.find((x) => x.coords[0] === age && x.coords[1] === 'ECU')?.value;
    expect([value('12-17'), value('18-29'), value(TOTAL)]).toEqual([1, undefined, 1]);
  });

  it('count people attended by several institutions, programmes and states once over any whole months, platform-wide, by their first month', async () => {
    // People who move: a shelter in one state, a health unit in another, then a third institution
    // under another programme, in different months; one of them turns 18 between two services.
    const db = server.db;
    const platform = await makeInstitution(db, { type: 'platform' });
    const national = await ApiClient.signIn(server.baseUrl, (await makeUser(db, platform.id, 'analyst')).email);
    const movers = (await addPeopleAndServices(other.id, other.code, 3, { nationality: 'VEN', sex: 'female', born: '2001-07-10', services: 2, on: '2019-06-01', programme: 'shelter' })).ids;
    const addService = async (institutionId: string, programme: string, person: string, on: string) => {
      const caseId = randomUUID();
      await db.insertInto('cases').values({ id: caseId, institution_id: institutionId, folio: `MOV-${randomUUID().slice(0, 8)}`, programme, status: 'open', closure_reason: null, opened_on: on, summary_enc: null, assigned_to: null, origin_referral_id: null, created_by: null }).execute();
      await db.insertInto('services').values({ institution_id: institutionId, case_id: caseId, person_id: person, service_type: 'medical', provided_on: on, provider_unit: null }).execute();
    };
    await addService(child.id, 'health', movers[0]!, '2019-07-15');
    await addService(parent.id, 'legal_aid', movers[0]!, '2019-09-02');
    await addService(child.id, 'health', movers[1]!, '2019-06-20');
    await addService(parent.id, 'health', movers[2]!, '2018-12-05');
    await aggregatesMatchRecords();
    const strip = (t: any) => [t.cells.map((x: any) => [x.key, x.value, x.suppressed]), t.total.value];
    for (const [from, to, toRaw] of [
      ['2019-06-01', '2019-09-30', '2019-09-29'],
      ['2018-12-01', '2019-07-31', '2019-07-30'],
      ['2019-07-01', '2019-12-31', '2019-12-30'],
      ['2018-06-01', '2019-05-31', '2019-05-30'],
    ] as const) {
      for (const filter of ['', '&programme=health', '&programme=shelter']) {
        for (const by of ['sex,age_group,nationality', 'age_children,region', '']) {
          const query = `indicator=people_attended${filter}${by ? `&by=${by}` : ''}&min_cell=5`;
          const fast = (await national.get(`/api/v1/statistics/query?${query}&from=${from}&to=${to}`)).body;
          const raw = (await national.get(`/api/v1/statistics/query?${query}&from=${from}&to=${toRaw}`)).body;
          expect([fast.source, raw.source]).toEqual(['aggregates', 'records']);
          expect(strip(fast), `${from} ${to} ${query}`).toEqual(strip(raw));
        }
      }
    }
    // Exact counts: each mover once in June–September, with the age at her first service of the range.
    const bands = ageBands([0, 12, 18, 30, 60]);
    const exact = async (from: string, to: string, programme: string | null) =>
      (await computeCube(db, indicatorByKey.get('people_attended')!, ['nationality', 'age_group'], bands, { from, to, institutions: () => sql`true`, programme: (c) => (programme ? sql`${sql.ref(c)} = ${programme}` : sql`true`), wholePlatform: true, programmeFilter: programme })).cells;
    const ven = (cells: RawCell[], age: string) => cells.find((c) => c.coords[0] === 'VEN' && c.coords[1] === age)?.value;
    const juneToSeptember = await exact('2019-06-01', '2019-09-30', null);
    expect([ven(juneToSeptember, '12-17'), ven(juneToSeptember, '18-29'), ven(juneToSeptember, TOTAL)]).toEqual([3, undefined, 3]);
    // From August only mover 0 is attended (legal aid, in September), by then 18.
    const fromAugust = await exact('2019-08-01', '2019-12-31', null);
    expect([ven(fromAugust, '12-17'), ven(fromAugust, '18-29')]).toEqual([undefined, 1]);
    expect(ven(await exact('2018-12-01', '2019-12-31', 'health'), TOTAL)).toBe(3);
    // A mover's services deleted: her first months go with them.
    await db.deleteFrom('services').where('person_id', '=', movers[1]!).execute();
    await aggregatesMatchRecords();
    expect(ven(await exact('2019-06-01', '2019-09-30', null), TOTAL)).toBe(2);
  });

  it('use the same age cut points as the SQL functions', async () => {
    const rows = await sql<{ a: number; f: number }>`select a, amparo_age_floor(a::smallint) as f from generate_series(0, 100) a`.execute(server.db);
    for (const r of rows.rows) expect(r.f).toBe(ageFloor(r.a));
    expect(AGE_CUT_POINTS.length).toBe(20);
  });
});
