import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';
import { isoDaysAfter, localDate } from '../../src/platform/dates.ts';

/**
 * A consulate records an outreach event with its attendance in Chromium, at 1280 and 360 px, finds it
 * on its dashboard, and sees it counted in its statistics (the explorer, through disclosure control).
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);

describe('outreach events', () => {
  for (const width of [1280, 360]) {
    it(`a consulate records an event with attendance, sees it on its dashboard and in its statistics at ${width} px`, async () => {
      const consulate = await makeInstitution(server.db, { name: `Consulado de México en Phoenix ${width}`, type: 'consulate', country: 'USA', state_code: null });
      const head = await makeUser(server.db, consulate.id, 'supervisor');
      const day = isoDaysAfter(localDate(), -1);
      const title = `Taller: tus derechos en el trabajo (${width})`;

      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 900 });
      await signIn(page, head.email);
      await openFromMenu(page, 'Eventos de difusión', 'Atención');
      await page.getByRole('link', { name: 'Registrar evento' }).click();
      await page.getByRole('heading', { level: 1, name: 'Registrar un evento de difusión' }).waitFor();
      await expectAccessible(page, `event form ${width}`);
      await noSidewaysScroll(page);

      // Abroad: the city is asked for, and the form says so before sending.
      await page.getByLabel('Nombre del evento').fill(title);
      await page.getByLabel('Tipo de evento').selectOption('workshop');
      await page.getByLabel('Tema').selectOption('rights');
      await page.getByLabel('Fecha').fill(day);
      await page.getByLabel('País').selectOption('USA');
      await page.getByRole('button', { name: 'Registrar evento' }).click();
      await page.getByText('Indique la ciudad: el evento fue fuera de México.').first().waitFor();
      await expectAccessible(page, `event form with errors ${width}`);
      await page.getByLabel('Ciudad o localidad').fill('Phoenix');
      await page.getByLabel('Sede (lugar de reunión)').fill('Parroquia de San Juan');
      const women = page.getByRole('group', { name: 'Mujeres', exact: true });
      await women.getByLabel('18 a 29 años').fill('12');
      await women.getByLabel('30 a 59 años').fill('20');
      await page.getByRole('group', { name: 'Hombres', exact: true }).getByLabel('30 a 59 años').fill('8');
      await page.getByText('Total: 40 personas').waitFor();
      await noSidewaysScroll(page);
      await page.getByRole('button', { name: 'Registrar evento' }).click();

      // The event's page: its data and the attendance by age band and sex.
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Asistencia: 40 personas' }).waitFor();
      await page.getByText('Parroquia de San Juan, Phoenix, Estados Unidos').waitFor();
      await expectAccessible(page, `event page ${width}`);
      await noSidewaysScroll(page);

      // Corrected in place: a man of 60 or more had been left out.
      await page.getByRole('button', { name: 'Corregir el evento' }).click();
      await page.getByRole('group', { name: 'Hombres', exact: true }).getByLabel('60 años y más').fill('5');
      await page.getByRole('button', { name: 'Guardar corrección' }).click();
      await page.getByRole('heading', { level: 2, name: 'Asistencia: 45 personas' }).waitFor();

      // The dashboard of the consulate: this month's events and who came.
      await openFromMenu(page, 'Tablero de la unidad', 'Atención');
      await page.getByRole('heading', { level: 1, name: 'Tablero de la representación consular' }).waitFor();
      await page.getByLabel('Periodo').selectOption('year');
      const attendees = page.locator('.stat').filter({ has: page.locator('dt', { hasText: /^Asistentes$/ }) }).locator('dd');
      await expect.poll(() => attendees.textContent()).toBe('45');
      await page.getByRole('region', { name: /Eventos recientes/ }).getByRole('link', { name: title }).waitFor();
      await expectAccessible(page, `consulate dashboard ${width}`);
      await noSidewaysScroll(page);

      // The list of events, filtered by topic.
      await openFromMenu(page, 'Eventos de difusión', 'Atención');
      await page.getByRole('heading', { level: 1, name: 'Eventos de difusión' }).waitFor();
      await page.getByRole('link', { name: title }).waitFor();
      await expectAccessible(page, `event list ${width}`);
      await noSidewaysScroll(page);

      // Its statistics: the attendance counted by topic, as every figure about people is published.
      await openFromMenu(page, 'Estadísticas');
      await page.getByRole('heading', { level: 1, name: 'Estadísticas' }).waitFor();
      await page.getByRole('combobox', { name: 'Indicador' }).selectOption({ label: 'Asistentes a eventos de difusión' });
      await page.getByLabel('Desde').fill(day);
      await page.getByLabel('Hasta').fill(day);
      await page.getByRole('combobox', { name: 'Desagregación 1' }).selectOption('topic');
      await page.getByRole('button', { name: 'Mostrar tabla' }).click();
      const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Derechos de las personas migrantes' }) });
      await row.getByText('45', { exact: true }).first().waitFor();
      await expectAccessible(page, `statistics of the consulate ${width}`);
      await noSidewaysScroll(page);
      expect(pageProblems(page)).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
