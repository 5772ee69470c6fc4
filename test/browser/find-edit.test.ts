import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, pageProblems, signIn } from './browser.ts';

/**
 * Finding and editing where things are shown (issue 10, items 1 and 2): the header's search box
 * finds a person and her case file; her date of birth is corrected with a reason and the history
 * says so; a case's summary and a service are changed in place; what a role may not change says why.
 */
let server: TestServer;
let browser: Browser;
let caseworker: { email: string };
let supervisor: { email: string };
let caseId = '';
let personId = '';
let folio = '';

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const searchBox = (page: Page) => page.getByRole('combobox', { name: 'Buscar persona o folio' });

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const shelter = await makeInstitution(server.db, { name: 'Albergue Belén', type: 'shelter' });
  caseworker = await makeUser(server.db, shelter.id, 'caseworker');
  supervisor = await makeUser(server.db, shelter.id, 'supervisor');
  const api = await ApiClient.forSession(server, caseworker.email);
  const person = await api.post('/api/v1/people', { given_names: 'Juana Isabel', surname1: 'Pérez', surname2: 'Gómez', sex: 'female', date_of_birth: '1991-03-04', nationalities: ['HND'] });
  expect(person.status).toBe(201);
  personId = person.body.id;
  // A namesake, so that the list has more than one person to move through.
  await api.post('/api/v1/people', { given_names: 'Juana', surname1: 'Pérez', sex: 'female', estimated_age: 30, age_estimated_on: '2026-01-10', nationalities: ['GTM'] });
  const opened = await api.post('/api/v1/cases', { programme: 'victim_assistance', opened_on: '2026-01-10', summary: 'Llegó sola al albergue.', participants: [{ person_id: personId, role: 'direct_victim' }] });
  expect(opened.status).toBe(201);
  caseId = opened.body.id;
  folio = opened.body.folio;
  const service = await api.post(`/api/v1/cases/${caseId}/services`, { person_id: personId, service_type: 'legal', provided_on: '2026-01-12', provider_unit: 'Jurídico' });
  expect(service.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// One caseworker's session walked step by step (the page carries over): a journey, in order.
describe('find and edit where it is shown', { shuffle: false }, () => {
  let page: Page;

  it('finds a person from the header search with the keyboard and opens her case file', async () => {
    ({ page } = await newPage(browser, server.baseUrl));
    await signIn(page, caseworker.email);
    const box = searchBox(page);
    // A name as heard, with her date of birth and sex: the search understands both.
    await box.fill('Juana Isabel Peres Gomez 04/03/1991 mujer');
    const listbox = page.getByRole('listbox', { name: 'Resultados de la búsqueda' });
    const person = listbox.getByRole('group', { name: 'Personas' }).getByRole('option', { name: /Juana Isabel Pérez Gómez/ });
    await person.waitFor();
    // What tells her apart from her namesake: age, nationality, and her case file with her name.
    expect(await person.innerText()).toContain('Honduras');
    await listbox.getByRole('group', { name: 'Expedientes' }).getByRole('option', { name: new RegExp(folio) }).waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page, 'header search with results');

    // Escape closes the list; the arrows open it again and move the active option.
    await box.press('Escape');
    await expect.poll(() => box.getAttribute('aria-expanded')).toBe('false');
    await box.press('ArrowDown');
    await expect.poll(() => box.getAttribute('aria-expanded')).toBe('true');
    const first = await box.getAttribute('aria-activedescendant');
    expect(first).toBeTruthy();
    expect(await page.locator(`[id="${first}"]`).getAttribute('aria-selected')).toBe('true');
    let activeText = await page.locator(`[id="${first}"]`).innerText();
    while (!activeText.includes('Juana Isabel Pérez Gómez')) {
      await box.press('ArrowDown');
      activeText = await page.locator(`[id="${(await box.getAttribute('aria-activedescendant'))!}"]`).innerText();
    }
    await box.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Juana Isabel Pérez Gómez' }).waitFor();
    expect(await box.inputValue()).toBe('');

    await page.getByRole('link', { name: folio }).click();
    await page.getByRole('heading', { level: 1, name: folio }).waitFor();
    expect(pageProblems(page)).toEqual([]);
  });

  it('corrects her date of birth with a reason and shows the correction in the history', async () => {
    await page.goto(`/personas/${personId}`);
    await page.getByRole('heading', { level: 1, name: 'Juana Isabel Pérez Gómez' }).waitFor();
    await page.getByText('Los datos no se han corregido desde el registro.').waitFor();
    await page.getByRole('button', { name: 'Corregir datos' }).click();
    await page.getByRole('heading', { name: 'Corregir los datos de la persona' }).waitFor();
    await page.getByLabel('Fecha de nacimiento').fill('1991-04-03');
    // The reason is asked for: without it nothing is sent.
    await page.getByRole('button', { name: 'Guardar corrección' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Motivo de la corrección: Escriba el motivo de la corrección.' }).waitFor();
    await expectAccessible(page, 'person correction form with an error');
    await page.getByLabel('Motivo de la corrección').fill('Mostró su pasaporte hondureño.');
    await page.getByRole('button', { name: 'Guardar corrección' }).click();

    const history = page.getByRole('region', { name: 'Historial de correcciones' });
    await history.getByText('Motivo: Mostró su pasaporte hondureño.').waitFor();
    const entry = await history.locator('li').first().innerText();
    expect(entry).toMatch(/Fecha de nacimiento: antes 4 mar\.? 1991; ahora 3 abr\.? 1991\./);
    expect(entry).toContain('Corrección del');
    await page.getByRole('region', { name: 'Datos de la persona' }).getByText(/3 abr\.? 1991/).waitFor();
    await expectAccessible(page, 'person page with history');

    // Through the API the record says the same.
    const api = await ApiClient.forSession(server, caseworker.email);
    expect((await api.get(`/api/v1/people/${personId}`)).body.date_of_birth).toBe('1991-04-03');
  });

  it('edits a case summary and corrects a service in place; the timeline keeps both', async () => {
    await page.goto(`/expedientes/${caseId}`);
    await page.getByRole('heading', { level: 1, name: folio }).waitFor();
    const summary = page.getByRole('region', { name: 'Resumen y clasificación' });
    await summary.getByRole('button', { name: 'Editar resumen y clasificación' }).click();
    await summary.getByLabel('Resumen').fill('Llegó sola al albergue; pide asesoría para solicitar refugio.');
    await summary.getByLabel('Trata de personas').check();
    await expectAccessible(page, 'case summary form');
    await summary.getByRole('button', { name: 'Guardar cambios' }).click();
    await summary.getByText('Llegó sola al albergue; pide asesoría para solicitar refugio.').waitFor();
    await summary.getByText('Trata de personas').waitFor();
    await expect.poll(() => summary.getByRole('button', { name: 'Editar resumen y clasificación' }).evaluate((el) => el === document.activeElement)).toBe(true);

    const services = page.getByRole('region', { name: /Servicios otorgados/ });
    await services.getByRole('button', { name: /^Corregir/ }).click();
    await services.getByLabel('Unidad que lo otorgó').fill('Clínica jurídica');
    await services.getByRole('button', { name: 'Guardar corrección' }).click();
    await services.getByRole('cell', { name: 'Clínica jurídica' }).waitFor();
    const timeline = page.getByRole('region', { name: 'Historial' });
    await timeline.getByText('Servicio corregido').waitFor();
    await timeline.getByText('Expediente actualizado').waitFor();
  });

  it('tells a caseworker, in words, that only supervisors assign the case; a supervisor gets the form instead', async () => {
    await page.getByText('Solo la supervisión de la institución asigna o reasigna expedientes.').waitFor();
    expect(await page.getByLabel('Asignar a').count()).toBe(0);
    await expectAccessible(page, 'case page for a caseworker');
    await page.context().close();

    const { context, page: supervisorPage } = await newPage(browser, server.baseUrl);
    await signIn(supervisorPage, supervisor.email);
    await supervisorPage.goto(`/expedientes/${caseId}`);
    await supervisorPage.getByLabel('Asignar a').waitFor();
    expect(await supervisorPage.getByText('Solo la supervisión de la institución asigna o reasigna expedientes.').count()).toBe(0);
    await context.close();
  });

  it('at 360 px: the search opens from a button across the header; case list, case and person pages do not scroll sideways', async () => {
    const { context, page: phone } = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
    await signIn(phone, caseworker.email);
    expect(await searchBox(phone).isVisible()).toBe(false);
    await phone.getByRole('button', { name: 'Buscar', exact: true }).click();
    const box = searchBox(phone);
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill(folio);
    const option = phone.getByRole('option', { name: new RegExp(folio) });
    await option.waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await expectAccessible(phone, 'header search at 360 px');
    await option.click();
    await phone.getByRole('heading', { level: 1, name: folio }).waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await expectAccessible(phone, 'case page at 360 px');

    await phone.goto('/expedientes');
    await phone.getByRole('heading', { level: 1, name: 'Expedientes' }).waitFor();
    // Compact rows with names; the filters other than the name wait behind "Filtros".
    await phone.getByRole('cell', { name: 'Juana Isabel Pérez Gómez' }).waitFor();
    expect(await phone.getByLabel('Programa').isVisible()).toBe(false);
    await phone.getByRole('button', { name: 'Filtros', exact: true }).click();
    await phone.getByLabel('Programa').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await expectAccessible(phone, 'case list at 360 px');
    await phone.getByLabel('Nombre de una persona').fill('Juana Isabel Peres Gomez');
    await phone.getByRole('button', { name: 'Aplicar filtros' }).click();
    await phone.waitForURL(/name=Juana/);
    await phone.getByRole('cell', { name: 'Juana Isabel Pérez Gómez' }).waitFor();

    await phone.goto(`/personas/${personId}`);
    await phone.getByRole('heading', { level: 1, name: 'Juana Isabel Pérez Gómez' }).waitFor();
    await phone.getByRole('button', { name: 'Corregir datos' }).click();
    await phone.getByLabel('Motivo de la corrección').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await expectAccessible(phone, 'person correction at 360 px');
    expect(pageProblems(phone)).toEqual([]);
    await context.close();
  });
});
