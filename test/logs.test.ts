import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, TEST_PASSWORD, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { leaked, markedPersonBody, operatorComplaintBody, pdfWith, personBody } from './fixtures.ts';
import { updateSettings } from '../src/complaints/settings.service.ts';
import { baseFields, complaintForm, readReceiptPage, tokenOf } from '../src/complaints/testing/fixtures.ts';

/**
 * A whole working day through HTTP, then a look at everything the server logged: no name, document,
 * phone, email, narrative, password, session cookie, CSRF token or API token may be in it.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const marker = {
  givenNames: 'Lograxiel',
  surname1: 'Quintevorn',
  surname2: 'Blasmodea',
  otherName: 'Ixtavelmo',
  searchName: 'Lograxiel Quintevorn',
  document: 'LOGDOC98765',
  phone: '+52 555 0177 321',
  email: 'lograxiel.quintevorn@example.org',
  address: 'Calle LOGADDR 45',
  summary: 'LOGSUMMARY amenazas en Tapachula',
  serviceNote: 'LOGSERVICENOTE acompañamiento',
  providerUnit: 'LOGUNIT Tapachula',
  note: 'LOGNOTE entrevista',
  attachment: 'LOGATTACH declaración',
  attachmentName: 'LOGATTACHNAME.txt',
  referralReason: 'LOGREASON necesita albergue',
  acceptNote: 'LOGACCEPT recibido',
  relationship: 'LOGRELATION',
  invalidName: 'LOGINVALID',
  invalidJson: 'LOGBADJSON',
  notFoundQuery: 'LOGNOTFOUNDQUERY',
  wrongLoginEmail: 'logwrong.login@example.org',
  wrongPassword: 'LOGWRONGPASSWORD x',
  newPassword: 'LOGNEWPASSWORD long enough',
  tokenName: 'LOGTOKENNAME',
} as const;

describe('logs', () => {
  it('carry requests but no personal data, credentials or tokens', async () => {
    const ceav = await makeInstitution(server.db, { name: 'CEAV' });
    const shelter = await makeInstitution(server.db, { name: 'Albergue', type: 'shelter' });
    const cwUser = await makeUser(server.db, ceav.id, 'caseworker');
    const shelterSupUser = await makeUser(server.db, shelter.id, 'supervisor');

    // Signed in over HTTP, so that passwords travel in request bodies.
    const cw = await ApiClient.signIn(server.baseUrl, cwUser.email);
    const shelterSup = await ApiClient.signIn(server.baseUrl, shelterSupUser.email, TEST_PASSWORD, 'en');

    const person = await cw.post('/api/v1/people', markedPersonBody(marker));
    expect(person.status).toBe(201);
    const relative = await cw.post('/api/v1/people', personBody({ given_names: marker.otherName, surname1: marker.surname2 }));
    expect(relative.status).toBe(201);

    // The person search carries a name in the query string.
    const search = await cw.get(`/api/v1/people/search?q=${encodeURIComponent(marker.searchName)}&sex=female`);
    expect(search.status).toBe(200);
    expect(search.body.items[0]?.id).toBe(person.body.id);
    expect((await cw.get(`/api/v1/people/${person.body.id}`)).status).toBe(200);
    expect((await cw.patch(`/api/v1/people/${person.body.id}`, { contact: { phone: marker.phone, email: marker.email } })).status).toBe(200);

    const opened = await cw.post('/api/v1/cases', { programme: 'victim_assistance', opened_on: '2021-05-01', summary: marker.summary, participants: [{ person_id: person.body.id, role: 'direct_victim' }] });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id;
    expect((await cw.post(`/api/v1/cases/${caseId}/participants`, { person_id: relative.body.id, role: 'indirect_victim', relationship: marker.relationship })).status).toBe(201);
    expect((await cw.post(`/api/v1/cases/${caseId}/services`, { person_id: person.body.id, service_type: 'legal', provided_on: '2021-05-02', provider_unit: marker.providerUnit, notes: marker.serviceNote })).status).toBe(201);
    expect((await cw.post(`/api/v1/cases/${caseId}/notes`, { body: marker.note })).status).toBe(201);
    expect((await cw.patch(`/api/v1/cases/${caseId}`, { summary: `${marker.summary} (corregido)` })).status).toBe(204);
    const upload = await cw.request('POST', `/api/v1/cases/${caseId}/attachments?filename=${encodeURIComponent(marker.attachmentName)}`, marker.attachment, { 'content-type': 'text/plain' });
    expect(upload.status).toBe(201);
    expect((await cw.get(`/api/v1/cases/${caseId}/attachments/${upload.body.id}`)).text).toBe(marker.attachment);
    expect((await cw.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    const referral = await cw.post(`/api/v1/cases/${caseId}/referrals`, { to_institution_id: shelter.id, reason: marker.referralReason, consent_recorded_on: '2021-05-02', consent_method: 'written', shared_sections: ['services'] });
    expect(referral.status).toBe(201);
    expect((await shelterSup.post(`/api/v1/referrals/${referral.body.id}/accept`, { programme: 'shelter', note: marker.acceptNote })).status).toBe(200);
    expect((await shelterSup.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    expect((await cw.get('/api/v1/dashboard')).status).toBe(200);

    // An API token, used as a bearer token.
    const token = await cw.post('/api/v1/auth/tokens', { name: marker.tokenName });
    expect(token.status).toBe(201);
    const byToken = await new ApiClient(server.baseUrl).request('GET', '/api/v1/cases', undefined, { authorization: `Bearer ${token.body.token}` });
    expect(byToken.status).toBe(200);

    // Refusals: invalid data, malformed JSON, a record that does not exist, a page that does not exist.
    const invalid = await cw.post('/api/v1/people', personBody({ given_names: `${marker.invalidName}<script>1`, documents: [{ type: 'passport', number: `${marker.document}!!` }], contact: { phone: `${marker.phone} ext` } }));
    expect(invalid.status).toBe(400);
    const badJson = await cw.request('POST', '/api/v1/people', `{"given_names": "${marker.invalidJson}`, { 'content-type': 'application/json' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.code).toBe('invalid_json');
    const missing = await cw.get(`/api/v1/people/${randomUUID()}?name=${encodeURIComponent(marker.notFoundQuery)}`);
    expect(missing.status).toBe(404);
    const foreign = await shelterSup.get(`/api/v1/people/search?q=${encodeURIComponent(marker.searchName)}`);
    expect(foreign.status).toBe(200);
    expect((await cw.get(`/api/v1/nowhere?who=${encodeURIComponent(marker.searchName)}`)).status).toBe(404);

    // Credentials: a wrong password for an unknown address and for a real one, and a password change.
    const anonymous = new ApiClient(server.baseUrl);
    expect((await anonymous.post('/api/v1/auth/login', { email: marker.wrongLoginEmail, password: marker.wrongPassword })).status).toBe(401);
    expect((await anonymous.post('/api/v1/auth/login', { email: cwUser.email, password: marker.wrongPassword })).status).toBe(401);
    expect((await cw.post('/api/v1/auth/password', { current_password: marker.wrongPassword, new_password: marker.newPassword })).status).toBe(400);
    expect((await cw.post('/api/v1/auth/password', { current_password: TEST_PASSWORD, new_password: marker.newPassword })).status).toBe(204);
    // A request with a stale CSRF token and cookie still attached.
    expect((await cw.request('POST', '/api/v1/auth/tokens', { name: 'x' }, { 'x-csrf-token': 'not-the-token' })).status).toBe(403);

    const log = server.logs.join('');

    // The logger is wired: request lines are there, one per request at least.
    const lines = log
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; req?: { method?: string } });
    expect(lines.length).toBeGreaterThan(40);
    expect(lines.filter((l) => l.msg === 'incoming request' && l.req?.method).length).toBeGreaterThan(20);
    expect(lines.filter((l) => l.msg === 'request completed').length).toBeGreaterThan(20);
    expect(log).toContain('/api/v1/people/search');

    const secrets = [
      ...Object.values(marker),
      // Fragments a logger could keep of the values above, e.g. URL-encoded in a query string.
      encodeURIComponent(marker.searchName),
      marker.searchName.replace(' ', '+'),
      marker.givenNames.toLowerCase(),
      marker.document.toLowerCase(),
      '0177 321',
      TEST_PASSWORD,
      cwUser.email,
      shelterSupUser.email,
      cw.sessionToken,
      shelterSup.sessionToken,
      cw.csrf,
      shelterSup.csrf,
      token.body.token,
    ];
    for (const secret of secrets) expect(secret.length, 'markers must be long enough to be meaningful').toBeGreaterThanOrEqual(8);
    expect(leaked(log, secrets)).toEqual([]);
  });
});

/** Markers of the complaints: in the public form, the follow-up, the operator's record and the handler's work. */
const complaintMarker = {
  narrative: 'LOGQNARRATIVE me golpearon en la estación',
  placeDescription: 'LOGQPLACE junto a la caseta',
  authorityName: 'LOGQAUTHORITY oficina norte',
  officialDescription: 'LOGQOFFICIAL alto y moreno',
  badge: 'LOGQBADGE-3141',
  vehicle: 'LOGQVEHICLE-2718',
  contactName: 'Yaretzilda Moncrovel',
  contactPhone: '+52 555 0133 987',
  contactEmail: 'yaretzilda.moncrovel@example.org',
  contactOther: 'LOGQCONTACTOTHER vía Signal',
  attachment: 'LOGQATTACH contenido del archivo',
  attachmentName: 'LOGQATTACHNAME.pdf',
  reply: 'LOGQREPLY era una camioneta blanca',
  operatorNarrative: 'LOGQOPERATOR relato por teléfono',
  operatorContact: 'Ilhuicamina Zorbatel',
  note: 'LOGQNOTE revisar cámaras',
  message: 'LOGQMESSAGE ¿recuerda la fecha?',
} as const;

/**
 * The public pages are reached from this loopback address, which appears nowhere else (the server
 * listens on 127.0.0.1), and claim forwarded addresses and a user agent of their own: none of it may
 * reach the logs.
 */
const CLIENT_IP = '127.0.0.77';
const FORWARDED_IP = '198.51.100.77';
const REAL_IP = '203.0.113.77';
const USER_AGENT = 'LOGUSERAGENT/7.7 (Android 8; Moto G)';

/** A request from CLIENT_IP; FormData and URLSearchParams bodies are encoded as fetch would. */
async function fromClient(method: 'GET' | 'POST', path: string, body?: FormData | URLSearchParams): Promise<{ status: number; text: string }> {
  let payload: Buffer | undefined;
  let contentType: string | undefined;
  if (body) {
    const encoded = new Request('http://x/', { method: 'POST', body });
    payload = Buffer.from(await encoded.arrayBuffer());
    contentType = encoded.headers.get('content-type') ?? undefined;
  }
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        localAddress: CLIENT_IP,
        headers: {
          'x-forwarded-for': `${FORWARDED_IP}, ${CLIENT_IP}`,
          'x-real-ip': REAL_IP,
          forwarded: `for=${FORWARDED_IP}`,
          'user-agent': USER_AGENT,
          'accept-language': 'es',
          ...(payload ? { 'content-type': contentType, 'content-length': String(payload.length) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('latin1') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

describe('logs of the complaint routes', () => {
  it('carry no narrative, contact, receipt, token or client address of a public complaint and its follow-up', async () => {
    const unit = await makeInstitution(server.db, { name: 'Órgano Interno de Control' });
    await updateSettings(server.db, null, { default_unit: unit.id });
    const handler = await ApiClient.forSession(server, (await makeUser(server.db, unit.id, 'complaint_handler')).email);
    const operatorUser = await makeUser(server.db, unit.id, 'caseworker');
    const operator = await ApiClient.forSession(server, operatorUser.email);
    const m = complaintMarker;
    const logStart = server.logs.length;

    // The public form, the public key and the vocabularies, then an anonymous-channel complaint with contact details.
    expect((await fromClient('GET', '/quejas')).status).toBe(200);
    expect((await fromClient('GET', '/api/v1/complaints/signing-key')).status).toBe(200);
    expect((await fromClient('GET', '/api/v1/complaints/vocabularies')).status).toBe(200);
    const filed = await fromClient(
      'POST',
      '/quejas?lang=es',
      complaintForm(
        baseFields({
          narrative: m.narrative,
          place_description: m.placeDescription,
          authority_name: m.authorityName,
          official_description: m.officialDescription,
          badge_number: m.badge,
          vehicle_number: m.vehicle,
          anonymous: 'no',
          contact_name: m.contactName,
          contact_phone: m.contactPhone,
          contact_email: m.contactEmail,
          contact_other: m.contactOther,
        }),
        [{ field: 'file1', name: m.attachmentName, type: 'application/pdf', bytes: pdfWith(m.attachment) }],
      ),
    );
    expect(filed.status, filed.text.slice(0, 300)).toBe(200);
    const sent = readReceiptPage(filed.text);
    expect(sent.receipt).toMatch(/^\d{16}$/);
    const receiptSpaced = sent.receipt.replace(/(\d{4})(?=\d)/g, '$1 ');

    // A refused submission (unknown field, the text comes back in the form) and a wrong receipt.
    expect((await fromClient('POST', '/quejas', complaintForm(baseFields({ narrative: m.narrative, contact_name: m.contactName, anonymous: 'no', admin: 'true' })))).status).toBe(400);
    expect((await fromClient('POST', '/quejas/seguimiento', new URLSearchParams({ folio: sent.folio, receipt: '0000 1111 2222 3333' }))).status).toBe(403);

    // The handler asks; the complainant follows up with folio and receipt (as typed: spaces, lower case) and answers.
    const id = (await server.db.selectFrom('complaints').select('id').where('folio', '=', sent.folio).executeTakeFirstOrThrow()).id;
    expect((await handler.post(`/api/v1/complaints/${id}/messages`, { body: m.message, request_information: true })).status).toBe(201);
    expect((await handler.post(`/api/v1/complaints/${id}/notes`, { body: m.note })).status).toBe(201);
    const followed = await fromClient('POST', '/quejas/seguimiento', new URLSearchParams({ folio: sent.folio.toLowerCase(), receipt: receiptSpaced }));
    expect(followed.status).toBe(200);
    const token = tokenOf(followed.text);
    expect(token).not.toBe('');
    const answered = await fromClient('POST', '/quejas/seguimiento/responder', complaintForm({ token, message: m.reply, strip_metadata: 'yes' }));
    expect(answered.status).toBe(200);
    const acuse = await fromClient('POST', '/quejas/acuse', new URLSearchParams({ token, receipt: sent.receipt, include_receipt: 'yes' }));
    expect(acuse.status).toBe(200);
    expect((await handler.get(`/api/v1/complaints/${id}`)).text).toContain(m.reply);

    // An operator records one by phone (the receipt comes back in the response) and prints its acuse.
    const recorded = await operator.post('/api/v1/complaints', operatorComplaintBody({ narrative: m.operatorNarrative, anonymous: false, contact: { name: m.operatorContact, phone: m.contactPhone } }));
    expect(recorded.status).toBe(201);
    expect((await operator.post('/api/v1/complaints/acuse', { folio: recorded.body.folio, receipt: recorded.body.receipt, include_receipt: true })).status).toBe(200);
    expect((await handler.get(`/api/v1/complaints/${recorded.body.id}/export?include_contact=true`)).status).toBe(200);

    const log = server.logs.slice(logStart).join('');
    const lines = log
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; reqId?: string; req?: { path?: string; method?: string } });
    // The public routes are logged (method, path, status), so the check below looks at real lines.
    const publicIds = new Set(lines.filter((l) => l.req?.path?.startsWith('/quejas') || l.req?.path?.startsWith('/api/v1/complaints')).map((l) => l.reqId));
    expect(lines.filter((l) => l.msg === 'incoming request' && l.req?.path === '/quejas').length).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.msg === 'incoming request' && l.req?.path === '/quejas/seguimiento').length).toBeGreaterThanOrEqual(2);
    expect(publicIds.size).toBeGreaterThanOrEqual(10);

    const secrets = [
      ...Object.values(m),
      m.contactName.toLowerCase(),
      encodeURIComponent(m.contactEmail),
      '0133 987',
      sent.receipt,
      receiptSpaced,
      recorded.body.receipt,
      recorded.body.receipt_formatted,
      token,
      token.split('.').at(-1)!,
      CLIENT_IP,
      FORWARDED_IP,
      REAL_IP,
      USER_AGENT,
      'LOGUSERAGENT',
    ];
    for (const secret of secrets) expect(secret.length, 'markers must be long enough to be meaningful').toBeGreaterThanOrEqual(8);
    expect(leaked(log, secrets)).toEqual([]);
    // Nor any connection metadata on a line of a complaint request, whatever the address.
    // (pino's own `hostname` and `pid` are the server's, not the client's.)
    const connection = lines
      .filter((l) => publicIds.has(l.reqId))
      .map(({ hostname: _hostname, pid: _pid, ...rest }: Record<string, unknown>) => JSON.stringify(rest))
      .filter((l) => /remoteAddress|remotePort|hostname|user-agent|userAgent|127\.0\.0\.|forwarded|"ip"/i.test(l));
    expect(connection).toEqual([]);
  });
});
