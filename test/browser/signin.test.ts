import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, openUserMenu, pageProblems, signIn } from './browser.ts';

let server: TestServer;
let browser: Browser;
let caseworker: { email: string };
let analyst: { email: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const institution = await makeInstitution(server.db, { name: 'Albergue Belén' });
  caseworker = await makeUser(server.db, institution.id, 'caseworker');
  analyst = await makeUser(server.db, institution.id, 'analyst');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('sign-in', () => {
  it('signs in in Spanish, then switches the whole interface to English and remembers it', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await page.goto('/personal');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();
    await expectAccessible(page, 'sign-in');

    // Client-side validation before anything is sent.
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByText('Revise los campos marcados antes de continuar.').waitFor();
    // The summary names each field and leads to it.
    const summary = page.getByRole('alert');
    await summary.getByRole('link', { name: 'Contraseña: Este campo es obligatorio.' }).waitFor();
    await summary.getByRole('link', { name: 'Correo electrónico: Este campo es obligatorio.' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('signin-email');
    expect(await summary.getByRole('link').allInnerTexts()).toEqual(['Correo electrónico: Este campo es obligatorio.', 'Contraseña: Este campo es obligatorio.']);
    const emailInput = page.getByLabel('Correo electrónico');

    await expect.poll(() => emailInput.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await emailInput.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`#${describedBy.split(' ').pop()}`).textContent()).toContain('obligatorio');

    // A wrong password shows the server's message, already in Spanish.
    await emailInput.fill(caseworker.email);
    await page.getByLabel('Contraseña').fill('not the password');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').getByText('Correo o contraseña incorrectos.').waitFor();

    await signIn(page, caseworker.email);
    await page.getByRole('heading', { level: 1, name: /Hola/ }).waitFor();
    await page.getByRole('heading', { name: 'Mis expedientes abiertos' }).waitFor();
    await expectAccessible(page, 'home (es)');

    await openUserMenu(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: /Hello/ }).waitFor();
    await page.getByRole('button', { name: 'Casework', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectAccessible(page, 'home (en)');

    // The choice survives a reload, and server messages follow it.
    await page.goto('/expedientes?folio=NOPE');
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await page.getByText('No cases match these filters.').waitFor();
    await page.screenshot({ path: '/tmp/amparo-home-en.png', fullPage: true });

    await openUserMenu(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(caseworker.email);
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password.').waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();

    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('gives an analyst the aggregates only, on a phone-sized screen', async () => {
    const { context, page } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    await signIn(page, analyst.email);
    await page.getByRole('heading', { name: 'Expedientes de la institución' }).waitFor();
    expect(await page.getByRole('link', { name: 'Expedientes', exact: true }).count()).toBe(0);
    // The menu folds behind a button on a narrow screen.
    const toggle = page.getByRole('button', { name: 'Menú' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('link', { name: 'Inicio', exact: true }).waitFor();
    await expectAccessible(page, 'analyst home (phone)');
    await page.screenshot({ path: '/tmp/amparo-analyst-phone.png', fullPage: true });
    await context.close();
  });
});
