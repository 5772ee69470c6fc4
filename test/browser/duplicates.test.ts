import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../helpers.ts';
import { expectAccessible, launchBrowser, newPage, openFromMenu, pageProblems, signIn } from './browser.ts';

/**
 * The supervisor's de-duplication screen in a real browser: a proposed pair side by side with the
 * explanation, merged (choosing the record kept, with a reason), then the merge undone; usable and
 * accessible at desktop width and at 360 px.
 */
let server: TestServer;
let browser: Browser;
let supervisor: { email: string };
let kept = '';
let duplicate = '';
let page: Page;

const KEPT = 'María Guadalupe Hernández López';
const DUPLICATE = 'Ma. Guadalupe Hernandez Lopez';

/** Text that sticks out past the right edge of the window, and the page's own sideways scroll. */
async function overflowing(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('.visually-hidden, [hidden]')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      if (range.getBoundingClientRect().right > window.innerWidth + 0.5) out.push((node.textContent ?? '').trim().slice(0, 60));
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
    return out;
  });
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const shelter = await makeInstitution(server.db, { name: 'Albergue Hermanos en el Camino', type: 'shelter' });
  supervisor = await makeUser(server.db, shelter.id, 'supervisor');
  const caseworker = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, shelter.id, 'caseworker')).email);
  const register = async (given: string, s1: string, s2: string) => {
    const created = await caseworker.post('/api/v1/people', { given_names: given, surname1: s1, surname2: s2, sex: 'female', date_of_birth: '1990-05-12', nationalities: ['GTM'] });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  kept = await register('María Guadalupe', 'Hernández', 'López');
  duplicate = await register('Ma. Guadalupe', 'Hernandez', 'Lopez');
  for (const [id, programme] of [[kept, 'shelter'], [kept, 'legal_aid'], [duplicate, 'health']] as const) {
    const opened = await caseworker.post('/api/v1/cases', { programme, opened_on: '2021-06-01', participants: [{ person_id: id, role: 'applicant' }] });
    expect(opened.status).toBe(201);
  }
  ({ page } = await newPage(browser, server.baseUrl));
  await signIn(page, supervisor.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('de-duplication in the browser', () => {
  it('a supervisor compares a proposed pair, merges it, undoes the merge, and does it all at 360 px', async () => {
    // Shows a proposed pair side by side, with the cases of each and why it is proposed.
    await openFromMenu(page, 'Registros duplicados', 'Atención');
    await page.getByRole('heading', { level: 1, name: 'Registros duplicados' }).waitFor();
    const pair = page.locator('.dup-pair').filter({ hasText: KEPT });
    await pair.getByRole('heading', { level: 3, name: `${DUPLICATE} y ${KEPT}` }).or(pair.getByRole('heading', { level: 3, name: `${KEPT} y ${DUPLICATE}` })).waitFor();
    await pair.getByText(/Coincidencia: \d+ %/).waitFor();
    await pair.locator('.dup-record', { hasText: KEPT }).getByText('2 expedientes').waitFor();
    await pair.locator('.dup-record', { hasText: DUPLICATE }).getByText('1 expediente').waitFor();
    await pair.getByText('variante (abreviatura o apodo)').waitFor();
    await pair.locator('.dup-why li', { hasText: 'Fecha de nacimiento' }).getByText('igual').waitFor();
    await expectAccessible(page, 'duplicates screen');
    await page.screenshot({ path: '/tmp/amparo-duplicates.png', fullPage: true });

    // Merges the pair: the record with more cases is suggested, a reason is required, the merge appears in the history.
    await pair.getByRole('button', { name: /^Fusionar/ }).click();
    const keep = pair.getByRole('radio', { name: new RegExp(`Conservar ${KEPT}`) });
    expect(await keep.isChecked()).toBe(true);
    await expect.poll(() => pair.getByRole('radio', { name: /sugerido/ }).count()).toBe(1);
    await expectAccessible(page, 'merge form');

    await pair.getByRole('button', { name: 'Confirmar fusión' }).click();
    const reason = pair.getByLabel('Motivo de la fusión');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('Misma fecha de nacimiento y nacionalidad; se registró dos veces.');
    await pair.getByRole('button', { name: 'Confirmar fusión' }).click();

    await page.getByTestId('announcer').getByText(`Se fusionaron los registros; se conservó el de ${KEPT}.`).waitFor();
    await expect.poll(() => page.locator('.dup-pair').count()).toBe(0);
    await page.getByText('No hay pares por revisar.').waitFor();
    // Focus lands on the list's heading, not on the body.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('dup-proposals');
    const entry = page.locator('.dup-merge').first();
    await entry.getByText('Vigente').waitFor();
    await entry.getByText('Misma fecha de nacimiento y nacionalidad; se registró dos veces.').waitFor();
    await entry.getByText('Participaciones en expedientes movidas: 1 · servicios movidos: 0').waitFor();
    await expectAccessible(page, 'duplicates after a merge');

    // The merged record says where its cases went.
    const merged = await server.db.selectFrom('people').select('merged_into').where('id', '=', duplicate).executeTakeFirstOrThrow();
    expect(merged.merged_into).toBe(kept);
    await entry.getByRole('link', { name: DUPLICATE }).click();
    await page.getByText('Este registro se fusionó con otro de la misma persona').waitFor();
    await page.getByRole('link', { name: 'Ver el registro que se conservó' }).click();
    await page.getByRole('heading', { level: 1, name: KEPT }).waitFor();
    await expect.poll(() => page.locator('.item-list li').count()).toBe(3);

    // Undoes the merge with a reason: the pair is proposed again.
    await page.goto('/personas/duplicados');
    await entry.getByRole('button', { name: /^Deshacer fusión/ }).click();
    await entry.getByLabel('Motivo para deshacer la fusión').fill('Eran dos hermanas con el mismo nombre.');
    await entry.getByRole('button', { name: 'Confirmar: deshacer la fusión' }).click();
    await page.getByTestId('announcer').getByText(`Se deshizo la fusión: ${DUPLICATE} recuperó sus expedientes.`).waitFor();
    await entry.getByText('Deshecha', { exact: true }).waitFor();
    await entry.getByText('Eran dos hermanas con el mismo nombre.').waitFor();
    await page.locator('.dup-pair').filter({ hasText: KEPT }).waitFor();
    const restored = await server.db.selectFrom('people').select('merged_into').where('id', '=', duplicate).executeTakeFirstOrThrow();
    expect(restored.merged_into).toBeNull();
    await expectAccessible(page, 'duplicates after undoing');

    // Works at 360 px: records stacked, nothing sticks out, and the merge form is reachable.
    const small = await newPage(browser, server.baseUrl, { width: 360, height: 780 });
    await signIn(small.page, supervisor.email);
    await small.page.goto('/personas/duplicados');
    const smallPair = small.page.locator('.dup-pair').first();
    await smallPair.waitFor();
    await smallPair.getByRole('button', { name: /^Fusionar/ }).click();
    await smallPair.getByLabel('Motivo de la fusión').waitFor();
    expect(await overflowing(small.page)).toEqual([]);
    const [first, second] = await smallPair.locator('.dup-record').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(second!).toBeGreaterThan(first!);
    await expectAccessible(small.page, 'duplicates at 360 px');
    await small.page.screenshot({ path: '/tmp/amparo-duplicates-360.png', fullPage: true });
    expect(pageProblems(small.page)).toEqual([]);
    await small.context.close();
    expect(pageProblems(page)).toEqual([]);
  }, 180_000);
});
