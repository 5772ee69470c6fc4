import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';

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

/** Seeded generator (mulberry32): the same scenario every time. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const GIVEN = { male: ['José', 'Juan Carlos', 'Luis', 'Carlos', 'Jorge', 'Miguel Ángel', 'Óscar', 'Wilmer', 'Kevin', 'Edwin'], female: ['María', 'Ana Lucía', 'Rosa', 'Karla', 'Yesenia', 'Guadalupe', 'Dania', 'Sofía', 'Marta', 'Lourdes'] };
const SURNAMES = ['Hernández', 'López', 'Martínez', 'García', 'Rodríguez', 'Pérez', 'Ramírez', 'Cruz', 'Flores', 'Mejía', 'Reyes', 'Castillo'];

type PersonRow = { id: string; institution_id: string; given_names: string; surname1: string; sex: 'male' | 'female'; date_of_birth: string | null; estimated_age: number | null; age_estimated_on: string | null; nationalities: string[]; vulnerabilities: string[] };

export type SeedScenario = { codes: Record<'ceav' | 'conadic' | 'cij' | 'sedesa' | 'sre' | 'pfpnna', string>; period: typeof SEED_PERIOD };

/** Loads the scenario into the database (about 5,300 people); `prefix` keeps institution codes unique. */
export async function loadSeedScenario(db: Db, _cipher: FieldCipher, options: { prefix?: string; seed?: number } = {}): Promise<SeedScenario> {
  const P = options.prefix ?? 'SC';
  const r = rng(options.seed ?? 2019);
  const F = SEED_FIGURES;
  const dayIn = (from: string, to: string) => {
    const a = Date.parse(from);
    const b = Date.parse(to);
    return new Date(a + Math.floor(r.next() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
  };
  const inPeriod = () => dayIn(SEED_PERIOD.from, SEED_PERIOD.to);
  const birthForAge = (age: number, on: string) => {
    // Born between age+1 years and age years before `on` (exclusive): exactly `age` on that day.
    const year = Number(on.slice(0, 4)) - age - 1;
    const candidate = `${year}-${on.slice(5, 7)}-${on.slice(8, 10) === '29' && on.slice(5, 7) === '02' ? '28' : on.slice(8, 10)}`;
    const d = new Date(Date.parse(candidate) + 86_400_000 * r.int(1, 300));
    return d.toISOString().slice(0, 10);
  };

  // Institutions and units.
  const institutions: { id: string; code: string; name: string; type: string; unit_type: string | null; country: string; state_code: string | null; parent_id: string | null }[] = [];
  const inst = (code: string, name: string, type: string, extra: { unit_type?: string; country?: string; state_code?: string | null; parent_id?: string } = {}) => {
    const row = { id: randomUUID(), code: `${P}${code}`, name, type, unit_type: extra.unit_type ?? null, country: extra.country ?? 'MEX', state_code: extra.state_code === undefined ? '09' : extra.state_code, parent_id: extra.parent_id ?? null };
    institutions.push(row);
    return row;
  };
  const ceav = inst('CEAV', 'CEAV, Dirección Especializada en Atención de Personas Migrantes', 'federal_agency');
  const conadic = inst('CONADIC', 'Programa de prevención y atención integral del consumo de sustancias psicoactivas', 'federal_agency');
  const cij = inst('CIJ', 'Programa de atención a personas migrantes en México usuarios de drogas', 'federal_agency');
  const sedesa = inst('SEDESA', 'Programa de salud mental para migrantes en albergues de la Ciudad de México', 'state_agency');
  const shelters = [inst('ALB1', 'Albergue temporal para migrantes 1', 'shelter', { parent_id: sedesa.id }), inst('ALB2', 'Albergue temporal para migrantes 2', 'shelter', { parent_id: sedesa.id })];
  const sre = inst('SRE', 'Ventanillas de Atención Integral para la Mujer (SRE)', 'federal_agency');
  const consulates = Array.from({ length: F.consulates }, (_, i) => inst(`C${String(i + 1).padStart(2, '0')}`, `Consulado de México ${i + 1}`, 'consulate', { parent_id: sre.id, country: 'USA', state_code: null }));
  const pfpnna = inst('PFPNNA', 'Procuraduría Federal de Protección de Niñas, Niños y Adolescentes', 'federal_agency');
  // 56 units: 20 in Sinaloa (14 outpatient), 36 in the other 13 states (25 outpatient).
  const otherStates = F.addictionStates.filter((s) => s !== '25');
  const unitStates = [...Array(20).fill('25'), ...otherStates.flatMap((s, i) => Array(i < 10 ? 3 : 2).fill(s))] as string[];
  const units = unitStates.map((state, i) => {
    const sinaloa = i < 20;
    const outpatient = sinaloa ? i < 14 : i - 20 < 25;
    return inst(`U${String(i + 1).padStart(2, '0')}`, `Unidad de atención a adicciones ${i + 1}`, 'state_agency', { parent_id: conadic.id, state_code: state, unit_type: outpatient ? 'outpatient' : 'residential' });
  });
  await db.insertInto('institutions').values(institutions).execute();

  const people: PersonRow[] = [];
  const cases: { id: string; institution_id: string; folio: string; programme: string; status: 'open'; opened_on: string; crime_types: string[] }[] = [];
  const participants: { institution_id: string; case_id: string; person_id: string; role: 'direct_victim' | 'indirect_victim' | 'applicant'; relationship: string | null }[] = [];
  const services: { institution_id: string; case_id: string; person_id: string; service_type: string; provided_on: string; provider_unit: string | null }[] = [];
  const folios = new Map<string, number>();
  const person = (institutionId: string, sex: 'male' | 'female', nationality: string, age: number, on: string, vulnerabilities: string[] = []): PersonRow => {
    const estimated = r.next() < 0.2;
    const row: PersonRow = {
      id: randomUUID(),
      institution_id: institutionId,
      given_names: r.pick(GIVEN[sex]),
      surname1: r.pick(SURNAMES),
      sex,
      date_of_birth: estimated ? null : birthForAge(age, on),
      estimated_age: estimated ? age : null,
      age_estimated_on: estimated ? on : null,
      nationalities: [nationality],
      vulnerabilities,
    };
    people.push(row);
    return row;
  };
  const openCase = (institution: { id: string; code: string }, programme: string, openedOn: string, crimeTypes: string[] = []) => {
    const n = (folios.get(institution.id) ?? 0) + 1;
    folios.set(institution.id, n);
    const row = { id: randomUUID(), institution_id: institution.id, folio: `${institution.code}-${openedOn.slice(0, 4)}-${String(n).padStart(6, '0')}`, programme, status: 'open' as const, opened_on: openedOn, crime_types: crimeTypes };
    cases.push(row);
    return row;
  };
  const serve = (c: { id: string; institution_id: string }, p: PersonRow, type: string, on: string) => services.push({ institution_id: c.institution_id, case_id: c.id, person_id: p.id, service_type: type, provided_on: on, provider_unit: null });
  const laterDay = (on: string) => (on < '2019-05-01' ? dayIn(on, '2019-05-31') : on);
  const centralAmerica = ['HND', 'GTM', 'SLV', 'NIC'];

  // 1. CEAV: 164 case files, 164 direct victims and 306 indirect ones; one direct victim is also an
  //    indirect victim in another case file (471 participations, 470 people).
  const directVictims: PersonRow[] = [];
  for (let i = 0; i < F.ceavCaseFiles; i++) {
    const opened = inPeriod();
    const c = openCase(ceav, 'victim_assistance', opened, [r.pick(['extortion', 'kidnapping', 'trafficking', 'smuggling', 'disappearance'])]);
    const direct = person(ceav.id, r.next() < 0.6 ? 'male' : 'female', r.pick(centralAmerica), r.int(18, 55), opened, ['crime_victim']);
    directVictims.push(direct);
    participants.push({ institution_id: ceav.id, case_id: c.id, person_id: direct.id, role: 'direct_victim', relationship: null });
    serve(c, direct, 'legal', laterDay(opened));
    const indirect = i < 22 ? 1 : 2;
    for (let j = 0; j < indirect; j++) {
      const relative = person(ceav.id, r.next() < 0.5 ? 'male' : 'female', direct.nationalities[0]!, r.int(3, 70), opened);
      participants.push({ institution_id: ceav.id, case_id: c.id, person_id: relative.id, role: 'indirect_victim', relationship: r.pick(['madre', 'padre', 'hermano', 'hermana', 'hijo', 'hija']) });
    }
  }
  participants.push({ institution_id: ceav.id, case_id: cases[1]!.id, person_id: directVictims[0]!.id, role: 'indirect_victim', relationship: 'primo' });
  for (const outside of ['2018-05-20', '2019-06-12']) {
    const c = openCase(ceav, 'victim_assistance', outside, ['extortion']);
    const p = person(ceav.id, 'male', 'HND', 30, outside);
    participants.push({ institution_id: ceav.id, case_id: c.id, person_id: p.id, role: 'direct_victim', relationship: null });
  }

  // 2. Addiction units: 1,017 people, 915 of them in Sinaloa; one person under 18 in each of 18 units.
  const sinaloaUnits = units.slice(0, 20);
  const otherUnits = units.slice(20);
  const perUnit = new Map<string, number>();
  sinaloaUnits.forEach((u, i) => perUnit.set(u.id, Math.floor(F.addictionPeopleInSinaloa / 20) + (i < F.addictionPeopleInSinaloa % 20 ? 1 : 0)));
  const othersTotal = F.addictionPeople - F.addictionPeopleInSinaloa;
  otherUnits.forEach((u, i) => perUnit.set(u.id, Math.floor(othersTotal / otherUnits.length) + (i < othersTotal % otherUnits.length ? 1 : 0)));
  const unitsWithMinors = new Set([...sinaloaUnits.slice(0, 8), ...otherUnits.slice(0, F.addictionUnitsWithMinors - 8)].map((u) => u.id));
  for (const unit of units) {
    for (let k = 0; k < perUnit.get(unit.id)!; k++) {
      const first = inPeriod();
      const minor = k === 0 && unitsWithMinors.has(unit.id);
      const p = person(unit.id, r.next() < 0.8 ? 'male' : 'female', r.next() < 0.7 ? 'MEX' : r.pick(centralAmerica), minor ? 15 : r.int(19, 60), first);
      const c = openCase(unit, 'addiction_treatment', first);
      participants.push({ institution_id: unit.id, case_id: c.id, person_id: p.id, role: 'applicant', relationship: null });
      serve(c, p, 'addiction_treatment', first);
      // Minors are seen once (they stay under 18 in the period); adults often come back.
      if (!minor) for (let extra = r.int(0, 3); extra > 0; extra--) serve(c, p, 'addiction_treatment', laterDay(first));
    }
  }
  // A follow-up visit in June 2019, outside the period.
  {
    const c = cases.find((x) => x.programme === 'addiction_treatment')!;
    serve(c, people.find((p) => p.institution_id === c.institution_id)!, 'addiction_treatment', '2019-06-03');
  }

  // 3. Outpatient drug-use programme: 74 people, 62 men and 12 women.
  for (const [sex, count] of [['male', F.drugUsers.men], ['female', F.drugUsers.women]] as const) {
    for (let k = 0; k < count; k++) {
      const first = inPeriod();
      const p = person(cij.id, sex, r.pick(['HND', 'GTM', 'SLV', 'MEX']), r.int(18, 50), first);
      const c = openCase(cij, 'addiction_treatment', first);
      participants.push({ institution_id: cij.id, case_id: c.id, person_id: p.id, role: 'applicant', relationship: null });
      serve(c, p, 'addiction_treatment', first);
      serve(c, p, 'addiction_treatment', laterDay(first));
    }
  }

  // 4. Mental health in two Mexico City shelters: 321 people, 199 men and 122 women, by nationality.
  let menLeft: number = F.mentalHealth.men;
  for (const [nationality, count] of Object.entries(F.mentalHealthNationalities)) {
    for (let k = 0; k < count; k++) {
      const sex = menLeft > 0 && (k % 8 < 5 || nationality === 'UGA') ? 'male' : 'female';
      if (sex === 'male') menLeft--;
      const first = inPeriod();
      const shelter = shelters[k % 2]!;
      const p = person(shelter.id, sex, nationality, r.int(18, 45), first, r.next() < 0.1 ? ['asylum_seeker'] : []);
      const c = openCase(shelter, 'mental_health', first);
      participants.push({ institution_id: shelter.id, case_id: c.id, person_id: p.id, role: 'applicant', relationship: null });
      serve(c, p, 'psychological_first_aid', first);
      if (r.next() < 0.4) serve(c, p, 'crisis_intervention', laterDay(first));
    }
  }
  const mhPeople = people.filter((p) => shelters.some((s) => s.id === p.institution_id));
  const mhMen = mhPeople.filter((p) => p.sex === 'male').length;
  // Balance the split exactly (the loop above is a heuristic).
  for (let i = 0, diff = mhMen - F.mentalHealth.men; diff !== 0 && i < mhPeople.length; i++) {
    const p = mhPeople[i]!;
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

  // 5. Consular windows for women: 3,256 cases in 51 consulates, 1,646 outreach events, 110,959 attendees.
  for (let k = 0; k < F.consularCases; k++) {
    const consulate = consulates[k % consulates.length]!;
    const opened = inPeriod();
    const p = person(consulate.id, 'female', 'MEX', r.int(18, 65), opened);
    const c = openCase(consulate, 'women_support', opened);
    participants.push({ institution_id: consulate.id, case_id: c.id, person_id: p.id, role: 'applicant', relationship: null });
  }
  const events: { institution_id: string; programme: string; held_on: string; kind: 'talk' | 'workshop' | 'fair' | 'mobile_consulate'; attendees_total: number; attendees_women: number; attendees_men: number }[] = [];
  const base = Math.floor(F.outreachAttendees / F.outreachEvents);
  const extra = F.outreachAttendees - base * F.outreachEvents;
  for (let k = 0; k < F.outreachEvents; k++) {
    const total = base + (k < extra ? 1 : 0);
    const women = Math.floor(total * 0.7);
    events.push({ institution_id: consulates[k % consulates.length]!.id, programme: 'women_support', held_on: inPeriod(), kind: r.pick(['talk', 'workshop', 'fair', 'mobile_consulate'] as const), attendees_total: total, attendees_women: women, attendees_men: total - women });
  }
  events.push({ institution_id: consulates[0]!.id, programme: 'women_support', held_on: '2019-06-05', kind: 'fair', attendees_total: 500, attendees_women: 300, attendees_men: 200 });

  // 6. PFPNNA: 42 family reunifications of migrant children.
  const reunifications: { institution_id: string; case_id: string; person_id: string; reunified_on: string; relationship: string; country: string }[] = [];
  for (let k = 0; k < F.reunifications; k++) {
    const opened = dayIn('2018-06-01', '2019-04-30');
    const child = person(pfpnna.id, r.next() < 0.55 ? 'male' : 'female', r.pick(centralAmerica), r.int(6, 16), opened, [r.next() < 0.7 ? 'unaccompanied_child' : 'separated_child']);
    const c = openCase(pfpnna, 'child_protection', opened);
    participants.push({ institution_id: pfpnna.id, case_id: c.id, person_id: child.id, role: 'applicant', relationship: null });
    reunifications.push({ institution_id: pfpnna.id, case_id: c.id, person_id: child.id, reunified_on: laterDay(opened), relationship: r.pick(['madre', 'padre', 'abuela', 'tía']), country: child.nationalities[0]! });
  }

  const batches = async <T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
  };
  await batches(people, 1000, (chunk) => db.insertInto('people').values(chunk).execute());
  await batches(cases, 1000, (chunk) => db.insertInto('cases').values(chunk.map((c) => ({ ...c, closure_reason: null, closed_on: null, assigned_to: null, summary_enc: null, origin_referral_id: null, created_by: null }))).execute());
  await batches(participants, 2000, (chunk) => db.insertInto('case_participants').values(chunk).execute());
  await batches(services, 2000, (chunk) => db.insertInto('services').values(chunk).execute());
  await batches(events, 2000, (chunk) => db.insertInto('outreach_events').values(chunk).execute());
  await db.insertInto('reunifications').values(reunifications).execute();
  return { codes: { ceav: ceav.code, conadic: conadic.code, cij: cij.code, sedesa: sedesa.code, sre: sre.code, pfpnna: pfpnna.code }, period: SEED_PERIOD };
}
