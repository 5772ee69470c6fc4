import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { digitGroupLines, expectAccessibleMarkup, launchBrowser } from '../../test/browser/browser.ts';
import { makeInstitution, startTestServer, type TestServer } from '../../test/helpers.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { updateSettings } from './settings.service.ts';

let server: TestServer;
let browser: Browser;
let checker: BrowserContext;

/** axe at 360 and 1280 px and no sideways scrolling, on the page as the phone (scripts off) shows it. */
const check = async (page: Page, what: string) => expectAccessibleMarkup(checker, server.baseUrl, await page.content(), what);

// No skip when Chromium is missing: the launch fails, as in the other browser tests.
describe('complaint pages in a browser on a small phone screen', () => {
  beforeAll(async () => {
    server = await startTestServer();
    const unit = await makeInstitution(server.db, { code: 'OICB', name: 'Unidad de quejas' });
    await updateSettings(server.db, null, { default_unit: unit.id });
    browser = await launchBrowser();
    checker = await browser.newContext({ locale: 'es-MX' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('files an anonymous denuncia, shows the receipt once, prints the acuse, and follows it up', { timeout: 180_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'es-MX' });
    await page.goto(`${server.baseUrl}/quejas`);
    // The states by name, Aguascalientes to Zacatecas.
    const states = (await page.locator('#state_code option').allTextContents()).slice(1);
    expect(states).toHaveLength(32);
    expect(states).toEqual([...states].sort((a, b) => a.localeCompare(b, 'es')));
    await check(page, 'complaint form');

    // Sent without the narrative: the summary names the field and links to it; the focus is on the summary.
    await page.getByLabel('Denuncia', { exact: true }).check();
    await page.getByRole('button', { name: 'Enviar' }).click();
    const link = page.getByRole('alert').getByRole('link', { name: 'Qué pasó: este dato es obligatorio.' });
    expect(await link.getAttribute('href')).toBe('#narrative');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('errors');
    expect(await page.locator('#narrative').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'complaint form with errors');

    await page.getByLabel('¿Qué pasó?').fill('Un agente me pidió dinero en el retén para dejarme pasar.');
    await page.getByLabel('Estado').selectOption('07');
    await page.getByLabel('Tipo de lugar').selectOption('checkpoint');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Recibimos su denuncia' }).waitFor();
    const folio = (await page.locator('#folio').textContent())!.trim();
    const receipt = (await page.locator('#receipt').textContent())!.trim();
    expect(folio).toMatch(/^Q-\d{4}-/);
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    // At 360 px no group of four digits is broken over two lines.
    const groups = await digitGroupLines(page, '#receipt');
    expect(groups.groups.join(' ')).toBe(receipt);
    expect(groups.nowrap).toBe(true);
    expect(groups.lines).toEqual([1, 1, 1, 1]);
    expect(await page.content()).not.toContain('SHA-256');
    expect(await page.locator('#received-at').textContent()).toMatch(/^\d{1,2} de [a-z]+ de \d{4}/);
    await check(page, 'complaint receipt');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar acuse' }).click()]);
    const acuse = (await pdfText(await readFile((await download.path())!))).text;
    expect(acuse).toContain('Acuse de recibo de denuncia');
    expect(acuse).toContain(folio);
    expect(acuse).toContain(`${server.baseUrl}/quejas/seguimiento`);

    // A mistyped receipt: the folio stays as typed, the receipt field is empty and named as the one to retype.
    await page.goto(`${server.baseUrl}/quejas/seguimiento`);
    await page.getByLabel('Folio').fill(folio);
    await page.getByLabel('Número de recibo (16 dígitos)').fill('1111 2222 3333 4444');
    await page.getByRole('button', { name: 'Consultar' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Número de recibo: vuelva a escribir el número de recibo.' }).waitFor();
    expect(await page.getByLabel('Folio').inputValue()).toBe(folio);
    expect(await page.getByLabel('Número de recibo (16 dígitos)').inputValue()).toBe('');
    await check(page, 'follow-up after a wrong receipt');

    await page.getByLabel('Número de recibo (16 dígitos)').fill(receipt);
    await page.getByRole('button', { name: 'Consultar' }).click();
    expect(await page.locator('#status').textContent()).toBe('Recibida');
    await check(page, 'complaint status');
    await page.getByLabel('Mensaje').fill('Agrego que eran dos agentes.');
    await page.getByRole('button', { name: 'Enviar' }).first().click();
    await expect.poll(() => page.getByText('Su información fue agregada a la queja.').count()).toBe(1);
    await page.close();
  });
});
