import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { boundMadeAt, conflictingFields, forgetOldOfflineWrites } from './offline.service.ts';

let server: TestServer;
let institution: { id: string };
let caseworker: ApiClient;
let caseworkerId: string;
let supervisor: ApiClient;
let otherCaseworker: ApiClient;

const key = () => `k-${randomUUID()}`;
const now = () => new Date().toISOString();
const person = (given: string, overrides: Record<string, unknown> = {}) => ({ given_names: given, surname1: 'Offlinez', surname2: 'Sinred', sex: 'female', date_of_birth: '1994-02-03', nationalities: ['GTM'], ...overrides });
const send = (client: ApiClient, body: Record<string, unknown>, idempotencyKey: string | null = key()) =>
  client.request('POST', '/api/v1/offline/writes', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});

beforeAll(async () => {
  server = await startTestServer();
  institution = await makeInstitution(server.db, { type: 'shelter' });
  const cw = await makeUser(server.db, institution.id, 'caseworker');
  caseworkerId = cw.id;
  caseworker = await ApiClient.signIn(server.baseUrl, cw.email);
  supervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'supervisor')).email);
  otherCaseworker = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'caseworker')).email);
});
afterAll(async () => server?.close());

const countPeople = async (id: string) => (await server.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '=', id).executeTakeFirstOrThrow()).n;

async function registerOffline(client: ApiClient, given: string) {
  const id = randomUUID();
  const response = await send(client, { operation: 'person.create', id, made_at: now(), data: person(given) });
  expect(response.status).toBe(201);
  return { id, version: response.body.version as string };
}

async function openCaseOffline(client: ApiClient, personId: string) {
  const id = randomUUID();
  const response = await send(client, { operation: 'case.create', id, made_at: now(), data: { programme: 'shelter', opened_on: new Date().toISOString().slice(0, 10), summary: 'Llegó de noche con su familia.', participants: [{ person_id: personId, role: 'direct_victim' }] } });
  expect(response.status).toBe(201);
  return { id, folio: response.body.folio as string };
}

describe('idempotent offline writes', () => {
  it('registers a person with the device’s id once: a repeat answers the first result and writes nothing', async () => {
    const id = randomUUID();
    const k = key();
    const body = { operation: 'person.create', id, made_at: now(), data: person('Idempotencia') };
    const first = await send(caseworker, body, k);
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(id);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send(caseworker, body, k);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(Number(await countPeople(id))).toBe(1);
  });

  it('a double submission (two requests at once with one key) creates the record once', async () => {
    const id = randomUUID();
    const k = key();
    const body = { operation: 'person.create', id, made_at: now(), data: person('Doble Envío') };
    const answers = await Promise.all([send(caseworker, body, k), send(caseworker, body, k), send(caseworker, body, k)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(Number(await countPeople(id))).toBe(1);
    const audit = await server.db.selectFrom('audit_log').select('id').where('action', '=', 'offline.synced').where('actor_user_id', '=', caseworkerId).where('record_id', '=', id).execute();
    expect(audit).toHaveLength(1);
  });

  it('a different write with a used key is refused with idempotency_key_reused; the key is the user’s own', async () => {
    const k = key();
    expect((await send(caseworker, { operation: 'person.create', id: randomUUID(), made_at: now(), data: person('Primera') }, k)).status).toBe(201);
    const reused = await send(caseworker, { operation: 'person.create', id: randomUUID(), made_at: now(), data: person('Segunda') }, k);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    // Another user's device may happen to choose the same key: it is a different write.
    const other = await send(otherCaseworker, { operation: 'person.create', id: randomUUID(), made_at: now(), data: person('Tercera') }, k);
    expect(other.status).toBe(201);
  });

  it('refuses a write without a usable key, and bad content with 400 and nothing written', async () => {
    const id = randomUUID();
    const noKey = await send(caseworker, { operation: 'person.create', id, made_at: now(), data: person('Sin Clave') }, null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.code).toBe('idempotency_key_required');
    expect((await send(caseworker, { operation: 'person.create', id, made_at: now(), data: person('Corta') }, 'short')).body.code).toBe('idempotency_key_required');
    const bad = await send(caseworker, { operation: 'person.create', id, made_at: now(), data: person('X1<script>') });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(Number(await countPeople(id))).toBe(0);
  });

  it('a failed write keeps no key: the same key applies the corrected-in-place retry once it can succeed', async () => {
    const k = key();
    const caseId = randomUUID();
    const personId = randomUUID();
    const openCase = { operation: 'case.create', id: caseId, made_at: now(), data: { programme: 'shelter', opened_on: new Date().toISOString().slice(0, 10), participants: [{ person_id: personId, role: 'direct_victim' }] } };
    // The person has not arrived yet (her write is queued behind): refused, nothing kept.
    const early = await send(caseworker, openCase, k);
    expect(early.status).toBe(400);
    expect(early.body.code).toBe('person_not_visible');
    await send(caseworker, { operation: 'person.create', id: personId, made_at: now(), data: person('Llegada Tarde') });
    const later = await send(caseworker, openCase, k);
    expect(later.status).toBe(201);
    expect(later.body.folio).toMatch(/-\d{6}$/);
  });

  it('records services, notes and a document photo on a case opened offline, each once, with the audit saying offline and when', async () => {
    const p = await registerOffline(caseworker, 'Servicios');
    const c = await openCaseOffline(caseworker, p.id);
    const madeAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const service = { operation: 'service.create', id: randomUUID(), made_at: madeAt, case_id: c.id, data: { person_id: p.id, service_type: 'shelter', provided_on: new Date().toISOString().slice(0, 10) } };
    const note = { operation: 'note.create', id: randomUUID(), made_at: madeAt, case_id: c.id, data: { body: 'Durmió en el albergue.' } };
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
    const photo = { operation: 'attachment.create', id: randomUUID(), made_at: madeAt, case_id: c.id, data: { filename: 'pasaporte.jpg', media_type: 'image/jpeg', content_base64: jpeg.toString('base64') } };
    for (const write of [service, note, photo]) {
      const k = key();
      expect((await send(caseworker, write, k)).status).toBe(201);
      expect((await send(caseworker, write, k)).headers.get('idempotent-replayed')).toBe('true');
    }
    const view = await caseworker.get(`/api/v1/cases/${c.id}`);
    expect(view.body.services.map((s: { id: string }) => s.id)).toEqual([service.id]);
    expect(view.body.notes.map((n: { id: string; body: string }) => [n.id, n.body])).toEqual([[note.id, 'Durmió en el albergue.']]);
    expect(view.body.attachments.map((a: { id: string; size_bytes: number }) => [a.id, a.size_bytes])).toEqual([[photo.id, jpeg.length]]);
    const entries = await server.db.selectFrom('audit_log').select(['record_id', 'detail']).where('action', '=', 'offline.synced').where('actor_user_id', '=', caseworkerId).where('record_id', '=', c.id).execute();
    expect(entries).toHaveLength(4);
    const noteEntry = entries.find((e) => (e.detail as { operation: string }).operation === 'note.create')!;
    expect(noteEntry.detail).toMatchObject({ written_id: note.id, made_at: madeAt, device_clock: 'ok' });
  });

  it('bounds the device’s clock: a time in the future is the arrival, one older than the offline window its start', () => {
    const received = new Date('2026-06-10T12:00:00Z');
    expect(boundMadeAt('2026-06-10T11:00:00Z', received, 7)).toEqual({ at: new Date('2026-06-10T11:00:00Z'), deviceClock: 'ok' });
    expect(boundMadeAt('2026-06-10T12:03:00Z', received, 7)).toEqual({ at: received, deviceClock: 'ok' });
    expect(boundMadeAt('2027-01-01T00:00:00Z', received, 7)).toEqual({ at: received, deviceClock: 'ahead' });
    expect(boundMadeAt('2001-01-01T00:00:00Z', received, 7)).toEqual({ at: new Date('2026-06-02T12:00:00Z'), deviceClock: 'behind' });
  });

  it('after sync the server checks the new person against the institution, and the pair waits on the de-duplication screen', async () => {
    const online = await supervisor.post('/api/v1/people', person('Rosaura Itzel', { surname1: 'Quintanilla', surname2: 'Bermúdez', date_of_birth: '1988-07-21' }));
    expect(online.status).toBe(201);
    const id = randomUUID();
    const synced = await send(caseworker, { operation: 'person.create', id, made_at: now(), data: person('Rosaura Itzel', { surname1: 'Quintanilla', surname2: 'Bermudez', date_of_birth: '1988-07-21' }) });
    expect(synced.status).toBe(201);
    expect(synced.body.possible_duplicates).toBeGreaterThanOrEqual(1);
    const pairs = await supervisor.get('/api/v1/people/duplicates?limit=50');
    expect(pairs.status).toBe(200);
    expect(pairs.body.items.some((p: { person_a: { id: string }; person_b: { id: string } }) => [p.person_a.id, p.person_b.id].sort().join() === [online.body.id, id].sort().join())).toBe(true);
  });
});

describe('updates made offline: no silent overwrite', () => {
  it('applies a change to a field nobody else changed, and refuses one changed meanwhile with 409 and both values per field', async () => {
    const p = await registerOffline(caseworker, 'Conflicto');
    // Meanwhile, on the server, a supervisor corrects the date of birth.
    expect((await supervisor.patch(`/api/v1/people/${p.id}`, { date_of_birth: '1994-03-02', reason: 'Según el acta.' })).status).toBe(200);
    const base = { date_of_birth: '1994-02-03', surname2: 'Sinred' };
    const conflicting = { operation: 'person.update', id: p.id, made_at: now(), base_version: p.version, base, data: { date_of_birth: '1994-02-04', surname2: 'Sin Red' } };
    const refused = await send(caseworker, conflicting);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('offline_conflict');
    expect(refused.body.details.fields).toEqual([{ field: 'date_of_birth', base: '1994-02-03', server: '1994-03-02', yours: '1994-02-04' }]);
    const server_version = refused.body.details.server_version as string;
    expect((await caseworker.get(`/api/v1/people/${p.id}`)).body.surname2).toBe('Sinred');

    // The caseworker chooses: her surname, the server's date. Sent against the version she was shown.
    const resolved = await send(caseworker, { operation: 'person.update', id: p.id, made_at: now(), base_version: server_version, base: { date_of_birth: '1994-03-02', surname2: 'Sinred' }, data: { date_of_birth: '1994-03-02', surname2: 'Sin Red' } });
    expect(resolved.status).toBe(201);
    const after = (await caseworker.get(`/api/v1/people/${p.id}`)).body;
    expect([after.date_of_birth, after.surname2]).toEqual(['1994-03-02', 'Sin Red']);
  });

  it('a case summary changed on the server meanwhile is a conflict; classifications changed only offline are not', async () => {
    const p = await registerOffline(caseworker, 'Resumen');
    const c = await openCaseOffline(caseworker, p.id);
    const version = (await server.db.selectFrom('cases').select('updated_at').where('id', '=', c.id).executeTakeFirstOrThrow()).updated_at.toISOString();
    expect((await supervisor.patch(`/api/v1/cases/${c.id}`, { summary: 'Resumen del servidor.' })).status).toBe(204);
    const onlyTypes = await send(caseworker, { operation: 'case.update', id: c.id, made_at: now(), base_version: version, base: { crime_types: [] }, data: { crime_types: ['extortion'] } });
    expect(onlyTypes.status).toBe(201);
    const summary = await send(caseworker, { operation: 'case.update', id: c.id, made_at: now(), base_version: version, base: { summary: 'Llegó de noche con su familia.' }, data: { summary: 'Resumen sin conexión.' } });
    expect(summary.status).toBe(409);
    expect(summary.body.details.fields).toEqual([{ field: 'summary', base: 'Llegó de noche con su familia.', server: 'Resumen del servidor.', yours: 'Resumen sin conexión.' }]);
  });

  it('conflictingFields: one-sided changes and equal changes are not conflicts', () => {
    expect(conflictingFields({ a: 2, b: 1, c: 5 }, { a: 1, b: 1, c: 1 }, { a: 3, b: 2, c: 5 }, ['a', 'b', 'c'])).toEqual([{ field: 'a', base: 1, server: 2, yours: 3 }]);
  });
});

describe('keys kept', () => {
  it('drops keys older than four offline windows (at least 30 days), keeps the rest', async () => {
    const old = { id: randomUUID(), k: key() };
    const recent = { id: randomUUID(), k: key() };
    for (const w of [old, recent]) expect((await send(caseworker, { operation: 'person.create', id: w.id, made_at: now(), data: person('Retención') }, w.k)).status).toBe(201);
    await server.db.updateTable('offline_writes').set({ received_at: new Date(Date.now() - 31 * 86_400_000) }).where('idempotency_key', '=', old.k).execute();
    expect(await forgetOldOfflineWrites(server.db, 7)).toBeGreaterThanOrEqual(1);
    const left = await server.db.selectFrom('offline_writes').select('idempotency_key').where('idempotency_key', 'in', [old.k, recent.k]).execute();
    expect(left.map((r) => r.idempotency_key)).toEqual([recent.k]);
  });
});

describe('what a device keeps', () => {
  it('the snapshot holds the user’s recent cases and people, not a colleague’s case', async () => {
    const mine = await registerOffline(caseworker, 'Propia');
    const myCase = await openCaseOffline(caseworker, mine.id);
    const theirs = await registerOffline(otherCaseworker, 'Ajena');
    const theirCase = await openCaseOffline(otherCaseworker, theirs.id);
    const snapshot = await caseworker.get('/api/v1/offline/snapshot');
    expect(snapshot.status).toBe(200);
    const caseIds = snapshot.body.cases.map((c: { id: string }) => c.id);
    expect(caseIds).toContain(myCase.id);
    expect(caseIds).not.toContain(theirCase.id);
    expect(snapshot.body.people.map((p: { id: string }) => p.id)).toContain(mine.id);
    expect(snapshot.body.people.map((p: { id: string }) => p.id)).not.toContain(theirs.id);
    expect(snapshot.body.offline_days).toBe(7);
  });
});
