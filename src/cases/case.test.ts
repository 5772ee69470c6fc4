import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, samplePerson, signedIn, startTestServer, type SignedIn, type TestServer } from '../../test/helpers.ts';
import { COUNT_CAP } from './case.service.ts';

let server: TestServer;
let ceav: { id: string };
let shelter: { id: string };
let caseworker: SignedIn;
let supervisor: ApiClient;
let shelterSupervisor: ApiClient;
let caseworkerId: string;

const person = (overrides: Record<string, unknown> = {}) =>
  samplePerson({ languages: ['spa'], documents: [{ type: 'passport', number: 'F1234567', issuer: 'HND' }], contact: { phone: '+504 9999 1234' }, ...overrides });

beforeAll(async () => {
  server = await startTestServer();
  ceav = await makeInstitution(server.db, { code: 'CEAV', name: 'Comisión Ejecutiva de Atención a Víctimas' });
  shelter = await makeInstitution(server.db, { code: 'ALB1', name: 'Albergue Hermanos en el Camino', type: 'shelter' });
  caseworker = await signedIn(server, ceav.id, 'caseworker');
  caseworkerId = caseworker.userId;
  supervisor = await signedIn(server, ceav.id, 'supervisor');
  shelterSupervisor = await signedIn(server, shelter.id, 'supervisor');
});
afterAll(async () => server.close());

describe('a case from registration to referral', () => {
  it('registers people, opens a case with a direct and an indirect victim, records services, refers it and the other institution accepts', async () => {
    const victim = await caseworker.post('/api/v1/people', person());
    expect(victim.status).toBe(201);
    expect(victim.body.documents[0].number).toBe('F1234567');
    const brother = await caseworker.post('/api/v1/people', person({ given_names: 'José Luis', sex: 'male', date_of_birth: '1985-01-01', documents: [], contact: null }));
    expect(brother.status).toBe(201);

    // Encrypted at rest: the document number and phone are not in the row as plain text.
    const raw = await server.db.selectFrom('people').select(['documents_enc', 'contact_enc']).where('id', '=', victim.body.id).executeTakeFirstOrThrow();
    expect(raw.documents_enc).not.toContain('F1234567');
    expect(raw.contact_enc).not.toContain('9999');

    const opened = await caseworker.post('/api/v1/cases', {
      programme: 'victim_assistance',
      opened_on: '2019-03-01',
      summary: 'Extorsión en la ruta por Chiapas.',
      crime_types: ['extortion'],
      participants: [
        { person_id: victim.body.id, role: 'direct_victim' },
        { person_id: brother.body.id, role: 'indirect_victim', relationship: 'hermano' },
      ],
    });
    expect(opened.status).toBe(201);
    expect(opened.body.folio).toMatch(/^CEAV-2019-\d{6}$/); // numbered in the institution's year (other tests may have opened cases first)
    const caseId = opened.body.id;

    expect((await caseworker.post(`/api/v1/cases/${caseId}/services`, { person_id: victim.body.id, service_type: 'psychological_first_aid', provided_on: '2019-03-02', provider_unit: 'Unidad Tapachula' })).status).toBe(201);
    expect((await caseworker.post(`/api/v1/cases/${caseId}/services`, { person_id: brother.body.id, service_type: 'legal', provided_on: '2019-03-05' })).status).toBe(201);
    expect((await caseworker.post(`/api/v1/cases/${caseId}/notes`, { body: 'Se acordó seguimiento semanal.' })).status).toBe(201);
    const upload = await caseworker.request('POST', `/api/v1/cases/${caseId}/attachments?filename=acta.pdf`, new TextEncoder().encode('%PDF-1.4 test'), { 'content-type': 'application/pdf' });
    expect(upload.status).toBe(201);
    expect(upload.body.sha256).toMatch(/^[0-9a-f]{64}$/);

    const referral = await caseworker.post(`/api/v1/cases/${caseId}/referrals`, {
      to_institution_id: shelter.id,
      reason: 'Necesita alojamiento seguro.',
      consent_recorded_on: '2019-03-05',
      consent_method: 'written',
      shared_sections: ['services'],
    });
    expect(referral.status).toBe(201);
    expect(referral.body.shared_sections).toEqual(['participants', 'services']);

    // Before acceptance the shelter cannot see the case.
    expect((await shelterSupervisor.get(`/api/v1/cases/${caseId}`)).status).toBe(404);
    const incoming = await shelterSupervisor.get('/api/v1/referrals?direction=incoming&status=pending');
    expect(incoming.body.items.map((r: { id: string }) => r.id)).toEqual([referral.body.id]);
    const accepted = await shelterSupervisor.post(`/api/v1/referrals/${referral.body.id}/accept`, { programme: 'shelter' });
    expect(accepted.status).toBe(200);

    const shared = await shelterSupervisor.get(`/api/v1/cases/${caseId}`);
    expect(shared.status).toBe(200);
    expect(shared.body.view).toBe('shared');
    expect(shared.body.participants).toHaveLength(2);
    expect(shared.body.services).toHaveLength(2);
    expect(shared.body.notes).toEqual([]);
    expect(shared.body.summary).toBeNull();
    expect(shared.body.attachments).toEqual([]);
    const receiving = await shelterSupervisor.get(`/api/v1/cases/${accepted.body.receiving_case_id}`);
    expect(receiving.body.folio).toMatch(/^ALB1-\d{4}-000001$/);
    expect(receiving.body.participants.map((p: { person: { id: string } }) => p.person.id).sort()).toEqual([victim.body.id, brother.body.id].sort());

    const full = await caseworker.get(`/api/v1/cases/${caseId}`);
    expect(full.body.status).toBe('in_progress');
    expect(full.body.summary).toBe('Extorsión en la ruta por Chiapas.');
    expect(full.body.referrals[0].status).toBe('accepted');
    expect(full.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['case.opened', 'service.recorded', 'service.recorded', 'note.added', 'attachment.added', 'referral.sent', 'referral.accepted']);

    const download = await caseworker.request('GET', `/api/v1/cases/${caseId}/attachments/${upload.body.id}`);
    expect(download.status).toBe(200);
    expect(download.body).toBe('%PDF-1.4 test');

    const actions = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', caseId).execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['case.created', 'case.service_added', 'case.note_added', 'case.read', 'case.read_shared', 'case.attachment_downloaded']));
  });
});

describe('refusals', () => {
  it('rolls back a case whose participant is not visible, leaving no half record', async () => {
    const before = await server.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const stranger = await shelterSupervisor.post('/api/v1/people', person({ given_names: 'Otra' }));
    const attempt = await caseworker.post('/api/v1/cases', { programme: 'legal_aid', opened_on: '2019-01-01', participants: [{ person_id: stranger.body.id, role: 'applicant' }] });
    expect(attempt.status).toBe(400);
    expect(attempt.body.code).toBe('person_not_visible');
    const after = await server.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses a birth after the case opened, dates in the future and unknown vocabulary', async () => {
    const baby = await caseworker.post('/api/v1/people', person({ given_names: 'Bebé', date_of_birth: '2019-06-01' }));
    const early = await caseworker.post('/api/v1/cases', { programme: 'health', opened_on: '2019-01-01', participants: [{ person_id: baby.body.id, role: 'applicant' }] });
    expect(early.body.code).toBe('birth_after_case_opened');
    const future = await caseworker.post('/api/v1/people', person({ date_of_birth: '2999-01-01' }));
    expect(future.status).toBe(400);
    expect(future.body.issues[0].path).toBe('date_of_birth');
    const unknown = await caseworker.post('/api/v1/cases', { programme: 'astrology', opened_on: '2019-01-01', participants: [{ person_id: baby.body.id, role: 'applicant' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues[0].path).toBe('programme');
  });

  it('answers 404 to another institution and audits the attempt', async () => {
    const p = await caseworker.post('/api/v1/people', person({ given_names: 'Secreta' }));
    const c = await caseworker.post('/api/v1/cases', { programme: 'legal_aid', opened_on: '2019-02-01', participants: [{ person_id: p.body.id, role: 'applicant' }] });
    const peek = await shelterSupervisor.get(`/api/v1/cases/${c.body.id}`);
    expect(peek.status).toBe(404);
    expect((await shelterSupervisor.get(`/api/v1/people/${p.body.id}`)).status).toBe(404);
    const denied = await server.db.selectFrom('audit_log').select('action').where('record_id', 'in', [c.body.id, p.body.id]).where('institution_id', '=', shelter.id).execute();
    expect(denied.map((d) => d.action).sort()).toEqual(['case.access_denied', 'person.read_denied']);
  });

  it('lets only supervisors close, with a reason', async () => {
    const p = await caseworker.post('/api/v1/people', person({ given_names: 'Cierre' }));
    const c = await caseworker.post('/api/v1/cases', { programme: 'legal_aid', opened_on: '2019-02-01', participants: [{ person_id: p.body.id, role: 'applicant' }] });
    expect((await caseworker.patch(`/api/v1/cases/${c.body.id}`, { status: 'closed', closure_reason: 'services_completed' })).status).toBe(403);
    expect((await supervisor.patch(`/api/v1/cases/${c.body.id}`, { status: 'closed' })).body.code).toBe('closure_reason_required');
    expect((await supervisor.patch(`/api/v1/cases/${c.body.id}`, { status: 'closed', closure_reason: 'services_completed', closed_on: '2019-03-01' })).status).toBe(204);
    const wrong = await supervisor.patch(`/api/v1/cases/${c.body.id}`, { status: 'in_progress' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid_status_transition');
  });
});

describe('listing and search', () => {
  it('shows a caseworker only their cases and a supervisor all of the institution', async () => {
    // An institution of its own, so that no other test's cases are counted.
    const institution = await makeInstitution(server.db, { name: 'Comisión de la prueba de listas' });
    const cw = await makeUser(server.db, institution.id, 'caseworker');
    const caseworkerId = cw.id;
    const caseworker = await ApiClient.signIn(server.baseUrl, cw.email);
    const supervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'supervisor')).email);
    const registered = await caseworker.post('/api/v1/people', person());
    expect(registered.status).toBe(201);
    expect((await caseworker.post('/api/v1/cases', { programme: 'legal_aid', opened_on: '2019-01-10', participants: [{ person_id: registered.body.id, role: 'applicant' }] })).status).toBe(201);
    const otherCw = await makeUser(server.db, institution.id, 'caseworker');
    const other = await ApiClient.signIn(server.baseUrl, otherCw.email);
    const mine = await caseworker.get('/api/v1/cases?limit=100');
    const theirs = await other.get('/api/v1/cases?limit=100');
    const all = await supervisor.get('/api/v1/cases?limit=100');
    expect(mine.body.total).toBeGreaterThan(0);
    expect(theirs.body.total).toBe(0);
    expect(all.body.total).toBe(mine.body.total);
    expect(mine.body.items.every((c: { assigned_to: { id: string } }) => c.assigned_to.id === caseworkerId)).toBe(true);
    // A colleague sees who a person is, but not their documents or contact, until a case brings them together.
    const caseOfMine = await caseworker.get(`/api/v1/cases/${mine.body.items[0].id}`);
    const personId = caseOfMine.body.participants[0].person.id;
    const before = await other.get(`/api/v1/people/${personId}`);
    expect(before.status).toBe(200);
    expect(before.body.details_restricted).toBe(true);
    expect(before.body.documents).toEqual([]);
    expect(before.body.contact).toBeNull();
    expect((await supervisor.get(`/api/v1/people/${personId}`)).body.details_restricted).toBe(false);
    // The supervisor opens one case to the other caseworker.
    await supervisor.post(`/api/v1/cases/${mine.body.items[0].id}/access`, { user_id: otherCw.id });
    expect((await other.get('/api/v1/cases')).body.total).toBe(1);
    expect((await other.get(`/api/v1/people/${personId}`)).body.details_restricted).toBe(false);
  });

  it('finds a person despite accents, case, a missing second surname and a typo', async () => {
    expect((await caseworker.post('/api/v1/people', person())).status).toBe(201);
    expect((await caseworker.post('/api/v1/people', person({ given_names: 'Secreta' }))).status).toBe(201);
    for (const q of ['maria guadalupe hernandez', 'MARÍA GUADALUPE HERNÁNDEZ LÓPEZ', 'Maria Guadalupe Hernandes Lopez', 'guadalupe hernandez lopez']) {
      const found = await caseworker.get(`/api/v1/people/search?q=${encodeURIComponent(q)}&sex=female`);
      expect(found.status, q).toBe(200);
      expect(found.body.items[0]?.given_names, q).toBe('María Guadalupe');
    }
    const elsewhere = await shelterSupervisor.get(`/api/v1/people/search?q=${encodeURIComponent('Secreta Hernández')}`);
    expect(elsewhere.body.items.find((i: { given_names: string }) => i.given_names === 'Secreta')).toBeUndefined();
  });
});

describe('large institutions', () => {
  it('stops counting past the cap and says the total is a lower bound', async () => {
    const big = await makeInstitution(server.db, { code: 'BIG', name: 'Institución grande' });
    const boss = await makeUser(server.db, big.id, 'supervisor');
    await sql`
      insert into cases (institution_id, folio, programme, status, opened_on)
      select ${big.id}::uuid, 'BIG-2019-' || lpad(n::text, 6, '0'), 'shelter', 'open', date '2019-01-01' + (n % 300)
      from generate_series(1, ${COUNT_CAP + 5}) as n`.execute(server.db);
    const client = await ApiClient.signIn(server.baseUrl, boss.email);
    const listed = await client.get('/api/v1/cases?limit=10');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: COUNT_CAP, total_is_lower_bound: true });
    expect(listed.body.items).toHaveLength(10);
    const few = await client.get('/api/v1/cases?opened_from=2019-01-01&opened_to=2019-01-01&limit=100');
    expect(few.body.total_is_lower_bound).toBe(false);
    expect(few.body.total).toBe(few.body.items.length);
  });
});

describe('the case list', () => {
  it('shows participants’ names, direct victims first, and finds cases by a participant’s name with a typo and no second surname', async () => {
    const victim = await supervisor.post('/api/v1/people', person({ given_names: 'Yesenia Marisol', surname1: 'Quintanilla', surname2: 'Barahona', documents: [] }));
    const mother = await supervisor.post('/api/v1/people', person({ given_names: 'Dolores', surname1: 'Barahona', surname2: null, date_of_birth: '1970-02-02', documents: [] }));
    const opened = await supervisor.post('/api/v1/cases', {
      programme: 'victim_assistance',
      opened_on: '2026-11-30',
      participants: [
        { person_id: mother.body.id, role: 'indirect_victim', relationship: 'madre' },
        { person_id: victim.body.id, role: 'direct_victim' },
      ],
    });
    expect(opened.status).toBe(201);

    const found = await supervisor.get('/api/v1/cases?name=yesenia%20quintanila');
    expect(found.status).toBe(200);
    const item = found.body.items.find((c: { id: string }) => c.id === opened.body.id);
    expect(item.participants.map((p: { name: string; role: string }) => [p.name, p.role])).toEqual([
      ['Yesenia Marisol Quintanilla Barahona', 'direct_victim'],
      ['Dolores Barahona', 'indirect_victim'],
    ]);
    expect(found.body.items.every((c: { participants: { name: string }[] }) => c.participants.some((p) => /Quintanilla/.test(p.name)))).toBe(true);

    // Another institution's supervisor finds nothing by that name.
    const elsewhere = await shelterSupervisor.get('/api/v1/cases?name=yesenia%20quintanilla');
    expect(elsewhere.body.items).toEqual([]);
    // The names shown are audited with the list.
    const audit = await server.db.selectFrom('audit_log').select('detail').where('action', '=', 'case.listed').orderBy('id', 'desc').limit(3).execute();
    expect(audit.some((a) => JSON.stringify(a.detail).includes(victim.body.id))).toBe(true);
  });
});

describe('correcting a service', () => {
  it('changes its type and date, keeps the change in the timeline and refuses a date before the case opened', async () => {
    const p = await supervisor.post('/api/v1/people', person({ given_names: 'Rosa Elvira', documents: [] }));
    const opened = await supervisor.post('/api/v1/cases', { programme: 'health', opened_on: '2026-10-01', participants: [{ person_id: p.body.id, role: 'direct_victim' }] });
    const service = await supervisor.post(`/api/v1/cases/${opened.body.id}/services`, { person_id: p.body.id, service_type: 'legal', provided_on: '2026-10-02' });
    const fixed = await supervisor.patch(`/api/v1/cases/${opened.body.id}/services/${service.body.id}`, { service_type: 'medical', provided_on: '2026-10-03' });
    expect(fixed.status).toBe(204);
    const full = await supervisor.get(`/api/v1/cases/${opened.body.id}`);
    expect(full.body.services[0]).toMatchObject({ service_type: 'medical', provided_on: '2026-10-03' });
    const event = full.body.timeline.find((e: { kind: string }) => e.kind === 'service.corrected');
    expect(event.data).toMatchObject({ fields: ['service_type', 'provided_on'], from: { service_type: 'legal', provided_on: '2026-10-02' }, to: { service_type: 'medical', provided_on: '2026-10-03' } });
    const early = await supervisor.patch(`/api/v1/cases/${opened.body.id}/services/${service.body.id}`, { provided_on: '2026-09-01' });
    expect([early.status, early.body.code]).toEqual([400, 'date_before_case_opened']);
    const other = await shelterSupervisor.patch(`/api/v1/cases/${opened.body.id}/services/${service.body.id}`, { service_type: 'food' });
    expect(other.status).toBe(404);
  });
});

describe('a case file opened through a consulate (the Mecanismo de Apoyo Exterior)', () => {
  it('keeps the consulate it was opened through, and refuses an institution that is not a consulate', async () => {
    const consulate = await makeInstitution(server.db, { name: 'Consulado de México en San Pedro Sula', type: 'consulate', country: 'HND', state_code: null });
    const disappeared = await supervisor.post('/api/v1/people', person({ given_names: 'Wilmer', sex: 'male', documents: [], contact: null }));
    const mother = await supervisor.post('/api/v1/people', person({ given_names: 'Dania', documents: [], contact: null }));
    const body = { programme: 'victim_assistance', opened_on: '2019-03-04', crime_types: ['disappearance'], participants: [{ person_id: disappeared.body.id, role: 'direct_victim' }, { person_id: mother.body.id, role: 'indirect_victim', relationship: 'madre' }] };
    const opened = await supervisor.post('/api/v1/cases', { ...body, through_consulate_id: consulate.id });
    expect(opened.status, opened.text).toBe(201);
    const view = await supervisor.get(`/api/v1/cases/${opened.body.id}`);
    expect(view.body.through_consulate).toEqual({ id: consulate.id, name: 'Consulado de México en San Pedro Sula', code: expect.any(String) });
    const inPerson = await supervisor.post('/api/v1/cases', body);
    expect((await supervisor.get(`/api/v1/cases/${inPerson.body.id}`)).body.through_consulate).toBeNull();
    const refused = await supervisor.post('/api/v1/cases', { ...body, through_consulate_id: shelter.id });
    expect([refused.status, refused.body.code]).toEqual([400, 'case_consulate_invalid']);
  });
});
