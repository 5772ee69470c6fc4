import { afterAll, beforeAll, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { launchBrowser, newPage, pageProblems } from './browser.ts';
let server: TestServer; let browser: Browser;
beforeAll(async () => { [server, browser] = await Promise.all([startTestServer(), launchBrowser()]); });
afterAll(async () => { await browser?.close(); await server?.close(); });
it('debug', async () => {
  const institution = await makeInstitution(server.db, { name: 'Albergue Belén' });
  const u = await makeUser(server.db, institution.id, (process.env.DBG_ROLE ?? 'caseworker') as never);
  const { page } = await newPage(browser, server.baseUrl, { width: Number(process.env.DBG_W ?? 1280), height: 800 });
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text()));
  await page.goto(process.env.DBG_PATH ?? '/');
  await page.waitForTimeout(2000);
  console.log('HTML', (await page.content()).slice(0, 3000));
  console.log('PROBLEMS', pageProblems(page));
  if (process.env.DBG_SIGNIN) {
    await page.getByLabel('Correo electrónico').fill(u.email);
    await page.getByLabel('Contraseña').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForTimeout(2500);
    await page.goto('/expedientes/nuevo');
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: 'Abrir expediente' }).click();
    await page.waitForTimeout(1000);
    const h = await page.locator('main').innerHTML(); console.log('HTML2', h.slice(h.indexOf('Personas') - 200, h.indexOf('Personas') + 2500));
    await page.screenshot({ path: '/tmp/wp/shot.png', fullPage: true });
  }
});
