import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers.ts';
import { totpCode } from './totp.ts';
import { verifyAuditChains } from '../audit/audit.ts';
import { login } from './auth.service.ts';
import { SESSION_COOKIE } from '../http/app.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('sign-in', () => {
  it('signs in with the right password and reports the session', async () => {
    const institution = await makeInstitution(server.db);
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const client = await ApiClient.signIn(server.baseUrl, user.email);
    const session = await client.get('/api/v1/auth/session');
    expect(session.status).toBe(200);
    expect(session.body.role).toBe('caseworker');
    expect(session.body.institution.id).toBe(institution.id);
    expect(session.body.state).toBe('active');
    // The role's capabilities from the policy table, for the web app's menu.
    expect(session.body.capabilities).toEqual(expect.arrayContaining(['cases.read', 'cases.write', 'missing.record', 'complaints.record']));
    expect(session.body.capabilities).not.toContain('cases.assign');
    expect(session.body.capabilities).not.toContain('users.manage');
    const auditor = await makeUser(server.db, institution.id, 'auditor');
    const auditorSession = await (await ApiClient.signIn(server.baseUrl, auditor.email)).get('/api/v1/auth/session');
    expect(auditorSession.body.capabilities).toEqual(['audit.read']);
  });

  it('refuses a wrong password with the same answer as an unknown email, in the request language', async () => {
    const institution = await makeInstitution(server.db);
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const client = new ApiClient(server.baseUrl, 'en');
    const wrong = await client.post('/api/v1/auth/login', { email: user.email, password: 'not the password' });
    const unknown = await client.post('/api/v1/auth/login', { email: 'nobody@test.amparo', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ code: 'invalid_credentials', message: 'Wrong email or password.' });
    const spanish = await new ApiClient(server.baseUrl, 'es').post('/api/v1/auth/login', { email: user.email, password: 'x' });
    expect(spanish.body.message).toBe('Correo o contraseña incorrectos.');
  });

  it('throttles wrong passwords with growing delays, never a lock: the same answers for unknown emails, and the state survives a restart', async () => {
    const institution = await makeInstitution(server.db);
    const user = await makeUser(server.db, institution.id, 'supervisor');
    const client = new ApiClient(server.baseUrl);
    // Issue 14, failure 7: five wrong passwords from anywhere locked the account for 15 minutes (423),
    // and 423 against 401 told which accounts exist.
    const walk = async (email: string) => {
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await client.post('/api/v1/auth/login', { email, password: `bad ${i}` });
        answers.push(`${response.status}${response.headers.get('retry-after') ? ` retry-after ${response.headers.get('retry-after')}` : ''}`);
        // Waiting out the delay the server decided (the clock moved by setting the time it named).
        await server.db.updateTable('attempt_throttle').set({ next_attempt_at: new Date(Date.now() - 1) }).execute();
      }
      return answers;
    };
    const known = await walk(user.email);
    expect(known).toEqual(['401', '401', '401', '401', '401', '401']);
    expect(await walk(`nobody-${user.email}`)).toEqual(known);
    // Without waiting: the next attempt is refused with the delay, the right password included; the delay grows.
    expect((await client.post('/api/v1/auth/login', { email: user.email, password: 'bad again' })).status).toBe(401);
    expect((await client.post('/api/v1/auth/login', { email: `nobody-${user.email}`, password: 'bad again' })).status).toBe(401);
    const early = await client.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD });
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('4');
    const unknownEarly = await client.post('/api/v1/auth/login', { email: `nobody-${user.email}`, password: TEST_PASSWORD });
    expect(unknownEarly.status).toBe(429);
    expect(unknownEarly.headers.get('retry-after')).toBe('4');
    expect(unknownEarly.body).toEqual(early.body);
    // The state is a row in PostgreSQL (a restart keeps it), keyed by a hash, not the email.
    const rows = await server.db.selectFrom('attempt_throttle').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(user.email);
    expect(rows.filter((r) => r.failures === 7)).toHaveLength(2);
    // Once the delay has passed, the owner's right password opens the account and clears the count: no lock.
    await server.db.updateTable('attempt_throttle').set({ next_attempt_at: new Date(Date.now() - 1) }).execute();
    expect((await client.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(200);
    expect(await server.db.selectFrom('attempt_throttle').select('failures').where('failures', '=', 7).execute()).toHaveLength(1);
  });

  it('never waits more than a minute however many guesses were made', async () => {
    const { delayAfter, loginThrottle } = await import('../limits/throttle.ts');
    expect([1, 4, 5, 6, 7, 8, 11, 12, 100].map((n) => delayAfter(loginThrottle, n))).toEqual([0, 0, 1, 2, 4, 8, 60, 60, 60]);
    expect(loginThrottle.maxDelayS).toBe(60);
  });

  it('rejects unknown fields and malformed bodies with a 4xx, never a 500', async () => {
    const client = new ApiClient(server.baseUrl, 'en');
    const extra = await client.post('/api/v1/auth/login', { email: 'a@b.cd', password: 'x', admin: true });
    expect(extra.status).toBe(400);
    expect(extra.body.code).toBe('validation_failed');
    expect(extra.body.issues[0].code).toBe('unrecognized_keys');
    const broken = await client.request('POST', '/api/v1/auth/login', '{"email":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('invalid_json');
  });

  it('requires a session for API routes and the CSRF header for cookie writes', async () => {
    const anonymous = new ApiClient(server.baseUrl);
    expect((await anonymous.get('/api/v1/auth/tokens')).status).toBe(401);
    const institution = await makeInstitution(server.db);
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const client = await ApiClient.signIn(server.baseUrl, user.email);
    const forged = await client.request('POST', '/api/v1/auth/tokens', { name: 'x' }, { 'x-csrf-token': 'forged' });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    expect((await client.post('/api/v1/auth/tokens', { name: 'ok' })).status).toBe(201);
  });

  it('signs out and the cookie stops working', async () => {
    const institution = await makeInstitution(server.db);
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const client = await ApiClient.signIn(server.baseUrl, user.email);
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await client.get('/api/v1/auth/tokens')).status).toBe(401);
  });
});

describe('second factor', () => {
  it('enrols TOTP, then asks for it at sign-in', async () => {
    const institution = await makeInstitution(server.db);
    const user = await makeUser(server.db, institution.id, 'supervisor');
    const client = await ApiClient.signIn(server.baseUrl, user.email);
    const setup = await client.post('/api/v1/auth/totp/setup');
    expect(setup.status).toBe(200);
    expect((await client.post('/api/v1/auth/totp/enable', { code: '000000' === totpCode(setup.body.secret) ? '111111' : '000000' })).status).toBe(400);
    expect((await client.post('/api/v1/auth/totp/enable', { code: totpCode(setup.body.secret) })).status).toBe(204);

    const second = new ApiClient(server.baseUrl);
    const login = await second.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD });
    expect(login.body.state).toBe('mfa_required');
    await second.refreshSession();
    expect((await second.get('/api/v1/auth/tokens')).body.code).toBe('mfa_required');
    expect((await second.post('/api/v1/auth/totp', { code: '12345x' })).status).toBe(400);
    expect((await second.post('/api/v1/auth/totp', { code: totpCode(setup.body.secret) })).status).toBe(204);
    expect((await second.get('/api/v1/auth/tokens')).status).toBe(200);
  });

  it('makes users of an institution that requires it enrol before anything else', async () => {
    const institution = await makeInstitution(server.db, { require_mfa: true });
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const client = new ApiClient(server.baseUrl);
    const login = await client.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD });
    expect(login.body.state).toBe('mfa_enrolment_required');
    await client.refreshSession();
    expect((await client.get('/api/v1/auth/tokens')).status).toBe(403);
    const setup = await client.post('/api/v1/auth/totp/setup');
    expect((await client.post('/api/v1/auth/totp/enable', { code: totpCode(setup.body.secret) })).status).toBe(204);
    expect((await client.get('/api/v1/auth/tokens')).status).toBe(200);
  });
});

describe('second factor for complaint handlers', () => {
  // Sessions opened through the sign-in service (the per-address limit of this file's HTTP sign-ins is spent elsewhere); everything after goes through HTTP.
  const sessionFor = async (email: string) => {
    const { sessionToken, state } = await login(server.db, { email, password: TEST_PASSWORD, ip: '127.0.0.1' });
    const client = new ApiClient(server.baseUrl);
    client.cookie = `${SESSION_COOKIE}=${sessionToken}`;
    await client.refreshSession();
    return { client, state };
  };

  it('sends a complaint handler to set up a second factor before complaints, unless a platform administrator turned the default off', async () => {
    // Issue 14: complaint handlers could work without a second factor.
    const unit = await makeInstitution(server.db, { complaint_handlers_mfa: true });
    const handler = await makeUser(server.db, unit.id, 'complaint_handler');
    const caseworker = await makeUser(server.db, unit.id, 'caseworker');
    const { client, state } = await sessionFor(handler.email);
    expect(state).toBe('mfa_enrolment_required');
    const refused = await client.get('/api/v1/complaints');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('mfa_enrolment_required');
    // Others in the same institution are not asked (the institution's own policy is off).
    expect((await sessionFor(caseworker.email)).state).toBe('active');
    // The institution's administrator may not turn the default off; a platform administrator may, and it is audited.
    const admin = await makeUser(server.db, unit.id, 'administrator');
    const adminClient = await ApiClient.forSession(server, admin.email);
    expect((await adminClient.patch(`/api/v1/institutions/${unit.id}`, { complaint_handlers_mfa: false })).status).toBe(403);
    const platform = await makeUser(server.db, unit.id, 'supervisor');
    await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', platform.id).execute();
    const platformClient = await ApiClient.forSession(server, platform.email);
    expect((await platformClient.patch(`/api/v1/institutions/${unit.id}`, { complaint_handlers_mfa: false })).status).toBe(204);
    const listed = (await platformClient.get('/api/v1/institutions')).body.items.find((i: { id: string }) => i.id === unit.id);
    expect(listed.complaint_handlers_mfa).toBe(false);
    const audited = await server.db.selectFrom('audit_log').select(['action', 'detail']).where('actor_user_id', '=', platform.id).where('record_id', '=', unit.id).execute();
    expect(audited).toEqual([{ action: 'institution.mfa_policy_changed', detail: { complaint_handlers_mfa: false } }]);
    const later = new ApiClient(server.baseUrl);
    expect((await later.post('/api/v1/auth/login', { email: handler.email, password: TEST_PASSWORD })).body.state).toBe('active');
    await later.refreshSession();
    expect((await later.get('/api/v1/complaints')).status).toBe(200);
  });

  it('is the default of a new institution, and a handler who enrolled reaches complaints and may not turn it off', async () => {
    const unit = await makeInstitution(server.db, { complaint_handlers_mfa: undefined });
    expect((await server.db.selectFrom('institutions').select('complaint_handlers_mfa').where('id', '=', unit.id).executeTakeFirstOrThrow()).complaint_handlers_mfa).toBe(true);
    const handler = await makeUser(server.db, unit.id, 'complaint_handler');
    const { client } = await sessionFor(handler.email);
    const setup = await client.post('/api/v1/auth/totp/setup');
    expect((await client.post('/api/v1/auth/totp/enable', { code: totpCode(setup.body.secret) })).status).toBe(204);
    expect((await client.get('/api/v1/complaints')).status).toBe(200);
    const off = await client.post('/api/v1/auth/totp/disable', { password: TEST_PASSWORD, code: totpCode(setup.body.secret) });
    expect(off.body.code).toBe('mfa_required_by_institution');
  });
});

describe('API tokens', () => {
  it('authenticates with a bearer token until it is revoked', async () => {
    const institution = await makeInstitution(server.db);
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const client = await ApiClient.signIn(server.baseUrl, user.email);
    const created = await client.post('/api/v1/auth/tokens', { name: 'integration' });
    const bearer = new ApiClient(server.baseUrl);
    const listed = await bearer.request('GET', '/api/v1/auth/tokens', undefined, { authorization: `Bearer ${created.body.token}` });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
    expect((await client.delete(`/api/v1/auth/tokens/${created.body.id}`)).status).toBe(204);
    const after = await bearer.request('GET', '/api/v1/auth/tokens', undefined, { authorization: `Bearer ${created.body.token}` });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('invalid_token');
  });
});

describe('audit chain', () => {
  it('records logins in a chain that verifies, and the table refuses edits', async () => {
    const institution = await makeInstitution(server.db);
    await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'caseworker')).email);
    const logins = await server.db.selectFrom('audit_log').select('action').where('institution_id', '=', institution.id).where('action', '=', 'login.succeeded').execute();
    expect(logins).toHaveLength(1);
    const reports = await verifyAuditChains(server.db);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((r) => r.ok)).toBe(true);
    await expect(server.db.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    await expect(server.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });
});
