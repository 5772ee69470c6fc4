import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { PUBLIC_LANGUAGES } from './i18n.ts';
import { shelterBody } from '../directory/testing/samples.ts';

/**
 * The public front door over HTTP: the home and its language (switch, `?lang`, Accept-Language), the
 * operator's settings and privacy notice, the information pages and their versions, the guide, the
 * staff's old address, and the weight of every public page.
 */
let server: TestServer;
let admin: ApiClient;
let caseworker: ApiClient;

const page = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(server.baseUrl + path, { headers, redirect: 'manual' });
  return { status: response.status, text: await response.text(), headers: response.headers };
};

beforeAll(async () => {
  server = await startTestServer();
  const institution = await makeInstitution(server.db);
  const adminUser = await makeUser(server.db, institution.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', adminUser.id).execute();
  admin = await ApiClient.forSession(server, adminUser.email);
  caseworker = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'caseworker')).email);
});

afterAll(async () => {
  await server?.close();
});

describe('the public home', () => {
  it('speaks the language asked by ?lang, else the browser’s, else Spanish, and links the other four', async () => {
    const spanish = await page('/');
    expect(spanish.status).toBe(200);
    expect(spanish.text).toContain('<html lang="es">');
    expect(spanish.text).toContain('Servicios para personas migrantes');
    expect(spanish.text).not.toContain('<script');
    for (const lang of ['en', 'fr', 'ht', 'pt']) expect(spanish.text).toContain(`href="/?lang=${lang}" hreflang="${lang}"`);

    const creole = await page('/?lang=ht');
    expect(creole.text).toContain('<html lang="ht">');
    expect(creole.text).toContain('Kisa ou bezwen?');
    expect(creole.text).toContain('href="/quejas?lang=ht"');
    expect(creole.text).toContain('href="/?lang=es" hreflang="es"');
    // Not reviewed by a native speaker: the page says so.
    expect(creole.text).toContain('poko revize tradiksyon sa a');

    expect((await page('/', { 'accept-language': 'pt-BR,pt;q=0.9,en;q=0.5' })).text).toContain('<html lang="pt">');
    expect((await page('/', { 'accept-language': 'de-DE, fr;q=0.7' })).text).toContain('<html lang="fr">');
    expect((await page('/', { 'accept-language': 'de' })).text).toContain('<html lang="es">');
    // ?lang wins over the browser's language; an unknown one is ignored.
    expect((await page('/?lang=en', { 'accept-language': 'ht' })).text).toContain('<html lang="en">');
    expect((await page('/?lang=xx', { 'accept-language': 'ht' })).text).toContain('<html lang="ht">');
  });

  it('links the four doors, the privacy notice and, discreetly, the staff sign-in', async () => {
    const { text } = await page('/?lang=en');
    for (const href of ['/servicios?lang=en', '/informacion?lang=en', '/quejas?lang=en', '/familias/busqueda?lang=en', '/aviso-de-privacidad?lang=en']) expect(text).toContain(`href="${href}"`);
    expect(text).toContain('<a class="staff" href="/personal">Staff sign-in</a>');
  });

  it('sends someone signed in who opens the bare address on to the staff app, which still opens at its old paths', async () => {
    const bare = await page('/', { cookie: caseworker.cookie });
    expect(bare.status).toBe(303);
    expect(bare.headers.get('location')).toBe('/personal');
    expect((await page('/?lang=es', { cookie: caseworker.cookie })).status).toBe(200);
  });

  it('shows who runs the service as the platform administrators set it, and only they may set it', async () => {
    const refused = await caseworker.request('PUT', '/api/v1/public-site', { operator_name: 'X', phone: null, whatsapp: null, address: null, privacy_notice: null });
    expect(refused.status).toBe(403);
    const saved = await admin.request('PUT', '/api/v1/public-site', { operator_name: 'Centro de Atención a Migrantes del Soconusco', phone: '+52 962 000 1111', whatsapp: '+52 962 000 2222', address: 'Av. Central Norte 10, Tapachula, Chiapas', privacy_notice: null });
    expect(saved.status).toBe(200);
    expect(saved.body.default_privacy_notice).toContain('Centro de Atención a Migrantes del Soconusco, con domicilio en Av. Central Norte 10');
    const home = await page('/?lang=fr');
    expect(home.text).toContain('Centro de Atención a Migrantes del Soconusco');
    expect(home.text).toContain('href="tel:+529620001111"');
    expect(home.text).toContain('href="https://wa.me/529620002222"');
    const notice = await page('/aviso-de-privacidad?lang=fr');
    expect(notice.text).toContain('<div class="content" lang="es">');
    for (const part of ['Responsable', 'Transferencias', 'ARCO', 'Plataforma Nacional de Transparencia', 'LGPDPPSO']) expect(notice.text).toContain(part);
    expect(notice.text).toContain('n’est disponible qu’en espagnol');

    const own = await admin.request('PUT', '/api/v1/public-site', { ...saved.body.operator_name && { operator_name: saved.body.operator_name }, phone: null, whatsapp: null, address: null, privacy_notice: '## Responsable\nTexto propio del aviso.' });
    expect(own.status).toBe(200);
    expect((await page('/aviso-de-privacidad')).text).toContain('Texto propio del aviso.');
    expect((await page('/')).text).not.toContain('wa.me');
    const audit = await server.db.selectFrom('audit_log').select('action').where('action', '=', 'public_site.settings_changed').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('takes a PNG or JPEG logo without its metadata and refuses anything else', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])),
      chunk('tEXt', Buffer.from('Author\0Secreto')),
      chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01])),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect((await admin.request('PUT', '/api/v1/public-site/logo', { data_base64: Buffer.from('%PDF-1.4 no').toString('base64') })).status).toBe(415);
    expect((await admin.request('PUT', '/api/v1/public-site/logo', { data_base64: png.toString('base64') })).status).toBe(204);
    const logo = await fetch(`${server.baseUrl}/portada/logo`);
    expect(logo.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await logo.arrayBuffer());
    expect(bytes.includes(Buffer.from('Secreto'))).toBe(false);
    expect((await page('/')).text).toContain('src="/portada/logo"');
    expect((await admin.request('DELETE', '/api/v1/public-site/logo')).status).toBe(204);
    expect((await fetch(`${server.baseUrl}/portada/logo`)).status).toBe(404);
  });
});

/** A PNG chunk (the CRC is not checked by the stripper, so zeros do). */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

describe('information pages', () => {
  it('lists the default pages, each with its reviewed date and sources', async () => {
    const index = await page('/informacion');
    for (const title of ['Tarjeta de Visitante Regional', 'Razones Humanitarias', 'COMAR', 'CURP temporal', 'Revalidación de estudios', 'atención médica', 'Derecho a la educación', 'presentar una queja', 'buscar a un familiar', 'le detienen']) expect(index.text).toContain(title);
    const comar = await page('/informacion/refugio-comar?lang=ht');
    expect(comar.status).toBe(200);
    expect(comar.text).toContain('Revize ');
    expect(comar.text).toContain('Ley sobre Refugiados');
    expect(comar.text).toContain('href="/informacion/curp-temporal?lang=ht"');
    expect((await page('/informacion/no-existe')).status).toBe(404);
  });

  it('keeps every earlier version when an editor saves a new one, and refuses an edit made over a stale version', async () => {
    const current = await admin.request('GET', '/api/v1/information/pages/curp-temporal');
    expect(current.status).toBe(200);
    const edit = { base_version: current.body.versions, title: 'CURP temporal (actualizada)', summary: 'Resumen nuevo.', body: 'Texto revisado por la Unidad de Atención.', sources: 'RENAPO, consulta telefónica.', reviewed_on: '2026-11-30', note: 'Se confirmó con RENAPO.' };
    expect((await caseworker.request('POST', '/api/v1/information/pages/curp-temporal/versions', edit)).status).toBe(403);
    const saved = await admin.request('POST', '/api/v1/information/pages/curp-temporal/versions', edit);
    expect(saved.status).toBe(201);
    expect(saved.body.version).toBe(current.body.versions + 1);
    const stale = await admin.request('POST', '/api/v1/information/pages/curp-temporal/versions', edit);
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('information_page_changed');
    const versions = await admin.request('GET', '/api/v1/information/pages/curp-temporal/versions');
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([saved.body.version, current.body.version]);
    expect(versions.body.items[1].body).toBe(current.body.body);
    const shown = await page('/informacion/curp-temporal');
    expect(shown.text).toContain('Texto revisado por la Unidad de Atención.');
    expect(shown.text).toContain('30 de noviembre de 2026');
  });
});

describe('the guide', () => {
  it('shows the pages and services that apply to the answers, storing nothing', async () => {
    const before = await server.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const form = await page('/informacion/guia?lang=pt');
    expect(form.text).toContain('<form method="get" action="/informacion/guia">');
    const answered = await page('/informacion/guia?lang=pt&nacionalidad=GTM&edad=menor&situacion=stay&situacion=school');
    expect(answered.text).toContain('href="/informacion/tarjeta-visitante-regional?lang=pt"');
    expect(answered.text).toContain('href="/informacion/revalidacion-de-estudios?lang=pt"');
    expect(answered.text).toContain('href="/informacion/si-le-detienen?lang=pt"'); // a child: the protection that applies
    expect(answered.text).toContain('/servicios?categoria=child_protection&amp;categoria=documents');
    expect(answered.text).toContain('idioma=por');
    // The switch keeps the answers.
    expect(answered.text).toContain('href="/informacion/guia?lang=ht&amp;nacionalidad=GTM&amp;edad=menor&amp;situacion=stay&amp;situacion=school"');
    const haitian = await page('/informacion/guia?nacionalidad=HTI&edad=adulta&situacion=stay');
    expect(haitian.text).not.toContain('tarjeta-visitante-regional');
    expect(haitian.text).toContain('refugio-comar');
    const after = await server.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('page weights', () => {
  it('keeps every public page under 50 KB without images, in every language', async () => {
    // A published service, for the directory's pages (the receipts are weighed in receipts-languages.test.ts).
    const shelter = await makeInstitution(server.db, { type: 'shelter' });
    const editor = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'directory_editor')).email);
    const reviewer = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'directory_editor')).email);
    const service = (await editor.post('/api/v1/directory/services', shelterBody())).body.id as string;
    expect((await editor.post(`/api/v1/directory/services/${service}/submit`)).status).toBe(204);
    expect((await reviewer.post(`/api/v1/directory/services/${service}/publish`)).status).toBe(204);
    // The families' report form itself, not the page that says no institution receives reports yet.
    await sql`update missing_settings set public_institution_id = ${shelter.id}`.execute(server.db);
    const paths = [
      '/', '/aviso-de-privacidad', '/informacion', '/informacion/refugio-comar', '/informacion/guia', '/informacion/guia?situacion=stay&situacion=fear&edad=menor',
      '/servicios', '/servicios?categoria=shelter&municipio=07089&camas=1&cerca=07089', `/servicios/${service}`,
      '/quejas', '/quejas/seguimiento', '/familias/busqueda', '/familias/busqueda/seguimiento', '/familias/busqueda/reportar',
    ];
    const weights: Record<string, number> = {};
    for (const lang of PUBLIC_LANGUAGES) {
      for (const path of paths) {
        const response = await fetch(`${server.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        const text = await response.text();
        expect(response.status, `${lang} ${path}`).toBe(200);
        expect(text, `${lang} ${path}`).toContain(`<html lang="${lang}">`);
        const bytes = Buffer.byteLength(text);
        weights[`${lang} ${path}`] = bytes;
        expect(bytes, `${lang} ${path}`).toBeLessThan(50 * 1024);
      }
    }
    expect(Object.keys(weights)).toHaveLength(paths.length * PUBLIC_LANGUAGES.length);
  });
});
