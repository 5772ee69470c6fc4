import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { personBody } from '../../test/fixtures.ts';
import { localDate } from '../platform/dates.ts';
import { favourableVerification } from './reunification.service.ts';

/**
 * The child-protection module through HTTP on a real PostgreSQL: a child identified, notified, placed
 * with a family, her best interests determined by a panel, an adult verified, the child reunified and
 * followed up; and the rules that protect her on the way.
 */

let server: TestServer;
let officer: ApiClient;
let supervisor: ApiClient;
let outsider: ApiClient;
let panel: { client: ApiClient; id: string; profession: string; institution: string }[];
let bystander: ApiClient;
let procuraduria: { id: string };

const today = localDate();
/** Days before the deployment's today (negative: after), as the server counts days. */
const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const yearsAgo = (n: number) => `${Number(today.slice(0, 4)) - n}${today.slice(4)}`;

async function person(client: ApiClient, overrides: Record<string, unknown>) {
  const res = await client.post('/api/v1/people', personBody(overrides));
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function openFile(client: ApiClient, personId: string, overrides: Record<string, unknown> = {}) {
  return client.post('/api/v1/children', {
    person_id: personId,
    opened_on: daysAgo(3),
    accompaniment: 'unaccompanied',
    identified_at: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    identified_how: 'shelter',
    notified_at: new Date(Date.now() - 3 * 86_400_000 + 6 * 3_600_000).toISOString(),
    notified_by: 'Albergue Belén, trabajo social',
    language: 'español',
    views: 'Quiero encontrar a mi mamá que vive en Houston.',
    wishes_tracing: 'yes',
    wishes_reunification: 'yes',
    tracing_consent: 'given',
    tracing_consent_on: daysAgo(3),
    ...overrides,
  });
}

async function auditActions(recordId: string): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`select action from audit_log where record_id = ${recordId} order by id`.execute(server.db);
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  server = await startTestServer();
  procuraduria = await makeInstitution(server.db, { name: 'Procuraduría de Protección de NNA de Chiapas', type: 'state_agency' });
  const dif = await makeInstitution(server.db, { name: 'DIF Tapachula', type: 'state_agency' });
  const other = await makeInstitution(server.db, { name: 'Procuraduría de otro estado', type: 'state_agency' });
  const sign = async (institutionId: string, role: Parameters<typeof makeUser>[2]) => {
    const user = await makeUser(server.db, institutionId, role);
    return { client: await ApiClient.forSession(server, user.email), id: user.id };
  };
  officer = (await sign(procuraduria.id, 'child_protection_officer')).client;
  supervisor = (await sign(procuraduria.id, 'supervisor')).client;
  outsider = (await sign(other.id, 'child_protection_officer')).client;
  bystander = (await sign(dif.id, 'analyst')).client;
  panel = [
    { ...(await sign(procuraduria.id, 'caseworker')), profession: 'law', institution: 'Procuraduría' },
    { ...(await sign(procuraduria.id, 'child_protection_officer')), profession: 'psychology', institution: 'Procuraduría' },
    { ...(await sign(dif.id, 'supervisor')), profession: 'social_work', institution: 'DIF Tapachula' },
  ];
});
afterAll(async () => server?.close());

describe("a child's file", () => {
  it('opens only for a child, once, and measures the time to notification', async () => {
    const adult = await person(officer, { given_names: 'Adulta', date_of_birth: yearsAgo(19) });
    const refused = await openFile(officer, adult);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('child_not_minor');

    const noAge = await person(officer, { given_names: 'Sin Edad', date_of_birth: undefined });
    expect((await openFile(officer, noAge)).body.code).toBe('child_age_unknown');

    const child = await person(officer, { given_names: 'Dulce María', surname1: 'Reyes', date_of_birth: yearsAgo(12), nationalities: ['HND'] });
    const opened = await openFile(officer, child);
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body.folio).toMatch(/-\d{4}-\d{6}$/);
    expect((await openFile(officer, child)).body.code).toBe('child_file_exists');

    const file = await officer.get(`/api/v1/children/${opened.body.id}`);
    expect(file.status, file.text).toBe(200);
    expect(file.body.child.name).toBe('Dulce María Reyes');
    expect(file.body.child.age).toBe(12);
    expect(file.body.hours_to_notification).toBe(6);
    expect(file.body.views).toBe('Quiero encontrar a mi mamá que vive en Houston.');
    // The child's own words are encrypted at rest.
    const { rows } = await sql<{ views_enc: string }>`select views_enc from child_files where case_id = ${opened.body.id}`.execute(server.db);
    expect(rows[0]!.views_enc).not.toContain('Houston');
    expect(await auditActions(opened.body.id)).toEqual(expect.arrayContaining(['child_file.created', 'child_file.read']));

    // A field the key ring cannot open shows as unreadable; the rest of the file is still there (issue 14).
    await sql`update child_files set accompanied_by_enc = 'k9:AAAA' where case_id = ${opened.body.id}`.execute(server.db);
    const damaged = await officer.get(`/api/v1/children/${opened.body.id}`);
    expect(damaged.status, damaged.text).toBe(200);
    expect(damaged.body).toMatchObject({ accompanied_by: null, unreadable_fields: ['accompanied_by'], views: 'Quiero encontrar a mi mamá que vive en Houston.' });

    const list = await officer.get('/api/v1/children?status=open');
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(opened.body.id);
  });

  it('is invisible to another institution and to roles without the capability (404 audited, 403)', async () => {
    const child = await person(officer, { given_names: 'Oculta', date_of_birth: yearsAgo(9) });
    const { body } = await openFile(officer, child);
    const other = await outsider.get(`/api/v1/children/${body.id}`);
    expect(other.status).toBe(404);
    expect(await auditActions(body.id)).toContain('child_file.access_denied');
    expect((await bystander.get(`/api/v1/children/${body.id}`)).status).toBe(403);
    expect((await outsider.get('/api/v1/children')).body.items.map((i: { id: string }) => i.id)).not.toContain(body.id);
  });
});

describe('consular notification', () => {
  it("is refused for the child's country while her protection claim is open, and the attempt is audited", async () => {
    const child = await person(officer, { given_names: 'Solicitante', date_of_birth: yearsAgo(15), nationalities: ['SLV'] });
    const { body } = await openFile(officer, child, { protection_claim: 'open', protection_claim_on: daysAgo(2) });
    const refused = await officer.post(`/api/v1/children/${body.id}/consular-notifications`, { country: 'SLV', notified_on: today });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('consular_notification_protection_claim');
    expect(refused.body.message).toMatch(/protección internacional/);
    expect(await auditActions(body.id)).toContain('child_file.consular_notification_refused');
    expect((await officer.get(`/api/v1/children/${body.id}`)).body.consular_notifications).toEqual([]);

    // Another country's consulate may be told; her own once the claim is withdrawn.
    expect((await officer.post(`/api/v1/children/${body.id}/consular-notifications`, { country: 'GTM', notified_on: today })).status).toBe(201);
    expect((await officer.patch(`/api/v1/children/${body.id}`, { protection_claim: 'withdrawn', reason: 'Desistió ante la COMAR' })).status).toBe(204);
    expect((await officer.post(`/api/v1/children/${body.id}/consular-notifications`, { country: 'SLV', notified_on: today })).status).toBe(201);
  });
});

describe('the restitution plan', () => {
  it('flags a measure past its due date, in the file, the list and the dashboard, until it is executed', async () => {
    const child = await person(officer, { given_names: 'Plan', date_of_birth: yearsAgo(10) });
    const { body } = await openFile(officer, child);
    const measure = await officer.post(`/api/v1/children/${body.id}/measures`, {
      right_affected: 'health',
      legal_basis: 'LGDNNA art. 50',
      measure_type: 'restitution',
      measure: 'medical_care',
      responsible_institution: 'Centro de Salud Tapachula',
      frequency: 'once',
      due_on: daysAgo(1),
    });
    expect(measure.status, measure.text).toBe(201);
    let file = (await officer.get(`/api/v1/children/${body.id}`)).body;
    expect(file.measures[0]).toMatchObject({ measure: 'medical_care', overdue: true, beneficiary: { id: child } });
    expect((await officer.get('/api/v1/children')).body.items.find((i: { id: string }) => i.id === body.id).overdue_measures).toBe(1);
    // The officer's home screen lists it among her tasks until it is done.
    const overdueTask = (tasks: { kind: string; record_id: string }[]) => tasks.find((t) => t.kind === 'child_measure_overdue' && t.record_id === body.id);
    expect(overdueTask((await officer.get('/api/v1/dashboard')).body.tasks)).toMatchObject({ since: daysAgo(1) });
    expect((await officer.post(`/api/v1/children/${body.id}/measures/${measure.body.id}/notes`, { body: 'Se agendó la cita.' })).status).toBe(201);
    expect((await officer.patch(`/api/v1/children/${body.id}/measures/${measure.body.id}`, { executed_on: today })).status).toBe(204);
    file = (await officer.get(`/api/v1/children/${body.id}`)).body;
    expect(file.measures[0]).toMatchObject({ overdue: false, executed_on: today, notes: [{ body: 'Se agendó la cita.' }] });
    expect(overdueTask((await officer.get('/api/v1/dashboard')).body.tasks)).toBeUndefined();
  });
});

describe('alternative care', () => {
  it('refuses a migration station, residential care without a reason, and a full centre; a change ends the current placement', async () => {
    const child = await person(officer, { given_names: 'Acogida', date_of_birth: yearsAgo(8) });
    const { body } = await openFile(officer, child);
    const station = await officer.post(`/api/v1/children/${body.id}/placements`, { care_type: 'migration_station', started_on: today });
    expect(station.body.code).toBe('placement_migration_station');
    const facility = await officer.post('/api/v1/children/facilities', { name: `CAS Casa Hogar ${Date.now()}`, kind: 'cas', state: '07', capacity: 1 });
    expect(facility.status, facility.text).toBe(201);
    const unjustified = await officer.post(`/api/v1/children/${body.id}/placements`, { care_type: 'residential', facility_id: facility.body.id, started_on: daysAgo(2) });
    expect(unjustified.body.code).toBe('placement_justification_required');

    const residential = await officer.post(`/api/v1/children/${body.id}/placements`, { care_type: 'residential', facility_id: facility.body.id, started_on: daysAgo(2), justification: 'No hay familia de acogida disponible en la región esta semana.' });
    expect(residential.status, residential.text).toBe(201);
    const listed = (await officer.get('/api/v1/children/facilities')).body.find((f: { id: string }) => f.id === facility.body.id);
    expect(listed).toMatchObject({ capacity: 1, occupied: 1 });

    const sibling = await person(officer, { given_names: 'Segunda', date_of_birth: yearsAgo(7) });
    const second = (await openFile(officer, sibling)).body;
    const full = await officer.post(`/api/v1/children/${second.id}/placements`, { care_type: 'residential', facility_id: facility.body.id, started_on: today, justification: 'Sin opción familiar.' });
    expect(full.body.code).toBe('facility_full');

    expect((await officer.post(`/api/v1/children/${body.id}/placements`, { care_type: 'kinship', place: 'Con su tía en Tapachula', started_on: today })).body.code).toBe('placement_change_reason_required');
    const kinship = await officer.post(`/api/v1/children/${body.id}/placements`, { care_type: 'kinship', place: 'Con su tía en Tapachula', started_on: today, change_reason: 'Se localizó a su tía' });
    expect(kinship.status, kinship.text).toBe(201);
    const file = (await officer.get(`/api/v1/children/${body.id}`)).body;
    expect(file.placements.map((p: { care_type: string; ended_on: string | null }) => [p.care_type, p.ended_on])).toEqual([
      ['residential', today],
      ['kinship', null],
    ]);
    expect(file.placements[0].days).toBe(2);
    expect((await officer.get('/api/v1/children/facilities')).body.find((f: { id: string }) => f.id === facility.body.id).occupied).toBe(0);
  });
});

describe('best interests, verification, reunification and follow-up', () => {
  it('walks a child from identification to a closed file, each rule holding on the way', async () => {
    const child = await person(officer, { given_names: 'Camila', surname1: 'Orellana', date_of_birth: yearsAgo(11), nationalities: ['HND'] });
    const mother = await person(officer, { given_names: 'Rosa', surname1: 'Orellana', date_of_birth: yearsAgo(34), nationalities: ['HND'] });
    const file = (await openFile(officer, child)).body;
    const base = `/api/v1/children/${file.id}`;

    expect((await officer.post(`${base}/assessments`, { kind: 'assessment_short', findings: 'Sana, escolarizada hasta 5o grado.', decision: 'trace_family' })).status).toBe(201);
    const determination = await officer.post(`${base}/determinations`, { evidence: 'Entrevistas y evaluación breve.', child_views: 'Quiere vivir con su mamá.', panel_until: daysAgo(-30) });
    expect(determination.status, determination.text).toBe(201);
    const detId = determination.body.id as string;

    expect((await officer.post(`${base}/determinations/${detId}/members`, { user_id: (await makeUser(server.db, procuraduria.id, 'analyst')).id, profession: 'law', member_institution: 'Otra' })).body.code).toBe('panel_member_not_eligible');
    for (const m of panel) {
      const added = await officer.post(`${base}/determinations/${detId}/members`, { user_id: m.id, profession: m.profession, member_institution: m.institution });
      expect(added.status, added.text).toBe(201);
    }

    // A member who has not accepted the undertaking is refused the file (and the refusal audited);
    // someone not on the panel does not learn it exists.
    const early = await panel[2]!.client.get(`/api/v1/panels/${detId}`);
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('panel_undertaking_required');
    expect(await auditActions(detId)).toContain('best_interests.panel_refused');
    expect((await outsider.get(`/api/v1/panels/${detId}`)).status).toBe(404);

    expect((await officer.post(`${base}/determinations/${detId}/decision`, { decision: 'reunify_family', reasons: 'x', review_on: daysAgo(-180) })).body.code).toBe('panel_incomplete');
    for (const [i, m] of panel.entries()) {
      expect((await m.client.post(`/api/v1/panels/${detId}/undertaking`)).status).toBe(204);
      const view = await m.client.get(`/api/v1/panels/${detId}`);
      expect(view.status, view.text).toBe(200);
      expect(view.body.child.name).toBe('Camila Orellana');
      expect(view.body.views).toBe('Quiero encontrar a mi mamá que vive en Houston.');
      expect(view.body.assessments).toHaveLength(1);
      const position = i === 0 ? { position: 'dissent', reasons: 'Falta verificar la vivienda.' } : { position: 'agree' };
      expect((await m.client.post(`/api/v1/panels/${detId}/position`, position)).status).toBe(204);
    }
    // The panel member from DIF sees only this child's panel view, not the file itself.
    expect((await panel[2]!.client.get(base)).status).toBe(404);

    expect((await officer.post(`${base}/determinations/${detId}/decision`, { decision: 'reunify_family', reasons: 'La madre puede y quiere cuidarla.', review_on: daysAgo(-180) })).status).toBe(204);
    // A supervisor who sat on the panel may not approve its decision; another one may.
    const approver = await makeUser(server.db, procuraduria.id, 'supervisor');
    const sat = await ApiClient.forSession(server, approver.email);
    const det2 = (await officer.post(`${base}/determinations`, { evidence: 'Revisión.', child_views: 'Igual.', panel_until: daysAgo(-30) })).body.id;
    await officer.post(`${base}/determinations/${det2}/members`, { user_id: approver.id, profession: 'law', member_institution: 'Procuraduría' });
    expect((await sat.post(`${base}/determinations/${det2}/approve`)).body.code).toBe('best_interests_not_decided');
    expect((await officer.post(`${base}/determinations/${detId}/approve`)).status).toBe(403);

    // Verification first: a reunification on an incomplete verification is refused.
    const verification = await officer.post(`${base}/verifications`, { adult_person_id: mother, relationship: 'mother', child_interviewed_on: today, documents_checked: true });
    expect(verification.status, verification.text).toBe(201);
    const reunify = { verification_id: verification.body.id, determination_id: detId, reunified_on: today, place: 'abroad', country: 'USA', receiving_body: 'Texas DFPS' };
    expect((await officer.post(`${base}/reunifications`, reunify)).body.code).toBe('verification_incomplete');
    expect(
      (
        // The rest of the checks (the child's interview and the documents are already in).
        await officer.patch(`${base}/verifications/${verification.body.id}`, (({ child_interviewed_on: _c, documents_checked: _d, ...rest }) => rest)(favourableVerification(today)))
      ).status,
    ).toBe(204);
    expect((await officer.post(`${base}/reunifications`, reunify)).body.code).toBe('reunification_decision_required');
    expect((await supervisor.post(`${base}/determinations/${detId}/approve`)).status).toBe(204);
    const reunified = await officer.post(`${base}/reunifications`, reunify);
    expect(reunified.status, reunified.text).toBe(201);

    let view = (await supervisor.get(base)).body;
    expect(view.best_interests.find((b: { id: string }) => b.id === detId)).toMatchObject({ status: 'approved', decision: 'reunify_family', members: expect.arrayContaining([expect.objectContaining({ position: 'dissent', reasons: 'Falta verificar la vivienda.' })]) });
    expect(view.verifications[0].complete).toBe(true);
    const followups = view.reunifications[0].followups as { id: string; due_on: string }[];
    expect(followups).toHaveLength(3);
    expect(view.reunifications[0].adult.name).toBe('Rosa Orellana');

    // The file cannot close before the last follow-up visit: a database rule, whatever the path.
    const closeEarly = await supervisor.patch(`/api/v1/cases/${file.id}`, { status: 'closed', closure_reason: 'reunified', closed_on: today });
    expect(closeEarly.status).toBe(409);
    expect(closeEarly.body.code).toBe('child_followups_pending');
    for (const f of followups) {
      const visit = await officer.post(`${base}/reunifications/${reunified.body.id}/followups/${f.id}`, { visited_on: today, outcome: 'well', notes: 'Asiste a la escuela.' });
      expect(visit.status, visit.text).toBe(204);
    }
    expect((await officer.post(`${base}/reunifications/${reunified.body.id}/followups/${followups[0]!.id}`, { visited_on: today, outcome: 'well' })).body.code).toBe('followup_already_recorded');
    const close = await supervisor.patch(`/api/v1/cases/${file.id}`, { status: 'closed', closure_reason: 'reunified', closed_on: today });
    expect(close.status, close.text).toBe(204);
    view = (await supervisor.get(base)).body;
    expect(view).toMatchObject({ status: 'closed', can_edit: false });
    expect((await officer.post(`${base}/measures`, { right_affected: 'health', legal_basis: 'LGDNNA', measure_type: 'protection', measure: 'medical_care', responsible_institution: 'DIF', frequency: 'once', due_on: today })).body.code).toBe('child_file_closed');
  });
});

describe('family tracing', () => {
  const request = (client: ApiClient, overrides: Record<string, unknown>) =>
    client.post('/api/v1/tracing/requests', { channel: 'in_person', received_on: today, requester_relationship: 'mother', ...overrides });
  const matchesOf = async (client: ApiClient, caseId: string, status = 'proposed') => (await client.get(`/api/v1/tracing/matches?status=${status}&case_id=${caseId}`)).body.items as { id: string; via: string; matched_name: string }[];

  it('proposes and shows a match only for a child whose consent is recorded; once consent is recorded, the match appears', async () => {
    const withConsent = await person(officer, { given_names: 'Yeimi Lizeth', surname1: 'Caballero', surname2: 'Duarte', sex: 'female', date_of_birth: yearsAgo(10), nationalities: ['HND'] });
    const withoutConsent = await person(officer, { given_names: 'Kevin Alexander', surname1: 'Mejía', surname2: 'Soto', sex: 'male', date_of_birth: yearsAgo(13), nationalities: ['HND'] });
    const a = (await openFile(officer, withConsent)).body.id as string;
    const b = (await openFile(officer, withoutConsent, { tracing_consent: 'not_asked', tracing_consent_on: null })).body.id as string;

    const created = await request(officer, {
      requester_name: 'Marta Lidia Duarte',
      contact: '+504 9876 5432',
      circumstances: 'Se separaron en Tapachula al subir al tren.',
      children: [
        { given_names: 'Yeimi Lisseth', surname1: 'Caballero', sex: 'female', date_of_birth: yearsAgo(10), nationality: 'HND' },
        { given_names: 'Kevin Alexander', surname1: 'Mejia', surname2: 'Soto', sex: 'male', estimated_age: 13, nationality: 'HND' },
      ],
    });
    expect(created.status, created.text).toBe(201);

    // The child with consent: proposed, in the queue, in her file, explained in words.
    const [match] = await matchesOf(officer, a);
    expect(match).toMatchObject({ via: 'child', matched_name: 'Yeimi Lisseth Caballero' });
    const detail = await officer.get(`/api/v1/tracing/matches/${match!.id}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body).toMatchObject({ child: { case_id: a, name: 'Yeimi Lizeth Caballero Duarte' }, request: { requester_name: 'Marta Lidia Duarte', contact: '+504 9876 5432', channel: 'in_person' }, can_review: true });
    expect(detail.body.explanation.map((e: { phrase: string }) => e.phrase)).toEqual(expect.arrayContaining([expect.stringMatching(/^surname1\./), 'date_of_birth.exact']));
    expect(detail.body.explanation.every((e: { direction: string }) => ['for', 'against', 'neutral'].includes(e.direction))).toBe(true);
    expect(await auditActions(match!.id)).toContain('tracing_match.viewed');
    const { rows: sealed } = await sql<{ contact_enc: string }>`select contact_enc from tracing_requests where id = ${created.body.id}`.execute(server.db);
    expect(sealed[0]!.contact_enc).not.toContain('9876');
    expect((await officer.get(`/api/v1/children/${a}`)).body.tracing).toMatchObject({ traceable: true, matches: [{ id: match!.id, requester_name: 'Marta Lidia Duarte' }] });

    // The child without consent: nothing proposed, nothing shown, not even in her own file.
    const { rows: none } = await sql<{ n: number }>`select count(*)::int as n from tracing_matches where case_id = ${b}`.execute(server.db);
    expect(none[0]!.n).toBe(0);
    expect(await matchesOf(officer, b)).toEqual([]);
    expect((await officer.get(`/api/v1/children/${b}`)).body.tracing).toEqual({ traceable: false, matches: [] });

    // Her consent recorded: the match is proposed now and shown.
    expect((await officer.patch(`/api/v1/children/${b}`, { tracing_consent: 'given', tracing_consent_on: today })).status).toBe(204);
    const [later] = await matchesOf(officer, b);
    expect(later).toMatchObject({ via: 'child', matched_name: 'Kevin Alexander Mejia Soto' });

    // Consent withdrawn: the pair is hidden again (404, audited), though kept.
    expect((await officer.patch(`/api/v1/children/${b}`, { tracing_consent: 'refused' })).status).toBe(204);
    expect(await matchesOf(officer, b)).toEqual([]);
    expect((await officer.get(`/api/v1/tracing/matches/${later!.id}`)).status).toBe(404);
    expect(await auditActions(later!.id)).toContain('tracing_match.read_denied');

    // Another institution's officer does not see the pair; the file's officer confirms it, once.
    expect((await outsider.get(`/api/v1/tracing/matches/${match!.id}`)).status).toBe(404);
    expect((await officer.post(`/api/v1/tracing/matches/${match!.id}/review`, { decision: 'confirmed' })).status).toBe(204);
    const again = await officer.post(`/api/v1/tracing/matches/${match!.id}/review`, { decision: 'rejected' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('tracing_match_reviewed');
    expect(await matchesOf(officer, a, 'confirmed')).toHaveLength(1);
    expect(await auditActions(match!.id)).toContain('tracing_match.confirmed');
  });

  it('opens tracing without consent once an approved best-interests determination decides to trace', async () => {
    const child = await person(officer, { given_names: 'Ángel Josué', surname1: 'Ramírez', surname2: 'Ochoa', sex: 'male', date_of_birth: yearsAgo(6), nationalities: ['GTM'] });
    const file = (await openFile(officer, child, { tracing_consent: 'not_asked', tracing_consent_on: null })).body.id as string;
    expect((await request(officer, { requester_name: 'Lucía Ochoa', children: [{ given_names: 'Ángel Josué', surname1: 'Ramírez', surname2: 'Ochoa', date_of_birth: yearsAgo(6), nationality: 'GTM' }] })).status).toBe(201);
    expect(await matchesOf(officer, file)).toEqual([]);
    // Too young to consent: a panel decides to trace his family; until a supervisor approves, nothing shows.
    const base = `/api/v1/children/${file}`;
    const det = (await officer.post(`${base}/determinations`, { evidence: 'Tiene seis años; no puede dar un consentimiento informado.', child_views: 'Pregunta por su mamá.', panel_until: daysAgo(-30) })).body.id as string;
    for (const m of panel) {
      await officer.post(`${base}/determinations/${det}/members`, { user_id: m.id, profession: m.profession, member_institution: m.institution });
      await m.client.post(`/api/v1/panels/${det}/undertaking`);
      await m.client.post(`/api/v1/panels/${det}/position`, { position: 'agree' });
    }
    expect((await officer.post(`${base}/determinations/${det}/decision`, { decision: 'trace_family', reasons: 'Buscar a su familia es su interés superior.', review_on: daysAgo(-90) })).status).toBe(204);
    expect(await matchesOf(officer, file)).toEqual([]);
    expect((await supervisor.post(`${base}/determinations/${det}/approve`)).status).toBe(204);
    expect(await matchesOf(officer, file)).toEqual([expect.objectContaining({ via: 'child', matched_name: 'Ángel Josué Ramírez Ochoa' })]);
    expect((await officer.get(base)).body.tracing.traceable).toBe(true);
  });

  it('matches the relative who asks with a family member recorded in a file, and lists the request', async () => {
    const child = await person(officer, { given_names: 'Brayan', surname1: 'Pineda', date_of_birth: yearsAgo(7), nationalities: ['GTM'] });
    const aunt = await person(officer, { given_names: 'Rosa Ondina', surname1: 'Pineda', surname2: 'Xicará', sex: 'female', date_of_birth: yearsAgo(41), nationalities: ['GTM'] });
    const file = (await openFile(officer, child)).body.id as string;
    expect((await officer.post(`/api/v1/children/${file}/links`, { person_id: aunt, relationship: 'relative' })).status).toBe(201);
    const consulate = await request(officer, { channel: 'consulate', requester_name: 'Rosa Ondina Pineda Xicara', requester_relationship: 'aunt_uncle', children: [{ given_names: 'Josué', surname1: 'López', estimated_age: 4 }] });
    expect(consulate.body.code).toBe('validation_failed');
    const created = await request(officer, { channel: 'consulate', consulate_country: 'USA', requester_name: 'Rosa Ondina Pineda Xicara', requester_relationship: 'aunt_uncle', requester_country: 'GTM', children: [{ given_names: 'Josué', surname1: 'López', estimated_age: 4 }] });
    expect(created.status, created.text).toBe(201);
    const [match] = await matchesOf(officer, file);
    expect(match).toMatchObject({ via: 'family_member', matched_name: 'Rosa Ondina Pineda Xicará' });
    const listed = (await officer.get('/api/v1/tracing/requests')).body.items.find((r: { id: string }) => r.id === created.body.id);
    expect(listed).toMatchObject({ channel: 'consulate', consulate_country: 'USA', sought: ['Josué López'] });
    expect((await outsider.get('/api/v1/tracing/requests')).body.items.map((r: { id: string }) => r.id)).not.toContain(created.body.id);
  });

  it("a family's report of a missing child on the public page is also a tracing request", async () => {
    await sql`update missing_settings set public_institution_id = ${procuraduria.id}`.execute(server.db);
    const child = await person(officer, { given_names: 'Heidy Marisol', surname1: 'Alvarado', sex: 'female', date_of_birth: yearsAgo(15), nationalities: ['SLV'] });
    const file = (await openFile(officer, child)).body.id as string;
    const form = new URLSearchParams({
      given_names: 'Heidy Marisol',
      surname1: 'Alvarado',
      sex: 'female',
      age_min: '15',
      age_max: '15',
      nationality: 'SLV',
      height_min_cm: '150',
      height_max_cm: '155',
      marks: 'Lunar en la mejilla izquierda',
      clothing: 'Playera azul',
      last_seen_on: daysAgo(10),
      last_seen_country: 'MEX',
      last_seen_state: '07',
      last_seen_place: 'Tapachula',
      reporter_name: 'Ana Gladys Alvarado',
      reporter_relationship: 'mother',
      reporter_phone: '+503 7777 0000',
      reporter_country: 'SLV',
      dna_reference_taken: 'no',
    });
    const posted = await fetch(`${server.baseUrl}/familias/busqueda/reportar`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(posted.status, await posted.clone().text()).toBe(200);
    const { rows } = await sql<{ id: string; channel: string; missing_report_id: string | null }>`select id, channel, missing_report_id from tracing_requests where requester_name = 'Ana Gladys Alvarado'`.execute(server.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'public_page', missing_report_id: expect.any(String) });
    const [match] = await matchesOf(officer, file);
    expect(match).toMatchObject({ via: 'child', request: { channel: 'public_page' } });
  });
});

describe('statistics from the children’s files', () => {
  it('counts children by accompaniment, age band, notification time and best-interests decision, and days in residential care, with small cells withheld', async () => {
    // An institution of its own, so that the counts are this test's.
    const dif = await makeInstitution(server.db, { name: `Procuraduría estadística ${Date.now()}`, type: 'state_agency', state_code: '07' });
    const own = await ApiClient.forSession(server, (await makeUser(server.db, dif.id, 'child_protection_officer')).email);
    const analyst = await ApiClient.forSession(server, (await makeUser(server.db, dif.id, 'analyst')).email);
    const facility = (await own.post('/api/v1/children/facilities', { name: 'CAS Estadística', kind: 'cas', capacity: 50 })).body.id as string;
    for (let i = 0; i < 8; i++) {
      const child = await person(own, { given_names: ['Ana', 'Bety', 'Cata', 'Dora', 'Elsa', 'Fany', 'Gina', 'Hilda'][i], surname1: 'Estadística', sex: 'female', date_of_birth: yearsAgo(i < 6 ? 14 : 5), nationalities: ['HND'] });
      const file = (await openFile(own, child, { accompaniment: i < 6 ? 'unaccompanied' : i === 6 ? 'accompanied' : 'separated', opened_on: daysAgo(10) })).body.id as string;
      const placed = await own.post(`/api/v1/children/${file}/placements`, { care_type: 'residential', facility_id: facility, started_on: daysAgo(10), justification: 'Sin familia de acogida disponible.' });
      expect(placed.status, placed.text).toBe(201);
    }
    const query = async (indicator: string, by: string[]) => {
      const res = await analyst.get(`/api/v1/statistics/query?indicator=${indicator}&from=${daysAgo(30)}&to=${today}${by.length ? `&by=${by.join(',')}` : ''}&age_bands=0,12,18`);
      expect(res.status, res.text).toBe(200);
      return res.body as { total: { value: number | null }; cells: { key: Record<string, string>; value: number | null; suppressed: boolean }[] };
    };
    const cell = (table: Awaited<ReturnType<typeof query>>, dimension: string, value: string) => table.cells.find((c) => c.key[dimension] === value);
    // Eight children: the figures an analyst sees are rounded to 5 and cells of one are withheld.
    const byAccompaniment = await query('children_protected', ['accompaniment']);
    expect([5, 10]).toContain(byAccompaniment.total.value);
    expect([5, 10]).toContain(cell(byAccompaniment, 'accompaniment', 'unaccompanied')?.value);
    expect(cell(byAccompaniment, 'accompaniment', 'accompanied')).toMatchObject({ value: null, suppressed: true });
    expect(cell(byAccompaniment, 'accompaniment', 'separated')).toMatchObject({ value: null, suppressed: true });
    const byAge = await query('children_protected', ['age_group']);
    expect(byAge.cells.map((c) => c.key.age_group).sort()).toEqual(['0-11', '12-17']);
    expect(cell(byAge, 'age_group', '0-11')).toMatchObject({ value: null, suppressed: true });
    const byNotification = await query('children_protected', ['notification_time']);
    expect([5, 10]).toContain(cell(byNotification, 'notification_time', 'within_24h')?.value);
    const byDecision = await query('children_protected', ['best_interests']);
    expect([5, 10]).toContain(cell(byDecision, 'best_interests', 'none')?.value);
    expect(cell(byDecision, 'best_interests', 'decided')?.value ?? null).toBeNull();
    const bySexAndNationality = await query('children_protected', ['sex', 'nationality', 'state']);
    expect(bySexAndNationality.cells.some((c) => c.key.sex === 'female' && c.key.nationality === 'HND' && c.key.state === '07')).toBe(true);
    // 8 stays of 10 days so far.
    expect((await query('residential_care_days', [])).total.value).toBe(80);
    expect([5, 10]).toContain((await query('children_in_residential_care', [])).total.value);
  });
});
