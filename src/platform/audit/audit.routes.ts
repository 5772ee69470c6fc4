import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/app.ts';
import { actorOf } from '../http/request-context.ts';
import { errorResponses, isoDate, paging } from '../http/schemas.ts';
import { requireCapability } from '../auth/policy.ts';
import { appendAudit, verifyAuditChains } from './audit.ts';
import { recordIdsByFolio, recordLabels } from './audit.labels.ts';
import { checkAuditIntegrity, sealAuditChains } from './seal.ts';
import { startPeriodicTask, type PeriodicTask } from '../jobs/periodic.ts';

const entryView = z.object({
  id: z.number(),
  at: z.date(),
  actor: z.object({ id: z.uuid(), display_name: z.string() }).nullable(),
  action: z.string(),
  record_type: z.string(),
  record_id: z.string().nullable(),
  /** What identifies the record for people: a folio, a name, the folio of a person's case (null when none). */
  record_label: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

/** Auditors read their institution's chain; reading the log is itself logged. */
export function auditRoutes(scope: FastifyInstance, { db, cipher, config }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  if (config.auditSealSeconds > 0) startSealing(scope, db, cipher, config.auditSealSeconds * 1000);
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log of the auditor’s institution, newest first',
        querystring: z.strictObject({ action: z.string().max(60).optional(), record_type: z.string().max(40).optional(), record_id: z.string().max(80).optional(), folio: z.string().trim().min(1).max(40).optional().describe('Entries about the case, complaint, report or found record with this folio'), from: isoDate.optional(), to: isoDate.optional(), ...paging }),
        response: { 200: z.object({ items: z.array(entryView), total: z.number(), limit: z.number(), offset: z.number() }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireCapability(actor, 'audit.read');
      const q = request.query;
      let base = db.selectFrom('audit_log').where('audit_log.institution_id', '=', actor.institutionId);
      if (q.action) base = base.where('action', '=', q.action);
      if (q.record_type) base = base.where('record_type', '=', q.record_type);
      if (q.record_id) base = base.where('record_id', '=', q.record_id);
      if (q.folio) {
        const ids = await recordIdsByFolio(db, actor.institutionId, q.folio);
        base = base.where((eb) => (ids.length ? eb('record_id', 'in', ids) : sql<boolean>`false`));
      }
      if (q.from) base = base.where('at', '>=', new Date(`${q.from}T00:00:00Z`));
      if (q.to) base = base.where('at', '<', new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000));
      const [rows, count] = await Promise.all([
        base
          .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
          .select(['audit_log.id', 'audit_log.at', 'audit_log.actor_user_id', 'users.display_name', 'audit_log.action', 'audit_log.record_type', 'audit_log.record_id', 'audit_log.ip', 'audit_log.detail'])
          .orderBy('audit_log.id', 'desc')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'audit.read', recordType: 'audit_log', ip: actor.ip, detail: { filter_action: q.action ?? null, filter_record_id: q.record_id ?? null, filter_folio: q.folio ?? null } });
      const labels = await recordLabels(db, rows);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at,
          actor: r.actor_user_id ? { id: r.actor_user_id, display_name: r.display_name ?? '' } : null,
          action: r.action,
          record_type: r.record_type,
          record_id: r.record_id,
          record_label: labels.get(`${r.record_type}|${r.record_id}`) ?? null,
          ip: r.ip,
          detail: r.detail,
        })),
        total: Number(count.n),
        limit: q.limit,
        offset: q.offset,
      };
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Recompute the hash chain of the auditor’s institution and check it against its sealed head',
        response: { 200: z.object({ ok: z.boolean(), entries: z.number(), broken_at_id: z.number().nullable(), sealed_through_id: z.number().nullable(), problems: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireCapability(actor, 'audit.read');
      const report = (await checkAuditIntegrity(db, cipher, { onlyInstitutionId: actor.institutionId })).find((r) => r.institutionId === actor.institutionId);
      return { ok: report?.ok ?? true, entries: report?.entries ?? 0, broken_at_id: report?.brokenAtId ?? null, sealed_through_id: report?.sealedThroughId ?? null, problems: report?.problems ?? [] };
    },
  );
}

/**
 * Seals the chains' new entries every few seconds (src/platform/audit/seal.ts), so that a rewrite of
 * anything older is caught. A chain that fails is reported in the log (ids only) and left unsealed.
 */
function startSealing(scope: FastifyInstance, db: AppContext['db'], cipher: AppContext['cipher'], intervalMs: number): void {
  let task: PeriodicTask | undefined;
  const seal = async () => {
    for (const outcome of await sealAuditChains(db, cipher)) {
      if (outcome.problem) scope.log.error({ chain: outcome.institutionId, problem: outcome.problem }, 'audit chain not sealed: it does not follow from its sealed head');
    }
  };
  scope.addHook('onReady', async () => {
    task = startPeriodicTask(seal, { intervalMs, onError: (error) => scope.log.warn({ err: error }, 'sealing the audit chains failed; will retry') });
  });
  scope.addHook('onClose', async () => task?.stop());
}
