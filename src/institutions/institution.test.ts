import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThrottle, recordFailure } from '../platform/limits/throttle.ts';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../../test/helpers.ts';

/**
 * Institutions and accounts from the administration screens: who may change which field of an
 * institution (institution.policy.ts), the hierarchy without cycles, and the accounts' last sign-in,
 * lock-out and unlock, and creation with a one-time link.
 */

let server: TestServer;
let platform: ApiClient;
let adminA: ApiClient;
let a: { id: string };
let b: { id: string };

beforeAll(async () => {
  server = await startTestServer({ matchingWorker: false });
  a = await makeInstitution(server.db, { name: 'Institución A', type: 'state_agency', state_code: '07' });
  b = await makeInstitution(server.db, { name: 'Institución B', type: 'shelter' });
  const root = await makeUser(server.db, a.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', root.id).execute();
  platform = await ApiClient.signIn(server.baseUrl, root.email);
  adminA = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, a.id, 'administrator')).email);
});
afterAll(async () => server?.close());

const read = async (id: string) => (await platform.get('/api/v1/institutions')).body.items.find((i: { id: string }) => i.id === id);

describe('institutions', () => {
  it('lets a platform administrator create one under another and change its type, parent and jurisdiction', async () => {
    const created = await platform.post('/api/v1/institutions', { code: 'DELCHIS', name: 'Delegación Chiapas', type: 'federal_agency', parent_id: a.id, state_code: '07' });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    const changed = await platform.patch(`/api/v1/institutions/${id}`, { type: 'state_agency', parent_id: b.id, state_code: '30', municipality_code: '30193', name: 'Delegación Veracruz' });
    expect(changed.status, changed.text).toBe(204);
    expect(await read(id)).toMatchObject({ type: 'state_agency', parent_id: b.id, state_code: '30', municipality_code: '30193', name: 'Delegación Veracruz', require_mfa: false });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'detail']).where('record_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'institution.updated', detail: { type: 'state_agency', parent_id: b.id } });
  });

  it('refuses a parent that would make a cycle, and a parent that does not exist', async () => {
    const child = (await platform.post('/api/v1/institutions', { code: 'HIJA1', name: 'Oficina hija', type: 'shelter', parent_id: b.id })).body.id;
    const cycle = await platform.patch(`/api/v1/institutions/${b.id}`, { parent_id: child });
    expect(cycle.status).toBe(400);
    expect(cycle.body.code).toBe('institution_parent_cycle');
    expect((await platform.patch(`/api/v1/institutions/${b.id}`, { parent_id: b.id })).body.code).toBe('institution_parent_cycle');
    expect((await platform.patch(`/api/v1/institutions/${b.id}`, { parent_id: '00000000-0000-4000-8000-000000000000' })).body.code).toBe('institution_not_found');
    expect((await read(b.id)).parent_id).toBeNull();
  });

  it('lets an institution’s administrator set its second factor, and nothing else, and only for her own', async () => {
    expect((await adminA.patch(`/api/v1/institutions/${a.id}`, { require_mfa: true })).status).toBe(204);
    expect((await read(a.id)).require_mfa).toBe(true);
    expect((await adminA.patch(`/api/v1/institutions/${a.id}`, { state_code: '09' })).status).toBe(403);
    expect((await adminA.patch(`/api/v1/institutions/${a.id}`, { require_mfa: false, parent_id: b.id })).status).toBe(403);
    expect((await adminA.patch(`/api/v1/institutions/${b.id}`, { require_mfa: true })).status).toBe(403);
    expect((await adminA.post('/api/v1/institutions', { code: 'NOPE', name: 'No', type: 'shelter' })).status).toBe(403);
    expect(await read(a.id)).toMatchObject({ state_code: '07', parent_id: null, require_mfa: true });
    await platform.patch(`/api/v1/institutions/${a.id}`, { require_mfa: false });
  });

  it('keeps the platform’s own institution in its place', async () => {
    const own = await server.db.selectFrom('institutions').select('id').where('type', '=', 'platform').executeTakeFirst();
    const platformId = own?.id ?? (await server.db.insertInto('institutions').values({ code: 'AMPARO', name: 'Amparo', type: 'platform', unit_type: null, state_code: null, municipality_code: null, parent_id: null }).returning('id').executeTakeFirstOrThrow()).id;
    expect((await platform.patch(`/api/v1/institutions/${platformId}`, { state_code: '09' })).body.code).toBe('institution_platform_fixed');
    expect((await platform.patch(`/api/v1/institutions/${b.id}`, { parent_id: platformId })).body.code).toBe('institution_not_found');
  });
});

describe('accounts', () => {
  it('creates an account through a one-time invitation link, shows its last sign-in, and unlocks it', async () => {
    const invited = await adminA.post('/api/v1/users', { email: 'marta.ruiz@example.org', display_name: 'Marta Ruiz', role: 'caseworker' });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.body).not.toHaveProperty('password');
    const token = invited.body.invitation_path.split('#')[1];
    expect((await new ApiClient(server.baseUrl).post('/api/v1/account/invitation/accept', { token, new_password: TEST_PASSWORD })).status).toBe(200);
    const created = { body: await server.db.selectFrom('users').select('id').where('email', '=', 'marta.ruiz@example.org').executeTakeFirstOrThrow() };

    const listed = async () => (await adminA.get('/api/v1/users')).body.items.find((u: { id: string }) => u.id === created.body.id);
    expect(await listed()).toMatchObject({ last_sign_in_at: null, locked: false, role: 'caseworker', other_institutions: 0 });
    await ApiClient.signIn(server.baseUrl, 'marta.ruiz@example.org');
    expect(new Date((await listed()).last_sign_in_at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    for (let i = 0; i < 5; i++) await new ApiClient(server.baseUrl).post('/api/v1/auth/login', { email: 'marta.ruiz@example.org', password: 'not her password' });
    // Three more failures as the throttle counts them, so that the delay (8 s) outlasts a slow machine.
    for (let i = 0; i < 3; i++) await recordFailure(server.db, loginThrottle, 'marta.ruiz@example.org');
    expect((await listed()).locked).toBe(true);
    expect((await adminA.post(`/api/v1/users/${created.body.id}/unlock`)).status).toBe(204);
    expect((await listed()).locked).toBe(false);
    await ApiClient.signIn(server.baseUrl, 'marta.ruiz@example.org');

    const otherAdmin = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, b.id, 'administrator')).email);
    expect((await otherAdmin.post(`/api/v1/users/${created.body.id}/unlock`)).status).toBe(404);
    expect((await otherAdmin.get(`/api/v1/users?institution_id=${a.id}`)).status).toBe(403);
    expect((await platform.get(`/api/v1/users?institution_id=${b.id}`)).body.items).toHaveLength(1);
  });
});
