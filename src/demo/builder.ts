import type { Random } from '../platform/random.ts';
import { DEMO_INSTITUTIONS, type DemoInstitution, type Region } from './catalogue.ts';
import type { DemoCalendar } from './calendar.ts';
import type { DemoCase, DemoPerson, DemoReferral, Staff } from './model.ts';
import { PersonFactory } from './people.ts';

export type GeneratorOptions = { people: number; seed: number; staff: Map<string, Staff>; institutionIds: Map<string, string> };

/** Regions in the order migrants travel through them, from the southern border to the north and beyond. */
export const ROUTE_ORDER: Record<Region, number> = { south: 0, centre: 1, north: 2, abroad: 3 };

/** Someone seen by an institution, who may turn up later at another one further along the route. */
export type Sighting = { person: DemoPerson; institution: DemoInstitution; day: number };

/** The data set being generated, with what the parts of the generator share: one random generator, the calendar, the staff. */
export class DemoBuilder {
  readonly factory: PersonFactory;
  readonly people: DemoPerson[] = [];
  readonly cases: DemoCase[] = [];
  readonly referrals: DemoReferral[] = [];
  readonly byCode = new Map(DEMO_INSTITUTIONS.map((i) => [i.code, i]));
  /** Applicants who may come back to the same institution for a new case. */
  readonly returning = new Map<string, { person: DemoPerson; lastDay: number }[]>();
  readonly sightings: Sighting[] = [];
  /** Institutions where each human already has a record. */
  private readonly recordedAt = new Map<string, Set<string>>();
  /** Each human's first record: another office writes her name from what she says, not from a colleague's typo. */
  private readonly firstRecord = new Map<string, DemoPerson>();

  constructor(
    readonly random: Random,
    readonly calendar: DemoCalendar,
    private readonly options: GeneratorOptions,
  ) {
    this.factory = new PersonFactory(random, calendar);
  }

  staffOf(code: string): Staff {
    return this.options.staff.get(code)!;
  }

  uuidOf(code: string): string {
    return this.options.institutionIds.get(code)!;
  }

  register(person: DemoPerson): DemoPerson {
    this.people.push(person);
    if (!this.firstRecord.has(person.identity)) this.firstRecord.set(person.identity, person);
    const at = this.recordedAt.get(person.identity) ?? new Set<string>();
    at.add(person.institution);
    this.recordedAt.set(person.identity, at);
    return person;
  }

  firstRecordOf(person: DemoPerson): DemoPerson {
    return this.firstRecord.get(person.identity) ?? person;
  }

  /** In how many institutions this human has a record. */
  recordCount(person: DemoPerson): number {
    return this.recordedAt.get(person.identity)?.size ?? 0;
  }

  hasRecordAt(person: DemoPerson, code: string): boolean {
    return this.recordedAt.get(person.identity)?.has(code) ?? false;
  }
}
