import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';

let server: TestServer;
let caseworker: ApiClient;
let colleague: ApiClient;
let personId: string;

beforeAll(async () => {
  server = await startTestServer();
  const shelter = await makeInstitution(server.db, { code: 'HIST' });
  caseworker = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, shelter.id, 'caseworker')).email);
  colleague = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, shelter.id, 'caseworker')).email);
  const created = await caseworker.post('/api/v1/people', {
    given_names: 'Ana Lucía',
    surname1: 'Pérez',
    sex: 'female',
    date_of_birth: '1998-03-04',
    nationalities: ['SLV'],
    documents: [{ type: 'passport', number: 'A7654321' }],
  });
  personId = created.body.id;
  // Two corrections, made once for both tests (which run in any order).
  const fixed = await caseworker.patch(`/api/v1/people/${personId}`, { date_of_birth: '1998-04-03', reason: 'Día y mes estaban invertidos' });
  expect(fixed.status).toBe(200);
  expect(fixed.body.date_of_birth).toBe('1998-04-03');
  await caseworker.patch(`/api/v1/people/${personId}`, { documents: [{ type: 'passport', number: 'A7654322' }], nationalities: ['SLV'] });
});
afterAll(async () => server?.close());

describe('corrections of a person’s record', () => {
  it('keeps each correction with who, when, why and the values before and after', async () => {
    const history = await caseworker.get(`/api/v1/people/${personId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.registered.by.display_name).toBeTruthy();
    expect(history.body.corrections).toHaveLength(2);
    expect(history.body.corrections[0]).toMatchObject({ reason: 'Día y mes estaban invertidos', changes: [{ field: 'date_of_birth', from: '1998-03-04', to: '1998-04-03', withheld: false }] });
    // Only what changed is recorded (the nationality was sent unchanged).
    expect(history.body.corrections[1].changes.map((c: { field: string }) => c.field)).toEqual(['documents']);
    expect(history.body.corrections[1].reason).toBeNull();

    // Values are encrypted at rest.
    const raw = await server.db.selectFrom('person_corrections').select(['changes_enc', 'reason_enc']).where('person_id', '=', personId).execute();
    for (const r of raw) expect(`${r.changes_enc} ${r.reason_enc}`).not.toMatch(/1998|A765|invertidos/);
  });

  it('withholds document and contact values from colleagues who do not work with the person', async () => {
    const history = await colleague.get(`/api/v1/people/${personId}/history`);
    expect(history.status).toBe(200);
    const documents = history.body.corrections[1].changes[0];
    expect(documents).toEqual({ field: 'documents', from: null, to: null, withheld: true });
    expect(JSON.stringify(history.body)).not.toContain('A765');
    expect(history.body.corrections[0].changes[0].to).toBe('1998-04-03');
  });
});
