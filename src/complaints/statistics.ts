import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { appendAudit, PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { timeZone } from '../platform/dates.ts';
import { can, requireCapability, type Actor } from '../platform/auth/policy.ts';

export type ComplaintStatistics = {
  scope: 'institution' | 'platform';
  from: string | null;
  to: string | null;
  total: number | null;
  suppressed_below: number;
  by_kind: Record<string, number | null>;
  by_channel: Record<string, number | null>;
  by_state: Record<string, number | null>;
  by_authority_type: Record<string, number | null>;
  by_place_type: Record<string, number | null>;
  by_status: Record<string, number | null>;
  by_outcome: Record<string, number | null>;
};

const DIMENSIONS = { by_kind: 'kind', by_channel: 'channel', by_state: 'state_code', by_authority_type: 'authority_type', by_place_type: 'place_type', by_status: 'status', by_outcome: 'outcome' } as const;

/**
 * Counts of complaints, live and reduced by retention, by kind, channel, state, authority type,
 * place type, status and outcome. Never a narrative, a name or an identifier. Cells below
 * `suppressBelow` (but above zero) come back as null, so that small counts cannot single anyone out.
 */
export async function complaintStatistics(db: Db, options: { institutionId: string | null; from?: string | undefined; to?: string | undefined; suppressBelow?: number }): Promise<ComplaintStatistics> {
  const suppress = options.suppressBelow ?? 0;
  const live = db
    .selectFrom('complaints')
    .select(['institution_id', sql<string>`kind`.as('kind'), sql<string>`channel`.as('channel'), 'state_code', 'authority_type', 'place_type', sql<string>`status`.as('status'), 'outcome', sql<string>`(received_at at time zone ${timeZone()})::date`.as('received_on')]);
  const archived = db.selectFrom('complaint_statistics_archive').select(['institution_id', 'kind', 'channel', 'state_code', 'authority_type', 'place_type', 'status', 'outcome', 'received_on']);
  let all = db.selectFrom(live.unionAll(archived).as('c'));
  if (options.institutionId) all = all.where('c.institution_id', '=', options.institutionId);
  if (options.from) all = all.where('c.received_on', '>=', options.from);
  if (options.to) all = all.where('c.received_on', '<=', options.to);
  const result: Record<string, Record<string, number | null>> = {};
  const totalRow = await all.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const totalCount = Number(totalRow.n);
  const hideAll = suppress > 0 && totalCount > 0 && totalCount < suppress;
  for (const [name, column] of Object.entries(DIMENSIONS)) {
    const rows = await all.select([sql<string>`coalesce(${sql.ref(`c.${column}`)}::text, 'not_recorded')`.as('key'), (eb) => eb.fn.countAll<string>().as('n')]).groupBy(sql.ref(`c.${column}`)).execute();
    const counts = rows.map((r) => [r.key, Number(r.n)] as const);
    result[name] = hideAll ? Object.fromEntries(counts.map(([key]) => [key, null])) : suppressBreakdown(counts, suppress);
  }
  return {
    scope: options.institutionId ? 'institution' : 'platform',
    from: options.from ?? null,
    to: options.to ?? null,
    total: hideAll ? null : totalCount,
    suppressed_below: suppress,
    ...(result as Pick<ComplaintStatistics, keyof typeof DIMENSIONS>),
  };
}

/**
 * Primary suppression of cells under the threshold, then complementary: a breakdown with exactly one
 * hidden cell would give it away as the total minus the others, so the smallest other cell is hidden
 * too. Every breakdown adds up to the same total, which stays visible once it reaches the threshold.
 */
export function suppressBreakdown(counts: ReadonlyArray<readonly [string, number]>, threshold: number): Record<string, number | null> {
  const hidden = new Set(counts.filter(([, n]) => n > 0 && n < threshold).map(([key]) => key));
  if (hidden.size === 1) {
    const smallest = counts.filter(([key, n]) => !hidden.has(key) && n > 0).sort((a, b) => a[1] - b[1])[0];
    if (smallest) hidden.add(smallest[0]);
  }
  return Object.fromEntries(counts.map(([key, n]) => [key, hidden.has(key) ? null : n]));
}

/** Analysts' periods are whole months: overlapping arbitrary windows would isolate one complaint by difference. */
function wholeMonths(query: { from?: string | undefined; to?: string | undefined }) {
  const from = query.from ? `${query.from.slice(0, 7)}-01` : undefined;
  let to: string | undefined;
  if (query.to) {
    const [year, month] = query.to.slice(0, 7).split('-').map(Number) as [number, number];
    to = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  }
  return { from, to };
}

/** The API entry: handlers see exact counts of their unit; analysts see their unit's with cells under 5 suppressed; platform administrators see everything. */
export async function statisticsFor(db: Db, actor: Actor, query: { from?: string | undefined; to?: string | undefined }) {
  requireCapability(actor, 'complaints.statistics');
  const institutionId = can(actor, 'complaints.statistics_all') ? null : actor.institutionId;
  const exact = can(actor, 'complaints.statistics_exact');
  const period = exact ? query : wholeMonths(query);
  const stats = await complaintStatistics(db, { institutionId, ...period, suppressBelow: exact ? 0 : 5 });
  await appendAudit(db, { institutionId: institutionId ?? PLATFORM_CHAIN, actorUserId: actor.userId, action: 'complaint.statistics_read', recordType: 'complaint', ip: actor.ip, detail: { from: period.from ?? null, to: period.to ?? null } });
  return stats;
}
