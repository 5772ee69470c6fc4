import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { addRoutingRule, updateSettings } from './settings.service.ts';
import { publicLimits } from '../platform/limits/anonymous.ts';
import { applyRetention } from './retention.ts';
import { complaintStatistics } from './statistics.ts';

const DIMENSION_KEYS = ['by_kind', 'by_channel', 'by_state', 'by_authority_type', 'by_place_type', 'by_status', 'by_outcome'];
import { verifyCustody, readCustody } from './custody.ts';
import { baseFields, complaintForm, jpegWithExif, oggBytes, pdfBytes, pngWithText, postForm, readReceiptPage, tokenOf } from './testing/fixtures.ts';

import { rotateSigningKey } from './signing.ts';
import { pdfText } from '../../test/pdf-text.ts';

const VERIFIER = path.resolve(import.meta.dirname, '../../tools/verify-complaint-package.mjs');

let server: TestServer;
let unitA: { id: string };
let unitB: { id: string };
let handlerA: ApiClient;
let handlerA2Id: string;
let handlerB: ApiClient;
let operator: ApiClient;
let shelterId: string;

beforeAll(async () => {
  server = await startTestServer();
  unitA = await makeInstitution(server.db, { code: 'OIC', name: 'Órgano Interno de Control' });
  unitB = await makeInstitution(server.db, { code: 'UAI', name: 'Unidad de Asuntos Internos GN' });
  const shelter = await makeInstitution(server.db, { code: 'ALB', name: 'Albergue', type: 'shelter' });
  shelterId = shelter.id;
  await updateSettings(server.db, null, { default_unit: unitA.id });
  await addRoutingRule(server.db, null, { priority: 10, authority_type: 'national_guard', state_code: null, kind: null, institution_id: unitB.id });
  handlerA = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, unitA.id, 'complaint_handler')).email);
  handlerA2Id = (await makeUser(server.db, unitA.id, 'complaint_handler')).id;
  handlerB = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, unitB.id, 'complaint_handler')).email);
  operator = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, shelter.id, 'caseworker')).email);
});
afterAll(async () => server.close());

async function submit(fields: Record<string, string> = {}, files: Parameters<typeof complaintForm>[1] = [], lang = 'es') {
  const response = await postForm(server.baseUrl, `/quejas?lang=${lang}`, complaintForm(baseFields(fields), files));
  return { ...response, ...readReceiptPage(response.text) };
}

const complaintCount = async () => Number((await server.db.selectFrom('complaints').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('anonymous web complaint, follow-up and conversation', () => {
  it('serves a small form without JavaScript, in Spanish and English', async () => {
    const es = await fetch(`${server.baseUrl}/quejas`);
    const page = await es.text();
    expect(es.status).toBe(200);
    expect(es.headers.get('content-type')).toContain('text/html');
    expect(page).toContain('<html lang="es">');
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).not.toContain('<script');
    expect(Buffer.byteLength(page)).toBeLessThan(150 * 1024);
    expect(page).toContain('href="/quejas?lang=en"');
    expect(page).toContain('href="/familias/busqueda?lang=es"'); // the other public service, for a family that lands here
    expect(await (await fetch(`${server.baseUrl}/familias/busqueda?lang=es`)).text()).toContain('href="/quejas?lang=es"');
    // A trailing slash reaches the server-rendered page, not the web app.
    const slashed = await fetch(`${server.baseUrl}/quejas/seguimiento/?lang=en`, { redirect: 'manual' });
    expect(slashed.status).toBe(301);
    expect(slashed.headers.get('location')).toBe('/quejas/seguimiento?lang=en');
    const family = await fetch(`${server.baseUrl}/familias/busqueda/`, { redirect: 'manual' });
    expect(family.status).toBe(301);
    expect(family.headers.get('location')).toBe('/familias/busqueda');
    expect((await fetch(`${server.baseUrl}/casos/`, { redirect: 'manual' })).status).toBe(200); // the web app's own paths are left alone
    const en = await (await fetch(`${server.baseUrl}/quejas?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('File a complaint, report or petition');
  });

  it('lists the states by name, offers as many file inputs as the server takes, and names each wrong field in the summary', async () => {
    const page = await (await fetch(`${server.baseUrl}/quejas`)).text();
    const select = /<select id="state_code"[^>]*>(.*?)<\/select>/s.exec(page)![1]!;
    const names = [...select.matchAll(/<option value="\d\d"[^>]*>([^<]+)</g)].map((m) => m[1]!);
    expect(names).toHaveLength(32);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'es')));
    expect([names[0], names.at(-1)]).toEqual(['Aguascalientes', 'Zacatecas']);
    const n = publicLimits.filesPerSubmission;
    expect(page.match(/type="file"/g)).toHaveLength(n);
    expect(page).toContain(`Hasta ${n} archivos`);

    const refused = await postForm(server.baseUrl, '/quejas', complaintForm(baseFields({ narrative: '', contact_email: 'rosa@' })));
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/<div class="box err" role="alert" id="errors" tabindex="-1" autofocus>/);
    expect(refused.text).toContain('<a href="#narrative">Qué pasó: este dato es obligatorio.</a>');
    expect(refused.text).toContain('<a href="#contact_email">Correo electrónico: escriba un correo electrónico válido.</a>');
    expect(refused.text).toMatch(/<textarea id="narrative"[^>]*aria-invalid="true"/);
  });

  it('answers a denuncia as a denuncia: receipt page and acuse, local time in words, an absolute follow-up link from a trusted host only', async () => {
    const sent = await submit({ kind: 'report', narrative: 'Un agente me pidió dinero para dejarme pasar.' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('Recibimos su denuncia');
    // Four groups of four digits, each kept on one line.
    expect(/id="receipt">(.*?)<\/p>/.exec(sent.text)![1]).toMatch(/^<span class="group">\d{4}<\/span>( <span class="group">\d{4}<\/span>){3}$/);
    expect(sent.text).toContain('.group{white-space:nowrap}');
    const receivedAt = /id="received-at">([^<]+)</.exec(sent.text)![1]!;
    expect(receivedAt).toMatch(/^\d{1,2} de [a-z]+ de \d{4}/);
    expect(receivedAt).not.toMatch(/UTC|T\d\d:/);
    expect(sent.text).not.toContain('SHA-256');

    const acuse = await postForm(server.baseUrl, '/quejas/acuse', new URLSearchParams({ token: sent.token }));
    const text = (await pdfText(acuse.bytes)).text;
    expect(text).toContain('Acuse de recibo de denuncia');
    expect(text).not.toContain('Acuse de recibo de queja');
    expect(text).toContain(`${server.baseUrl}/quejas/seguimiento`);
    // A Host header the deployment does not trust is never printed: the path alone.
    const forged = await server.app.inject({ method: 'POST', url: '/quejas/acuse', headers: { host: 'phishing.example', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ token: sent.token }).toString() });
    const forgedText = (await pdfText(forged.rawPayload)).text;
    expect(forgedText).toContain('/quejas/seguimiento');
    expect(forgedText).not.toContain('phishing.example');
  });

  it('receives a complaint with a photo (metadata removed), answers questions and takes more information', async () => {
    const narrative = 'Me pidieron dinero <script>alert("x")</script> & me amenazaron.';
    const sent = await submit({ narrative }, [{ field: 'file1', name: 'foto.jpg', type: 'image/jpeg', bytes: jpegWithExif() }]);
    expect(sent.status).toBe(200);
    expect(sent.folio).toMatch(/^Q-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(sent.receipt).toMatch(/^\d{16}$/);
    expect(sent.text).toContain('EXIF');
    expect(sent.headers.get('cache-control')).toBe('no-store');

    // Stored encrypted; the receipt only as an argon2id hash; the photo without its metadata.
    const row = await server.db.selectFrom('complaints').selectAll().where('folio', '=', sent.folio).executeTakeFirstOrThrow();
    expect(row.narrative_enc).not.toContain('dinero');
    expect(row.receipt_hash).toMatch(/^\$amparo-receipt\$v1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(row.receipt_hash).not.toContain(sent.receipt);
    expect(row.institution_id).toBe(unitA.id);
    // Under the complaint's own key, sealed to unit A (not under the server's key ring).
    expect(row.narrative_enc.startsWith('C:')).toBe(true);
    expect(row.key_for_unit_institution).toBe(unitA.id);
    expect(row.key_for_server).toBeNull();
    expect(() => server.cipher.decryptText(row.narrative_enc)).toThrow();
    const file = await server.db.selectFrom('complaint_attachments').selectAll().where('complaint_id', '=', row.id).executeTakeFirstOrThrow();
    expect(file.metadata_removed).toBe(true);

    // The handler of the receiving unit sees it in the inbox, reads it and asks a question.
    const inbox = await handlerA.get('/api/v1/complaints?status=new');
    expect(inbox.status).toBe(200);
    const item = inbox.body.items.find((i: { folio: string }) => i.folio === sent.folio);
    expect(item).toMatchObject({ kind: 'grievance', channel: 'web', anonymous: true, overdue: false });
    const detail = await handlerA.get(`/api/v1/complaints/${item.id}`);
    expect(detail.body.narrative).toBe(narrative);
    expect(detail.body.details.badge_number).toBe('A-123');
    expect(detail.body.contact).toBeNull();
    // The fingerprint is for the staff (and the signed package), not shown to the person who filed.
    expect(detail.body.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.text).not.toContain(detail.body.content_sha256);
    expect(sent.text).not.toContain('SHA-256');
    // The photo as stored, through the handler: without its metadata.
    const photo = await handlerA.get(`/api/v1/complaints/${item.id}/attachments/${file.id}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('x-content-sha256')).toBe(file.sha256);
    expect(String(photo.body)).not.toMatch(/GPS|Exif|CAM123|secret comment|TRAILING/);
    const question = await handlerA.post(`/api/v1/complaints/${item.id}/messages`, { body: '¿Recuerda el número de la patrulla? <b>gracias</b>', request_information: true });
    expect(question.status).toBe(201);

    // Follow-up with folio and receipt (typed with spaces and in lower case).
    const followed = await postForm(server.baseUrl, '/quejas/seguimiento', new URLSearchParams({ folio: sent.folio.toLowerCase(), receipt: sent.receipt.replace(/(\d{4})/g, '$1 ') }));
    expect(followed.status).toBe(200);
    expect(followed.text).toContain('Se solicitó más información');
    expect(followed.text).toContain('¿Recuerda el número de la patrulla? &lt;b&gt;gracias&lt;/b&gt;');
    expect(followed.text).not.toContain('<b>gracias</b>');
    expect(followed.text).not.toMatch(/Órgano Interno|OIC/); // who handles it is never shown
    // The reply form offers what the server takes, and says so: as many files, the same types and size.
    expect(followed.text.match(/type="file"/g)).toHaveLength(publicLimits.filesPerSubmission);
    expect(followed.text).toContain(`Hasta ${publicLimits.filesPerSubmission} archivos de 10 MB`);

    const reply = complaintForm({ token: tokenOf(followed.text), message: 'Era la patrulla 4521. <img src=x onerror=alert(1)>', strip_metadata: 'yes' }, [{ field: 'file1', name: 'audio.ogg', type: 'audio/ogg', bytes: oggBytes() }]);
    const answered = await postForm(server.baseUrl, '/quejas/seguimiento/responder', reply);
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('Su información fue agregada');
    expect(answered.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(answered.text).toContain('En revisión');

    const after = await handlerA.get(`/api/v1/complaints/${item.id}`);
    expect(after.body.status).toBe('under_review');
    expect(after.body.messages.map((m: { direction: string }) => m.direction)).toEqual(['to_complainant', 'from_complainant']);
    expect(after.body.attachments).toHaveLength(2);
    expect(after.body.custody_intact).toBe(true);
    expect(after.body.custody.map((e: { action: string }) => e.action)).toEqual([
      'received', 'viewed', 'attachment_viewed', 'message_to_complainant', 'status_changed', 'viewed_by_complainant', 'message_from_complainant', 'file_added', 'status_changed', 'viewed_by_complainant', 'viewed',
    ]);
    for (const entry of after.body.custody.filter((e: { actor_kind: string }) => e.actor_kind === 'complainant')) expect(entry.actor_user_id).toBeNull();

    // The acuse: folio, kind, local time, an absolute follow-up link, no SHA-256; the receipt only when asked for.
    const acuse = await postForm(server.baseUrl, '/quejas/acuse', new URLSearchParams({ token: sent.token, receipt: sent.receipt }));
    expect(acuse.status).toBe(200);
    expect(acuse.headers.get('content-type')).toBe('application/pdf');
    expect(acuse.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = (await pdfText(acuse.bytes)).text;
    expect(pdf).toContain(sent.folio);
    expect(pdf).toContain('Acuse de recibo de queja');
    expect(pdf).toContain(`${server.baseUrl}/quejas/seguimiento`);
    expect(pdf).not.toContain(detail.body.content_sha256);
    expect(pdf).not.toMatch(/SHA-256|UTC|T\d\d:\d\d:\d\d/);
    expect(pdf).not.toContain(sent.receipt.slice(0, 4) + ' ' + sent.receipt.slice(4, 8));
    const withReceipt = await postForm(server.baseUrl, '/quejas/acuse', new URLSearchParams({ token: sent.token, receipt: sent.receipt, include_receipt: 'yes' }));
    expect((await pdfText(withReceipt.bytes)).text).toContain(sent.receipt.replace(/(\d{4})(?=\d)/g, '$1 '));
    // Flip the signature's first character: its last one carries two padding bits, so A↔B there can decode
    // to the same bytes and leave the token valid.
    const signatureAt = sent.token.lastIndexOf('.') + 1;
    const flipped = `${sent.token.slice(0, signatureAt)}${sent.token[signatureAt] === 'A' ? 'B' : 'A'}${sent.token.slice(signatureAt + 1)}`;
    const tampered = await postForm(server.baseUrl, '/quejas/acuse', new URLSearchParams({ token: flipped, receipt: sent.receipt }));
    expect(tampered.status).toBe(403);
  });
});

describe('phone and in-person complaints recorded by an operator', () => {
  it('records a phone complaint, routes it by rule, answers folio and receipt and prints the acuse', async () => {
    const recorded = await operator.post('/api/v1/complaints', {
      channel: 'phone',
      kind: 'report',
      narrative: 'La persona que llama relata que elementos de la Guardia Nacional le exigieron dinero.',
      state_code: '07',
      place_type: 'road',
      authority_type: 'national_guard',
      vehicle_number: 'GN-0451',
      anonymous: false,
      contact: { name: 'Ana Pérez', phone: '+502 5555 0101' },
      attachments: [{ filename: 'captura.png', content_base64: pngWithText().toString('base64'), media_type: 'image/png' }],
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.receipt).toMatch(/^\d{16}$/);
    expect(recorded.body.channel).toBe('phone');
    expect(recorded.body.attachments[0].metadata_removed).toEqual(['tEXt']);

    // Routed to unit B by the authority-type rule; unit A and the operator get 404.
    expect((await handlerA.get(`/api/v1/complaints/${recorded.body.id}`)).status).toBe(404);
    expect((await operator.get(`/api/v1/complaints/${recorded.body.id}`)).status).toBe(404);
    const seen = await handlerB.get(`/api/v1/complaints/${recorded.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.channel).toBe('phone');
    expect(seen.body.contact).toEqual({ name: 'Ana Pérez', phone: '+502 5555 0101' });
    expect(seen.body.recorded_by).not.toBeNull();
    expect(seen.body.custody[0]).toMatchObject({ action: 'received', actor_kind: 'operator' });

    const acuse = await operator.request('POST', '/api/v1/complaints/acuse', { folio: recorded.body.folio, receipt: recorded.body.receipt, include_receipt: true }, { 'content-type': 'application/json' });
    expect(acuse.status).toBe(200);
    expect(acuse.headers.get('content-type')).toBe('application/pdf');
    expect((await pdfText(acuse.bytes)).text).toContain('Presentada por: Ana Pérez');
    const wrong = await operator.post('/api/v1/complaints/acuse', { folio: recorded.body.folio, receipt: '1111222233334444' });
    expect(wrong.status).toBe(403);

    // The complainant can follow it from the web with the receipt read out on the phone.
    const followed = await postForm(server.baseUrl, '/quejas/seguimiento', new URLSearchParams({ folio: recorded.body.folio, receipt: recorded.body.receipt_formatted }));
    expect(followed.status).toBe(200);
    expect(followed.text).toContain('Teléfono');
  });

  it('prints the acuse of a name in Arabic, Cyrillic and Chinese characters as written', async () => {
    const name = 'محمد عبد الله · Иван Петров · 王小明';
    const recorded = await operator.post('/api/v1/complaints', {
      channel: 'in_person',
      kind: 'grievance',
      narrative: 'Relato de prueba de un acuse con nombres en otras escrituras.',
      state_code: '07',
      place_type: 'road',
      authority_type: 'migration_institute',
      anonymous: false,
      contact: { name },
    });
    expect(recorded.status).toBe(201);
    for (const language of ['es', 'en'] as const) {
      const acuse = await operator.post(`/api/v1/complaints/acuse?lang=${language}`, { folio: recorded.body.folio, receipt: recorded.body.receipt, include_receipt: false });
      expect(acuse.status).toBe(200);
      const { text, title } = await pdfText(acuse.bytes);
      // Without spaces: PDF.js joins right-to-left words drawn apart (see src/platform/pdf.test.ts).
      expect(text.replace(/\s+/g, '')).toContain(`${language === 'es' ? 'Presentadapor' : 'Filedby'}:${name.replace(/\s+/g, '')}`);
      expect(text).toContain('Иван Петров · 王小明');
      expect(text).toContain(recorded.body.folio);
      expect(text).not.toContain('?');
      expect(title).toContain(recorded.body.folio);
    }
  });

  it('refuses roles that may not record or handle', async () => {
    const analyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, unitA.id, 'analyst')).email);
    expect((await analyst.post('/api/v1/complaints', { channel: 'phone', kind: 'grievance', narrative: 'x', place_type: 'road', authority_type: 'unknown', anonymous: true })).status).toBe(403);
    expect((await analyst.get('/api/v1/complaints')).status).toBe(403);
  });
});

describe('handling through to transmission, with a verifiable signed package', () => {
  it('assigns, admits, transmits and the package verifies with the standalone tool; a tampered package does not', async () => {
    const sent = await submit({ narrative: 'Un agente del INM me golpeó en la estación migratoria.', place_type: 'migration_station' }, [
      { field: 'file1', name: 'denuncia.pdf', type: 'application/pdf', bytes: pdfBytes() },
    ]);
    const id = (await server.db.selectFrom('complaints').select('id').where('folio', '=', sent.folio).executeTakeFirstOrThrow()).id;
    expect((await handlerA.post(`/api/v1/complaints/${id}/assign`, { user_id: handlerA2Id })).status).toBe(204);
    expect((await handlerA.post(`/api/v1/complaints/${id}/notes`, { body: 'Revisar videos de la estación.' })).status).toBe(201);
    expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'transmitted' })).body.code).toBe('complaint_transmit_with_package');
    expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'resolved', outcome: 'sanction' })).status).toBe(409);
    expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'under_review' })).status).toBe(204);
    expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'admitted' })).status).toBe(204);

    const transmitted = await handlerA.post(`/api/v1/complaints/${id}/transmissions`, { to_authority: 'Fiscalía Especializada en Delitos contra Migrantes', means: 'electronic', reference: 'OF-123/2019' });
    expect(transmitted.status).toBe(201);
    const zip = await fetch(`${server.baseUrl}/api/v1/complaints/${id}/transmissions/${transmitted.body.id}/package`, { headers: { cookie: handlerA.cookie } });
    expect(zip.status).toBe(200);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(zip.headers.get('x-content-sha256')).toBe(transmitted.body.package_sha256);

    const key = await fetch(`${server.baseUrl}/api/v1/complaints/signing-key`);
    const keyBody = (await key.json()) as { public_key_pem: string; algorithm: string };
    expect(keyBody.algorithm).toBe('Ed25519');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-pkg-'));
    fs.writeFileSync(path.join(dir, 'package.zip'), bytes);
    fs.writeFileSync(path.join(dir, 'key.pem'), keyBody.public_key_pem);
    const ok = spawnSync(process.execPath, [VERIFIER, path.join(dir, 'package.zip'), '--public-key', path.join(dir, 'key.pem'), '--json'], { encoding: 'utf8' });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.ok).toBe(true);
    expect(report.folio).toBe(sent.folio);
    expect(report.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);

    // One flipped byte anywhere makes it fail.
    const tampered = Buffer.from(bytes);
    const at = tampered.indexOf(Buffer.from('golpe', 'utf8'));
    tampered[at] = 'G'.charCodeAt(0);
    fs.writeFileSync(path.join(dir, 'tampered.zip'), tampered);
    const bad = spawnSync(process.execPath, [VERIFIER, path.join(dir, 'tampered.zip'), '--public-key', path.join(dir, 'key.pem')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('INVALID');

    // A key that is not the installation's fails the signature check.
    const { generateKeyPairSync } = await import('node:crypto');
    fs.writeFileSync(path.join(dir, 'other.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(spawnSync(process.execPath, [VERIFIER, path.join(dir, 'package.zip'), '--public-key', path.join(dir, 'other.pem')]).status).toBe(1);

    // After a rotation new packages carry the new key; the package already sent still verifies with
    // the old one, which stays published.
    // Rotated through the server's own connection, whose cached key it drops (another process's rotation is seen within the cache's minute).
    const rotated = await rotateSigningKey(server.appDb, server.cipher);
    const keys = (await (await fetch(`${server.baseUrl}/api/v1/complaints/signing-keys`)).json()) as { items: { key_id: string; public_key_pem: string; current: boolean }[] };
    expect(keys.items.map((k) => [k.public_key_pem === keyBody.public_key_pem, k.current])).toEqual([[false, true], [true, false]]);
    expect(keys.items[0]!.key_id).toBe(rotated.id);
    const fresh = await fetch(`${server.baseUrl}/api/v1/complaints/${id}/export`, { headers: { cookie: handlerA.cookie } });
    expect(fresh.status).toBe(200);
    fs.writeFileSync(path.join(dir, 'fresh.zip'), Buffer.from(await fresh.arrayBuffer()));
    fs.writeFileSync(path.join(dir, 'new.pem'), keys.items[0]!.public_key_pem);
    expect(spawnSync(process.execPath, [VERIFIER, path.join(dir, 'fresh.zip'), '--public-key', path.join(dir, 'new.pem')]).status).toBe(0);
    expect(spawnSync(process.execPath, [VERIFIER, path.join(dir, 'fresh.zip'), '--public-key', path.join(dir, 'key.pem')]).status).toBe(1);
    expect(spawnSync(process.execPath, [VERIFIER, path.join(dir, 'package.zip'), '--public-key', path.join(dir, 'key.pem')]).status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });

    const detail = await handlerA.get(`/api/v1/complaints/${id}`);
    expect(detail.body.status).toBe('transmitted');
    expect(detail.body.transmissions[0]).toMatchObject({ to_authority: 'Fiscalía Especializada en Delitos contra Migrantes', means: 'electronic' });
    expect(detail.body.assigned_to.id).toBe(handlerA2Id);
    expect(detail.body.custody.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['assigned', 'note_added', 'transmitted', 'package_reproduced']));

    expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'resolved' })).body.code).toBe('complaint_outcome_required');
    expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'resolved', outcome: 'sanction' })).status).toBe(204);
    expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'closed' })).status).toBe(204);
    const custody = await readCustody(server.db, id);
    expect(verifyCustody(custody)).toBeNull();
    await expect(server.db.updateTable('complaint_custody').set({ action: 'x' }).where('complaint_id', '=', id).execute()).rejects.toThrow(/append-only/);
  });

  it('forwards to another unit, which then handles it alone; the overdue flag follows the configured limits', async () => {
    const sent = await submit({ narrative: 'Queja para reenviar.' });
    const id = (await server.db.selectFrom('complaints').select('id').where('folio', '=', sent.folio).executeTakeFirstOrThrow()).id;
    await server.db.updateTable('complaints').set({ status_changed_at: new Date(Date.now() - 5 * 86_400_000) }).where('id', '=', id).execute();
    const overdue = await handlerA.get('/api/v1/complaints?overdue=true');
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(overdue.body.overdue_total).toBeGreaterThanOrEqual(1);
    expect(overdue.body.items[0].overdue).toBe(true);

    // A unit without complaint handlers could never open it: refused, and nothing changes.
    const stranded = await handlerA.post(`/api/v1/complaints/${id}/forward`, { institution_id: shelterId });
    expect(stranded.status).toBe(400);
    expect(stranded.body.code).toBe('complaint_unit_not_found');
    expect((await handlerA.get(`/api/v1/complaints/${id}`)).status).toBe(200);
    expect((await handlerA.post(`/api/v1/complaints/${id}/forward`, { institution_id: unitB.id, note: 'Competencia de Asuntos Internos.' })).status).toBe(204);
    expect((await handlerA.get(`/api/v1/complaints/${id}`)).status).toBe(404);
    expect((await handlerB.get(`/api/v1/complaints/${id}`)).body.custody.map((e: { action: string }) => e.action)).toContain('forwarded');
  });
});

describe('confidentiality between units', () => {
  it('answers 404 to another unit’s handler and audits the attempt', async () => {
    const sent = await submit({ narrative: 'Solo para la unidad A.' });
    const id = (await server.db.selectFrom('complaints').select('id').where('folio', '=', sent.folio).executeTakeFirstOrThrow()).id;
    const peek = await handlerB.get(`/api/v1/complaints/${id}`);
    expect(peek.status).toBe(404);
    expect((await handlerB.post(`/api/v1/complaints/${id}/messages`, { body: 'hola' })).status).toBe(404);
    expect((await handlerB.get(`/api/v1/complaints/${id}/export`)).status).toBe(404);
    expect((await handlerB.get('/api/v1/complaints')).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    const refused = await server.db.selectFrom('audit_log').select(['action', 'institution_id']).where('record_id', '=', id).where('action', '=', 'complaint.access_denied').execute();
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.institution_id).toBe(unitB.id);
  });
});

describe('bad input is refused with a clear message and nothing is stored', () => {
  it('refuses unknown fields, control characters, missing text, files whose content does not match and disallowed types', async () => {
    const before = await complaintCount();
    const unknown = await submit({ admin: 'true' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('campo desconocido: admin');
    expect(unknown.text).toContain('En el retén me quitaron mi dinero'); // the text is kept in the form

    const control = await submit({ narrative: 'texto con control \u0007 aquí' });
    expect(control.status).toBe(400);
    expect(control.text).toContain('caracteres de control');

    const empty = await submit({ narrative: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Este dato es obligatorio');

    const future = await submit({ occurred_on: '2999-01-01', state_code: '99' });
    expect(future.status).toBe(400);
    expect(future.text).toContain('fecha válida');
    expect(future.text).toContain('Elija una opción');

    const mismatch = await submit({}, [{ field: 'file1', name: 'foto.jpg', type: 'image/jpeg', bytes: pngWithText() }]);
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('«foto.jpg»: el contenido del archivo no corresponde a su tipo');

    const exe = await submit({}, [{ field: 'file1', name: 'virus.exe', type: 'application/x-msdownload', bytes: Buffer.from('MZ\x90\x00rest', 'latin1') }]);
    expect(exe.status).toBe(415);
    expect(exe.text).toContain('tipo de archivo no permitido');

    const tooBig = await submit({ narrative: 'x'.repeat(20_001) });
    expect(tooBig.status).toBe(400);
    expect(tooBig.text).toContain('máximo 20000');

    const english = await submit({ narrative: '' }, [], 'en');
    expect(english.text).toContain('This is required.');

    const json = await fetch(`${server.baseUrl}/quejas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(await complaintCount()).toBe(before);

    const operatorUnknown = await operator.post('/api/v1/complaints', { channel: 'phone', kind: 'grievance', narrative: 'ok', place_type: 'road', authority_type: 'unknown', anonymous: true, ip: '1.2.3.4' });
    expect(operatorUnknown.status).toBe(400);
    expect(await complaintCount()).toBe(before);
  });
});

describe('receipts', () => {
  it('answers a wrong receipt the same way whether or not the folio exists (timings: bench/complaints.ts)', async () => {
    const sent = await submit({ narrative: 'Para comparar respuestas.' });
    const attempt = (folio: string) => postForm(server.baseUrl, '/quejas/seguimiento', new URLSearchParams({ folio, receipt: '0000111122223333' }));
    const unknownFolio = sent.folio.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const answers = [await attempt(sent.folio), await attempt(unknownFolio)];
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([403]));
    // The folio typed comes back in its field; apart from it the two answers are the same page.
    expect(answers[0]!.text).toContain(`value="${sent.folio}"`);
    expect(answers[1]!.text).toContain(`value="${unknownFolio}"`);
    expect(answers[0]!.text.replace(sent.folio, 'F')).toBe(answers[1]!.text.replace(unknownFolio, 'F'));
    // The receipt field is the one to type again, named and linked in the summary; it is never echoed.
    expect(answers[0]!.text).toContain('<a href="#receipt">Número de recibo: vuelva a escribir el número de recibo.</a>');
    expect(answers[0]!.text).toMatch(/<input [^>]*id="receipt"[^>]*aria-invalid="true"/);
    expect(answers[0]!.text).not.toContain('0000111122223333');
    // What cannot be a folio or a receipt is named as such (which says nothing about existing folios).
    const malformed = await postForm(server.baseUrl, '/quejas/seguimiento', new URLSearchParams({ folio: 'nada', receipt: '12345' }));
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('value="nada"');
    expect(malformed.text).toContain('<a href="#folio">Folio: escriba el folio como aparece en su recibo');
    expect(malformed.text).toContain('<a href="#receipt">Número de recibo: el número de recibo tiene 16 dígitos.</a>');
  });
});

describe('retention and statistics', () => {
  it('reduces old complaints to their statistical record, except those under legal hold', async () => {
    const old = await submit({ narrative: 'Queja antigua no admitida.', state_code: '02', authority_type: 'municipal_police' });
    const held = await submit({ narrative: 'Queja antigua con resguardo.', state_code: '02', authority_type: 'municipal_police' });
    const ids = await server.db.selectFrom('complaints').select(['id', 'folio']).where('folio', 'in', [old.folio, held.folio]).execute();
    const idOf = (folio: string) => ids.find((r) => r.folio === folio)!.id;
    for (const id of ids.map((r) => r.id)) expect((await handlerA.post(`/api/v1/complaints/${id}/status`, { status: 'not_admitted', reason: 'not_competent' })).status).toBe(204);
    expect((await handlerA.post(`/api/v1/complaints/${idOf(held.folio)}/legal-hold`, { hold: true, reason: 'Juicio de amparo 123/2019' })).status).toBe(204);
    await server.db.updateTable('complaints').set({ status_changed_at: new Date(Date.now() - 4 * 365 * 86_400_000) }).where('id', 'in', ids.map((r) => r.id)).execute();

    const statsBefore = await complaintStatistics(server.db, { institutionId: unitA.id, controlled: false });
    const dry = await applyRetention(server.db, { dryRun: true });
    expect(dry).toMatchObject({ deleted: 1, held: 1, dryRun: true });
    const report = await applyRetention(server.db);
    expect(report).toMatchObject({ deleted: 1, held: 1 });

    expect(await server.db.selectFrom('complaints').select('id').where('id', '=', idOf(old.folio)).executeTakeFirst()).toBeUndefined();
    for (const table of ['complaint_custody', 'complaint_attachments', 'complaint_messages', 'complaint_notes'] as const) {
      expect(await server.db.selectFrom(table).select('complaint_id').where('complaint_id', '=', idOf(old.folio)).executeTakeFirst()).toBeUndefined();
    }
    expect(await server.db.selectFrom('complaints').select('id').where('id', '=', idOf(held.folio)).executeTakeFirst()).toBeDefined();
    const archived = await server.db.selectFrom('complaint_statistics_archive').selectAll().execute();
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({ kind: 'grievance', channel: 'web', state_code: '02', authority_type: 'municipal_police', status: 'not_admitted', not_admitted_reason: 'not_competent' });
    expect(JSON.stringify(archived)).not.toContain('antigua');
    const deletion = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', idOf(old.folio)).where('action', '=', 'complaint.deleted_by_retention').execute();
    expect(deletion).toHaveLength(1);

    // Statistics count the archived record as before; no text in them.
    const statsAfter = await complaintStatistics(server.db, { institutionId: unitA.id, controlled: false });
    expect(statsAfter.total).toBe(statsBefore.total);
    expect(statsAfter.by_state['02']).toBe(2);
    expect(statsAfter.by_status.not_admitted).toBe(statsBefore.by_status.not_admitted);

    const api = await handlerA.get('/api/v1/complaints/statistics');
    expect(api.status).toBe(200);
    expect(api.body.by_channel.web).toBeGreaterThan(0);
    expect(JSON.stringify(api.body)).not.toMatch(/Queja|retén|Q-\d{4}/);
    const analyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, unitA.id, 'analyst')).email);
    const suppressed = await analyst.get('/api/v1/complaints/statistics');
    expect(suppressed.body.suppressed_below).toBe(5);
    expect(suppressed.body.by_state['02']).toBeNull();
    // Analysts see every figure through the platform's disclosure control: nothing from 1 to 4, the rest multiples of 5.
    const figures = [suppressed.body.total, ...Object.values(DIMENSION_KEYS.flatMap((d) => Object.values(suppressed.body[d] as Record<string, number | null>)))];
    for (const n of figures) if (n !== null) expect(n % 5).toBe(0);
  });
});
