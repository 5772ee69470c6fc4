import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, expectAccessibleMarkup, launchBrowser, newPage, pageProblems, signIn } from './browser.ts';

/**
 * The public front door in a browser: a Haitian man on a phone, JavaScript off, opens the home in
 * Haitian Creole and follows the doors to the information and the guide (each page checked with axe
 * in a second page with scripts on, at 360 and 1280 px, no sideways scrolling); a platform
 * administrator edits an information page in the staff app and finds the previous version kept.
 */
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
let adminEmail = '';

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: false }), launchBrowser()]);
  const institution = await makeInstitution(server.db);
  const admin = await makeUser(server.db, institution.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', admin.id).execute();
  adminEmail = admin.email;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function checkBoth(phoneChecker: BrowserContext, desktopChecker: BrowserContext, page: Page, what: string) {
  const html = await page.content();
  expect(html, what).not.toContain('<script');
  expect(Buffer.byteLength(html), `${what}: weight`).toBeLessThan(50 * 1024);
  await expectAccessibleMarkup(phoneChecker, server.baseUrl, html, `${what} at 360 px`);
  await expectAccessibleMarkup(desktopChecker, server.baseUrl, html, `${what} at 1280 px`);
}

describe('the public front door', () => {
  it('a Haitian man on a phone without JavaScript reads the home in Creole, then the information and the guide', async () => {
    const phone = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'ht-HT', extraHTTPHeaders: { 'accept-language': 'ht,fr;q=0.8' }, baseURL: server.baseUrl });
    const phoneChecker = await browser.newContext({ viewport: PHONE, locale: 'ht-HT' });
    const desktopChecker = await browser.newContext({ viewport: DESKTOP, locale: 'ht-HT' });
    const page = await phone.newPage();
    try {
      // His phone asks for Haitian Creole: the home answers in it.
      await page.goto('/');
      expect(await page.locator('html').getAttribute('lang')).toBe('ht');
      await page.getByRole('heading', { level: 1, name: 'Sèvis pou moun ki an migrasyon' }).waitFor();
      await checkBoth(phoneChecker, desktopChecker, page, 'home in Creole');
      // The switch shows the other four languages, each in itself.
      const languages = page.getByRole('navigation', { name: 'Lang' });
      expect(await languages.getByRole('link').allTextContents()).toEqual(['Español', 'English', 'Français', 'Português']);

      // The information door, then a page: its Spanish text is marked as such and said to be Spanish only.
      await page.getByRole('link', { name: /^Enfòmasyon Dwa ou/ }).click();
      await page.waitForURL(/\/informacion\?lang=ht/);
      await checkBoth(phoneChecker, desktopChecker, page, 'information index in Creole');
      await page.getByRole('link', { name: 'Pedir la condición de refugiado (COMAR)' }).click();
      await page.getByText('Pou kounye a, tèks sa a disponib an panyòl sèlman.').first().waitFor();
      await checkBoth(phoneChecker, desktopChecker, page, 'information page in Creole');

      // The guide: a Haitian adult who wants papers and fears going back.
      await page.getByRole('link', { name: 'Gid: ki enfòmasyon ki sèvi m?' }).first().click();
      await page.getByLabel('Ki peyi ou soti?').selectOption('HTI');
      await page.getByLabel('18 an oswa plis').check();
      await page.getByLabel('Mwen pè retounen nan peyi m').check();
      await page.getByRole('button', { name: 'Montre m sa ki sèvi m' }).click();
      await page.getByRole('heading', { name: 'Paj pou ou' }).waitFor();
      expect(new URL(page.url()).searchParams.getAll('situacion')).toEqual(['fear']);
      await expect.poll(() => page.getByRole('link', { name: 'Pedir la condición de refugiado (COMAR)' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Chèche sèvis ki ka ede ou' }).getAttribute('href')).toContain('/servicios?categoria=legal_aid');
      await checkBoth(phoneChecker, desktopChecker, page, 'guide with answers in Creole');

      // The complaint door keeps his language.
      await page.goto('/?lang=ht');
      await page.getByRole('link', { name: /^Depoze yon plent Si/ }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('ht');
      await page.getByRole('heading', { level: 1, name: 'Depoze yon plent, yon denonsyasyon oswa yon demann' }).waitFor();
    } finally {
      await Promise.all([phone.close(), phoneChecker.close(), desktopChecker.close()]);
    }
  }, 180_000);

  it('an administrator edits an information page and the previous version is kept', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { context, page } = await newPage(browser, server.baseUrl, viewport);
      try {
        await signIn(page, adminEmail);
        await page.goto('/administracion/informacion');
        await page.getByRole('heading', { level: 1, name: 'Páginas de información' }).waitFor();
        await expectAccessible(page, `information pages list at ${viewport.width} px`);
        await page.getByRole('link', { name: 'Derecho a la atención médica' }).click();
        const body = page.getByLabel('Texto');
        const before = await body.inputValue();
        const added = `Centro de salud de Tapachula: atiende sin cita (${viewport.width}).`;
        await body.fill(`${before}\n\n${added}`);
        await page.getByLabel('Qué cambió (nota para el historial)').fill(`Se agregó un centro de salud (${viewport.width})`);
        await page.getByRole('button', { name: 'Guardar versión nueva' }).click();
        await page.getByText('Se guardó una versión nueva de la página.').waitFor();
        // The history lists the new version and keeps the earlier text.
        const history = page.getByRole('region', { name: 'Versiones' });
        await history.getByText(`Se agregó un centro de salud (${viewport.width})`).waitFor();
        const versions = await history.locator('li').count();
        expect(versions).toBeGreaterThanOrEqual(2);
        await history.locator('li').last().locator('summary').click();
        const first = history.locator('li').last().locator('pre');
        await first.waitFor();
        expect(await first.textContent()).toContain('La Ley de Migración dice que las personas migrantes tienen derecho');
        expect(await first.textContent()).not.toContain('Centro de salud de Tapachula');
        await expectAccessible(page, `information page editor at ${viewport.width} px`);
        expect(pageProblems(page)).toEqual([]);
        // The public page shows the new text.
        const published = await (await fetch(`${server.baseUrl}/informacion/derecho-a-la-salud`)).text();
        expect(published).toContain(added);
      } finally {
        await context.close();
      }
    }
  }, 180_000);
});
