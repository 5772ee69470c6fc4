import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { isoDaysAfter, localDate } from '../../src/platform/dates.ts';
import { atPhoneWidth, expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';

/**
 * A programme's points (src/resources): the administrator of the institution that runs the programme
 * records a contact point with the municipalities it covers and its brigade leaders, sees it listed
 * with the totals in operation today, and is told in words what is wrong with a bad entry, then changes
 * its staff with a reason and sees the change in its history. A caseworker records a rescue and a
 * transfer by air, sees the totals, corrects the rescue with a reason and sees the history. Axe-clean
 * at 1280 and 360 px, no sideways scroll.
 */
let server: TestServer;
let browser: Browser;
let admin: { email: string };
let caseworker: { email: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: false }), launchBrowser()]);
  const imjuve = await makeInstitution(server.db, { name: 'IMJUVE, Brigadas Comunitarias', type: 'federal_agency', state_code: '09' });
  admin = await makeUser(server.db, imjuve.id, 'administrator');
  const beta = await makeInstitution(server.db, { name: 'Grupo Beta Sonora', type: 'federal_agency', state_code: '26' });
  caseworker = await makeUser(server.db, beta.id, 'caseworker');
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

    // Its staff changes: the change and its reason go to the point's history.
    await table.getByRole('link', { name: 'Punto de contacto Culiacán' }).click();
    const chosen = page.getByRole('region', { name: 'Punto de contacto Culiacán' });
    await chosen.getByText('No ha cambiado desde que se registró.').waitFor();
    await chosen.getByLabel('Personal asignado').fill('11');
    await chosen.getByLabel('Motivo del cambio').fill('Llegaron tres responsables');
    await chosen.getByRole('button', { name: 'Guardar cambios' }).click();
    await chosen.getByText('Motivo: Llegaron tres responsables').waitFor();
    expect(await chosen.locator('.correction-history > li').first().innerText()).toMatch(/Personal: antes 8; ahora 11\./);
    await expect.poll(() => row.innerText()).toMatch(/11 \(responsables de brigada\)/);
    await expectAccessible(page, 'a point with its history');
    await atPhoneWidth(page, 'a point with its history');
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });
});

describe('rescues and transfers', () => {
  it('a caseworker records a rescue and a transfer, sees the totals, corrects the rescue with a reason and sees its history', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, caseworker.email);
    await openFromMenu(page, 'Rescates y traslados', 'Atención');
    await page.getByRole('heading', { level: 1, name: 'Rescates y traslados' }).waitFor();
    await page.getByText('No hay rescates ni traslados registrados en ese periodo.').waitFor();
    await expectAccessible(page, 'rescues and transfers, empty');

    const form = page.getByRole('region', { name: 'Registrar un rescate o traslado' });
    const day = (daysAgo: number) => isoDaysAfter(localDate(), -daysAgo);
    // A count that is not a number is refused in words.
    await form.getByLabel('Fecha').fill(day(9));
    await form.getByLabel('Número de personas').fill('veinte');
    await form.getByRole('button', { name: 'Registrar' }).click();
    await form.getByText('Escriba un número entero entre 1 y 10,000.').first().waitFor();
    await expectAccessible(page, 'the operation form with an error');
    await form.getByLabel('Entidad federativa').selectOption({ label: 'Sonora' });
    await form.getByLabel('Número de personas').fill('23');
    await form.getByRole('button', { name: 'Registrar' }).click();
    await page.getByText('Rescate o traslado registrado.').first().waitFor();
    await form.getByLabel('Tipo').selectOption({ label: 'Traslado por aire' });
    await form.getByLabel('Fecha').fill(day(8));
    await form.getByLabel('Número de personas').fill('5');
    await form.getByRole('button', { name: 'Registrar' }).click();

    const results = page.getByRole('region', { name: 'Rescates y traslados registrados' }).first();
    const totals = page.locator('dl.details');
    await expect.poll(() => totals.innerText()).toMatch(/Traslados por aire\s*1 operativo, 5 personas/i);
    expect(await totals.innerText()).toMatch(/Rescates\s*1 operativo, 23 personas/i);
    expect(await totals.innerText()).toMatch(/Traslados por carretera\s*0 operativos, 0 personas/i);
    const table = page.getByRole('table', { name: 'Rescates y traslados registrados' });
    expect(await table.getByRole('row').count()).toBe(3);
    expect(await table.getByRole('row').nth(1).innerText()).toMatch(/Traslado por aire/);
    await expectAccessible(page, 'rescues and transfers with two');
    await atPhoneWidth(page, 'rescues and transfers with two');

    // The rescue was 21 people, not 23: corrected with a reason, which may not be left out.
    await table.getByRole('row').filter({ hasText: 'Rescate' }).getByRole('link').click();
    const chosen = page.getByRole('region', { name: /^Rescate del / });
    await chosen.getByText('No se ha corregido desde que se registró.').waitFor();
    await chosen.getByLabel('Número de personas').fill('21');
    await chosen.getByRole('button', { name: 'Guardar corrección' }).click();
    await chosen.getByText('Diga por qué se corrige.').first().waitFor();
    await expectAccessible(page, 'the correction without a reason');
    await chosen.getByLabel('Motivo de la corrección').fill('Dos personas se contaron dos veces');
    await chosen.getByRole('button', { name: 'Guardar corrección' }).click();
    await chosen.getByText('Motivo: Dos personas se contaron dos veces').waitFor();
    const entry = await chosen.locator('.correction-history > li').first().innerText();
    expect(entry).toMatch(/Corrección del .*, por caseworker/);
    expect(entry).toMatch(/Personas: antes 23; ahora 21\./);
    expect(await chosen.locator('.correction-history > li').last().innerText()).toMatch(/Registrado el .* por caseworker/);
    await expect.poll(() => totals.innerText()).toMatch(/Rescates\s*1 operativo, 21 personas/i);
    await expect.poll(() => table.getByRole('row').filter({ hasText: 'Rescate' }).innerText()).toMatch(/Corregido 1 vez/);
    expect(await results.isVisible()).toBe(true);
    await expectAccessible(page, 'an operation with its history');
    await atPhoneWidth(page, 'an operation with its history');

    // A filter by kind keeps only the transfers by air, and their totals.
    await page.getByRole('search', { name: 'Filtrar rescates y traslados' }).getByLabel('Tipo').selectOption({ label: 'Traslado por aire' });
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expect.poll(() => totals.innerText()).toMatch(/Rescates\s*0 operativos, 0 personas/i);
    expect(await table.getByRole('row').count()).toBe(2);
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });
});
