import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { shelterBody } from './testing/samples.ts';
import { staleBefore } from './directory.service.ts';
import { daysInWords, directoryStrings } from './public/pages.ts';
import { applyGuide, SITUATIONS } from '../public/guide.ts';
import { locales, PUBLIC_LANGUAGES } from '../public/i18n.ts';

/**
 * The directory through HTTP on a real PostgreSQL: an editor writes an entry, a second person
 * publishes it, the public finds it on /servicios; entries of other institutions stay out of reach;
 * old verifications are flagged; the public pages stay light and work with bad input.
 */
let server: TestServer;
let editor: ApiClient;
let editor2: ApiClient;
let supervisor: ApiClient;
let caseworker: ApiClient;
let outsider: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  const shelter = await makeInstitution(server.db, { name: 'Albergue Belén de prueba', type: 'shelter' });
  const other = await makeInstitution(server.db, { name: 'Otra institución', type: 'civil_society' });
  const sign = async (institutionId: string, role: Parameters<typeof makeUser>[2]) => ApiClient.forSession(server, (await makeUser(server.db, institutionId, role)).email);
  editor = await sign(shelter.id, 'directory_editor');
  editor2 = await sign(shelter.id, 'directory_editor');
  supervisor = await sign(shelter.id, 'supervisor');
  caseworker = await sign(shelter.id, 'caseworker');
  outsider = await sign(other.id, 'directory_editor');
});
afterAll(async () => server?.close());

const unique = (name: string) => `${name} ${crypto.randomUUID().slice(0, 8)}`;
async function draft(overrides: Record<string, unknown> = {}) {
  const res = await editor.post('/api/v1/directory/services', shelterBody({ name: unique('Albergue de prueba'), ...overrides }));
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
const publicPage = (path: string) => new ApiClient(server.baseUrl, 'es').get(path);

describe('review and publish', () => {
  it('an entry is public only after a second person publishes it', async () => {
    const name = unique('Albergue Jesús el Buen Pastor');
    const id = await draft({ name });
    expect((await publicPage(`/servicios/${id}`)).status).toBe(404);
    expect((await editor.post(`/api/v1/directory/services/${id}/publish`)).body.code).toBe('directory_invalid_transition');
    expect((await editor.post(`/api/v1/directory/services/${id}/submit`)).status).toBe(204);
    // The editor who submitted it may not publish it.
    expect((await editor.post(`/api/v1/directory/services/${id}/publish`)).body.code).toBe('directory_same_person');
    expect((await caseworker.post(`/api/v1/directory/services/${id}/publish`)).status).toBe(403);
    expect((await supervisor.post(`/api/v1/directory/services/${id}/publish`)).status).toBe(204);
    const page = await publicPage(`/servicios/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(name);
    expect(page.text).toContain('href="/quejas?lang=es"');
    const search = await publicPage(`/servicios?palabras=${encodeURIComponent(name.split(' ').pop()!)}`);
    expect(search.text).toContain(name);
    // A change sends it back to review, out of the public pages.
    expect((await editor2.patch(`/api/v1/directory/services/${id}`, { description: 'Nueva descripción.' })).status).toBe(204);
    expect((await publicPage(`/servicios/${id}`)).status).toBe(404);
    const view = await editor.get(`/api/v1/directory/services/${id}`);
    expect(view.body).toMatchObject({ review_state: 'draft', description: 'Nueva descripción.', changed_by_me: false });
  });

  it('a reviewer may send an entry back with a note', async () => {
    const id = await draft();
    await editor.post(`/api/v1/directory/services/${id}/submit`);
    expect((await editor2.post(`/api/v1/directory/services/${id}/return`, { note: 'Falta el horario.' })).status).toBe(204);
    expect((await editor.get(`/api/v1/directory/services/${id}`)).body).toMatchObject({ review_state: 'draft', review_note: 'Falta el horario.' });
  });

  it('verifying keeps a published entry public and updates its free beds', async () => {
    const id = await draft();
    await editor.post(`/api/v1/directory/services/${id}/submit`);
    await editor2.post(`/api/v1/directory/services/${id}/publish`);
    await server.db.updateTable('directory_services').set({ verified_on: '2020-01-01' }).where('id', '=', id).execute();
    const stale = await editor.get('/api/v1/directory/services?stale=true&limit=200');
    expect(stale.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({ stale: true, review_state: 'published' });
    expect((await editor.post(`/api/v1/directory/services/${id}/verify`, { capacity_available: 81 })).body.code).toBe('validation_failed');
    expect((await editor.post(`/api/v1/directory/services/${id}/verify`, { capacity_available: 3 })).status).toBe(204);
    const view = (await editor.get(`/api/v1/directory/services/${id}`)).body;
    expect(view).toMatchObject({ review_state: 'published', stale: false, capacity_available: 3 });
    expect((await publicPage(`/servicios/${id}`)).text).toContain('Camas libres: 3 de 80');
    const { rows } = await sql<{ action: string }>`select action from audit_log where record_id = ${id} order by id`.execute(server.db);
    expect(rows.map((r) => r.action)).toEqual(['directory_service.created', 'directory_service.submitted', 'directory_service.published', 'directory_service.verified']);
  });
});

describe('who may touch an entry', () => {
  it('another institution gets 404, audited; roles without the directory get 403', async () => {
    const id = await draft();
    const refused = await outsider.get(`/api/v1/directory/services/${id}`);
    expect(refused.status).toBe(404);
    expect((await outsider.patch(`/api/v1/directory/services/${id}`, { name: 'Cambiado' })).status).toBe(404);
    const { rows } = await sql<{ action: string }>`select action from audit_log where record_id = ${id} and action like '%denied' order by id`.execute(server.db);
    expect(rows.length).toBe(2);
    expect((await caseworker.get('/api/v1/directory/services')).status).toBe(403);
    expect((await caseworker.post('/api/v1/directory/services', shelterBody())).status).toBe(403);
    expect((await outsider.get('/api/v1/directory/services?limit=200')).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it('refuses bad input with codes: unknown category, town outside its state, ages the wrong way round', async () => {
    expect((await editor.post('/api/v1/directory/services', shelterBody({ categories: ['astrologia'] }))).body.code).toBe('directory_unknown_category');
    const wrongState = await editor.post('/api/v1/directory/services', shelterBody({ location: { address_1: 'Calle 1', state_code: '02', municipality_code: '07089' } }));
    expect(wrongState.body.code).toBe('directory_unknown_place');
    const ages = await editor.post('/api/v1/directory/services', shelterBody({ minimum_age: 30, maximum_age: 10 }));
    expect(ages.status).toBe(400);
    expect(ages.body.code).toBe('validation_failed');
  });
});

describe('the public pages', () => {
  it('find a shelter with free beds by category, town, language and age, ordered by distance', async () => {
    const near = unique('Casa del Migrante cerca');
    const far = unique('Casa del Migrante lejos');
    const full = unique('Albergue lleno');
    for (const [name, extra] of [
      [near, {}],
      [far, { location: { address_1: 'Calle 2', state_code: '07', municipality_code: '07101' } }],
      [full, { capacity_available: 0 }],
    ] as const) {
      const id = await draft({ name, ...extra });
      await editor.post(`/api/v1/directory/services/${id}/submit`);
      await editor2.post(`/api/v1/directory/services/${id}/publish`);
    }
    const res = await publicPage('/servicios?categoria=shelter&estado=07&idioma=hat&edad=30&cerca=07089&camas=1&palabras=Casa+del+Migrante');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(full);
    const [i, j] = [res.text.indexOf(near), res.text.indexOf(far)];
    expect(i).toBeGreaterThan(0);
    expect(j).toBeGreaterThan(i);
    expect(res.text).toMatch(/a \d+ km de Tapachula/);
    expect(Buffer.byteLength(res.text)).toBeLessThan(50 * 1024);
    expect(res.text).not.toContain('<script');
    const children = await publicPage('/servicios?palabras=Casa+del+Migrante&edad=130');
    expect(children.status).toBe(200);
    expect(children.text).toContain('La edad debe ser un número');
  });

  it('a service page says hours in words, phones, languages, what to bring, and weighs under 50 KB, in English too', async () => {
    const id = await draft({ schedules: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opens_at: '09:00', closes_at: '17:00' }] });
    await editor.post(`/api/v1/directory/services/${id}/submit`);
    await editor2.post(`/api/v1/directory/services/${id}/publish`);
    const es = await publicPage(`/servicios/${id}`);
    expect(es.text).toContain('De lunes a viernes, de 9:00 a 17:00.');
    expect(es.text).toContain('href="tel:+529625550101"');
    expect(es.text).toContain('Criollo haitiano');
    expect(es.text).toContain('Constancia de COMAR');
    expect(es.text).toContain('A seis cuadras del parque central');
    expect(Buffer.byteLength(es.text)).toBeLessThan(50 * 1024);
    const en = await publicPage(`/servicios/${id}?lang=en`);
    expect(en.text).toContain('Monday to Friday, 9:00 to 17:00.');
    expect(en.text).toContain('File a complaint');
    expect((await publicPage('/servicios/not-an-id')).status).toBe(404);
    expect((await publicPage('/servicios?categoria=%3Cscript%3E&estado=99&pagina=-4&edad=viejo&lang=xx')).status).toBe(200);
  });

  it('a link from the guide lands on the directory filtered by its categories, age group and language, in Haitian Creole', async () => {
    const token = crypto.randomUUID().slice(0, 8);
    const forChildren = unique(`Asesoría para menores ${token}`);
    const adultsOnly = unique(`Albergue para adultos ${token}`);
    const food = unique(`Comedor ${token}`);
    for (const [name, extra] of [
      [forChildren, { categories: ['legal_aid'], minimum_age: 0, maximum_age: 17 }],
      [adultsOnly, { categories: ['shelter'], minimum_age: 18, maximum_age: 120 }],
      [food, { categories: ['food'] }],
    ] as const) {
      const id = await draft({ name, ...extra });
      await editor.post(`/api/v1/directory/services/${id}/submit`);
      await editor2.post(`/api/v1/directory/services/${id}/publish`);
    }
    // "I am afraid to go back", a child, reading in Creole: legal aid, shelter, child protection, for under-18s, in Creole.
    const { servicesHref } = applyGuide({ nationality: 'HTI', age: 'child', situations: ['fear'] }, [], 'ht');
    expect(servicesHref).toContain('categoria=legal_aid');
    const res = await publicPage(`${servicesHref}&palabras=${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="ht"');
    expect(res.text).toContain(forChildren);
    expect(res.text).not.toContain(adultsOnly); // a shelter, but not for a child
    expect(res.text).not.toContain(food); // not one of the guide's categories
    expect(res.text).toContain('1 sèvis jwenn');
    // The form keeps every filter: the categories as check boxes, the age group, the language.
    expect(res.text).toMatch(/name="categoria" value="legal_aid" checked/);
    expect(res.text).toMatch(/name="categoria" value="child_protection" checked/);
    expect(res.text).toMatch(/name="edad" value="menor" checked> Sèlman sèvis pou timoun/);
    expect(res.text).toContain('<option value="hat" selected>Kreyòl ayisyen</option>');
    expect(res.text).toContain('<span class="tag">Konsèy legal</span>');
    expect(res.text).toContain('poko revize tradiksyon sa a');
    // Years typed in the box win over the group: 30 finds the adults' shelter among the guide's categories.
    const adult = await publicPage(`${servicesHref}&palabras=${token}&edad=30`);
    expect(adult.text).toContain(adultsOnly);
    expect(adult.text).not.toContain(forChildren);
  });

  it('is in the language of the browser when the address does not say, and every language links the others', async () => {
    const id = await draft({ schedules: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opens_at: '09:00', closes_at: '17:00' }] });
    await editor.post(`/api/v1/directory/services/${id}/submit`);
    await editor2.post(`/api/v1/directory/services/${id}/publish`);
    const pt = await (await fetch(`${server.baseUrl}/servicios/${id}`, { headers: { 'accept-language': 'pt-BR,pt;q=0.9' } })).text();
    expect(pt).toContain('<html lang="pt"');
    expect(pt).toContain('De segunda-feira a sexta-feira, das 9:00 às 17:00.');
    expect(pt).toContain('Crioulo haitiano');
    const fr = await publicPage(`/servicios/${id}?lang=fr`);
    expect(fr.text).toContain('Du lundi au vendredi, de 9:00 à 17:00.');
    for (const lang of ['es', 'en', 'ht', 'pt']) expect(fr.text).toContain(`href="/servicios/${id}?lang=${lang}" hreflang="${lang}"`);
    const search = await publicPage('/servicios?lang=ht&idioma=fra');
    expect(search.text).toContain(`href="/servicios?lang=fr&amp;idioma=fra"`);
  });

  it('names every category of the taxonomy in the five languages, and the guide asks only for categories that exist', async () => {
    const codes = (await server.db.selectFrom('directory_taxonomy_terms').select('code').execute()).map((r) => r.code).sort();
    for (const lang of PUBLIC_LANGUAGES) expect(Object.keys(locales[lang].directory.categories).sort(), lang).toEqual(codes);
    const { servicesHref } = applyGuide({ nationality: null, age: 'child', situations: [...SITUATIONS] }, [], 'es');
    const asked = new URLSearchParams(servicesHref.split('?')[1]).getAll('categoria');
    expect(asked.length).toBeGreaterThan(5);
    expect(asked.filter((c) => !codes.includes(c))).toEqual([]);
  });

  it('names days and the six-month limit as people would', () => {
    const t = directoryStrings('es');
    expect(daysInWords(t, ['MO', 'WE', 'FR'])).toBe('lunes, miércoles y viernes');
    expect(daysInWords(t, ['SA', 'SU', 'MO', 'TU', 'WE', 'TH', 'FR'])).toBe('todos los días');
    expect(staleBefore('2026-12-06')).toBe('2026-06-06');
  });
});
