import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { Random } from '../platform/random.ts';
import { isoDaysAfter } from '../platform/dates.ts';
import { createUser } from '../users/user.service.ts';
import { createInstitution, type NewInstitution } from '../institutions/institution.service.ts';
import { createPoint, recordOperation, updatePoint } from '../resources/resources.service.ts';
import { newOperationBody, newPointBody, pointPatchBody } from '../resources/resources.schema.ts';
import { createFound } from '../missing/missing.service.ts';
import { newFoundBody } from '../missing/missing.schema.ts';
import { createPerson } from '../people/person.service.ts';
import { newPersonBody } from '../people/person.schema.ts';
import { createCase, updateCase } from '../cases/case.service.ts';
import { casePatchBody, newCaseBody } from '../cases/case.schema.ts';

/**
 * The rest of the seed (rows 3, 12, 13, 14 and 16 of shared/seed/FIGURES.md), each recorded through the
 * module that would record it in real life, with the same service functions the HTTP routes call and
 * the same request schemas: the youth brigades' contact points and the police deployment on the
 * northern border as programme resources, the rescues and transfers of that deployment, the persons
 * found alive by the Tucson consulate's Programa del Migrante Extraviado, and the case files CEAV opened
 * through consulates (the Mecanismo de Apoyo Exterior). The expected figures live here and in the
 * test, nowhere else; a few records fall just outside each period or rule so that it is exercised.
 */

/** The scenario's report date: "at the report date" (row 16) and the end of the "from 2019" periods. */
export const SEED_REPORT_DATE = '2019-09-30';

export const REST_PERIODS = {
  /** Rows 3, 12, 13, 16: rescues and transfers from 2019; points and open files on the report date. */
  border: { from: '2019-01-01', to: SEED_REPORT_DATE },
  /** Row 14: January 2016 to 30 June 2018. */
  tucson: { from: '2016-01-01', to: '2018-06-30' },
} as const;

export const REST_FIGURES = {
  brigadePoints: 17,
  brigadeLeaders: 130,
  brigadeMunicipalities: 66,
  brigadeStates: 24,
  deploymentPoints: 25,
  deploymentOfficers: 1406,
  rescued: 41043,
  movedByRoad: 14968,
  movedByAir: 1423,
  tucsonFoundAlive: 294,
  mechanismOpenFiles: 27,
  mechanismVictims: 63,
} as const;

export type RestCodes = Record<'imjuve' | 'police' | 'ciamTucson' | 'ceavVulnerable', string>;

/** 24 states for the brigades (INEGI codes): the first 18 with three municipalities, the rest with two. */
const BRIGADE_STATES = ['02', '05', '07', '08', '09', '11', '12', '13', '14', '15', '16', '17', '19', '20', '21', '24', '25', '26', '27', '28', '29', '30', '31', '32'];
/** The northern border states of the deployment: Baja California, Sonora, Chihuahua, Coahuila, Nuevo León, Tamaulipas. */
const BORDER_STATES = ['02', '26', '08', '05', '19', '28'];
const GIVEN = { male: ['José', 'Juan Carlos', 'Luis', 'Carlos', 'Jorge', 'Miguel Ángel', 'Óscar', 'Pedro', 'Raúl', 'Ramón'], female: ['María', 'Ana Lucía', 'Rosa', 'Karla', 'Guadalupe', 'Sofía', 'Marta', 'Lourdes', 'Elena', 'Teresa'] } as const;
const SURNAMES = ['Hernández', 'López', 'Martínez', 'García', 'Rodríguez', 'Pérez', 'Ramírez', 'Cruz', 'Flores', 'Mejía', 'Reyes', 'Castillo', 'Morales', 'Ortiz'];

type Ctx = { db: Db; cipher: FieldCipher; r: Random; prefix: string };

const municipality = (state: string, n: number) => `${state}${String(n).padStart(3, '0')}`;
function dayIn(r: Random, from: string, to: string): string {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return isoDaysAfter(from, r.int(0, days));
}
/** `total` split into `parts` whole numbers that differ by at most one. */
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

async function institution(ctx: Ctx, code: string, name: string, type: NewInstitution['type'], extra: { country?: string; state_code?: string | null } = {}) {
  const input = { code: `${ctx.prefix}${code}`, name, type, country: extra.country ?? 'MEX', state_code: extra.state_code === undefined ? '09' : extra.state_code, complaint_handlers_mfa: false };
  const { id } = await createInstitution(ctx.db, null, input);
  return { id, code: input.code };
}

async function member(ctx: Ctx, institution: { id: string; code: string }, local: string, role: Actor['role']): Promise<Actor> {
  const { id } = await createUser(ctx.db, null, { email: `${local}.${institution.code.toLowerCase()}@seed.amparo`, display_name: `${local} ${institution.code}`, institution_id: institution.id, role });
  return { userId: id, institutionId: institution.id, role, isPlatformAdmin: false, ip: null };
}

/** Loads rows 3, 12, 13, 14 and 16; `prefix` keeps institution codes unique. */
export async function loadRestOfSeed(db: Db, cipher: FieldCipher, options: { prefix?: string; seed?: number } = {}): Promise<RestCodes> {
  const ctx: Ctx = { db, cipher, r: new Random(options.seed ?? 2020), prefix: options.prefix ?? 'SC' };
  const imjuve = await addYouthBrigades(ctx);
  const police = await addBorderDeployment(ctx);
  const ciamTucson = await addTucsonFoundAlive(ctx);
  const ceavVulnerable = await addExternalSupportMechanism(ctx);
  return { imjuve, police, ciamTucson, ceavVulnerable };
}

/**
 * Row 3: IMJUVE's Brigadas Comunitarias, from June 2019: 17 contact points with 130 brigade leaders,
 * covering 66 municipalities of 24 states, recorded by the institution's administrator. One
 * municipality is covered by two points (counted once); a pilot point closed in May 2019 is not in
 * operation on the report date.
 */
async function addYouthBrigades(ctx: Ctx): Promise<string> {
  const F = REST_FIGURES;
  const imjuve = await institution(ctx, 'IMJUVE', 'IMJUVE, Jóvenes por la transformación: Brigadas Comunitarias de Norte a Sur', 'federal_agency');
  const admin = await member(ctx, imjuve, 'coordinacion', 'administrator');
  const municipalities = BRIGADE_STATES.flatMap((state, i) => Array.from({ length: i < 18 ? 3 : 2 }, (_, k) => municipality(state, 10 + k * 7)));
  const perPoint = split(municipalities.length, F.brigadePoints);
  const leaders = split(F.brigadeLeaders, F.brigadePoints);
  let next = 0;
  for (let i = 0; i < F.brigadePoints; i++) {
    const covered = municipalities.slice(next, next + perPoint[i]!);
    next += perPoint[i]!;
    if (i === 1) covered.push(municipalities[0]!);
    await createPoint(ctx.db, admin, newPointBody.parse({ name: `Punto de contacto ${i + 1}`, kind: 'contact_point', municipalities: covered, staff: leaders[i], staff_role: 'brigade_leader', active_from: dayIn(ctx.r, '2019-06-01', '2019-06-30') }));
  }
  await createPoint(ctx.db, admin, newPointBody.parse({ name: 'Punto piloto', kind: 'contact_point', municipalities: ['32010', '32017'], staff: 5, staff_role: 'brigade_leader', active_from: '2019-03-01', active_to: '2019-05-31' }));
  return imjuve.code;
}

/**
 * Rows 12 and 13: the PF/SRE agreement on the northern border. From May 2019, 1,406 officers of the
 * Regional Security Division at 25 points, recorded by its administrator (one point's staff corrected
 * after it opened, one point closed before the report date); from 2019, about 41,043 migrants rescued
 * (before May by the division itself, then by its points), 14,968 moved by road and 1,423 by air,
 * recorded by officers as they happen. A rescue in December 2018 and a transfer after the report date
 * fall outside the period.
 */
async function addBorderDeployment(ctx: Ctx): Promise<string> {
  const { r } = ctx;
  const F = REST_FIGURES;
  const police = await institution(ctx, 'PFDSR', 'Policía Federal, División de Seguridad Regional (convenio PF-SRE, frontera norte)', 'federal_agency');
  const coordinator = await member(ctx, police, 'coordinacion', 'administrator');
  const officer = await member(ctx, police, 'elemento', 'caseworker');
  const staff = split(F.deploymentOfficers, F.deploymentPoints);
  const points: { id: string; from: string }[] = [];
  for (let i = 0; i < F.deploymentPoints; i++) {
    const state = BORDER_STATES[i % BORDER_STATES.length]!;
    const from = dayIn(r, '2019-05-01', '2019-05-20');
    const point = await createPoint(ctx.db, coordinator, newPointBody.parse({ name: `Punto de despliegue ${i + 1}`, kind: 'deployment_point', municipalities: [municipality(state, 1 + i)], staff: i === 0 ? staff[i]! - 12 : staff[i], staff_role: 'officer', active_from: from }));
    if (i === 0) await updatePoint(ctx.db, coordinator, point.id, pointPatchBody.parse({ staff: staff[i] }));
    points.push({ id: point.id, from });
  }
  const closed = await createPoint(ctx.db, coordinator, newPointBody.parse({ name: 'Punto temporal', kind: 'deployment_point', municipalities: ['26043'], staff: 40, staff_role: 'officer', active_from: '2019-05-01' }));
  await updatePoint(ctx.db, coordinator, closed.id, pointPatchBody.parse({ active_to: '2019-08-15' }));

  const record = (body: Record<string, unknown>) => recordOperation(ctx.db, officer, newOperationBody.parse(body));
  /** People in groups of `min`-`max` until `total`, each group on a day of the period (at a point open that day, from May). */
  const groups = async (total: number, min: number, max: number, operation: { kind: 'rescue' | 'transfer'; mode?: 'road' | 'air' }) => {
    for (let left = total; left > 0; ) {
      const people = Math.min(left, r.int(min, max));
      left -= people;
      const on = dayIn(r, REST_PERIODS.border.from, REST_PERIODS.border.to);
      const open = points.filter((p) => p.from <= on);
      await record({ ...operation, occurred_on: on, people, point_id: open.length ? r.pick(open).id : null });
    }
  };
  await groups(F.rescued, 20, 80, { kind: 'rescue' });
  await groups(F.movedByRoad, 40, 100, { kind: 'transfer', mode: 'road' });
  await groups(F.movedByAir, 15, 45, { kind: 'transfer', mode: 'air' });
  await record({ kind: 'rescue', occurred_on: '2018-12-28', people: 31 });
  await record({ kind: 'transfer', mode: 'road', occurred_on: '2019-10-03', people: 44, point_id: points[0]!.id });
  return police.code;
}

/**
 * Row 14: the CIAM at the consulate in Tucson, Programa del Migrante Extraviado: 294 Mexican migrants
 * found alive from January 2016 to 30 June 2018, recorded by its search officer as found records of
 * the search for missing persons (src/missing). Also recorded, and not counted: Guatemalans found
 * alive, remains of Mexicans, and Mexicans found alive in December 2015 and July 2018.
 */
async function addTucsonFoundAlive(ctx: Ctx): Promise<string> {
  const { r } = ctx;
  const ciam = await institution(ctx, 'CIAMTUC', 'Centro de Información y Asistencia a Mexicanos, Consulado de México en Tucson', 'consulate', { country: 'USA', state_code: null });
  const officer = await member(ctx, ciam, 'busqueda', 'search_officer');
  const found = async (nationality: string, condition: 'alive' | 'deceased', on: string) => {
    const sex = r.chance(0.8) ? 'male' : 'female';
    const alive = condition === 'alive';
    const age = r.int(17, 55);
    await createFound(
      ctx.db,
      ctx.cipher,
      officer,
      newFoundBody.parse({
        given_names: alive ? r.pick(GIVEN[sex]) : null,
        surname1: alive ? r.pick(SURNAMES) : null,
        sex,
        age_min: age,
        age_max: age + (alive ? 0 : 10),
        nationalities: [nationality],
        condition,
        situation: alive ? 'rescued' : 'remains',
        found_on: on,
        found_country: 'USA',
        found_place: 'Franja fronteriza Sonora-Arizona',
      }),
    );
  };
  for (let k = 0; k < REST_FIGURES.tucsonFoundAlive; k++) await found('MEX', 'alive', dayIn(r, REST_PERIODS.tucson.from, REST_PERIODS.tucson.to));
  for (let k = 0; k < 12; k++) await found('GTM', 'alive', dayIn(r, REST_PERIODS.tucson.from, REST_PERIODS.tucson.to));
  for (let k = 0; k < 9; k++) await found('MEX', 'deceased', dayIn(r, REST_PERIODS.tucson.from, REST_PERIODS.tucson.to));
  for (const on of ['2015-12-20', '2015-12-30', '2015-12-31', '2018-07-01', '2018-07-09', '2018-07-15', '2018-07-20', '2018-07-28', '2018-08-02']) await found('MEX', 'alive', on);
  return ciam.code;
}

/**
 * Row 16: the Mecanismo de Apoyo Exterior. CEAV's Dirección Especializada en Atención a Personas en
 * Situación de Vulnerabilidad holds 27 case files opened through Mexico's consulates in Central
 * America and still open at the report date, with 63 direct and indirect victims of disappearance (27
 * disappeared people and 36 relatives; one mother is a victim in two files, counted once). Not
 * counted: three files opened through consulates and closed before the report date, one opened after
 * it, and six files of the same unit opened in person.
 */
async function addExternalSupportMechanism(ctx: Ctx): Promise<string> {
  const { r } = ctx;
  const F = REST_FIGURES;
  const ceav = await institution(ctx, 'CEAVDV', 'CEAV, Dirección Especializada en Atención a Personas en Situación de Vulnerabilidad', 'federal_agency');
  const consulates = [
    await institution(ctx, 'CSPS', 'Consulado de México en San Pedro Sula', 'consulate', { country: 'HND', state_code: null }),
    await institution(ctx, 'CGUA', 'Sección consular de la Embajada de México en Guatemala', 'consulate', { country: 'GTM', state_code: null }),
    await institution(ctx, 'CSSV', 'Sección consular de la Embajada de México en El Salvador', 'consulate', { country: 'SLV', state_code: null }),
  ];
  const nationalityOf = ['HND', 'GTM', 'SLV'];
  const supervisor = await member(ctx, ceav, 'supervision', 'supervisor');
  const person = async (sex: 'male' | 'female', nationality: string, age: number, on: string, surname: string) => {
    const p = await createPerson(ctx.db, ctx.cipher, supervisor, newPersonBody.parse({ given_names: r.pick(GIVEN[sex]), surname1: surname, sex, estimated_age: age, age_estimated_on: on, nationalities: [nationality], vulnerabilities: ['crime_victim'] }));
    return p.id;
  };
  const open = async (opened: string, through: number | null, relatives: number, extra: string[] = []) => {
    const nationality = nationalityOf[through ?? 0]!;
    const surname = r.pick(SURNAMES);
    const disappeared = await person(r.chance(0.8) ? 'male' : 'female', nationality, r.int(16, 40), opened, surname);
    const family: string[] = [];
    for (let k = 0; k < relatives; k++) family.push(await person(k === 0 ? 'female' : r.chance(0.5) ? 'male' : 'female', nationality, r.int(20, 70), opened, surname));
    const participants = [{ person_id: disappeared, role: 'direct_victim' }, ...[...family, ...extra].map((id, k) => ({ person_id: id, role: 'indirect_victim', relationship: k === 0 ? 'madre' : 'hermano' }))];
    const created = await createCase(ctx.db, ctx.cipher, supervisor, newCaseBody.parse({ programme: 'victim_assistance', opened_on: opened, crime_types: ['disappearance'], participants, through_consulate_id: through === null ? null : consulates[through]!.id }));
    return { id: created.id, family };
  };
  let firstMother: string | undefined;
  for (let i = 0; i < F.mechanismOpenFiles; i++) {
    const file = await open(dayIn(r, '2016-03-01', '2019-09-15'), i % consulates.length, i < 9 ? 2 : 1, i === 1 ? [firstMother!] : []);
    firstMother ??= file.family[0];
  }
  for (let i = 0; i < 3; i++) {
    const opened = dayIn(r, '2019-01-01', '2019-05-31');
    const file = await open(opened, i, 1);
    await updateCase(ctx.db, ctx.cipher, supervisor, file.id, casePatchBody.parse({ status: 'closed', closure_reason: 'located', closed_on: isoDaysAfter(opened, 60) }));
  }
  await open('2019-10-10', 0, 1);
  for (let i = 0; i < 6; i++) await open(dayIn(r, '2019-01-01', '2019-09-15'), null, 1);
  return ceav.code;
}
