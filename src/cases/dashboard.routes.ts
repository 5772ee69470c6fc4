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
import { localDate } from '../platform/dates.ts';

const OVERDUE_DAYS = 30;

const dashboardView = z.object({
  scope: z.enum(['institution', 'own']),
  cases_by_status: z.record(z.string(), z.number()),
  cases_by_programme: z.record(z.string(), z.number()),
  services_this_month: z.number(),
  pending_incoming_referrals: z.number(),
  my_open_cases: z.array(z.object({ id: z.uuid(), folio: z.string(), programme: z.string(), status: z.string(), opened_on: z.string(), last_service_on: z.string().nullable() })),
  tasks: z.array(z.object({ kind: z.enum(['case_without_recent_service', 'referral_to_answer']), record_id: z.uuid(), folio: z.string(), since: z.string() })),
});

/**
 * The home screen. Case workers get their own cases and tasks; analysts and administrators get the
 * institution's counts only: no folio, no name.
 */
export function dashboardRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/dashboard', { schema: { tags: ['dashboard'], summary: 'Open cases, tasks and counts for the home screen', response: { 200: dashboardView, ...errorResponses } } }, async (request) => {
    const actor = actorOf(request);
    requireCapability(actor, 'dashboard.aggregates');
    const personal = can(actor, 'cases.read');
    const visible = personal ? db.selectFrom('cases').where(ownCaseCondition(actor)) : db.selectFrom('cases').where('cases.institution_id', '=', actor.institutionId);
    const monthStart = localDate().slice(0, 8) + '01';

    const [byStatus, byProgramme, services, pending] = await Promise.all([
      visible.select(['cases.status as key', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('cases.status').execute(),
      visible.select(['cases.programme as key', (eb) => eb.fn.countAll<string>().as('n')]).where('cases.status', '<>', 'closed').groupBy('cases.programme').execute(),
      db.selectFrom('services').select((eb) => eb.fn.countAll<string>().as('n')).where('institution_id', '=', actor.institutionId).where('provided_on', '>=', monthStart).executeTakeFirstOrThrow(),
      db.selectFrom('referrals').select((eb) => eb.fn.countAll<string>().as('n')).where('to_institution_id', '=', actor.institutionId).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    ]);
    const toRecord = (rows: { key: string; n: string }[]) => Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));

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
      if (actor.role === 'supervisor') {
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
      await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'dashboard.read', recordType: 'case', ip: actor.ip, detail: { record_ids: myOpen.map((c) => c.id) } });
    }
    return {
      scope: personal && actor.role !== 'supervisor' ? ('own' as const) : ('institution' as const),
      cases_by_status: toRecord(byStatus),
      cases_by_programme: toRecord(byProgramme),
      services_this_month: Number(services.n),
      pending_incoming_referrals: Number(pending.n),
      my_open_cases: myOpen,
      tasks,
    };
  });
}
