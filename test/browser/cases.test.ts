import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';

/**
 * The caseworker's day, end to end in a real browser: register a person (with the duplicate check),
 * open a case with a direct and an indirect victim, record a service, refer the case, and have the
 * receiving institution's supervisor accept it.
 */
let server: TestServer;
let browser: Browser;
let shelter: { id: string };
let ceav: { id: string };
let caseworker: { email: string };
let receivingSupervisor: { email: string };
let page: Page;
let caseUrl = '';
let folio = '';

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  shelter = await makeInstitution(server.db, { name: 'Albergue Hermanos en el Camino', type: 'shelter' });
  ceav = await makeInstitution(server.db, { name: 'Comisión Ejecutiva de Atención a Víctimas' });
  caseworker = await makeUser(server.db, shelter.id, 'caseworker');
  receivingSupervisor = await makeUser(server.db, ceav.id, 'supervisor');
  await makeUser(server.db, ceav.id, 'caseworker');
  // A record that already exists, written with accents and a different spelling of the surname.
  const api = await ApiClient.signIn(server.baseUrl, caseworker.email);
  const existing = await api.post('/api/v1/people', { given_names: 'María Guadalupe', surname1: 'Hernández', surname2: 'López', sex: 'female', date_of_birth: '1990-05-12', nationalities: ['GTM'] });
  expect(existing.status).toBe(201);
  ({ page } = await newPage(browser, server.baseUrl));
  await signIn(page, caseworker.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('case work in the browser', () => {
  it('a caseworker registers a person, opens a case, records services, refers it, and finds it again', async () => {
    // Registers a person: validates as the user types, suggests an existing record, places server issues on fields.
    await openFromMenu(page, 'Registrar persona', 'Atención');
    await page.getByRole('heading', { level: 1, name: 'Registrar persona' }).waitFor();

    await page.getByLabel('Nombre(s)').fill('Maria Guadalupe');
    await page.getByLabel('Primer apellido').fill('Hernandes');
    await page.getByLabel('Segundo apellido').fill('Lopez');
    await page.getByRole('heading', { name: '¿Es alguna de estas personas?' }).waitFor();
    const suggestion = page.locator('.match').filter({ hasText: 'María Guadalupe Hernández López' });
    await suggestion.waitFor();
    await expectAccessible(page, 'register person with suggestions');
    await page.screenshot({ path: '/tmp/amparo-register.png', fullPage: true });

    // Client-side rules: a date of birth in the future is refused as soon as the field is left.
    const dob = page.getByLabel('Fecha de nacimiento');
    await dob.fill('2999-01-01');
    await dob.blur();
    await page.getByText('La fecha no puede ser futura.').waitFor();
    expect(await dob.getAttribute('aria-invalid')).toBe('true');
    await dob.fill('1990-05-12');
    await expect.poll(() => page.getByText('La fecha no puede ser futura.').count()).toBe(0);

    // A different person after all: register them. The form checks with the server's own rules
    // (src/people/person.schema.ts), so an address the API would refuse is caught on its field.
    await page.getByLabel('Nombre(s)').fill('Rosa Elena');
    await page.getByLabel('Primer apellido').fill('Ramírez');
    await page.getByLabel('Segundo apellido').fill('Cruz');
    await page.getByRole('combobox', { name: 'Sexo', exact: true }).selectOption('female');
    await page.getByRole('combobox', { name: 'Nacionalidad', exact: true }).selectOption('HND');
    await page.getByLabel('Criollo haitiano').check();
    const email = page.getByLabel('Correo electrónico');
    await email.fill('rosa@example.c');
    await page.locator('form.person-form button[type="submit"]').click();
    await page.getByRole('alert').getByText('Revise los campos marcados antes de continuar.').waitFor();

    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const errorId = ((await email.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeTruthy();
    expect(await page.locator(`#${errorId}`).textContent()).toContain('correo válido');

    await email.fill('rosa@example.org');
    await page.locator('form.person-form button[type="submit"]').click();
    await page.getByRole('heading', { level: 1, name: 'Rosa Elena Ramírez Cruz' }).waitFor();
    await page.getByText('Criollo haitiano').waitFor();
    await expectAccessible(page, 'person page');

    // Opens a case with a direct victim (an existing record) and an indirect victim registered inline.
    await openFromMenu(page, 'Abrir expediente', 'Atención');
    await page.getByRole('heading', { level: 1, name: 'Abrir expediente' }).waitFor();
    await expectAccessible(page, 'open case (empty)');

    // Submitting empty shows the rules, next to their fields.
    await page.getByRole('button', { name: 'Abrir expediente' }).click();
    await page.locator('#participants-error').getByText('Añada al menos una persona al expediente.').waitFor();
    await page.getByRole('alert').getByRole('link', { name: 'Personas participantes: Añada al menos una persona al expediente.' }).waitFor();

    await page.getByLabel('Programa').selectOption('victim_assistance');
    await page.getByLabel('Trata de personas').check();
    await page.getByLabel('Resumen').fill('Ingresó al albergue tras ser rescatada en Tapachula.');

    await page.getByLabel('Buscar persona registrada').fill('Guadalupe Hernandez');
    await page.getByRole('button', { name: 'Añadir María Guadalupe Hernández López' }).click();
    await page.getByLabel('Papel de María Guadalupe Hernández López').waitFor();
    expect(await page.getByLabel('Papel de María Guadalupe Hernández López').inputValue()).toBe('direct_victim');

    await page.getByRole('button', { name: 'Registrar persona nueva' }).click();
    const inline = page.locator('.inline-panel');
    await inline.getByLabel('Nombre(s)').fill('José Luis');
    await inline.getByLabel('Primer apellido').fill('Pérez');
    await inline.getByRole('combobox', { name: 'Sexo', exact: true }).selectOption('male');
    await inline.getByLabel('No, edad aproximada').check();
    await inline.getByLabel('Edad aproximada (años)').fill('42');
    await inline.getByRole('button', { name: 'Registrar persona' }).click();
    const role = page.getByLabel('Papel de José Luis Pérez');
    await role.waitFor();
    await role.selectOption('indirect_victim');
    await page.getByLabel('Parentesco o relación de José Luis Pérez').fill('Esposo');
    await expectAccessible(page, 'open case (filled)');

    await page.getByRole('button', { name: 'Abrir expediente' }).click();
    await page.locator('.case-header h1').waitFor();
    folio = (await page.locator('.case-header h1').textContent()) ?? '';
    expect(folio).toMatch(/\d{4}/);
    caseUrl = new URL(page.url()).pathname;
    const people = page.locator('#participants');
    await people.getByText('María Guadalupe Hernández López').waitFor();
    await people.locator('li', { hasText: 'María Guadalupe' }).getByText('Víctima directa').waitFor();
    await people.locator('li', { hasText: 'José Luis Pérez' }).getByText('Víctima indirecta').waitFor();
    await people.getByText('Esposo').waitFor();
    await expectAccessible(page, 'case page');

    // Records a service, a note and an attachment.
    await page.getByRole('button', { name: 'Registrar servicio' }).click();
    await page.getByLabel('Persona atendida').selectOption({ label: 'María Guadalupe Hernández López' });
    await page.getByLabel('Tipo de servicio').selectOption('psychotherapy');
    await page.getByLabel('Unidad que lo otorgó').fill('Área de psicología');
    await page.getByRole('button', { name: 'Guardar servicio' }).click();
    const services = page.locator('#services');
    await services.getByRole('cell', { name: 'Atención psicológica', exact: true }).waitFor();
    await services.getByRole('cell', { name: 'Área de psicología' }).waitFor();

    await page.getByLabel('Nueva nota').fill('Se acordó una segunda sesión el lunes.');
    await page.getByRole('button', { name: 'Añadir nota' }).click();
    // The note in the list, not the form's own text before it clears.
    await page.locator('#notes ul.notes').getByText('Se acordó una segunda sesión el lunes.').waitFor();

    await page.getByLabel('Archivo', { exact: true }).setInputFiles({ name: 'constancia.txt', mimeType: 'text/plain', buffer: Buffer.from('Constancia de atención\n') });
    await page.getByRole('button', { name: 'Adjuntar archivo' }).click();
    const link = page.locator('#attachments').getByRole('link', { name: 'constancia.txt' });
    await link.waitFor();
    const download = await Promise.all([page.waitForEvent('download'), link.click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe('constancia.txt');
    await page.locator('#timeline').getByText('Servicio registrado').waitFor();
    await expectAccessible(page, 'case page with service');

    // Refers the case; the receiving supervisor accepts it and sees the shared view.
    await page.getByRole('button', { name: 'Canalizar a otra institución' }).click();
    await page.getByLabel('Institución que recibe').selectOption({ label: 'Comisión Ejecutiva de Atención a Víctimas' });
    await page.getByLabel('Motivo de la canalización').fill('Requiere asesoría jurídica y reparación del daño.');
    await page.getByLabel('Forma del consentimiento').selectOption('written');
    await page.getByRole('checkbox', { name: 'Servicios otorgados' }).check();
    await expectAccessible(page, 'referral form');
    await page.getByRole('button', { name: 'Enviar canalización' }).click();
    const referrals = page.locator('#referrals');
    await referrals.getByText('A Comisión Ejecutiva de Atención a Víctimas').waitFor();
    await referrals.getByText('Pendiente').waitFor();

    const other = await newPage(browser, server.baseUrl);
    const supervisorPage = other.page;
    await signIn(supervisorPage, receivingSupervisor.email);
    await supervisorPage.getByRole('link', { name: `Responder la canalización del expediente ${folio}` }).click();
    await supervisorPage.getByRole('heading', { level: 1, name: 'Canalizaciones' }).waitFor();
    const card = supervisorPage.locator('article', { hasText: folio });
    await card.getByText('Requiere asesoría jurídica').waitFor();
    await expectAccessible(supervisorPage, 'referrals inbox');
    await card.getByRole('button', { name: 'Aceptar' }).click();
    await card.getByLabel('Programa').selectOption('legal_aid');
    await card.getByRole('button', { name: 'Aceptar y abrir expediente' }).click();

    // The receiving case opens, with the same people.
    await supervisorPage.locator('#participants').getByText('María Guadalupe Hernández López').waitFor();
    await supervisorPage.locator('.case-header').getByText('Asesoría jurídica').waitFor();
    expect(new URL(supervisorPage.url()).pathname).not.toBe(caseUrl);

    // The originating case, as the receiving institution sees it: a banner, and nothing to change.
    await openFromMenu(supervisorPage, 'Canalizaciones', 'Atención');
    await supervisorPage.getByRole('link', { name: `Ver el expediente de origen ${folio} (vista compartida)` }).click();
    await supervisorPage.getByText('Vista compartida por Albergue Hermanos en el Camino').waitFor();
    await supervisorPage.locator('#services').getByRole('cell', { name: 'Atención psicológica' }).waitFor();
    expect(await supervisorPage.locator('#notes').count()).toBe(0);
    expect(await supervisorPage.getByRole('button', { name: 'Registrar servicio' }).count()).toBe(0);
    expect(await supervisorPage.getByRole('button', { name: 'Añadir nota' }).count()).toBe(0);
    await expectAccessible(supervisorPage, 'shared case view');
    await supervisorPage.screenshot({ path: '/tmp/amparo-shared.png', fullPage: true });
    expect(pageProblems(supervisorPage)).toEqual([]);
    await other.context.close();

    // Back at the shelter, the referral shows as accepted.
    await page.reload();
    await page.locator('#referrals').getByText('Aceptada').waitFor();

    // Finds the case in the list with filters.
    await openFromMenu(page, 'Lista de expedientes', 'Atención');
    await page.getByRole('heading', { level: 1, name: 'Expedientes' }).waitFor();
    await page.getByRole('link', { name: folio }).waitFor();
    await page.getByLabel('Programa').selectOption('health');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await page.getByText('No hay expedientes con estos filtros.').waitFor();
    await page.getByLabel('Programa').selectOption('victim_assistance');
    await page.getByLabel('Asignado a').selectOption('me');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await page.getByRole('link', { name: folio }).waitFor();
    expect(page.url()).toContain('programme=victim_assistance');
    await expectAccessible(page, 'case list');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/amparo-list-phone.png', fullPage: true });
    await page.goto(caseUrl);
    await page.locator('#services').waitFor();
    await page.screenshot({ path: '/tmp/amparo-case-phone.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: '/tmp/amparo-case.png', fullPage: true });
    expect(pageProblems(page)).toEqual([]);
  }, 240_000);
});
