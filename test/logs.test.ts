import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { Client, leaked, personBody } from './fixtures.ts';

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
    const cw = await Client.signIn(server.baseUrl, cwUser.email);
    const shelterSup = await Client.signIn(server.baseUrl, shelterSupUser.email, TEST_PASSWORD, 'en');

    const person = await cw.post(
      '/api/v1/people',
      personBody({
        given_names: marker.givenNames,
        surname1: marker.surname1,
        surname2: marker.surname2,
        other_names: [marker.otherName],
        documents: [{ type: 'passport', number: marker.document, issuer: 'HND' }],
        contact: { phone: marker.phone, email: marker.email, address: marker.address },
      }),
    );
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
    const upload = await cw.request('POST', `/api/v1/cases/${caseId}/attachments?filename=${encodeURIComponent(marker.attachmentName)}`, undefined, { raw: { data: marker.attachment, contentType: 'text/plain' } });
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
    const byToken = await new Client(server.baseUrl).request('GET', '/api/v1/cases', undefined, { headers: { authorization: `Bearer ${token.body.token}` } });
    expect(byToken.status).toBe(200);

    // Refusals: invalid data, malformed JSON, a record that does not exist, a page that does not exist.
    const invalid = await cw.post('/api/v1/people', personBody({ given_names: `${marker.invalidName}<script>1`, documents: [{ type: 'passport', number: `${marker.document}!!` }], contact: { phone: `${marker.phone} ext` } }));
    expect(invalid.status).toBe(400);
    const badJson = await cw.request('POST', '/api/v1/people', undefined, { raw: { data: `{"given_names": "${marker.invalidJson}`, contentType: 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.body.code).toBe('invalid_json');
    const missing = await cw.get(`/api/v1/people/${randomUUID()}?name=${encodeURIComponent(marker.notFoundQuery)}`);
    expect(missing.status).toBe(404);
    const foreign = await shelterSup.get(`/api/v1/people/search?q=${encodeURIComponent(marker.searchName)}`);
    expect(foreign.status).toBe(200);
    expect((await cw.get(`/api/v1/nowhere?who=${encodeURIComponent(marker.searchName)}`)).status).toBe(404);

    // Credentials: a wrong password for an unknown address and for a real one, and a password change.
    const anonymous = new Client(server.baseUrl);
    expect((await anonymous.post('/api/v1/auth/login', { email: marker.wrongLoginEmail, password: marker.wrongPassword })).status).toBe(401);
    expect((await anonymous.post('/api/v1/auth/login', { email: cwUser.email, password: marker.wrongPassword })).status).toBe(401);
    expect((await cw.post('/api/v1/auth/password', { current_password: marker.wrongPassword, new_password: marker.newPassword })).status).toBe(400);
    expect((await cw.post('/api/v1/auth/password', { current_password: TEST_PASSWORD, new_password: marker.newPassword })).status).toBe(204);
    // A request with a stale CSRF token and cookie still attached.
    expect((await cw.request('POST', '/api/v1/auth/tokens', { name: 'x' }, { headers: { 'x-csrf-token': 'not-the-token' } })).status).toBe(403);

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
