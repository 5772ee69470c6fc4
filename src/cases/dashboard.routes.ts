import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { can, requireCapability } from '../platform/auth/policy.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { ownCaseCondition } from './case.policy.ts';
import { childProtectionTasks } from '../children/tasks.ts';
import { localDate } from '../platform/dates.ts';
import { addKeys, discloseBreakdown } from '../platform/disclosure/disclosure.ts';

const OVERDUE_DAYS = 30;

const count = z.number().nullable().describe('null: fewer than 5, withheld (disclosure control)');
const dashboardView = z.object({
  scope: z.enum(['institution', 'own']),
  /** exact: the user's own work, which she may read record by record; controlled: the institution's figures through disclosure control. */
  figures: z.enum(['exact', 'controlled']),
  cases_by_status: z.record(z.string(), count),
  cases_by_programme: z.record(z.string(), count),
  services_this_month: count,
  /** Absent for those who work on their own cases but may not answer referrals: not their work to count. */
  pending_incoming_referrals: count.optional(),
  my_open_cases: z.array(z.object({ id: z.uuid(), folio: z.string(), programme: z.string(), status: z.string(), opened_on: z.string(), last_service_on: z.string().nullable() })),
  tasks: z.array(z.object({ kind: z.enum(['case_without_recent_service', 'referral_to_answer', 'child_measure_overdue', 'tracing_match_to_review']), record_id: z.uuid(), folio: z.string(), since: z.string() })),
});

type KeyedRow = { key: string; n: string; ks: string };
const keySum = sql<string>`amparo_key_add(0, sum(amparo_record_key(id::text)))`;
const caseKeySum = sql<string>`amparo_key_add(0, sum(amparo_record_key(cases.id::text)))`;

/**
 * Counts as shown: exact for the user's own work; for those who may not read the records (analysts,
 * administrators), through the same disclosure control as every statistic (src/statistics/disclosure.ts).
 */
function shownBreakdown(rows: KeyedRow[], exact: boolean): Record<string, number | null> {
  const parts = rows.map((r) => ({ label: r.key, value: Number(r.n), key: Number(r.ks) }));
  if (exact) return Object.fromEntries(parts.map((p) => [p.label, p.value]));
  const total = parts.reduce((t, p) => ({ value: t.value + p.value, key: addKeys(t.key, p.key) }), { value: 0, key: 0 });
  return discloseBreakdown(parts, total).parts;
}
function shownCount(row: { n: string; ks: string }, exact: boolean): number | null {
  if (exact) return Number(row.n);
  return discloseBreakdown([], { value: Number(row.n), key: Number(row.ks) }).total;
}

/**
 * The home screen: what the user can act on. Caseworkers get their own cases, their services this
 * month and their tasks, and no count of the referrals they may not answer; supervisors the
 * institution's work, with the referrals they answer; analysts and administrators the institution's
 * counts through disclosure control: no folio, no name, no figure under 5.
 */
export function dashboardRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/dashboard', { schema: { tags: ['dashboard'], summary: 'Open cases, tasks and counts for the home screen', response: { 200: dashboardView, ...errorResponses } } }, async (request) => {
    const actor = actorOf(request);
    requireCapability(actor, 'dashboard.aggregates');
    const personal = can(actor, 'cases.read');
    const institutionWide = can(actor, 'cases.assign');
    const answersReferrals = can(actor, 'referrals.respond');
    const visible = personal ? db.selectFrom('cases').where(ownCaseCondition(actor)) : db.selectFrom('cases').where('cases.institution_id', '=', actor.institutionId);
    const monthStart = localDate().slice(0, 8) + '01';

    const [byStatus, byProgramme, services, pending] = await Promise.all([
      visible.select(['cases.status as key', (eb) => eb.fn.countAll<string>().as('n'), caseKeySum.as('ks')]).groupBy('cases.status').execute(),
      visible.select(['cases.programme as key', (eb) => eb.fn.countAll<string>().as('n'), caseKeySum.as('ks')]).where('cases.status', '<>', 'closed').groupBy('cases.programme').execute(),
      db
        .selectFrom('services')
        .select([(eb) => eb.fn.countAll<string>().as('n'), keySum.as('ks')])
        .where('institution_id', '=', actor.institutionId)
        .where('provided_on', '>=', monthStart)
        .$if(personal && !institutionWide, (q) => q.where('case_id', 'in', visible.select('cases.id')))
        .executeTakeFirstOrThrow(),
      personal && !answersReferrals
        ? Promise.resolve(null)
        : db.selectFrom('referrals').select([(eb) => eb.fn.countAll<string>().as('n'), keySum.as('ks')]).where('to_institution_id', '=', actor.institutionId).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    ]);
    const exact = personal;

    let myOpen: z.infer<typeof dashboardView>['my_open_cases'] = [];
    let tasks: z.infer<typeof dashboardView>['tasks'] = [];
    if (personal) {
      myOpen = await db
        .selectFrom('cases')
        .select(['cases.id', 'cases.folio', 'cases.programme', 'cases.status', 'cases.opened_on'])
        .select((eb) => eb.selectFrom('services').select((s) => s.fn.max('services.provided_on').as('d')).whereRef('services.case_id', '=', 'cases.id').as('last_service_on'))
        .where('cases.institution_id', '=', actor.institutionId)
        .where('cases.assigned_to', '=', actor.userId)
        .where('cases.status', '<>', 'closed')
        .orderBy('cases.opened_on', 'desc')
        .limit(20)
        .execute()
        .then((rows) => rows.map((r) => ({ ...r, last_service_on: (r.last_service_on as string | null) ?? null })));
      // Overdue across all of the user's open cases, not only the 20 shown: oldest first.
      const cutoff = localDate(new Date(Date.now() - OVERDUE_DAYS * 86_400_000));
      const lastActivity = sql<string>`coalesce((select max(s.provided_on) from services s where s.case_id = cases.id), cases.opened_on)`;
      const overdue = await db
        .selectFrom('cases')
        .select(['cases.id', 'cases.folio', lastActivity.as('since')])
        .where('cases.institution_id', '=', actor.institutionId)
        .where('cases.assigned_to', '=', actor.userId)
        .where('cases.status', '<>', 'closed')
        .where(lastActivity, '<', cutoff)
        .orderBy('since')
        .limit(20)
        .execute();
      tasks = overdue.map((c) => ({ kind: 'case_without_recent_service' as const, record_id: c.id, folio: c.folio, since: c.since }));
      if (answersReferrals) {
        const referrals = await db
          .selectFrom('referrals')
          .innerJoin('cases', 'cases.id', 'referrals.case_id')
          .select(['referrals.id', 'cases.folio', sql<string>`to_char(referrals.created_at, 'YYYY-MM-DD')`.as('since')])
          .where('referrals.to_institution_id', '=', actor.institutionId)
          .where('referrals.status', '=', 'pending')
          .orderBy('referrals.created_at')
          .limit(20)
          .execute();
        tasks = [...referrals.map((r) => ({ kind: 'referral_to_answer' as const, record_id: r.id, folio: r.folio, since: r.since })), ...tasks];
      }
      if (can(actor, 'children.read')) tasks = [...(await childProtectionTasks(db, actor)), ...tasks];
      await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'dashboard.read', recordType: 'case', ip: actor.ip, detail: { record_ids: myOpen.map((c) => c.id) } });
    }
    return {
      scope: personal && !institutionWide ? ('own' as const) : ('institution' as const),
      figures: exact ? ('exact' as const) : ('controlled' as const),
      cases_by_status: shownBreakdown(byStatus, exact),
      cases_by_programme: shownBreakdown(byProgramme, exact),
      services_this_month: shownCount(services, exact),
      ...(pending ? { pending_incoming_referrals: shownCount(pending, exact) } : {}),
      my_open_cases: myOpen,
      tasks,
    };
  });
}
