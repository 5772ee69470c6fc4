import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, openFromMenu, openUserMenu, pageProblems, signIn } from './browser.ts';

/**
 * Offline work in a real Chromium with the network cut by the browser (context.setOffline), the app
 * shell served by the service worker and the device store in IndexedDB: records made offline land
 * exactly once, whatever happens to the tab or the answers; a conflicting edit is shown and decided;
 * after sign-out the store cannot be read.
 */
let server: TestServer;
let browser: Browser;
let institution: { id: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  institution = await makeInstitution(server.db, { name: 'Albergue de la Frontera', type: 'shelter' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Letters only (names refuse digits): 0 → "Aa", 1 → "Ab", … */
const tag = (n: number) => `${String.fromCharCode(65 + Math.floor(n / 26))}${String.fromCharCode(97 + (n % 26))}`;

async function signedInCaseworker(viewport?: { width: number; height: number }) {
  const user = await makeUser(server.db, institution.id, 'caseworker');
  const { context, page } = await newPage(browser, server.baseUrl, viewport);
  await signIn(page, user.email);
  // The service worker keeps the shell; the device store opens with the password just typed.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await openFromMenu(page, 'Trabajo sin conexión', 'Atención');
  await page.getByRole('heading', { level: 1, name: 'Trabajo sin conexión' }).waitFor();
  await page.getByRole('link', { name: 'Registrar persona sin conexión' }).waitFor();
  return { user, context, page };
}

async function registerOffline(page: Page, given: string, surname: string) {
  await page.getByLabel('Nombre(s)').fill(given);
  await page.getByLabel('Primer apellido').fill(surname);
  await page.getByLabel('Sexo').selectOption('female');
  await page.getByRole('button', { name: 'Guardar en este dispositivo' }).click();
  await page.locator('#main').getByText(`${given} ${surname} quedó guardada en este dispositivo.`).waitFor();
}

async function unlockOffline(page: Page, email: string) {
  await page.goto('/personal');
  await page.getByRole('heading', { level: 1, name: 'Sin conexión' }).waitFor();
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Abrir' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trabajo sin conexión' }).waitFor();
}

/** A page reopened with the connection back: the shell signs in by its cookie, the password reopens the store. */
async function unlockOnline(page: Page) {
  await page.goto('/sin-conexion');
  const banner = page.locator('.offline-banner');
  await banner.getByLabel('Contraseña').fill(TEST_PASSWORD);
  await banner.getByRole('button', { name: 'Abrir' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trabajo sin conexión' }).waitFor();
}

const peopleBy = (userId: string) => server.db.selectFrom('people').select(['id', 'given_names', 'surname1']).where('created_by', '=', userId).execute();
const syncedBy = (userId: string) => server.db.selectFrom('audit_log').select('record_id').where('action', '=', 'offline.synced').where('actor_user_id', '=', userId).execute();

async function untilEmpty(page: Page) {
  await page.getByText('No hay nada pendiente', { exact: false }).waitFor({ timeout: 60_000 });
}

async function closeAll(context: BrowserContext, page: Page) {
  expect(pageProblems(page)).toEqual([]);
  await context.close();
}

describe('offline intake in Chromium with the network cut', () => {
  it('50 records made offline, the tab closed and reopened offline, the network restored: exactly 50 land, each once', { timeout: 240_000 }, async () => {
    const { user, context, page } = await signedInCaseworker();
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Registrar persona sin conexión' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registrar persona sin conexión' }).waitFor();
    await expectAccessible(page, 'offline registration at 1280 px');
    for (let i = 0; i < 50; i++) await registerOffline(page, `Nombre${tag(i)}`, `Lote${tag(i)}`);
    expect(await peopleBy(user.id)).toEqual([]);
    await page.close();

    // Reopened without a connection: the service worker serves the app, the password opens the store.
    const again = await context.newPage();
    await unlockOffline(again, user.email);
    await again.getByText('50 registros esperan ser enviados.').waitFor();
    await expectAccessible(again, 'offline work with its outbox at 1280 px');

    await context.setOffline(false);
    await untilEmpty(again);
    const people = await peopleBy(user.id);
    expect(people).toHaveLength(50);
    expect(new Set(people.map((p) => p.surname1)).size).toBe(50);
    expect(new Set(people.map((p) => p.surname1))).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `Lote${tag(i)}`)));
    expect(await syncedBy(user.id)).toHaveLength(50);
    await closeAll(context, again);
  });

  it('closing the tab mid-sync: the sync resumes on reopening, and what was in flight is not written twice', { timeout: 180_000 }, async () => {
    const { user, context, page } = await signedInCaseworker();
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Registrar persona sin conexión' }).click();
    for (let i = 0; i < 12; i++) await registerOffline(page, `Reanuda${tag(i)}`, `Pestana${tag(i)}`);
    // Each answer comes back slowly (the server itself is not touched), so that the tab closes mid-way.
    await context.route('**/api/v1/offline/writes', async (route) => {
      const response = await route.fetch().catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, 400));
      if (response) await route.fulfill({ response }).catch(() => undefined);
    });
    await context.setOffline(false);
    await expect.poll(async () => (await peopleBy(user.id)).length, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    await page.close();
    const landedBeforeClose = (await peopleBy(user.id)).length;
    expect(landedBeforeClose).toBeLessThan(12);
    await context.unroute('**/api/v1/offline/writes');

    const again = await context.newPage();
    await unlockOnline(again);
    await untilEmpty(again);
    const people = await peopleBy(user.id);
    expect(people).toHaveLength(12);
    expect(new Set(people.map((p) => p.surname1)).size).toBe(12);
    expect(await syncedBy(user.id)).toHaveLength(12);
    await closeAll(context, again);
  });

  it('a retry after a lost answer and a double submission create nothing twice', { timeout: 120_000 }, async () => {
    const { user, context, page } = await signedInCaseworker();
    await page.getByRole('link', { name: 'Registrar persona sin conexión' }).click();
    // The first write reaches the server, which writes it; its answer is lost on the way back.
    let lost = 0;
    await context.route('**/api/v1/offline/writes', async (route) => {
      const response = await route.fetch();
      if (lost === 0) {
        lost += 1;
        expect(response.status()).toBe(201);
        return route.abort('connectionreset');
      }
      return route.fulfill({ response });
    });
    await registerOffline(page, 'Perdida', 'Respuesta');
    await expect.poll(async () => (await peopleBy(user.id)).length, { timeout: 10_000 }).toBe(1);
    await page.getByText('1 registro espera ser enviado.').waitFor();
    // Once the outbox is empty the sync refreshes what the device keeps; that answer is held back,
    // so the next write is queued while the sync still runs.
    let releaseSnapshot!: () => void;
    const snapshotHeld = new Promise<void>((resolve) => (releaseSnapshot = resolve));
    let snapshotsAsked = 0;
    await context.route('**/api/v1/offline/snapshot', async (route) => {
      snapshotsAsked += 1;
      await snapshotHeld;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Enviar ahora' }).click();
    await page.getByText('1 registro espera ser enviado.').waitFor({ state: 'detached' });
    expect(lost).toBe(1);
    await expect.poll(() => snapshotsAsked, { timeout: 10_000 }).toBe(1);

    // A double click on the button: one write queued, one record. It is sent when the running sync
    // ends, not at the next periodic attempt 30 s later.
    await page.getByLabel('Nombre(s)').fill('Doble');
    await page.getByLabel('Primer apellido').fill('Clic');
    await page.getByLabel('Sexo').selectOption('female');
    await page.getByRole('button', { name: 'Guardar en este dispositivo' }).dblclick();
    await page.locator('#main').getByText('Doble Clic quedó guardada en este dispositivo.').waitFor();
    releaseSnapshot();
    await expect.poll(async () => (await peopleBy(user.id)).length, { timeout: 10_000 }).toBe(2);
    await page.waitForTimeout(500);
    const people = await peopleBy(user.id);
    expect(people.map((p) => `${p.given_names} ${p.surname1}`).sort()).toEqual(['Doble Clic', 'Perdida Respuesta']);
    expect(await syncedBy(user.id)).toHaveLength(2);
    await closeAll(context, page);
  });

  it('a conflicting edit is shown with both values and resolved by the user; nothing is dropped (1280 and 360 px)', { timeout: 120_000 }, async () => {
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const api = await ApiClient.signIn(server.baseUrl, user.email);
    const supervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'supervisor')).email);
    const person = await api.post('/api/v1/people', { given_names: 'Eulalia', surname1: 'Conflicto', sex: 'female' });
    const opened = await api.post('/api/v1/cases', { programme: 'shelter', opened_on: '2024-01-10', summary: 'Resumen original.', participants: [{ person_id: person.body.id, role: 'direct_victim' }] });
    expect(opened.status).toBe(201);

    const { context, page } = await newPage(browser, server.baseUrl);
    await signIn(page, user.email);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await openFromMenu(page, 'Trabajo sin conexión', 'Atención');
    await page.getByRole('link', { name: opened.body.folio }).click();
    await page.getByRole('heading', { level: 1, name: `Expediente ${opened.body.folio}` }).waitFor();
    await context.setOffline(true);
    await expectAccessible(page, 'a case kept for offline work at 1280 px');
    await page.getByRole('button', { name: 'Cambiar el resumen' }).click();
    await page.getByRole('textbox', { name: 'Resumen' }).fill('Resumen escrito sin conexión.');
    await page.getByRole('button', { name: 'Guardar', exact: true }).click();
    await page.getByText('Resumen escrito sin conexión.').waitFor();

    // Meanwhile, on the server, the supervisor rewrites the summary.
    expect((await supervisor.patch(`/api/v1/cases/${opened.body.id}`, { summary: 'Resumen del servidor.' })).status).toBe(204);

    await page.getByRole('link', { name: 'Volver al trabajo sin conexión' }).first().click();
    await context.setOffline(false);
    const choice = page.locator('.offline-conflict');
    await choice.waitFor({ timeout: 30_000 });
    await expect.poll(() => choice.textContent()).toContain('En el servidor: Resumen del servidor.');
    expect(await choice.textContent()).toContain('Su cambio: Resumen escrito sin conexión.');
    // Not sent, not dropped: the server keeps its value until she chooses.
    expect((await api.get(`/api/v1/cases/${opened.body.id}`)).body.summary).toBe('Resumen del servidor.');
    await expectAccessible(page, 'a conflict at 1280 px');
    await page.setViewportSize({ width: 360, height: 740 });
    await expectAccessible(page, 'a conflict at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: 'Guardar mi elección' }).click();
    await page.getByText('Elija un valor para cada campo.').waitFor();
    await choice.getByLabel(/Su cambio/).check();
    await page.getByRole('button', { name: 'Guardar mi elección' }).click();
    await untilEmpty(page);
    expect((await api.get(`/api/v1/cases/${opened.body.id}`)).body.summary).toBe('Resumen escrito sin conexión.');
    await closeAll(context, page);
  });

  it('the offline screens at 360 px: unlock, registration, a case opened offline with a service, a note and a photo', { timeout: 120_000 }, async () => {
    const { user, context, page } = await signedInCaseworker({ width: 360, height: 740 });
    await context.setOffline(true);
    await page.goto('/sin-conexion');
    await page.getByRole('heading', { level: 1, name: 'Sin conexión' }).waitFor();
    await expectAccessible(page, 'the offline unlock at 360 px');
    await unlockOffline(page, user.email);
    await page.getByRole('link', { name: 'Registrar persona sin conexión' }).click();
    await registerOffline(page, 'Rosa Elvira', 'Pantalla');
    // The device's own duplicate check: the same name again is questioned before it is kept.
    await page.getByLabel('Nombre(s)').fill('Rosa');
    await page.getByLabel('Primer apellido').fill('Pantalla');
    await page.getByLabel('Sexo').selectOption('female');
    await page.getByRole('button', { name: 'Guardar en este dispositivo' }).click();
    await page.getByText('Este dispositivo ya guarda a una persona parecida.', { exact: false }).waitFor();
    await expectAccessible(page, 'offline registration with a possible duplicate at 360 px');
    await page.getByRole('link', { name: 'Volver al trabajo sin conexión' }).click();
    await page.getByRole('link', { name: 'Abrir expediente sin conexión' }).click();
    await page.getByLabel('Programa').selectOption('shelter');
    await page.locator('#oc-person').selectOption({ label: 'Rosa Elvira Pantalla (sin enviar)' });
    await page.getByRole('button', { name: 'Abrir expediente' }).click();
    await page.getByRole('heading', { level: 1, name: 'Expediente Expediente nuevo (sin folio aún)' }).waitFor();
    await page.getByLabel('Persona atendida').selectOption({ label: 'Rosa Elvira Pantalla' });
    await page.locator('#os-type').selectOption('shelter');
    await page.getByRole('button', { name: 'Registrar servicio' }).click();
    await page.locator('#on-body').fill('Llegó con su hija de madrugada.');
    await page.getByRole('button', { name: 'Agregar nota' }).click();
    await page.getByText('Llegó con su hija de madrugada.').waitFor();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 0xff, 0xd9]);
    await page.getByLabel('Foto o archivo del documento').setInputFiles({ name: 'acta.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.getByRole('button', { name: 'Adjuntar' }).click();
    await page.getByText('acta.jpg').waitFor();
    await expectAccessible(page, 'a case opened offline at 360 px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    await context.setOffline(false);
    await page.getByRole('link', { name: 'Volver al trabajo sin conexión' }).click();
    await untilEmpty(page);
    const cases = await server.db.selectFrom('cases').select(['id', 'folio']).where('created_by', '=', user.id).execute();
    expect(cases).toHaveLength(1);
    const [services, notes, attachments] = await Promise.all(['services', 'case_notes', 'attachments'].map((table) => server.db.selectFrom(table as 'services').select('id').where('case_id', '=', cases[0]!.id).execute()));
    expect([services!.length, notes!.length, attachments!.length]).toEqual([1, 1, 1]);
    await page.getByRole('link', { name: cases[0]!.folio }).waitFor();
    await closeAll(context, page);
  });

  it('after sign-out the device’s store cannot be read: encrypted while kept, deleted at sign-out', { timeout: 120_000 }, async () => {
    const { user, context, page } = await signedInCaseworker();
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Registrar persona sin conexión' }).click();
    await registerOffline(page, 'Secreta', 'Cifrada');
    // What IndexedDB holds, read raw as another script on the page would: no name in clear.
    const dump = () =>
      page.evaluate(async () => {
        const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('amparo-offline-'));
        const texts: string[] = [];
        for (const name of names) {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const r = indexedDB.open(name);
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          for (const store of [...db.objectStoreNames]) {
            const values = await new Promise<unknown[]>((resolve) => {
              const r = db.transaction(store).objectStore(store).getAll();
              r.onsuccess = () => resolve(r.result);
            });
            const show = (v: unknown): string => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder('latin1').decode(v as ArrayBuffer) : Array.isArray(v) ? v.map(show).join('|') : v && typeof v === 'object' ? Object.values(v).map(show).join('|') : String(v));
            texts.push(values.map(show).join('\n'));
          }
          db.close();
        }
        return { names, text: texts.join('\n') + JSON.stringify(localStorage) };
      });
    const kept = await dump();
    expect(kept.names).toHaveLength(1);
    expect(kept.text).not.toContain('Secreta');
    expect(kept.text).not.toContain('Cifrada');

    await context.setOffline(false);
    await page.getByRole('link', { name: 'Volver al trabajo sin conexión' }).click();
    await untilEmpty(page);
    await openUserMenu(page);
    await page.locator('.usermenu__panel').getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    const after = await dump();
    expect(after.names).toEqual([]);
    expect(after.text).not.toContain(user.id);

    // Offline now, the app has nothing to open: the store is gone, not just locked.
    await context.setOffline(true);
    await page.goto('/personal');
    await page.getByRole('heading', { level: 1, name: 'Sin conexión' }).waitFor({ state: 'detached', timeout: 3000 }).catch(() => undefined);
    expect(await page.getByRole('heading', { level: 1, name: 'Sin conexión' }).count()).toBe(0);
    await context.close();
  });
});
