import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDaysAfter } from '../platform/dates.ts';
import { sql } from 'kysely';
import { ApiClient, startTestServer, type TestServer } from '../../test/helpers.ts';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { verifyPassword } from '../platform/auth/passwords.ts';
import { verifyAuditChains } from '../platform/audit/audit.ts';
import { localDate } from '../platform/dates.ts';
import { loadDemoIfEmpty, type DemoSummary } from './demo.ts';
import { familyStatus } from '../missing/missing.service.ts';
import { complaintRuntime } from '../complaints/context.ts';
import { complainantView, findByReceipt } from '../complaints/intake.service.ts';
import { complainantCipher } from '../complaints/keys.ts';
import { generateDemoData, institutionsPerHuman } from './generator.ts';
import { writeName } from './names.ts';
import { DEMO_INSTITUTIONS } from './catalogue.ts';
import { signInDetails } from '../welcome.ts';

let server: TestServer;
let db: Db;
let cipher: FieldCipher;
let summary: DemoSummary | null;
/** When loading finished: nothing in the demo may be later. */
let loadedAt: Date;
const lines: string[] = [];

beforeAll(async () => {
  // Behind a "proxy", so that signing in every demo user does not trip the per-address sign-in limit.
  server = await startTestServer({ trustProxy: true });
  ({ db, cipher } = server);
  summary = await loadDemoIfEmpty(db, cipher, { people: 300, log: (line) => lines.push(line) });
  loadedAt = new Date();
}, 180_000);
afterAll(async () => server?.close());

const staffForGenerator = () => new Map(DEMO_INSTITUTIONS.map((i) => [i.code, { supervisor: `s-${i.code}`, caseworkers: [`a-${i.code}`, `b-${i.code}`] }]));
const idsForGenerator = () => new Map(DEMO_INSTITUTIONS.map((i) => [i.code, `id-${i.code}`]));
const isoDaysAgo = (days: number) => localDate(new Date(Date.now() - days * 86_400_000));

describe('names', () => {
  it('writes names as records have them: accents, title case, particles', () => {
    expect(writeName('HERNANDEZ', 'surname')).toBe('Hernández');
    expect(writeName('RODRIGUEZ', 'surname')).toBe('Rodríguez');
    expect(writeName('ALVAREZ', 'surname')).toBe('Álvarez');
    expect(writeName('VALDEZ', 'surname')).toBe('Valdez');
    expect(writeName('DE LA CRUZ', 'surname')).toBe('De la Cruz');
    expect(writeName('MARIA DE LOS ANGELES', 'given')).toBe('María de los Ángeles');
    expect(writeName('JOSE LUIS', 'given')).toBe('José Luis');
    expect(writeName('MA. GUADALUPE', 'given')).toBe('Ma. Guadalupe');
    expect(writeName('CONCEPCION', 'given')).toBe('Concepción');
  });

  it('generates the same data for the same seed and day', () => {
    const staff = staffForGenerator();
    const ids = idsForGenerator();
    const now = new Date('2026-03-01T18:00:00Z');
    const strip = (data: ReturnType<typeof generateDemoData>) => data.people.map((p) => [p.given_names, p.surname1, p.surname2, p.date_of_birth, p.nationalities.join()].join('|'));
    const a = generateDemoData({ people: 200, seed: 7, staff, institutionIds: ids, now });
    const b = generateDemoData({ people: 200, seed: 7, staff, institutionIds: ids, now });
    const c = generateDemoData({ people: 200, seed: 8, staff, institutionIds: ids, now });
    expect(strip(a)).toEqual(strip(b));
    expect(a.cases.map((x) => x.folio)).toEqual(b.cases.map((x) => x.folio));
    expect(strip(a)).not.toEqual(strip(c));
    expect(a.people).toHaveLength(200);
  });
});

describe('loadDemoIfEmpty', () => {
  it('creates the institutions and users that can sign in with the demo password', async () => {
    expect(summary).not.toBeNull();
    const institutions = await db.selectFrom('institutions').select(['code', 'type', 'unit_type', 'state_code', 'country', 'parent_id']).where('type', '<>', 'platform').execute();
    expect(institutions.length).toBeGreaterThanOrEqual(10);
    const ceav = institutions.find((i) => i.code === 'CEAV')!;
    expect(ceav).toMatchObject({ type: 'federal_agency', state_code: '09' });
    expect(institutions.find((i) => i.code === 'SSSIN')).toMatchObject({ type: 'state_agency', unit_type: 'outpatient', state_code: '25' });
    expect(institutions.find((i) => i.code === 'ALB2')).toMatchObject({ type: 'shelter', unit_type: 'residential', state_code: '26' });
    expect(institutions.find((i) => i.code === 'CONSHOU')).toMatchObject({ type: 'consulate', country: 'USA' });
    expect(institutions.find((i) => i.code === 'CAPASIN')!.parent_id).not.toBeNull();

    const roles = new Set(summary!.users.map((u) => u.role));
    expect([...roles].sort()).toEqual(['administrator', 'analyst', 'auditor', 'caseworker', 'child_protection_officer', 'complaint_handler', 'directory_editor', 'search_officer', 'supervisor']);
    expect(summary!.users.find((u) => u.institution === 'CEAV' && u.role === 'supervisor')!.email).toMatch(/^supervisora?\.ceav@demo\.amparo$/);
    expect(summary!.users.filter((u) => u.institution === 'ALB1').map((u) => u.role).sort()).toEqual(['caseworker', 'caseworker', 'directory_editor', 'supervisor']);
    for (const user of summary!.users.filter((u) => u.institution === 'CEAV')) {
      const row = await db.selectFrom('users').select('password_hash').where('email', '=', user.email).executeTakeFirstOrThrow();
      expect(await verifyPassword(row.password_hash, summary!.password)).toBe(true);
    }
    expect(lines.some((l) => l.startsWith('Demo data loaded'))).toBe(true);
  });

  it('registers people with accented names, realistic nationalities and some children', async () => {
    // The people of the demo's bulk load; the child-protection demo registers its children (and a mother) through its services.
    const people = await db.selectFrom('people').selectAll().where('id', 'not in', (eb) => eb.selectFrom('child_files').select('person_id').union(eb.selectFrom('verifications').select('adult_person_id as person_id'))).execute();
    expect(people).toHaveLength(300);
    const all = people.map((p) => `${p.given_names} ${p.surname1 ?? ''} ${p.surname2 ?? ''}`).join(' ');
    expect(all).toMatch(/[áéíóúÁÉÍÓÚ]/);
    expect(people.some((p) => p.surname2 === null)).toBe(true);
    for (const p of people) expect(p.given_names).toMatch(/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u);
    const nationalities = new Set(people.flatMap((p) => p.nationalities.map((n) => n.trim())));
    for (const n of ['HND', 'GTM', 'SLV', 'MEX']) expect(nationalities).toContain(n);
    const men = people.filter((p) => p.sex === 'male').length / people.length;
    expect(men).toBeGreaterThan(0.45);
    expect(men).toBeLessThan(0.75);
    expect(people.some((p) => p.vulnerabilities.includes('unaccompanied_child') || (p.estimated_age ?? 99) < 18)).toBe(true);
    // Encrypted fields decrypt, and document keys match what person.service computes.
    const withDocs = people.filter((p) => p.documents_enc);
    expect(withDocs.length).toBeGreaterThan(20);
    for (const p of withDocs.slice(0, 20)) {
      const docs = cipher.decryptJson<{ type: string; number: string }[]>(p.documents_enc!);
      expect(docs.length).toBe(p.document_keys.length);
      expect(p.document_keys[0]).toBe(cipher.blindIndex(`${docs[0]!.type}:${docs[0]!.number.replace(/[\s.-]/g, '').toUpperCase()}`));
    }
    const withContact = people.find((p) => p.contact_enc)!;
    expect(cipher.decryptJson<{ phone?: string }>(withContact.contact_enc!).phone).toMatch(/^\+/);
  });

  it('opens cases with valid folios, counters, participants, services and timelines', async () => {
    const cases = await db.selectFrom('cases').innerJoin('institutions', 'institutions.id', 'cases.institution_id').select(['cases.id', 'cases.folio', 'cases.status', 'cases.opened_on', 'cases.closed_on', 'cases.summary_enc', 'cases.programme', 'cases.institution_id', 'institutions.code']).execute();
    expect(cases.length).toBeGreaterThan(150);
    for (const c of cases) expect(c.folio).toMatch(new RegExp(`^${c.code}-${c.opened_on.slice(0, 4)}-\\d{6}$`));
    for (const c of cases) expect(c.opened_on >= isoDaysAgo(731) && c.opened_on <= localDate()).toBe(true);
    const counters = await db.selectFrom('case_folio_counters').selectAll().execute();
    for (const counter of counters) {
      const numbers = cases.filter((c) => c.institution_id === counter.institution_id && c.opened_on.startsWith(String(counter.year))).map((c) => Number(c.folio.slice(-6)));
      expect(Math.max(...numbers)).toBe(counter.last_number);
      expect(numbers.length).toBe(counter.last_number);
    }
    const programmes = new Set(cases.map((c) => c.programme));
    for (const p of ['victim_assistance', 'consular_protection', 'health', 'shelter', 'child_protection', 'legal_aid']) expect(programmes).toContain(p);
    expect(cases.some((c) => c.status === 'closed')).toBe(true);
    expect(cases.some((c) => c.status === 'in_progress')).toBe(true);
    expect(cipher.decryptText(cases.find((c) => c.summary_enc)!.summary_enc!).length).toBeGreaterThan(10);

    // Victim-assistance cases always have a direct victim; services go to participants.
    const victims = await db.selectFrom('case_participants').innerJoin('cases', 'cases.id', 'case_participants.case_id').select(['cases.id', 'case_participants.role']).where('cases.programme', '=', 'victim_assistance').execute();
    for (const id of new Set(victims.map((v) => v.id))) expect(victims.some((v) => v.id === id && v.role === 'direct_victim')).toBe(true);
    const orphanServices = await db
      .selectFrom('services')
      .leftJoin('case_participants', (join) => join.onRef('case_participants.case_id', '=', 'services.case_id').onRef('case_participants.person_id', '=', 'services.person_id'))
      .select('services.id')
      .where('case_participants.id', 'is', null)
      .execute();
    expect(orphanServices).toHaveLength(0);
    const early = await db.selectFrom('services').innerJoin('cases', 'cases.id', 'services.case_id').select('services.id').whereRef('services.provided_on', '<', 'cases.opened_on').execute();
    expect(early).toHaveLength(0);
    const openWithServices = await db.selectFrom('cases').innerJoin('services', 'services.case_id', 'cases.id').select('cases.id').where('cases.status', '=', 'open').execute();
    expect(openWithServices).toHaveLength(0);
    const notes = await db.selectFrom('case_notes').select('body_enc').limit(5).execute();
    for (const n of notes) expect(cipher.decryptText(n.body_enc).length).toBeGreaterThan(5);
    const serviceNote = await db.selectFrom('services').select('notes_enc').where('notes_enc', 'is not', null).executeTakeFirstOrThrow();
    expect(cipher.decryptText(serviceNote.notes_enc!).length).toBeGreaterThan(5);
    const opened = await db.selectFrom('case_events').select('case_id').where('kind', '=', 'case.opened').execute();
    expect(new Set(opened.map((e) => e.case_id)).size).toBe(cases.length);
  });

  it('records referrals, and accepted ones open a case in the receiving institution', async () => {
    const referrals = await db.selectFrom('referrals').selectAll().execute();
    expect(referrals.length).toBeGreaterThan(0);
    for (const r of referrals.filter((x) => x.status === 'accepted')) {
      const receiving = await db.selectFrom('cases').select(['institution_id', 'origin_referral_id']).where('id', '=', r.receiving_case_id!).executeTakeFirstOrThrow();
      expect(receiving).toEqual({ institution_id: r.to_institution_id, origin_referral_id: r.id });
    }
    for (const r of referrals.filter((x) => x.status === 'pending')) expect(r.receiving_case_id).toBeNull();
  });

  it('keeps every audit chain intact, with demo.loaded entries', async () => {
    const chains = await verifyAuditChains(db);
    expect(chains.every((c) => c.ok)).toBe(true);
    const loaded = await db.selectFrom('audit_log').select('detail').where('action', '=', 'demo.loaded').execute();
    expect(loaded.reduce((n, e) => n + Number((e.detail as { people?: number }).people ?? 0), 0)).toBe(300);
    const created = await db.selectFrom('audit_log').select('id').where('action', '=', 'user.created').execute();
    expect(created).toHaveLength(summary!.users.length);
  });

  it('fills the search for missing migrants: reports, found records, proposed matches, a family access code', async () => {
    const reports = await db.selectFrom('missing_reports').select(['id', 'folio', 'channel']).execute();
    const found = await db.selectFrom('found_records').select(['condition']).execute();
    expect(reports.length).toBe(240);
    expect(new Set(reports.map((r) => r.channel))).toEqual(new Set(['in_person', 'phone', 'consulate']));
    expect(found.some((f) => f.condition === 'deceased')).toBe(true);
    const proposed = await db.selectFrom('match_candidates').select('id').where('status', '=', 'proposed').execute();
    // 80 reports have their person among the found records; most are proposed, few strangers are.
    expect(proposed.length).toBeGreaterThan(50);
    expect(proposed.length).toBeLessThan(120);
    expect(await db.selectFrom('missing_match_queue').select('record_id').execute()).toHaveLength(0);
    const family = await familyStatus(db, cipher, summary!.missingSample.folio, summary!.missingSample.receipt);
    expect(family?.status).toBe('active');
  });

  it('fills the services directory: 150+ services on both borders, shelters with free beds in Tapachula, some not verified for six months', async () => {
    const services = await db.selectFrom('directory_services as s').innerJoin('directory_service_at_locations as sl', 'sl.service_id', 's.id').innerJoin('directory_locations as l', 'l.id', 'sl.location_id').select(['s.id', 's.verified_on', 's.capacity_available', 's.review_state', 'l.state_code', 'l.municipality_code', 's.institution_id']).execute();
    expect(services.length).toBeGreaterThanOrEqual(150);
    expect(services.every((s) => s.review_state === 'published')).toBe(true);
    expect(new Set(services.map((s) => s.state_code))).toEqual(new Set(['07', '27', '04', '23', '02', '26', '08', '05', '19', '28']));
    expect(services.filter((s) => s.municipality_code === '07089' && (s.capacity_available ?? 0) > 0).length).toBeGreaterThanOrEqual(3);
    const today = localDate();
    const sixMonthsAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 183 * 86_400_000).toISOString().slice(0, 10);
    const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
    const stale = services.filter((s) => s.verified_on! < sixMonthsAgo).length;
    expect(stale).toBeGreaterThan(5);
    expect(stale).toBeLessThan(services.length / 4);
    expect(services.some((s) => s.verified_on === weekAgo)).toBe(true);
    expect(services.every((s) => s.verified_on! <= weekAgo)).toBe(true);
    expect(services.filter((s) => s.institution_id !== null).length).toBe(2);
    expect(summary!.users.filter((u) => u.role === 'directory_editor')).toHaveLength(2);
  });

  it('gives a few screenings through the module, finished, flagged, and dated no later than a week ago', async () => {
    const rows = await db.selectFrom('screenings').select(['status', 'flags', 'completed_at']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every((r) => r.status === 'completed')).toBe(true);
    expect(rows.some((r) => r.flags.length > 0)).toBe(true);
    expect(rows.some((r) => r.flags.length === 0)).toBe(true);
    expect(rows.every((r) => r.completed_at!.getTime() <= loadedAt.getTime() - 7 * 86_400_000 + 3_600_000)).toBe(true);
  });

  it('gives the consulates outreach events week by week up to last week, two on the calendar, recorded through the module', async () => {
    const rows = await db
      .selectFrom('outreach_events as e')
      .innerJoin('institutions as i', 'i.id', 'e.institution_id')
      .select(['i.code', 'i.type', 'e.held_on', 'e.country', 'e.city', 'e.id', (eb) => eb.selectFrom('outreach_attendance as a').select((x) => x.fn.coalesce(x.fn.sum<number>('a.attendees'), x.lit(0)).as('n')).whereRef('a.event_id', '=', 'e.id').as('attendees')])
      .execute();
    const today = localDate();
    const consular = rows.filter((r) => r.type === 'consulate');
    expect(new Set(consular.map((r) => r.code))).toEqual(new Set(['CONSHOU', 'CONSLAX']));
    const past = consular.filter((r) => r.held_on <= today);
    expect(past.length).toBeGreaterThan(40);
    expect(past.every((r) => r.held_on <= isoDaysAgo(7) && Number(r.attendees) > 0 && r.country === 'USA' && r.city)).toBe(true);
    expect(past.some((r) => r.held_on >= isoDaysAgo(14))).toBe(true);
    expect(consular.filter((r) => r.held_on > today).every((r) => Number(r.attendees) === 0)).toBe(true);
    expect(consular.filter((r) => r.held_on > today)).toHaveLength(4);
    const audited = await db.selectFrom('audit_log').select('record_id').where('action', '=', 'outreach.event_recorded').execute();
    expect(audited.length).toBe(rows.length);
  });

  it('gives CEAV programme points recorded by its administrator, two in operation today and one closed', async () => {
    const points = await db.selectFrom('resource_points as p').innerJoin('institutions as i', 'i.id', 'p.institution_id').select(['i.code', 'p.active_to', 'p.id']).execute();
    expect(points.map((p) => p.code)).toEqual(['CEAV', 'CEAV', 'CEAV']);
    expect(points.filter((p) => p.active_to === null)).toHaveLength(2);
    const audited = await db.selectFrom('audit_log').select('record_id').where('action', '=', 'resource_point.created').execute();
    expect(new Set(audited.map((a) => a.record_id))).toEqual(new Set(points.map((p) => p.id)));
  });

  it('gives CEAV rescues and transfers of the last weeks, up to last week, recorded by a caseworker, one corrected with a reason by its supervisor', async () => {
    const ops = await db
      .selectFrom('field_operations as o')
      .innerJoin('institutions as i', 'i.id', 'o.institution_id')
      .innerJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'o.created_by').onRef('m.institution_id', '=', 'o.institution_id'))
      .select(['o.id', 'i.code', 'o.kind', 'o.mode', 'o.state', 'o.occurred_on', 'm.role'])
      .execute();
    expect(new Set(ops.map((o) => o.code))).toEqual(new Set(['CEAV']));
    expect(new Set(ops.map((o) => o.role))).toEqual(new Set(['caseworker']));
    expect(new Set(ops.map((o) => (o.kind === 'rescue' ? 'rescue' : o.mode)))).toEqual(new Set(['rescue', 'road', 'air']));
    expect(ops.every((o) => o.state !== null && o.occurred_on <= isoDaysAgo(7) && o.occurred_on >= isoDaysAgo(60))).toBe(true);
    const recorded = await db.selectFrom('audit_log').select('record_id').where('action', '=', 'field_operation.recorded').execute();
    expect(new Set(recorded.map((a) => a.record_id))).toEqual(new Set(ops.map((o) => o.id)));
    const corrections = await db.selectFrom('field_operation_corrections as c').innerJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'c.corrected_by').onRef('m.institution_id', '=', 'c.institution_id')).select(['c.operation_id', 'c.reason', 'c.changes', 'm.role']).execute();
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatchObject({ role: 'supervisor', changes: [{ field: 'people', from: 9, to: 12 }] });
    expect(corrections[0]!.reason.length).toBeGreaterThan(10);
    const corrected = await db.selectFrom('audit_log').select('record_id').where('action', '=', 'field_operation.corrected').execute();
    expect(corrected.map((a) => a.record_id)).toEqual([corrections[0]!.operation_id]);
  });

  it('fills both complaint units: sealed to their unit, in several statuses, one question waiting for the complainant', async () => {
    const complaints = await db.selectFrom('complaints').innerJoin('institutions', 'institutions.id', 'complaints.institution_id').select(['complaints.id', 'institutions.code', 'status', 'channel', 'key_for_unit_institution', 'complaints.institution_id', 'key_for_server']).execute();
    expect(complaints).toHaveLength(12);
    expect(new Set(complaints.map((c) => c.code))).toEqual(new Set(['OICINM', 'UAIGN']));
    expect(new Set(complaints.map((c) => c.channel))).toEqual(new Set(['web', 'phone', 'in_person']));
    expect(new Set(complaints.map((c) => c.status))).toEqual(new Set(['new', 'more_information_requested', 'under_review', 'admitted', 'not_admitted']));
    for (const c of complaints) {
      expect(c.key_for_unit_institution).toBe(c.institution_id);
      expect(c.key_for_server).toBeNull();
    }
    const hasher = complaintRuntime(cipher).hasher;
    const found = await findByReceipt(db, hasher, summary!.complaintSample.folio, summary!.complaintSample.receipt);
    expect(found).not.toBeNull();
    const view = await complainantView(db, complainantCipher(cipher, found!), found!.id);
    expect(view.open_question).toBe(true);
    expect(view.messages.at(-1)!.body).toContain('fecha');
  });

  it("keeps a Procuraduría's children's files, through the module's services: placements, overdue measures, a reunification followed up", async () => {
    const children = await db.selectFrom('child_files').select(['case_id', 'person_id']).execute();
    expect(children).toHaveLength(12);
    const placements = await db.selectFrom('placements').select(['care_type', 'justification_enc']).where('ended_on', 'is', null).execute();
    expect(placements.some((p) => p.care_type === 'residential' && p.justification_enc)).toBe(true);
    expect(placements.some((p) => p.care_type !== 'residential')).toBe(true);
    const overdue = await db.selectFrom('restitution_measures').select('id').where('executed_on', 'is', null).where('due_on', '<', localDate()).execute();
    expect(overdue.length).toBeGreaterThan(0);
    const reunifications = await db.selectFrom('child_reunifications').select('id').where('verification_id', 'is not', null).execute();
    expect(reunifications).toHaveLength(1);
    const visits = await db.selectFrom('reunification_followups').select('visited_on').execute();
    expect(visits.filter((v) => v.visited_on).length).toBeGreaterThan(0);
    expect(summary!.users.filter((u) => u.role === 'child_protection_officer').map((u) => u.institution)).toEqual(['PPNNACHIS', 'PPNNACHIS']);
  });

  it('shows family tracing at work: two requests of last week, a match proposed for the child who consented, none for the child not yet asked', async () => {
    const requests = await db.selectFrom('tracing_requests').select(['id', 'received_on']).execute();
    expect(requests).toHaveLength(2);
    const lastWeek = isoDaysAfter(localDate(loadedAt), -10);
    expect(requests.every((r) => r.received_on >= lastWeek && r.received_on < localDate(loadedAt))).toBe(true);
    const matches = await db.selectFrom('tracing_matches as m').innerJoin('child_files as f', 'f.case_id', 'm.case_id').select(['f.tracing_consent', 'm.status', 'm.via']).execute();
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every((m) => m.tracing_consent === 'given')).toBe(true);
    expect(matches.some((m) => m.via === 'child' && m.status === 'proposed')).toBe(true);
    // The request for the child not yet asked names her: it waits for her consent.
    const waiting = await db
      .selectFrom('tracing_sought_children as s')
      .innerJoin('people as p', (j) => j.onRef('p.given_names', '=', 's.given_names').onRef('p.surname1', '=', 's.surname1'))
      .innerJoin('child_files as f', 'f.person_id', 'p.id')
      .select('f.tracing_consent')
      .execute();
    expect(waiting.map((w) => w.tracing_consent).sort()).toEqual(['given', 'not_asked']);
  });

  it('does not load twice', async () => {
    expect(await loadDemoIfEmpty(db, cipher, { people: 300, log: () => undefined })).toBeNull();
    const { n } = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const { c } = await db.selectFrom('child_files').select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirstOrThrow();
    const { m } = await db.selectFrom('verifications').select((eb) => eb.fn.countAll<number>().as('m')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(300 + Number(c) + Number(m));
  });
});

describe('a living demo', () => {
  const DASHBOARD_ROLES = new Set(['supervisor', 'caseworker', 'analyst', 'administrator']);

  it("shows this month's work on every demo user's dashboard, and Pendientes is not a wall of stale cases", async () => {
    const users = summary!.users.filter((u) => DASHBOARD_ROLES.has(u.role));
    expect(users.length).toBe(DEMO_INSTITUTIONS.length * 3 + 2);
    for (const [index, user] of users.entries()) {
      const client = new ApiClient(server.baseUrl);
      const login = await client.request('POST', '/api/v1/auth/login', { email: user.email, password: summary!.password }, { 'x-forwarded-for': `198.51.100.${index + 1}` });
      expect(login.status, user.email).toBe(200);
      await client.refreshSession();
      const dashboard = await client.get('/api/v1/dashboard');
      expect(dashboard.status, user.email).toBe(200);
      expect(dashboard.body.services_this_month, `${user.email}: services this month`).toBeGreaterThan(0);
      const cases = Object.values(dashboard.body.cases_by_status as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(cases, `${user.email}: cases`).toBeGreaterThan(0);
      if (user.role === 'caseworker') {
        const open = dashboard.body.my_open_cases as { last_service_on: string | null }[];
        expect(open.length, `${user.email}: own open cases`).toBeGreaterThan(0);
        expect(open.some((c) => c.last_service_on !== null && c.last_service_on >= isoDaysAgo(30)), `${user.email}: a service in the last 30 days`).toBe(true);
        const stale = (dashboard.body.tasks as { kind: string }[]).filter((t) => t.kind === 'case_without_recent_service');
        expect(stale.length, `${user.email}: stale cases among ${open.length} open`).toBeLessThanOrEqual(Math.max(3, Math.ceil(open.length * 0.3)));
      }
    }
  }, 120_000);

  it('keeps this month busy on any day, even the first of the month just after midnight, and nothing is later than the moment of loading', () => {
    // 00:10 on 1 March in Mexico City; the last evening of a year; a day in the middle of a month.
    for (const now of [new Date('2027-03-01T06:10:00Z'), new Date('2027-01-01T05:30:00Z'), new Date('2026-07-15T20:00:00Z')]) {
      const data = generateDemoData({ people: 300, seed: 5, staff: staffForGenerator(), institutionIds: idsForGenerator(), now });
      const today = localDate(now);
      const monthStart = `${today.slice(0, 8)}01`;
      for (const [code, staff] of staffForGenerator()) {
        for (const worker of [staff.supervisor, ...staff.caseworkers]) {
          const current = data.cases.filter((c) => c.institution === code && c.status !== 'closed' && (worker === staff.supervisor || c.assigned_to === worker));
          const services = current.flatMap((c) => c.services).filter((s) => s.created_by === worker && s.provided_on >= monthStart);
          expect(services.length, `${worker} on ${today}`).toBeGreaterThan(0);
        }
      }
      const services = data.cases.flatMap((c) => c.services);
      expect(services.every((s) => s.provided_on <= today)).toBe(true);
      const moments = data.cases.flatMap((c) => [c.created_at, c.updated_at, ...c.services.map((s) => s.created_at), ...c.notes.map((n) => n.created_at), ...c.events.map((e) => e.at)]);
      expect(Math.max(...moments.map((m) => m.getTime()))).toBeLessThanOrEqual(now.getTime());
      expect(data.people.every((p) => p.created_at.getTime() <= now.getTime() && (p.date_of_birth ?? '') <= today)).toBe(true);
      expect(data.referrals.every((r) => r.created_at.getTime() <= now.getTime() && (r.responded_at?.getTime() ?? 0) <= now.getTime())).toBe(true);
    }
  });

  it('has every member of staff recording services this month, on their own cases', async () => {
    const monthStart = localDate().slice(0, 8) + '01';
    const staff = await db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select(['users.id', 'users.email', 'memberships.institution_id'])
      .where('memberships.role', 'in', ['supervisor', 'caseworker'])
      .where('users.email', 'like', '%@demo.amparo')
      .execute();
    expect(staff).toHaveLength(DEMO_INSTITUTIONS.length * 3);
    for (const member of staff) {
      const recorded = await db.selectFrom('services').select('id').where('created_by', '=', member.id).where('institution_id', '=', member.institution_id).where('provided_on', '>=', monthStart).execute();
      expect(recorded.length, member.email).toBeGreaterThan(0);
    }
  });

  it('has services in each of the last 12 months, and most cases of the first months closed', async () => {
    const rows = await sql<{ month: string; n: string }>`select to_char(provided_on, 'YYYY-MM') as month, count(*) as n from services group by 1`.execute(db);
    const byMonth = new Map(rows.rows.map((r) => [r.month, Number(r.n)]));
    const today = localDate();
    for (let back = 0; back < 12; back++) {
      const d = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - back, 1));
      const month = d.toISOString().slice(0, 7);
      expect(byMonth.get(month) ?? 0, month).toBeGreaterThan(0);
    }
    const old = await db.selectFrom('cases').select(['status']).where('opened_on', '<', isoDaysAgo(400)).execute();
    expect(old.length).toBeGreaterThan(10);
    expect(old.filter((c) => c.status === 'closed').length / old.length).toBeGreaterThan(0.75);
  });

  it('dates no record after today', async () => {
    const today = localDate();
    const latest = await sql<Record<string, string | Date | null>>`
      select (select max(provided_on) from services) as provided_on,
             (select max(opened_on) from cases) as opened_on,
             (select max(closed_on) from cases) as closed_on,
             (select max(consent_recorded_on) from referrals) as consent_recorded_on,
             (select max(last_seen_on) from missing_reports) as last_seen_on,
             (select max(found_on) from found_records) as found_on,
             (select max(created_at) from people) as people_created,
             (select max(created_at) from services) as services_created,
             (select max(created_at) from case_notes) as notes_created,
             (select max(at) from case_events) as events_at,
             (select max(updated_at) from cases) as cases_updated,
             (select max(coalesce(responded_at, created_at)) from referrals) as referrals_at`.execute(db);
    for (const [column, value] of Object.entries(latest.rows[0]!)) {
      expect(value, column).not.toBeNull();
      if (value instanceof Date) expect(value.getTime(), column).toBeLessThanOrEqual(loadedAt.getTime());
      else expect(String(value).slice(0, 10) <= today, `${column} ${value}`).toBe(true);
    }
    // And they reach recent days: the last week has services and new cases.
    expect(String(latest.rows[0]!.provided_on) >= isoDaysAgo(7)).toBe(true);
    expect(String(latest.rows[0]!.last_seen_on) >= isoDaysAgo(60)).toBe(true);
  });

  it('has people attended by two or more institutions, some in several states, as the records show them', async () => {
    // In the data set, where the generator knows who is who: about a third of the people.
    const data = generateDemoData({ people: 1000, seed: 2019, staff: staffForGenerator(), institutionIds: idsForGenerator() });
    const humans = [...institutionsPerHuman(data).values()];
    const moving = humans.filter((set) => set.size >= 2).length / humans.length;
    expect(moving).toBeGreaterThan(0.25);
    expect(moving).toBeLessThan(0.5);
    const state = new Map(DEMO_INSTITUTIONS.map((i) => [i.code, i.state_code ?? i.country]));
    expect(humans.filter((set) => new Set([...set].map((code) => state.get(code))).size >= 3).length).toBeGreaterThan(10);

    // In the database, as a caseworker could see it: person records of one institution in cases of
    // another (referrals), and the same name and date of birth registered by several institutions.
    const referred = await sql<{ n: string }>`select count(distinct cp.person_id) as n from case_participants cp join people p on p.id = cp.person_id where cp.institution_id <> p.institution_id`.execute(db);
    expect(Number(referred.rows[0]!.n)).toBeGreaterThan(5);
    const again = await sql<{ n: string }>`
      select count(*) as n from (
        select unaccent(lower(given_names)), date_of_birth from people where date_of_birth is not null
        group by 1, 2 having count(distinct institution_id) >= 2) t`.execute(db);
    expect(Number(again.rows[0]!.n)).toBeGreaterThan(10);
  });

  it('holds data as varied as life: namesakes, spelling variants, missing fields, children who came of age', async () => {
    const data = generateDemoData({ people: 1000, seed: 2019, staff: staffForGenerator(), institutionIds: idsForGenerator() });
    const fullName = (p: { given_names: string; surname1: string | null; surname2: string | null }) => `${p.given_names}|${p.surname1}|${p.surname2}`;
    const byName = new Map<string, Set<string>>();
    for (const p of data.people) byName.set(fullName(p), (byName.get(fullName(p)) ?? new Set()).add(p.identity));
    expect([...byName.values()].filter((ids) => ids.size >= 2).length, 'namesakes').toBeGreaterThan(3);
    const byIdentity = new Map<string, typeof data.people>();
    for (const p of data.people) byIdentity.set(p.identity, [...(byIdentity.get(p.identity) ?? []), p]);
    const written = [...byIdentity.values()].filter((records) => new Set(records.map(fullName)).size >= 2);
    expect(written.length, 'the same person written differently').toBeGreaterThan(30);
    const foldedAway = written.filter((records) => new Set(records.map((p) => fullName(p).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase())).size >= 2);
    expect(foldedAway.length, 'typos and sounds, not only accents').toBeGreaterThan(10);

    const people = await db.selectFrom('people').select(['date_of_birth', 'estimated_age', 'surname2', 'id']).execute();
    expect(people.filter((p) => p.date_of_birth === null && p.estimated_age !== null).length / people.length).toBeGreaterThan(0.1);
    expect(people.filter((p) => p.surname2 === null).length / people.length).toBeGreaterThan(0.05);
    // Children at their first case who are adults today.
    const cameOfAge = await sql<{ n: string }>`
      select count(distinct p.id) as n from people p join case_participants cp on cp.person_id = p.id join cases c on c.id = cp.case_id
      where p.date_of_birth is not null and c.opened_on < p.date_of_birth + interval '18 years' and p.date_of_birth + interval '18 years' <= current_date`.execute(db);
    expect(Number(cameOfAge.rows[0]!.n)).toBeGreaterThan(0);
  });

  it('lists the demo users and how to reset a password on every start, the address last', async () => {
    const first = await signInDetails(db, { url: 'http://localhost:3000', admin: { email: 'admin@amparo.local', password: 'first-start-password' }, demo: summary });
    const later = await signInDetails(db, { url: 'http://localhost:3000', admin: null, demo: null });
    for (const text of [first, later]) {
      for (const user of summary!.users) expect(text.some((l) => l.includes(user.email)), user.email).toBe(true);
      expect(text.some((l) => l.includes('npm run amparo -- user reset-password --email'))).toBe(true);
      expect(text.at(-2)).toContain('Amparo is running at http://localhost:3000');
    }
    expect(first.join('\n')).toContain(summary!.password);
    expect(first.join('\n')).toContain('first-start-password');
    expect(first.join('\n')).toContain(summary!.missingSample.receipt);
    expect(first.join('\n')).toContain(summary!.complaintSample.receipt);
    expect(later.join('\n')).not.toContain(summary!.password);
  });
});
