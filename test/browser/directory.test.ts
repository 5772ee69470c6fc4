import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, expectAccessibleMarkup, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';
import { shelterBody } from '../../src/directory/testing/samples.ts';

/**
 * The services directory in a browser. A man on a small phone with JavaScript off switches the
 * pages to Haitian Creole, finds a shelter with free beds in Tapachula and opens its page (each page
 * axe-clean at 360 and 1280 px, no sideways scrolling, under 50 KB, nothing but the page loaded). A
 * directory editor adds a service in the staff app, a supervisor of the same shelter publishes it, and
 * it appears in the public search (a browser with JavaScript off) and in the HSDS API.
 */
const PAGE_BUDGET = 50 * 1024;
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
let editorEmail = '';
let supervisorEmail = '';
let editor: ApiClient;
let reviewer: ApiClient;

async function publish(body: Record<string, unknown>) {
  const created = await editor.post('/api/v1/directory/services', body);
  expect(created.status, created.text).toBe(201);
  await editor.post(`/api/v1/directory/services/${created.body.id}/submit`);
  expect((await reviewer.post(`/api/v1/directory/services/${created.body.id}/publish`)).status).toBe(204);
  return created.body.id as string;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: false }), launchBrowser()]);
  const shelter = await makeInstitution(server.db, { name: 'Albergue Belén (prueba)', type: 'shelter', state_code: '07' });
  editorEmail = (await makeUser(server.db, shelter.id, 'directory_editor')).email;
  supervisorEmail = (await makeUser(server.db, shelter.id, 'supervisor')).email;
  editor = await ApiClient.forSession(server, editorEmail);
  reviewer = await ApiClient.forSession(server, supervisorEmail);
  await publish(shelterBody({ name: 'Albergue lleno de Tapachula', capacity_available: 0 }));
  await publish(shelterBody({ name: 'Casa del Migrante con camas libres' }));
  await publish(shelterBody({ name: 'Comedor de Tapachula', categories: ['food'], capacity_maximum: undefined, capacity_available: undefined }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the public directory on a small phone without JavaScript', () => {
  let phone: BrowserContext;
  let checker: BrowserContext;
  let desktopChecker: BrowserContext;
  let page: Page;

  async function load(action: () => Promise<unknown>) {
    const sizes: number[] = [];
    const paths: string[] = [];
    const listener = async (response: import('playwright-core').Response) => {
      paths.push(new URL(response.url()).pathname);
      sizes.push((await response.body().catch(() => Buffer.alloc(0))).length);
    };
    page.on('response', listener);
    await Promise.all([page.waitForEvent('load'), action()]);
    page.off('response', listener);
    await page.waitForTimeout(50);
    return { bytes: sizes.reduce((a, b) => a + b, 0), paths };
  }
  async function check(what: string, loaded: { bytes: number; paths: string[] }) {
    expect(loaded.bytes, `${what}: weight`).toBeLessThan(PAGE_BUDGET);
    expect(loaded.paths, `${what}: only the page`).toHaveLength(1);
    const markup = await page.content();
    expect(markup).not.toContain('<script');
    await expectAccessibleMarkup(checker, server.baseUrl, markup, `${what} at 360 px`);
    await expectAccessibleMarkup(desktopChecker, server.baseUrl, markup, `${what} at 1280 px`);
  }

  it('a man finds a shelter with free beds in Tapachula and opens its page', async () => {
    phone = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'es-MX', baseURL: server.baseUrl });
    phone.setDefaultTimeout(10_000);
    checker = await browser.newContext({ viewport: PHONE, locale: 'es-MX' });
    desktopChecker = await browser.newContext({ viewport: DESKTOP, locale: 'es-MX' });
    page = await phone.newPage();
    try {
      // He arrives on the Spanish page (his phone says Spanish) and switches to Haitian Creole.
      await check('search page', await load(() => page.goto('/servicios')));
      const creole = await load(() => page.getByRole('link', { name: 'Kreyòl ayisyen' }).click());
      await page.getByRole('heading', { level: 1, name: 'Jwenn yon sèvis' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('ht');
      await check('search page in Creole', creole);
      await page.getByLabel('Kalite sèvis').selectOption('shelter');
      await page.getByLabel('Komin oswa vil').selectOption('07089');
      await page.getByLabel('Sèlman abri ki gen kabann lib').check();
      const results = await load(() => page.getByRole('button', { name: 'Chèche' }).click());
      await page.getByRole('heading', { name: '1 sèvis jwenn' }).waitFor();
      expect(new URL(page.url()).searchParams.get('lang')).toBe('ht');
      await expect(page.getByText('Albergue lleno de Tapachula').count()).resolves.toBe(0);
      await page.getByText('Kabann lib: 12 sou 80').waitFor();
      await page.locator('.card .tag', { hasText: 'Abri' }).first().waitFor();
      await check('results', results);
      const detail = await load(() => page.getByRole('link', { name: 'Casa del Migrante con camas libres' }).click());
      await page.getByRole('heading', { level: 1, name: 'Casa del Migrante con camas libres' }).waitFor();
      await page.getByRole('heading', { name: 'Kijan pou w rive la' }).waitFor();
      await page.getByText('Chak jou, 24 sou 24 èdtan.').waitFor();
      await page.getByRole('link', { name: '+52 962 555 0101' }).waitFor();
      await page.getByText('Kreyòl ayisyen', { exact: false }).first().waitFor();
      // What the shelter wrote stays in Spanish, marked as such for screen readers.
      expect(await page.getByText('Constancia de COMAR si ya la tramitó').evaluate((e) => e.closest('[lang]')?.getAttribute('lang'))).toBe('es');
      expect(await page.getByRole('link', { name: 'Depoze yon plent' }).first().getAttribute('href')).toBe('/quejas?lang=ht');
      await check('service page', detail);
    } finally {
      await phone.close();
      await checker.close();
      await desktopChecker.close();
    }
  }, 120_000);
});

describe('a directory editor adds a service and a second person publishes it', () => {
  it('appears in the public search and in the HSDS API', async () => {
    const name = `Clínica jurídica de prueba ${crypto.randomUUID().slice(0, 6)}`;
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await signIn(page, editorEmail);
      await openFromMenu(page, 'Nueva ficha', 'Directorio');
      await page.getByLabel('Nombre del servicio').fill(name);
      await page.getByLabel('Qué ofrece').fill('Orientación legal gratuita para solicitar refugio.');
      await page.getByRole('checkbox', { name: 'Asesoría jurídica' }).check();
      await page.getByLabel('Dirección (calle y número, colonia)').fill('Avenida Central 10');
      await page.locator('#dir-state').selectOption('07');
      await page.getByLabel('Municipio o ciudad').selectOption('07089');
      await page.getByRole('checkbox', { name: 'Criollo haitiano' }).check();
      await expectAccessible(page, 'entry form at 1280 px');
      await page.getByRole('button', { name: 'Guardar borrador' }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await page.getByRole('button', { name: 'Enviar a revisión' }).click();
      await page.getByText('Enviada a revisión.').first().waitFor();
      await expectAccessible(page, 'entry page at 1280 px');
      expect(pageProblems(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const phone = await newPage(browser, server.baseUrl, PHONE);
    try {
      await signIn(phone.page, supervisorEmail);
      await openFromMenu(phone.page, 'Directorio de servicios', 'Atención');
      await phone.page.getByRole('heading', { name: 'Por revisar' }).waitFor();
      const sideways = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(sideways).toBeLessThanOrEqual(0);
      await expectAccessible(phone.page, 'directory list at 360 px');
      await phone.page.getByRole('link', { name }).first().click();
      await phone.page.getByRole('button', { name: 'Publicar' }).click();
      await phone.page.getByText('Publicada en el directorio.').first().waitFor();
      await expectAccessible(phone.page, 'entry page at 360 px');
      expect(pageProblems(phone.page)).toEqual([]);
    } finally {
      await phone.context.close();
    }

    // Someone on a phone without JavaScript finds it by its words and its language, and opens it.
    const visitor = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'es-MX', baseURL: server.baseUrl });
    const checkers = await Promise.all([PHONE, DESKTOP].map((viewport) => browser.newContext({ viewport, locale: 'es-MX' })));
    try {
      visitor.setDefaultTimeout(10_000);
      const pub = await visitor.newPage();
      await pub.goto('/servicios');
      await pub.getByLabel('Qué busca (palabras)').fill(name.split(' ').at(-1)!);
      await pub.getByLabel('Idioma en que le atienden').selectOption('hat');
      await Promise.all([pub.waitForEvent('load'), pub.getByRole('button', { name: 'Buscar' }).click()]);
      await pub.getByRole('heading', { name: '1 servicio encontrado' }).waitFor();
      for (const [i, checkerContext] of checkers.entries()) await expectAccessibleMarkup(checkerContext, server.baseUrl, await pub.content(), `search with the new service at ${i ? 1280 : 360} px`);
      await Promise.all([pub.waitForEvent('load'), pub.getByRole('link', { name }).click()]);
      await pub.getByRole('heading', { level: 1, name }).waitFor();
      await pub.getByText('Orientación legal gratuita para solicitar refugio.').waitFor();
      for (const [i, checkerContext] of checkers.entries()) await expectAccessibleMarkup(checkerContext, server.baseUrl, await pub.content(), `the new service's page at ${i ? 1280 : 360} px`);
    } finally {
      await Promise.all([visitor.close(), ...checkers.map((c) => c.close())]);
    }
    const anon = new ApiClient(server.baseUrl, 'es');
    const hsds = await anon.get(`/hsds/services?search=${encodeURIComponent(name)}`);
    expect(hsds.body.contents.map((s: { name: string }) => s.name)).toEqual([name]);
  }, 180_000);
});
