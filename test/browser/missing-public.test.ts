import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { readFile } from 'node:fs/promises';
import { digitGroupLines, expectAccessible, expectAccessibleMarkup, launchBrowser, newPage, pageProblems, signIn } from './browser.ts';
import { pdfText } from '../pdf-text.ts';

/**
 * The families' public pages on a small phone with JavaScript turned off: a sister reports her
 * missing brother, keeps folio and access code, follows the search ("activa"), reads the search
 * officer's question (sent through the API) and answers it. Every page is checked with axe (WCAG 2.1
 * AA) — in a second page with scripts on, since axe is itself a script; the markup is the same, as
 * the pages have none — for sideways scrolling at 360 px, and for its weight (everything loaded < 50 KB).
 */
const PAGE_BUDGET = 50 * 1024;
const PHONE = { width: 360, height: 740 };

let server: TestServer;
let browser: Browser;
let family: BrowserContext;
let checker: BrowserContext;
let page: Page;
let officer: ApiClient;
let officerEmail = '';
let folio = '';
let code = '';

/** What one navigation loaded: its status and the bytes of every response (the page and anything it pulled in). */
async function navigation(action: () => Promise<unknown>): Promise<{ status: number; bytes: number; requests: string[] }> {
  const responses: Response[] = [];
  const listener = (response: Response) => responses.push(response);
  page.on('response', listener);
  try {
    await Promise.all([page.waitForEvent('load'), action()]);
  } finally {
    page.off('response', listener);
  }
  let bytes = 0;
  for (const response of responses) bytes += (await response.body().catch(() => Buffer.alloc(0))).length;
  const document = responses.find((r) => r.request().resourceType() === 'document');
  return { status: document?.status() ?? 0, bytes, requests: responses.map((r) => new URL(r.url()).pathname) };
}

/** axe on the page as it is now, the overflow at 360 px, and the page weight of the navigation that brought it. */
async function check(what: string, loaded: { bytes: number; requests: string[] }) {
  expect(loaded.bytes, `${what}: page weight`).toBeLessThan(PAGE_BUDGET);
  expect(loaded.requests, `${what}: nothing but the page itself`).toHaveLength(1);
  const html = await page.content();
  expect(html, what).not.toContain('<script');
  await expectAccessibleMarkup(checker, server.baseUrl, html, what);
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ matchingWorker: false }), launchBrowser()]);
  const commission = await makeInstitution(server.db, { code: 'CBSONF', name: 'Comisión de Búsqueda de Sonora', type: 'state_agency', state_code: '26' });
  await sql`update missing_settings set public_institution_id = ${commission.id}`.execute(server.db);
  officerEmail = (await makeUser(server.db, commission.id, 'search_officer')).email;
  officer = await ApiClient.signIn(server.baseUrl, officerEmail);
  family = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'es-MX', baseURL: server.baseUrl });
  family.setDefaultTimeout(10_000);
  checker = await browser.newContext({ viewport: PHONE, locale: 'es-MX' });
  page = await family.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a family on a small phone without JavaScript', () => {
  it('a family files a report without JavaScript on a small phone and follows the search', async () => {
    // Is told where to go instead while no institution receives the reports.
    const saved = await server.db.selectFrom('missing_settings').select('public_institution_id').executeTakeFirstOrThrow();
    await sql`update missing_settings set public_institution_id = null`.execute(server.db);
    try {
      const closed = await navigation(() => page.goto('/familias/busqueda/reportar'));
      expect(closed.status).toBe(503);
      await page.getByRole('heading', { level: 1, name: 'Por ahora no recibimos reportes en línea' }).waitFor();
      await page.getByText('el consulado de su país en México', { exact: false }).waitFor();
      await check('reports not received', closed);
    } finally {
      await sql`update missing_settings set public_institution_id = ${saved.public_institution_id}`.execute(server.db);
    }

    // Reaches the report form from the landing page; an empty form shows its errors next to the fields.
    const landing = await navigation(() => page.goto('/familias/busqueda'));
    expect(landing.status).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Búsqueda de familiares desaparecidos' }).waitFor();
    await check('landing', landing);

    const form = await navigation(() => page.getByRole('link', { name: 'Reportar a un familiar desaparecido' }).first().click());
    expect(new URL(page.url()).pathname).toBe('/familias/busqueda/reportar');
    await check('report form', form);

    const empty = await navigation(() => page.getByRole('button', { name: 'Enviar reporte' }).click());
    expect(empty.status).toBe(400);
    const summary = page.getByRole('alert');
    await summary.getByText('Revise lo siguiente:').waitFor();
    // Each field by its name, linked to its input; the focus is on the summary when the page opens.
    const nameLink = summary.getByRole('link', { name: 'Nombre o nombres: escriba al menos un nombre o un apellido de la persona.' });
    expect(await nameLink.getAttribute('href')).toBe('#given_names');
    await summary.getByRole('link', { name: 'Teléfono: escriba un teléfono o un correo electrónico para que podamos comunicarnos con usted.' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('errors');
    await nameLink.click();
    expect(new URL(page.url()).hash).toBe('#given_names');
    expect(await page.locator('#given_names').isVisible()).toBe(true);
    // The states by name (Aguascalientes ... Zacatecas).
    const states = (await page.locator('#last_seen_state option').allTextContents()).slice(1);
    expect(states).toHaveLength(32);
    expect(states).toEqual([...states].sort((a, b) => a.localeCompare(b, 'es')));
    expect(await page.locator('#given_names').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#given_names-error').textContent()).toBe('Escriba al menos un nombre o un apellido de la persona.');
    await check('report form with errors', empty);

    // Files the report and is shown the folio and the access code to keep.
    await page.getByLabel('Nombre o nombres').fill('José Luis');
    await page.getByLabel('Primer apellido').fill('Ramírez');
    await page.getByLabel('Segundo apellido (opcional)').fill('Cruz');
    await page.getByRole('radio', { name: 'Hombre' }).check();
    await page.getByLabel('Desde (años)').fill('24');
    await page.getByLabel('Hasta (años)').fill('26');
    await page.getByLabel('Nacionalidad', { exact: true }).selectOption('GTM');
    await page.getByRole('checkbox', { name: 'Español' }).check();
    await page.getByRole('checkbox', { name: 'Mam' }).check();
    await page.getByLabel('Desde (cm)').fill('168');
    await page.getByLabel('Hasta (cm)').fill('172');
    await page.getByLabel(/^Señas particulares/).fill('Cicatriz en la ceja izquierda; tatuaje de un ancla en la espalda');
    await page.getByLabel(/^Ropa que llevaba/).fill('Gorra roja, chamarra negra');
    await page.getByLabel(/^Fecha \(aaaa-mm-dd/).fill('2025-06-01');
    await page.getByLabel('País', { exact: true }).selectOption('MEX');
    await page.getByLabel(/^Estado de México/).selectOption('26');
    await page.getByLabel(/^Lugar:/).fill('Altar');
    await page.getByLabel(/^Qué pasó/).fill('Llamó desde Altar antes de cruzar el desierto. Viajaba con dos primos.');
    await page.getByLabel('Su nombre').fill('María Ramírez Cruz');
    await page.getByLabel('Su relación con la persona').selectOption('sibling');
    await page.getByLabel(/^Teléfono/).fill('+502 5555 0101');
    await page.getByLabel('País donde vive').selectOption('GTM');
    const filed = await navigation(() => page.getByRole('button', { name: 'Enviar reporte' }).click());
    expect(filed.status).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Recibimos su reporte' }).waitFor();
    folio = ((await page.locator('#folio').textContent()) ?? '').trim();
    code = ((await page.locator('#code').textContent()) ?? '').trim();
    expect(folio).toMatch(/^B-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    // At 360 px no group of four digits is broken over two lines.
    const groups = await digitGroupLines(page, '#code');
    expect(groups.groups.join(' ')).toBe(code);
    expect(groups.nowrap).toBe(true);
    expect(groups.lines).toEqual([1, 1, 1, 1]);
    await page.getByText('El código se muestra solo esta vez').waitFor();
    await page.getByText('Comisión de Búsqueda de Sonora').waitFor();
    await check('report received (folio and code)', filed);

    const row = await server.db.selectFrom('missing_reports').select(['channel', 'given_names', 'surname1', 'sex', 'age_min', 'age_max', 'languages', 'last_seen_state']).where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'public_web', given_names: 'José Luis', surname1: 'Ramírez', sex: 'male', age_min: 24, age_max: 26, languages: ['spa', 'mam'], last_seen_state: '26' });

    // Downloads its printable receipt right there: folio, access code, whom they look for and where to follow.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar comprobante (PDF)' }).click()]);
    expect(download.suggestedFilename()).toBe(`comprobante-${folio}.pdf`);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text } = await pdfText(bytes);
    for (const expected of ['Comprobante de reporte de persona desaparecida', folio, code, 'José Luis Ramírez Cruz', 'Qué sigue', `${server.baseUrl}/familias/busqueda/seguimiento`]) expect(text).toContain(expected);
    // Follows the search with folio and code, reads the officer’s question and answers it.
    const followForm = await navigation(() => page.getByRole('link', { name: 'Ir al seguimiento' }).click());
    await check('follow-up followForm', followForm);
    // A mistyped code: the folio stays as typed, the code field is empty and named as the one to retype.
    await page.getByLabel('Folio').fill(folio);
    await page.getByLabel('Código de acceso (16 dígitos)').fill('1234 5678 9012 3456');
    const wrong = await navigation(() => page.getByRole('button', { name: 'Consultar' }).click());
    expect(wrong.status).toBe(403);
    expect(await page.getByLabel('Folio').inputValue()).toBe(folio);
    expect(await page.getByLabel('Código de acceso (16 dígitos)').inputValue()).toBe('');
    await page.getByRole('alert').getByRole('link', { name: 'Código de acceso: vuelva a escribir el código de acceso.' }).waitFor();
    await check('follow-up form after a wrong code', wrong);
    await page.getByLabel('Código de acceso (16 dígitos)').fill(code);
    const first = await navigation(() => page.getByRole('button', { name: 'Consultar' }).click());
    expect(first.status).toBe(200);
    expect(await page.locator('#status').textContent()).toContain('activa');
    await page.getByText('Todavía no hay mensajes.').waitFor();
    await check('search status', first);

    const report = await server.db.selectFrom('missing_reports').select('id').where('folio', '=', folio).executeTakeFirstOrThrow();
    expect((await officer.post(`/api/v1/missing/reports/${report.id}/messages`, { body: '¿Recuerda los nombres de los primos con quienes viajaba?' })).status).toBe(201);

    // Later, on the same phone: the follow-up again.
    await navigation(() => page.goto('/familias/busqueda/seguimiento'));
    await page.getByLabel('Folio').fill(folio.toLowerCase());
    await page.getByLabel('Código de acceso (16 dígitos)').fill(code.replace(/ /g, ''));
    const second = await navigation(() => page.getByRole('button', { name: 'Consultar' }).click());
    expect(second.status).toBe(200);
    const question = page.locator('.msg').filter({ hasText: '¿Recuerda los nombres de los primos con quienes viajaba?' });
    await question.getByText('Personal de búsqueda').waitFor();
    await check('search status with a message', second);

    await page.getByLabel('Mensaje').fill('Sí: Edgar y Wilmer Cruz, de Huehuetenango.');
    const answered = await navigation(() => page.getByRole('button', { name: 'Enviar mensaje' }).click());
    expect(answered.status).toBe(200);
    await page.getByRole('status').getByText('Su mensaje fue agregado a la búsqueda.').waitFor();
    await page.locator('.msg.mine').getByText('Sí: Edgar y Wilmer Cruz, de Huehuetenango.').waitFor();
    await check('search status after answering', answered);

    const detail = await officer.get(`/api/v1/missing/reports/${report.id}`);
    expect(detail.body.messages.map((m: { author: string }) => m.author)).toEqual(['officer', 'family']);

    // Switches to English and keeps the path.
    await navigation(() => page.goto('/familias/busqueda/seguimiento'));
    const english = await navigation(() => page.getByRole('link', { name: 'English' }).click());
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/familias/busqueda/seguimiento?lang=en');
    await page.getByRole('heading', { level: 1, name: 'Follow a search' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await check('follow-up form in English', english);
  }, 600_000);
});

/** A 1×1 PNG, small enough to type, real enough for the browser to draw. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001fa3a00e80000000049454e44ae426082', 'hex');

describe('the photos a family sends reach the search officer', () => {
  it('a family attaches a photo without JavaScript; the search officer sees it on the report, at 1280 and 360 px', async () => {
    const phone = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'es-MX', baseURL: server.baseUrl });
    phone.setDefaultTimeout(10_000);
    let reportId = '';
    try {
      const form = await phone.newPage();
      await form.goto('/familias/busqueda/reportar');
      await form.getByLabel('Nombre o nombres').fill('Wilmer');
      await form.getByLabel('Primer apellido').fill('Fotografía');
      await form.getByRole('radio', { name: 'Hombre' }).check();
      await form.getByLabel('Foto 1').setInputFiles({ name: 'wilmer.png', mimeType: 'image/png', buffer: PNG });
      await form.getByLabel('Su nombre').fill('Edgar Fotografía');
      await form.getByLabel('Su relación con la persona').selectOption('sibling');
      await form.getByLabel(/^Teléfono/).fill('+502 5555 0202');
      await Promise.all([form.waitForEvent('load'), form.getByRole('button', { name: 'Enviar reporte' }).click()]);
      await form.getByRole('heading', { level: 1, name: 'Recibimos su reporte' }).waitFor();
      await form.getByText('Fotos recibidas: 1').waitFor();
      const filedFolio = ((await form.locator('#folio').textContent()) ?? '').trim();
      reportId = (await server.db.selectFrom('missing_reports').select('id').where('folio', '=', filedFolio).executeTakeFirstOrThrow()).id;
    } finally {
      await phone.close();
    }

    for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
      const { context, page: staff } = await newPage(browser, server.baseUrl, viewport);
      try {
        await signIn(staff, officerEmail);
        await staff.goto(`/busqueda/reportes/${reportId}`);
        const photos = staff.getByRole('region', { name: /^Fotos enviadas por la familia/ });
        const image = photos.getByRole('img', { name: 'Foto 1 de la persona buscada, enviada por la familia' });
        await image.waitFor();
        // The browser drew it: the photo came through the authorised address.
        await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
        await photos.getByText(/^Foto 1 · PNG · /).waitFor();
        expect(await photos.getByRole('link', { name: 'Abrir la foto 1 en tamaño completo' }).getAttribute('href')).toMatch(new RegExp(`^/api/v1/missing/reports/${reportId}/photos/[0-9a-f-]{36}$`));
        expect(await staff.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await expectAccessible(staff, `report with photos at ${viewport.width} px`);
        expect(pageProblems(staff)).toEqual([]);
      } finally {
        await context.close();
      }
    }
    const viewings = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', reportId).where('action', '=', 'missing_report.photo_viewed').execute();
    expect(viewings.length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
