import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { ResourcePointTable } from '../platform/db/resource-tables.ts';
import type { Selectable } from 'kysely';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { localDate } from '../platform/dates.ts';
import type { NewOperation, NewPoint, PointPatch, PointView } from './resources.schema.ts';

/**
 * Programme resources (decision 0008): the points a programme runs, with the municipalities each
 * covers and its staff, and the rescues and transfers carried out from them. Each institution keeps
 * its own; the statistics count them (src/statistics/indicators.resources.ts). No personal data here:
 * operations are counts of people, never people.
 */

const statesOf = (municipalities: string[]) => [...new Set(municipalities.map((m) => m.slice(0, 2)))].sort();

function pointRowToView(row: Selectable<ResourcePointTable>): PointView {
  return {
    id: row.id,
    institution_id: row.institution_id,
    name: row.name,
    kind: row.kind,
    municipalities: row.municipalities,
    states: statesOf(row.municipalities),
    staff: row.staff,
    staff_role: row.staff_role,
    active_from: row.active_from,
    active_to: row.active_to,
    updated_at: row.updated_at,
  };
}

/** The institution's points, newest first, with the totals of those in operation today. */
export async function listPoints(db: Db, actor: Actor) {
  requireCapability(actor, 'resources.manage');
  const rows = await db.selectFrom('resource_points').selectAll().where('institution_id', '=', actor.institutionId).orderBy('active_from', 'desc').orderBy('name').execute();
  const today = localDate();
  const active = rows.filter((r) => r.active_from <= today && (!r.active_to || r.active_to >= today));
  const municipalities = new Set(active.flatMap((r) => r.municipalities));
  return {
    items: rows.map(pointRowToView),
    totals: { points: active.length, staff: active.reduce((s, r) => s + r.staff, 0), municipalities: municipalities.size, states: statesOf([...municipalities]).length },
  };
}

export async function createPoint(db: Db, actor: Actor, input: NewPoint): Promise<PointView> {
  requireCapability(actor, 'resources.manage');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('resource_points')
      .values({ institution_id: actor.institutionId, name: input.name, kind: input.kind, municipalities: input.municipalities, staff: input.staff, staff_role: input.staff_role, active_from: input.active_from, active_to: input.active_to ?? null, created_by: actor.userId, updated_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'resource_point.created', recordType: 'resource_point', recordId: row.id, ip: actor.ip, detail: { kind: row.kind, staff: row.staff, municipalities: row.municipalities.length } });
    return pointRowToView(row);
  });
}

/** A point corrected or closed (its staff changed, a municipality added, `active_to` set). */
export async function updatePoint(db: Db, actor: Actor, id: string, patch: PointPatch): Promise<PointView> {
  requireCapability(actor, 'resources.manage');
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('resource_points').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current || current.institution_id !== actor.institutionId) throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'resource_point.update_denied', recordType: 'resource_point', recordId: id, ip: actor.ip });
    const from = patch.active_from ?? current.active_from;
    const to = patch.active_to === undefined ? current.active_to : patch.active_to;
    if (to && to < from) throw new AppError('validation_failed');
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const row = await trx
      .updateTable('resource_points')
      .set({ ...changes, updated_by: actor.userId, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'resource_point.updated', recordType: 'resource_point', recordId: id, ip: actor.ip, detail: { fields: Object.keys(changes) } });
    return pointRowToView(row);
  });
}

/** A rescue or a transfer by one of the institution's points (or by the institution itself). */
export async function recordOperation(db: Db, actor: Actor, input: NewOperation) {
  requireCapability(actor, 'operations.record');
  return db.transaction().execute(async (trx) => {
    if (input.point_id) {
      const point = await trx.selectFrom('resource_points').select(['institution_id', 'active_from', 'active_to']).where('id', '=', input.point_id).executeTakeFirst();
      if (!point || point.institution_id !== actor.institutionId) throw new AppError('resource_point_not_found');
      if (input.occurred_on < point.active_from || (point.active_to && input.occurred_on > point.active_to)) throw new AppError('operation_outside_point_dates');
    }
    const row = await trx
      .insertInto('field_operations')
      .values({ institution_id: actor.institutionId, point_id: input.point_id ?? null, kind: input.kind, mode: input.mode ?? null, occurred_on: input.occurred_on, people: input.people, created_by: actor.userId })
      .returning(['id', 'kind', 'mode', 'point_id', 'occurred_on', 'people'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'field_operation.recorded', recordType: 'field_operation', recordId: row.id, ip: actor.ip, detail: { kind: row.kind, mode: row.mode, people: row.people } });
    return row;
  });
}

/** The institution's operations in a range (the latest first) and their totals over the whole range. */
export async function listOperations(db: Db, actor: Actor, query: { from?: string | undefined; to?: string | undefined; limit: number }) {
  requireCapability(actor, 'operations.record');
  const from = query.from ?? '1900-01-01';
  const to = query.to ?? '9999-12-31';
  const base = db.selectFrom('field_operations').where('institution_id', '=', actor.institutionId).where('occurred_on', '>=', from).where('occurred_on', '<=', to);
  const [items, totals] = await Promise.all([
    base.select(['id', 'kind', 'mode', 'point_id', 'occurred_on', 'people']).orderBy('occurred_on', 'desc').orderBy('created_at', 'desc').limit(query.limit).execute(),
    base
      .select([
        sql<number>`count(*) filter (where kind = 'rescue')::int`.as('rescues'),
        sql<number>`coalesce(sum(people) filter (where kind = 'rescue'), 0)::int`.as('rescued'),
        sql<number>`coalesce(sum(people) filter (where mode = 'road'), 0)::int`.as('moved_by_road'),
        sql<number>`coalesce(sum(people) filter (where mode = 'air'), 0)::int`.as('moved_by_air'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return { items, totals };
}
