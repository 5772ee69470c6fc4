import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, pageProblems, signIn, openUserMenu } from './browser.ts';

/**
 * The analyst's statistics screens, end to end: the explorer shows the same figures as the API for
 * the same query (reserved cells marked), downloads the CSV with its HXL row, and the report builder
 * opens the HTML report and links the PDF. Both screens pass axe, also at 360 px.
 */
let server: TestServer;
let browser: Browser;
let analyst: { email: string };
let api: ApiClient;
let context: BrowserContext;
let page: Page;

const PERIOD = { from: '2019-01-01', to: '2019-12-31' };

/** People (applicants in a case file) and their services, written straight to the tables (the triggers keep the aggregates). */
async function addPeopleAndServices(institution: { id: string; code: string }, count: number, options: { nationality: string; sex: 'male' | 'female'; born: string; services: number; on: string }) {
  const db = server.db;
  const caseId = randomUUID();
  await db.insertInto('cases').values({ id: caseId, institution_id: institution.id, folio: `${institution.code}-${randomUUID().slice(0, 8)}`, programme: 'health', status: 'open', closure_reason: null, opened_on: options.on, summary_enc: null, assigned_to: null, origin_referral_id: null, created_by: null }).execute();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    ids.push(id);
    await db.insertInto('people').values({ id, institution_id: institution.id, given_names: 'Esperanza', surname1: 'Íñiguez', sex: options.sex, date_of_birth: options.born, nationalities: [options.nationality], vulnerabilities: [] }).execute();
    await db.insertInto('case_participants').values({ institution_id: institution.id, case_id: caseId, person_id: id, role: 'applicant', relationship: null }).execute();
  }
  await db
    .insertInto('services')
    .values(ids.flatMap((id) => Array.from({ length: options.services }, (_, k) => ({ institution_id: institution.id, case_id: caseId, person_id: id, service_type: 'medical', provided_on: options.on.slice(0, 8) + String(1 + k).padStart(2, '0'), provider_unit: null }))))
    .execute();
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const parent = await makeInstitution(server.db, { name: 'Servicios de Salud de Sinaloa', type: 'state_agency', state_code: '25' });
  const unit = await makeInstitution(server.db, { name: 'Albergue Culiacán', type: 'shelter', state_code: '25', parent_id: parent.id });
  analyst = await makeUser(server.db, parent.id, 'analyst');
  // 34 people in 2019: Honduras 20 (women), Guatemala 12 (boys), Cuba 2 (women: a cell below 5).
  await addPeopleAndServices(parent, 20, { nationality: 'HND', sex: 'female', born: '1990-01-01', services: 2, on: '2019-03-01' });
  await addPeopleAndServices(unit, 12, { nationality: 'GTM', sex: 'male', born: '2005-06-15', services: 2, on: '2019-03-01' });
  await addPeopleAndServices(unit, 2, { nationality: 'CUB', sex: 'female', born: '1950-01-01', services: 1, on: '2019-04-01' });
  api = await ApiClient.signIn(server.baseUrl, analyst.email);
  ({ context, page } = await newPage(browser, server.baseUrl));
  await signIn(page, analyst.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Cell = { key: Record<string, string | null>; value: number | null; suppressed: boolean; suppression?: string };

/** Every cell of the API's answer is in the page's table, with the same number or the same reserve mark. */
async function expectTableMatches(by: string[]) {
  const res = await api.get(`/api/v1/statistics/query?indicator=people_attended&from=${PERIOD.from}&to=${PERIOD.to}&by=${by.join(',')}`);
  expect(res.status).toBe(200);
  const cells: Cell[] = [res.body.total, ...res.body.cells];
  for (const cell of cells) {
    const key = by.map((d) => cell.key[d] ?? '\u2211').join('|');
    const td = page.locator(`table.stat-table td[data-cell="${key}"]`);
    expect(await td.count(), `cell ${key}`).toBe(1);
    expect(await td.getAttribute('data-value')).toBe(cell.suppressed ? cell.suppression : String(cell.value));
    if (!cell.suppressed) expect((await td.innerText()).trim()).toBe(new Intl.NumberFormat('es-MX').format(cell.value!));
    else expect(await td.locator('[aria-hidden="true"]').innerText()).toBe(cell.suppression === 'primary' ? '< 5' : 'Reservada');
  }
  return res.body;
}

describe('statistics screens', () => {
  it('an analyst explores an indicator by one and two dimensions and builds the report, in Spanish and in English', async () => {
    // Explores an indicator by one and two dimensions; the table matches the API.
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Estadísticas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Estadísticas' }).waitFor();
    await page.getByText('Elija un indicador y un periodo').waitFor();
    // It opens on the last complete month with records in the analyst's scope (services of March and April 2019).
    await expect.poll(() => page.getByLabel('Desde').inputValue()).toBe('2019-04-01');
    expect(await page.getByLabel('Hasta').inputValue()).toBe('2019-04-30');
    await expectAccessible(page, 'statistics explorer (empty)');

    await page.getByRole('combobox', { name: 'Indicador' }).selectOption({ label: 'Personas atendidas' });
    // The definition and the GCM objectives of the chosen indicator.
    const definition = page.locator('.stat-definition');
    await definition.getByText('Personas distintas que recibieron al menos un servicio').waitFor();
    await definition.getByText('Objetivo 1 (Datos):').waitFor();
    await definition.getByText('Fecha del servicio.').waitFor();
    // Definitions in words: no column names such as provided_on.
    expect(await definition.innerText()).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    await page.getByLabel('Desde').fill(PERIOD.from);
    await page.getByLabel('Hasta').fill(PERIOD.to);
    await page.getByRole('combobox', { name: 'Desagregación 1' }).selectOption('nationality');
    await page.getByRole('button', { name: 'Mostrar tabla' }).click();
    await page.locator('caption', { hasText: 'Personas atendidas por nacionalidad' }).waitFor();
    expect(page.url()).toContain('by=nationality');

    const table = await expectTableMatches(['nationality']);
    // 34 people, published through disclosure control: a multiple of 5 within 4 (the cell key decides).
    expect([30, 35]).toContain(table.total.value);
    // Cuba (2) is below 5; Guatemala, the smallest other, is withheld with it; both are explained.
    expect(await page.locator('td[data-cell="CUB"]').getAttribute('data-value')).toBe('primary');
    expect(await page.locator('td[data-cell="GTM"]').getAttribute('data-value')).toBe('complementary');
    const legend = page.locator('#stat-legend');
    await legend.getByText('hay menos de 5').waitFor();
    await legend.getByText('supresión complementaria').waitFor();
    expect(await page.getByRole('rowheader', { name: 'Honduras' }).count()).toBe(1);
    expect(await page.getByRole('columnheader', { name: 'Nacionalidad' }).count()).toBe(1);
    // The bars repeat the figures in text.
    const bars = page.locator('.stat-bars__item', { hasText: 'Honduras' });
    expect((await bars.locator('.stat-bars__value').innerText()).trim()).toBe('20');
    await expectAccessible(page, 'statistics explorer with a table');
    await page.setViewportSize({ width: 360, height: 780 });
    await expectAccessible(page, 'statistics explorer at 360 px');
    // The wide table scrolls inside its own box; the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/amparo-statistics-phone.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The CSV: a file download, with the HXL hashtag row under the headers.
    const csvLink = page.getByRole('link', { name: 'Descargar CSV' });
    const download = await Promise.all([page.waitForEvent('download'), csvLink.click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe(`amparo-people_attended-${PERIOD.from}-${PERIOD.to}.csv`);
    const file = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(file[1]).toMatch(/^#date \+start,#date \+end,#indicator \+code,#country \+code \+nationality/);
    const csv = await api.get((await csvLink.getAttribute('href'))!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(String(csv.body).split('\r\n')[1]).toContain('#reached');
    expect(String(csv.body)).toContain(',c');
    expect(await page.getByRole('link', { name: 'Descargar XLSX' }).getAttribute('href')).toContain('format=xlsx');

    // Two dimensions: nationality down, sex across, with margins.
    await page.getByRole('combobox', { name: 'Desagregación 2' }).selectOption('sex');
    await page.getByRole('button', { name: 'Mostrar tabla' }).click();
    await page.locator('caption', { hasText: 'Personas atendidas por nacionalidad y sexo' }).waitFor();
    await page.getByRole('columnheader', { name: 'Sexo' }).waitFor();
    const crossed = await expectTableMatches(['nationality', 'sex']);
    expect(crossed.total.value).toBe(table.total.value);
    expect(await page.locator('td[data-cell="\u2211|\u2211"]').innerText()).toBe(String(table.total.value));
    expect(crossed.cells.some((c: Cell) => c.suppressed)).toBe(true);
    await expectAccessible(page, 'statistics explorer, two dimensions');
    await page.screenshot({ path: '/tmp/amparo-statistics.png', fullPage: true });
    expect(pageProblems(page)).toEqual([]);

    // Builds the report: opens the HTML, links the PDF; switches to English.
    await page.getByRole('link', { name: 'Preparar el informe de este periodo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Informe estadístico' }).waitFor();
    expect(await page.getByLabel('Desde').inputValue()).toBe(PERIOD.from);
    expect(await page.getByLabel('Hasta').inputValue()).toBe(PERIOD.to);
    await expectAccessible(page, 'report builder');
    await page.screenshot({ path: '/tmp/amparo-statistics-report.png', fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });
    await expectAccessible(page, 'report builder at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 800 });

    // A period starting in the future cannot be opened.
    await page.getByLabel('Desde').fill('2999-01-01');
    await page.getByText('El periodo no puede empezar en el futuro.').waitFor();
    expect(await page.getByRole('button', { name: 'Abrir el informe (pestaña nueva)' }).isDisabled()).toBe(true);
    await page.getByLabel('Desde').fill(PERIOD.from);

    const open = page.getByRole('link', { name: 'Abrir el informe (pestaña nueva)' });
    const [report] = await Promise.all([context.waitForEvent('page'), open.click()]);
    await report.waitForLoadState();
    await report.getByRole('heading', { level: 1, name: /Informe estadístico/ }).waitFor();
    await report.getByRole('heading', { level: 2, name: /Salud: Servicios de Salud de Sinaloa/ }).waitFor();
    expect(await report.locator('body').innerText()).toMatch(/En 2019 se atendieron (30|35) personas migrantes, (10|15) hombres y (20|25) mujeres/);
    // The letterhead and the chart; the report page too is axe-clean at both widths and does not scroll sideways.
    await report.getByText('Servicios de Salud de Sinaloa', { exact: true }).waitFor();
    await report.getByRole('img', { name: 'Personas atendidas por nacionalidad' }).first().waitFor();
    await expectAccessible(report, 'HTML report');
    await report.setViewportSize({ width: 360, height: 780 });
    await expectAccessible(report, 'HTML report at 360 px');
    expect(await report.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await report.close();

    await page.getByLabel('Inglés').check();
    await page.getByLabel('PDF (para imprimir)').check();
    const pdfHref = (await page.getByRole('link', { name: 'Descargar el informe en PDF' }).getAttribute('href'))!;
    expect(pdfHref).toContain('lang=en');
    const pdf = await api.get(pdfHref);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(String(pdf.body).startsWith('%PDF')).toBe(true);

    await openUserMenu(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Statistical report' }).waitFor();
    await page.getByRole('group', { name: 'Report language' }).waitFor();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Statistics' }).click();
    await page.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor();
    await page.getByRole('combobox', { name: 'Breakdown 1' }).waitFor();
    await expectAccessible(page, 'statistics explorer in English');
    await openUserMenu(page);
    await page.getByRole('button', { name: 'Español' }).click();
    expect(pageProblems(page)).toEqual([]);
  }, 180_000);
});
