import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../../test/helpers.ts';

let server: TestServer;
let a: { id: string };
let b: { id: string };
let adminA: ApiClient;
let adminAId: string;

beforeAll(async () => {
  server = await startTestServer();
  a = await makeInstitution(server.db, { name: 'Albergue A' });
  b = await makeInstitution(server.db, { name: 'Consulado B' });
  const admin = await makeUser(server.db, a.id, 'administrator');
  adminAId = admin.id;
  adminA = await ApiClient.forSession(server, admin.email);
});
afterAll(async () => server.close());

const tokenOf = (path: string) => path.split('#')[1]!;
const shape = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value]));

describe('adding someone to an institution', () => {
  it('answers alike whether or not the email has an account in another institution (no email_taken)', async () => {
    // Issue 14: `email_taken` told an institution's administrator that an account existed elsewhere.
    const elsewhere = await makeUser(server.db, b.id, 'caseworker', `rosa.elsewhere-${Date.now()}@example.org`);
    const stranger = `nadie.${Date.now()}@example.org`;
    const existing = await adminA.post('/api/v1/users', { email: elsewhere.email, display_name: 'Rosa Méndez', role: 'supervisor' });
    const fresh = await adminA.post('/api/v1/users', { email: stranger, display_name: 'Nadia Ruiz', role: 'supervisor' });
    expect(existing.status).toBe(201);
    expect(fresh.status).toBe(existing.status);
    expect(shape(fresh.body)).toEqual(shape(existing.body));
    expect(Object.keys(existing.body).sort()).toEqual(['expires_at', 'invitation_path']);
    for (const r of [existing, fresh]) expect(r.body.invitation_path).toMatch(/^\/cuenta\/invitacion#[A-Za-z0-9_-]{43}$/);
    expect(Math.abs(new Date(existing.body.expires_at).getTime() - new Date(fresh.body.expires_at).getTime())).toBeLessThan(60_000);
    // Nothing tells them apart afterwards either: neither is in the institution's list until accepted.
    const listed = (await adminA.get('/api/v1/users')).body.items.map((u: { email: string }) => u.email);
    expect(listed).not.toContain(elsewhere.email);
    expect(listed).not.toContain(stranger);
    // The audit records both invitations alike, in A's chain.
    const audited = await server.db.selectFrom('audit_log').select(['action', 'record_type', 'detail']).where('actor_user_id', '=', adminAId).where('action', '=', 'user.invited').execute();
    expect(audited.slice(-2)).toEqual([
      { action: 'user.invited', record_type: 'invitation', detail: { role: 'supervisor' } },
      { action: 'user.invited', record_type: 'invitation', detail: { role: 'supervisor' } },
    ]);
  });

  it('lets a new person choose her password with the link, once', async () => {
    const email = `nueva.${Date.now()}@example.org`;
    const invited = await adminA.post('/api/v1/users', { email, display_name: 'Marta Nueva', role: 'caseworker' });
    const token = tokenOf(invited.body.invitation_path);
    const visitor = new ApiClient(server.baseUrl);
    expect((await visitor.post('/api/v1/account/invitation', { token })).body).toEqual({ institution: 'Albergue A', role: 'caseworker', display_name: 'Marta Nueva', email, account: 'new', signed_in_as_invitee: false });
    expect((await visitor.post('/api/v1/account/invitation/accept', { token })).body.code).toBe('invitation_password_required');
    expect((await visitor.post('/api/v1/account/invitation/accept', { token, new_password: TEST_PASSWORD })).body).toEqual({ account: 'new' });
    expect((await visitor.post('/api/v1/account/invitation/accept', { token, new_password: TEST_PASSWORD })).body.code).toBe('invitation_invalid');
    const her = await ApiClient.forSession(server, email);
    const session = (await her.get('/api/v1/auth/session')).body;
    expect([session.institution.id, session.role]).toEqual([a.id, 'caseworker']);
    const accepted = await server.db.selectFrom('audit_log').select(['action', 'detail']).where('institution_id', '=', a.id).where('action', '=', 'invitation.accepted').where('actor_user_id', '=', session.user.id).execute();
    expect(accepted).toEqual([{ action: 'invitation.accepted', detail: { role: 'caseworker', account: 'new' } }]);
  });

  it('asks the holder of an existing account to sign in and accept the membership with the role given', async () => {
    const holder = await makeUser(server.db, b.id, 'caseworker');
    const invited = await adminA.post('/api/v1/users', { email: holder.email, display_name: 'Otra', role: 'search_officer' });
    const token = tokenOf(invited.body.invitation_path);
    // Without signing in: neither a password nor anything else takes the account over.
    const visitor = new ApiClient(server.baseUrl);
    expect((await visitor.post('/api/v1/account/invitation', { token })).body).toMatchObject({ account: 'existing', signed_in_as_invitee: false });
    const refused = await visitor.post('/api/v1/account/invitation/accept', { token, new_password: 'una contraseña cualquiera' });
    expect([refused.status, refused.body.code]).toEqual([403, 'invitation_sign_in_required']);
    // Someone else signed in cannot accept it either.
    const other = await ApiClient.forSession(server, (await makeUser(server.db, b.id, 'caseworker')).email);
    expect((await other.post('/api/v1/account/invitation/accept', { token })).body.code).toBe('invitation_sign_in_required');
    // Signed in as herself, she accepts; her password is unchanged and she now works for A too.
    const her = await ApiClient.forSession(server, holder.email);
    expect((await her.post('/api/v1/account/invitation', { token })).body.signed_in_as_invitee).toBe(true);
    expect((await her.post('/api/v1/account/invitation/accept', { token })).body).toEqual({ account: 'existing' });
    const memberships = await server.db.selectFrom('memberships').select(['institution_id', 'role']).where('user_id', '=', holder.id).orderBy('created_at').execute();
    expect(memberships).toEqual([
      { institution_id: b.id, role: 'caseworker' },
      { institution_id: a.id, role: 'search_officer' },
    ]);
    expect((await her.post('/api/v1/auth/switch-institution', { institution_id: a.id })).status).toBe(204);
    expect((await her.get('/api/v1/auth/session')).body.role).toBe('search_officer');
    expect((await her.post('/api/v1/account/invitation/accept', { token })).body.code).toBe('invitation_invalid');
  });
});
