import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../test/browser/browser.ts';
import { makeInstitution, startTestServer, type TestServer } from '../../test/helpers.ts';
import { updateSettings } from './settings.service.ts';


let server: TestServer;
let browser: Browser;

// No skip when Chromium is missing: the launch fails, as in the other browser tests.
describe('complaint pages in a browser on a small phone screen', () => {
  beforeAll(async () => {
    server = await startTestServer();
    const unit = await makeInstitution(server.db, { code: 'OICB', name: 'Unidad de quejas' });
    await updateSettings(server.db, null, { default_unit: unit.id });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('files an anonymous complaint, shows the receipt once, and follows it up', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'es-MX' });
    await page.goto(`${server.baseUrl}/quejas`);
    await page.getByLabel('Denuncia', { exact: true }).check();
    await page.getByLabel('¿Qué pasó?').fill('Un agente me pidió dinero en el retén para dejarme pasar.');
    await page.getByLabel('Estado').selectOption('07');
    await page.getByLabel('Tipo de lugar').selectOption('checkpoint');
    await page.getByRole('button', { name: 'Enviar' }).click();
    const folio = (await page.locator('#folio').textContent())!.trim();
    const receipt = (await page.locator('#receipt').textContent())!.trim();
    expect(folio).toMatch(/^Q-\d{4}-/);
    expect(receipt.replace(/\s/g, '')).toMatch(/^\d{16}$/);

    await page.goto(`${server.baseUrl}/quejas/seguimiento`);
    await page.getByLabel('Folio').fill(folio);
    await page.getByLabel('Número de recibo (16 dígitos)').fill(receipt);
    await page.getByRole('button', { name: 'Consultar' }).click();
    expect(await page.locator('#status').textContent()).toBe('Recibida');
    await page.getByLabel('Mensaje').fill('Agrego que eran dos agentes.');
    await page.getByRole('button', { name: 'Enviar' }).first().click();
    await expect.poll(() => page.getByText('Su información fue agregada a la queja.').count()).toBe(1);
    await page.close();
  });
});
