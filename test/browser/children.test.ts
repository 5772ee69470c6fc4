import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { personBody } from '../fixtures.ts';
import { localDate } from '../../src/platform/dates.ts';
import { expectAccessible, launchBrowser, newPage, pageProblems, signIn, waitForResult } from './browser.ts';

/**
 * A child-protection officer's day in Chromium, at 1280 and 360 px: a child identified from one form,
 * her file with the notification delay; a placement with her aunt; the consulate of her country
 * refused while her asylum claim is open; a panel member refused the file until she accepts the
 * confidentiality undertaking; a child traced through her mother's request at a consulate, verified,
 * reunified and followed up; a tracing match hidden until the child's consent is recorded.
 */
let server: TestServer;
let browser: Browser;
let officer: { email: string };
let member: { email: string; id: string };
let procuraduria: { id: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  procuraduria = await makeInstitution(server.db, { name: 'Procuraduría de Protección de NNA de Chiapas', type: 'state_agency' });
  officer = await makeUser(server.db, procuraduria.id, 'child_protection_officer');
  member = await makeUser(server.db, procuraduria.id, 'caseworker');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);

// Journeys of many steps in a real browser, on a machine that may be shared: a generous time limit.
describe('child protection', { timeout: 180_000 }, () => {
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

  it('walks a child from identification to a reunification followed up, traced through a relative’s request (1280 and 360 px)', async () => {
    const api = await ApiClient.forSession(server, officer.email);
    const supervisor = await ApiClient.forSession(server, (await makeUser(server.db, procuraduria.id, 'supervisor')).email);
    // The institution's date (the screens' "today"), not UTC's: from 18:00 in Mexico UTC is a day ahead.
    const today = localDate();
    const child = await api.post('/api/v1/people', personBody({ given_names: 'Dayana Michel', surname1: 'Funes', surname2: 'Paz', sex: 'female', date_of_birth: '2016-04-12', nationalities: ['HND'] }));
    // Identified and notified the same morning (the form of the first test does this through the screen).
    const file = await api.post('/api/v1/children', { person_id: child.body.id, opened_on: today, accompaniment: 'unaccompanied', identified_at: new Date(Date.now() - 5 * 3_600_000).toISOString(), identified_how: 'shelter', notified_at: new Date(Date.now() - 3 * 3_600_000).toISOString(), notified_by: 'Albergue Belén', tracing_consent: 'given', tracing_consent_on: today, wishes_tracing: 'yes' });
    expect(file.status, file.text).toBe(201);
    const { context, page } = await newPage(browser, server.baseUrl, { width: 1280, height: 900 });
    await signIn(page, officer.email);
    await page.goto(`${server.baseUrl}/nna/${file.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'Dayana Michel Funes Paz' }).waitFor();
    await page.getByText(/2 horas después de la identificación \(Albergue Belén\)/).waitFor();

    // Placed with a foster family.
    await page.getByText('Registrar acogimiento').first().click();
    await page.getByLabel('Tipo de cuidado').selectOption('foster_family');
    await page.getByLabel('Lugar o familia').fill('Familia de acogida en Tapachula');
    await page.getByRole('button', { name: 'Registrar acogimiento' }).click();
    await page.getByText('Familia de acogida en Tapachula').waitFor();

    // Her mother asks through the consulate in Houston: recorded on the tracing screen, matched at once.
    await page.goto(`${server.baseUrl}/nna/rastreo`);
    await page.getByRole('heading', { level: 1, name: 'Búsqueda de familiares' }).waitFor();
    await page.getByText('Registrar una solicitud de búsqueda').first().click();
    await page.getByLabel('Se recibió').selectOption('consulate');
    await page.getByLabel('País del consulado').fill('USA');
    await page.getByLabel('Nombre completo del familiar que solicita').fill('Sonia Marisela Paz');
    await page.getByLabel('Parentesco con la niña, niño o adolescente').selectOption('mother');
    await page.getByLabel('Nombre(s)').fill('Dayana Michell');
    await page.getByLabel('Primer apellido').fill('Funes');
    await page.getByLabel('Edad estimada (años)').fill('10');
    await page.getByLabel('Nacionalidad').fill('HND');
    await page.getByRole('button', { name: 'Registrar una solicitud de búsqueda' }).click();
    await page.getByText('Sonia Marisela Paz busca a Dayana Michell Funes').waitFor();
    const row = page.getByRole('row', { name: /Dayana Michel Funes Paz/ });
    await row.waitFor();
    await expectAccessible(page, 'tracing queue 1280');
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Posible familiar de Dayana Michel Funes Paz' }).waitFor();
    await page.getByRole('table', { name: 'Por qué se propone esta coincidencia' }).waitFor();
    await expectAccessible(page, 'tracing match 1280');
    await page.getByRole('button', { name: 'Confirmar la coincidencia' }).click();
    await page.getByText('Esta coincidencia ya fue revisada.').waitFor();

    // The mother verified, in separate interviews.
    await page.goto(`${server.baseUrl}/nna/${file.body.id}`);
    await page.getByRole('link', { name: /Sonia Marisela Paz \(Madre\)/ }).waitFor();
    await page.getByText('Verificar a una persona adulta').first().click();
    await page.getByLabel('Nombre(s)').fill('Sonia Marisela');
    await page.getByLabel('Primer apellido').fill('Paz');
    await page.locator('#adult-relationship').selectOption('mother');
    await page.getByRole('button', { name: 'Verificar a una persona adulta' }).click();
    const verification = page.getByRole('article', { name: 'Verificación de Sonia Marisela Paz' });
    await verification.waitFor();
    await verification.getByLabel('Entrevista a la niña, niño o adolescente (por separado)').fill(today);
    await verification.getByLabel('Entrevista a la persona adulta (por separado)').fill(today);
    for (const check of ['Documentos revisados', 'Identificación con fotografía revisada', 'La niña, niño o adolescente la reconoce', 'Quiere hacerse cargo', 'Puede hacerse cargo', 'Los relatos coinciden']) await verification.getByLabel(check).selectOption('yes');
    await verification.getByLabel('Recomendación').selectOption('reunify');
    await verification.getByRole('button', { name: 'Guardar' }).click();
    await verification.getByText('completa').waitFor();

    // The panel's determination (three members, each after the undertaking), approved by a supervisor.
    const base = `/api/v1/children/${file.body.id}`;
    const det = (await api.post(`${base}/determinations`, { evidence: 'Verificación completa.', child_views: 'Quiere vivir con su mamá.', panel_until: '2099-01-01' })).body.id as string;
    for (const [role, profession] of [['caseworker', 'law'], ['child_protection_officer', 'psychology'], ['caseworker', 'social_work']] as const) {
      const user = await makeUser(server.db, procuraduria.id, role);
      expect((await api.post(`${base}/determinations/${det}/members`, { user_id: user.id, profession, member_institution: 'Procuraduría' })).status).toBe(201);
      const sitting = await ApiClient.forSession(server, user.email);
      await sitting.post(`/api/v1/panels/${det}/undertaking`);
      await sitting.post(`/api/v1/panels/${det}/position`, { position: 'agree' });
    }
    expect((await api.post(`${base}/determinations/${det}/decision`, { decision: 'reunify_family', reasons: 'La madre quiere y puede.', review_on: '2099-01-01' })).status).toBe(204);
    expect((await supervisor.post(`${base}/determinations/${det}/approve`)).status).toBe(204);

    // Reunified abroad through the consulates, then the first follow-up visit.
    await page.reload();
    await page.getByRole('button', { name: 'Registrar reunificación' }).waitFor();
    // The page settled (every namespace and list loaded) before typing into its form.
    await page.waitForLoadState('networkidle');
    await page.getByLabel('Dónde').selectOption('abroad');
    await page.locator('#reunify-country').fill('USA');
    await page.getByLabel('Institución de protección que recibe (en otro país)').fill('Texas DFPS');
    await page.getByRole('button', { name: 'Registrar reunificación' }).click();
    const reunified = page.getByRole('article', { name: 'Con Sonia Marisela Paz' });
    await waitForResult(page, reunified);
    await reunified.getByLabel('Resultado').first().selectOption('well');
    await reunified.getByRole('button', { name: 'Registrar visita' }).first().click();
    await reunified.getByText(/realizada el .*: Bien integrado\/a/).waitFor();
    await expectAccessible(page, 'reunified file 1280');
    expect(pageProblems(page)).toEqual([]);
    await context.close();

    // The same file and queue on a phone: accessible, nothing scrolls sideways.
    const phone = await newPage(browser, server.baseUrl, { width: 360, height: 900 });
    await signIn(phone.page, officer.email);
    for (const path of [`/nna/${file.body.id}`, '/nna/rastreo?status=confirmed']) {
      await phone.page.goto(`${server.baseUrl}${path}`);
      await phone.page.getByRole('heading', { level: 1 }).waitFor();
      await phone.page.getByText(/Sonia Marisela Paz/).first().waitFor();
      await expectAccessible(phone.page, `${path} 360`);
      await noSidewaysScroll(phone.page);
    }
    await phone.context.close();
  });

  for (const width of [1280, 360]) {
    it(`hides a tracing match while the child has not consented, and shows it once consent is recorded (${width} px)`, async () => {
      const api = await ApiClient.forSession(server, officer.email);
      // Another family at each width (two children with one date of birth and surnames would be proposed as possible twins).
      const [given, surname1, surname2, born] = width === 1280 ? ['Wendy Yamileth', 'Cruz', 'Amaya', '2013-08-30'] : ['Norma Idalia', 'Portillo', 'Ventura', '2012-02-14'];
      const fullName = `${given} ${surname1} ${surname2}`;
      const child = await api.post('/api/v1/people', personBody({ given_names: given, surname1, surname2, sex: 'female', date_of_birth: born, nationalities: ['SLV'] }));
      const file = await api.post('/api/v1/children', { person_id: child.body.id, opened_on: '2026-12-01', accompaniment: 'separated', identified_at: '2026-12-01T12:00:00Z', identified_how: 'migration_authority', tracing_consent: 'not_asked' });
      expect(file.status, file.text).toBe(201);
      const request = await api.post('/api/v1/tracing/requests', { channel: 'in_person', received_on: '2026-12-02', requester_name: `Blanca ${surname2}`, requester_relationship: 'grandparent', children: [{ given_names: given, surname1, surname2, date_of_birth: born, nationality: 'SLV' }] });
      expect(request.status, request.text).toBe(201);

      const { context, page } = await newPage(browser, server.baseUrl, { width, height: 900 });
      await signIn(page, officer.email);
      await page.goto(`${server.baseUrl}/nna/rastreo`);
      await page.getByText(`Blanca ${surname2} busca a ${fullName}`).waitFor();
      expect(await page.getByRole('row', { name: new RegExp(fullName) }).count()).toBe(0);
      await page.goto(`${server.baseUrl}/nna/${file.body.id}`);
      await page.getByText(/No se propone ni se muestra ninguna coincidencia/).waitFor();
      expect(await page.getByText(`Blanca ${surname2}`).count()).toBe(0);
      await expectAccessible(page, `tracing hidden ${width}`);

      // She consents: the match appears in her file and in the queue.
      await page.getByText('Corregir datos del expediente').click();
      await page.getByLabel('Consentimiento para la búsqueda de familiares').selectOption('given');
      await page.getByRole('button', { name: 'Guardar' }).first().click();
      await page.getByRole('link', { name: `Blanca ${surname2} (Abuela/o) podría estar buscándole` }).waitFor();
      await expectAccessible(page, `tracing shown ${width}`);
      await noSidewaysScroll(page);
      await page.goto(`${server.baseUrl}/nna/rastreo`);
      await page.getByRole('row', { name: new RegExp(fullName) }).waitFor();
      await noSidewaysScroll(page);
      expect(pageProblems(page)).toEqual([]);
      await context.close();
    });
  }
});
