import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { localDate } from '../platform/dates.ts';
import type { EventSummary, UnitDashboard } from './outreach.schema.ts';

/**
 * A unit's dashboard (a consulate head's first screen): the case files it opened and holds, the
 * referrals it sent and has to answer, and its events and their attendance, for the month, quarter
 * or year so far. Exact counts: `outreach.dashboard` is held by supervisors, who read every record of
 * their institution anyway (analysts count through src/statistics, with disclosure control).
 */
export function periodStart(today: string, period: 'month' | 'quarter' | 'year'): string {
  const month = Number(today.slice(5, 7));
  if (period === 'year') return `${today.slice(0, 4)}-01-01`;
  if (period === 'quarter') return `${today.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`;
  return `${today.slice(0, 7)}-01`;
}

const byKey = (rows: { key: string; n: number | string | null }[]) => Object.fromEntries(rows.map((r) => [r.key, Number(r.n ?? 0)]));

export async function unitDashboard(db: Db, actor: Actor, period: 'month' | 'quarter' | 'year'): Promise<UnitDashboard> {
  requireCapability(actor, 'outreach.dashboard');
  const to = localDate();
  const from = periodStart(to, period);
  const own = actor.institutionId;
  const events = db.selectFrom('outreach_events as e').where('e.institution_id', '=', own).where('e.deleted_at', 'is', null);
  const heldInPeriod = events.where('e.held_on', '>=', from).where('e.held_on', '<=', to);
  const attendance = db
    .selectFrom('outreach_attendance as a')
    .innerJoin('outreach_events as e', 'e.id', 'a.event_id')
    .where('e.institution_id', '=', own)
    .where('e.deleted_at', 'is', null)
    .where('e.held_on', '>=', from)
    .where('e.held_on', '<=', to);
  const total = sql<number>`coalesce((select sum(a.attendees) from outreach_attendance a where a.event_id = e.id), 0)::int`;
  const summary = ['e.id', 'e.title', 'e.kind', 'e.topic', 'e.programme', 'e.held_on', 'e.country', 'e.state_code', 'e.municipality_code', 'e.city', 'e.venue'] as const;
  const cases = db.selectFrom('cases').where('institution_id', '=', own);

  const [institution, opened, openNow, byProgramme, sent, pending, held, bySex, byAge, byTopic, byKind, recent, upcoming] = await Promise.all([
    db.selectFrom('institutions').select(['name', 'type', 'country']).where('id', '=', own).executeTakeFirstOrThrow(),
    cases.select((eb) => eb.fn.countAll<string>().as('n')).where('opened_on', '>=', from).where('opened_on', '<=', to).executeTakeFirstOrThrow(),
    cases.select((eb) => eb.fn.countAll<string>().as('n')).where('status', '<>', 'closed').executeTakeFirstOrThrow(),
    cases.select(['programme as key', (eb) => eb.fn.countAll<string>().as('n')]).where('opened_on', '>=', from).where('opened_on', '<=', to).groupBy('programme').execute(),
    db.selectFrom('referrals').select((eb) => eb.fn.countAll<string>().as('n')).where('institution_id', '=', own).where(sql<boolean>`created_at::date >= ${from}::date`).executeTakeFirstOrThrow(),
    db.selectFrom('referrals').select((eb) => eb.fn.countAll<string>().as('n')).where('to_institution_id', '=', own).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    heldInPeriod.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    attendance.select(['a.sex as key', (eb) => eb.fn.sum<string>('a.attendees').as('n')]).groupBy('a.sex').execute(),
    attendance.select(['a.age_band as key', (eb) => eb.fn.sum<string>('a.attendees').as('n')]).groupBy('a.age_band').execute(),
    heldInPeriod.select(['e.topic as key', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('e.topic').execute(),
    heldInPeriod.select(['e.kind as key', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('e.kind').execute(),
    events.select([...summary, total.as('attendees_total')]).where('e.held_on', '<=', to).orderBy('e.held_on', 'desc').orderBy('e.created_at', 'desc').limit(5).execute(),
    events.select([...summary, total.as('attendees_total')]).where('e.held_on', '>', to).orderBy('e.held_on').limit(5).execute(),
  ]);
  const sexes = byKey(bySex);
  const asSummary = (r: (typeof recent)[number]): EventSummary => ({ ...r, held_on: String(r.held_on), attendees_total: Number(r.attendees_total) });
  return {
    institution,
    period: { from, to },
    cases: { opened: Number(opened.n), open_now: Number(openNow.n), by_programme: byKey(byProgramme), referrals_sent: Number(sent.n), referrals_received_pending: Number(pending.n) },
    events: {
      held: Number(held.n),
      attendees: Object.values(sexes).reduce((a, b) => a + b, 0),
      by_sex: sexes,
      by_age_band: byKey(byAge),
      by_topic: byKey(byTopic),
      by_kind: byKey(byKind),
      recent: recent.map(asSummary),
      upcoming: upcoming.map(asSummary),
    },
  };
}
