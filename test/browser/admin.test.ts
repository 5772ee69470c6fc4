import { loginThrottle, recordFailure } from '../../src/platform/limits/throttle.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers.ts';
import { toCsvLine } from '../../src/platform/csv.ts';
import { atPhoneWidth, expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';

/**
 * The administration screens (issue 10): a platform administrator registers an institution and an
 * account with a role there, and that person signs in with her one-time link; an administrator
 * imports a CSV file and follows it to its report; an institution's administrator changes a role and
 * unlocks an account. Axe-clean at 1280 and 360 px, no sideways scroll.
 */

let server: TestServer;
let browser: Browser;
let platformAdmin: { email: string };
let shelterAdmin: { email: string };
let shelter: { id: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: false }), launchBrowser()]);
  const platform = await makeInstitution(server.db, { name: 'Amparo (plataforma)', type: 'platform' });
  platformAdmin = await makeUser(server.db, platform.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('email', '=', platformAdmin.email).execute();
  await makeInstitution(server.db, { name: 'Comisión Estatal de Atención a Migrantes', type: 'state_agency', state_code: '07' });
  shelter = await makeInstitution(server.db, { name: 'Albergue La Esperanza', type: 'shelter', state_code: '07' });
  shelterAdmin = await makeUser(server.db, shelter.id, 'administrator');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('administration', () => {
  it('a platform administrator registers an institution and an account with a role, and that person signs in', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, platformAdmin.email);
    await openFromMenu(page, 'Administración');
    await page.getByRole('link', { name: 'Instituciones' }).click();
    await page.getByRole('heading', { level: 1, name: 'Instituciones' }).waitFor();
    await page.locator('.institution-tree__name', { hasText: 'Albergue La Esperanza' }).waitFor();

    await page.locator('#new-code').fill('CASANOG');
    await page.locator('#new-name').fill('Casa del Migrante Nogales');
    await page.locator('#new-type').selectOption('shelter');
    await page.locator('#new-parent').selectOption({ label: 'Comisión Estatal de Atención a Migrantes' });
    await page.locator('#new-state').selectOption({ label: 'Chiapas' });
    await page.getByRole('button', { name: 'Registrar institución' }).click();
    // Placed under its parent in the hierarchy.
    const parentItem = page.locator('.institution-tree > li', { hasText: 'Comisión Estatal de Atención a Migrantes' });
    await parentItem.locator('.institution-tree .institution-tree__name', { hasText: 'Casa del Migrante Nogales' }).waitFor();
    await expectAccessible(page, 'institutions');

    // Its jurisdiction changes: Nogales is in Sonora.
    await page.getByRole('button', { name: 'Editar (Casa del Migrante Nogales)' }).click();
    const edit = page.getByRole('form', { name: 'Editar Casa del Migrante Nogales' });
    await edit.getByLabel('Jurisdicción (estado)').selectOption({ label: 'Sonora' });
    await expectAccessible(page, 'institution being edited');
    await edit.getByRole('button', { name: 'Guardar cambios' }).click();
    await page.getByText(/CASANOG · Albergue o casa de migrantes · Sonora/).waitFor();
    await atPhoneWidth(page, 'institutions');

    await page.getByRole('link', { name: 'Cuentas' }).click();
    await page.getByLabel('Cuentas de la institución').selectOption({ label: 'Casa del Migrante Nogales' });
    await page.getByRole('textbox', { name: 'Nombre', exact: true }).fill('Guadalupe Ríos');
    await page.getByRole('textbox', { name: 'Correo', exact: true }).fill('guadalupe.rios@example.org');
    await page.getByRole('combobox', { name: 'Función', exact: true }).selectOption('caseworker');
    await page.getByRole('button', { name: 'Invitar', exact: true }).click();
    await page.getByText('Invitación para Guadalupe Ríos').waitFor();
    const link = (await page.getByTestId('reset-link').textContent()) ?? '';
    expect(link).toMatch(/\/cuenta\/invitacion#[A-Za-z0-9_-]{43}$/);
    await expectAccessible(page, 'accounts of another institution');

    // She chooses her password with the invitation and signs in to her institution.
    const her = await newPage(browser, server.baseUrl);
    await her.page.goto(link);
    await her.page.getByText('Guadalupe Ríos: le invitan a trabajar en Casa del Migrante Nogales').waitFor();
    await expectAccessible(her.page, 'invitation of a new person');
    await her.page.locator('#invitation-password').fill('mi propia frase de acceso');
    await her.page.locator('#invitation-confirm').fill('mi propia frase de acceso');
    await her.page.getByRole('button', { name: 'Guardar la contraseña' }).click();
    await her.page.getByText('Listo: su cuenta está creada.').waitFor();
    await signIn(her.page, 'guadalupe.rios@example.org', 'mi propia frase de acceso');
    expect(await her.page.evaluate(async () => (await (await fetch('/api/v1/auth/session')).json()).institution.name)).toBe('Casa del Migrante Nogales');
    expect(pageProblems(her.page)).toEqual([]);
    await her.context.close();
    // Once accepted, she is in the list.
    await page.reload();
    await page.getByLabel('Cuentas de la institución').selectOption({ label: 'Casa del Migrante Nogales' });
    const row = page.getByRole('row', { name: /Guadalupe Ríos/ });
    await expect.poll(() => row.getByRole('combobox', { name: 'Función de Guadalupe Ríos' }).inputValue()).toBe('caseworker');

    // Platform settings: a routing rule for complaints about the National Guard in Sonora, and the
    // institution that receives the families' reports.
    await page.getByRole('link', { name: 'Quejas y búsqueda' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quejas y búsqueda' }).waitFor();
    await page.locator('#rule-priority').fill('5');
    await page.locator('#rule-unit').selectOption({ label: 'Casa del Migrante Nogales' });
    await page.locator('#rule-authority').selectOption('national_guard');
    await page.locator('#rule-state').selectOption({ label: 'Sonora' });
    await page.getByRole('button', { name: 'Agregar regla' }).click();
    await page.getByRole('table', { name: 'Reglas de asignación de quejas' }).getByRole('rowheader', { name: 'Casa del Migrante Nogales' }).waitFor();
    await page.getByLabel('Años de conservación en el estado Concluida').fill('7');
    await page.getByRole('button', { name: 'Guardar', exact: true }).first().click();
    await expect.poll(async () => (await server.db.selectFrom('complaint_settings').select('value').where('key', '=', 'retention_years').executeTakeFirst())?.value).toMatchObject({ closed: 7 });
    await page.getByLabel('Institución que recibe los reportes de las familias').selectOption({ label: 'Albergue La Esperanza' });
    await page.getByRole('button', { name: 'Guardar', exact: true }).last().click();
    await expect.poll(async () => (await server.db.selectFrom('missing_settings').select('public_institution_id').executeTakeFirstOrThrow()).public_institution_id).toBe(shelter.id);
    const rule = await server.db.selectFrom('complaint_routing_rules').select(['authority_type', 'state_code', 'priority']).executeTakeFirstOrThrow();
    expect(rule).toEqual({ authority_type: 'national_guard', state_code: '26', priority: 5 });
    await expectAccessible(page, 'platform settings');
    await atPhoneWidth(page, 'platform settings');

    await page.getByRole('link', { name: 'Cuentas' }).click();
    await page.reload();
    await page.getByLabel('Cuentas de la institución').selectOption({ label: 'Casa del Migrante Nogales' });
    await expect.poll(() => page.getByRole('row', { name: /Guadalupe Ríos/ }).getByRole('cell').nth(2).textContent()).not.toBe('Nunca');
    await atPhoneWidth(page, 'accounts');
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('an administrator imports a CSV file and follows its progress to the report', async () => {
    const header = ['external_id', 'given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'nationalities'];
    const rows = Array.from({ length: 1500 }, (_, i) => [`ALB-${i}`, 'Marvin Josué', 'Castillo', 'Reyes', 'male', '1999-05-17', 'HND']);
    rows[41] = ['ALB-41', 'Marvin Josué', 'Castillo', 'Reyes', 'hombre', '1999-05-17', 'HND'];
    const file = [header, ...rows].map((r) => toCsvLine(r)).join('\r\n') + '\r\n';

    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, shelterAdmin.email);
    await openFromMenu(page, 'Administración');
    await page.getByRole('link', { name: 'Importar CSV' }).click();
    await page.getByRole('heading', { level: 1, name: 'Importar CSV' }).waitFor();
    await expectAccessible(page, 'import');
    await atPhoneWidth(page, 'import');

    // Without a file the form says what is missing.
    await page.getByLabel('Qué contiene').selectOption('people');
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    await page.getByText('Elija un archivo CSV.').first().waitFor();

    await page.getByLabel('Archivo CSV').setInputFiles({ name: 'albergue-2026.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    await page.getByRole('heading', { name: 'Importación de albergue-2026.csv' }).waitFor();
    // The bar is there while the server works, then the summary.
    await page.getByRole('progressbar').waitFor();
    await expectAccessible(page, 'import in progress');
    await page.getByText('Terminó: 1,499 filas aceptadas y 1 rechazadas, de 1,500.').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('progressbar').getAttribute('value')).toBe('1499');

    const rejected = page.getByRole('table', { name: 'Filas rechazadas' });
    await rejected.getByRole('rowheader', { name: '43' }).waitFor();
    expect(await rejected.getByRole('row').nth(1).textContent()).toMatch(/ALB-41.*sex: /);
    const download = page.getByRole('link', { name: 'Descargar el informe (CSV)' });
    const report = await new ApiClient(server.baseUrl).get((await download.getAttribute('href'))!);
    expect(report.status).toBe(401);
    await page.getByRole('table', { name: 'Importaciones recientes' }).getByText('Terminada').waitFor();
    await expectAccessible(page, 'import report');
    await atPhoneWidth(page, 'import report');

    const written = await server.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('institution_id', '=', shelter.id).where('external_id', 'like', 'ALB-%').executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(1499);
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('an institution’s administrator changes a role and unlocks an account', async () => {
    const tomas = await makeUser(server.db, shelter.id, 'caseworker', 'tomas.perez@example.org');
    await server.db.updateTable('users').set({ display_name: 'Tomás Pérez' }).where('id', '=', tomas.id).execute();
    const irma = await makeUser(server.db, shelter.id, 'caseworker', 'irma.santos@example.org');
    await server.db.updateTable('users').set({ display_name: 'Irma Santos' }).where('id', '=', irma.id).execute();
    for (let i = 0; i < 5; i++) await new ApiClient(server.baseUrl).post('/api/v1/auth/login', { email: 'irma.santos@example.org', password: 'no es la suya' });
    // Six more failures as the throttle counts them: its longest delay (60 s), so the account is still
    // locked when the page shows it, however slow the machine (8 s was not, under CI load).
    for (let i = 0; i < 6; i++) await recordFailure(server.db, loginThrottle, 'irma.santos@example.org');

    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, shelterAdmin.email);
    await openFromMenu(page, 'Administración');
    await page.getByRole('heading', { level: 1, name: 'Administración' }).waitFor();
    // An institution's administrator manages her own institution only: no picker.
    await page.getByRole('table', { name: 'Cuentas de Albergue La Esperanza' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Cuentas de la institución' }).count(), await page.getByLabel('Cuentas de la institución').evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 200)).join('\n'))).toBe(0);

    await page.getByRole('combobox', { name: 'Función de Tomás Pérez' }).selectOption('supervisor');
    await page.getByText('Tomás Pérez ahora tiene la función Supervisión.').waitFor();
    const membership = await server.db.selectFrom('memberships').select('role').where('user_id', '=', tomas.id).executeTakeFirstOrThrow();
    expect(membership.role).toBe('supervisor');

    const irmaRow = page.getByRole('row', { name: /Irma Santos/ });
    await irmaRow.getByText('Bloqueada por contraseñas erróneas').waitFor();
    await expectAccessible(page, 'accounts with a locked one');
    await atPhoneWidth(page, 'accounts with a locked one');
    await page.getByRole('button', { name: 'Desbloquear (Irma Santos)' }).click();
    await irmaRow.getByRole('cell', { name: 'Activa', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Desbloquear (Irma Santos)' }).count()).toBe(0);
    expect((await new ApiClient(server.baseUrl).post('/api/v1/auth/login', { email: 'irma.santos@example.org', password: TEST_PASSWORD })).status).toBe(200);

    // Her institution's second factor is hers to set; the institution's place is not.
    await page.getByRole('link', { name: 'Instituciones' }).click();
    await page.getByRole('button', { name: 'Editar (Albergue La Esperanza)' }).click();
    expect(await page.getByLabel('Jurisdicción (estado)').count()).toBe(0);
    await page.getByText(/la dependencia y la jurisdicción los cambia la administración de la plataforma/).waitFor();
    expect(await page.getByRole('button', { name: /Editar \(Comisión Estatal/ }).count()).toBe(0);
    await expectAccessible(page, 'institutions for an institution administrator');
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
