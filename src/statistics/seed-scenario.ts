import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { Random } from '../platform/random.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { isoDaysAfter, localDate } from '../platform/dates.ts';
import { createUser } from '../users/user.service.ts';
import { openChildFile } from '../children/child-file.service.ts';
import { acceptUndertaking, addPanelMember, approveDetermination, openDetermination, recordDecision, recordPosition } from '../children/best-interests.service.ts';
import { favourableVerification, recordReunification, startVerification } from '../children/reunification.service.ts';
import { recordOutreachEvent } from '../outreach/outreach.service.ts';
import type { NewEvent } from '../outreach/outreach.schema.ts';
import { loadRestOfSeed, type RestCodes } from './seed-scenario.rest.ts';

/**
 * The seed scenario: records (institutions and units, people, case files, participants, services,
 * outreach events, family reunifications) from which the 2019 country report's figures for June 2018
 * to May 2019 fall out when counted. The expected figures live here and in the test, nowhere else:
 * the indicators compute, they do not know these numbers.
 *
 * A few records fall just outside the period (May 2018, June 2019) so that the period boundaries are
 * exercised, one person is a victim in two case files (counted once), and many people received
 * several services (one person, several services).
 */
export const SEED_PERIOD = { from: '2018-06-01', to: '2019-05-31' } as const;

export const SEED_FIGURES = {
  ceavCaseFiles: 164,
  ceavVictims: 470,
  addictionUnits: 56,
  addictionOutpatientUnits: 39,
  addictionResidentialUnits: 17,
  addictionPeople: 1017,
  addictionUnitsWithMinors: 18,
  addictionPeopleInSinaloa: 915,
  addictionStates: ['05', '25', '31', '12', '19', '20', '11', '13', '07', '24', '01', '08', '09', '27'],
  drugUsers: { men: 62, women: 12 },
  mentalHealth: { men: 199, women: 122 },
  mentalHealthNationalities: { HND: 95, GTM: 70, SLV: 50, NIC: 38, ESP: 12, CUB: 11, VEN: 10, JAM: 9, CMR: 8, NGA: 7, SEN: 6, UGA: 5 } as Record<string, number>,
  consularCases: 3256,
  consulates: 51,
  outreachEvents: 1646,
  outreachAttendees: 110959,
  reunifications: 42,
} as const;

const GIVEN = { male: ['José', 'Juan Carlos', 'Luis', 'Carlos', 'Jorge', 'Miguel Ángel', 'Óscar', 'Wilmer', 'Kevin', 'Edwin'], female: ['María', 'Ana Lucía', 'Rosa', 'Karla', 'Yesenia', 'Guadalupe', 'Dania', 'Sofía', 'Marta', 'Lourdes'] };
const SURNAMES = ['Hernández', 'López', 'Martínez', 'García', 'Rodríguez', 'Pérez', 'Ramírez', 'Cruz', 'Flores', 'Mejía', 'Reyes', 'Castillo'];

type PersonRow = { id: string; institution_id: string; given_names: string; surname1: string; sex: 'male' | 'female'; date_of_birth: string | null; estimated_age: number | null; age_estimated_on: string | null; nationalities: string[]; vulnerabilities: string[] };

export type SeedScenario = { codes: Record<'ceav' | 'conadic' | 'cij' | 'sedesa' | 'sre' | 'pfpnna', string>; period: typeof SEED_PERIOD; rest: RestCodes };

type InstitutionRow = { id: string; code: string; name: string; type: string; unit_type: string | null; country: string; state_code: string | null; parent_id: string | null };
type CaseRow = { id: string; institution_id: string; folio: string; programme: string; status: 'open'; opened_on: string; crime_types: string[] };
type ReunificationPlan = { child: PersonRow; adult: PersonRow; opened: string; reunifiedOn: string; relationship: 'mother' | 'father' | 'grandparent' | 'aunt_uncle'; abroad: boolean };

const CENTRAL_AMERICA = ['HND', 'GTM', 'SLV', 'NIC'];
const DAY = 86_400_000;

/** The records being built, and the small helpers every part of the scenario uses. */
class ScenarioBuilder {
  readonly institutions: InstitutionRow[] = [];
  readonly people: PersonRow[] = [];
  readonly cases: CaseRow[] = [];
  readonly participants: { institution_id: string; case_id: string; person_id: string; role: 'direct_victim' | 'indirect_victim' | 'applicant'; relationship: string | null }[] = [];
  readonly services: { institution_id: string; case_id: string; person_id: string; service_type: string; provided_on: string; provider_unit: string | null }[] = [];
  readonly reunifications: ReunificationPlan[] = [];
  private readonly folios = new Map<string, number>();

  constructor(
    readonly r: Random,
    private readonly prefix: string,
  ) {}

  dayIn(from: string, to: string): string {
    const a = Date.parse(from);
    const b = Date.parse(to);
    return new Date(a + Math.floor(this.r.next() * ((b - a) / DAY + 1)) * DAY).toISOString().slice(0, 10);
  }

  inPeriod(): string {
    return this.dayIn(SEED_PERIOD.from, SEED_PERIOD.to);
  }

  /** A later day in the period (or the same day when the period is nearly over). */
  laterDay(on: string): string {
    return on < '2019-05-01' ? this.dayIn(on, '2019-05-31') : on;
  }

  /** Born between age+1 years and age years before `on` (exclusive): exactly `age` on that day. */
  birthForAge(age: number, on: string): string {
    const year = Number(on.slice(0, 4)) - age - 1;
    const candidate = `${year}-${on.slice(5, 7)}-${on.slice(8, 10) === '29' && on.slice(5, 7) === '02' ? '28' : on.slice(8, 10)}`;
    return new Date(Date.parse(candidate) + DAY * this.r.int(1, 300)).toISOString().slice(0, 10);
  }

  institution(code: string, name: string, type: string, extra: { unit_type?: string; country?: string; state_code?: string | null; parent_id?: string } = {}): InstitutionRow {
    const row = { id: randomUUID(), code: `${this.prefix}${code}`, name, type, unit_type: extra.unit_type ?? null, country: extra.country ?? 'MEX', state_code: extra.state_code === undefined ? '09' : extra.state_code, parent_id: extra.parent_id ?? null };
    this.institutions.push(row);
    return row;
  }

  person(institutionId: string, sex: 'male' | 'female', nationality: string, age: number, on: string, vulnerabilities: string[] = []): PersonRow {
    const estimated = this.r.next() < 0.2;
    const row: PersonRow = {
      id: randomUUID(),
      institution_id: institutionId,
      given_names: this.r.pick(GIVEN[sex]),
      surname1: this.r.pick(SURNAMES),
      sex,
      date_of_birth: estimated ? null : this.birthForAge(age, on),
      estimated_age: estimated ? age : null,
      age_estimated_on: estimated ? on : null,
      nationalities: [nationality],
      vulnerabilities,
    };
    this.people.push(row);
    return row;
  }

  openCase(institution: { id: string; code: string }, programme: string, openedOn: string, crimeTypes: string[] = []): CaseRow {
    const n = (this.folios.get(institution.id) ?? 0) + 1;
    this.folios.set(institution.id, n);
    const row = { id: randomUUID(), institution_id: institution.id, folio: `${institution.code}-${openedOn.slice(0, 4)}-${String(n).padStart(6, '0')}`, programme, status: 'open' as const, opened_on: openedOn, crime_types: crimeTypes };
    this.cases.push(row);
    return row;
  }

  participate(c: CaseRow, p: PersonRow, role: 'direct_victim' | 'indirect_victim' | 'applicant', relationship: string | null = null): void {
    this.participants.push({ institution_id: c.institution_id, case_id: c.id, person_id: p.id, role, relationship });
  }

  serve(c: { id: string; institution_id: string }, p: PersonRow, type: string, on: string): void {
    this.services.push({ institution_id: c.institution_id, case_id: c.id, person_id: p.id, service_type: type, provided_on: on, provider_unit: null });
  }
}

/** Loads the scenario into the database (about 5,300 people); `prefix` keeps institution codes unique. */
export async function loadSeedScenario(db: Db, cipher: FieldCipher, options: { prefix?: string; seed?: number } = {}): Promise<SeedScenario> {
  const b = new ScenarioBuilder(new Random(options.seed ?? 2019), options.prefix ?? 'SC');
  const units = buildInstitutions(b);
  addCeavCaseFiles(b, units.ceav);
  addAddictionUnits(b, units.addiction);
  addDrugUseProgramme(b, units.cij);
  addShelterMentalHealth(b, units.shelters);
  addConsularWindows(b, units.consulates);
  addReunifications(b, units.pfpnna);
  const outreach = planOutreach(b, units.consulates);
  await writeScenario(db, b);
  await reunifyThroughTheModule(db, cipher, units.pfpnna, b.reunifications);
  await recordOutreachThroughTheModule(db, units.consulates, outreach);
  // Rows 3, 12, 13, 14 and 16, each through its own module (seed-scenario.rest.ts).
  const rest = await loadRestOfSeed(db, cipher, { prefix: options.prefix ?? 'SC', seed: (options.seed ?? 2019) + 1 });
  const { ceav, conadic, cij, sedesa, sre, pfpnna } = units;
  return { codes: { ceav: ceav.code, conadic: conadic.code, cij: cij.code, sedesa: sedesa.code, sre: sre.code, pfpnna: pfpnna.code }, period: SEED_PERIOD, rest };
}

function buildInstitutions(b: ScenarioBuilder) {
  const F = SEED_FIGURES;
  const ceav = b.institution('CEAV', 'CEAV, Dirección Especializada en Atención de Personas Migrantes', 'federal_agency');
  const conadic = b.institution('CONADIC', 'Programa de prevención y atención integral del consumo de sustancias psicoactivas', 'federal_agency');
  const cij = b.institution('CIJ', 'Programa de atención a personas migrantes en México usuarios de drogas', 'federal_agency');
  const sedesa = b.institution('SEDESA', 'Programa de salud mental para migrantes en albergues de la Ciudad de México', 'state_agency');
  const shelters = [b.institution('ALB1', 'Albergue temporal para migrantes 1', 'shelter', { parent_id: sedesa.id }), b.institution('ALB2', 'Albergue temporal para migrantes 2', 'shelter', { parent_id: sedesa.id })];
  const sre = b.institution('SRE', 'Ventanillas de Atención Integral para la Mujer (SRE)', 'federal_agency');
  const consulates = Array.from({ length: F.consulates }, (_, i) => b.institution(`C${String(i + 1).padStart(2, '0')}`, `Consulado de México ${i + 1}`, 'consulate', { parent_id: sre.id, country: 'USA', state_code: null }));
  const pfpnna = b.institution('PFPNNA', 'Procuraduría Federal de Protección de Niñas, Niños y Adolescentes', 'federal_agency');
  // 56 units: 20 in Sinaloa (14 outpatient), 36 in the other 13 states (25 outpatient).
  const otherStates = F.addictionStates.filter((s) => s !== '25');
  const unitStates = [...Array(20).fill('25'), ...otherStates.flatMap((s, i) => Array(i < 10 ? 3 : 2).fill(s))] as string[];
  const addiction = unitStates.map((state, i) => {
    const sinaloa = i < 20;
    const outpatient = sinaloa ? i < 14 : i - 20 < 25;
    return b.institution(`U${String(i + 1).padStart(2, '0')}`, `Unidad de atención a adicciones ${i + 1}`, 'state_agency', { parent_id: conadic.id, state_code: state, unit_type: outpatient ? 'outpatient' : 'residential' });
  });
  return { ceav, conadic, cij, sedesa, shelters, sre, consulates, pfpnna, addiction };
}

/**
 * CEAV: 164 case files, 164 direct victims and 306 indirect ones; one direct victim is also an
 * indirect victim in another case file (471 participations, 470 people).
 */
function addCeavCaseFiles(b: ScenarioBuilder, ceav: InstitutionRow): void {
  const { r } = b;
  const directVictims: PersonRow[] = [];
  const first: CaseRow[] = [];
  for (let i = 0; i < SEED_FIGURES.ceavCaseFiles; i++) {
    const opened = b.inPeriod();
    const c = b.openCase(ceav, 'victim_assistance', opened, [r.pick(['extortion', 'kidnapping', 'trafficking', 'smuggling', 'disappearance'])]);
    first.push(c);
    const direct = b.person(ceav.id, r.next() < 0.6 ? 'male' : 'female', r.pick(CENTRAL_AMERICA), r.int(18, 55), opened, ['crime_victim']);
    directVictims.push(direct);
    b.participate(c, direct, 'direct_victim');
    b.serve(c, direct, 'legal', b.laterDay(opened));
    const indirect = i < 22 ? 1 : 2;
    for (let j = 0; j < indirect; j++) {
      const relative = b.person(ceav.id, r.next() < 0.5 ? 'male' : 'female', direct.nationalities[0]!, r.int(3, 70), opened);
      b.participate(c, relative, 'indirect_victim', r.pick(['madre', 'padre', 'hermano', 'hermana', 'hijo', 'hija']));
    }
  }
  b.participate(first[1]!, directVictims[0]!, 'indirect_victim', 'primo');
  for (const outside of ['2018-05-20', '2019-06-12']) {
    const c = b.openCase(ceav, 'victim_assistance', outside, ['extortion']);
    b.participate(c, b.person(ceav.id, 'male', 'HND', 30, outside), 'direct_victim');
  }
}

/** Addiction units: 1,017 people, 915 of them in Sinaloa; one person under 18 in each of 18 units. */
function addAddictionUnits(b: ScenarioBuilder, units: InstitutionRow[]): void {
  const { r } = b;
  const F = SEED_FIGURES;
  const sinaloaUnits = units.slice(0, 20);
  const otherUnits = units.slice(20);
  const perUnit = new Map<string, number>();
  sinaloaUnits.forEach((u, i) => perUnit.set(u.id, Math.floor(F.addictionPeopleInSinaloa / 20) + (i < F.addictionPeopleInSinaloa % 20 ? 1 : 0)));
  const othersTotal = F.addictionPeople - F.addictionPeopleInSinaloa;
  otherUnits.forEach((u, i) => perUnit.set(u.id, Math.floor(othersTotal / otherUnits.length) + (i < othersTotal % otherUnits.length ? 1 : 0)));
  const unitsWithMinors = new Set([...sinaloaUnits.slice(0, 8), ...otherUnits.slice(0, F.addictionUnitsWithMinors - 8)].map((u) => u.id));
  let firstCase: CaseRow | undefined;
  let firstPerson: PersonRow | undefined;
  for (const unit of units) {
    for (let k = 0; k < perUnit.get(unit.id)!; k++) {
      const first = b.inPeriod();
      const minor = k === 0 && unitsWithMinors.has(unit.id);
      const p = b.person(unit.id, r.next() < 0.8 ? 'male' : 'female', r.next() < 0.7 ? 'MEX' : r.pick(CENTRAL_AMERICA), minor ? 15 : r.int(19, 60), first);
      const c = b.openCase(unit, 'addiction_treatment', first);
      firstCase ??= c;
      firstPerson ??= p;
      b.participate(c, p, 'applicant');
      b.serve(c, p, 'addiction_treatment', first);
      // Minors are seen once (they stay under 18 in the period); adults often come back.
      if (!minor) for (let extra = r.int(0, 3); extra > 0; extra--) b.serve(c, p, 'addiction_treatment', b.laterDay(first));
    }
  }
  // A follow-up visit in June 2019, outside the period.
  b.serve(firstCase!, firstPerson!, 'addiction_treatment', '2019-06-03');
}

/** Outpatient drug-use programme: 74 people, 62 men and 12 women. */
function addDrugUseProgramme(b: ScenarioBuilder, cij: InstitutionRow): void {
  const { r } = b;
  for (const [sex, count] of [['male', SEED_FIGURES.drugUsers.men], ['female', SEED_FIGURES.drugUsers.women]] as const) {
    for (let k = 0; k < count; k++) {
      const first = b.inPeriod();
      const p = b.person(cij.id, sex, r.pick(['HND', 'GTM', 'SLV', 'MEX']), r.int(18, 50), first);
      const c = b.openCase(cij, 'addiction_treatment', first);
      b.participate(c, p, 'applicant');
      b.serve(c, p, 'addiction_treatment', first);
      b.serve(c, p, 'addiction_treatment', b.laterDay(first));
    }
  }
}

/** Mental health in two Mexico City shelters: 321 people, 199 men and 122 women, by nationality. */
function addShelterMentalHealth(b: ScenarioBuilder, shelters: InstitutionRow[]): void {
  const { r } = b;
  const F = SEED_FIGURES;
  const seen: PersonRow[] = [];
  let menLeft: number = F.mentalHealth.men;
  for (const [nationality, count] of Object.entries(F.mentalHealthNationalities)) {
    for (let k = 0; k < count; k++) {
      const sex = menLeft > 0 && (k % 8 < 5 || nationality === 'UGA') ? 'male' : 'female';
      if (sex === 'male') menLeft--;
      const first = b.inPeriod();
      const shelter = shelters[k % 2]!;
      const p = b.person(shelter.id, sex, nationality, r.int(18, 45), first, r.next() < 0.1 ? ['asylum_seeker'] : []);
      seen.push(p);
      const c = b.openCase(shelter, 'mental_health', first);
      b.participate(c, p, 'applicant');
      b.serve(c, p, 'psychological_first_aid', first);
      if (r.next() < 0.4) b.serve(c, p, 'crisis_intervention', b.laterDay(first));
    }
  }
  // Balance the split exactly (the loop above is a heuristic).
  let diff = seen.filter((p) => p.sex === 'male').length - F.mentalHealth.men;
  for (let i = 0; diff !== 0 && i < seen.length; i++) {
    const p = seen[i]!;
    if (diff > 0 && p.sex === 'male') {
      p.sex = 'female';
      p.given_names = r.pick(GIVEN.female);
      diff--;
    } else if (diff < 0 && p.sex === 'female') {
      p.sex = 'male';
      p.given_names = r.pick(GIVEN.male);
      diff++;
    }
  }
}

/** Consular windows for women: 3,256 cases in 51 consulates (their outreach: planOutreach). */
function addConsularWindows(b: ScenarioBuilder, consulates: InstitutionRow[]): void {
  const { r } = b;
  const F = SEED_FIGURES;
  for (let k = 0; k < F.consularCases; k++) {
    const consulate = consulates[k % consulates.length]!;
    const opened = b.inPeriod();
    const c = b.openCase(consulate, 'women_support', opened);
    b.participate(c, b.person(consulate.id, 'female', 'MEX', r.int(18, 65), opened), 'applicant');
  }
}

/** PFPNNA: 42 family reunifications of migrant children (the children and adults; the rest through the module). */
function addReunifications(b: ScenarioBuilder, pfpnna: InstitutionRow): void {
  const { r } = b;
  for (let k = 0; k < SEED_FIGURES.reunifications; k++) {
    const opened = b.dayIn('2018-06-01', '2019-04-30');
    const child = b.person(pfpnna.id, r.next() < 0.55 ? 'male' : 'female', r.pick(CENTRAL_AMERICA), r.int(6, 16), opened, [r.next() < 0.7 ? 'unaccompanied_child' : 'separated_child']);
    const relationship = r.pick(['mother', 'father', 'grandparent', 'aunt_uncle'] as const);
    const adult = b.person(pfpnna.id, relationship === 'father' ? 'male' : 'female', child.nationalities[0]!, r.int(28, 60), opened);
    adult.surname1 = child.surname1;
    b.reunifications.push({ child, adult, opened, reunifiedOn: b.laterDay(opened), relationship, abroad: r.next() < 0.5 });
  }
}

/**
 * The reunifications are recorded as a Procuraduría records them (src/children): the child's file,
 * a panel's determination approved by a supervisor, the adult's verification, the reunification with
 * its follow-up visits. The statistics then count the module's own records.
 */
async function reunifyThroughTheModule(db: Db, cipher: FieldCipher, pfpnna: InstitutionRow, plans: ReunificationPlan[]): Promise<void> {
  const user = async (local: string, role: Actor['role']) => {
    const { id } = await createUser(db, null, { email: `${local}.${pfpnna.code.toLowerCase()}@seed.amparo`, display_name: `${local} ${pfpnna.code}`, institution_id: pfpnna.id, role });
    return { userId: id, institutionId: pfpnna.id, role, isPlatformAdmin: false, ip: null } satisfies Actor;
  };
  const officer = await user('proteccion', 'child_protection_officer');
  const supervisor = await user('supervision', 'supervisor');
  const panel = [
    { actor: officer, profession: 'child_protection' as const },
    { actor: await user('psicologia', 'child_protection_officer'), profession: 'psychology' as const },
    { actor: await user('juridico', 'caseworker'), profession: 'law' as const },
  ];
  const panelUntil = isoDaysAfter(localDate(), 30);
  for (const plan of plans) {
    const identifiedAt = new Date(`${plan.opened}T10:00:00-06:00`);
    const file = await openChildFile(db, cipher, officer, {
      person_id: plan.child.id,
      opened_on: plan.opened,
      accompaniment: plan.child.vulnerabilities.includes('unaccompanied_child') ? 'unaccompanied' : 'separated',
      identified_at: identifiedAt.toISOString(),
      identified_how: 'migration_authority',
      notified_at: new Date(identifiedAt.getTime() + 4 * 3_600_000).toISOString(),
      interpreter: 'not_needed',
      wishes_tracing: 'yes',
      wishes_reunification: 'yes',
      tracing_consent: 'given',
      tracing_consent_on: plan.opened,
      protection_claim: 'none',
    });
    const determination = await openDetermination(db, cipher, officer, file.id, { evidence: 'Entrevistas por separado y documentos.', child_views: 'Quiere volver con su familia.', panel_until: panelUntil });
    for (const member of panel) {
      await addPanelMember(db, officer, file.id, determination.id, { user_id: member.actor.userId, profession: member.profession, member_institution: pfpnna.name });
      await acceptUndertaking(db, member.actor, determination.id);
      await recordPosition(db, cipher, member.actor, determination.id, { position: 'agree' });
    }
    await recordDecision(db, cipher, officer, file.id, determination.id, { decision: 'reunify_family', reasons: 'La familia quiere y puede cuidarle.', review_on: plan.reunifiedOn });
    await approveDetermination(db, supervisor, file.id, determination.id);
    const verification = await startVerification(db, cipher, officer, file.id, { adult_person_id: plan.adult.id, relationship: plan.relationship, ...favourableVerification(plan.opened) });
    await recordReunification(db, officer, file.id, { verification_id: verification.id, determination_id: determination.id, reunified_on: plan.reunifiedOn, place: plan.abroad ? 'abroad' : 'mexico', country: plan.abroad ? plan.child.nationalities[0]! : 'MEX', followup_months: [1, 3, 6] });
  }
}

async function writeScenario(db: Db, b: ScenarioBuilder): Promise<void> {
  const batches = async <T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
  };
  await db.insertInto('institutions').values(b.institutions).execute();
  await batches(b.people, 1000, (chunk) => db.insertInto('people').values(chunk).execute());
  await batches(b.cases, 1000, (chunk) => db.insertInto('cases').values(chunk.map((c) => ({ ...c, closure_reason: null, closed_on: null, assigned_to: null, summary_enc: null, origin_referral_id: null, created_by: null }))).execute());
  await batches(b.participants, 2000, (chunk) => db.insertInto('case_participants').values(chunk).execute());
  await batches(b.services, 2000, (chunk) => db.insertInto('services').values(chunk).execute());
}

type OutreachPlan = { consulate: number; event: NewEvent };
const US_CITIES = ['Los Ángeles', 'Chicago', 'Houston', 'Dallas', 'San Antonio', 'Phoenix', 'San Diego', 'Nueva York', 'Atlanta', 'Denver', 'Sacramento', 'San José', 'Miami', 'Raleigh', 'Seattle', 'Las Vegas', 'Albuquerque', 'El Paso'];

/**
 * The consular windows' outreach: 1,646 events with 110,959 attendees in the period (about 70% women,
 * by age band) and one event in June 2019, outside it. Planned here with the scenario's random
 * generator; recorded by recordOutreachThroughTheModule.
 */
function planOutreach(b: ScenarioBuilder, consulates: InstitutionRow[]): OutreachPlan[] {
  const { r } = b;
  const F = SEED_FIGURES;
  const base = Math.floor(F.outreachAttendees / F.outreachEvents);
  const extra = F.outreachAttendees - base * F.outreachEvents;
  const kinds = ['talk', 'workshop', 'fair', 'mobile_consulate', 'information_session'] as const;
  const topics = ['violence_prevention', 'rights', 'documents', 'health', 'financial_education', 'legal_protection'] as const;
  const event = (consulate: number, heldOn: string, total: number): OutreachPlan => {
    const women = Math.floor(total * 0.7);
    const kind = r.pick(kinds);
    return {
      consulate,
      event: { title: `Ventanilla de Atención Integral para la Mujer: ${kind === 'fair' ? 'feria' : 'sesión'} ${heldOn}`, kind, topic: r.pick(topics), programme: 'women_support', held_on: heldOn, country: 'USA', city: US_CITIES[consulate % US_CITIES.length]!, attendance: [...byAgeBand('female', women), ...byAgeBand('male', total - women)] },
    };
  };
  const plans = Array.from({ length: F.outreachEvents }, (_, k) => event(k % consulates.length, b.inPeriod(), base + (k < extra ? 1 : 0)));
  plans.push(event(0, '2019-06-05', 500));
  return plans;
}

/** Attendance of one sex split by age band (mostly adults); empty bands left out. */
function byAgeBand(sex: 'female' | 'male', n: number): NewEvent['attendance'] {
  const shares = [['0-11', 0.05], ['12-17', 0.1], ['18-29', 0.3], ['30-59', 0.45]] as const;
  const cells = shares.map(([age_band, share]) => ({ sex, age_band, attendees: Math.floor(n * share) }));
  const rest = n - cells.reduce((t, c) => t + c.attendees, 0);
  return [...cells, { sex, age_band: '60+' as const, attendees: rest }].filter((c) => c.attendees > 0);
}

/**
 * Each consulate's staff record its events through the outreach module (src/outreach), the function
 * the HTTP route calls; the statistics then count the module's own records. Consulates write in
 * parallel (each has its own audit chain), each one's events in order.
 */
async function recordOutreachThroughTheModule(db: Db, consulates: InstitutionRow[], plans: OutreachPlan[]): Promise<void> {
  const actors = await Promise.all(
    consulates.map(async (consulate) => {
      const role = 'caseworker' as const;
      const { id } = await createUser(db, null, { email: `ventanilla.${consulate.code.toLowerCase()}@seed.amparo`, display_name: `Ventanilla ${consulate.code}`, institution_id: consulate.id, role, password: `seed-${consulate.code}-not-for-sign-in` });
      return { userId: id, institutionId: consulate.id, role, isPlatformAdmin: false, ip: null } satisfies Actor;
    }),
  );
  const lanes = Array.from({ length: 8 }, (_, lane) => plans.filter((p) => p.consulate % 8 === lane));
  await Promise.all(lanes.map(async (lane) => {
    for (const plan of lane) await recordOutreachEvent(db, actors[plan.consulate]!, plan.event);
  }));
}
