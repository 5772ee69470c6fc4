import { randomUUID } from 'node:crypto';
import type { DemoBuilder } from './builder.ts';
import { isoOf } from './calendar.ts';
import { CASE_NOTES, CLOSURES, SERVICES, SERVICE_NOTES, SERVICE_UNITS } from './content.ts';
import type { DemoCase, DemoPerson } from './model.ts';

/**
 * What happens to a case after it is opened: services on the days they were given, notes, a
 * reassignment now and then, closure when the work is done. Cases whose programme has run its course
 * are mostly closed; those still open have been seen lately (a few, realistically, have not), so that
 * the caseworker's "Pendientes" lists what needs her, not two years of history.
 */

/** Days a programme usually runs: a shelter stay is weeks, a victim's case most of a year. */
const SPAN: Record<string, number> = { shelter: 21, health: 45, mental_health: 120, addiction_treatment: 150, consular_protection: 120, women_support: 120, victim_assistance: 300, legal_aid: 200, child_protection: 150, search: 365 };

/** Services, notes, status and timeline of a case opened on `openDay`. */
export function fillCase(b: DemoBuilder, c: DemoCase, openDay: number): void {
  c.events.push({ at: c.created_at, actor: c.created_by, kind: 'case.opened', data: { programme: c.programme, participants: c.participants.length, ...(c.origin_referral_id ? { referral_id: c.origin_referral_id } : {}) } });
  const plan = planServices(b, c, openDay);
  const recipients = c.participants.filter((p) => p.role !== 'family_member' && p.role !== 'guardian').map((p) => p.person);
  const main = recipients[0] ?? c.participants[0]!.person;
  const needsInterpreter = c.participants.some((p) => !p.person.languages.includes('spa'));
  for (const [index, day] of plan.days.entries()) {
    let type = b.random.weighted(SERVICES[c.programme]!);
    if (index === 0 && needsInterpreter && b.random.chance(0.6)) type = 'translation';
    const person = index === 0 || b.random.chance(0.7) ? main : b.random.pick(c.participants).person;
    recordService(b, c, day, person, type, { withNote: true });
  }
  maybeReassign(b, c);
  if (plan.closed) closeCase(b, c, plan.days.length ? plan.days[plan.days.length - 1]! : openDay, main);
}

/** The days on which services were given, and whether the case is closed at the end. */
function planServices(b: DemoBuilder, c: DemoCase, openDay: number): { days: number[]; closed: boolean } {
  const { random, calendar } = b;
  const span = SPAN[c.programme] ?? 90;
  const ended = openDay + span < calendar.today;
  // Closed by now: most of those past their usual span, a few early (the person moved on).
  const elapsed = Math.min(1, (calendar.today - openDay) / span);
  const closed = random.chance(ended ? (c.programme === 'search' ? 0.5 : 0.93) : 0.4 * elapsed);
  // A case opened in the last weeks may still wait for its first service.
  if (!closed && openDay > calendar.today - 20 && random.chance(0.25)) return { days: [], closed };
  const count = c.programme === 'shelter' ? random.int(2, 7) : c.programme === 'addiction_treatment' ? random.int(3, 9) : random.int(1, 5);
  const horizon = Math.min(calendar.today, openDay + span);
  const days: number[] = [];
  for (let i = 0; i < count; i++) days.push(i === 0 ? Math.min(calendar.today, openDay + (random.chance(0.7) ? 0 : random.int(1, 5))) : random.int(openDay, Math.max(openDay, horizon)));
  days.sort((x, y) => x - y);
  if (!closed) {
    // Still open: followed up every few weeks up to now, or (one in ten) left without news for a
    // while, which is what "Pendientes" is for.
    const until = random.chance(0.1) ? calendar.today - random.int(31, 150) : calendar.today;
    for (let day = days[days.length - 1]! + random.int(7, 28); day <= until && days.length < 40; day += random.int(7, 28)) days.push(day);
  }
  return { days, closed };
}

function recordService(b: DemoBuilder, c: DemoCase, day: number, person: DemoPerson, type: string, options: { withNote: boolean; by?: string }): void {
  const { random } = b;
  const staff = b.staffOf(c.institution);
  const worker = c.assigned_to ?? staff.supervisor;
  const at = b.calendar.timeOn(random, day, c.updated_at);
  const id = randomUUID();
  const by = options.by ?? (random.chance(0.9) ? worker : staff.supervisor);
  c.services.push({ id, person, service_type: type, provided_on: isoOf(day), provider_unit: SERVICE_UNITS[type]!, notes: random.chance(0.35) ? random.pick(SERVICE_NOTES[type]!) : null, created_by: by, created_at: at });
  c.events.push({ at, actor: by, kind: 'service.recorded', data: { service_id: id, service_type: type, provided_on: isoOf(day) } });
  c.updated_at = at;
  if (c.status === 'open') c.status = 'in_progress';
  if (options.withNote && random.chance(0.25)) {
    const noteAt = b.calendar.after(at, random.int(5, 90) * 60_000);
    const noteId = randomUUID();
    c.notes.push({ id: noteId, body: random.pick(CASE_NOTES), author: worker, created_at: noteAt });
    c.events.push({ at: noteAt, actor: worker, kind: 'note.added', data: { note_id: noteId } });
    c.updated_at = noteAt;
  }
}

/** A follow-up service on `day` by `by`, for the case's main person (used to keep current work current). */
export function followUp(b: DemoBuilder, c: DemoCase, day: number, by: string): void {
  const main = c.participants.find((p) => p.role !== 'family_member' && p.role !== 'guardian') ?? c.participants[0]!;
  recordService(b, c, day, main.person, b.random.weighted(SERVICES[c.programme]!), { withNote: false, by });
}

/** A supervisor reassigns now and then. */
function maybeReassign(b: DemoBuilder, c: DemoCase): void {
  const staff = b.staffOf(c.institution);
  if (!c.assigned_to || staff.caseworkers.length < 2 || !b.random.chance(0.05)) return;
  const other = staff.caseworkers.find((w) => w !== c.assigned_to)!;
  const at = b.calendar.after(c.updated_at, b.random.int(1, 48) * 3_600_000);
  c.assigned_to = other;
  c.events.push({ at, actor: staff.supervisor, kind: 'case.updated', data: { assigned_to: other } });
  c.updated_at = at;
}

function closeCase(b: DemoBuilder, c: DemoCase, lastServiceDay: number, main: DemoPerson): void {
  const { random, calendar } = b;
  const staff = b.staffOf(c.institution);
  const closeDay = Math.min(calendar.today, lastServiceDay + random.int(0, 20));
  const reason = random.weighted(CLOSURES[c.programme]!);
  const at = calendar.timeOn(random, closeDay, c.updated_at);
  c.status = 'closed';
  c.closure_reason = reason;
  c.closed_on = isoOf(closeDay);
  c.events.push({ at, actor: staff.supervisor, kind: 'case.updated', data: { status: 'closed', closure_reason: reason } });
  c.updated_at = at;
  // A few are reopened when the person comes back.
  if (closeDay + 30 < calendar.today && random.chance(0.03)) {
    const reopenDay = random.int(Math.max(closeDay + 7, calendar.today - 60), calendar.today);
    const reopenAt = calendar.timeOn(random, reopenDay, c.updated_at);
    c.status = 'reopened';
    c.closure_reason = null;
    c.closed_on = null;
    c.events.push({ at: reopenAt, actor: staff.supervisor, kind: 'case.updated', data: { status: 'reopened' } });
    c.updated_at = reopenAt;
    recordService(b, c, reopenDay, main, random.weighted(SERVICES[c.programme]!), { withNote: false, by: c.assigned_to ?? staff.supervisor });
  }
}
