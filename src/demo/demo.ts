import { updateSiteSettings } from '../public/site.service.ts';
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { randomPassword } from '../platform/auth/passwords.ts';
import { createInstitution } from '../institutions/institution.service.ts';
import { createUser } from '../users/user.service.ts';
import { loadComplaintsDemo } from './complaints.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_INSTITUTIONS } from './catalogue.ts';
import { refreshPendingNameKeys } from '../search/store.ts';
import { documentKey } from '../people/person.service.ts';
import { generateDemoData, institutionsPerHuman, type DemoCase, type DemoDataSet, type DemoPerson, type DemoReferral, type Staff } from './generator.ts';
import { randomName } from './names.ts';
import { loadMissingDemo } from './missing.ts';
import { loadChildrenDemo } from './children.ts';
import { loadDirectoryDemo } from './directory.ts';
import { loadScreeningsDemo } from './screenings.ts';
import { loadOutreachDemo } from './outreach.ts';
import { loadResourcesDemo } from './resources.ts';
import { Random } from '../platform/random.ts';

export type DemoSummary = { password: string; users: { email: string; role: string; institution: string }[]; missingSample: { folio: string; receipt: string }; complaintSample: { folio: string; receipt: string } };

export type DemoOptions = {
  people: number;
  log: (line: string) => void;
  /** Same seed, same data (default 2019). */
  seed?: number;
  /** The password of every demo user; a random one when not given. */
  password?: string;
  /** The moment the demo's 24 months end (default: now). */
  now?: Date;
};

/** Rows per INSERT (well under PostgreSQL's 65,535 parameters) and cases per transaction. */
const ROWS_PER_INSERT = 1000;
const CASES_PER_TRANSACTION = 400;
const PEOPLE_PER_TRANSACTION = 1000;

/**
 * Loads the demo data set when the database holds no institution but the platform's: about a dozen
 * institutions with their staff (through the services, so each has its audit entry), then people,
 * case files, services, notes, timelines and referrals over the 24 months up to today, written in
 * batches, encrypted and indexed exactly as the services write them, with one `demo.loaded` audit
 * entry per batch. Returns null, and does nothing, when the database already has institutions.
 */
export async function loadDemoIfEmpty(db: Db, cipher: FieldCipher, options: DemoOptions): Promise<DemoSummary | null> {
  const any = await db.selectFrom('institutions').select('id').where('type', '<>', 'platform').executeTakeFirst();
  if (any) return null;
  const started = Date.now();
  const seed = options.seed ?? 2019;
  const password = options.password ?? randomPassword();
  options.log(`Loading the demo data: ${DEMO_INSTITUTIONS.length} institutions, their staff and ${options.people} people over the last 24 months...`);
  const institutionIds = await createInstitutions(db);
  const { users, staff, officers, administrator } = await createStaff(db, institutionIds, password, seed);

  // People, cases and the rest, generated in memory and written in batches.
  const data = generateDemoData({ people: options.people, seed, staff, institutionIds, ...(options.now ? { now: options.now } : {}) });
  const idOf = (code: string) => institutionIds.get(code)!;
  await writePeople(db, cipher, data.people, idOf);
  for (const spec of DEMO_INSTITUTIONS) await writeCases(db, cipher, data, spec.code, idOf);
  await writeReferrals(db, data.referrals, idOf);

  // People were written in bulk: compute their name-matching keys now rather than on the first search.
  await refreshPendingNameKeys(db);
  const missing = await loadMissingDemo(db, cipher, { seed, institutionIds, officers, ...(options.now ? { now: options.now } : {}) });
  const complaints = await loadComplaintsDemo(db, cipher, { seed, password });
  users.push(...complaints.users);
  // Who runs the demo's public front door (a plausible operator: the migrant-assistance line of the
  // southern border; the numbers are of the 555 range used in examples, not real lines).
  await updateSiteSettings(db, null, {
    operator_name: 'Centro de Atención a Personas Migrantes de la Frontera Sur',
    phone: '+52 962 555 0100',
    whatsapp: '+52 962 555 0101',
    address: 'Calle 4a Oriente 25, Centro, 30700 Tapachula de Córdova y Ordóñez, Chiapas',
    privacy_notice: null,
  });
  const children = await loadChildrenDemo(db, cipher, { seed, institutionIds, supervisorId: staff.get('PPNNACHIS')!.supervisor, caseworkerId: staff.get('PPNNACHIS')!.caseworkers[0]!, password, ...(options.now ? { now: options.now } : {}) });
  users.push(...children.users);
  const directory = await loadDirectoryDemo(db, { seed, institutionIds, password, ...(options.now ? { now: options.now } : {}) });
  users.push(...directory.users);
  const supervisors = new Map([...staff].filter(([, s]) => s.supervisor).map(([code, s]) => [idOf(code), s.supervisor]));
  const screenings = await loadScreeningsDemo(db, cipher, { seed, supervisors, ...(options.now ? { now: options.now } : {}) });
  const outreach = await loadOutreachDemo(db, { seed, institutionIds, staff, ...(options.now ? { now: options.now } : {}) });
  const resources = await loadResourcesDemo(db, { institutionId: idOf('CEAV'), administratorId: administrator, caseworkerId: staff.get('CEAV')!.caseworkers[0]!, supervisorId: staff.get('CEAV')!.supervisor, ...(options.now ? { now: options.now } : {}) });
  const services = data.cases.reduce((n, c) => n + c.services.length, 0);
  const humans = institutionsPerHuman(data);
  const moving = [...humans.values()].filter((set) => set.size > 1).length;
  options.log(
    `Demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${data.people.length} person records (${humans.size} people, ${Math.round((100 * moving) / humans.size)} % of them attended by two or more institutions), ` +
      `${data.cases.length} cases, ${services} services, ${data.referrals.length} referrals, ${missing.reports} missing-person reports, ${missing.found} found records, ${missing.proposed} matches to review, ${complaints.complaints} complaints, ${children.files} children's protection files, ${directory.services} services in the directory, ${screenings.screenings} screenings, ${outreach.events} outreach events, ${resources.points} programme points, ${resources.operations} rescues and transfers.`,
  );
  return { password, users, missingSample: missing.sample, complaintSample: complaints.sample };
}

/** The demo's users, as the first start listed them (for the starts after it, which do not know the password). */
export async function listDemoUsers(db: Db): Promise<DemoSummary['users']> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .innerJoin('institutions', 'institutions.id', 'memberships.institution_id')
    .select(['users.email', 'memberships.role', 'institutions.code'])
    .where('users.email', 'like', `%${DEMO_EMAIL_DOMAIN}`)
    .where('users.disabled_at', 'is', null)
    .orderBy('users.created_at')
    .orderBy('users.email')
    .execute();
  return rows.map((r) => ({ email: r.email, role: r.role, institution: r.code }));
}

async function createInstitutions(db: Db): Promise<Map<string, string>> {
  const institutionIds = new Map<string, string>();
  for (const spec of DEMO_INSTITUTIONS) {
    const { parent, region: _region, share: _share, programmes: _programmes, phone: _phone, place: _place, ...fields } = spec;
    const row = await createInstitution(db, null, { ...fields, parent_id: parent ? institutionIds.get(parent)! : null });
    institutionIds.set(spec.code, row.id);
  }
  return institutionIds;
}

type DemoRole = 'supervisor' | 'caseworker' | 'analyst' | 'auditor' | 'administrator' | 'search_officer';

/** A supervisor and two caseworkers per institution, an analyst, an auditor, an administrator and the search officers. */
async function createStaff(db: Db, institutionIds: Map<string, string>, password: string, seed: number) {
  const staffNames = new Random(seed ^ 0x5eed);
  const users: DemoSummary['users'] = [];
  const staff = new Map<string, Staff>();
  const addUser = async (code: string, role: DemoRole, localPart: (female: boolean) => string) => {
    const female = staffNames.chance(0.6);
    const name = randomName(staffNames, female ? 'female' : 'male', 'mx');
    const email = `${localPart(female)}.${code.toLowerCase()}${DEMO_EMAIL_DOMAIN}`;
    const displayName = [name.given_names, name.surname1, name.surname2].filter(Boolean).join(' ');
    const created = await createUser(db, null, { email, display_name: displayName, password, institution_id: institutionIds.get(code)!, role });
    users.push({ email, role, institution: code });
    return created.id;
  };
  for (const spec of DEMO_INSTITUTIONS) {
    const supervisor = await addUser(spec.code, 'supervisor', (f) => (f ? 'supervisora' : 'supervisor'));
    const caseworkers = [await addUser(spec.code, 'caseworker', (f) => (f ? 'operadora1' : 'operador1')), await addUser(spec.code, 'caseworker', (f) => (f ? 'operadora2' : 'operador2'))];
    staff.set(spec.code, { supervisor, caseworkers });
  }
  await addUser('CEAV', 'analyst', () => 'analista');
  await addUser('CEAV', 'auditor', (f) => (f ? 'auditora' : 'auditor'));
  const administrator = await addUser('CEAV', 'administrator', () => 'administracion');
  const officers = new Map<string, string>();
  for (const code of ['CNB', 'CONSHOU', 'CONSLAX']) officers.set(code, await addUser(code, 'search_officer', () => 'busqueda'));
  return { users, staff, officers, administrator };
}

async function writePeople(db: Db, cipher: FieldCipher, all: DemoPerson[], idOf: (code: string) => string): Promise<void> {
  for (const spec of DEMO_INSTITUTIONS) {
    const people = all.filter((p) => p.institution === spec.code);
    for (const batch of chunks(people, PEOPLE_PER_TRANSACTION)) {
      await db.transaction().execute(async (trx) => {
        await insertChunked(trx, 'people', batch.map((p) => personRow(cipher, idOf(spec.code), p)));
        await appendAudit(trx, { institutionId: idOf(spec.code), actorUserId: null, action: 'demo.loaded', recordType: 'demo', detail: { people: batch.length } });
      });
    }
  }
}

/** One institution's cases with their participants, services, notes and timelines, and its folio counters. */
async function writeCases(db: Db, cipher: FieldCipher, data: DemoDataSet, code: string, idOf: (code: string) => string): Promise<void> {
  const institutionId = idOf(code);
  const batches = chunks(
    data.cases.filter((c) => c.institution === code),
    CASES_PER_TRANSACTION,
  );
  for (const batch of batches) {
    await db.transaction().execute(async (trx) => {
      await insertChunked(trx, 'cases', batch.map((c) => caseRow(cipher, institutionId, c)));
      const participants = batch.flatMap((c) => c.participants.map((p) => ({ id: p.id, institution_id: institutionId, case_id: c.id, person_id: p.person.id, role: p.role, relationship: p.relationship, created_at: c.created_at })));
      await insertChunked(trx, 'case_participants', participants);
      const services = batch.flatMap((c) =>
        c.services.map((s) => ({ id: s.id, institution_id: institutionId, case_id: c.id, person_id: s.person.id, service_type: s.service_type, provided_on: s.provided_on, provider_unit: s.provider_unit, notes_enc: s.notes ? cipher.encryptText(s.notes) : null, created_by: s.created_by, created_at: s.created_at })),
      );
      await insertChunked(trx, 'services', services);
      const notes = batch.flatMap((c) => c.notes.map((n) => ({ id: n.id, institution_id: institutionId, case_id: c.id, body_enc: cipher.encryptText(n.body), author_id: n.author, created_at: n.created_at })));
      await insertChunked(trx, 'case_notes', notes);
      // Timelines are read in id order: each case's events go in together, in time order.
      const events = batch.flatMap((c) => c.events.map((e) => ({ institution_id: institutionId, case_id: c.id, at: e.at, actor_user_id: e.actor, kind: e.kind, data: JSON.stringify(e.data) })));
      await insertChunked(trx, 'case_events', events);
      await appendAudit(trx, { institutionId, actorUserId: null, action: 'demo.loaded', recordType: 'demo', detail: { cases: batch.length, participants: participants.length, services: services.length, notes: notes.length, events: events.length } });
    });
  }
  const counters = data.folioCounters.filter((f) => f.institution === code).map((f) => ({ institution_id: institutionId, year: f.year, last_number: f.last }));
  if (counters.length) {
    await db
      .insertInto('case_folio_counters')
      .values(counters)
      .onConflict((oc) => oc.columns(['institution_id', 'year']).doUpdateSet({ last_number: sql`greatest(case_folio_counters.last_number, excluded.last_number)` }))
      .execute();
  }
}

/** Referrals, once both ends' cases exist; accepted ones mark the case they opened. */
async function writeReferrals(db: Db, all: DemoReferral[], idOf: (code: string) => string): Promise<void> {
  for (const spec of DEMO_INSTITUTIONS) {
    const referrals = all.filter((r) => r.from.institution === spec.code);
    if (!referrals.length) continue;
    await db.transaction().execute(async (trx) => {
      await insertChunked(
        trx,
        'referrals',
        referrals.map((r) => ({
          id: r.id,
          institution_id: idOf(spec.code),
          case_id: r.from.id,
          to_institution_id: idOf(r.to),
          ...pick(r, ['reason', 'consent_recorded_on', 'consent_method', 'shared_sections', 'status', 'response_note', 'responded_by', 'responded_at']),
          receiving_case_id: r.receiving?.id ?? null,
          created_by: r.created_by,
          created_at: r.created_at,
        })),
      );
      const accepted = referrals.filter((r) => r.receiving).map((r) => r.id);
      if (accepted.length) {
        await trx
          .updateTable('cases')
          .from('referrals')
          .set((eb) => ({ origin_referral_id: eb.ref('referrals.id') }))
          .whereRef('referrals.receiving_case_id', '=', 'cases.id')
          .where('referrals.id', 'in', accepted)
          .execute();
      }
      await appendAudit(trx, { institutionId: idOf(spec.code), actorUserId: null, action: 'demo.loaded', recordType: 'demo', detail: { referrals: referrals.length, accepted: accepted.length } });
    });
  }
}

/** As person.service.ts computes it, so that a document search finds demo people too. */

function personRow(cipher: FieldCipher, institutionId: string, p: DemoPerson) {
  const contact = p.contact && Object.keys(p.contact).length ? p.contact : null;
  return {
    id: p.id,
    institution_id: institutionId,
    given_names: p.given_names,
    surname1: p.surname1,
    surname2: p.surname2,
    other_names: [] as string[],
    sex: p.sex,
    gender_identity: p.gender_identity,
    date_of_birth: p.date_of_birth,
    estimated_age: p.estimated_age,
    age_estimated_on: p.age_estimated_on,
    nationalities: p.nationalities,
    country_of_birth: p.country_of_birth,
    languages: p.languages,
    disabilities: p.disabilities,
    vulnerabilities: p.vulnerabilities,
    documents_enc: p.documents.length ? cipher.encryptJson(p.documents) : null,
    document_keys: p.documents.map((d) => documentKey(cipher, d)),
    contact_enc: contact ? cipher.encryptJson(contact) : null,
    location_country: p.location_country,
    location_state: p.location_state,
    location_municipality: p.location_municipality,
    created_by: p.created_by,
    created_at: p.created_at,
    updated_at: p.created_at,
  };
}

function caseRow(cipher: FieldCipher, institutionId: string, c: DemoCase) {
  return {
    id: c.id,
    institution_id: institutionId,
    folio: c.folio,
    programme: c.programme,
    status: c.status,
    closure_reason: c.closure_reason,
    opened_on: c.opened_on,
    closed_on: c.closed_on,
    assigned_to: c.assigned_to,
    summary_enc: c.summary ? cipher.encryptText(c.summary) : null,
    crime_types: c.crime_types,
    rights_violations: c.rights_violations,
    // Set with the referrals, once the referral rows exist.
    origin_referral_id: null,
    created_by: c.created_by,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

/** The named fields of a record, as they are (a referral's decision goes into its row unchanged). */
function pick<T, const K extends keyof T>(record: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, record[key]])) as Pick<T, K>;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function insertChunked(trx: Tx, table: 'people' | 'cases' | 'case_participants' | 'services' | 'case_notes' | 'case_events' | 'referrals', rows: Record<string, unknown>[]) {
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    if (part.length) await trx.insertInto(table).values(part as never).execute();
  }
}
