import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';

/**
 * Issue 4's "done when", in Chromium: a consulate's search officer records a report from a family in
 * Honduras; an officer of the Sonora search commission records a person found alive, written
 * differently; the background worker proposes the pair; the officer compares it with the explanation
 * and confirms it; the family's page (folio + code) changes. Every screen is checked with axe, the
 * forms and the comparison also at 360 px.
 */

let server: TestServer;
let browser: Browser;
let consulateOfficer: { email: string };
let consulateCaseworker: { email: string };
let sonoraOfficer: { email: string };
let sonoraColleague: { email: string };
let folio = '';
let receipt = '';

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: true }), launchBrowser()]);
  const consulate = await makeInstitution(server.db, { code: 'CONSTGU', name: 'Consulado de México en Tegucigalpa', type: 'consulate', state_code: null });
  const sonora = await makeInstitution(server.db, { code: 'CBSONORA', name: 'Comisión de Búsqueda de Sonora', type: 'state_agency', state_code: '26' });
  consulateOfficer = await makeUser(server.db, consulate.id, 'search_officer');
  consulateCaseworker = await makeUser(server.db, consulate.id, 'caseworker');
  sonoraOfficer = await makeUser(server.db, sonora.id, 'search_officer');
  sonoraColleague = await makeUser(server.db, sonora.id, 'search_officer');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The field labelled exactly `label` (a required field's label ends with its asterisk). */
const field = (page: Page, label: string) => page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s*\\*)?$`));

async function select(page: Page, label: string, option: string) {
  await field(page, label).selectOption({ label: option });
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Navegación principal' });

/** A form at a phone's width: nothing wider than the screen, and axe finds nothing. */
async function formAt360(path: string, heading: string) {
  const { page, context } = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
  await signIn(page, consulateOfficer.email);
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByRole('button', { name: 'Guardar' }).click();
  await page.locator('.field-error').first().waitFor();
  await expectAccessible(page, `${path} with errors at 360 px`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(pageProblems(page)).toEqual([]);
  await context.close();
}

describe('the search for a missing person, as officers use it', () => {
  it('officers record a report, a person found alive is matched and confirmed, and everyone concerned is told', async () => {
    // A consulate officer records the family’s report and gets folio and access code.
    let { page, context } = await newPage(browser, server.baseUrl);
    await signIn(page, consulateOfficer.email);
    await openFromMenu(page, 'Reportes y localizados', 'Búsqueda');
    await page.getByRole('heading', { level: 1, name: 'Búsqueda de personas' }).waitFor();
    await expectAccessible(page, 'missing list (empty)');
    await page.getByRole('link', { name: 'Registrar reporte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrar reporte de persona desaparecida' }).waitFor();

    // Submitting empty: the required fields are flagged.
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.locator('.field-error').getByText('Escriba al menos un nombre o apellido.').waitFor();
    await page.getByRole('alert').getByRole('link', { name: /Escriba al menos un nombre o apellido\.$/ }).waitFor();
    await expectAccessible(page, 'report form with errors');

    await select(page, 'Canal', 'Por un consulado');
    await page.getByLabel('Nombre(s)', { exact: true }).fill('Ma. Guadalupe');
    await page.getByLabel('Primer apellido', { exact: true }).fill('Hernandez');
    await select(page, 'Sexo', 'Mujer');
    await page.getByLabel('Edad mínima').fill('29');
    await page.getByLabel('Edad máxima').fill('31');
    await select(page, 'Nacionalidad', 'Honduras');
    await page.getByRole('group', { name: 'Idiomas' }).getByLabel('Español').check();
    await page.getByLabel('Estatura mínima (cm)').fill('155');
    await page.getByLabel('Estatura máxima (cm)').fill('160');
    await page.getByLabel('Señas particulares, tatuajes, cicatrices').fill('Tatuaje de una golondrina y la palabra Esperanza en el antebrazo derecho');
    await page.getByLabel('Ropa que vestía la última vez').fill('Pantalón de mezclilla, sudadera gris');
    await page.getByLabel('Fecha en que se le vio por última vez').fill('2026-03-01');
    await select(page, 'Entidad donde se le vio por última vez', 'Chiapas');
    await page.getByLabel('Ruta', { exact: true }).fill('Tecún Umán – Tapachula – Arriaga');
    await page.getByLabel('Nombre de quien reporta').fill('Carlos Hernández');
    await select(page, 'Parentesco', 'Hermana o hermano');
    await page.getByLabel('Teléfono de contacto').fill('+504 9999 0000');
    await select(page, 'País de quien reporta', 'Honduras');
    await page.getByRole('button', { name: 'Guardar' }).click();

    await page.getByRole('heading', { level: 1, name: 'Reporte registrado' }).waitFor();
    folio = (await page.getByTestId('missing-folio').innerText()).trim();
    receipt = (await page.getByTestId('missing-receipt').innerText()).replace(/\s/g, '');
    expect(folio).toMatch(/^B-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(receipt).toMatch(/^\d{16}$/);
    // Shown in groups of four, with what to do with it, once, and printable.
    expect(await page.getByTestId('missing-receipt').innerText()).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    await page.getByText('Entregue estos datos a la familia').waitFor();
    await page.getByText('El código no se puede volver a mostrar.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Imprimir' }).waitFor();
    await expectAccessible(page, 'report receipt');

    // The list by state and date: the new report, its row, the count by state as a filter link.
    await openFromMenu(page, 'Reportes y localizados', 'Búsqueda');
    const row = page.getByRole('row', { name: new RegExp(folio) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Ma\. Guadalupe Hernandez[\s\S]*Mujer[\s\S]*Activa[\s\S]*Chiapas/);
    await page.getByRole('region', { name: 'Por entidad' }).getByRole('link', { name: 'Chiapas' }).click();
    await page.waitForURL(/state=07/);
    await expect(page.getByLabel('Entidad', { exact: true }).inputValue()).resolves.toBe('07');
    await row.waitFor();
    await expectAccessible(page, 'missing list filtered by state');
    await page.getByLabel('Nombre o folio').fill('Pérez');
    await page.getByRole('button', { name: 'Aplicar' }).click();
    await page.getByText('No hay registros con estos filtros.').first().waitFor();
    await page.getByRole('link', { name: 'Localizados', exact: true }).click();
    await page.waitForURL(/tab=found/);
    await page.getByRole('table').or(page.getByText('No hay registros con estos filtros.').first()).first().waitFor();

    // The report's page: the person as recorded and its history in words.
    await page.getByRole('link', { name: 'Reportes', exact: true }).click();
    await page.getByRole('link', { name: folio }).click();
    await page.getByRole('heading', { level: 1, name: `Reporte ${folio}` }).waitFor();
    await page.getByText('Reporte registrado (Por un consulado)').waitFor();
    await page.getByText('Tecún Umán – Tapachula – Arriaga').waitFor();
    expect(pageProblems(page)).toEqual([]);
    await page.context().close();

    // Both forms work at 360 px.
    await formAt360('/busqueda/reportes/nuevo', 'Registrar reporte de persona desaparecida');
    await formAt360('/busqueda/localizados/nuevo', 'Registrar persona localizada');

    // A caseworker of the consulate finds the new report under "Búsqueda" in the navigation.
    ({ page, context } = await newPage(browser, server.baseUrl));
    await signIn(page, consulateCaseworker.email);
    await mainNav(page).getByRole('link', { name: 'Búsqueda', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrar reporte de persona desaparecida' }).waitFor();
    expect(await mainNav(page).getByRole('link', { name: 'Coincidencias' }).count()).toBe(0);
    await context.close();

    // Sonora records a person found alive, written differently; the pair is proposed, compared and confirmed.
    ({ page, context } = await newPage(browser, server.baseUrl));
    await signIn(page, sonoraOfficer.email);
    // A search officer lands on the review queue; the form is under Búsqueda.
    await page.getByRole('heading', { level: 1, name: 'Coincidencias por revisar' }).waitFor();
    await openFromMenu(page, 'Reportes y localizados', 'Búsqueda');
    await page.getByRole('link', { name: 'Registrar persona localizada' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrar persona localizada' }).waitFor();
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.locator('.field-error').first().waitFor();
    await expectAccessible(page, 'found form with errors');
    await select(page, 'Condición', 'Con vida');
    await select(page, 'Situación', 'Rescate');
    await page.getByLabel('Nombre(s)', { exact: true }).fill('MARÍA GUADALUPE');
    await page.getByLabel('Primer apellido', { exact: true }).fill('HERNÁNDEZ');
    await page.getByLabel('Segundo apellido', { exact: true }).fill('LÓPEZ');
    await select(page, 'Sexo', 'Mujer');
    await page.getByLabel('Edad mínima').fill('28');
    await page.getByLabel('Edad máxima').fill('34');
    await page.getByLabel('Estatura mínima (cm)').fill('156');
    await page.getByLabel('Estatura máxima (cm)').fill('162');
    await page.getByLabel('Señas particulares, tatuajes, cicatrices').fill('golondrina en antebrazo der., letras "ESPERANZA"');
    await page.getByLabel('Ropa', { exact: true }).fill('sudadera gris');
    await page.getByLabel('Fecha de localización').fill('2026-05-20');
    await select(page, 'Entidad de localización', 'Sonora');
    await page.getByLabel('Lugar de localización').fill('Desierto de Altar');
    // Only remains have an estimated date of death.
    expect(await page.getByLabel('Fecha estimada de muerte: desde').count()).toBe(0);
    await page.getByLabel('Institución que resguarda').fill('Albergue Casa del Migrante, Altar');
    await page.getByLabel('Número de expediente de la institución').fill('CBS-2026-0412');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('heading', { level: 1, name: /^Persona localizada H-/ }).waitFor();
    await expectAccessible(page, 'found record page');

    // The background worker proposes the pair: the home of a search officer is the review queue.
    let found = false;
    await openFromMenu(page, 'Coincidencias', 'Búsqueda');
    for (let i = 0; i < 40 && !found; i++) {
      if (i > 0) await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Coincidencias por revisar' }).waitFor();
      found = (await page.getByRole('link', { name: new RegExp(`Comparar: ${folio}`) }).count()) > 0;
      if (!found) await page.waitForTimeout(250);
    }
    expect(found).toBe(true);
    await expectAccessible(page, 'review queue');
    await page.getByRole('link', { name: new RegExp(`Comparar: ${folio}`) }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Comparación ${folio}`) }).waitFor();

    // Side by side, and why: names as variants, the same tattoo, ages and heights compatible.
    const comparison = page.getByRole('table', { name: new RegExp(`Comparación ${folio}`) });
    await comparison.getByRole('cell', { name: 'Ma. Guadalupe Hernandez' }).waitFor();
    await comparison.getByRole('cell', { name: 'MARÍA GUADALUPE HERNÁNDEZ LÓPEZ' }).waitFor();
    const why = page.getByRole('table', { name: 'Por qué se propone' });
    // The evidence in words, each with how much it counts in steps and in text; no weights, no state codes.
    await why.getByRole('row', { name: /nombre equivalente \(abreviatura o apodo\)/ }).waitFor();
    await why.getByRole('row', { name: /mismo primer apellido/ }).waitFor();
    await why.getByRole('row', { name: /varias señas particulares en común/ }).waitFor();
    await why.getByRole('row', { name: /edades compatibles/ }).waitFor();
    await why.getByRole('row', { name: /estaturas compatibles/ }).waitFor();
    await why.getByRole('row', { name: /localizada en los dos años siguientes/ }).waitFor();
    await why.getByRole('row', { name: /otra entidad \(Chiapas \/ Sonora\)/ }).waitFor();
    expect(await why.getByRole('row', { name: /varias señas particulares en común/ }).innerText()).toMatch(/a favor, (moderada|fuerte)/);
    expect(await why.locator('.strength__step--on').count()).toBeGreaterThan(0);
    const evidence = await why.innerText();
    expect(evidence).not.toMatch(/[+−]\d/);
    expect(await why.getByRole('row', { name: /otra entidad/ }).innerText()).not.toMatch(/\d/);
    // The probability as a percentage in the heading's lead.
    expect(await page.locator('main').innerText()).toMatch(/\d+(,\d)? %/);
    // The reporter's identity stays with the consulate.
    expect(await page.locator('main').innerText()).not.toContain('Carlos');
    await expectAccessible(page, 'comparison');

    await page.getByLabel('Nota (opcional)').fill('Confirmado por entrevista: reconoce a su hermano Carlos.');
    await page.getByRole('button', { name: 'Confirmar: es la misma persona' }).click();
    await page.getByRole('alertdialog').waitFor();
    await expectAccessible(page, 'confirmation question');
    await page.getByRole('button', { name: 'Sí, continuar' }).click();
    await page.locator('main').getByText('Coincidencia confirmada. Estado del reporte: Localizada con vida.').waitFor();
    await expectAccessible(page, 'comparison after confirming');
    expect(pageProblems(page)).toEqual([]);
    await context.close();

    // A colleague at Sonora is notified and lands on the record Sonora holds, now identified.
    ({ page, context } = await newPage(browser, server.baseUrl));
    await signIn(page, sonoraColleague.email);
    const notice = page.getByRole('link', { name: /^Registro H-.* identificado: persona localizada con vida$/ });
    await notice.waitFor();
    await notice.click();
    await page.getByRole('heading', { level: 1, name: /^Persona localizada H-/ }).waitFor();
    await page.getByText(`Identificada: corresponde al reporte ${folio}.`).waitFor();
    await page.getByText(`Identificada: reporte ${folio}`).waitFor();
    await expectAccessible(page, 'identified found record');
    expect(pageProblems(page)).toEqual([]);
    await context.close();

    // The comparison works at 360 px.
    const candidate = await server.db.selectFrom('match_candidates').select('id').where('status', '=', 'confirmed').executeTakeFirstOrThrow();
    ({ page, context } = await newPage(browser, server.baseUrl, { width: 360, height: 740 }));
    await signIn(page, sonoraOfficer.email);
    await page.goto(`/busqueda/coincidencias/${candidate.id}`);
    await page.getByText('Esta coincidencia ya fue revisada: Confirmada.').waitFor();
    await page.getByRole('table', { name: 'Por qué se propone' }).getByRole('row', { name: /misma entidad|otra entidad/ }).waitFor();
    await expectAccessible(page, 'comparison at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();

    // The consulate officer is notified, the report shows the news, and the family’s page changes.
    ({ page, context } = await newPage(browser, server.baseUrl));
    await signIn(page, consulateOfficer.email);
    const news = page.getByRole('link', { name: `Persona localizada con vida: reporte ${folio}` });
    await news.waitFor();
    await expectAccessible(page, 'home with notices');
    await news.click();
    await page.getByRole('heading', { level: 1, name: `Reporte ${folio}` }).waitFor();
    await page.getByText('Localizada con vida: registro de localización H-').first().waitFor();
    await page.getByLabel('Mensaje para la familia').fill('Su hermana fue localizada con vida. Llame al consulado.');
    await page.getByRole('button', { name: 'Enviar mensaje' }).click();
    await page.getByText('Su hermana fue localizada con vida. Llame al consulado.').first().waitFor();
    await expectAccessible(page, 'report page');
    expect(pageProblems(page)).toEqual([]);
    await context.close();

    // The family's page: no account, folio and code.
    const family = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
    await family.page.goto('/familias/busqueda/seguimiento');
    await family.page.getByLabel(/Folio/).fill(folio);
    await family.page.getByLabel(/[Cc]ódigo/).fill(receipt);
    await family.page.getByRole('button', { name: /Consultar|Ver/ }).click();
    await family.page.getByText('Su hermana fue localizada con vida. Llame al consulado.').waitFor();
    const text = await family.page.locator('body').innerText();
    expect(text).toMatch(/localizada con vida/i);
    expect(text).not.toContain('MARÍA GUADALUPE HERNÁNDEZ LÓPEZ');
    await family.context.close();

    const api = new ApiClient(server.baseUrl);
    const status = await api.post('/api/v1/missing/public/status', { folio, receipt });
    expect(status.body.status).toBe('located_alive');
  }, 300_000);
});

describe('the remains\' page', () => {
  it('lists the reports that a mark and the description fit, ranked, with the evidence in words, at 1280 and 360 px', async () => {
    const consulate = await ApiClient.signIn(server.baseUrl, consulateOfficer.email);
    const sonora = await ApiClient.signIn(server.baseUrl, sonoraOfficer.email);
    const base = { channel: 'consulate', given_names: 'Ernesto', sex: 'male', age_min: 31, age_max: 31, age_on: '2025-01-10', nationalities: ['HND'], languages: ['spa'], height_min_cm: 168, height_max_cm: 172, marks: 'Tatuaje de un tucán en el hombro izquierdo', last_seen_on: '2025-01-10', last_seen_country: 'MEX', last_seen_state: '26', reporter: { name: 'Familiar', relationship: 'sibling', contact: { phone: '+504 9999 0001' }, country: 'HND' }, dna_reference_taken: false };
    const reports = [];
    for (const surname1 of ['Ruiz', 'Paz']) reports.push((await consulate.post('/api/v1/missing/reports', { ...base, surname1, last_seen_state: surname1 === 'Paz' ? '07' : '26' })).body);
    const remains = await sonora.post('/api/v1/missing/found', { condition: 'deceased', situation: 'remains', sex: 'male', age_min: 25, age_max: 35, height_min_cm: 165, height_max_cm: 175, marks: 'tucán tatuado en región deltoidea izquierda', found_on: '2025-06-15', death_from: '2025-02-01', death_to: '2025-05-30', found_state: '26', custodian_name: 'Servicio Médico Forense de Hermosillo', custodian_file_number: 'SEMEFO-2025-0777' });
    expect(remains.status, JSON.stringify(remains.body)).toBe(201);
    // The worker runs in this server: wait until the remains have been compared.
    for (let i = 0; i < 100 && (await server.db.selectFrom('missing_match_queue').select('record_id').execute()).length; i++) await new Promise((r) => setTimeout(r, 100));

    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      const { page, context } = await newPage(browser, server.baseUrl, viewport);
      await signIn(page, sonoraOfficer.email);
      await page.goto(`/busqueda/localizados/${remains.body.id}`);
      const section = page.getByRole('region', { name: 'Reportes compatibles, por razón de verosimilitud' });
      await section.getByText('2 reportes compatibles.').waitFor();
      const items = section.getByRole('listitem');
      // Seen in the same state as the remains were found: first.
      await items.first().locator('summary').getByText(reports[0].folio).waitFor();
      await items.nth(1).locator('summary').getByText(reports[1].folio).waitFor();
      await items.first().locator('summary').click();
      await items.first().getByRole('table', { name: `Evidencia del reporte ${reports[0].folio}` }).getByRole('row', { name: /misma entidad/ }).waitFor();
      await expectAccessible(page, `remains' page at ${viewport.width} px`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      expect(pageProblems(page)).toEqual([]);
      await context.close();
    }
  });
});
