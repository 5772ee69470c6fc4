import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helpers.ts';
import type { Db } from '../platform/db/database.ts';
import { FieldCipher, newKeyRing } from '../platform/crypto/field-encryption.ts';
import { verifyPassword } from '../platform/auth/passwords.ts';
import { verifyAuditChains } from '../platform/audit/audit.ts';
import { loadDemoIfEmpty, type DemoSummary } from './demo.ts';
import { familyStatus } from '../missing/missing.service.ts';
import { complaintRuntime } from '../complaints/context.ts';
import { complainantView, findByReceipt } from '../complaints/intake.service.ts';
import { complainantCipher } from '../complaints/keys.ts';
import { generateDemoData } from './generator.ts';
import { writeName } from './names.ts';
import { DEMO_INSTITUTIONS } from './catalogue.ts';

let db: Db;
let cipher: FieldCipher;
let summary: DemoSummary | null;
const lines: string[] = [];

beforeAll(async () => {
  ({ db } = await freshDatabase());
  cipher = await FieldCipher.fromRing(await newKeyRing());
  summary = await loadDemoIfEmpty(db, cipher, { people: 300, log: (line) => lines.push(line) });
}, 120_000);
afterAll(async () => db.destroy());

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

  it('generates the same data for the same seed', () => {
    const staff = new Map(DEMO_INSTITUTIONS.map((i) => [i.code, { supervisor: `s-${i.code}`, caseworkers: [`a-${i.code}`, `b-${i.code}`] }]));
    const ids = new Map(DEMO_INSTITUTIONS.map((i) => [i.code, `id-${i.code}`]));
    const strip = (data: ReturnType<typeof generateDemoData>) => data.people.map((p) => [p.given_names, p.surname1, p.surname2, p.date_of_birth, p.nationalities.join()].join('|'));
    const a = generateDemoData({ people: 200, seed: 7, staff, institutionIds: ids });
    const b = generateDemoData({ people: 200, seed: 7, staff, institutionIds: ids });
    const c = generateDemoData({ people: 200, seed: 8, staff, institutionIds: ids });
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
    expect([...roles].sort()).toEqual(['administrator', 'analyst', 'auditor', 'caseworker', 'complaint_handler', 'search_officer', 'supervisor']);
    expect(summary!.users.find((u) => u.institution === 'CEAV' && u.role === 'supervisor')!.email).toMatch(/^supervisora?\.ceav@demo\.amparo$/);
    expect(summary!.users.filter((u) => u.institution === 'ALB1').map((u) => u.role).sort()).toEqual(['caseworker', 'caseworker', 'supervisor']);
    for (const user of summary!.users.filter((u) => u.institution === 'CEAV')) {
      const row = await db.selectFrom('users').select('password_hash').where('email', '=', user.email).executeTakeFirstOrThrow();
      expect(await verifyPassword(row.password_hash, summary!.password)).toBe(true);
    }
    expect(lines.some((l) => l.startsWith('Demo data loaded'))).toBe(true);
  });

  it('registers people with accented names, realistic nationalities and some children', async () => {
    const people = await db.selectFrom('people').selectAll().execute();
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
    for (const c of cases) expect(['2018', '2019']).toContain(c.opened_on.slice(0, 4));
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

  it('does not load twice', async () => {
    expect(await loadDemoIfEmpty(db, cipher, { people: 300, log: () => undefined })).toBeNull();
    const { n } = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(300);
  });
});
