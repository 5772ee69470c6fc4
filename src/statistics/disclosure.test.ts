import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { ageBands, DEFAULT_AGE_BANDS, type DimensionKey } from './dimensions.ts';
import { baseContext, computeCube, resolveFilters, type RawCell } from './query.ts';
import { indicatorByKey } from './indicators.ts';
import { cellKey, TOTAL } from '../platform/disclosure/suppression.ts';
import { discloseTable, drawFromKey, roundedCount } from '../platform/disclosure/disclosure.ts';

/**
 * Issue 18: one age per person in every table, and no pair of queries that isolates fewer than 5
 * people, dashboards included. The world: a federal unit (FED) and its shelter (ALB), people who
 * cross the ages of 12 and 18 during 2025 and move between the two, and one man first attended on
 * 7 October 2025, the person the reviewer's differencing attack singled out.
 */
let server: TestServer;
let fed: { id: string; code: string };
let alb: { id: string; code: string };
let analyst: ApiClient;
let admin: ApiClient;
let caseworker: ApiClient;
let caseworkerId: string;

type Person = { sex: string; born: string | null; estimated?: [number, string]; nationality: string | null };
async function attend(person: Person, visits: { institution: { id: string; code: string }; on: string; programme?: string; type?: string; victim?: boolean }[]) {
  const db = server.db;
  const id = randomUUID();
  await db
    .insertInto('people')
    .values({ id, institution_id: visits[0]!.institution.id, given_names: 'Persona', surname1: 'Prueba', sex: person.sex as 'female', date_of_birth: person.born, estimated_age: person.estimated?.[0] ?? null, age_estimated_on: person.estimated?.[1] ?? null, nationalities: person.nationality ? [person.nationality] : [] })
    .execute();
  for (const visit of visits) {
    const caseId = randomUUID();
    await db.insertInto('cases').values({ id: caseId, institution_id: visit.institution.id, folio: `${visit.institution.code}-${caseId.slice(0, 8)}`, programme: visit.programme ?? 'victim_assistance', status: 'open', closure_reason: null, opened_on: visit.on, summary_enc: null, assigned_to: null, origin_referral_id: null, created_by: null }).execute();
    await db.insertInto('case_participants').values({ institution_id: visit.institution.id, case_id: caseId, person_id: id, role: visit.victim === false ? 'family_member' : 'direct_victim', relationship: null }).execute();
    await db.insertInto('services').values({ institution_id: visit.institution.id, case_id: caseId, person_id: id, service_type: visit.type ?? 'social_work', provided_on: visit.on, provider_unit: null }).execute();
  }
  return id;
}

beforeAll(async () => {
  server = await startTestServer();
  fed = await makeInstitution(server.db, { code: 'FEDU', name: 'Unidad federal', type: 'federal_agency', state_code: '09', unit_type: 'office' });
  alb = await makeInstitution(server.db, { code: 'ALBT', name: 'Albergue', type: 'shelter', state_code: '07', unit_type: 'residential', parent_id: fed.id });
  const nationalities = ['HND', 'GTM', 'SLV', 'NIC', 'HTI', 'VEN', null];
  // Many people, so that most cells are shown: adults, children crossing 12 and 18 during the year,
  // people with only an estimated age or none, about a third attended by both institutions.
  for (let i = 0; i < 120; i++) {
    const born = i % 9 === 0 ? null : i % 4 === 0 ? `2007-${String(1 + (i % 12)).padStart(2, '0')}-15` : i % 7 === 0 ? `2013-0${1 + (i % 9)}-10` : `19${70 + (i % 25)}-05-0${1 + (i % 8)}`;
    const person: Person = { sex: i % 3 === 0 ? 'female' : i % 17 === 0 ? 'unknown' : 'male', born, nationality: nationalities[i % nationalities.length]!, ...(born === null && i % 2 === 0 ? { estimated: [17, '2024-12-01'] as [number, string] } : {}) };
    const month = 1 + (i % 9);
    const first = { institution: i % 2 ? alb : fed, on: `2025-${String(month).padStart(2, '0')}-1${i % 10}`, programme: i % 5 === 0 ? 'health' : 'victim_assistance' };
    const visits = i % 3 === 0 ? [first, { institution: i % 2 ? fed : alb, on: `2025-${String(month + 2).padStart(2, '0')}-2${i % 8}`, type: 'legal' }] : [first];
    await attend(person, visits);
  }
  // The reviewer's girl: 17 at the shelter in March, 18 at the federal unit in September.
  await attend({ sex: 'female', born: '2007-06-15', nationality: 'BLZ' }, [{ institution: alb, on: '2025-03-10' }, { institution: fed, on: '2025-09-20' }]);
  // The man first attended on 7 October: the only person whose first service falls on that day.
  await attend({ sex: 'male', born: '1990-02-01', nationality: 'HND' }, [{ institution: fed, on: '2025-10-07' }]);

  analyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, fed.id, 'analyst')).email);
  admin = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, alb.id, 'administrator')).email);
  const cw = await makeUser(server.db, alb.id, 'caseworker');
  caseworkerId = cw.id;
  caseworker = await ApiClient.signIn(server.baseUrl, cw.email);
}, 120_000);
afterAll(async () => server?.close());

async function exactCube(indicator: string, by: DimensionKey[], range: { from: string; to: string }, filters: { institution?: string; programme?: string } = {}, bounds = DEFAULT_AGE_BANDS): Promise<RawCell[]> {
  const resolved = await resolveFilters(server.db, { institutionIds: null }, filters);
  return (await computeCube(server.db, indicatorByKey.get(indicator)!, by, ageBands(bounds), baseContext(range, resolved))).cells;
}

describe('one age per person per cell', () => {
  // Aggregates (a year, a quarter), covering buckets (whole months) and the records (any days).
  const ranges = [
    { from: '2025-01-01', to: '2025-12-31' },
    { from: '2025-07-01', to: '2025-09-30' },
    { from: '2025-02-01', to: '2025-11-30' },
    { from: '2025-01-01', to: '2025-10-06' },
    { from: '2025-03-05', to: '2025-09-25' },
  ];
  const personDimensions: DimensionKey[] = ['sex', 'age_group', 'age_children', 'nationality', 'region'];

  for (const indicator of ['people_attended', 'victims_in_case_files']) {
    it(`${indicator}: every disaggregation by the person's attributes adds up to the total, on every path`, async () => {
      const problems: string[] = [];
      for (const range of ranges) {
        for (const dim of personDimensions) {
          for (const second of [null, 'institution', 'programme'] as const) {
            const by = second ? [dim, second as DimensionKey] : [dim];
            const cells = await exactCube(indicator, by, range);
            // For the total and for each value of the second dimension: the cells of dim add up to its margin.
            const margins = cells.filter((c) => c.coords[0] === TOTAL);
            for (const margin of margins) {
              const parts = cells.filter((c) => c.coords[0] !== TOTAL && c.coords.slice(1).join() === margin.coords.slice(1).join());
              const sum = parts.reduce((s, c) => s + c.value, 0);
              if (sum !== margin.value) problems.push(`${range.from}..${range.to} by ${by.join(',')} at ${margin.coords.join('/')}: cells ${sum} ≠ margin ${margin.value}`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('counts the girl as a child at both institutions over a period that starts when she was 17', async () => {
    const at = (cells: RawCell[], coords: string) => cells.find((c) => c.coords.join('/') === coords)?.value;
    const year = await exactCube('people_attended', ['age_children', 'institution', 'nationality'], { from: '2025-01-01', to: '2025-12-31' });
    expect([at(year, `children/${fed.code}/BLZ`), at(year, `children/${alb.code}/BLZ`), at(year, `adults/${fed.code}/BLZ`), at(year, `${TOTAL}/${TOTAL}/BLZ`)]).toEqual([1, 1, undefined, 1]);
    const september = await exactCube('people_attended', ['age_children', 'institution', 'nationality'], { from: '2025-09-01', to: '2025-09-30' });
    expect([at(september, `adults/${fed.code}/BLZ`), at(september, `children/${fed.code}/BLZ`)]).toEqual([1, undefined]);
  });
});

type Table = { by: string[]; total: { value: number | null; suppressed: boolean }; cells: { key: Record<string, string | null>; value: number | null; suppressed: boolean }[] };

describe('differencing', () => {
  const query = async (params: string): Promise<Table> => {
    const res = await analyst.get(`/api/v1/statistics/query?${params}`);
    expect(res.status, `${params}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
    return res.body as Table;
  };
  const shown = (t: Table) => {
    const out = new Map<string, number>();
    for (const c of [t.total, ...t.cells] as Table['cells']) if (!c.suppressed && c.value !== null) out.set(JSON.stringify(c.key ?? {}), c.value);
    return out;
  };

  it('the reviewer’s attack works on the counts and isolates nobody in what is published', async () => {
    // Without disclosure control the two ranges differ by exactly the man of 7 October.
    const before = await exactCube('people_attended', ['sex', 'nationality'], { from: '2025-01-01', to: '2025-10-06' });
    const after = await exactCube('people_attended', ['sex', 'nationality'], { from: '2025-01-01', to: '2025-10-07' });
    const exactValue = (cells: RawCell[], coords: string[]) => cells.find((c) => c.coords.join() === coords.join())?.value ?? 0;
    expect(exactValue(after, ['male', 'HND']) - exactValue(before, ['male', 'HND'])).toBe(1);
    expect(exactValue(after, [TOTAL, TOTAL]) - exactValue(before, [TOTAL, TOTAL])).toBe(1);
    expect(exactValue(before, ['male', 'HND'])).toBeGreaterThanOrEqual(5);
  });

  it('no pair of queries (adjacent, overlapping, complementary filters, other age bands) differs by 1 to 4 in any cell', async () => {
    const periods = [
      'from=2025-01-01&to=2025-10-06',
      'from=2025-01-01&to=2025-10-07',
      'from=2025-01-02&to=2025-10-07',
      'from=2025-03-01&to=2025-10-07',
      'from=2025-01-01&to=2025-09-30',
      'from=2025-01-01&to=2025-10-31',
      'period=2025',
      'period=2025-Q3',
      'period=2025-09',
      'from=2025-09-01&to=2025-09-29',
    ];
    const filters = ['', '&institution=FEDU', '&institution=ALBT', '&programme=victim_assistance', '&programme=health'];
    const tables = [
      { indicator: 'people_attended', by: 'sex,nationality' },
      { indicator: 'people_attended', by: 'age_group,sex' },
      { indicator: 'people_attended', by: 'institution,age_children' },
      { indicator: 'services_provided', by: 'service_type,sex' },
      { indicator: 'victims_in_case_files', by: 'nationality' },
      { indicator: 'case_files_opened', by: 'programme' },
    ];
    let pairs = 0;
    let cellsCompared = 0;
    const isolating: string[] = [];
    for (const t of tables) {
      const answers: { label: string; values: Map<string, number> }[] = [];
      for (const p of periods) for (const f of filters) answers.push({ label: `${t.indicator} by ${t.by} ${p}${f}`, values: shown(await query(`indicator=${t.indicator}&by=${t.by}&${p}${f}`)) });
      for (let i = 0; i < answers.length; i++) {
        for (let j = i + 1; j < answers.length; j++) {
          pairs++;
          for (const [key, a] of answers[i]!.values) {
            const b = answers[j]!.values.get(key) ?? (answers[j]!.values.size ? 0 : undefined);
            if (b === undefined) continue;
            cellsCompared++;
            const d = Math.abs(a - b);
            if (d > 0 && d < 5) isolating.push(`${answers[i]!.label} vs ${answers[j]!.label} at ${key}: ${a} vs ${b}`);
          }
        }
      }
    }
    // Other age bands: adults as one band and as the sum of three.
    for (const p of periods) {
      const wide = await query(`indicator=people_attended&by=age_group&age_bands=0,18&${p}`);
      const fine = await query(`indicator=people_attended&by=age_group&${p}`);
      const adults = wide.cells.find((c) => c.key.age_group === '18+');
      const parts = fine.cells.filter((c) => ['18-29', '30-59', '60+'].includes(c.key.age_group ?? ''));
      if (adults && !adults.suppressed && parts.every((c) => !c.suppressed)) {
        const d = Math.abs(adults.value! - parts.reduce((s, c) => s + c.value!, 0));
        if (d > 0 && d < 5) isolating.push(`age bands ${p}: ${d}`);
      }
    }
    expect(pairs).toBeGreaterThan(1000);
    expect(cellsCompared).toBeGreaterThan(10_000);
    expect(isolating).toEqual([]);
  }, 120_000);

  it('gives the same figure for the same people however they are asked for, and every time', async () => {
    const a = await query('indicator=people_attended&by=sex&from=2025-01-01&to=2025-10-07');
    const b = await query('indicator=people_attended&by=sex&from=2025-01-01&to=2025-10-07');
    expect(b.cells).toEqual(a.cells);
    // The shelter's people: as a filter, and as a cell of the institution dimension.
    const filtered = await query('indicator=people_attended&period=2025&institution=ALBT');
    const byInstitution = await query('indicator=people_attended&period=2025&by=institution');
    expect(byInstitution.cells.find((c) => c.key.institution === 'ALBT')!.value).toBe(filtered.total.value);
    // A range with no one more (1 January had no service) gives the same published figures.
    const shifted = await query('indicator=people_attended&by=sex&from=2024-12-01&to=2025-10-07');
    expect(shifted.cells.map((c) => c.value)).toEqual(a.cells.map((c) => c.value));
  });

  it('rounds without bias: the draw from the cell key sends a remainder r up with probability r/5', () => {
    const draws = Array.from({ length: 20_000 }, (_, i) => drawFromKey((i * 2654435761) % 2 ** 48));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    const ups = draws.filter((_, i) => roundedCount(12, (i * 2654435761) % 2 ** 48) === 15).length / draws.length;
    expect(Math.abs(ups - 0.4)).toBeLessThan(0.02);
    expect(roundedCount(0, 12345)).toBe(0);
    expect(roundedCount(20, 999)).toBe(20);
    const table = discloseTable(new Map([[cellKey(['a']), { value: 3, key: 1 }], [cellKey(['b']), { value: 40, key: 2 }], [cellKey([TOTAL]), { value: 43, key: 3 }]]), [['a', 'b']]);
    expect(table.get(cellKey(['a']))).toEqual({ value: null, reason: 'primary' });
    expect(table.get(cellKey(['b']))!.reason).toBe('complementary');
  });
});

describe('dashboards', () => {
  it('show analysts and administrators the institution’s counts through disclosure control, and caseworkers their own work exactly', async () => {
    // One case opened to the caseworker this month: a count of one.
    const person = await attend({ sex: 'female', born: '1995-01-01', nationality: 'SLV' }, [{ institution: alb, on: new Date().toISOString().slice(0, 10) }]);
    const caseId = (await server.db.selectFrom('case_participants').select('case_id').where('person_id', '=', person).executeTakeFirstOrThrow()).case_id;
    await server.db.updateTable('cases').set({ assigned_to: caseworkerId, status: 'in_progress' }).where('id', '=', caseId).execute();

    const albAnalyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, alb.id, 'analyst')).email);
    for (const client of [albAnalyst, admin]) {
      const res = await client.get('/api/v1/dashboard');
      expect(res.status).toBe(200);
      expect(res.body.figures).toBe('controlled');
      expect(res.body.cases_by_status.in_progress).toBeNull();
      const figures = [res.body.services_this_month, res.body.pending_incoming_referrals, ...Object.values(res.body.cases_by_status), ...Object.values(res.body.cases_by_programme)] as (number | null)[];
      for (const n of figures) if (n !== null) expect(n % 5).toBe(0);
      expect(res.body.my_open_cases).toEqual([]);
    }
    const own = await caseworker.get('/api/v1/dashboard');
    expect(own.body).toMatchObject({ scope: 'own', figures: 'exact', cases_by_status: { in_progress: 1 }, services_this_month: 1 });
    expect(own.body).not.toHaveProperty('pending_incoming_referrals');
  });
});

