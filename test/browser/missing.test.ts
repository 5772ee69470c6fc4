import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, pageProblems, signIn } from './browser.ts';

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
let sonoraOfficer: { email: string };
let folio = '';
let receipt = '';

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: true }), launchBrowser()]);
  const consulate = await makeInstitution(server.db, { code: 'CONSTGU', name: 'Consulado de México en Tegucigalpa', type: 'consulate', state_code: null });
  const sonora = await makeInstitution(server.db, { code: 'CBSONORA', name: 'Comisión de Búsqueda de Sonora', type: 'state_agency', state_code: '26' });
  consulateOfficer = await makeUser(server.db, consulate.id, 'search_officer');
  sonoraOfficer = await makeUser(server.db, sonora.id, 'search_officer');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function select(page: Page, label: string, option: string) {
  await page.getByLabel(label).selectOption({ label: option });
}

describe('the search for a missing person, as officers use it', () => {
  it('a consulate officer records the family’s report and gets folio and access code', async () => {
    const { page } = await newPage(browser, server.baseUrl);
    await signIn(page, consulateOfficer.email);
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Búsqueda', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Búsqueda de personas' }).waitFor();
    await expectAccessible(page, 'missing list (empty)');
    await page.getByRole('link', { name: 'Registrar reporte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrar reporte de persona desaparecida' }).waitFor();

    // Submitting empty: the required fields are flagged.
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Escriba al menos un nombre o apellido.').waitFor();
    await expectAccessible(page, 'report form with errors');

    await select(page, 'Canal', 'Por un consulado');
    await page.getByLabel('Nombre(s)', { exact: true }).fill('Ma. Guadalupe');
    await page.getByLabel('Primer apellido', { exact: true }).fill('Hernandez');
    await select(page, 'Sexo', 'Mujer');
    await page.getByLabel('Edad mínima').fill('29');
    await page.getByLabel('Edad máxima').fill('31');
    await select(page, 'Nacionalidad', 'Honduras');
    await page.getByLabel('Estatura mínima (cm)').fill('155');
    await page.getByLabel('Estatura máxima (cm)').fill('160');
    await page.getByLabel('Señas particulares, tatuajes, cicatrices').fill('Tatuaje de una golondrina y la palabra Esperanza en el antebrazo derecho');
    await page.getByLabel('Ropa que vestía la última vez').fill('Pantalón de mezclilla, sudadera gris');
    await page.getByLabel('Fecha en que se le vio por última vez').fill('2026-03-01');
    await select(page, 'Entidad donde se le vio por última vez', 'Chiapas');
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
    await expectAccessible(page, 'report receipt');
    expect(pageProblems(page)).toEqual([]);
    await page.context().close();
  });

  it('the form works at 360 px', async () => {
    const { page, context } = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
    await signIn(page, consulateOfficer.email);
    await page.goto('/busqueda/localizados/nuevo');
    await page.getByRole('heading', { level: 1, name: 'Registrar persona localizada' }).waitFor();
    await expectAccessible(page, 'found form at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();
  });

  it('Sonora records a person found alive, written differently; the pair is proposed, compared and confirmed', async () => {
    const { page, context } = await newPage(browser, server.baseUrl);
    await signIn(page, sonoraOfficer.email);
    await page.goto('/busqueda/localizados/nuevo');
    await page.getByRole('heading', { level: 1, name: 'Registrar persona localizada' }).waitFor();
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
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('heading', { level: 1, name: /^Persona localizada H-/ }).waitFor();
    await expectAccessible(page, 'found record page');

    // The background worker proposes the pair: the home of a search officer is the review queue.
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.goto('/busqueda/coincidencias');
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
    await why.getByRole('row', { name: /Nombre\(s\).*variante \(abreviatura o apodo\)/ }).waitFor();
    await why.getByRole('row', { name: /Señas particulares.*varias señas en común/ }).waitFor();
    await why.getByRole('row', { name: /Edad.*compatible/ }).waitFor();
    await why.getByRole('row', { name: /Estatura.*compatible/ }).waitFor();
    await why.getByRole('row', { name: /Fechas.*compatible/ }).waitFor();
    // The reporter's identity stays with the consulate.
    expect(await page.locator('main').innerText()).not.toContain('Carlos');
    await expectAccessible(page, 'comparison');

    await page.getByLabel('Nota (opcional)').fill('Confirmado por entrevista: reconoce a su hermano Carlos.');
    await page.getByRole('button', { name: 'Confirmar: es la misma persona' }).click();
    await page.getByRole('alertdialog').waitFor();
    await expectAccessible(page, 'confirmation question');
    await page.getByRole('button', { name: 'Sí, continuar' }).click();
    await page.locator('main').getByText('Coincidencia confirmada. Estado del reporte: Localizada con vida.').waitFor();
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('the comparison works at 360 px', async () => {
    const candidate = await server.db.selectFrom('match_candidates').select('id').where('status', '=', 'confirmed').executeTakeFirstOrThrow();
    const { page, context } = await newPage(browser, server.baseUrl, { width: 360, height: 740 });
    await signIn(page, sonoraOfficer.email);
    await page.goto(`/busqueda/coincidencias/${candidate.id}`);
    await page.getByText('Esta coincidencia ya fue revisada: Confirmada.').waitFor();
    await expectAccessible(page, 'comparison at 360 px');
    await context.close();
  });

  it('the consulate officer is notified, the report shows the news, and the family’s page changes', async () => {
    const { page, context } = await newPage(browser, server.baseUrl);
    await signIn(page, consulateOfficer.email);
    const notice = page.getByRole('link', { name: `Persona localizada con vida: reporte ${folio}` });
    await notice.waitFor();
    await expectAccessible(page, 'home with notices');
    await notice.click();
    await page.getByRole('heading', { level: 1, name: `Reporte ${folio}` }).waitFor();
    await page.getByText('Localizada con vida').first().waitFor();
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
  });
});
