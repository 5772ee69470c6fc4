import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { personBody } from '../fixtures.ts';
import { expectAccessible, launchBrowser, newPage, pageProblems, signIn } from './browser.ts';

/**
 * A child-protection officer's day in Chromium, at 1280 and 360 px: a child identified from one form,
 * her file with the notification delay; a placement with her aunt; the consulate of her country
 * refused while her asylum claim is open; a panel member refused the file until she accepts the
 * confidentiality undertaking.
 */
let server: TestServer;
let browser: Browser;
let officer: { email: string };
let member: { email: string; id: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const procuraduria = await makeInstitution(server.db, { name: 'Procuraduría de Protección de NNA de Chiapas', type: 'state_agency' });
  officer = await makeUser(server.db, procuraduria.id, 'child_protection_officer');
  member = await makeUser(server.db, procuraduria.id, 'caseworker');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);

describe('child protection', () => {
  for (const width of [1280, 360]) {
    it(`identifies a child and keeps her file at ${width} px`, async () => {
      const name = width === 1280 ? 'Génesis' : 'Yaritza';
      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 900 });
      await signIn(page, officer.email);
      await page.goto(`${server.baseUrl}/nna/nuevo`);
      await page.getByRole('heading', { level: 1, name: 'Identificar a una niña, niño o adolescente' }).waitFor();
      await expectAccessible(page, `identify a child ${width}`);
      // Submitting empty names what is missing.
      await page.getByRole('button', { name: 'Abrir expediente' }).click();
      await page.getByText('Escriba la fecha de nacimiento o una edad estimada.').first().waitFor();

      await page.getByLabel('Nombre(s)').fill(name);
      await page.getByLabel('Primer apellido').fill('Orellana');
      await page.getByLabel('Sexo').selectOption('female');
      await page.getByLabel('Edad estimada (años)').fill('11');
      await page.getByLabel('Nacionalidad').selectOption('HND');
      await page.getByLabel('Acompañamiento').selectOption('unaccompanied');
      await page.getByLabel('Cómo se le identificó').selectOption('shelter');
      await page.getByLabel('Fecha de notificación a la Procuraduría').fill(await page.getByLabel('Fecha de identificación').inputValue());
      await page.getByLabel('Quién notificó').fill('Albergue Belén');
      await page.getByLabel('Su opinión y deseos, en sus palabras').fill('Quiero estar con mi tía.');
      await page.getByRole('button', { name: 'Abrir expediente' }).click();

      await page.getByRole('heading', { level: 1, name: `${name} Orellana` }).waitFor();
      await page.locator('blockquote', { hasText: 'Quiero estar con mi tía.' }).waitFor();
      await page.getByText(/horas? después de la identificación \(Albergue Belén\)/).waitFor();
      await expectAccessible(page, `child file ${width}`);
      await noSidewaysScroll(page);

      // Placed with her aunt: family-based care first.
      await page.getByText('Registrar acogimiento').first().click();
      await page.getByLabel('Tipo de cuidado').selectOption('kinship');
      await page.getByLabel('Lugar o familia').fill('Con su tía en Tapachula');
      await page.getByRole('button', { name: 'Registrar acogimiento' }).click();
      await page.getByText('Con su tía en Tapachula').waitFor();

      // Her asylum claim opens: the consulate of Honduras may not be told.
      await page.getByText('Corregir datos del expediente').click();
      await page.getByLabel('Protección internacional').selectOption('open');
      await page.getByRole('button', { name: 'Guardar' }).first().click();
      await page.getByText(/no se puede notificar ni compartir información con el consulado de su país/).waitFor();
      await page.getByLabel('Fecha de la notificación').fill('2026-12-01');
      await page.getByRole('button', { name: 'Registrar notificación' }).click();
      await page.getByText('No se puede notificar ni compartir información con el consulado mientras la solicitud de protección internacional esté en trámite.').waitFor();
      await expectAccessible(page, `consular refusal ${width}`);

      await page.goto(`${server.baseUrl}/nna`);
      await page.getByRole('link', { name: `${name} Orellana` }).waitFor();
      await noSidewaysScroll(page);
      expect(pageProblems(page).filter((p) => !/409/.test(p))).toEqual([]);
      await context.close();
    });
  }

  it('refuses a panel member the file until she accepts the undertaking', async () => {
    const api = await ApiClient.forSession(server, officer.email);
    const child = await api.post('/api/v1/people', personBody({ given_names: 'Camila', surname1: 'Reyes', date_of_birth: '2014-02-02' }));
    const file = await api.post('/api/v1/children', { person_id: child.body.id, opened_on: '2026-12-01', accompaniment: 'separated', identified_at: '2026-12-01T12:00:00Z', identified_how: 'consulate', views: 'Quiero volver con mi mamá.' });
    const det = await api.post(`/api/v1/children/${file.body.id}/determinations`, { evidence: 'Entrevistas.', child_views: 'Quiere volver.', panel_until: '2099-01-01' });
    expect((await api.post(`/api/v1/children/${file.body.id}/determinations/${det.body.id}/members`, { email: member.email, profession: 'law', member_institution: 'Procuraduría' })).status).toBe(201);

    const memberApi = await ApiClient.forSession(server, member.email);
    expect((await memberApi.get(`/api/v1/panels/${det.body.id}`)).body.code).toBe('panel_undertaking_required');
    // At 360 px first: the undertaking, and nothing of the child; then at 1280 px she accepts; then the view at both widths.
    for (const [width, accept] of [[360, false], [1280, true]] as const) {
      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 900 });
      await signIn(page, member.email);
      await page.goto(`${server.baseUrl}/nna/comites/${det.body.id}`);
      await page.getByRole('heading', { level: 1, name: 'Compromiso de confidencialidad' }).waitFor();
      expect(await page.getByText('Quiero volver con mi mamá.').count()).toBe(0);
      await expectAccessible(page, `undertaking ${width}`);
      if (accept) {
        await page.getByRole('button', { name: 'Acepto el compromiso' }).click();
        await page.getByRole('heading', { level: 1, name: 'Comité: Camila Reyes' }).waitFor();
        await page.getByText('Quiero volver con mi mamá.').waitFor();
        await expectAccessible(page, `panel view ${width}`);
      }
      await context.close();
    }
    const { context, page } = await newPage(browser, server.baseUrl, { width: 360, height: 900 });
    await signIn(page, member.email);
    await page.goto(`${server.baseUrl}/nna/comites/${det.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'Comité: Camila Reyes' }).waitFor();
    await expectAccessible(page, 'panel view 360');
    await noSidewaysScroll(page);
    await context.close();
  });
});
