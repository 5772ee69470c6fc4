import { randomUUID } from 'node:crypto';
import type { DemoInstitution } from './catalogue.ts';
import { ROUTE_ORDER, type DemoBuilder, type Sighting } from './builder.ts';
import { isoOf } from './calendar.ts';
import { CRIMES, summaryFor } from './content.ts';
import type { DemoCase, DemoPerson } from './model.ts';
import type { PersonFactory, PersonSeed } from './people.ts';

/**
 * Case files and who takes part in them, by programme: a victim and her relatives, an unaccompanied
 * child with a guardian, a family in a shelter. The main person is new, comes back to the same
 * institution, or was already seen by another institution on the way north.
 */

type Role = DemoCase['participants'][number]['role'];
type PersonSpec = Parameters<PersonFactory['make']>[1];
type Kin = 'child' | 'parent' | 'sibling' | 'spouse';

/** The new case's cast, and what registering each member costs out of the people still to create. */
class Cast {
  created = 0;

  constructor(
    private readonly b: DemoBuilder,
    readonly c: DemoCase,
    readonly seed: PersonSeed,
    private readonly budget: number,
    private readonly traveller: Sighting | null,
  ) {}

  add(person: DemoPerson, role: Role, relationship: string | null = null): void {
    this.c.participants.push({ id: randomUUID(), person, role, relationship });
  }

  /** The main person: the traveller recorded again here when there is one, otherwise someone new. */
  main(spec: PersonSpec): DemoPerson {
    this.created++;
    if (this.traveller) return this.b.register(this.b.factory.recordAgain(this.seed, this.b.firstRecordOf(this.traveller.person)));
    return this.b.register(this.b.factory.make(this.seed, spec));
  }

  relative(of: DemoPerson, kind: Kin, extra: Parameters<PersonFactory['relative']>[3] = {}): { person: DemoPerson; relationship: string } {
    this.created++;
    const r = this.b.factory.relative(this.seed, of, kind, extra);
    this.b.register(r.person);
    return r;
  }

  room(): boolean {
    return this.created < this.budget;
  }
}

export function newCase(b: DemoBuilder, inst: DemoInstitution, programme: string, openDay: number, origin?: { referralId: string }): DemoCase {
  const { random } = b;
  const staff = b.staffOf(inst.code);
  let creator: string;
  let assigned: string | null;
  if (origin) {
    creator = staff.supervisor;
    assigned = random.chance(0.85) ? random.pick(staff.caseworkers) : null;
  } else if (random.chance(0.85)) {
    creator = random.pick(staff.caseworkers);
    assigned = creator;
  } else {
    creator = staff.supervisor;
    assigned = random.chance(0.5) ? random.pick(staff.caseworkers) : null;
  }
  const at = b.calendar.timeOn(random, openDay);
  return {
    id: randomUUID(),
    institution: inst.code,
    folio: '',
    programme,
    status: 'open',
    closure_reason: null,
    opened_on: isoOf(openDay),
    closed_on: null,
    assigned_to: assigned,
    created_by: creator,
    created_at: at,
    updated_at: at,
    summary: null,
    crime_types: [],
    rights_violations: [],
    origin_referral_id: origin?.referralId ?? null,
    participants: [],
    services: [],
    notes: [],
    events: [],
  };
}

/** People and participants for a new case; returns how many new person records it created. */
export function populate(b: DemoBuilder, c: DemoCase, inst: DemoInstitution, openDay: number, budget: number): number {
  const { random } = b;
  const seedAt = new Date(c.created_at.getTime() - random.int(5, 40) * 60_000);
  const seed: PersonSeed = { institution: inst, day: openDay, actor: c.created_by, at: seedAt };
  if (comesBack(b, c, inst, openDay)) return 0;
  const traveller = random.chance(0.8) ? travellerFor(b, inst, c.programme, openDay) : null;
  const cast = new Cast(b, c, seed, budget, traveller);
  const main = castFor(b, cast, inst);
  c.summary = summaryFor(random, c.programme, main, c.crime_types);
  const list = b.returning.get(inst.code) ?? [];
  for (const p of c.participants) if (p.role === 'applicant') list.push({ person: p.person, lastDay: openDay });
  b.returning.set(inst.code, list);
  for (const p of c.participants) if (p.role === 'applicant' || p.role === 'direct_victim') b.sightings.push({ person: p.person, institution: inst, day: openDay });
  return cast.created;
}

/** Some people come back to the same institution for a new case. */
function comesBack(b: DemoBuilder, c: DemoCase, inst: DemoInstitution, openDay: number): boolean {
  const { random } = b;
  const pool = b.returning.get(inst.code) ?? [];
  if (!['shelter', 'health', 'mental_health', 'legal_aid', 'consular_protection'].includes(c.programme) || pool.length <= 5 || !random.chance(0.12)) return false;
  const previous = random.pick(pool);
  if (previous.lastDay + 30 >= openDay || (previous.person.date_of_birth ?? '0000') > c.opened_on) return false;
  c.participants.push({ id: randomUUID(), person: previous.person, role: 'applicant', relationship: null });
  previous.lastDay = openDay;
  c.summary = summaryFor(random, c.programme, previous.person, []);
  return true;
}

/**
 * Someone already seen by another institution, earlier on the route (the same region or one further
 * south), who fits this programme on this day; null when a few tries find nobody.
 */
function travellerFor(b: DemoBuilder, inst: DemoInstitution, programme: string, day: number): Sighting | null {
  if (programme === 'search' || !b.sightings.length) return null;
  for (let attempt = 0; attempt < 12; attempt++) {
    const s = b.random.pick(b.sightings);
    if (s.institution.code === inst.code || ROUTE_ORDER[s.institution.region] > ROUTE_ORDER[inst.region]) continue;
    if (s.day > day - 7 || s.day < day - 540 || b.hasRecordAt(s.person, inst.code)) continue;
    // Most move on once or twice; a few are seen all along the route.
    if (b.recordCount(s.person) >= 2 && b.random.chance(0.6)) continue;
    const age = b.factory.ageOn(s.person, day);
    const mexican = s.person.nationalities.includes('MEX');
    const fits =
      programme === 'child_protection' ? age < 18
      : programme === 'consular_protection' ? mexican && age >= 18
      : programme === 'women_support' ? mexican && age >= 18 && s.person.sex === 'female'
      : age >= 18;
    if (fits) return s;
  }
  return null;
}

/** Fills the cast by programme; returns the main person. */
function castFor(b: DemoBuilder, cast: Cast, inst: DemoInstitution): DemoPerson {
  switch (cast.c.programme) {
    case 'victim_assistance':
      return victimAndRelatives(b, cast);
    case 'consular_protection':
    case 'women_support':
      return compatriot(b, cast);
    case 'child_protection':
      return childAndFamily(b, cast);
    case 'search':
      return missingAndFamily(b, cast);
    case 'legal_aid':
      return legalAid(b, cast, inst);
    case 'shelter':
      return shelterGuest(b, cast);
    default: {
      const { random } = b;
      const c = cast.c;
      const spec: PersonSpec = c.programme === 'addiction_treatment' ? { sex: random.chance(0.84) ? 'male' : 'female', age: random.int(18, 50) } : random.chance(c.programme === 'health' ? 0.1 : 0.05) ? { age: random.int(1, 17) } : {};
      const main = cast.main(spec);
      cast.add(main, 'applicant');
      if (main.age < 18 && cast.room()) {
        const r = cast.relative(main, 'parent', { sex: 'female' });
        cast.add(r.person, 'guardian', 'madre');
      }
      return main;
    }
  }
}

function victimAndRelatives(b: DemoBuilder, cast: Cast): DemoPerson {
  const { random } = b;
  const c = cast.c;
  const crimes = random.some(Object.keys(CRIMES), 1);
  crimes[0] = random.weighted(CRIMES);
  if (random.chance(0.2)) {
    const second = random.weighted(CRIMES);
    if (second !== crimes[0]) crimes.push(second);
  }
  c.crime_types = crimes;
  if (random.chance(0.2)) c.rights_violations = random.some(['abuse_of_authority', 'arbitrary_detention', 'denial_of_access_to_justice', 'discrimination', 'torture_or_ill_treatment'], random.int(1, 2));
  const sexual = crimes.includes('sexual_violence') || crimes.includes('trafficking');
  const victim = cast.main({ sex: sexual && random.chance(0.75) ? 'female' : undefined, age: random.chance(0.06) ? random.int(12, 17) : undefined, vulnerabilities: ['crime_victim'] });
  if (!victim.vulnerabilities.includes('crime_victim')) victim.vulnerabilities = [...victim.vulnerabilities, 'crime_victim'].sort();
  cast.add(victim, 'direct_victim');
  const indirect = crimes.includes('homicide') || crimes.includes('disappearance') ? random.int(1, 4) : Number(random.weighted({ 0: 45, 1: 20, 2: 20, 3: 10, 4: 5 } as Record<string, number>));
  const kinds: Kin[] = ['spouse', 'child', 'child', 'parent', 'sibling'];
  for (let i = 0; i < indirect && cast.room(); i++) {
    const kind = victim.age < 18 ? random.pick(['parent', 'sibling'] as const) : random.pick(kinds);
    if (kind === 'spouse' && c.participants.some((p) => p.relationship === 'esposo' || p.relationship === 'esposa')) continue;
    if (kind === 'child' && victim.age < 19) continue;
    const r = cast.relative(victim, kind, kind === 'spouse' ? { sex: victim.sex === 'male' ? 'female' : 'male' } : {});
    cast.add(r.person, 'indirect_victim', r.relationship);
  }
  return victim;
}

function compatriot(b: DemoBuilder, cast: Cast): DemoPerson {
  const { random } = b;
  const c = cast.c;
  const main = cast.main({ nationality: 'MEX', sex: c.programme === 'women_support' ? 'female' : random.chance(0.7) ? 'male' : 'female' });
  cast.add(main, 'applicant');
  if (c.programme === 'women_support' && random.chance(0.15)) c.crime_types = ['domestic_violence'];
  if (c.programme === 'consular_protection' && random.chance(0.1)) c.rights_violations = [random.pick(['arbitrary_detention', 'abuse_of_authority', 'discrimination', 'denial_of_health_care'])];
  return main;
}

function childAndFamily(b: DemoBuilder, cast: Cast): DemoPerson {
  const { random } = b;
  const kind = random.weighted({ unaccompanied: 60, separated: 25, accompanied: 15 });
  const age = kind === 'accompanied' ? random.int(3, 17) : Number(random.weighted({ 10: 3, 12: 2, 13: 10, 14: 15, 15: 20, 16: 25, 17: 25 } as Record<string, number>));
  const child = cast.main({ age, sex: random.chance(0.65) ? 'male' : 'female', vulnerabilities: kind === 'unaccompanied' ? ['unaccompanied_child'] : kind === 'separated' ? ['separated_child'] : [] });
  cast.add(child, 'applicant');
  if (kind === 'separated' && cast.room()) {
    const r = cast.relative(child, 'sibling', { age: random.int(18, 30) });
    cast.add(r.person, 'family_member', random.pick(['hermano', 'hermana', 'tío', 'tía', 'primo', 'prima', 'abuela']));
  } else if (kind === 'accompanied' && cast.room()) {
    const r = cast.relative(child, 'parent', { sex: 'female' });
    cast.add(r.person, 'guardian', 'madre');
  }
  return child;
}

function missingAndFamily(b: DemoBuilder, cast: Cast): DemoPerson {
  const { random } = b;
  const missing = cast.main({ vulnerabilities: ['crime_victim'] });
  cast.add(missing, 'direct_victim');
  cast.c.crime_types = ['disappearance'];
  if (cast.room()) {
    const kind = random.weighted({ parent: 45, spouse: 25, sibling: 20, child: 10 }) as Kin;
    const r = cast.relative(missing, missing.age < 20 && kind === 'child' ? 'parent' : kind, kind === 'child' ? { age: random.int(18, 30) } : kind === 'spouse' ? { sex: missing.sex === 'male' ? 'female' : 'male' } : {});
    r.person.location_country = r.person.nationalities[0] === 'MEX' ? 'MEX' : r.person.nationalities[0]!;
    if (r.person.location_country !== 'MEX') {
      r.person.location_state = null;
      r.person.location_municipality = null;
    }
    cast.add(r.person, 'applicant', r.relationship);
  }
  return missing;
}

function legalAid(b: DemoBuilder, cast: Cast, inst: DemoInstitution): DemoPerson {
  const { random } = b;
  const main = cast.main({ vulnerabilities: inst.code === 'CEAV' ? ['crime_victim', 'asylum_seeker'] : random.chance(0.7) ? ['asylum_seeker'] : [] });
  cast.add(main, inst.code === 'CEAV' ? 'direct_victim' : 'applicant');
  if (main.age >= 20 && random.chance(0.15)) {
    for (let i = random.int(1, 3); i > 0 && cast.room(); i--) {
      const r = cast.relative(main, 'child', { vulnerabilities: main.vulnerabilities.includes('asylum_seeker') ? ['asylum_seeker'] : [] });
      cast.add(r.person, 'family_member', r.relationship);
    }
  }
  return main;
}

function shelterGuest(b: DemoBuilder, cast: Cast): DemoPerson {
  const { random } = b;
  const c = cast.c;
  const victim = random.chance(0.15);
  const main = cast.main({ vulnerabilities: victim ? ['crime_victim'] : random.chance(0.1) ? ['asylum_seeker'] : [] });
  cast.add(main, victim ? 'direct_victim' : 'applicant');
  if (victim) c.crime_types = [random.weighted({ robbery: 40, extortion: 30, assault: 20, kidnapping: 10 })];
  if (main.age >= 20 && random.chance(0.25)) {
    if (random.chance(0.5) && cast.room()) {
      const r = cast.relative(main, 'spouse', { sex: main.sex === 'male' ? 'female' : 'male' });
      cast.add(r.person, 'family_member', r.relationship);
    }
    for (let i = random.int(1, 3); i > 0 && cast.room(); i--) {
      const r = cast.relative(main, 'child');
      cast.add(r.person, 'family_member', r.relationship);
    }
  }
  return main;
}
