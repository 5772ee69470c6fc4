import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { localDate } from '../platform/dates.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

async function openCase(institutionId: string, folio: string, assignedTo: string | null) {
  const row = await server.db
    .insertInto('cases')
    .values({ institution_id: institutionId, folio, programme: 'shelter', status: 'in_progress', closure_reason: null, opened_on: localDate(), summary_enc: null, assigned_to: assignedTo, origin_referral_id: null, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('the home screen counts what the user can act on', () => {
  it('gives a caseworker her own cases and no count of referrals she may not answer; her supervisor the institution’s, with the referral to answer', async () => {
    const shelter = await makeInstitution(server.db, { code: 'DASHALB' });
    const sender = await makeInstitution(server.db, { code: 'DASHCEAV' });
    const caseworker = await makeUser(server.db, shelter.id, 'caseworker');
    const colleague = await makeUser(server.db, shelter.id, 'caseworker');
    const supervisor = await makeUser(server.db, shelter.id, 'supervisor');
    await openCase(shelter.id, 'DASHALB-1', caseworker.id);
    await openCase(shelter.id, 'DASHALB-2', colleague.id);
    await openCase(shelter.id, 'DASHALB-3', colleague.id);
    const sourceCase = await openCase(sender.id, 'DASHCEAV-1', null);
    await server.db
      .insertInto('referrals')
      .values({ institution_id: sender.id, case_id: sourceCase, to_institution_id: shelter.id, reason: 'Albergue', consent_recorded_on: localDate(), consent_method: 'written', shared_sections: ['participants'], status: 'pending', response_note: null, responded_by: null, responded_at: null, receiving_case_id: null, created_by: null })
      .execute();

    const hers = await (await ApiClient.signIn(server.baseUrl, caseworker.email)).get('/api/v1/dashboard');
    expect(hers.status).toBe(200);
    expect(hers.body).toMatchObject({ scope: 'own', figures: 'exact', cases_by_status: { in_progress: 1 } });
    expect(hers.body).not.toHaveProperty('pending_incoming_referrals');
    expect(hers.body.tasks.filter((t: { kind: string }) => t.kind === 'referral_to_answer')).toEqual([]);

    const theirs = await (await ApiClient.signIn(server.baseUrl, supervisor.email)).get('/api/v1/dashboard');
    expect(theirs.body).toMatchObject({ scope: 'institution', figures: 'exact', cases_by_status: { in_progress: 3 }, pending_incoming_referrals: 1 });
    expect(theirs.body.tasks.filter((t: { kind: string }) => t.kind === 'referral_to_answer').map((t: { folio: string }) => t.folio)).toEqual(['DASHCEAV-1']);
  });
});
