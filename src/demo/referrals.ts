import { randomUUID } from 'node:crypto';
import { REFERRAL_ROUTES } from './catalogue.ts';
import type { DemoBuilder } from './builder.ts';
import { dayOf, isoOf } from './calendar.ts';
import { newCase } from './cases.ts';
import type { DemoCase, DemoReferral } from './model.ts';
import { fillCase } from './timeline.ts';

/**
 * Referrals along the routes of the catalogue, with the person's consent. Recent ones wait for an
 * answer; older ones were answered, and an accepted one opens a case in the receiving institution
 * with the same people.
 */

const DECLINE_NOTES = ['No se cuenta con cupo en este momento.', 'La persona no cumple el perfil de atención de la unidad.', 'Ya recibe atención en otra oficina de la institución.'];

function routeFor(b: DemoBuilder, c: DemoCase) {
  const main = c.participants[0]!.person;
  const fits = (when: string) =>
    when === 'any' ||
    (when === 'child' && main.age < 18) ||
    (when === 'victim' && c.participants.some((p) => p.role === 'direct_victim')) ||
    (when === 'asylum' && main.vulnerabilities.includes('asylum_seeker')) ||
    (when === 'health' && ['health', 'shelter', 'mental_health'].includes(c.programme)) ||
    (when === 'addiction' && main.age >= 18 && b.random.chance(0.3)) ||
    (when === 'legal' && main.age >= 18);
  const options = REFERRAL_ROUTES.filter((r) => r.from === c.institution && fits(r.when));
  return options.length ? b.random.pick(options) : null;
}

/** Refers case `c` (opened on `openDay`) when a route fits. */
export function refer(b: DemoBuilder, c: DemoCase, openDay: number): void {
  const { random, calendar } = b;
  const route = routeFor(b, c);
  if (!route) return;
  const caseLast = c.closed_on ? dayOf(c.closed_on) : calendar.today;
  const sentDay = Math.min(caseLast, openDay + random.int(0, 20));
  const sender = c.assigned_to ?? b.staffOf(c.institution).supervisor;
  const sentAt = calendar.timeOn(random, sentDay, c.created_at);
  const id = randomUUID();
  const sections = ['participants', ...random.some(['services', 'summary', 'notes'], random.int(0, 3))];
  const target = b.staffOf(route.to);
  // Answered within days; only the last weeks' referrals, and a rare forgotten one, still wait.
  const pending = sentDay > calendar.today - 21 ? random.chance(0.6) : random.chance(0.02);
  const declined = !pending && random.chance(0.12);
  const respondDay = Math.min(calendar.today, sentDay + random.int(1, 10));
  const respondedAt = pending ? null : calendar.timeOn(random, respondDay, sentAt);
  const referral: DemoReferral = {
    id,
    from: c,
    to: route.to,
    reason: route.reason,
    consent_recorded_on: isoOf(sentDay),
    consent_method: c.participants[0]!.person.age < 18 ? 'guardian' : random.chance(0.7) ? 'written' : 'verbal',
    shared_sections: sections,
    status: pending ? 'pending' : declined ? 'declined' : 'accepted',
    response_note: declined ? random.pick(DECLINE_NOTES) : !pending && random.chance(0.3) ? 'Se asigna a operador/a de caso.' : null,
    responded_by: pending ? null : target.supervisor,
    responded_at: respondedAt,
    receiving: null,
    created_by: sender,
    created_at: sentAt,
  };
  c.events.push({ at: sentAt, actor: sender, kind: 'referral.sent', data: { referral_id: id, to_institution_id: b.uuidOf(route.to), shared_sections: sections } });
  if (respondedAt) c.events.push({ at: respondedAt, actor: target.supervisor, kind: declined ? 'referral.declined' : 'referral.accepted', data: { referral_id: id, by_institution_id: b.uuidOf(route.to) } });
  if (referral.status === 'accepted') {
    const receiving = newCase(b, b.byCode.get(route.to)!, route.programme, respondDay, { referralId: id });
    receiving.created_at = calendar.after(respondedAt!, 1000);
    receiving.updated_at = receiving.created_at;
    for (const p of c.participants) receiving.participants.push({ id: randomUUID(), person: p.person, role: p.role, relationship: p.relationship });
    fillCase(b, receiving, respondDay);
    referral.receiving = receiving;
    b.cases.push(receiving);
  }
  b.referrals.push(referral);
}
