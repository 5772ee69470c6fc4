import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { personBody } from '../fixtures.ts';
import { expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';
import { shippedDefinitions } from '../../src/screenings/instrument.service.ts';

/**
 * A caseworker screens a woman in Chromium, at 1280 and 360 px: from her case file, the questions on
 * violence (saved as they are answered), two flags with the answers that raised them, and one
 * suggestion turned into a referral that the receiving health unit accepts from its own inbox.
 */
let server: TestServer;
let browser: Browser;
let caseworker: { email: string };
let receiver: { email: string };
let health: { id: string; name: string };
let platformAdmin: { email: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const shelter = await makeInstitution(server.db, { name: 'Albergue Hospitalidad y Solidaridad', type: 'shelter' });
  health = await makeInstitution(server.db, { name: 'Centro de Salud Tapachula', type: 'state_agency' });
  caseworker = await makeUser(server.db, shelter.id, 'caseworker');
  receiver = await makeUser(server.db, health.id, 'supervisor');
  platformAdmin = await makeUser(server.db, shelter.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('email', '=', platformAdmin.email).execute();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);

async function answer(page: Page, question: RegExp, choice: string) {
  await page.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();
  await page.getByText('Respuesta guardada.').waitFor();
}

describe('screenings', () => {
  for (const width of [1280, 360]) {
    it(`a caseworker screens a woman, sees two flags with their reasons and refers her at ${width} px`, async () => {
      const name = width === 1280 ? 'Marisol' : 'Yesenia';
      const api = await ApiClient.forSession(server, caseworker.email);
      const person = await api.post('/api/v1/people', personBody({ given_names: name, surname1: 'Cruz', sex: 'female' }));
      const opened = await api.post('/api/v1/cases', { programme: 'shelter', opened_on: '2026-11-30', participants: [{ person_id: person.body.id, role: 'applicant' }] });
      expect(opened.status, opened.text).toBe(201);

      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 900 });
      await signIn(page, caseworker.email);
      await page.goto(`${server.baseUrl}/expedientes/${opened.body.id}`);
      await page.getByRole('heading', { level: 2, name: /Detecciones/ }).waitFor();
      await page.getByLabel('Instrumento').selectOption({ label: 'Violencia contra las mujeres migrantes' });
      await page.getByRole('button', { name: 'Empezar' }).click();

      await page.getByRole('heading', { level: 1, name: 'Violencia contra las mujeres migrantes' }).waitFor();
      await page.getByText(`${name} Cruz · versión 1`).waitFor();
      await expectAccessible(page, `screening form ${width}`);
      await noSidewaysScroll(page);

      await answer(page, /golpeado/, 'Sí');
      // Finishing early names what is still unanswered.
      await page.getByRole('button', { name: 'Terminar y ver el resultado' }).click();
      await page.getByText('Faltan 3 preguntas obligatorias por responder.').waitFor();
      await answer(page, /relaciones o contactos sexuales/, 'Sí');
      // Skip logic: asked only after sexual violence.
      await answer(page, /últimos tres días/, 'No');
      await answer(page, /insulta/, 'No');
      await answer(page, /dinero, sus documentos/, 'No');
      await answer(page, /está cerca/, 'No');

      // Resumable: the answers are there when the page is opened again.
      await page.reload();
      await page.getByRole('group', { name: /golpeado/ }).waitFor();
      expect(await page.getByRole('group', { name: /golpeado/ }).getByLabel('Sí', { exact: true }).isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Terminar y ver el resultado' }).click();

      const result = page.getByRole('region', { name: /Resultado/ });
      await result.getByRole('heading', { level: 3, name: /Violencia sexual/ }).waitFor();
      await result.getByRole('heading', { level: 3, name: /Violencia física, psicológica o económica/ }).waitFor();
      expect(await result.getByRole('heading', { level: 3 }).count()).toBe(2);
      const sexual = result.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Violencia sexual/ }) });
      await sexual.getByText('Por estas respuestas:').waitFor();
      const sexualReasons = await sexual.locator('ul li').allTextContents();
      expect(sexualReasons).toHaveLength(1);
      expect(sexualReasons[0]).toMatch(/relaciones o contactos sexuales.*Sí/);
      const physical = result.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Violencia física/ }) });
      const physicalReasons = await physical.locator('ul li').allTextContents();
      expect(physicalReasons).toHaveLength(1);
      expect(physicalReasons[0]).toMatch(/golpeado.*Sí/);
      await expectAccessible(page, `screening result ${width}`);
      await noSidewaysScroll(page);

      // One suggestion turned into a referral, consent recorded.
      const suggestion = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Unidad de salud (atención de violencia sexual)' }) });
      await suggestion.getByLabel('Institución que recibe').selectOption({ label: health.name });
      await suggestion.getByLabel('Cómo se dio el consentimiento').selectOption('verbal');
      await suggestion.getByRole('button', { name: 'Canalizar' }).click();
      await suggestion.getByText(`Canalizada a ${health.name}`).waitFor();
      await suggestion.getByText('Pendiente').waitFor();

      const referral = await server.db.selectFrom('screening_referrals').innerJoin('referrals', 'referrals.id', 'screening_referrals.referral_id').select(['referrals.id', 'referrals.consent_method']).where('referrals.case_id', '=', opened.body.id).executeTakeFirstOrThrow();
      expect(referral.consent_method).toBe('verbal');
      // The receiving health unit accepts it from its referrals inbox, which opens its own case file.
      const other = await newPage(browser, server.baseUrl, { width, height: 900 });
      await signIn(other.page, receiver.email);
      await openFromMenu(other.page, 'Canalizaciones', 'Atención');
      await other.page.getByRole('heading', { level: 1, name: 'Canalizaciones' }).waitFor();
      const card = other.page.locator('article', { hasText: opened.body.folio });
      await card.getByRole('button', { name: 'Aceptar' }).click();
      await card.getByLabel('Programa').selectOption('health');
      await expectAccessible(other.page, `referral accepted by the health unit ${width}`);
      await card.getByRole('button', { name: 'Aceptar y abrir expediente' }).click();
      await other.page.locator('#participants').getByText(`${name} Cruz`).waitFor();
      expect(pageProblems(other.page)).toEqual([]);
      await other.context.close();
      expect((await server.db.selectFrom('referrals').select('status').where('id', '=', referral.id).executeTakeFirstOrThrow()).status).toBe('accepted');
      await page.reload();
      await page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Unidad de salud (atención de violencia sexual)' }) }).getByText('Aceptada').waitFor();
      await expectAccessible(page, `screening referred ${width}`);

      // The case file lists the screening and its flags.
      await page.getByRole('link', { name: /Volver al expediente/ }).click();
      await page.getByRole('link', { name: `Violencia contra las mujeres migrantes · ${name} Cruz` }).waitFor();
      await page.getByText(/Terminada · 2 alertas/).waitFor();
      expect(pageProblems(page)).toEqual([]);
      await context.close();
    }, 120_000);
  }

  for (const width of [1280, 360]) {
    it(`a platform administrator adds a version of an instrument from its file at ${width} px`, async () => {
      const code = `prueba_pantalla_${width}`;
      const definition = { ...shippedDefinitions().find((d) => d.code === 'child_vulnerability')!, code, version: 1 };
      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 900 });
      await signIn(page, platformAdmin.email);
      await page.goto(`${server.baseUrl}/administracion/detecciones`);
      await page.getByRole('heading', { level: 1, name: 'Instrumentos de detección' }).waitFor();
      await page.getByText('trafficking_indicators').waitFor();

      // A file whose parts do not fit: each problem listed.
      const broken = { ...definition, referrals: [{ ...definition.referrals[0]!, flags: ['no_such_flag'] }] };
      await page.setInputFiles('#instrument-file', { name: 'rota.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
      await page.getByRole('button', { name: 'Añadir', exact: true }).click();
      await page.getByText('referrals.child_protection: no flag "no_such_flag"').waitFor();
      await expectAccessible(page, `instrument refused ${width}`);

      await page.setInputFiles('#instrument-file', { name: 'nueva.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)) });
      await page.getByRole('button', { name: 'Añadir', exact: true }).click();
      await page.getByRole('listitem').filter({ hasText: code }).getByText(/v1, /).waitFor();
      await expectAccessible(page, `instruments ${width}`);
      await noSidewaysScroll(page);
      expect(pageProblems(page)).toEqual([]);
      await context.close();
    });
  }
});
