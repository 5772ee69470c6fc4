import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, TEST_PASSWORD, type TestServer } from '../../test/helpers.ts';
import { resetPassword, setMembership } from '../users/user.service.ts';
import { reencryptAll } from '../cli/reencrypt.ts';
import { FieldCipher, addKeyToRing, type KeyRingFile } from '../platform/crypto/field-encryption.ts';
import { updateSettings } from './settings.service.ts';
import { baseFields, complaintForm, postForm, readReceiptPage, tokenOf } from './testing/fixtures.ts';

/**
 * "Only handlers of the receiving unit can decrypt them" (issue 3), as cryptography: what someone
 * holding the database AND the server's key ring can open, and how keys follow people (a new
 * handler, a reset password, leaving the unit, forwarding, API tokens).
 */
let server: TestServer;
let unitA: { id: string };
let unitB: { id: string };
let handlerA: ApiClient;
let handlerB: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  unitA = await makeInstitution(server.db, { code: 'OICK', name: 'Órgano Interno de Control' });
  unitB = await makeInstitution(server.db, { code: 'UAIK', name: 'Asuntos Internos' });
  await updateSettings(server.db, null, { default_unit: unitA.id });
  handlerA = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, unitA.id, 'complaint_handler')).email);
  handlerB = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, unitB.id, 'complaint_handler')).email);
});
afterAll(async () => server.close());

async function submit(narrative: string) {
  const response = await postForm(server.baseUrl, '/quejas?lang=es', complaintForm(baseFields({ narrative, contact_email: 'persona@example.org', anonymous: 'no', contact_name: 'Ana' })));
  expect(response.status).toBe(200);
  const page = readReceiptPage(response.text);
  const row = await server.db.selectFrom('complaints').selectAll().where('folio', '=', page.folio).executeTakeFirstOrThrow();
  return { ...page, row };
}

/** Every way the server's key ring could open a value: all fail for a complaint under its own key. */
function keyRingOpens(value: string | Buffer | null): boolean {
  if (value === null) return false;
  try {
    if (typeof value === 'string') server.cipher.decryptText(value);
    else server.cipher.decryptBytes(value);
    return true;
  } catch {
    return false;
  }
}

describe('per-unit encryption of complaints', () => {
  it('seals each complaint to its unit: the database and the key ring together open none of its fields', async () => {
    const sent = await submit('Me quitaron mis documentos en el retén de Huixtla.');
    const { row } = sent;
    expect(row.key_version).toBe(1);
    expect(row.key_for_unit_institution).toBe(unitA.id);
    expect(row.key_for_server).toBeNull();
    for (const value of [row.narrative_enc, row.details_enc, row.contact_enc, row.key_for_unit, row.key_for_complainant]) expect(keyRingOpens(value)).toBe(false);

    // The unit's secret key exists only sealed to its handlers' public keys; unit B's key pair cannot open A's sealed key.
    await sodium.ready;
    expect((await handlerB.get('/api/v1/complaints')).body.key_access).toBe('granted'); // B's unit key pair is made on first need
    // Other tests' units may hold keys too: look at A's and B's.
    const unitKeys = await server.db.selectFrom('complaint_unit_keys').selectAll().where('institution_id', 'in', [unitA.id, unitB.id]).execute();
    expect(unitKeys.map((k) => k.institution_id).sort()).toEqual([unitA.id, unitB.id].sort());
    const grants = await server.db.selectFrom('complaint_unit_key_grants').selectAll().execute();
    expect(grants.length).toBeGreaterThanOrEqual(2);
    for (const grant of grants) expect(grant.sealed_secret_key.length).toBe(sodium.crypto_box_SEALBYTES + sodium.crypto_box_SECRETKEYBYTES);
    const userKeys = await server.db.selectFrom('user_keys').selectAll().execute();
    for (const key of userKeys) expect(keyRingOpens(key.secret_key_wrapped)).toBe(false);
    // The session row holds the handler's key wrapped by a token the database never saw.
    const sessions = await server.db.selectFrom('sessions').select(['secret_key_wrapped']).where('secret_key_wrapped', 'is not', null).execute();
    expect(sessions.length).toBeGreaterThanOrEqual(2);

    // Handler A reads it; handler B (another unit) gets 404 as before, and has no grant for A's key either.
    const inbox = await handlerA.get('/api/v1/complaints');
    expect(inbox.body.key_access).toBe('granted');
    const detail = await handlerA.get(`/api/v1/complaints/${row.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.narrative).toBe('Me quitaron mis documentos en el retén de Huixtla.');
    expect(detail.body.contact).toMatchObject({ email: 'persona@example.org', name: 'Ana' });
    expect((await handlerB.get(`/api/v1/complaints/${row.id}`)).status).toBe(404);
    const userB = (await handlerB.get('/api/v1/auth/session')).body.user.id as string;
    expect(grants.some((g) => g.user_id === userB && g.institution_id === unitA.id)).toBe(false);

    // The complainant reads the handler's question with the receipt alone.
    expect((await handlerA.post(`/api/v1/complaints/${row.id}/messages`, { body: '¿En qué fecha exacta?', request_information: true })).status).toBe(201);
    const followed = await postForm(server.baseUrl, '/quejas/seguimiento', new URLSearchParams({ folio: sent.folio, receipt: sent.receipt }));
    expect(followed.status).toBe(200);
    expect(followed.text).toContain('¿En qué fecha exacta?');
    const answered = await postForm(server.baseUrl, '/quejas/seguimiento/responder', complaintForm({ token: tokenOf(followed.text), message: 'El 2 de mayo.' }));
    expect(answered.status).toBe(200);
    const messages = await server.db.selectFrom('complaint_messages').select('body_enc').where('complaint_id', '=', row.id).execute();
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(keyRingOpens(m.body_enc)).toBe(false);
    expect((await handlerA.get(`/api/v1/complaints/${row.id}`)).body.messages.map((m: { body: string }) => m.body)).toEqual(['¿En qué fecha exacta?', 'El 2 de mayo.']);
  });

  it('a handler added later waits for a colleague to grant the unit key; leaving the unit ends the grant', async () => {
    const { row } = await submit('Relato para la persona nueva.');
    const newcomer = await makeUser(server.db, unitA.id, 'complaint_handler');
    const client = await ApiClient.signIn(server.baseUrl, newcomer.email);
    const pending = await client.get('/api/v1/complaints');
    expect(pending.status).toBe(200);
    expect(pending.body.key_access).toBe('pending');
    const refused = await client.get(`/api/v1/complaints/${row.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('complaint_keys_unavailable');
    expect(refused.body.message).toContain('acceso cifrado');

    // A colleague opens the inbox: the unit key is sealed to the newcomer, audited.
    expect((await handlerA.get('/api/v1/complaints')).body.key_access).toBe('granted');
    expect((await client.get('/api/v1/complaints')).body.key_access).toBe('granted');
    expect((await client.get(`/api/v1/complaints/${row.id}`)).body.narrative).toBe('Relato para la persona nueva.');
    const audit = await server.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'complaint_unit_key.granted').execute();
    expect(audit.some((a) => JSON.stringify(a.detail).includes(newcomer.id))).toBe(true);

    await setMembership(server.db, null, { user_id: newcomer.id, institution_id: unitA.id, role: 'caseworker' });
    expect(await server.db.selectFrom('complaint_unit_key_grants').select('user_id').where('user_id', '=', newcomer.id).execute()).toEqual([]);

    // Made a handler while signed in: that session holds no key pair; signing in again makes one.
    const promoted = await makeUser(server.db, unitA.id, 'caseworker');
    const before = await ApiClient.signIn(server.baseUrl, promoted.email);
    await setMembership(server.db, null, { user_id: promoted.id, institution_id: unitA.id, role: 'complaint_handler' });
    expect((await before.get('/api/v1/complaints')).body.key_access).toBe('sign_in_again');
    const stale = await before.get(`/api/v1/complaints/${row.id}`);
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('complaint_keys_sign_in_again');
    const after = await ApiClient.signIn(server.baseUrl, promoted.email);
    expect((await after.get('/api/v1/complaints')).body.key_access).toBe('pending');
    await handlerA.get('/api/v1/complaints');
    expect((await after.get(`/api/v1/complaints/${row.id}`)).body.narrative).toBe('Relato para la persona nueva.');
  });

  it('a reset password makes a new key pair (the old one cannot be opened); a changed password keeps it', async () => {
    const { row } = await submit('Relato para la contraseña restablecida.');
    const user = await makeUser(server.db, unitA.id, 'complaint_handler');
    await handlerA.get('/api/v1/complaints'); // grant to the new user
    const before = await server.db.selectFrom('user_keys').select('public_key').where('user_id', '=', user.id).executeTakeFirstOrThrow();

    // Own change: same key pair, still granted.
    const own = await ApiClient.signIn(server.baseUrl, user.email);
    expect((await own.post('/api/v1/auth/password', { current_password: TEST_PASSWORD, new_password: 'otra contraseña larga 1' })).status).toBe(204);
    const again = await ApiClient.signIn(server.baseUrl, user.email, 'otra contraseña larga 1');
    expect((await again.get(`/api/v1/complaints/${row.id}`)).status).toBe(200);
    expect((await server.db.selectFrom('user_keys').select('public_key').where('user_id', '=', user.id).executeTakeFirstOrThrow()).public_key).toEqual(before.public_key);

    // Administrator's reset: a new key pair, grants gone, until a colleague opens the inbox.
    await resetPassword(server.db, null, user.id, unitA.id, 'contraseña nueva restablecida');
    const after = await server.db.selectFrom('user_keys').select('public_key').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(after.public_key).not.toEqual(before.public_key);
    const reset = await ApiClient.signIn(server.baseUrl, user.email, 'contraseña nueva restablecida');
    expect((await reset.get(`/api/v1/complaints/${row.id}`)).status).toBe(409);
    await handlerA.get('/api/v1/complaints');
    expect((await reset.get(`/api/v1/complaints/${row.id}`)).body.narrative).toBe('Relato para la contraseña restablecida.');

    // Removed from the unit: the grant goes with the membership.
    await setMembership(server.db, null, { user_id: user.id, institution_id: unitA.id, role: null });
    expect(await server.db.selectFrom('complaint_unit_key_grants').select('user_id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('forwarding seals the complaint key to the receiving unit instead', async () => {
    const { row } = await submit('Relato que se turna a otra unidad.');
    expect((await handlerA.post(`/api/v1/complaints/${row.id}/forward`, { institution_id: unitB.id, note: 'Competencia de asuntos internos.' })).status).toBe(204);
    const moved = await server.db.selectFrom('complaints').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(moved.key_for_unit_institution).toBe(unitB.id);
    expect(Buffer.compare(moved.key_for_unit!, row.key_for_unit!)).not.toBe(0);
    const detail = await handlerB.get(`/api/v1/complaints/${row.id}`);
    expect(detail.body.narrative).toBe('Relato que se turna a otra unidad.');
    expect(detail.body.notes.map((n: { body: string }) => n.body)).toEqual(['Competencia de asuntos internos.']);
  });

  it('refuses to forward to a unit whose handlers have no key pair yet', async () => {
    const { row } = await submit('Relato sin destino cifrado.');
    const unitC = await makeInstitution(server.db, { code: 'SINLLAVE', name: 'Unidad sin llaves' });
    // A handler by membership only (an existing user given the role): no key pair until they sign in.
    const other = await makeUser(server.db, unitB.id, 'caseworker');
    await setMembership(server.db, null, { user_id: other.id, institution_id: unitC.id, role: 'complaint_handler' });
    const targets = await handlerA.get('/api/v1/complaints/forward-targets');
    expect(targets.body.items.map((t: { id: string }) => t.id)).toContain(unitB.id);
    expect(targets.body.items.map((t: { id: string }) => t.id)).not.toContain(unitC.id);
    const refused = await handlerA.post(`/api/v1/complaints/${row.id}/forward`, { institution_id: unitC.id });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('complaint_unit_without_keys');
    expect((await server.db.selectFrom('complaints').select('institution_id').where('id', '=', row.id).executeTakeFirstOrThrow()).institution_id).toBe(unitA.id);
  });

  it('holds a complaint for a unit without key pairs under the server key, and seals it once a handler signs in', async () => {
    const unitD = await makeInstitution(server.db, { code: 'NUEVAU', name: 'Unidad nueva' });
    await updateSettings(server.db, null, { default_unit: unitD.id });
    try {
      const { row } = await submit('Relato que espera llaves.');
      expect(row.key_for_unit).toBeNull();
      expect(keyRingOpens(row.key_for_server)).toBe(true);
      // The waiting key is under the ring, so a ring rotation must carry it: to a new key and back.
      const ring = (server.cipher as unknown as { ring: KeyRingFile }).ring; // private in FieldCipher; the test server keeps no other copy
      const rotated = await addKeyToRing(ring);
      const moved = await reencryptAll(server.db, await FieldCipher.fromRing(rotated));
      expect(moved.find((c) => c.table === 'complaints' && c.column === 'key_for_server')?.reencrypted).toBe(1);
      expect(keyRingOpens((await server.db.selectFrom('complaints').select('key_for_server').where('id', '=', row.id).executeTakeFirstOrThrow()).key_for_server)).toBe(false);
      await reencryptAll(server.db, await FieldCipher.fromRing({ ...rotated, current: ring.current }));
      expect(keyRingOpens((await server.db.selectFrom('complaints').select('key_for_server').where('id', '=', row.id).executeTakeFirstOrThrow()).key_for_server)).toBe(true);
      const first = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, unitD.id, 'complaint_handler')).email);
      expect((await first.get('/api/v1/complaints')).body.key_access).toBe('granted');
      const sealed = await server.db.selectFrom('complaints').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(sealed.key_for_server).toBeNull();
      expect(sealed.key_for_unit_institution).toBe(unitD.id);
      expect((await first.get(`/api/v1/complaints/${row.id}`)).body.narrative).toBe('Relato que espera llaves.');
    } finally {
      await updateSettings(server.db, null, { default_unit: unitA.id });
    }
  });

  it('an API token made in a session reads what its user can; the key ring rotation leaves complaint keys alone', async () => {
    const { row } = await submit('Relato leído por un script.');
    const created = await handlerA.post('/api/v1/auth/tokens', { name: 'script' });
    expect(created.status).toBe(201);
    const response = await fetch(`${server.baseUrl}/api/v1/complaints/${row.id}`, { headers: { authorization: `Bearer ${created.body.token}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { narrative: string }).narrative).toBe('Relato leído por un script.');

    // `amparo keys reencrypt` after adding a ring key: values under the complaint's own key are not the ring's.
    const ring = (server.cipher as unknown as { ring: KeyRingFile }).ring; // private in FieldCipher; the test server keeps no other copy
    const counts = await reencryptAll(server.db, await FieldCipher.fromRing(await addKeyToRing(ring)));
    expect(counts.find((c) => c.table === 'complaints' && c.column === 'narrative_enc')?.reencrypted).toBe(0);
    expect(counts.find((c) => c.table === 'complaint_messages' && c.column === 'body_enc')?.reencrypted).toBe(0);
    expect((await handlerA.get(`/api/v1/complaints/${row.id}`)).body.narrative).toBe('Relato leído por un script.');
  });
});

