import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { loadRestOfSeed, REST_FIGURES as F, REST_PERIODS, type RestCodes } from './seed-scenario.rest.ts';
import { baseContext, computeCube, resolveFilters } from './query.ts';
import { indicatorByKey } from './indicators.ts';
import { ageBands, DEFAULT_AGE_BANDS, type DimensionKey } from './dimensions.ts';
import { TOTAL } from '../platform/disclosure/suppression.ts';
import { formatNumber } from './report.messages.ts';

/**
 * Rows 3, 12, 13, 14 and 16 of the seed's figures, counted from the records that the resources,
 * missing-persons and cases modules wrote (seed-scenario.rest.ts), one test per figure. Figures about
 * people are checked exactly (computeCube) and as an analyst sees them (through disclosure control:
 * a multiple of 5 within 4 of the count); resources and rescue operations are not about people and
 * are shown as counted.
 */
let server: TestServer;
let analyst: ApiClient;
let codes: RestCodes;

beforeAll(async () => {
  server = await startTestServer();
  const platform = await makeInstitution(server.db, { name: 'Unidad de estadística (resto de la semilla)', type: 'platform' });
  codes = await loadRestOfSeed(server.db, server.cipher, { prefix: 'RS' });
  analyst = await ApiClient.forSession(server, (await makeUser(server.db, platform.id, 'analyst')).email);
}, 600_000);
afterAll(async () => server?.close());

type Period = { from: string; to: string };
async function published(indicator: string, period: Period, institution: string, by = '', programme = ''): Promise<any> {
  const res = await analyst.get(`/api/v1/statistics/query?indicator=${indicator}&from=${period.from}&to=${period.to}&institution=${institution}${by ? `&by=${by}` : ''}${programme ? `&programme=${programme}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const cell = (table: any, key: Record<string, string>) => table.cells.find((c: any) => Object.entries(key).every(([k, v]) => c.key[k] === v))?.value;
/** The exact count before disclosure control: the total and the cells of one dimension. */
async function exact(indicator: string, period: Period, institution: string, by = ''): Promise<{ total: number; cells: Record<string, number> }> {
  const filters = await resolveFilters(server.db, { institutionIds: null }, { institution });
  const cube = await computeCube(server.db, indicatorByKey.get(indicator)!, (by ? [by] : []) as DimensionKey[], ageBands(DEFAULT_AGE_BANDS), baseContext(period, filters));
  return {
    total: cube.cells.find((c) => c.coords.every((x) => x === TOTAL))?.value ?? 0,
    cells: Object.fromEntries(cube.cells.filter((c) => c.coords.length && c.coords[0] !== TOTAL).map((c) => [c.coords[0]!, c.value])),
  };
}
const roundedFrom = (value: number, count: number) => value % 5 === 0 && Math.abs(value - count) < 5;
const border = REST_PERIODS.border;

describe('the rest of the seed, counted', () => {
  it('row 3: IMJUVE youth brigades, 17 contact points, 130 brigade leaders, 66 municipalities, 24 states on the report date', async () => {
    expect((await published('resource_points', border, codes.imjuve)).total.value).toBe(F.brigadePoints);
    expect((await published('resource_staff', border, codes.imjuve)).total.value).toBe(F.brigadeLeaders);
    expect((await published('resource_municipalities', border, codes.imjuve)).total.value).toBe(F.brigadeMunicipalities);
    expect((await published('resource_states', border, codes.imjuve)).total.value).toBe(F.brigadeStates);
    // In May 2019 only the pilot point was in operation.
    const may = { from: '2019-05-01', to: '2019-05-31' };
    expect((await published('resource_points', may, codes.imjuve)).total.value).toBe(1);
    expect((await published('resource_staff', may, codes.imjuve)).total.value).toBe(5);
    // Resources belong to no case programme.
    expect((await published('resource_points', border, codes.imjuve, '', 'victim_assistance')).total.value).toBe(0);
  });

  it('row 12: the PF/SRE deployment, 1,406 officers at 25 points on the report date', async () => {
    expect((await published('resource_points', border, codes.police)).total.value).toBe(F.deploymentPoints);
    expect((await published('resource_staff', border, codes.police)).total.value).toBe(F.deploymentOfficers);
    // In July the temporary point (40 officers) was still open.
    const july = { from: '2019-07-01', to: '2019-07-31' };
    expect((await published('resource_staff', july, codes.police)).total.value).toBe(F.deploymentOfficers + 40);
  });

  it('row 13: about 41,043 migrants rescued from 2019, 14,968 moved by road and 1,423 by air', async () => {
    expect((await exact('people_rescued', border, codes.police)).total).toBe(F.rescued);
    const transferred = await exact('people_transferred', border, codes.police, 'transfer_mode');
    expect(transferred.cells).toEqual({ road: F.movedByRoad, air: F.movedByAir });
    expect(transferred.total).toBe(F.movedByRoad + F.movedByAir);
    // What the analyst sees: through disclosure control.
    expect(roundedFrom((await published('people_rescued', border, codes.police)).total.value, F.rescued)).toBe(true);
    const shown = await published('people_transferred', border, codes.police, 'transfer_mode');
    expect(roundedFrom(cell(shown, { transfer_mode: 'road' }), F.movedByRoad)).toBe(true);
    expect(roundedFrom(cell(shown, { transfer_mode: 'air' }), F.movedByAir)).toBe(true);
    // Rescue operations are events, counted as they are.
    const rescues = await published('rescue_operations', border, codes.police);
    const rows = await server.db.selectFrom('field_operations as o').innerJoin('institutions as i', 'i.id', 'o.institution_id').select((eb) => eb.fn.countAll<string>().as('n')).where('i.code', '=', codes.police).where('o.kind', '=', 'rescue').where('o.occurred_on', '>=', border.from).where('o.occurred_on', '<=', border.to).executeTakeFirstOrThrow();
    expect(rescues.total.value).toBe(Number(rows.n));
    expect(rescues.total.value).toBeGreaterThan(F.rescued / 80);
    // The December 2018 rescue and the October transfer are outside the period.
    expect((await exact('people_rescued', { from: '2018-12-01', to: '2018-12-31' }, codes.police)).total).toBe(31);
  });

  it('row 14: 294 Mexican migrants found alive by the Tucson programme, January 2016 to 30 June 2018', async () => {
    const byNationality = await exact('persons_found_alive', REST_PERIODS.tucson, codes.ciamTucson, 'nationality');
    expect(byNationality.cells.MEX).toBe(F.tucsonFoundAlive);
    expect(byNationality.cells.GTM).toBe(12);
    const shown = await published('persons_found_alive', REST_PERIODS.tucson, codes.ciamTucson, 'nationality', 'search');
    expect(roundedFrom(cell(shown, { nationality: 'MEX' }), F.tucsonFoundAlive)).toBe(true);
    // They are the missing-persons module's found records, alive and Mexican, remains apart.
    const records = await server.db.selectFrom('found_records as f').innerJoin('institutions as i', 'i.id', 'f.institution_id').select(['f.condition', 'f.nationalities', 'f.found_on']).where('i.code', '=', codes.ciamTucson).execute();
    const counted = records.filter((r) => r.condition === 'alive' && r.nationalities[0]?.trim() === 'MEX' && r.found_on >= REST_PERIODS.tucson.from && r.found_on <= REST_PERIODS.tucson.to);
    expect(counted).toHaveLength(F.tucsonFoundAlive);
    expect(records.length).toBeGreaterThan(F.tucsonFoundAlive);
  });

  it('row 16: the Mecanismo de Apoyo Exterior, 27 case files opened through consulates and open at the report date, with 63 victims of disappearance', async () => {
    const files = await exact('case_files_open', border, codes.ceavVulnerable, 'opened_through');
    expect(files.cells.consulate).toBe(F.mechanismOpenFiles);
    expect(files.cells.in_person).toBe(6);
    const victims = await exact('victims_in_open_case_files', border, codes.ceavVulnerable, 'opened_through');
    expect(victims.cells.consulate).toBe(F.mechanismVictims);
    const shownFiles = await published('case_files_open', border, codes.ceavVulnerable, 'opened_through', 'victim_assistance');
    expect(roundedFrom(cell(shownFiles, { opened_through: 'consulate' }), F.mechanismOpenFiles)).toBe(true);
    const shownVictims = await published('victims_in_open_case_files', border, codes.ceavVulnerable, 'opened_through');
    expect(roundedFrom(cell(shownVictims, { opened_through: 'consulate' }), F.mechanismVictims)).toBe(true);
    // Before the three closures (the earliest in March 2019), the files then open included them.
    const early = await exact('case_files_open', { from: '2016-01-01', to: '2016-02-29' }, codes.ceavVulnerable);
    expect(early.total).toBe(0);
    // Each file is the cases module's record, opened through a consulate with a disappearance.
    const rows = await server.db.selectFrom('cases as c').innerJoin('institutions as i', 'i.id', 'c.institution_id').innerJoin('institutions as k', 'k.id', 'c.through_consulate_id').select(['k.type', 'c.crime_types']).where('i.code', '=', codes.ceavVulnerable).execute();
    expect(rows.every((r) => r.type === 'consulate' && r.crime_types.includes('disappearance'))).toBe(true);
  });
});

describe('the rest of the seed in the report', () => {
  const stripTags = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

  it('states the resources, the rescues and transfers and the consular files of January to September 2019, as the analyst’s queries publish them', async () => {
    const res = await analyst.get(`/api/v1/statistics/report?from=${border.from}&to=${border.to}&lang=es`);
    expect(res.status).toBe(200);
    const text = stripTags(res.body as string);
    expect(text).toContain(`Al 30 de septiembre de 2019, el programa contaba con ${F.brigadePoints} puntos en operación y ${F.brigadeLeaders} personas asignadas, en ${F.brigadeMunicipalities} municipios de ${F.brigadeStates} entidades federativas.`);
    expect(text).toContain(`Al 30 de septiembre de 2019, el programa contaba con ${F.deploymentPoints} puntos en operación y ${formatNumber(F.deploymentOfficers)} personas asignadas`);
    const rescued = (await published('people_rescued', border, codes.police)).total.value;
    const operations = (await published('rescue_operations', border, codes.police)).total.value;
    const moved = await published('people_transferred', border, codes.police, 'transfer_mode');
    expect(text).toContain(`De enero de 2019 a septiembre de 2019 se rescató a ${formatNumber(rescued)} personas migrantes en ${formatNumber(operations)} operaciones de rescate. Se brindó apoyo en traslado por carretera a ${formatNumber(cell(moved, { transfer_mode: 'road' }))} personas y por vía aérea a ${formatNumber(cell(moved, { transfer_mode: 'air' }))} personas.`);
    const files = cell(await published('case_files_open', border, codes.ceavVulnerable, 'opened_through'), { opened_through: 'consulate' });
    const victims = cell(await published('victims_in_open_case_files', border, codes.ceavVulnerable, 'opened_through'), { opened_through: 'consulate' });
    expect(text).toContain(`Al 30 de septiembre de 2019 había ${files} expedientes abiertos a través de representaciones consulares (Mecanismo de Apoyo Exterior), en los que se atiende a ${victims} víctimas directas e indirectas.`);
    expect(text).toContain('Recursos del programa: IMJUVE');
    // Each of these figures links to the query that reproduces it.
    const links = [...(res.body as string).matchAll(/<a class="figure" href="([^"]+)">([^<]+)<\/a>/g)];
    const link = links.find((l) => l[1]!.includes('indicator=resource_staff') && l[2] === formatNumber(F.deploymentOfficers))!;
    expect(link).toBeDefined();
    expect((await analyst.get(link[1]!.replace(/&amp;/g, '&'))).body.total.value).toBe(F.deploymentOfficers);
  });

  it('states the persons found alive in Tucson from January 2016 to June 2018, by nationality, in Spanish and English', async () => {
    const shown = await published('persons_found_alive', REST_PERIODS.tucson, codes.ciamTucson, 'nationality');
    const es = stripTags((await analyst.get(`/api/v1/statistics/report?from=${REST_PERIODS.tucson.from}&to=${REST_PERIODS.tucson.to}&lang=es`)).body);
    expect(es).toContain(`De enero de 2016 a junio de 2018 se localizó con vida a ${shown.total.value} personas migrantes: ${cell(shown, { nationality: 'MEX' })} de México y ${cell(shown, { nationality: 'GTM' })} de Guatemala.`);
    const en = stripTags((await analyst.get(`/api/v1/statistics/report?from=${REST_PERIODS.tucson.from}&to=${REST_PERIODS.tucson.to}&lang=en`)).body);
    expect(en).toContain(`${shown.total.value} migrants were found alive: ${cell(shown, { nationality: 'MEX' })} from Mexico and ${cell(shown, { nationality: 'GTM' })} from Guatemala.`);
  });
});
