import { randomUUID } from 'node:crypto';
import { Random } from '../platform/random.ts';
import { DEMO_INSTITUTIONS, type DemoInstitution } from './catalogue.ts';
import { CRIMES, summaryFor } from './content.ts';
import { DemoBuilder, type GeneratorOptions } from './builder.ts';
import { DemoCalendar, dayOf } from './calendar.ts';
import { newCase, populate } from './cases.ts';
import type { DemoCase, DemoDataSet } from './model.ts';
import { refer } from './referrals.ts';
import { fillCase, followUp } from './timeline.ts';

export type { DemoCase, DemoDataSet, DemoPerson, DemoReferral, Staff } from './model.ts';
export { institutionsPerHuman } from './model.ts';

/**
 * Builds the demo data set in memory: people, case files with their participants, services, notes,
 * timeline and referrals, over the 24 months up to `now`. Everything random comes from one seeded
 * generator, so the same seed, size and day always give the same records (only the ids differ).
 * Writing is demo.ts's job.
 */
export function generateDemoData(options: GeneratorOptions & { now?: Date }): DemoDataSet {
  const b = new DemoBuilder(new Random(options.seed), new DemoCalendar(options.now ?? new Date()), options);
  // Every institution first gets one case, so that even a small demo has work everywhere.
  for (let n = 0; b.people.length < options.people; n++) openNextCase(b, options.people - b.people.length, DEMO_INSTITUTIONS[n]);
  keepCurrentWork(b);
  const folioCounters = assignFolios(b.cases);
  return { people: b.people, cases: b.cases, referrals: b.referrals, folioCounters };
}

const SHARES = Object.fromEntries(DEMO_INSTITUTIONS.map((i) => [i.code, i.share]));

/** One case on a day of the 24 months, in an institution chosen by its share; about one in five is referred. */
function openNextCase(b: DemoBuilder, budget: number, first?: DemoInstitution): void {
  const { random } = b;
  const day = b.calendar.randomDay(random);
  const inst = first ?? b.byCode.get(random.weighted(SHARES))!;
  const c = newCase(b, inst, random.weighted(inst.programmes), day);
  populate(b, c, inst, day, budget);
  if (!c.participants.length) return;
  fillCase(b, c, day);
  b.cases.push(c);
  if (random.chance(0.2)) refer(b, c, day);
}

/** Services each member of staff has recorded this month at least, so that no figure is too small to show. */
const CURRENT_WORK = 3;

/**
 * Every member of staff has recorded services this month, on open cases of her own: the dashboards'
 * "this month" is never zero on the first start, even on the first of the month, and the institution's
 * figure is large enough to pass disclosure control for its analysts.
 */
function keepCurrentWork(b: DemoBuilder): void {
  const { random, calendar } = b;
  const recent = new Map<string, number>();
  for (const c of b.cases) {
    if (c.status === 'closed') continue;
    for (const s of c.services) {
      const own = s.created_by === c.assigned_to || s.created_by === b.staffOf(c.institution).supervisor;
      if (own && dayOf(s.provided_on) >= calendar.monthStart) recent.set(`${c.institution}|${s.created_by}`, (recent.get(`${c.institution}|${s.created_by}`) ?? 0) + 1);
    }
  }
  for (const inst of DEMO_INSTITUTIONS) {
    const staff = b.staffOf(inst.code);
    for (const worker of [staff.supervisor, ...staff.caseworkers]) {
      const missing = CURRENT_WORK - (recent.get(`${inst.code}|${worker}`) ?? 0);
      if (missing <= 0) continue;
      const open = b.cases.filter((c) => c.institution === inst.code && c.status !== 'closed' && c.participants.length);
      const mine = worker === staff.supervisor ? open : open.filter((c) => c.assigned_to === worker);
      const c = mine.length ? random.pick(mine) : comingBackThisMonth(b, inst, worker);
      if (!c) continue;
      const from = Math.max(calendar.monthStart, dayOf(c.opened_on));
      for (let n = missing; n > 0; n--) followUp(b, c, random.int(from, calendar.today), worker);
      c.services.sort((x, y) => x.created_at.getTime() - y.created_at.getTime());
    }
  }
}

/** A person the institution already knows, back this month with a new case (when it has no open one). */
function comingBackThisMonth(b: DemoBuilder, inst: DemoInstitution, worker: string): DemoCase | undefined {
  const { random, calendar } = b;
  const known = b.people.filter((p) => p.institution === inst.code);
  if (!known.length) return undefined;
  const person = random.pick(known);
  const c = newCase(b, inst, random.weighted(inst.programmes), random.int(calendar.monthStart, calendar.today));
  const staff = b.staffOf(inst.code);
  c.assigned_to = worker === staff.supervisor ? c.assigned_to : worker;
  c.created_by = worker;
  if (c.programme === 'victim_assistance' || c.programme === 'search') c.crime_types = [c.programme === 'search' ? 'disappearance' : random.weighted(CRIMES)];
  c.participants.push({ id: randomUUID(), person, role: c.crime_types.length ? 'direct_victim' : 'applicant', relationship: null });
  c.summary = summaryFor(random, c.programme, person, c.crime_types);
  c.events.push({ at: c.created_at, actor: c.created_by, kind: 'case.opened', data: { programme: c.programme, participants: 1 } });
  b.cases.push(c);
  return c;
}

/** Folios per institution and year, in order of creation, as they would be given in daily use. */
function assignFolios(cases: DemoCase[]): DemoDataSet['folioCounters'] {
  cases.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  const counters = new Map<string, number>();
  for (const c of cases) {
    const year = Number(c.opened_on.slice(0, 4));
    const key = `${c.institution}|${year}`;
    const next = (counters.get(key) ?? 0) + 1;
    counters.set(key, next);
    c.folio = `${c.institution}-${year}-${String(next).padStart(6, '0')}`;
    c.events.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  return [...counters].map(([key, last]) => {
    const [institution, year] = key.split('|');
    return { institution: institution!, year: Number(year), last };
  });
}
