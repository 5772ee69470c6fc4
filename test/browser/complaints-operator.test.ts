import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { updateSettings } from '../../src/complaints/settings.service.ts';
import { expectAccessible, launchBrowser, mainMenu, newPage, openFromMenu, openUserMenu, pageProblems, signIn } from './browser.ts';
import { pdfText } from '../pdf-text.ts';

/**
 * Complaints taken by phone or in person, in a real browser: a shelter's caseworker records a phone
 * complaint, reads folio and receipt back and downloads the acuse; the person follows the complaint
 * with them on the public page; the receiving unit's handler sets and releases a legal hold and
 * forwards the complaint to another unit.
 */
let server: TestServer;
let browser: Browser;
let unitA: { id: string; name: string };
let unitB: { id: string; name: string };
let shelter: { id: string; name: string };
let operator: { id: string; email: string };
let handlerA: { id: string; email: string };
let handlerB: { id: string; email: string };
let page: Page;
let folio = '';
let receipt = '';

/** Text that sticks out past the right edge of the window (nothing should at 360 px), and the page's own overflow. */
async function overflowing(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('.visually-hidden')) continue; // clipped to 1 px on purpose
      const range = document.createRange();
      range.selectNodeContents(node);
      if (range.getBoundingClientRect().right > window.innerWidth + 0.5) out.push((node.textContent ?? '').trim().slice(0, 60));
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
    return out;
  });
}

async function downloadAcuse(p: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Descargar acuse (PDF)' }).click()]);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return { name: download.suggestedFilename(), text: (await pdfText(bytes)).text };
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  unitA = await makeInstitution(server.db, { code: 'OICINM', name: 'Órgano Interno de Control del INM' });
  unitB = await makeInstitution(server.db, { code: 'OICGN', name: 'Órgano Interno de Control de la Guardia Nacional' });
  shelter = await makeInstitution(server.db, { name: 'Albergue Hermanos en el Camino', type: 'shelter' });
  await updateSettings(server.db, null, { default_unit: unitA.id });
  operator = await makeUser(server.db, shelter.id, 'caseworker');
  handlerA = await makeUser(server.db, unitA.id, 'complaint_handler');
  handlerB = await makeUser(server.db, unitB.id, 'complaint_handler');
  ({ page } = await newPage(browser, server.baseUrl));
  await signIn(page, operator.email);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('complaints recorded by an operator, in the browser', () => {
  it('an operator records a phone complaint; the person follows it; the unit’s handler holds and forwards it', async () => {
    // Offers as forwarding targets only the other units that have a complaint handler.
    const api = await ApiClient.signIn(server.baseUrl, handlerA.email);
    const targets = await api.get<{ items: { id: string; name: string }[] }>('/api/v1/complaints/forward-targets');
    expect(targets.status).toBe(200);
    const ids = targets.body.items.map((u) => u.id);
    expect(ids).toContain(unitB.id);
    expect(ids).not.toContain(unitA.id); // its own unit
    expect(ids).not.toContain(shelter.id); // nobody there could open a complaint
    const operatorApi = await ApiClient.signIn(server.baseUrl, operator.email);
    expect((await operatorApi.get('/api/v1/complaints/forward-targets')).status).toBe(403);

    // Records a phone complaint: validation with an error summary, then folio and receipt to read back, and the acuse.
    await mainMenu(page).getByRole('link', { name: 'Quejas', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrar queja' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/quejas-bandeja/nueva');
    await expectAccessible(page, 'record complaint form');

    // Nothing filled: a summary lists what is missing and focus goes to the first field (the channel).
    await page.getByRole('button', { name: 'Registrar queja' }).click();
    const summary = page.locator('.error-summary');
    await summary.getByText('Revise estos datos:').waitFor();
    for (const text of ['Medio por el que se recibe: Este campo es obligatorio.', 'Qué desea presentar: Este campo es obligatorio.', 'Relato de los hechos: Este campo es obligatorio.', 'Tipo de lugar: Este campo es obligatorio.', 'Autoridad: Este campo es obligatorio.']) {
      await summary.getByRole('link', { name: text }).waitFor();
    }
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'channel');
    await expectAccessible(page, 'record complaint form with errors');
    await summary.getByRole('link', { name: /^Relato de los hechos/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cn-narrative');

    await page.getByRole('radio', { name: 'Teléfono' }).check();
    await page.getByRole('radio', { name: 'Denuncia' }).check();
    await page.getByLabel('Relato de los hechos').fill('En el retén de Huixtla un agente del INM me quitó mis documentos y me pidió 5,000 pesos para devolverlos.');
    await page.getByLabel('Fecha de los hechos').fill('2024-03-15');
    await page.getByRole('combobox', { name: 'Estado', exact: true }).selectOption('07');
    await page.getByLabel('Municipio o ciudad').fill('Huixtla');
    await page.getByLabel('Tipo de lugar').selectOption('checkpoint');
    await page.getByRole('combobox', { name: 'Autoridad', exact: true }).selectOption('migration_institute');
    await page.getByLabel('Institución u oficina').fill('Instituto Nacional de Migración, retén de Huixtla');
    await page.getByLabel('Nombre o descripción de la persona servidora pública').fill('Hombre alto, con bigote, uniforme del INM');
    await page.getByLabel('Número de placa, gafete o credencial').fill('INM-4471');
    await page.getByLabel('Número o placas del vehículo').fill('DFT-123-A');
    await page.getByRole('radio', { name: 'No, da su nombre' }).check();
    await page.getByRole('textbox', { name: 'Nombre', exact: true }).fill('Rosa Elena Martínez');
    await page.getByRole('textbox', { name: 'Teléfono' }).fill('+52 962 555 0101');
    // A client-side rule as the operator types: a malformed email is flagged when the field is left.
    const email = page.getByRole('textbox', { name: 'Correo electrónico' });
    await email.fill('rosa@');
    await email.blur();
    await page.locator('#cn-contact_email-error').getByText('Escriba un correo válido').waitFor();
    await summary.getByRole('link', { name: /^Correo electrónico: Escriba un correo válido/ }).waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await email.fill('');
    expect(await summary.count()).toBe(0); // every error fixed: the summary is gone

    await page.getByRole('button', { name: 'Registrar queja' }).click();
    await page.getByRole('heading', { level: 2, name: 'Queja registrada' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('complaint-received-title');
    folio = ((await page.locator('#complaint-folio').textContent()) ?? '').trim();
    receipt = ((await page.locator('#complaint-receipt').textContent()) ?? '').trim();
    expect(folio).toMatch(/^Q-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    await page.getByText('Lea a la persona el folio y el número de recibo').waitFor();
    await page.getByText('El número de recibo no se puede volver a mostrar').waitFor();
    await expectAccessible(page, 'complaint recorded (folio and receipt)');

    // What was stored: a phone complaint recorded by the operator, routed to the default unit.
    const row = await server.db.selectFrom('complaints').select(['channel', 'kind', 'recorded_by', 'institution_id', 'anonymous', 'place_type', 'authority_type', 'state_code']).where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'phone', kind: 'report', recorded_by: operator.id, institution_id: unitA.id, anonymous: false, place_type: 'checkpoint', authority_type: 'migration_institute', state_code: '07' });

    // The acuse: a PDF with the folio; the receipt only when the box is ticked.
    const plain = await downloadAcuse(page);
    expect(plain.name).toBe(`acuse-${folio}.pdf`);
    expect(plain.text).toContain(folio);
    expect(plain.text).not.toContain(receipt);
    await page.getByLabel('Incluir el número de recibo secreto en el acuse').check();
    const withReceipt = await downloadAcuse(page);
    expect(withReceipt.text).toContain(receipt);
    const custody = await server.db.selectFrom('complaint_custody').innerJoin('complaints', 'complaints.id', 'complaint_custody.complaint_id').select(['action', 'detail']).where('complaints.folio', '=', folio).orderBy('seq').execute();
    expect(custody.map((c) => c.action)).toEqual(['received', 'acuse_issued', 'acuse_issued']);

    // On a small phone: still accessible, nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 780 });
    await expectAccessible(page, 'complaint recorded at 360 px');
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/amparo-complaint-recorded-360.png', fullPage: true });

    // Another complaint: the receipt is gone for good, the form is empty again.
    await page.getByRole('button', { name: 'Registrar otra queja' }).click();
    await page.getByLabel('Relato de los hechos').waitFor();
    expect(await page.locator('#complaint-receipt').count()).toBe(0);
    expect(await page.getByLabel('Relato de los hechos').inputValue()).toBe('');
    await expectAccessible(page, 'record complaint form at 360 px');
    expect(await overflowing(page)).toEqual([]);
    await page.getByRole('button', { name: 'Registrar queja' }).click();
    await page.locator('.error-summary').waitFor();
    await expectAccessible(page, 'record complaint form with errors at 360 px');
    await page.screenshot({ path: '/tmp/amparo-complaint-form-360.png', fullPage: true });
    expect(await overflowing(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });

    // English is complete.
    await openUserMenu(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a complaint' }).waitFor();
    await page.getByRole('radio', { name: 'In person' }).waitFor();
    await openUserMenu(page);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrar queja' }).waitFor();
    expect(pageProblems(page)).toEqual([]);

    // Lets the person follow the complaint on the public page with folio and receipt.
    const publicPage = await browser.newPage({ javaScriptEnabled: false, locale: 'es-MX' });
    await publicPage.goto(`${server.baseUrl}/quejas/seguimiento`);
    await publicPage.getByLabel('Folio').fill(folio);
    await publicPage.getByLabel('Número de recibo (16 dígitos)').fill(receipt);
    await publicPage.getByRole('button', { name: 'Consultar' }).click();
    await publicPage.getByRole('heading', { level: 1, name: `Queja ${folio}` }).waitFor();
    expect(((await publicPage.locator('#status').textContent()) ?? '').trim()).toBe('Recibida');
    await publicPage.close();

    // Lets the unit’s handler set and release a legal hold, and forward the complaint to another unit.
    const { page: handlerPage } = await newPage(browser, server.baseUrl);
    await signIn(handlerPage, handlerA.email);
    // Complaint handlers find "record a complaint" next to their inbox.
    await mainMenu(handlerPage).getByRole('button', { name: 'Quejas', exact: true }).click();
    await mainMenu(handlerPage).getByRole('link', { name: 'Registrar queja' }).waitFor();
    await openFromMenu(handlerPage, 'Bandeja de quejas', 'Quejas');
    await handlerPage.getByRole('link', { name: folio }).click();
    await handlerPage.getByRole('heading', { level: 1, name: folio }).waitFor();
    await handlerPage.locator('#complaint-contact').getByText('Rosa Elena Martínez').waitFor();

    const holdState = handlerPage.locator('#hold-state');
    expect(((await holdState.textContent()) ?? '').trim()).toBe('La queja no está en resguardo legal.');
    await expectAccessible(handlerPage, 'complaint page with legal hold and forward controls');

    await handlerPage.getByLabel('Motivo (por ejemplo, el número de juicio o de oficio)').fill('Juicio de amparo 123/2026');
    await handlerPage.getByRole('button', { name: 'Poner en resguardo legal' }).click();
    await holdState.getByText('La queja está en resguardo legal. Motivo: Juicio de amparo 123/2026').waitFor();
    await handlerPage.locator('.case-header__badges').getByText('En resguardo legal').waitFor();
    await handlerPage.locator('.case-header__facts').getByText('Sí: Juicio de amparo 123/2026').waitFor();
    await handlerPage.locator('#complaint-custody').getByRole('cell', { name: 'Resguardo legal activado' }).waitFor();
    const held = await server.db.selectFrom('complaints').select(['legal_hold', 'legal_hold_reason']).where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(held).toEqual({ legal_hold: true, legal_hold_reason: 'Juicio de amparo 123/2026' });
    await expectAccessible(handlerPage, 'complaint page under legal hold');

    await handlerPage.getByRole('button', { name: 'Retirar el resguardo legal' }).click();
    await holdState.getByText('La queja no está en resguardo legal.').waitFor();
    await handlerPage.locator('#complaint-custody').getByRole('cell', { name: 'Resguardo legal retirado' }).waitFor();
    expect(await handlerPage.locator('.case-header__badges').getByText('En resguardo legal').count()).toBe(0);
    expect((await server.db.selectFrom('complaints').select('legal_hold').where('folio', '=', folio).executeTakeFirstOrThrow()).legal_hold).toBe(false);

    // Forward: only units with a complaint handler are offered, and the choice is confirmed.
    const unitSelect = handlerPage.getByLabel('Unidad que la recibe');
    const offered = await unitSelect.locator('option').allTextContents();
    expect(offered).toContain(unitB.name);
    expect(offered).not.toContain(unitA.name);
    expect(offered).not.toContain(shelter.name);
    await handlerPage.getByRole('button', { name: 'Enviar a otra unidad' }).click();
    await handlerPage.locator('#forward-unit-error').getByText('Este campo es obligatorio.').waitFor();
    await unitSelect.selectOption(unitB.id);
    await handlerPage.getByLabel('Nota interna para la otra unidad (opcional)').fill('Corresponde a la Guardia Nacional: el retén era conjunto.');
    await handlerPage.getByRole('button', { name: 'Enviar a otra unidad' }).click();
    const confirm = handlerPage.locator('#forward-confirm');
    await confirm.getByText(`¿Enviar la queja ${folio} a ${unitB.name}? Su unidad dejará de verla.`).waitFor();
    expect(await handlerPage.evaluate(() => document.activeElement?.id)).toBe('forward-confirm');
    await expectAccessible(handlerPage, 'forward confirmation');
    await confirm.getByRole('button', { name: 'Sí, enviarla' }).click();
    await handlerPage.getByRole('heading', { level: 1, name: 'Queja enviada a otra unidad' }).waitFor();
    await handlerPage.locator('.alert--success').getByText(`La queja ${folio} se envió a ${unitB.name}. Ya no está en la bandeja de su unidad.`).waitFor();
    await expectAccessible(handlerPage, 'complaint forwarded');

    // The other unit has it (with the note); this one no longer does.
    const moved = await server.db.selectFrom('complaints').select(['id', 'institution_id']).where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(moved.institution_id).toBe(unitB.id);
    const apiB = await ApiClient.signIn(server.baseUrl, handlerB.email);
    const inboxB = await apiB.get<{ items: { folio: string }[] }>('/api/v1/complaints?limit=100');
    expect(inboxB.body.items.map((i) => i.folio)).toContain(folio);
    const viewB = await apiB.get<{ notes: { body: string }[]; custody: { action: string }[] }>(`/api/v1/complaints/${moved.id}`);
    expect(viewB.body.notes.map((n) => n.body)).toContain('Corresponde a la Guardia Nacional: el retén era conjunto.');
    expect(viewB.body.custody.map((c) => c.action)).toEqual(expect.arrayContaining(['legal_hold_set', 'legal_hold_released', 'forwarded']));
    const apiA = await ApiClient.signIn(server.baseUrl, handlerA.email);
    expect((await apiA.get(`/api/v1/complaints/${moved.id}`)).status).toBe(404);

    await handlerPage.getByRole('link', { name: 'Volver a la bandeja' }).click();
    await handlerPage.getByRole('heading', { level: 1, name: 'Bandeja de quejas' }).waitFor();
    expect(await handlerPage.getByRole('link', { name: folio }).count()).toBe(0);
    expect(pageProblems(handlerPage)).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
  }, 300_000);
});
