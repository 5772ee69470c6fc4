import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';

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

beforeAll(async () => {
  server = await startTestServer();
  const police = await makeInstitution(server.db, { type: 'federal_agency' });
  const other = await makeInstitution(server.db, { type: 'federal_agency' });
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
