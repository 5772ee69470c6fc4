import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../../test/helpers.ts';
import { totpCode } from '../platform/auth/totp.ts';

let server: TestServer;
let institution: { id: string };

beforeAll(async () => {
  server = await startTestServer();
  institution = await makeInstitution(server.db, { code: 'CUENTA' });
});
afterAll(async () => server?.close());

describe('my account', () => {
  it('lists my sessions, ends another one and then every other, and keeps this one', async () => {
    const { email } = await makeUser(server.db, institution.id, 'caseworker');
    const laptop = await ApiClient.signIn(server.baseUrl, email);
    const phone = await ApiClient.signIn(server.baseUrl, email);
    const tablet = await ApiClient.signIn(server.baseUrl, email);
    const listed = await laptop.get('/api/v1/account/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(3);
    expect(listed.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(laptop.sessionToken);

    const phoneRef = (await phone.get('/api/v1/account/sessions')).body.items.find((s: { current: boolean }) => s.current).id;
    expect((await laptop.request('DELETE', `/api/v1/account/sessions/${phoneRef}`)).status).toBe(204);
    expect((await phone.get('/api/v1/cases')).status).toBe(401);
    expect((await laptop.post('/api/v1/account/sessions/revoke-others')).body).toEqual({ revoked: 1 });
    expect((await tablet.get('/api/v1/cases')).status).toBe(401);
    expect((await laptop.get('/api/v1/cases')).status).toBe(200);
    expect((await laptop.request('DELETE', `/api/v1/account/sessions/${phoneRef}`)).body.code).toBe('session_not_found');
  });

  it('changes my language', async () => {
    const { email } = await makeUser(server.db, institution.id, 'analyst');
    const me = await ApiClient.signIn(server.baseUrl, email);
    expect((await me.request('PUT', '/api/v1/account/language', { language: 'en' })).status).toBe(204);
    expect((await me.get('/api/v1/auth/session')).body.user.preferred_language).toBe('en');
  });

  it('signs in with a recovery code once, when the authenticator is lost', async () => {
    const { email } = await makeUser(server.db, institution.id, 'supervisor');
    const me = await ApiClient.signIn(server.baseUrl, email);
    expect((await me.post('/api/v1/account/recovery-codes')).body.code).toBe('recovery_codes_need_mfa');
    const setup = await me.post('/api/v1/auth/totp/setup');
    expect((await me.post('/api/v1/auth/totp/enable', { code: totpCode(setup.body.secret) })).status).toBe(204);
    const created = await me.post('/api/v1/account/recovery-codes');
    expect(created.status).toBe(200);
    expect(created.body.codes).toHaveLength(10);
    expect(new Set(created.body.codes).size).toBe(10);
    const stored = await server.db.selectFrom('recovery_codes').select('code_hash').execute();
    expect(stored.every((r) => r.code_hash.startsWith('$argon2id$'))).toBe(true);

    const later = await ApiClient.signIn(server.baseUrl, email);
    expect((await later.get('/api/v1/cases')).status).toBe(401);
    expect((await later.post('/api/v1/account/recovery', { code: 'WRONG-CODE1' })).status).toBe(401);
    const used = await later.post('/api/v1/account/recovery', { code: created.body.codes[3].toLowerCase() });
    expect(used.status, used.text).toBe(200);
    expect(used.body.remaining).toBe(9);
    expect((await later.get('/api/v1/cases')).status).toBe(200);
    const again = await ApiClient.signIn(server.baseUrl, email);
    expect((await again.post('/api/v1/account/recovery', { code: created.body.codes[3] })).body.code).toBe('recovery_code_invalid');
  });

  it('turns the second factor off only with the password and a current code, and not while an institution requires it', async () => {
    const { email } = await makeUser(server.db, institution.id, 'caseworker');
    const me = await ApiClient.signIn(server.baseUrl, email);
    expect((await me.get('/api/v1/account/second-factor')).body).toEqual({ enabled: false, required_by_institution: false, recovery_codes_remaining: 0 });
    const { secret } = (await me.post('/api/v1/auth/totp/setup')).body;
    expect((await me.post('/api/v1/auth/totp/enable', { code: totpCode(secret) })).status).toBe(204);
    await me.post('/api/v1/account/recovery-codes');
    expect((await me.get('/api/v1/account/second-factor')).body).toEqual({ enabled: true, required_by_institution: false, recovery_codes_remaining: 10 });

    expect((await me.post('/api/v1/auth/totp/disable', { password: 'not my password', code: totpCode(secret) })).body.code).toBe('current_password_invalid');
    const wrongCode = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    expect((await me.post('/api/v1/auth/totp/disable', { password: TEST_PASSWORD, code: wrongCode })).body.code).toBe('mfa_invalid');
    expect((await me.get('/api/v1/account/second-factor')).body.enabled).toBe(true);

    const strict = await makeInstitution(server.db, { code: 'CUENTAMFA', require_mfa: true });
    const membership = await server.db.insertInto('memberships').values({ user_id: (await server.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id, institution_id: strict.id, role: 'caseworker' }).returning('institution_id').executeTakeFirstOrThrow();
    expect((await me.post('/api/v1/auth/totp/disable', { password: TEST_PASSWORD, code: totpCode(secret) })).body.code).toBe('mfa_required_by_institution');
    await server.db.deleteFrom('memberships').where('institution_id', '=', membership.institution_id).execute();

    expect((await me.post('/api/v1/auth/totp/disable', { password: TEST_PASSWORD, code: totpCode(secret) })).status).toBe(204);
    expect((await me.get('/api/v1/account/second-factor')).body).toEqual({ enabled: false, required_by_institution: false, recovery_codes_remaining: 0 });
    // The next sign-in asks for no code.
    const later = await ApiClient.signIn(server.baseUrl, email);
    expect((await later.get('/api/v1/auth/session')).body.state).toBe('active');
    const audit = await server.db.selectFrom('audit_log').select('action').where('action', '=', 'mfa.disabled').execute();
    expect(audit).toHaveLength(1);
  });

  it('gives a one-time link valid for a day instead of a password when an administrator resets one', async () => {
    const admin = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'administrator')).email);
    const user = await makeUser(server.db, institution.id, 'caseworker');
    const before = await ApiClient.signIn(server.baseUrl, user.email);
    const reset = await admin.post(`/api/v1/users/${user.id}/reset-password`, {});
    expect(reset.status).toBe(200);
    expect(reset.body.reset_path).toMatch(/^\/cuenta\/restablecer#[A-Za-z0-9_-]{43}$/);
    expect(new Date(reset.body.expires_at).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(JSON.stringify(reset.body)).not.toMatch(/password"/);
    const token = reset.body.reset_path.split('#')[1];
    const stored = await server.db.selectFrom('password_reset_links').select('token_hash').where('user_id', '=', user.id).execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const anonymous = new ApiClient(server.baseUrl);
    expect((await anonymous.post('/api/v1/account/password-reset', { token, new_password: 'short' })).status).toBe(400);
    expect((await anonymous.post('/api/v1/account/password-reset', { token, new_password: 'a password I chose myself' })).status).toBe(204);
    expect((await before.get('/api/v1/cases')).status).toBe(401);
    await ApiClient.signIn(server.baseUrl, user.email, 'a password I chose myself');
    expect((await anonymous.post('/api/v1/account/password-reset', { token, new_password: 'another password again' })).body.code).toBe('reset_link_invalid');
    await expect(ApiClient.signIn(server.baseUrl, user.email, TEST_PASSWORD)).rejects.toThrow();

    // Expired links are refused like used ones.
    const second = await admin.post(`/api/v1/users/${user.id}/reset-password`, {});
    await server.db.updateTable('password_reset_links').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
    expect((await anonymous.post('/api/v1/account/password-reset', { token: second.body.reset_path.split('#')[1], new_password: 'too late a password' })).body.code).toBe('reset_link_invalid');
  });
});
