import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { updateSettings } from '../../src/complaints/settings.service.ts';
import { expectAccessible, launchBrowser, mainMenu, newPage, openFromMenu, openUserMenu, pageProblems, signIn, waitForResult } from './browser.ts';

/**
 * The complaint handler's day in a real browser: a person files a complaint on the public form; the
 * unit's handler finds it in the inbox, asks for more information, admits it and sends it, with its
 * signed package, to the investigating authority.
 */
let server: TestServer;
let browser: Browser;
let handler: { email: string };
let colleagueWithAccess: { email: string };
let page: Page;
let folio = '';

/** A person files a complaint on the public, server-rendered form, without JavaScript; returns its folio. */
async function fileComplaint(): Promise<string> {
  const publicPage = await browser.newPage({ javaScriptEnabled: false, locale: 'es-MX' });
  await publicPage.goto(`${server.baseUrl}/quejas`);
  await publicPage.getByLabel('Queja', { exact: true }).check();
  await publicPage.getByLabel('¿Qué pasó?').fill('En el retén de Huixtla un agente me quitó mis documentos y me pidió dinero para devolverlos.');
  await publicPage.getByLabel('Estado').selectOption('07');
  await publicPage.getByLabel('Tipo de lugar').selectOption('checkpoint');
  await publicPage.getByRole('button', { name: 'Enviar' }).click();
  const filed = ((await publicPage.locator('#folio').textContent()) ?? '').trim();
  expect(filed).toMatch(/^Q-\d{4}-/);
  await publicPage.close();
  return filed;
}

// Each test works on records of its own: the inbox test on a complaint nobody has touched, the
// handling test on another complaint, taken by another handler, so that any order gives the same result.
beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const unit = await makeInstitution(server.db, { code: 'OICQ', name: 'Órgano Interno de Control del INM' });
  await updateSettings(server.db, null, { default_unit: unit.id });
  handler = await makeUser(server.db, unit.id, 'complaint_handler');
  colleagueWithAccess = await makeUser(server.db, unit.id, 'complaint_handler');
  folio = await fileComplaint();

  ({ page } = await newPage(browser, server.baseUrl));
  await signIn(page, handler.email);
  // Opening the inbox seals the unit's key to the colleagues who lack it.
  await page.goto('/quejas-bandeja');
  await page.getByRole('link', { name: folio }).waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('complaint handling in the browser', () => {
  it('shows the inbox to a complaint handler, with filters', async () => {
    await openFromMenu(page, 'Bandeja de quejas', 'Quejas');
    await page.getByRole('heading', { level: 1, name: 'Bandeja de quejas' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/quejas-bandeja');
    const row = page.locator('tbody tr', { hasText: folio });
    await row.getByText('Recibida', { exact: true }).waitFor();
    await row.getByText('Queja', { exact: true }).waitFor();
    await expectAccessible(page, 'complaints inbox');

    await page.getByLabel('Asignación').selectOption('me');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await page.getByText('No hay quejas con estos filtros.').waitFor();
    expect(page.url()).toContain('assigned=me');
    await page.getByRole('button', { name: 'Limpiar filtros' }).click();
    await page.getByRole('link', { name: folio }).click();
    await page.getByRole('heading', { level: 1, name: folio }).waitFor();
  });

  it('opens the complaint, assigns it, asks for information, admits it and transmits it', async () => {
    const ownFolio = await fileComplaint();
    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, colleagueWithAccess.email);
    await page.goto('/quejas-bandeja');
    await page.getByRole('link', { name: ownFolio }).click();
    await page.getByRole('heading', { level: 1, name: ownFolio }).waitFor();
    await page.locator('#complaint-details').getByText('me pidió dinero para devolverlos').waitFor();
    await page.locator('#complaint-details').getByText('Punto de revisión o retén').waitFor();
    await page.locator('#complaint-contact').getByText('Queja anónima').waitFor();
    await expectAccessible(page, 'complaint page');

    await page.getByRole('button', { name: 'Asignarme esta queja' }).click();
    await page.getByRole('button', { name: 'Quitar asignación' }).waitFor();

    const badges = page.locator('.case-header__badges');
    await page.getByLabel('Mensaje para la persona').fill('¿Recuerda el número de la patrulla o el nombre del agente?');
    await page.getByLabel('Es una solicitud de información').check();
    await page.getByRole('button', { name: 'Enviar mensaje' }).click();
    await badges.getByText('Se solicitó más información').waitFor();
    // The message in the list (not the form's own text, which may still be there until the form clears).
    await page.locator('#complaint-messages').getByRole('paragraph').filter({ hasText: '¿Recuerda el número de la patrulla' }).waitFor();
    await expect.poll(() => page.getByLabel('Mensaje para la persona').inputValue()).toBe('');

    await page.getByLabel('Nueva nota interna').fill('Se revisó con el área jurídica; procede.');
    await page.getByRole('button', { name: 'Añadir nota' }).click();
    // The note in the list, not the form's own text (the note's write may still be under way).
    await page.locator('#complaint-notes').getByRole('paragraph').filter({ hasText: 'Se revisó con el área jurídica; procede.' }).waitFor();
    await expect.poll(() => page.getByLabel('Nueva nota interna').inputValue()).toBe('');

    await page.getByLabel('Nuevo estado').selectOption('admitted');
    await page.getByRole('button', { name: 'Guardar estado' }).click();
    await waitForResult(page, badges.getByText('Admitida', { exact: true }));
    await expectAccessible(page, 'complaint page (admitted, transmit form)');

    await page.getByLabel('Autoridad que recibe').fill('Fiscalía Especializada en Delitos contra Migrantes');
    await page.getByLabel('Medio de envío').selectOption('electronic');
    await page.getByLabel('Referencia (número de oficio o de envío)').fill('OIC/123/2026');
    await page.getByRole('checkbox', { name: 'Notas internas' }).check();
    await page.getByRole('button', { name: 'Turnar y generar paquete firmado' }).click();
    const result = page.locator('.alert--success', { hasText: 'Queja turnada' });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/[0-9a-f]{64}/);
    await badges.getByText('Turnada a la autoridad investigadora').waitFor();
    const transmissions = page.locator('#complaint-transmissions');
    await transmissions.getByRole('cell', { name: 'Fiscalía Especializada en Delitos contra Migrantes', exact: true }).waitFor();
    await transmissions.getByRole('link', { name: /Descargar el paquete/ }).waitFor();
    await page.locator('#complaint-custody').getByText('La cadena está íntegra.').waitFor();
    await page.locator('#complaint-custody').getByRole('cell', { name: 'Turnada', exact: true }).waitFor();
    await expectAccessible(page, 'complaint page (transmitted)');

    await page.screenshot({ path: '/tmp/amparo-complaint.png', fullPage: true });

    // English is complete: the same page in the other language.
    await openUserMenu(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: /Chain of custody/ }).waitFor();
    await badges.getByText('Sent to the investigating authority').waitFor();
    await mainMenu(page).getByRole('button', { name: 'Complaints', exact: true }).waitFor();
    await openUserMenu(page);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 2, name: /Cadena de custodia/ }).waitFor();
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('tells a newly added handler that encrypted access is pending, until a colleague opens the inbox', async () => {
    const unitId = (await server.db.selectFrom('institutions').select('id').where('code', '=', 'OICQ').executeTakeFirstOrThrow()).id;
    const colleague = await makeUser(server.db, unitId, 'complaint_handler');
    const { context, page: other } = await newPage(browser, server.baseUrl);
    await signIn(other, colleague.email);
    await other.goto('/quejas-bandeja');
    await other.getByText('Acceso cifrado pendiente.').waitFor();
    await expectAccessible(other, 'complaints inbox (encrypted access pending)');
    await other.getByRole('link', { name: folio }).click();
    await other.getByText(/Todavía no tiene acceso cifrado a las quejas de esta unidad/).waitFor();

    // The first handler opens the inbox: the unit key is sealed to the colleague.
    await page.goto('/quejas-bandeja');
    await page.getByRole('link', { name: folio }).waitFor();
    await other.goto('/quejas-bandeja');
    await other.getByRole('link', { name: folio }).click();
    await other.getByRole('heading', { level: 1, name: folio }).waitFor();
    await other.getByText(/En el retén de Huixtla un agente me quitó mis documentos/).waitFor();
    expect(await other.getByText('Acceso cifrado pendiente.').count()).toBe(0);
    expect(pageProblems(other)).toEqual([]);
    await context.close();
  });
});
