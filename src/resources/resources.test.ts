import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, signedIn, startTestServer, type SignedIn, type TestServer } from '../../test/helpers.ts';

/**
 * Programme resources through HTTP: points with their coverage and staff, kept by an administrator or
 * the administrator of the institution that runs the programme; rescues and transfers recorded by its staff; bad input refused
 * whole; another institution's point neither changed nor used.
 */
let server: TestServer;
let admin: ApiClient;
let officer: ApiClient;
let otherAdmin: ApiClient;
let otherOfficer: ApiClient;
let policeId: string;

beforeAll(async () => {
  server = await startTestServer();
  const police = await makeInstitution(server.db, { type: 'federal_agency' });
  const other = await makeInstitution(server.db, { type: 'federal_agency' });
  policeId = police.id;
  admin = await ApiClient.forSession(server, (await makeUser(server.db, police.id, 'administrator')).email);
  officer = await ApiClient.forSession(server, (await makeUser(server.db, police.id, 'caseworker')).email);
  otherAdmin = await ApiClient.forSession(server, (await makeUser(server.db, other.id, 'administrator')).email);
  otherOfficer = await ApiClient.forSession(server, (await makeUser(server.db, other.id, 'supervisor')).email);
});
afterAll(async () => server?.close());

const point = (extra: Record<string, unknown> = {}) => ({ name: 'Punto de despliegue Altar', kind: 'deployment_point', municipalities: ['26004'], staff: 56, staff_role: 'officer', active_from: '2019-05-02', ...extra });

describe('programme points', () => {
  it('records points with their coverage and staff, and counts those in operation today', async () => {
    const before = (await admin.get('/api/v1/resources/points')).body.totals;
    const a = await admin.post('/api/v1/resources/points', point({ municipalities: ['26004', '26017', '02004'] }));
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({ states: ['02', '26'], staff: 56, active_to: null });
    const closed = await admin.post('/api/v1/resources/points', point({ staff: 40, active_to: '2019-08-15' }));
    expect(closed.status).toBe(201);
    const listed = await admin.get('/api/v1/resources/points');
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([a.body.id, closed.body.id]));
    expect(listed.body.totals.points - before.points).toBe(1);
    expect(listed.body.totals.staff - before.staff).toBe(56);
  });

  it('corrects the staff and closes a point; another institution gets 404 and its refusal is audited', async () => {
    const a = await admin.post('/api/v1/resources/points', point());
    const patched = await admin.patch(`/api/v1/resources/points/${a.body.id}`, { staff: 60, active_to: '2019-12-31' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ staff: 60, active_to: '2019-12-31', name: 'Punto de despliegue Altar' });
    const inverted = await admin.patch(`/api/v1/resources/points/${a.body.id}`, { active_to: '2019-01-01' });
    expect(inverted.status).toBe(400);
    const foreign = await otherAdmin.patch(`/api/v1/resources/points/${a.body.id}`, { staff: 1 });
    expect(foreign.status).toBe(404);
    const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', a.body.id).execute();
    expect(audit.map((r) => r.action).sort()).toEqual(['resource_point.created', 'resource_point.update_denied', 'resource_point.updated']);
  });

  it('refuses bad points whole, with the field named', async () => {
    for (const bad of [point({ municipalities: [] }), point({ municipalities: ['99001'] }), point({ municipalities: ['26004', '26004'] }), point({ staff: -1 }), point({ active_to: '2019-01-01' }), point({ kind: 'barracks' })]) {
      const res = await admin.post('/api/v1/resources/points', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await officer.post('/api/v1/resources/points', point())).status).toBe(403);
  });
});

describe('rescues and transfers', () => {
  it('records them at the institution’s points within their dates, and totals them', async () => {
    const a = await admin.post('/api/v1/resources/points', point({ active_from: '2019-05-02', active_to: '2019-09-30' }));
    const base = '/api/v1/resources/operations?from=2019-01-01&to=2019-12-31';
    const before = (await officer.get(base)).body.totals;
    expect((await officer.post('/api/v1/resources/operations', { kind: 'rescue', point_id: a.body.id, occurred_on: '2019-06-10', people: 23 })).status).toBe(201);
    expect((await officer.post('/api/v1/resources/operations', { kind: 'rescue', occurred_on: '2019-02-10', people: 7 })).status).toBe(201);
    expect((await officer.post('/api/v1/resources/operations', { kind: 'transfer', mode: 'road', point_id: a.body.id, occurred_on: '2019-06-11', people: 20 })).status).toBe(201);
    expect((await officer.post('/api/v1/resources/operations', { kind: 'transfer', mode: 'air', occurred_on: '2019-06-12', people: 3 })).status).toBe(201);
    const after = (await officer.get(base)).body.totals;
    expect({ rescues: after.rescues - before.rescues, rescued: after.rescued - before.rescued, road: after.moved_by_road - before.moved_by_road, air: after.moved_by_air - before.moved_by_air }).toEqual({ rescues: 2, rescued: 30, road: 20, air: 3 });

    const outside = await officer.post('/api/v1/resources/operations', { kind: 'rescue', point_id: a.body.id, occurred_on: '2019-04-30', people: 5 });
    expect([outside.status, outside.body.code]).toEqual([400, 'operation_outside_point_dates']);
    const foreign = await otherOfficer.post('/api/v1/resources/operations', { kind: 'rescue', point_id: a.body.id, occurred_on: '2019-06-10', people: 5 });
    expect([foreign.status, foreign.body.code]).toEqual([400, 'resource_point_not_found']);
    for (const bad of [{ kind: 'transfer', occurred_on: '2019-06-10', people: 5 }, { kind: 'rescue', mode: 'air', occurred_on: '2019-06-10', people: 5 }, { kind: 'rescue', occurred_on: '2019-06-10', people: 0 }, { kind: 'rescue', occurred_on: '2999-01-01', people: 5 }]) {
      const res = await officer.post('/api/v1/resources/operations', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await officer.get(base)).body.totals).toEqual(after);
  });
});

describe('corrections of rescues and transfers, and changes of points, with their history', () => {
  let recorder: SignedIn;
  let recorderEn: ApiClient;
  beforeAll(async () => {
    recorder = await signedIn(server, policeId, 'caseworker');
    recorderEn = await ApiClient.forSession(server, (await makeUser(server.db, policeId, 'supervisor')).email, 'en');
  });

  it('corrects an operation with a reason, keeps the values before and after, and audits it', async () => {
    const op = await recorder.post('/api/v1/resources/operations', { kind: 'transfer', mode: 'road', state: '26', occurred_on: '2019-07-01', people: 40 });
    expect(op.status, op.text).toBe(201);
    expect(op.body).toMatchObject({ state: '26', corrections: 0 });
    const fixed = await recorder.patch(`/api/v1/resources/operations/${op.body.id}`, { mode: 'air', people: 4, reason: 'Fue un vuelo, no un autobús' });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.body).toMatchObject({ kind: 'transfer', mode: 'air', people: 4, state: '26', occurred_on: '2019-07-01', corrections: 1 });

    // Another person of the institution corrects it again: both corrections stay, oldest first.
    expect((await recorderEn.patch(`/api/v1/resources/operations/${op.body.id}`, { occurred_on: '2019-07-02', reason: 'Fecha del vuelo' })).status).toBe(200);
    const history = await recorder.get(`/api/v1/resources/operations/${op.body.id}/history`);
    expect(history.status, history.text).toBe(200);
    expect(history.body.recorded.by.id).toBe(recorder.userId);
    expect(history.body.corrections).toHaveLength(2);
    expect(history.body.corrections[0]).toMatchObject({ by: { id: recorder.userId }, reason: 'Fue un vuelo, no un autobús' });
    expect(history.body.corrections[0].changes).toEqual([{ field: 'mode', from: 'road', to: 'air' }, { field: 'people', from: 40, to: 4 }]);
    expect(history.body.corrections[1].changes).toEqual([{ field: 'occurred_on', from: '2019-07-01', to: '2019-07-02' }]);
    expect(history.body.operation).toMatchObject({ mode: 'air', occurred_on: '2019-07-02', corrections: 2 });

    const listed = (await recorder.get('/api/v1/resources/operations?from=2019-07-02&to=2019-07-02&kind=air')).body;
    expect(listed.items.find((i: { id: string }) => i.id === op.body.id)).toMatchObject({ people: 4, corrections: 2 });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'detail']).where('record_id', '=', op.body.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['field_operation.recorded', 'field_operation.corrected', 'field_operation.corrected']);
    expect(audit[1]!.detail).toMatchObject({ fields: ['mode', 'people'] });
  });

  it('refuses a correction without a reason, or that leaves a transfer without its means, in words, and changes nothing', async () => {
    const op = await recorder.post('/api/v1/resources/operations', { kind: 'rescue', state: '02', occurred_on: '2019-07-05', people: 12 });
    const es = await recorder.patch(`/api/v1/resources/operations/${op.body.id}`, { people: 13 });
    const en = await recorderEn.patch(`/api/v1/resources/operations/${op.body.id}`, { people: 13 });
    expect([es.status, es.body.code, en.status, en.body.code]).toEqual([400, 'validation_failed', 400, 'validation_failed']);
    expect(es.body.issues.map((i: { path: string }) => i.path)).toContain('reason');
    expect(es.body.message).not.toBe(en.body.message);
    const blank = await recorder.patch(`/api/v1/resources/operations/${op.body.id}`, { people: 13, reason: '   ' });
    expect(blank.status).toBe(400);
    const noMode = await recorder.patch(`/api/v1/resources/operations/${op.body.id}`, { kind: 'transfer', reason: 'Era un traslado' });
    expect([noMode.status, noMode.body.code]).toEqual([400, 'operation_mode_mismatch']);
    const noModeEn = await recorderEn.patch(`/api/v1/resources/operations/${op.body.id}`, { kind: 'transfer', reason: 'It was a transfer' });
    expect(noModeEn.body.message).toMatch(/transfer/);
    const history = (await recorder.get(`/api/v1/resources/operations/${op.body.id}/history`)).body;
    expect(history.corrections).toEqual([]);
    expect(history.operation).toMatchObject({ kind: 'rescue', people: 12 });
    // Correcting a rescue into a transfer with its means is a correction like any other.
    const ok = await recorder.patch(`/api/v1/resources/operations/${op.body.id}`, { kind: 'transfer', mode: 'road', reason: 'Era un traslado por carretera' });
    expect(ok.status, ok.text).toBe(200);
  });

  it('another institution can neither correct nor read an operation (404, refusal audited); a role without the capability gets 403', async () => {
    const op = await recorder.post('/api/v1/resources/operations', { kind: 'rescue', occurred_on: '2019-07-06', people: 5 });
    const foreign = await otherOfficer.patch(`/api/v1/resources/operations/${op.body.id}`, { people: 50, reason: 'Intento ajeno' });
    expect(foreign.status).toBe(404);
    expect((await otherOfficer.get(`/api/v1/resources/operations/${op.body.id}/history`)).status).toBe(404);
    expect((await admin.patch(`/api/v1/resources/operations/${op.body.id}`, { people: 50, reason: 'Sin permiso' })).status).toBe(403);
    const denied = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', op.body.id).where('action', 'in', ['field_operation.correct_denied', 'field_operation.read_denied']).execute();
    expect(denied.map((a) => a.action).sort()).toEqual(['field_operation.correct_denied', 'field_operation.read_denied']);
    expect((await recorder.get(`/api/v1/resources/operations/${op.body.id}/history`)).body.operation.people).toBe(5);
  });

  it('takes the state of the point an operation was recorded at, and checks a new point or date', async () => {
    const p = await admin.post('/api/v1/resources/points', point({ municipalities: ['02004'], active_from: '2019-05-02', active_to: '2019-09-30' }));
    const op = await recorder.post('/api/v1/resources/operations', { kind: 'rescue', point_id: p.body.id, occurred_on: '2019-06-01', people: 8 });
    expect(op.body.state).toBe('02');
    const late = await recorder.patch(`/api/v1/resources/operations/${op.body.id}`, { occurred_on: '2019-10-02', reason: 'Otra fecha' });
    expect([late.status, late.body.code]).toEqual([400, 'operation_outside_point_dates']);
  });

  it('keeps the history of a point: staff changed with a reason, then closed', async () => {
    const p = await admin.post('/api/v1/resources/points', point({ staff: 30 }));
    expect((await admin.patch(`/api/v1/resources/points/${p.body.id}`, { staff: 34, reason: 'Llegaron cuatro elementos' })).status).toBe(200);
    expect((await admin.patch(`/api/v1/resources/points/${p.body.id}`, { active_to: '2019-11-30' })).status).toBe(200);
    const history = await admin.get(`/api/v1/resources/points/${p.body.id}/history`);
    expect(history.status, history.text).toBe(200);
    expect(history.body.corrections.map((c: { reason: string | null; changes: unknown }) => [c.reason, c.changes])).toEqual([
      ['Llegaron cuatro elementos', [{ field: 'staff', from: 30, to: 34 }]],
      [null, [{ field: 'active_to', from: null, to: '2019-11-30' }]],
    ]);
    expect((await otherAdmin.get(`/api/v1/resources/points/${p.body.id}/history`)).status).toBe(404);
  });
});
