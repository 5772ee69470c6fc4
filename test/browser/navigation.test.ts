import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { localDate } from '../../src/platform/dates.ts';
import { expectAccessible, launchBrowser, mainMenu, newPage, openFromMenu, openUserMenu, pageProblems, signIn } from './browser.ts';

let server: TestServer;
let browser: Browser;
let supervisor: { email: string };
let analyst: { email: string };
let auditor: { email: string };
let caseworker: { email: string };
let institutionName: string;
let otherInstitutionName: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const institution = await makeInstitution(server.db, { name: 'Albergue Hermanos en el Camino' });
  institutionName = institution.name;
  supervisor = await makeUser(server.db, institution.id, 'supervisor');
  analyst = await makeUser(server.db, institution.id, 'analyst');
  auditor = await makeUser(server.db, institution.id, 'auditor');
  caseworker = await makeUser(server.db, institution.id, 'caseworker');
  // The supervisor also works for a second institution: the user menu offers the switch.
  const other = await makeInstitution(server.db, { name: 'Casa Tochan' });
  otherInstitutionName = other.name;
  const supervisorId = (await server.db.selectFrom('users').select('id').where('email', '=', supervisor.email).executeTakeFirstOrThrow()).id;
  await server.db.insertInto('memberships').values({ user_id: supervisorId, institution_id: other.id, role: 'caseworker' }).execute();
  // One case with one service this month: a count of one, which an analyst may not see as such.
  // The institution's date (the screens' "today"), not UTC's: from 18:00 in Mexico UTC is a day ahead.
  const today = localDate();
  const person = await server.db.insertInto('people').values({ institution_id: institution.id, given_names: 'Marisol', surname1: 'Ortega', sex: 'female', nationalities: ['HND'] }).returning('id').executeTakeFirstOrThrow();
  const opened = await server.db.insertInto('cases').values({ institution_id: institution.id, folio: 'ALB-2026-000001', programme: 'shelter', status: 'open', closure_reason: null, opened_on: today, summary_enc: null, assigned_to: null, origin_referral_id: null, created_by: null }).returning('id').executeTakeFirstOrThrow();
  await server.db.insertInto('case_participants').values({ institution_id: institution.id, case_id: opened.id, person_id: person.id, role: 'direct_victim', relationship: null }).execute();
  await server.db.insertInto('services').values({ institution_id: institution.id, case_id: opened.id, person_id: person.id, service_type: 'food', provided_on: today, provider_unit: null }).execute();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The top-level entries of the menu and the vertical position of each. */
const topLevel = (page: Page) =>
  page.locator('#mainnav-list > li').evaluateAll((items) => items.map((li) => ({ text: (li.firstElementChild as HTMLElement).innerText.trim(), top: Math.round(li.getBoundingClientRect().top) })));

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('navigation per role', () => {
  it('gives a supervisor a grouped menu on one line at 1280 px, and a user menu', async () => {
    const { context, page } = await newPage(browser, server.baseUrl, { width: 1280, height: 800 });
    await signIn(page, supervisor.email);
    const entries = await topLevel(page);
    expect(entries.map((e) => e.text)).toEqual(['Inicio', 'Atención', 'Quejas', 'Búsqueda', 'Estadísticas']);
    expect(new Set(entries.map((e) => e.top)).size).toBe(1);
    // One line: the menu is as tall as one of its entries, and the brand, the search slot and the user
    // menu sit on that same line.
    const heights = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
      return { list: box('#mainnav-list').height, entry: box('#mainnav-list > li').height, inner: box('.topbar__inner').height, parts: ['.brand', '.mainnav', '.topbar__search', '.usermenu'].map((s) => Math.round(box(s).top + box(s).height / 2)) };
    });
    expect(heights.list).toBeLessThanOrEqual(heights.entry + 1);
    expect(Math.max(...heights.parts) - Math.min(...heights.parts)).toBeLessThanOrEqual(2);
    expect(heights.inner).toBeLessThan(heights.entry * 1.6);
    const header = await page.locator('header.topbar').boundingBox();
    expect(header!.height).toBeLessThan(80);

    // A group is a disclosure: closed, opened by its button, closed by Escape with focus back on it.
    const group = mainMenu(page).getByRole('button', { name: 'Atención', exact: true });
    expect(await group.getAttribute('aria-expanded')).toBe('false');
    expect(await mainMenu(page).getByRole('link', { name: 'Registros duplicados' }).count()).toBe(0);
    await group.click();
    expect(await group.getAttribute('aria-expanded')).toBe('true');
    const links = await mainMenu(page).locator('.mainnav__sublist a').allInnerTexts();
    expect(links).toEqual(['Lista de expedientes', 'Abrir expediente', 'Registrar persona', 'Trabajo sin conexión', 'Canalizaciones', 'Registros duplicados', 'Niñas, niños y adolescentes', 'Identificar a una NNA', 'Directorio de servicios', 'Eventos de difusión', 'Tablero de la unidad', 'Rescates y traslados']);
    await expectAccessible(page, 'menu group open at 1280 px');
    await page.keyboard.press('Escape');
    expect(await group.getAttribute('aria-expanded')).toBe('false');
    expect(await group.evaluate((el) => el === document.activeElement)).toBe(true);

    // The screen's group is marked; its link says it is the current page.
    await openFromMenu(page, 'Canalizaciones', 'Atención');
    await page.getByRole('heading', { level: 1, name: 'Canalizaciones' }).waitFor();
    expect(await page.locator('.mainnav__group.is-current > button').innerText()).toBe('Atención');

    // The user menu: name, institution and role, language, sign out.
    await openUserMenu(page);
    const panel = page.locator('.usermenu__panel');
    await panel.getByText(`Supervisión · ${institutionName}`).waitFor();
    await panel.getByRole('link', { name: 'Mi cuenta' }).waitFor();
    await panel.getByRole('group', { name: 'Idioma' }).waitFor();
    await panel.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
    await expectAccessible(page, 'user menu open at 1280 px');
    await panel.getByRole('button', { name: 'English' }).click();
    await mainMenu(page).getByRole('button', { name: 'Casework', exact: true }).waitFor();
    expect(await page.locator('.usermenu__panel').isHidden()).toBe(true);
    await openUserMenu(page);
    await page.getByRole('button', { name: 'Español' }).click();
    await mainMenu(page).getByRole('button', { name: 'Atención', exact: true }).waitFor();
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('opens the user menu with the keyboard: who and where, switch institution, my account, language, sign out', async () => {
    const { context, page } = await newPage(browser, server.baseUrl, { width: 1280, height: 800 });
    await signIn(page, supervisor.email);
    const toggle = page.getByRole('button', { name: /^Su cuenta:/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('.usermenu__panel');
    await panel.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await panel.getByText(`Supervisión · ${institutionName}`).waitFor();
    const switcher = panel.getByLabel('Cambiar de institución');
    expect(await switcher.locator('option').allInnerTexts()).toEqual([institutionName, otherInstitutionName].sort((a, b) => a.localeCompare(b)));
    await expectAccessible(page, 'user menu opened by keyboard');
    // Tab walks into the panel in order; Escape closes it and gives focus back to its button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Mi cuenta');
    await page.keyboard.press('Escape');
    expect(await panel.isHidden()).toBe(true);
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    // Space opens it too, and the link leads to the account screen.
    await page.keyboard.press(' ');
    await panel.getByRole('link', { name: 'Mi cuenta' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Mi cuenta' }).waitFor();
    expect(await panel.isHidden()).toBe(true);
    await openUserMenu(page);
    await switcher.selectOption({ label: otherInstitutionName });
    await expect.poll(() => page.locator('.usermenu__panel').isHidden()).toBe(true);
    await openUserMenu(page);
    await panel.getByText(`Operación de casos · ${otherInstitutionName}`).waitFor();
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('counts on a caseworker’s home only what she can act on', async () => {
    const { context, page } = await newPage(browser, server.baseUrl, { width: 1280, height: 800 });
    await signIn(page, caseworker.email);
    await page.getByRole('heading', { level: 2, name: 'Mis expedientes', exact: true }).waitFor();
    await page.locator('.stat', { hasText: 'Servicios este mes' }).waitFor();
    expect(await page.locator('.stat', { hasText: 'Canalizaciones' }).count()).toBe(0);
    await context.close();
    const { context: other, page: supervisorPage } = await newPage(browser, server.baseUrl, { width: 1280, height: 800 });
    await signIn(supervisorPage, supervisor.email);
    await supervisorPage.locator('.stat', { hasText: 'Canalizaciones' }).waitFor();
    await other.close();
  });

  it('shows each role only its own screens', async () => {
    const { context, page } = await newPage(browser, server.baseUrl, { width: 1280, height: 800 });
    await signIn(page, auditor.email);
    expect((await topLevel(page)).map((e) => e.text)).toEqual(['Inicio', 'Bitácora']);
    // A screen outside the role's capabilities says so instead of failing.
    await page.goto('/estadisticas');
    await page.getByRole('heading', { level: 1, name: 'Sin acceso' }).waitFor();
    await context.close();
  });

  it('folds the menu behind a button at 360 px, and no page scrolls sideways', async () => {
    const { context, page } = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
    await signIn(page, supervisor.email);
    const header = await page.locator('header.topbar').boundingBox();
    expect(header!.height).toBeLessThan(64);
    const toggle = mainMenu(page).getByRole('button', { name: 'Menú' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#mainnav-list').isVisible()).toBe(false);
    await toggle.click();
    await mainMenu(page).getByRole('button', { name: 'Atención', exact: true }).click();
    await mainMenu(page).getByRole('link', { name: 'Lista de expedientes' }).waitFor();
    await expectAccessible(page, 'menu open at 360 px');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await openUserMenu(page);
    await page.locator('.usermenu__panel').getByRole('button', { name: 'Cerrar sesión' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    for (const [path, heading] of [
      ['/', /Hola/],
      ['/expedientes', 'Expedientes'],
      ['/canalizaciones', 'Canalizaciones'],
      ['/personas/duplicados', 'Registros duplicados'],
      ['/estadisticas', 'Estadísticas'],
      ['/busqueda', 'Búsqueda de personas'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await pageWidth(page), path).toBeLessThanOrEqual(360);
    }
    await expectAccessible(page, 'missing list at 360 px');
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  }, 90_000);

  it('lets an analyst reach the statistics at 360 px without sideways scrolling', async () => {
    const { context, page } = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
    await signIn(page, analyst.email);
    await openFromMenu(page, 'Estadísticas');
    await page.getByRole('heading', { level: 1, name: 'Estadísticas' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'statistics at 360 px');
    await context.close();
  });

  it('shows an analyst the institution’s small counts as “menos de 5”, with the reason, at 1280 and 360 px', async () => {
    for (const width of [1280, 360]) {
      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 800 });
      await signIn(page, analyst.email);
      const services = page.locator('.stat', { hasText: 'Servicios este mes' });
      await services.waitFor();
      expect((await services.locator('dd').innerText()).trim()).toBe('menos de 5');
      await page.getByText('Cifras de la institución con control de divulgación').waitFor();
      expect(await page.locator('body').innerText()).not.toContain('Marisol');
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      await expectAccessible(page, `analyst home at ${width} px`);
      expect(pageProblems(page)).toEqual([]);
      await context.close();
    }
  });
});
