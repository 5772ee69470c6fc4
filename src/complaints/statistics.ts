import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { appendAudit, PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { timeZone } from '../platform/dates.ts';
import { can, requireCapability, type Actor } from '../platform/auth/policy.ts';
import { addKeys, discloseBreakdown, MIN_CELL } from '../platform/disclosure/disclosure.ts';

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
 * place type, status and outcome. Never a narrative, a name or an identifier. With `controlled`,
 * every breakdown and its total go through the platform's disclosure control (cells under 5 hidden,
 * the rest rounded by their cell key), so that small counts cannot single anyone out, not even by
 * differencing two periods.
 */
export async function complaintStatistics(db: Db, options: { institutionId: string | null; from?: string | undefined; to?: string | undefined; controlled: boolean }): Promise<ComplaintStatistics> {
  const live = db
    .selectFrom('complaints')
    .select([sql<string>`'c' || id::text`.as('record'), 'institution_id', sql<string>`kind`.as('kind'), sql<string>`channel`.as('channel'), 'state_code', 'authority_type', 'place_type', sql<string>`status`.as('status'), 'outcome', sql<string>`(received_at at time zone ${timeZone()})::date`.as('received_on')]);
  const archived = db.selectFrom('complaint_statistics_archive').select([sql<string>`'a' || id::text`.as('record'), 'institution_id', 'kind', 'channel', 'state_code', 'authority_type', 'place_type', 'status', 'outcome', 'received_on']);
  let all = db.selectFrom(live.unionAll(archived).as('c'));
  if (options.institutionId) all = all.where('c.institution_id', '=', options.institutionId);
  if (options.from) all = all.where('c.received_on', '>=', options.from);
  if (options.to) all = all.where('c.received_on', '<=', options.to);
  const result: Record<string, Record<string, number | null>> = {};
  const keySum = sql<string>`amparo_key_add(0, sum(amparo_record_key(c.record)))`;
  let total: number | null = null;
  for (const [name, column] of Object.entries(DIMENSIONS)) {
    const rows = await all.select([sql<string>`coalesce(${sql.ref(`c.${column}`)}::text, 'not_recorded')`.as('key'), (eb) => eb.fn.countAll<string>().as('n'), keySum.as('ks')]).groupBy(sql.ref(`c.${column}`)).execute();
    const parts = rows.map((r) => ({ label: r.key, value: Number(r.n), key: Number(r.ks) }));
    // Every breakdown has one value per complaint, so the sum of its parts is the total.
    const counted = parts.reduce((t, p) => ({ value: t.value + p.value, key: addKeys(t.key, p.key) }), { value: 0, key: 0 });
    if (options.controlled) {
      const shown = discloseBreakdown(parts, counted);
      result[name] = shown.parts;
      total = shown.total;
    } else {
      result[name] = Object.fromEntries(parts.map((p) => [p.label, p.value]));
      total = counted.value;
    }
  }
  return {
    scope: options.institutionId ? 'institution' : 'platform',
    from: options.from ?? null,
    to: options.to ?? null,
    total,
    suppressed_below: options.controlled ? MIN_CELL : 0,
    ...(result as Pick<ComplaintStatistics, keyof typeof DIMENSIONS>),
  };
}

/** The API entry: handlers see exact counts of their unit; analysts see their unit's through disclosure control; platform administrators see everything. */
export async function statisticsFor(db: Db, actor: Actor, query: { from?: string | undefined; to?: string | undefined }) {
  requireCapability(actor, 'complaints.statistics');
  const institutionId = can(actor, 'complaints.statistics_all') ? null : actor.institutionId;
  const exact = can(actor, 'complaints.statistics_exact');
  const period = { from: query.from, to: query.to };
  const stats = await complaintStatistics(db, { institutionId, ...period, controlled: !exact });
  await appendAudit(db, { institutionId: institutionId ?? PLATFORM_CHAIN, actorUserId: actor.userId, action: 'complaint.statistics_read', recordType: 'complaint', ip: actor.ip, detail: { from: period.from ?? null, to: period.to ?? null } });
  return stats;
}
