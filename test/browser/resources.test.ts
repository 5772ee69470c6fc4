import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { atPhoneWidth, expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';

/**
 * A programme's points (src/resources): the administrator of the institution that runs the programme
 * records a contact point with the municipalities it covers and its brigade leaders, sees it listed
 * with the totals in operation today, and is told in words what is wrong with a bad entry. Axe-clean
 * at 1280 and 360 px, no sideways scroll.
 */
let server: TestServer;
let browser: Browser;
let admin: { email: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: false }), launchBrowser()]);
  const imjuve = await makeInstitution(server.db, { name: 'IMJUVE, Brigadas Comunitarias', type: 'federal_agency', state_code: '09' });
  admin = await makeUser(server.db, imjuve.id, 'administrator');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('programme points', () => {
  it('an administrator records a contact point with its coverage and staff, and sees it counted', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, admin.email);
    await openFromMenu(page, 'Administración');
    await page.getByRole('navigation', { name: 'Secciones de administración' }).getByRole('link', { name: 'Puntos del programa' }).click();
    await page.getByRole('heading', { level: 1, name: 'Puntos del programa' }).waitFor();
    await page.getByText('Aún no hay puntos registrados.').waitFor();
    await expectAccessible(page, 'the programme points, empty');

    // A bad entry: the summary names the fields, nothing is sent.
    await page.getByLabel('Nombre del punto').fill('Punto de contacto Culiacán');
    await page.getByLabel('Municipios que cubre').fill('25006, 99001');
    await page.getByRole('button', { name: 'Registrar punto' }).click();
    await page.getByText('Escriba claves de municipio de cinco dígitos que empiecen con una clave de entidad (01 a 32).').first().waitFor();
    await expectAccessible(page, 'the point form with errors');

    await page.getByLabel('Municipios que cubre').fill('25006, 25012, 26030');
    await page.getByLabel('Personal asignado').fill('8');
    await page.getByLabel('En operación desde').fill('2019-06-03');
    await page.getByRole('button', { name: 'Registrar punto' }).click();
    await page.getByText('Punto registrado.').first().waitFor();
    const table = page.getByRole('table', { name: 'Puntos registrados' });
    await table.getByRole('rowheader', { name: 'Punto de contacto Culiacán' }).waitFor();
    const row = table.getByRole('row').filter({ hasText: 'Punto de contacto Culiacán' });
    await expect.poll(() => row.innerText()).toMatch(/8 \(responsables de brigada\)/);
    expect(await row.innerText()).toMatch(/Sinaloa, Sonora/);
    const totals = await page.locator('dl.details').innerText();
    expect(totals).toMatch(/Puntos en operación hoy\s*1/i);
    expect(totals).toMatch(/Personal en esos puntos\s*8/i);
    expect(totals).toMatch(/Municipios cubiertos\s*3/i);
    expect(totals).toMatch(/Entidades federativas cubiertas\s*2/i);
    const stored = await server.db.selectFrom('resource_points').select(['municipalities', 'staff', 'staff_role']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ municipalities: ['25006', '25012', '26030'], staff: 8, staff_role: 'brigade_leader' });
    await expectAccessible(page, 'the programme points with one point');
    await atPhoneWidth(page, 'the programme points');
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });
});
