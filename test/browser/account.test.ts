import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers.ts';
import { totpCode } from '../../src/platform/auth/totp.ts';
import { expectAccessible, launchBrowser, mainMenu, newPage, openUserMenu, pageProblems, signIn } from './browser.ts';

let server: TestServer;
let browser: Browser;
let institutionId: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  institutionId = (await makeInstitution(server.db, { name: 'Casa del Migrante San José' })).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function openMyAccount(page: Page) {
  await openUserMenu(page);
  await page.locator('.usermenu__panel').getByRole('link', { name: 'Mi cuenta' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mi cuenta' }).waitFor();
}

async function signOut(page: Page) {
  await openUserMenu(page);
  await page.locator('.usermenu__panel').getByRole('button', { name: 'Cerrar sesión' }).click();
  await page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();
}

async function typePassword(page: Page, email: string, password: string) {
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

describe('my account', () => {
  it('changes the password at 1280 px, and the new one signs in', async () => {
    const { email } = await makeUser(server.db, institutionId, 'caseworker');
    const { context, page } = await newPage(browser, server.baseUrl, { width: 1280, height: 800 });
    await signIn(page, email);
    await openMyAccount(page);
    await expectAccessible(page, 'my account at 1280 px');

    const password = page.locator('section', { has: page.getByRole('heading', { name: 'Contraseña', exact: true }) });
    await password.getByLabel('Contraseña actual').fill('not my password at all');
    await page.locator('#password-next').fill('una frase nueva y larga');
    await password.getByLabel('Repita la nueva contraseña').fill('una frase distinta');
    await password.getByLabel('Repita la nueva contraseña').press('Enter');
    await password.getByRole('alert').getByRole('link', { name: /Repita la nueva contraseña/ }).waitFor();
    await password.getByLabel('Repita la nueva contraseña').fill('una frase nueva y larga');
    await password.getByRole('button', { name: 'Cambiar la contraseña' }).click();
    await password.getByText('La contraseña actual no es correcta.').waitFor();
    await password.getByLabel('Contraseña actual').fill(TEST_PASSWORD);
    await password.getByRole('button', { name: 'Cambiar la contraseña' }).click();
    await password.getByText('Listo: su contraseña cambió.', { exact: false }).waitFor();
    expect(await password.getByLabel('Contraseña actual').inputValue()).toBe('');

    await signOut(page);
    await typePassword(page, email, TEST_PASSWORD);
    await page.getByText('Correo o contraseña incorrectos.').waitFor();
    await page.getByLabel('Contraseña').fill('una frase nueva y larga');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await mainMenu(page).waitFor();
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('sets up two-step verification with a QR code at 360 px, shows the recovery codes once, and signs in with a code and then with a recovery code', async () => {
    const { email } = await makeUser(server.db, institutionId, 'supervisor');
    const { context, page } = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
    await signIn(page, email);
    await openMyAccount(page);
    const mfa = page.locator('section', { has: page.getByRole('heading', { name: 'Verificación en dos pasos' }) });
    await mfa.getByText('Desactivada.').waitFor();
    await mfa.getByRole('button', { name: 'Configurar la verificación en dos pasos' }).click();

    // The QR code is drawn in the page (no image fetched from anywhere) and holds the same secret as the key shown.
    const qr = mfa.getByRole('img', { name: 'Código QR para añadir Amparo a su aplicación de autenticación' });
    await qr.waitFor();
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    expect((await qr.boundingBox())!.width).toBeGreaterThan(120);
    const secret = (await mfa.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expectAccessible(page, 'second factor set-up at 360 px');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    await mfa.getByLabel('Código de verificación').fill('12345');
    await mfa.getByLabel('Código de verificación').press('Enter');
    await mfa.getByText('Revise los campos marcados antes de continuar.').waitFor();
    await mfa.getByLabel('Código de verificación').fill(totpCode(secret));
    await mfa.getByRole('button', { name: 'Activar' }).click();

    await mfa.getByTestId('recovery-codes').waitFor();
    const codes = await mfa.getByTestId('recovery-codes').locator('code').allInnerTexts();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await mfa.getByRole('button', { name: 'Imprimir' }).waitFor();
    await expectAccessible(page, 'recovery codes at 360 px');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await mfa.getByRole('button', { name: 'Ya los guardé' }).click();
    await mfa.getByText('Le quedan 10 códigos de recuperación.', { exact: false }).waitFor();
    expect(await mfa.getByTestId('recovery-codes').count()).toBe(0);

    // The next sign-in asks for the authenticator's code.
    await signOut(page);
    await typePassword(page, email, TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Verificación en dos pasos' }).waitFor();
    await expectAccessible(page, 'code step at 360 px');
    await page.getByLabel('Código de verificación').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Verificar' }).click();
    await mainMenu(page).waitFor();

    // A lost phone: a recovery code, once.
    await signOut(page);
    await typePassword(page, email, TEST_PASSWORD);
    await page.getByRole('button', { name: '¿No tiene su aplicación? Use un código de recuperación' }).click();
    await page.getByRole('heading', { level: 1, name: 'Entrar con un código de recuperación' }).waitFor();
    await expectAccessible(page, 'recovery code step at 360 px');
    await page.getByLabel('Código de recuperación').fill(codes[0]!.toLowerCase());
    await page.getByRole('button', { name: 'Verificar' }).click();
    await mainMenu(page).waitFor();
    await openMyAccount(page);
    await page.getByText('Le quedan 9 códigos de recuperación.', { exact: false }).waitFor();
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('lists my sessions and ends the others, and creates and revokes an API token, at 1280 and 360 px', async () => {
    const { email } = await makeUser(server.db, institutionId, 'caseworker');
    for (const width of [1280, 360]) {
      const elsewhere = await ApiClient.signIn(server.baseUrl, email);
      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 800 });
      await signIn(page, email);
      await page.goto('/cuenta');
      const sessions = page.locator('section', { has: page.getByRole('heading', { name: 'Sesiones abiertas' }) });
      await sessions.getByText('Esta sesión').waitFor();
      expect(await sessions.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      await sessions.getByRole('button', { name: 'Cerrar todas las demás sesiones' }).click();
      await expect.poll(() => sessions.locator('tbody tr').count()).toBe(1);
      expect((await elsewhere.get('/api/v1/cases')).status).toBe(401);

      const tokens = page.locator('section', { has: page.getByRole('heading', { name: 'Tokens de la API' }) });
      await tokens.getByLabel('Nombre').fill(`Informe semanal ${width}`);
      await tokens.getByLabel('Vigencia').selectOption('30');
      await tokens.getByRole('button', { name: 'Crear el token' }).click();
      const token = await tokens.getByTestId('api-token').innerText();
      expect(token).toMatch(/^amp_/);
      expect((await fetch(`${server.baseUrl}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      await tokens.getByRole('cell', { name: `Informe semanal ${width}`, exact: true }).waitFor();
      await expectAccessible(page, `sessions and tokens at ${width} px`);
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      await tokens.getByRole('button', { name: `Revocar el token Informe semanal ${width}` }).click();
      await tokens.getByRole('cell', { name: `Informe semanal ${width}`, exact: true }).waitFor({ state: 'detached' });
      expect((await fetch(`${server.baseUrl}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      expect(pageProblems(page)).toEqual([]);
      await context.close();
    }
  });

  it('keeps the language in the account', async () => {
    const { email } = await makeUser(server.db, institutionId, 'analyst');
    const { context, page } = await newPage(browser, server.baseUrl, { width: 1280, height: 800 });
    await signIn(page, email);
    await page.goto('/cuenta');
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('button', { name: 'Guardar el idioma' }).click();
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
    const stored = await server.db.selectFrom('users').select('preferred_language').where('email', '=', email).executeTakeFirstOrThrow();
    expect(stored.preferred_language).toBe('en');
    await expectAccessible(page, 'my account in English');
    await context.close();
  });
});
