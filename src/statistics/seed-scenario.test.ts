import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { loadSeedScenario, SEED_FIGURES as F, SEED_PERIOD, type SeedScenario } from './seed-scenario.ts';
import { formatNumber } from './report.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { mxStates, countries } from './geography.ts';
import { baseContext, computeCube, resolveFilters } from './query.ts';
import { indicatorByKey } from './indicators.ts';
import { ageBands, DEFAULT_AGE_BANDS, type DimensionKey } from './dimensions.ts';
import { TOTAL } from '../platform/disclosure/suppression.ts';

/**
 * The seed's figures, counted from the scenario's records. The expected values come from the
 * generator (SEED_FIGURES): the counts (computeCube, exact) must equal them; what an analyst sees
 * of figures about people is the same count through disclosure control (rounded to a multiple of
 * 5 by the cell key), and the report states exactly what the analyst's queries give.
 */
let server: TestServer;
let analyst: ApiClient;
let scenario: SeedScenario;

beforeAll(async () => {
  server = await startTestServer();
  const platform = await makeInstitution(server.db, { code: 'PLATSTAT', name: 'Unidad nacional de estadística', type: 'platform' });
  const started = Date.now();
  scenario = await loadSeedScenario(server.db, server.cipher);
  console.log(`seed scenario loaded in ${Date.now() - started} ms`);
  analyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, platform.id, 'analyst')).email);
}, 600_000);
afterAll(async () => server.close());

const period = `from=${SEED_PERIOD.from}&to=${SEED_PERIOD.to}`;
const stripTags = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

async function total(indicator: string, institution: string, programme: string, by = ''): Promise<any> {
  const res = await analyst.get(`/api/v1/statistics/query?indicator=${indicator}&${period}&institution=${institution}&programme=${programme}${by ? `&by=${by}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const cell = (table: any, key: Record<string, string>) => table.cells.find((c: any) => Object.entries(key).every(([k, v]) => c.key[k] === v))?.value;

/** The exact counts, as the engine computes them before disclosure control: total and cells of one dimension. */
async function exact(indicator: string, institution: string, programme: string, by = ''): Promise<{ total: number; cells: Record<string, number> }> {
  const filters = await resolveFilters(server.db, { institutionIds: null }, { institution, programme });
  const dims = (by ? [by] : []) as DimensionKey[];
  const cube = await computeCube(server.db, indicatorByKey.get(indicator)!, dims, ageBands(DEFAULT_AGE_BANDS), baseContext(SEED_PERIOD, filters));
  const total = cube.cells.find((c) => c.coords.every((x) => x === TOTAL))?.value ?? 0;
  return { total, cells: Object.fromEntries(cube.cells.filter((c) => c.coords.length && c.coords[0] !== TOTAL).map((c) => [c.coords[0]!, c.value])) };
}
/** A published figure about people: a multiple of 5 within 4 of the count. */
const roundedFrom = (published: number, count: number) => published % 5 === 0 && Math.abs(published - count) < 5;

describe('the seed scenario, June 2018 to May 2019', () => {
  it('counts every figure of the seed from records', async () => {
    const c = scenario.codes;
    expect((await exact('case_files_opened', c.ceav, 'victim_assistance')).total).toBe(F.ceavCaseFiles);
    expect((await exact('victims_in_case_files', c.ceav, 'victim_assistance')).total).toBe(F.ceavVictims);
    expect(roundedFrom((await total('case_files_opened', c.ceav, 'victim_assistance')).total.value, F.ceavCaseFiles)).toBe(true);
    expect(roundedFrom((await total('victims_in_case_files', c.ceav, 'victim_assistance')).total.value, F.ceavVictims)).toBe(true);

    const units = await total('units_attending', c.conadic, 'addiction_treatment', 'unit_type');
    expect(units.total.value).toBe(F.addictionUnits);
    expect(cell(units, { unit_type: 'outpatient' })).toBe(F.addictionOutpatientUnits);
    expect(cell(units, { unit_type: 'residential' })).toBe(F.addictionResidentialUnits);
    expect((await total('units_attending_minors', c.conadic, 'addiction_treatment')).total.value).toBe(F.addictionUnitsWithMinors);
    const byState = await exact('people_attended', c.conadic, 'addiction_treatment', 'state');
    expect(byState.total).toBe(F.addictionPeople);
    expect(byState.cells['25']).toBe(F.addictionPeopleInSinaloa);
    const byStatePublished = await total('people_attended', c.conadic, 'addiction_treatment', 'state');
    expect(roundedFrom(byStatePublished.total.value, F.addictionPeople)).toBe(true);
    expect(roundedFrom(cell(byStatePublished, { state: '25' }), F.addictionPeopleInSinaloa)).toBe(true);
    const unitStates = await total('units_attending', c.conadic, 'addiction_treatment', 'state');
    expect(unitStates.dimensions[0].values.map((v: any) => v.value).sort()).toEqual([...F.addictionStates].sort());

    const drug = await exact('people_attended', c.cij, 'addiction_treatment', 'sex');
    expect([drug.total, drug.cells.male, drug.cells.female]).toEqual([F.drugUsers.men + F.drugUsers.women, F.drugUsers.men, F.drugUsers.women]);

    const mh = await exact('people_attended', c.sedesa, 'mental_health', 'sex');
    expect([mh.total, mh.cells.male, mh.cells.female]).toEqual([F.mentalHealth.men + F.mentalHealth.women, F.mentalHealth.men, F.mentalHealth.women]);
    const mhPublished = await total('people_attended', c.sedesa, 'mental_health', 'sex');
    expect(roundedFrom(cell(mhPublished, { sex: 'male' }), F.mentalHealth.men)).toBe(true);
    const nat = await exact('people_attended', c.sedesa, 'mental_health', 'nationality');
    for (const [code, n] of Object.entries(F.mentalHealthNationalities)) expect(nat.cells[code]).toBe(n);

    expect((await exact('case_files_opened', c.sre, 'women_support')).total).toBe(F.consularCases);
    expect((await total('outreach_events', c.sre, 'women_support')).total.value).toBe(F.outreachEvents);
    // Attendance counts people: exact in the records, published through disclosure control.
    expect((await exact('outreach_attendees', c.sre, 'women_support')).total).toBe(F.outreachAttendees);
    expect(roundedFrom((await total('outreach_attendees', c.sre, 'women_support')).total.value, F.outreachAttendees)).toBe(true);
    expect((await exact('family_reunifications', c.pfpnna, 'child_protection')).total).toBe(F.reunifications);
    expect(roundedFrom((await total('family_reunifications', c.pfpnna, 'child_protection')).total.value, F.reunifications)).toBe(true);
  });

  it('states each figure in the Spanish report in the seed’s style', async () => {
    const res = await analyst.get(`/api/v1/statistics/report?${period}&lang=es`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const text = stripTags(res.body as string);
    const P = 'De junio de 2018 a mayo de 2019';
    const pc = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;
    // Figures about people as the analyst's own queries publish them.
    const c = scenario.codes;
    const ceavFiles = (await total('case_files_opened', c.ceav, 'victim_assistance')).total.value;
    const ceavVictims = (await total('victims_in_case_files', c.ceav, 'victim_assistance')).total.value;
    const byState = await total('people_attended', c.conadic, 'addiction_treatment', 'state');
    const drug = await total('people_attended', c.cij, 'addiction_treatment', 'sex');
    const mh = await total('people_attended', c.sedesa, 'mental_health', 'sex');
    const nat = await total('people_attended', c.sedesa, 'mental_health', 'nationality');
    const consular = (await total('case_files_opened', c.sre, 'women_support')).total.value;
    const attendees = (await total('outreach_attendees', c.sre, 'women_support')).total.value;
    const reunifications = (await total('family_reunifications', c.pfpnna, 'child_protection')).total.value;
    const ranked = Object.keys(F.mentalHealthNationalities)
      .map((code) => [code, cell(nat, { nationality: code }) ?? 0] as const)
      .filter(([, n]) => n >= 5)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code]) => countries[code]!.es);
    const list = (items: string[]) => `${items.slice(0, -1).join(', ')} y ${items.at(-1)}`;
    const expected = [
      `${P} se registraron ${formatNumber(ceavFiles)} expedientes, de los cuales se atendieron a ${formatNumber(ceavVictims)} víctimas directas e indirectas.`,
      `${P}, ${F.addictionUnits} unidades (${pc(F.addictionOutpatientUnits, F.addictionUnits)} unidades ambulatorias y ${pc(F.addictionResidentialUnits, F.addictionUnits)} centros residenciales) brindaron atención a ${formatNumber(byState.total.value)} migrantes.`,
      `${pc(F.addictionUnitsWithMinors, F.addictionUnits)} de las unidades atendieron a migrantes menores de 18 años.`,
      `El ${pc(cell(byState, { state: '25' }), byState.total.value)} de la población fue atendida en Sinaloa.`,
      `${P} se atendieron ${drug.total.value} personas migrantes, ${cell(drug, { sex: 'male' })} hombres y ${cell(drug, { sex: 'female' })} mujeres.`,
      `${P} se atendieron ${mh.total.value} personas migrantes, ${cell(mh, { sex: 'male' })} hombres y ${cell(mh, { sex: 'female' })} mujeres. La mayoría provenían de ${list(ranked.slice(0, 4))}, aunque también se atendió a personas provenientes de ${list(ranked.slice(4))}.`,
      `${P} se atendieron ${formatNumber(consular)} casos y se realizaron ${formatNumber(F.outreachEvents)} eventos de difusión a los que asistieron ${formatNumber(attendees)} personas.`,
      `${P} se realizaron ${reunifications} reunificaciones familiares de niñas, niños y adolescentes en contexto de migración.`,
    ];
    for (const sentence of expected) expect(text).toContain(sentence);
    // The seed's own words for the numbers (thousands with a comma).
    expect(text).toContain(`${formatNumber(byState.total.value)} migrantes`);
    expect(text).toContain(`${formatNumber(attendees)} personas`);
    for (const code of F.addictionStates) expect(text).toContain(mxStates[code]!);
    // Every figure links back to the query that reproduces it.
    const links = [...(res.body as string).matchAll(/<a class="figure" href="([^"]+)">([^<]+)<\/a>/g)];
    expect(links.length).toBeGreaterThan(20);
    const men = cell(mh, { sex: 'male' });
    const link = links.find((l) => l[2] === String(men) && l[1]!.includes('by=sex'))!;
    const back = await analyst.get(link[1]!.replace(/&amp;/g, '&'));
    expect(back.status).toBe(200);
    expect(cell(back.body, { sex: 'male' })).toBe(men);
    // Titles and footers in words: the range, the letterhead, the time in AMPARO_TIME_ZONE.
    expect(text).toContain('Informe estadístico: de junio de 2018 a mayo de 2019');
    expect(text).toMatch(/Unidad nacional de estadística\s*Plataforma nacional\s*Fecha: \d{1,2} de [a-z]+ de \d{4}/);
    expect(text).toMatch(/Generado: \d{1,2} de [a-z]+ de \d{4}\D+\d{1,2}:\d{2}\s*[ap]\.\s?m\. \(hora [^)]+\)/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    // The nationality chart as SVG, each bar with its label and value as text.
    const svgs = [...(res.body as string).matchAll(/<svg role="img" aria-labelledby="([^"]+)"[^>]*><title id="\1">Personas atendidas por nacionalidad<\/title>(.*?)<\/svg>/gs)].map((x) => x[2]!);
    const chart = svgs.find((svg) => ranked.every((name) => svg.includes(`>${name}</text>`)));
    expect(chart).toBeDefined();
    expect([...chart!.matchAll(/<rect /g)].length).toBe(Math.min(12, ranked.length));
  });

  it('writes the report in English and as a PDF', async () => {
    const en = await analyst.get(`/api/v1/statistics/report?${period}&lang=en`);
    const mh = await total('people_attended', scenario.codes.sedesa, 'mental_health', 'sex');
    expect(stripTags(en.body)).toContain(`From June 2018 to May 2019, ${mh.total.value} migrants were attended, ${cell(mh, { sex: 'male' })} men and ${cell(mh, { sex: 'female' })} women.`);
    const pdf = await fetch(`${server.baseUrl}/api/v1/statistics/report?${period}&format=pdf`, { headers: { cookie: (analyst as any).cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // The PDF says what the HTML says (read back with PDF.js: src/platform/pdf.ts writes compressed streams).
    const es = stripTags((await analyst.get(`/api/v1/statistics/report?${period}`)).body);
    const { text, title } = await pdfText(bytes);
    expect(title).toBeTruthy();
    expect(es).toContain(title!);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(title!);
    // The letterhead: the reader's institution, its type, the date in words.
    expect(flat).toMatch(/Unidad nacional de estadística Plataforma nacional Fecha: \d{1,2} de [a-z]+ de \d{4}/);
    // The chart, drawn: its title, then each bar's label and value as text.
    const nat = await total('people_attended', scenario.codes.sedesa, 'mental_health', 'nationality');
    const top = Object.keys(F.mentalHealthNationalities)
      .map((code) => [code, cell(nat, { nationality: code }) ?? 0] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    const chart = flat.slice(flat.indexOf('Personas atendidas por nacionalidad'));
    expect(flat).toContain('Personas atendidas por nacionalidad');
    expect(chart).toMatch(new RegExp(`${countries[top[0]]!.es}\\s*${formatNumber(top[1])}`));
    expect(flat).toMatch(/Generado: \d{1,2} de [a-z]+ de \d{4}/);
  });

  it('says so when the period has no records', async () => {
    const res = await analyst.get('/api/v1/statistics/report?from=2010-01-01&to=2010-12-31');
    expect(res.status).toBe(200);
    expect(stripTags(res.body)).toContain('no hay registros que contar');
  });

  it('loads the rest of the seed (rows 3, 12, 13, 14 and 16) through its modules, counted in seed-scenario.rest.test.ts', async () => {
    const rest = scenario.rest;
    const staff = await analyst.get(`/api/v1/statistics/query?indicator=resource_staff&from=2019-01-01&to=2019-09-30&institution=${rest.police}`);
    expect(staff.body.total.value).toBe(1406);
    const found = await server.db.selectFrom('found_records as f').innerJoin('institutions as i', 'i.id', 'f.institution_id').select((eb) => eb.fn.countAll<string>().as('n')).where('i.code', '=', rest.ciamTucson).where('f.condition', '=', 'alive').executeTakeFirstOrThrow();
    expect(Number(found.n)).toBeGreaterThan(294);
  });

  it("keeps the Procuraduría's reunifications as the child-protection module's records: a file, an approved determination and a favourable verification behind each", async () => {
    const rows = await server.db
      .selectFrom('child_reunifications as r')
      .innerJoin('institutions as i', 'i.id', 'r.institution_id')
      .innerJoin('child_files as f', 'f.case_id', 'r.case_id')
      .innerJoin('best_interests as b', 'b.id', 'r.determination_id')
      .innerJoin('verifications as v', 'v.id', 'r.verification_id')
      .select(['b.status', 'b.decision', 'v.recommendation', 'v.completed_at'])
      .where('i.code', '=', scenario.codes.pfpnna)
      .execute();
    expect(rows).toHaveLength(F.reunifications);
    expect(rows.every((r) => r.status === 'approved' && r.decision === 'reunify_family' && r.recommendation === 'reunify' && r.completed_at)).toBe(true);
  });
});
