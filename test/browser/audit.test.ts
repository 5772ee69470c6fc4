import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, pageProblems, signIn } from './browser.ts';

let server: TestServer;
let browser: Browser;
let auditor: { email: string };
let administrator: { email: string };
let folio: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const institution = await makeInstitution(server.db, { name: 'Unidad de Atención a Migrantes' });
  auditor = await makeUser(server.db, institution.id, 'auditor');
  // The administrator's test requires MFA of its institution: another institution than the auditor's,
  // whose sign-in must not change with the order of the tests.
  administrator = await makeUser(server.db, (await makeInstitution(server.db, { name: 'Oficina de Enlace' })).id, 'administrator');
  const caseworker = await makeUser(server.db, institution.id, 'caseworker');
  // Something worth auditing: a person registered and looked up.
  const api = await ApiClient.signIn(server.baseUrl, caseworker.email);
  const person = await api.post('/api/v1/people', { given_names: 'Wilner', surname1: 'Joseph', sex: 'male', nationalities: ['HTI'] });
  await api.get(`/api/v1/people/${person.body.id}`);
  const opened = await api.post('/api/v1/cases', { programme: 'legal_aid', opened_on: '2021-06-01', participants: [{ person_id: person.body.id, role: 'applicant' }] });
  folio = opened.body.folio;
  await api.get(`/api/v1/cases/${opened.body.id}`);
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('audit and administration', () => {
  it('shows the audit log to an auditor, with filters and a chain verification', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, auditor.email);
    await page.getByRole('heading', { level: 1, name: 'Bitácora de auditoría' }).waitFor();
    expect(await page.getByRole('link', { name: 'Expedientes', exact: true }).count()).toBe(0);
    const table = page.getByRole('table');
    // Actions in words, records by folio, people by the folio of their case: no codes, no UUIDs.
    await table.getByRole('cell', { name: 'Registro de persona' }).first().waitFor();
    await table.getByRole('cell', { name: `Expediente · ${folio}` }).first().waitFor();
    await table.getByRole('cell', { name: `Persona · ${folio}` }).first().waitFor();
    const shown = (await table.textContent()) ?? '';
    expect(shown).not.toMatch(UUID);
    expect(shown).not.toContain('person.created');
    // Times of day in AMPARO_TIME_ZONE (the test server's default, Mexico City), not the browser's (UTC).
    const first = table.locator('time').first();
    const at = (await first.getAttribute('datetime'))!;
    expect(await first.textContent()).toBe(new Intl.DateTimeFormat('es-MX', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Mexico_City' }).format(new Date(at)));
    await expectAccessible(page, 'audit log');

    // Filters chosen from lists in words, and a folio instead of an identifier.
    await page.getByLabel('Acción').selectOption({ label: 'Registro de persona' });
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await page.getByText('1 entradas').waitFor();
    await page.getByLabel('Acción').selectOption({ label: 'Todas las acciones' });
    await page.getByLabel('Folio del registro').fill(folio.toLowerCase());
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await table.getByRole('cell', { name: 'Apertura de expediente' }).waitFor();
    const records = await table.locator('tbody td[data-label="Registro"]').allTextContents();
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(records.every((r) => r === `Expediente · ${folio}`)).toBe(true);
    await page.setViewportSize({ width: 360, height: 740 });
    await expectAccessible(page, 'audit log at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Verificar la cadena' }).click();
    await page.getByText(/La cadena está íntegra: se verificaron \d+ entradas\./).first().waitFor();
    await expectAccessible(page, 'audit log after verification');
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('lets an administrator invite a person (a one-time link, never a password) and require MFA', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, administrator.email);
    await page.getByRole('link', { name: 'Administración' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administración' }).waitFor();
    await expectAccessible(page, 'administration');

    await page.getByRole('textbox', { name: 'Nombre', exact: true }).fill('Lucía Méndez');
    await page.getByRole('textbox', { name: 'Correo', exact: true }).fill('lucia.mendez@example.org');
    await page.getByRole('combobox', { name: 'Función', exact: true }).selectOption('caseworker');
    await page.getByRole('button', { name: 'Invitar', exact: true }).click();
    const welcome = (await page.getByTestId('reset-link').textContent()) ?? '';
    expect(welcome).toMatch(/\/cuenta\/invitacion#[A-Za-z0-9_-]{43}$/);
    const first = await newPage(browser, server.baseUrl);
    await first.page.goto(welcome);
    await first.page.locator('#invitation-password').fill(TEST_PASSWORD);
    await first.page.locator('#invitation-confirm').fill(TEST_PASSWORD);
    await first.page.getByRole('button', { name: 'Guardar la contraseña' }).click();
    await first.page.getByText('Listo: su cuenta está creada.').waitFor();
    await first.context.close();
    await page.getByRole('button', { name: 'Ya lo entregué, ocultar' }).click();
    // Accepted, the account is listed (an invitation is not an account until then).
    await page.reload();
    await page.getByRole('rowheader', { name: /Lucía Méndez/ }).waitFor();

    const mfa = page.getByLabel('Exigir verificación en dos pasos');
    await mfa.check();
    await expect.poll(() => mfa.isChecked()).toBe(true);

    // The new account must now set up a second factor on first sign-in, shown as text.
    const other = await newPage(browser, server.baseUrl);
    await other.page.goto('/personal');
    await other.page.getByLabel('Correo electrónico').fill('lucia.mendez@example.org');
    await other.page.getByLabel('Contraseña').fill(TEST_PASSWORD);
    await other.page.getByRole('button', { name: 'Entrar' }).click();
    await other.page.getByRole('heading', { level: 1, name: 'Configure su segundo factor' }).waitFor();
    expect(((await other.page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '')).toMatch(/^[A-Z2-7]{16,}$/);
    await expectAccessible(other.page, 'MFA enrolment');
    await other.context.close();

    // A reset gives a one-time link, never a password; the user chooses hers on the link's page.
    await page.getByRole('button', { name: 'Restablecer contraseña (Lucía Méndez)' }).click();
    const link = (await page.getByTestId('reset-link').textContent()) ?? '';
    expect(link).toMatch(/\/cuenta\/restablecer#[A-Za-z0-9_-]{43}$/);
    const follow = await newPage(browser, server.baseUrl);
    await follow.page.goto(link);
    await follow.page.getByRole('heading', { level: 1, name: 'Elegir una nueva contraseña' }).waitFor();
    await expectAccessible(follow.page, 'password reset page');
    await follow.page.locator('#reset-password').fill('una frase que elegí yo misma');
    await follow.page.locator('#reset-confirm').fill('una frase que elegí yo misma');
    await follow.page.getByRole('button', { name: 'Guardar la contraseña' }).click();
    await follow.page.getByText('Listo: su contraseña cambió').waitFor();
    await follow.page.setViewportSize({ width: 360, height: 740 });
    await expectAccessible(follow.page, 'password reset page at 360 px');
    expect(pageProblems(follow.page)).toEqual([]);
    await follow.context.close();
    const again = await newPage(browser, server.baseUrl);
    await again.page.goto('/personal');
    await again.page.getByLabel('Correo electrónico').fill('lucia.mendez@example.org');
    await again.page.getByLabel('Contraseña').fill('una frase que elegí yo misma');
    await again.page.getByRole('button', { name: 'Entrar' }).click();
    await again.page.getByRole('heading', { level: 1, name: 'Configure su segundo factor' }).waitFor();
    await again.context.close();
    await context.close();
  }, 90_000);
});
