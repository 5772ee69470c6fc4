import { randomUUID } from 'node:crypto';
import type { Role } from '../src/platform/db/database.ts';
import { ApiClient, makeInstitution, makeUser, type ApiResponse, type TestServer } from './helpers.ts';
import { addRoutingRule, updateSettings } from '../src/complaints/settings.service.ts';
import { drainMatchingQueue } from '../src/missing/matching.ts';
import { shelterBody } from '../src/directory/testing/samples.ts';
import { baseFields, complaintForm, postForm, readReceiptPage, tokenOf } from '../src/complaints/testing/fixtures.ts';



export const roleKeys = ['admin', 'sup', 'cw', 'cw2', 'analyst', 'auditor', 'handler', 'searcher', 'cpo', 'editor'] as const;
export type RoleKey = (typeof roleKeys)[number];
export const roleOf: Record<RoleKey, Role> = { admin: 'administrator', sup: 'supervisor', cw: 'caseworker', cw2: 'caseworker', analyst: 'analyst', auditor: 'auditor', handler: 'complaint_handler', searcher: 'search_officer', cpo: 'child_protection_officer', editor: 'directory_editor' };

export type ActorKey = 'anon' | `${'A' | 'B'}.${RoleKey}`;
export const actorKeys: ActorKey[] = ['anon', ...(['A', 'B'] as const).flatMap((i) => roleKeys.map((r) => `${i}.${r}` as ActorKey))];

export type WorldActor = { key: ActorKey; institution: 'A' | 'B' | null; institutionId: string | null; userId: string | null; email: string | null; client: ApiClient };

/**
 * Distinctive strings in every personal field of the first case and its person. None of them may
 * reach a response to someone not entitled to the case, nor any log line.
 */
export const caseOneMarkers = {
  givenNames: 'Zyxwvu',
  surname1: 'Qorvatl',
  surname2: 'Pemberlix',
  otherName: 'Vexillaq',
  document: 'DOCLEAK123',
  phone: '+52 555 0100 999',
  email: 'zyxwvu.leak@example.org',
  address: 'Calle ADDRLEAK 12',
  contactNote: 'CONTACTNOTELEAK',
  summary: 'SUMMARYLEAK extorsión en la ruta',
  note: 'NOTELEAK seguimiento semanal',
  serviceNote: 'SERVICELEAK primera atención',
  attachment: 'ATTACHLEAK contenido del acta',
  attachmentName: 'ATTACHNAMELEAK.txt',
} as const;

/** The second case is shared with B (sections: participants and services); these are not shared. */
export const caseTwoPrivateMarkers = { summary: 'SUMMARY2LEAK', note: 'NOTE2LEAK reservado', attachment: 'ATTACH2LEAK', attachmentName: 'ATTACH2NAMELEAK.txt' } as const;
/** The person of the second case and a service note: B receives these with the accepted referral. */
export const caseTwoSharedMarkers = { givenNames: 'Jadwiqo', surname1: 'Frunkelt', document: 'DOCSHARED456', serviceNote: 'SERVICE2SHARED' } as const;

/**
 * Complaint one: filed on the web (not anonymously) and routed to A's unit by the default unit, with a
 * file, a handler's note and message and the complainant's reply. Only A's complaint handlers may
 * receive any of these; no other role of A, nobody of B and no statistics endpoint.
 */
export const complaintOneMarkers = {
  narrative: 'QNARRATIVELEAK me quitaron el pasaporte en el retén',
  placeDescription: 'QPLACELEAK kilómetro 12',
  authorityName: 'QAUTHORITYLEAK delegación sur',
  officialDescription: 'QOFFICIALLEAK con bigote y lentes',
  badge: 'QBADGELEAK-4711',
  vehicle: 'QVEHICLELEAK-0815',
  contactName: 'Xochivelia Brumantez',
  contactPhone: '+52 555 0199 731',
  contactEmail: 'xochivelia.leak@example.org',
  contactOther: 'QCONTACTOTHERLEAK por mensajería',
  attachment: 'QATTACHLEAK contenido del documento',
  attachmentName: 'QATTACHNAMELEAK.pdf',
  note: 'QNOTELEAK revisar video',
  message: 'QMESSAGELEAK ¿recuerda la hora?',
  reply: 'QREPLYLEAK eran las 5 de la tarde',
} as const;

/** Complaint two: recorded by phone by B's caseworker and routed to B's unit by a routing rule. */
export const complaintTwoMarkers = { narrative: 'Q2NARRATIVELEAK guardia en la carretera', contactName: 'Tlalocina Vermundez', contactPhone: '+52 555 0142 864' } as const;

export const markerList = (markers: Record<string, string>) => Object.values(markers);

/** A PDF (the type is decided by its magic bytes) whose bytes carry `text`; PDFs are stored as received. */
export const pdfWith = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`, 'utf8');

/** A phone complaint as an operator records it (JSON for POST /api/v1/complaints). */
export function operatorComplaintBody(overrides: Record<string, unknown> = {}) {
  return { channel: 'phone', kind: 'grievance', narrative: 'Relato de prueba recibido por teléfono.', state_code: '07', place_type: 'road', authority_type: 'municipal_police', anonymous: true, ...overrides };
}

/** Strings from `candidates` that occur in `text`. */
export function leaked(text: string, candidates: readonly string[]): string[] {
  return candidates.filter((marker) => text.includes(marker));
}

export function personBody(overrides: Record<string, unknown> = {}) {
  return { given_names: 'Persona', surname1: 'De Prueba', sex: 'female', date_of_birth: '1990-04-12', nationalities: ['HND'], languages: ['spa'], ...overrides };
}

type PersonMarkers = { givenNames: string; surname1: string; surname2: string; otherName: string; document: string; phone: string; email: string; address: string };

/** A person whose every text field is a marker that leak checks look for (`contact.notes` too when given). */
export function markedPersonBody(m: PersonMarkers, contactNote?: string) {
  return personBody({
    given_names: m.givenNames,
    surname1: m.surname1,
    surname2: m.surname2,
    other_names: [m.otherName],
    documents: [{ type: 'passport', number: m.document, issuer: 'HND' }],
    contact: { phone: m.phone, email: m.email, address: m.address, ...(contactNote ? { notes: contactNote } : {}) },
  });
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/**
 * Institution A (every role, two caseworkers: one assigned to the cases, one not) and institution B
 * (every role). In A: a person and a case with a service, a note, an attachment and a referral to B
 * left pending; a second case referred to B and accepted by B's supervisor, assigned to B's caseworker.
 */
export async function buildWorld(server: TestServer) {
  const institutions = {
    A: await makeInstitution(server.db, { name: 'Institución A' }),
    B: await makeInstitution(server.db, { name: 'Albergue B', type: 'shelter' }),
  };
  const actors = {} as Record<ActorKey, WorldActor>;
  actors.anon = { key: 'anon', institution: null, institutionId: null, userId: null, email: null, client: new ApiClient(server.baseUrl, 'es') };
  for (const inst of ['A', 'B'] as const) {
    for (const role of roleKeys) {
      const key = `${inst}.${role}` as ActorKey;
      const user = await makeUser(server.db, institutions[inst].id, roleOf[role], `${inst.toLowerCase()}-${role}-${randomUUID().slice(0, 6)}@test.amparo`);
      // A's users read Spanish, B's English: every error message is checked in the caller's language.
      const client = await ApiClient.forSession(server, user.email, inst === 'A' ? 'es' : 'en');
      actors[key] = { key, institution: inst, institutionId: institutions[inst].id, userId: user.id, email: user.email, client };
    }
  }
  // Targets that the walk may change without disturbing the actors: a caseworker to open a case to,
  // and an account for the administrators to reset, disable and re-role.
  const extraCaseworkerA = await makeUser(server.db, institutions.A.id, 'caseworker');
  const managedUserA = await makeUser(server.db, institutions.A.id, 'caseworker');

  const cwA = actors['A.cw'].client;
  const ok = <T>(response: ApiResponse<T>, status: number, what: string): T => {
    if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
    return response.body;
  };

  const m = caseOneMarkers;
  const personOne = ok(
    await cwA.post('/api/v1/people', markedPersonBody(m, m.contactNote)),
    201,
    'person one',
  );
  const caseOne = ok(await cwA.post('/api/v1/cases', { programme: 'victim_assistance', opened_on: '2020-01-15', summary: m.summary, crime_types: ['extortion'], participants: [{ person_id: personOne.id, role: 'direct_victim' }] }), 201, 'case one');
  const serviceOne = ok(await cwA.post(`/api/v1/cases/${caseOne.id}/services`, { person_id: personOne.id, service_type: 'legal', provided_on: '2020-02-01', provider_unit: 'Unidad Tapachula', notes: m.serviceNote }), 201, 'service') as { id: string };
  ok(await cwA.post(`/api/v1/cases/${caseOne.id}/notes`, { body: m.note }), 201, 'note');
  const attachmentOne = ok(await cwA.request('POST', `/api/v1/cases/${caseOne.id}/attachments?filename=${encodeURIComponent(m.attachmentName)}`, m.attachment, { 'content-type': 'text/plain' }), 201, 'attachment');
  const pendingReferral = ok(
    await cwA.post(`/api/v1/cases/${caseOne.id}/referrals`, { to_institution_id: institutions.B.id, reason: 'Necesita alojamiento seguro.', consent_recorded_on: '2020-02-02', consent_method: 'written', shared_sections: ['services'] }),
    201,
    'pending referral',
  );

  const s = caseTwoSharedMarkers;
  const p = caseTwoPrivateMarkers;
  const personTwo = ok(await cwA.post('/api/v1/people', personBody({ given_names: s.givenNames, surname1: s.surname1, sex: 'male', documents: [{ type: 'passport', number: s.document }] })), 201, 'person two');
  const caseTwo = ok(await cwA.post('/api/v1/cases', { programme: 'legal_aid', opened_on: '2020-03-01', summary: p.summary, participants: [{ person_id: personTwo.id, role: 'applicant' }] }), 201, 'case two');
  ok(await cwA.post(`/api/v1/cases/${caseTwo.id}/services`, { person_id: personTwo.id, service_type: 'legal', provided_on: '2020-03-02', notes: s.serviceNote }), 201, 'service two');
  ok(await cwA.post(`/api/v1/cases/${caseTwo.id}/notes`, { body: p.note }), 201, 'note two');
  const attachmentTwo = ok(await cwA.request('POST', `/api/v1/cases/${caseTwo.id}/attachments?filename=${encodeURIComponent(p.attachmentName)}`, p.attachment, { 'content-type': 'text/plain' }), 201, 'attachment two');
  const sharedReferral = ok(
    await cwA.post(`/api/v1/cases/${caseTwo.id}/referrals`, { to_institution_id: institutions.B.id, reason: 'Asesoría migratoria.', consent_recorded_on: '2020-03-02', consent_method: 'written', shared_sections: ['services'] }),
    201,
    'shared referral',
  );
  const accepted = ok(await actors['B.sup'].client.post(`/api/v1/referrals/${sharedReferral.id}/accept`, { programme: 'shelter', assigned_to: actors['B.cw'].userId }), 200, 'accept');

  const complaints = await buildComplaints(server, institutions, actors, ok);
  const missing = await buildMissing(server, actors, ok);
  const children = await buildChildren(server, actors, ok);
  const directoryEntry = ok(await actors['A.editor'].client.post('/api/v1/directory/services', shelterBody({ name: 'Albergue de la prueba de permisos' })), 201, 'directory entry') as { id: string };

  return {
    institutions,
    actors,
    extraCaseworkerA,
    managedUserA,
    personOne,
    caseOne: caseOne as { id: string; folio: string },
    serviceOne,
    attachmentOne,
    pendingReferral,
    personTwo,
    caseTwo: caseTwo as { id: string; folio: string },
    attachmentTwo,
    sharedReferral,
    receivingCase: { id: accepted.receiving_case_id as string, folio: accepted.receiving_folio as string },
    ...complaints,
    ...missing,
    ...children,
    directoryEntry,
  };
}

/** Distinctive strings in the personal fields of A's child's file. */
export const childMarkers = {
  givenNames: 'Xiadanitzel',
  surname1: 'Quobrenkova',
  views: 'VIEWSLEAK quiere ver a su abuela',
  accompaniedBy: 'ACCOMPLEAK tío materno',
  measureNote: 'MEASURENOTELEAK cita en el centro de salud',
  place: 'PLACELEAK calle Central 5',
  evidence: 'EVIDENCELEAK entrevista psicológica',
} as const;

/**
 * Child protection (docs/children.md): A's child-protection officer keeps the file of a child with a
 * plan measure, a placement, an assessment, a determination before a panel on which A's caseworker
 * sits (she has accepted the undertaking) and a verification under way.
 */
async function buildChildren(server: TestServer, actors: Record<ActorKey, WorldActor>, ok: <T>(response: ApiResponse<T>, status: number, what: string) => T) {
  const c = childMarkers;
  const officer = actors['A.cpo'].client;
  const child = ok(await officer.post('/api/v1/people', personBody({ given_names: c.givenNames, surname1: c.surname1, date_of_birth: '2015-06-01' })), 201, 'child') as { id: string };
  const adult = ok(await officer.post('/api/v1/people', personBody({ given_names: 'Adulta', surname1: 'Verificada', date_of_birth: '1985-01-01' })), 201, 'adult') as { id: string };
  const file = ok(
    await officer.post('/api/v1/children', { person_id: child.id, opened_on: '2024-01-10', accompaniment: 'separated', accompanied_by: c.accompaniedBy, identified_at: '2024-01-10T15:00:00Z', identified_how: 'shelter', views: c.views, tracing_consent: 'given' }),
    201,
    'child file',
  ) as { id: string; folio: string };
  const base = `/api/v1/children/${file.id}`;
  const measure = ok(await officer.post(`${base}/measures`, { right_affected: 'health', legal_basis: 'LGDNNA art. 50', measure_type: 'restitution', measure: 'medical_care', responsible_institution: 'Centro de Salud', frequency: 'once', due_on: '2024-02-01' }), 201, 'measure') as { id: string };
  ok(await officer.post(`${base}/measures/${measure.id}/notes`, { body: c.measureNote }), 201, 'measure note');
  ok(await officer.post(`${base}/placements`, { care_type: 'kinship', place: c.place, started_on: '2024-01-11' }), 201, 'placement');
  ok(await officer.post(`${base}/assessments`, { kind: 'assessment_short', findings: 'Evaluación breve de prueba.' }), 201, 'assessment');
  const determination = ok(await officer.post(`${base}/determinations`, { evidence: c.evidence, child_views: c.views, panel_until: '2099-12-31' }), 201, 'determination') as { id: string };
  ok(await officer.post(`${base}/determinations/${determination.id}/members`, { user_id: actors['A.cw'].userId, profession: 'law', member_institution: 'Institución A' }), 201, 'panel member');
  ok(await actors['A.cw'].client.post(`/api/v1/panels/${determination.id}/undertaking`), 204, 'undertaking');
  const verification = ok(await officer.post(`${base}/verifications`, { adult_person_id: adult.id, relationship: 'aunt_uncle', child_interviewed_on: '2024-01-12' }), 201, 'verification') as { id: string };
  return { childFile: file, childMeasure: measure, childDetermination: determination, childVerification: verification };
}

/** Distinctive strings in the personal fields of A's missing-person report and found record. */
export const missingMarkers = {
  surname: 'Zorbleqix',
  reporterName: 'REPORTERLEAK Quintanar',
  reporterPhone: '+504 7777 4242',
  circumstance: 'CIRCUMSTANCELEAK salió de Tapachula',
  dental: 'DENTALLEAK corona de oro',
  foundNotes: 'FOUNDNOTESLEAK acta ministerial',
} as const;

export function missingReportBody(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'in_person',
    given_names: 'Ma. Guadalupe',
    surname1: 'Hernández',
    sex: 'female',
    age_min: 29,
    age_max: 31,
    nationalities: ['HND'],
    last_seen_on: '2026-03-01',
    last_seen_state: '07',
    reporter: { name: 'Carlos Hernández', relationship: 'sibling', country: 'HND' },
    ...overrides,
  };
}

export function foundRecordBody(overrides: Record<string, unknown> = {}) {
  return { condition: 'alive', situation: 'rescued', given_names: 'María Guadalupe', surname1: 'Hernández', surname2: 'López', sex: 'female', age_min: 28, age_max: 34, found_on: '2026-05-20', found_state: '26', ...overrides };
}

/** A's search officer records a report and a found record of the same person; matching proposes the pair. */
async function buildMissing(server: TestServer, actors: Record<ActorKey, WorldActor>, ok: <T>(response: ApiResponse<T>, status: number, what: string) => T) {
  const m = missingMarkers;
  const officer = actors['A.searcher'].client;
  const report = ok(
    await officer.post('/api/v1/missing/reports', missingReportBody({ surname1: m.surname, circumstance: m.circumstance, dental_notes: m.dental, reporter: { name: m.reporterName, relationship: 'sibling', contact: { phone: m.reporterPhone } } })),
    201,
    'missing report',
  );
  const found = ok(await officer.post('/api/v1/missing/found', foundRecordBody({ surname1: m.surname, notes: m.foundNotes })), 201, 'found record');
  // The server's own worker may hold the batch (skip locked): wait for whichever run writes the pair.
  let candidate: { id: string } | undefined;
  for (let i = 0; i < 100 && !candidate; i++) {
    await drainMatchingQueue(server.db);
    candidate = await server.db.selectFrom('match_candidates').select('id').where('report_id', '=', report.report.id).executeTakeFirst();
    if (!candidate) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!candidate) throw new Error('matching did not propose the world’s pair');
  // A photo as a family's public report would carry it (src/missing/public): the smallest JPEG.
  const photo = await server.db
    .insertInto('missing_report_photos')
    .values({ report_id: report.report.id as string, institution_id: actors['A.searcher'].institutionId!, media_type: 'image/jpeg', size_bytes: 4, content_enc: server.cipher.encryptBytes(Buffer.from([0xff, 0xd8, 0xff, 0xd9])) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    missingReport: { id: report.report.id as string, folio: report.folio as string, receipt: report.receipt as string, photoId: photo.id },
    foundRecord: { id: found.id as string },
    matchCandidate: { id: candidate.id },
  };
}

/**
 * Complaints: A's unit is the default unit and a rule sends National Guard complaints to B's unit.
 * Complaint one comes from the public form with every marker of `complaintOneMarkers`; A's handler
 * asks a question, the complainant answers, the handler adds a note and transmits it (contact and
 * notes included, so the stored package carries every marker). Complaint two is B's.
 */
async function buildComplaints(
  server: TestServer,
  institutions: { A: { id: string }; B: { id: string } },
  actors: Record<ActorKey, WorldActor>,
  ok: <T>(response: ApiResponse<T>, status: number, what: string) => T,
) {
  await updateSettings(server.db, null, { default_unit: institutions.A.id });
  const routingRule = await addRoutingRule(server.db, null, { priority: 10, authority_type: 'national_guard', state_code: null, kind: null, institution_id: institutions.B.id, description: 'Guardia Nacional' });

  const q = complaintOneMarkers;
  const filed = await postForm(
    server.baseUrl,
    '/quejas',
    complaintForm(
      baseFields({
        kind: 'report',
        narrative: q.narrative,
        place_type: 'checkpoint',
        place_description: q.placeDescription,
        authority_type: 'migration_institute',
        authority_name: q.authorityName,
        official_description: q.officialDescription,
        badge_number: q.badge,
        vehicle_number: q.vehicle,
        anonymous: 'no',
        contact_name: q.contactName,
        contact_phone: q.contactPhone,
        contact_email: q.contactEmail,
        contact_other: q.contactOther,
      }),
      [{ field: 'file1', name: q.attachmentName, type: 'application/pdf', bytes: pdfWith(q.attachment) }],
    ),
  );
  const sent = readReceiptPage(filed.text);
  if (filed.status !== 200 || !sent.folio || !sent.receipt) throw new Error(`complaint one: ${filed.status} ${filed.text.slice(0, 300)}`);
  const row = await server.db.selectFrom('complaints').select(['id', 'institution_id']).where('folio', '=', sent.folio).executeTakeFirstOrThrow();
  if (row.institution_id !== institutions.A.id) throw new Error('complaint one was not routed to A');
  const attachment = await server.db.selectFrom('complaint_attachments').select('id').where('complaint_id', '=', row.id).executeTakeFirstOrThrow();

  const handlerA = actors['A.handler'].client;
  ok(await handlerA.post(`/api/v1/complaints/${row.id}/messages`, { body: q.message, request_information: true }), 201, 'question');
  const followed = await postForm(server.baseUrl, '/quejas/seguimiento', new URLSearchParams({ folio: sent.folio, receipt: sent.receipt }));
  if (followed.status !== 200) throw new Error(`follow-up: ${followed.status}`);
  const answered = await postForm(server.baseUrl, '/quejas/seguimiento/responder', complaintForm({ token: tokenOf(followed.text), message: q.reply }));
  if (answered.status !== 200) throw new Error(`reply: ${answered.status}`);
  ok(await handlerA.post(`/api/v1/complaints/${row.id}/notes`, { body: q.note }), 201, 'complaint note');
  const transmission = ok(
    await handlerA.post(`/api/v1/complaints/${row.id}/transmissions`, { to_authority: 'Fiscalía Especializada', means: 'electronic', reference: 'OF-1/2020', include_contact: true, include_notes: true }),
    201,
    'transmission',
  );

  const t = complaintTwoMarkers;
  const two = ok(
    await actors['B.cw'].client.post('/api/v1/complaints', operatorComplaintBody({ kind: 'petition', narrative: t.narrative, authority_type: 'national_guard', anonymous: false, contact: { name: t.contactName, phone: t.contactPhone } })),
    201,
    'complaint two',
  );
  const twoRow = await server.db.selectFrom('complaints').select('institution_id').where('id', '=', two.id).executeTakeFirstOrThrow();
  if (twoRow.institution_id !== institutions.B.id) throw new Error('complaint two was not routed to B');

  return {
    routingRule,
    complaintOne: { id: row.id, folio: sent.folio, receipt: sent.receipt, attachmentId: attachment.id, transmissionId: transmission.id as string },
    complaintTwo: { id: two.id as string, folio: two.folio as string, receipt: two.receipt as string },
  };
}
