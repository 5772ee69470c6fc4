import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { missingReportBody, personBody } from './fixtures.ts';
import { unreadableFieldCount } from '../src/platform/crypto/unreadable.ts';

/**
 * Issue 14, failure 2: one field that cannot be decrypted (a lost key, a damaged row) answered 500
 * for the whole case page. Now the field is null and named in `unreadable_fields`, the rest of the
 * record is shown, and the event is logged (kind and field only) and counted for /metrics.
 */
let server: TestServer;
let caseworker: ApiClient;
let officer: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  const institution = await makeInstitution(server.db);
  caseworker = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'caseworker')).email);
  officer = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'search_officer')).email);
});
afterAll(() => server.close());

describe('a field that cannot be decrypted', () => {
  it('shows as unreadable on the case page, the other fields intact, and is reported without personal data', async () => {
    const person = (await caseworker.post('/api/v1/people', personBody({ documents: [{ type: 'passport', number: 'DOCSECRET77' }], contact: { phone: '+52 962 000 1111' } }))).body;
    const opened = await caseworker.post('/api/v1/cases', { programme: 'victim_assistance', opened_on: '2024-01-15', summary: 'SUMMARYSECRET resumen del caso', participants: [{ person_id: person.id, role: 'direct_victim' }] });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    expect((await caseworker.post(`/api/v1/cases/${caseId}/services`, { person_id: person.id, service_type: 'legal', provided_on: '2024-02-01', notes: 'SERVICENOTE asesoría' })).status).toBe(201);
    expect((await caseworker.post(`/api/v1/cases/${caseId}/notes`, { body: 'NOTEONE primera nota' })).status).toBe(201);
    expect((await caseworker.post(`/api/v1/cases/${caseId}/notes`, { body: 'NOTETWO segunda nota' })).status).toBe(201);
    const attachment = await caseworker.request('POST', `/api/v1/cases/${caseId}/attachments?filename=acta.txt`, 'ATTACHMENTBODY contenido', { 'content-type': 'text/plain' });
    expect(attachment.status).toBe(201);

    const notes = await server.db.selectFrom('case_notes').select(['id', 'body_enc']).where('case_id', '=', caseId).orderBy('created_at').execute();
    const damaged = notes[0]!;
    // One note damaged in place (a flipped byte: authentication fails), the summary under a key the ring does not hold.
    const [keyId, box] = [damaged.body_enc.slice(0, damaged.body_enc.indexOf(':')), Buffer.from(damaged.body_enc.slice(damaged.body_enc.indexOf(':') + 1), 'base64')];
    box[box.length - 1]! ^= 0xff;
    await server.db.updateTable('case_notes').set({ body_enc: `${keyId}:${box.toString('base64')}` }).where('id', '=', damaged.id).execute();
    await server.db.updateTable('cases').set({ summary_enc: 'k9:AAAA' }).where('id', '=', caseId).execute();
    await server.db.updateTable('attachments').set({ content_enc: Buffer.from([2, 107, 57, 1, 2, 3]) }).where('case_id', '=', caseId).execute();
    const countBefore = unreadableFieldCount();

    const page = await caseworker.get(`/api/v1/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.body.summary).toBeNull();
    expect(page.body.unreadable_fields.sort()).toEqual(['summary', `notes.${damaged.id}.body`].sort());
    const bodies = page.body.notes.map((n: { body: string | null }) => n.body);
    expect(bodies).toContain(null);
    expect(bodies).toContain('NOTETWO segunda nota');
    expect(page.body.services[0].notes).toBe('SERVICENOTE asesoría');
    expect(page.body.attachments[0].filename).toBe('acta.txt');
    expect(page.body.folio).toBe(opened.body.folio);
    expect(unreadableFieldCount()).toBe(countBefore + 2);

    // The attachment whose content cannot be opened: a clear 409, not a 500.
    const download = await caseworker.get(`/api/v1/cases/${caseId}/attachments/${attachment.body.id}`);
    expect(download.status).toBe(409);
    expect(download.body.code).toBe('field_unreadable');

    const warnings = server.logs.filter((line) => line.includes('could not be decrypted'));
    expect(warnings.length).toBeGreaterThanOrEqual(3);
    expect(warnings.join('')).toContain('"field":"notes.*.body"');
    for (const secret of ['NOTEONE', 'SUMMARYSECRET', damaged.id, caseId]) expect(warnings.join('')).not.toContain(secret);
  });

  it('shows a person’s unreadable documents as such and refuses to write the contact over them', async () => {
    const person = (await caseworker.post('/api/v1/people', personBody({ documents: [{ type: 'passport', number: 'DOCSECRET88' }], contact: { phone: '+52 962 000 2222' } }))).body;
    await server.db.updateTable('people').set({ documents_enc: 'k1:bm90IGEgYm94' }).where('id', '=', person.id).execute();
    const read = await caseworker.get(`/api/v1/people/${person.id}`);
    expect(read.status).toBe(200);
    expect(read.body.unreadable_fields).toEqual(['documents']);
    expect(read.body.contact.phone).toBe('+52 962 000 2222');
    const patch = await caseworker.patch(`/api/v1/people/${person.id}`, { contact: { phone: '+52 962 000 3333' } });
    expect(patch.status).toBe(409);
    expect(patch.body.code).toBe('field_unreadable');
  });

  it('shows a missing-person report with an unreadable narrative', async () => {
    const created = await officer.post('/api/v1/missing/reports', missingReportBody({ circumstance: 'CIRCSECRET salió de Tapachula', dental_notes: 'corona de oro' }));
    expect(created.status).toBe(201);
    const id = created.body.report.id as string;
    await server.db.updateTable('missing_reports').set({ circumstance_enc: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }).where('id', '=', id).execute();
    const read = await officer.get(`/api/v1/missing/reports/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.circumstance).toBeNull();
    expect(read.body.unreadable_fields).toEqual(['circumstance']);
    expect(read.body.dental_notes).toBe('corona de oro');
  });
});
