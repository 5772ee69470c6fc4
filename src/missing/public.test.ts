import http from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { publicLimits } from '../platform/limits/anonymous.ts';
import { pdfText } from '../../test/pdf-text.ts';

/**
 * The families' public pages over HTTP (server-rendered forms, no JavaScript): filing a report with
 * errors shown next to the fields, the folio and access code, the follow-up with the officer's
 * messages and the family's answer, the same refusal for every wrong code, the throttle shared with
 * the JSON API, and nothing about the visitor's connection stored or logged.
 */

const AGENT = 'FamiliaProbe/3.1 (Linux; Android 4.4; GT-S7580) UaMarker';
const PAGE_BUDGET = 50 * 1024;

let server: TestServer;
let commission: { id: string; name: string };
let officer: ApiClient;

type Sent = { status: number; text: string; headers: http.IncomingHttpHeaders };

/**
 * A form POST (or GET) as a family: from a loopback address other than 127.0.0.1 (the officer's API
 * client, whose address the audit log rightly keeps), with a recognisable user agent and a forwarded address.
 */
function send(method: 'GET' | 'POST', path: string, form?: Record<string, string | string[]>, localAddress = '127.0.0.2'): Promise<Sent> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form ?? {})) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  const bytes = Buffer.from(params.toString(), 'utf8');
  const url = new URL(server.baseUrl + path);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress,
        headers: { 'user-agent': AGENT, 'x-forwarded-for': '198.51.100.23', 'accept-language': 'es-MX', ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': bytes.length } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end(method === 'POST' ? bytes : undefined);
  });
}
const post = (path: string, form: Record<string, string | string[]>, from?: string) => send('POST', path, form, from);
const get = (path: string, from?: string) => send('GET', path, undefined, from);

const validForm = (change: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  given_names: 'Ma. Guadalupe',
  surname1: 'Hernández',
  surname2: '',
  other_names: 'Lupita',
  sex: 'female',
  date_of_birth: '',
  age_min: '30',
  age_max: '',
  nationality: 'HND',
  nationality2: '',
  languages: ['spa', 'mam'],
  height_min_cm: '155',
  height_max_cm: '160',
  build: 'Delgada',
  hair: '',
  eyes: '',
  marks: 'Tatuaje de una golondrina en el antebrazo derecho',
  clothing: 'Sudadera gris',
  last_seen_on: '2026-03-01',
  last_seen_country: 'MEX',
  last_seen_state: '07',
  last_seen_place: 'Tapachula',
  route: 'Tapachula – Altar',
  circumstance: 'Llamó desde Tapachula; dijo que seguiría al norte.',
  reporter_name: 'Carlos Hernández',
  reporter_relationship: 'sibling',
  reporter_phone: '+504 9999 0000',
  reporter_email: 'carlos.familia@example.org',
  reporter_country: 'HND',
  dna_reference_taken: 'no',
  dna_custodian: '',
  ...change,
});

const folioOf = (page: string) => /id="folio">([^<]+)</.exec(page)?.[1] ?? '';
/** The code as the page writes it, in groups (one nowrap span each): the text without the tags. */
const codeOf = (page: string) => (/id="code">(.*?)<\/p>/.exec(page)?.[1] ?? '').replace(/<[^>]*>/g, '');
const tokenOf = (page: string) => /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
const statusOf = (page: string) => /id="status">([^<]+)</.exec(page)?.[1] ?? '';
const countReports = async () => Number((await sql<{ n: number }>`select count(*)::int as n from missing_reports`.execute(server.db)).rows[0]!.n);

beforeAll(async () => {
  server = await startTestServer({ matchingWorker: false });
  commission = await makeInstitution(server.db, { code: 'CBCHISP', name: 'Comisión de Búsqueda de Chiapas', type: 'state_agency', state_code: '07' });
  officer = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, commission.id, 'search_officer')).email);
  await receivePublicReports(commission.id);
});
afterAll(async () => server?.close());

const receivePublicReports = async (institutionId: string | null) => {
  await sql`update missing_settings set public_institution_id = ${institutionId}`.execute(server.db);
};

describe('when no institution receives public reports', () => {
  it('the landing page works; the form says where to go instead (503) and a posted report is not stored', async () => {
    await receivePublicReports(null);
    const before = await countReports();
    const landing = await get('/familias/busqueda');
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('href="/familias/busqueda/reportar?lang=es"');
    expect(landing.text).toContain('href="/familias/busqueda/seguimiento?lang=es"');
    expect(landing.headers['cache-control']).toBe('no-store');

    const form = await get('/familias/busqueda/reportar');
    expect(form.status).toBe(503);
    expect(form.text).toContain('Por ahora no recibimos reportes en línea');
    expect(form.text).toContain('consulado');
    expect(form.text).not.toContain('<form');
    const posted = await post('/familias/busqueda/reportar', validForm());
    expect(posted.status).toBe(503);
    expect(await countReports()).toBe(before);
    const english = await get('/familias/busqueda/reportar?lang=en');
    expect(english.text).toContain('Online reports are not being received at the moment');

    await receivePublicReports(commission.id);
    const open = await get('/familias/busqueda/reportar');
    expect(open.status).toBe(200);
    expect(open.text).toContain('<form method="post" action="/familias/busqueda/reportar?lang=es"');
    expect(Buffer.byteLength(open.text)).toBeLessThan(PAGE_BUDGET);
    expect(open.text).not.toContain('<script');
  });
});

describe('filing a report', () => {
  it('shows each error next to its field, with a summary, keeps (escaped) what was written, and stores nothing', async () => {
    const before = await countReports();
    const res = await post('/familias/busqueda/reportar', validForm({
      given_names: '', surname1: '', surname2: '',
      age_min: '40', age_max: '20',
      height_min_cm: 'alto',
      last_seen_on: '2999-01-01',
      dna_reference_taken: 'yes', dna_custodian: '',
      reporter_phone: '', reporter_email: '',
      reporter_relationship: 'cousin',
      marks: 'Cicatriz <script>alert(1)</script> en la ceja',
      favourite_colour: 'azul',
    }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Revise lo siguiente:');
    const errors = {
      given_names: 'Escriba al menos un nombre o un apellido de la persona.',
      age_max: 'El segundo número debe ser igual o mayor que el primero.',
      height_min_cm: 'Escriba un número entero.',
      last_seen_on: 'Escriba una fecha válida',
      dna_custodian: 'Diga a quién dio la muestra de ADN.',
      reporter_phone: 'Escriba un teléfono o un correo electrónico',
      reporter_relationship: 'Elija una opción de la lista.',
    };
    for (const [field, message] of Object.entries(errors)) {
      expect(res.text, field).toMatch(new RegExp(`<p class="field-error" id="${field}-error">${message}`));
      expect(res.text, field).toMatch(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"[^>]*aria-invalid="true"`));
      // In the summary: the field by its name, then the message, linked to the field.
      expect(res.text, field).toMatch(new RegExp(`<a href="#${field}">[^<:]+: ${message[0]!.toLowerCase()}${message.slice(1)}`));
    }
    expect(res.text).toContain('<a href="#given_names">Nombre o nombres: escriba al menos un nombre o un apellido de la persona.</a>');
    expect(res.text).toContain('<a href="#reporter_relationship">Su relación con la persona: elija una opción de la lista.</a>');
    expect(res.text).toContain('id="errors" tabindex="-1" autofocus'); // the focus goes to the summary
    expect(res.text).toContain('El formulario incluye un campo desconocido: favourite_colour.');
    expect(res.text).toContain('Cicatriz &lt;script&gt;alert(1)&lt;/script&gt; en la ceja');
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('value="Lupita"');
    expect(res.text).toMatch(/<option value="HND" selected>Honduras<\/option>/);
    expect(res.text).toMatch(/value="mam" checked/);
    expect(await countReports()).toBe(before);
  });

  it('lists the states of Mexico by name, from the one table', async () => {
    const form = await get('/familias/busqueda/reportar');
    const select = /<select id="last_seen_state"[^>]*>(.*?)<\/select>/s.exec(form.text)![1]!;
    const names = [...select.matchAll(/<option value="\d\d"[^>]*>([^<]+)</g)].map((m) => m[1]!);
    expect(names).toHaveLength(32);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'es')));
    expect([names[0], names.at(-1)]).toEqual(['Aguascalientes', 'Zacatecas']);
  });

  it('speaks English when asked, with the same rules', async () => {
    const res = await post('/familias/busqueda/reportar?lang=en', validForm({ given_names: '', surname1: '', sex: '', date_of_birth: '1990-01-01', age_min: '30' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Write at least one given name or surname of the person.');
    expect(res.text).toContain('Choose an option from the list.'); // sex
    expect(res.text).toContain('Give either the date of birth or the approximate age, not both.');
    expect(res.text).toContain('action="/familias/busqueda/reportar?lang=en"');
  });

  it('files the report through newReportBody (channel public_web) and shows folio and access code once', async () => {
    const res = await post('/familias/busqueda/reportar', validForm());
    expect(res.status).toBe(200);
    expect(res.text).toContain('Recibimos su reporte');
    expect(res.text).toContain('Comisión de Búsqueda de Chiapas');
    expect(res.text).toContain('Anote el folio y el código ahora');
    expect(folioOf(res.text)).toMatch(/^B-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(codeOf(res.text)).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(Buffer.byteLength(res.text)).toBeLessThan(PAGE_BUDGET);
    const row = await server.db.selectFrom('missing_reports').selectAll().where('folio', '=', folioOf(res.text)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ institution_id: commission.id, channel: 'public_web', created_by: null, status: 'active', given_names: 'Ma. Guadalupe', surname1: 'Hernández', other_names: ['Lupita'], sex: 'female', age_min: 30, age_max: 30, languages: ['spa', 'mam'], height_min_cm: 155, height_max_cm: 160, last_seen_state: '07', reporter_relationship: 'sibling', dna_reference_taken: false });
    expect(row.nationalities.map((n) => n.trim())).toEqual(['HND']);
    // The reporter's identity and contact are encrypted; the code is only an argon2id hash.
    const stored = JSON.stringify(row);
    for (const secret of ['Carlos', '9999', 'carlos.familia', codeOf(res.text).replace(/ /g, '')]) expect(stored).not.toContain(secret);
    expect(row.receipt_hash).toMatch(/^\$argon2id\$/);
  });

  it('offers a printable PDF receipt right after the report: folio, code, the name as written, what next and an absolute follow-up link', async () => {
    const res = await post('/familias/busqueda/reportar?lang=en', validForm({ given_names: 'مريم', surname1: 'Ковальчук', other_names: '' }), '127.0.0.7');
    expect(res.status).toBe(200);
    const folio = folioOf(res.text);
    const code = codeOf(res.text);
    expect(res.text).toContain('action="/familias/busqueda/comprobante?lang=en"');
    expect(res.text).toContain('Download receipt (PDF)');
    const pdf = await fetch(`${server.baseUrl}/familias/busqueda/comprobante?lang=en`, { method: 'POST', body: new URLSearchParams({ folio, code: code.replace(/ /g, '') }) });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="comprobante-${folio}.pdf"`);
    const { text, title } = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(title).toBe(`Receipt of a missing-person report ${folio}`);
    for (const expected of [folio, code, 'مريم', 'Ковальчук', 'Comisión de Búsqueda de Chiapas', 'What happens next', `${server.baseUrl}/familias/busqueda/seguimiento`]) expect(text).toContain(expected);
    expect(text).not.toMatch(/UTC|T\d\d:\d\d/);
    // Nothing is printed without the right code.
    const refused = await post('/familias/busqueda/comprobante', { folio, code: '1111 2222 3333 4444' }, '127.0.0.7');
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toContain('text/html');
  });

  it('refuses a flood from one source, keeping the answers, without turning away another source', async () => {
    const saved = publicLimits.submissionsPerSource;
    publicLimits.submissionsPerSource = 2;
    try {
      const statuses = [];
      let last: Sent | undefined;
      for (let i = 0; i < 3; i++) {
        last = await post('/familias/busqueda/reportar', validForm({ circumstance: `Envío número ${i}` }), '127.0.0.4');
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(last!.text).toContain('Envío número 2');
      expect(last!.text).toContain('demasiados reportes desde su conexión');
      expect((await post('/familias/busqueda/reportar', validForm(), '127.0.0.5')).status).toBe(200);
    } finally {
      publicLimits.submissionsPerSource = saved;
    }
  });
});

describe('following the search', () => {
  let folio = '';
  let code = '';
  let reportId = '';

  // A report of its own for each test: a locked folio or a changed status must not reach the next one.
  beforeEach(async () => {
    const res = await post('/familias/busqueda/reportar', validForm({ given_names: 'Wilmer', surname1: 'Castillo', sex: 'male', age_min: '25', age_max: '26' }));
    folio = folioOf(res.text);
    code = codeOf(res.text);
    reportId = (await server.db.selectFrom('missing_reports').select('id').where('folio', '=', folio).executeTakeFirstOrThrow()).id;
  });

  it('with the right folio and code (however typed) shows the status in plain words, then the officer’s message', async () => {
    const form = await get('/familias/busqueda/seguimiento');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<label for="code">Código de acceso (16 dígitos)</label>');
    const first = await post('/familias/busqueda/seguimiento', { folio: folio.toLowerCase().replace(/-/g, ' '), code });
    expect(first.status).toBe(200);
    expect(statusOf(first.text)).toBe('La búsqueda está activa.');
    expect(first.text).toContain('Todavía no hay mensajes.');
    expect(first.text).not.toContain('Wilmer'); // the page shows no personal data of the report
    expect(Buffer.byteLength(first.text)).toBeLessThan(PAGE_BUDGET);

    expect((await officer.post(`/api/v1/missing/reports/${reportId}/messages`, { body: '¿Tenía algún tatuaje? Responda aquí, por favor.' })).status).toBe(201);
    const second = await post('/familias/busqueda/seguimiento', { folio, code: code.replace(/ /g, '') });
    expect(second.status).toBe(200);
    expect(second.text).toContain('Personal de búsqueda');
    expect(second.text).toContain('¿Tenía algún tatuaje? Responda aquí, por favor.');
  });

  it('the family answers with the session of the page; the officer reads it; a forged or old session is refused', async () => {
    expect((await officer.post(`/api/v1/missing/reports/${reportId}/messages`, { body: '¿Tenía algún tatuaje? Responda aquí, por favor.' })).status).toBe(201);
    const status = await post('/familias/busqueda/seguimiento', { folio, code });
    const token = tokenOf(status.text);
    expect(token).toMatch(/^B-/);
    expect(status.text).not.toContain(code.replace(/ /g, '')); // the code is not carried in the page

    const empty = await post('/familias/busqueda/seguimiento/responder', { token, message: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('id="message-error">Este dato es obligatorio.');

    const answered = await post('/familias/busqueda/seguimiento/responder', { token, message: 'Sí: un ancla en la espalda.' });
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('Su mensaje fue agregado a la búsqueda.');
    expect(answered.text).toMatch(/class="msg mine"><p class="meta">Usted · [^<]+<\/p><p>Sí: un ancla en la espalda.<\/p>/);
    const detail = await officer.get(`/api/v1/missing/reports/${reportId}`);
    expect(detail.body.messages.map((m: { author: string; body: string }) => [m.author, m.body])).toEqual([
      ['officer', '¿Tenía algún tatuaje? Responda aquí, por favor.'],
      ['family', 'Sí: un ancla en la espalda.'],
    ]);

    const [payload, expiry, mac] = [token.slice(0, 16), token.slice(17, 30), token.slice(31)];
    for (const bad of [`${payload}.${Number(expiry) + 1000}.${mac}`, `${payload}.${Date.now() - 1000}.${mac}`, 'B-2026-AAAA-AAAA.1999999999999.x', '']) {
      const refused = await post('/familias/busqueda/seguimiento/responder', { token: bad, message: 'Intento' });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('Su consulta expiró');
    }
    expect((await officer.get(`/api/v1/missing/reports/${reportId}`)).body.messages).toHaveLength(2);
  });

  it('a death is not announced on the page: the family reads that there is important news', async () => {
    await sql`update missing_reports set status = 'located_deceased' where id = ${reportId}`.execute(server.db);
    const res = await post('/familias/busqueda/seguimiento', { folio, code });
    expect(statusOf(res.text)).toBe('Hay información importante sobre su búsqueda. Personal de la institución se comunicará con usted.');
    // The report's own folio is random and may itself hold "H-" and four digits (B-2026-J52H-8538): left out.
    expect(res.text.replaceAll(folio, '')).not.toMatch(/falleci|deceased|sin vida|restos|H-\d{4}/i);
    await sql`update missing_reports set status = 'located_alive' where id = ${reportId}`.execute(server.db);
    const alive = await post('/familias/busqueda/seguimiento?lang=en', { folio, code });
    expect(statusOf(alive.text)).toBe('The person was found alive. Staff of the institution will contact you.');
    await sql`update missing_reports set status = 'active' where id = ${reportId}`.execute(server.db);
  });

  it('a wrong code and an unknown folio get the identical refusal; failures delay the folio by seconds (never a lock), shared with the JSON API', async () => {
    const wrong = await post('/familias/busqueda/seguimiento', { folio, code: '0000 0000 0000 0000' }, '127.0.0.6');
    const unknown = await post('/familias/busqueda/seguimiento', { folio: 'B-2026-ZZZZ-ZZZZ', code }, '127.0.0.6');
    for (const r of [wrong, unknown]) expect(r.status).toBe(403);
    // The folio typed stays in its field; apart from it the two refusals are the same page.
    expect(wrong.text).toContain(`value="${folio}"`);
    expect(wrong.text.replace(folio, 'F')).toBe(unknown.text.replace('B-2026-ZZZZ-ZZZZ', 'F'));
    expect(wrong.text).toContain('El folio y el código de acceso no corresponden.');
    expect(wrong.text).toContain('<a href="#code">Código de acceso: vuelva a escribir el código de acceso.</a>');
    expect(wrong.text).not.toContain('0000 0000');
    // What cannot be a folio or a code is named (nothing about existing folios), without a guess counted.
    const garbage = await post('/familias/busqueda/seguimiento', { folio: 'hola', code: 'x' }, '127.0.0.6');
    expect(garbage.status).toBe(400);
    expect(garbage.text).toContain('value="hola"');
    expect(garbage.text).toContain('<a href="#folio">Folio: escriba el folio como aparece en su comprobante');
    expect(garbage.text).toContain('<a href="#code">Código de acceso: el código de acceso tiene 16 dígitos.</a>');

    // Wrong codes for one folio (from several sources) make everyone wait, the right code included, but
    // only by growing delays in PostgreSQL (a minute at most), never an hour's lock the guesser controls.
    const runClock = () => server.db.updateTable('attempt_throttle').set({ next_attempt_at: new Date(Date.now() - 1) }).where('scope', '=', 'folio').execute();
    for (let i = 1; i <= 8; i++) {
      await runClock();
      expect((await post('/familias/busqueda/seguimiento', { folio, code: `1234 5678 0000 ${String(i).padStart(4, '0')}` }, `127.0.0.${10 + (i % 3)}`)).status).toBe(403);
    }
    const waiting = await post('/familias/busqueda/seguimiento', { folio, code }, '127.0.0.20');
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(waiting.headers['retry-after'])).toBeLessThanOrEqual(server.config.folioDelayMaxS);
    expect(waiting.text).toMatch(/Demasiados intentos con este folio\. Por seguridad espere \d+ segundos/);
    expect(waiting.text).not.toContain('id="status"');
    // The JSON API uses the same lookup and the same delays.
    const api = await new ApiClient(server.baseUrl).post('/api/v1/missing/public/status', { folio, receipt: code });
    expect(api.status).toBe(429);
    expect(api.body.code).toBe('too_many_requests');
    // Once the delay has run (the clock moved by setting the time the server named), the family gets in.
    await runClock();
    expect((await post('/familias/busqueda/seguimiento', { folio, code }, '127.0.0.21')).status).toBe(200);
  });
});

describe('anonymity of families', () => {
  it('stores and logs no address, forwarded address or user agent of a family anywhere', async () => {
    const filed = await post('/familias/busqueda/reportar', validForm({ given_names: 'Santos', surname1: 'Reyes', reporter_email: 'familia.reyes@example.org' }), '127.0.0.9');
    expect(filed.status).toBe(200);
    const folio = folioOf(filed.text);
    const code = codeOf(filed.text);
    const followed = await post('/familias/busqueda/seguimiento', { folio, code }, '127.0.0.9');
    expect(followed.status).toBe(200);
    expect((await post('/familias/busqueda/seguimiento/responder', { token: tokenOf(followed.text), message: 'Información nueva.' }, '127.0.0.9')).status).toBe(200);
    expect((await post('/familias/busqueda/seguimiento', { folio, code: '9999 9999 9999 9999' }, '127.0.0.9')).status).toBe(403);

    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(server.db);
    expect(tables.rows.length).toBeGreaterThan(10);
    for (const { table_name } of tables.rows) {
      // Every family request of this file came from 127.0.0.2 and above; the officer's from 127.0.0.1.
      const hits = await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)} t where t::text ~ '127\\.0\\.0\\.([2-9]|[1-9][0-9])([^0-9]|$)' or t::text like '%198.51.100.23%' or t::text like '%FamiliaProbe%' or t::text like '%UaMarker%'`.execute(server.db);
      expect(Number(hits.rows[0]!.n), `table ${table_name}`).toBe(0);
    }
    const report = await server.db.selectFrom('missing_reports').select('id').where('folio', '=', folio).executeTakeFirstOrThrow();
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'ip']).where('record_id', '=', report.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['missing_report.created', 'missing_report.family_viewed', 'missing_report.family_message']));
    for (const entry of audit) expect(entry).toMatchObject({ actor_user_id: null, ip: null });

    const logs = server.logs.join('');
    expect(logs).toContain('/familias/busqueda/seguimiento');
    for (const secret of ['127.0.0.9', '198.51.100.23', 'FamiliaProbe', folio, code, code.replace(/ /g, ''), 'lang=', 'familia.reyes@example.org', 'Santos']) expect(logs).not.toContain(secret);
  });
});

describe('photos on a family’s report', () => {
  it('keeps JPEG and PNG photos without their metadata, and refuses anything else with the form kept', async () => {
    await receivePublicReports(commission.id);
    const { complaintForm, jpegWithExif } = await import('../complaints/testing/fixtures.ts');
    const fields = { given_names: 'Rosa', surname1: 'Photo', sex: 'female', reporter_name: 'Ana Photo', reporter_relationship: 'sibling', reporter_phone: '+504 9999 1111', dna_reference_taken: 'no' };
    const refused = await fetch(`${server.baseUrl}/familias/busqueda/reportar?lang=fr`, { method: 'POST', body: complaintForm(fields, [{ field: 'photo1', name: 'acta.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF') }]) });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain('seules les photos JPEG ou PNG sont acceptées');
    expect(again).toContain('value="Rosa"');
    const form = complaintForm(fields, [{ field: 'photo1', name: 'rosa.jpg', type: 'image/jpeg', bytes: jpegWithExif() }]);
    form.append('languages', 'spa');
    form.append('languages', 'mam');
    const sent = await fetch(`${server.baseUrl}/familias/busqueda/reportar?lang=ht`, { method: 'POST', body: form });
    const page = await sent.text();
    expect(sent.status).toBe(200);
    expect(page).toContain('Foto nou resevwa: 1');
    const folio = /id="folio">([^<]+)</.exec(page)![1]!;
    const report = await server.db.selectFrom('missing_reports').select(['id', 'languages']).where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(report.languages).toEqual(['spa', 'mam']);
    const photos = await server.db.selectFrom('missing_report_photos').selectAll().where('report_id', '=', report.id).execute();
    expect(photos).toHaveLength(1);
    expect(photos[0]!.metadata_removed).toContain('EXIF');
    const stored = server.cipher.decryptBytes(photos[0]!.content_enc);
    expect(stored.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(stored.toString('latin1')).not.toMatch(/GPS|Exif|CAM123/);
  });

  it('shows the photos to the staff who may open the report, each viewing audited; nobody else learns of them', async () => {
    await receivePublicReports(commission.id);
    const { complaintForm, jpegWithExif } = await import('../complaints/testing/fixtures.ts');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001fa3a00e80000000049454e44ae426082', 'hex');
    const fields = { given_names: 'Marta', surname1: 'Fotos', sex: 'female', reporter_name: 'Luis Fotos', reporter_relationship: 'sibling', reporter_phone: '+502 5555 2222', dna_reference_taken: 'no' };
    const sent = await fetch(`${server.baseUrl}/familias/busqueda/reportar`, { method: 'POST', body: complaintForm(fields, [{ field: 'photo1', name: 'marta.jpg', type: 'image/jpeg', bytes: jpegWithExif() }, { field: 'photo2', name: 'marta.png', type: 'image/png', bytes: png }]) });
    const filed = await sent.text();
    expect(sent.status, /class="box err"[^]*?<\/div>/.exec(filed)?.[0]).toBe(200);
    const folio = folioOf(filed);
    const report = await server.db.selectFrom('missing_reports').select('id').where('folio', '=', folio).executeTakeFirstOrThrow();

    // The report lists its photos (type, size, what was stripped), never their bytes.
    const detail = await officer.get(`/api/v1/missing/reports/${report.id}`);
    expect(detail.status).toBe(200);
    const photos = detail.body.photos as Array<{ id: string; media_type: string; size_bytes: number; metadata_removed: string[] }>;
    expect(photos.map((p) => p.media_type).sort()).toEqual(['image/jpeg', 'image/png']);
    const jpeg = photos.find((p) => p.media_type === 'image/jpeg')!;
    expect(jpeg.metadata_removed).toContain('EXIF');
    expect(Object.keys(jpeg).sort()).toEqual(['id', 'media_type', 'metadata_removed', 'received_at', 'size_bytes']);

    // The officer reads the photo as it was stored (stripped on arrival); the viewing is audited on the report.
    const shown = await officer.get(`/api/v1/missing/reports/${report.id}/photos/${jpeg.id}`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/jpeg');
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shown.bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(shown.bytes.length).toBe(jpeg.size_bytes);
    expect(shown.bytes.toString('latin1')).not.toMatch(/GPS|Exif|CAM123/);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'detail', 'actor_user_id']).where('record_id', '=', report.id).where('action', '=', 'missing_report.photo_viewed').execute();
    expect(audit).toEqual([expect.objectContaining({ detail: { photo_id: jpeg.id } })]);
    expect(audit[0]!.actor_user_id).not.toBeNull();

    // Another institution's search officer, and a caseworker of the commission who did not record it: not found, audited as a refusal.
    const elsewhere = await makeInstitution(server.db, { type: 'state_agency', state_code: '26' });
    const stranger = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, elsewhere.id, 'search_officer')).email);
    const colleague = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, commission.id, 'caseworker')).email);
    for (const client of [stranger, colleague]) {
      const refused = await client.get(`/api/v1/missing/reports/${report.id}/photos/${jpeg.id}`);
      expect(refused.status).toBe(404);
      expect(refused.bytes.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    }
    const denials = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', report.id).where('action', '=', 'missing_report.read_denied').execute();
    expect(denials).toHaveLength(2);
    // A photo of another report, through this report's address: not found.
    const second = await fetch(`${server.baseUrl}/familias/busqueda/reportar`, { method: 'POST', body: complaintForm({ ...fields, given_names: 'Otra' }, [{ field: 'photo1', name: 'otra.png', type: 'image/png', bytes: png }]) });
    const otherReport = await server.db.selectFrom('missing_reports').select('id').where('folio', '=', folioOf(await second.text())).executeTakeFirstOrThrow();
    const other = await server.db.selectFrom('missing_report_photos').select('id').where('report_id', '=', otherReport.id).executeTakeFirstOrThrow();
    expect((await officer.get(`/api/v1/missing/reports/${otherReport.id}/photos/${other.id}`)).status).toBe(200);
    expect((await officer.get(`/api/v1/missing/reports/${report.id}/photos/${other.id}`)).status).toBe(404);
    expect((await officer.get(`/api/v1/missing/reports/${report.id}/photos/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await new ApiClient(server.baseUrl).get(`/api/v1/missing/reports/${report.id}/photos/${jpeg.id}`)).status).toBe(401);
  });
});
