import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldOperationTable, ResourcePointTable } from '../platform/db/resource-tables.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { changedFields, correctionEntry, correctionsOf, userRef } from '../platform/corrections.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { localDate } from '../platform/dates.ts';
import type { NewOperation, NewPoint, OperationPatch, OperationView, PointPatch, PointView } from './resources.schema.ts';

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

const notVisible = (actor: Actor, action: string, recordType: string, id: string) =>
  new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action, recordType, recordId: id, ip: actor.ip });

const POINT_FIELDS = ['name', 'kind', 'municipalities', 'staff', 'staff_role', 'active_from', 'active_to'] as const;

/**
 * A point corrected or closed (its staff changed, a municipality added, `active_to` set). What changed
 * is kept in the point's history with who, when and the reason if one was given.
 */
export async function updatePoint(db: Db, actor: Actor, id: string, patch: PointPatch): Promise<PointView> {
  requireCapability(actor, 'resources.manage');
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('resource_points').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current || current.institution_id !== actor.institutionId) throw notVisible(actor, 'resource_point.update_denied', 'resource_point', id);
    const { reason, ...fields } = patch;
    const from = fields.active_from ?? current.active_from;
    const to = fields.active_to === undefined ? current.active_to : fields.active_to;
    if (to && to < from) throw new AppError('validation_failed');
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const row = await trx
      .updateTable('resource_points')
      .set({ ...set, updated_by: actor.userId, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changes = changedFields(pointRowToView(current), pointRowToView(row), POINT_FIELDS);
    if (changes.length) await trx.insertInto('resource_point_corrections').values({ institution_id: actor.institutionId, point_id: id, corrected_by: actor.userId, reason: reason ?? null, changes: JSON.stringify(changes) }).execute();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'resource_point.updated', recordType: 'resource_point', recordId: id, ip: actor.ip, detail: { fields: changes.map((c) => c.field) } });
    return pointRowToView(row);
  });
}

/** A point as recorded, by whom, and every change since (oldest first). */
export async function pointHistory(db: Db, actor: Actor, id: string) {
  requireCapability(actor, 'resources.manage');
  const row = await db.selectFrom('resource_points').leftJoin('users', 'users.id', 'resource_points.created_by').selectAll('resource_points').select('users.display_name').where('resource_points.id', '=', id).executeTakeFirst();
  if (!row || row.institution_id !== actor.institutionId) throw notVisible(actor, 'resource_point.read_denied', 'resource_point', id);
  const corrections = await correctionsOf(db, 'resource_point_corrections', id);
  return {
    point: pointRowToView(row),
    recorded: { at: row.created_at, by: userRef(row.created_by, row.display_name) },
    corrections: corrections.map(correctionEntry),
  };
}

function operationRowToView(row: Selectable<FieldOperationTable>, corrections: number): OperationView {
  return { id: row.id, kind: row.kind, mode: row.mode, point_id: row.point_id, state: row.state, occurred_on: row.occurred_on, people: row.people, corrections };
}

/**
 * Where an operation took place: the state given, else that of its point (the first municipality it
 * covers). The point must be the institution's and in operation on the day.
 */
async function placeOf(trx: Tx, actor: Actor, op: { point_id?: string | null | undefined; occurred_on: string; state?: string | null | undefined }): Promise<string | null> {
  if (!op.point_id) return op.state ?? null;
  const point = await trx.selectFrom('resource_points').select(['institution_id', 'active_from', 'active_to', 'municipalities']).where('id', '=', op.point_id).executeTakeFirst();
  if (!point || point.institution_id !== actor.institutionId) throw new AppError('resource_point_not_found');
  if (op.occurred_on < point.active_from || (point.active_to && op.occurred_on > point.active_to)) throw new AppError('operation_outside_point_dates');
  return op.state ?? point.municipalities[0]!.slice(0, 2);
}

/** A rescue or a transfer by one of the institution's points (or by the institution itself). */
export async function recordOperation(db: Db, actor: Actor, input: NewOperation): Promise<OperationView> {
  requireCapability(actor, 'operations.record');
  return db.transaction().execute(async (trx) => {
    const state = await placeOf(trx, actor, input);
    const row = await trx
      .insertInto('field_operations')
      .values({ institution_id: actor.institutionId, point_id: input.point_id ?? null, kind: input.kind, mode: input.mode ?? null, state, occurred_on: input.occurred_on, people: input.people, created_by: actor.userId, updated_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'field_operation.recorded', recordType: 'field_operation', recordId: row.id, ip: actor.ip, detail: { kind: row.kind, mode: row.mode, people: row.people } });
    return operationRowToView(row, 0);
  });
}

const OPERATION_FIELDS = ['kind', 'mode', 'point_id', 'state', 'occurred_on', 'people'] as const;

/**
 * An operation recorded wrongly, corrected by anyone of the institution who may record one: the
 * changed fields with their values before and after are kept with who, when and why. Operations are
 * never deleted (what the statistics counted must stay explainable).
 */
export async function correctOperation(db: Db, actor: Actor, id: string, patch: OperationPatch): Promise<OperationView> {
  requireCapability(actor, 'operations.record');
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('field_operations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current || current.institution_id !== actor.institutionId) throw notVisible(actor, 'field_operation.correct_denied', 'field_operation', id);
    const { reason, ...fields } = patch;
    const next = { ...current, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) } as typeof current;
    // A rescue corrected into a transfer needs its means; a transfer corrected into a rescue loses it.
    if (fields.kind === 'rescue' && fields.mode === undefined) next.mode = null;
    if ((next.kind === 'transfer') !== (next.mode !== null)) throw new AppError('operation_mode_mismatch');
    // A new point or date is checked against the point; a new point, unless a state is given, brings its own.
    if (next.point_id && (fields.point_id !== undefined || fields.occurred_on !== undefined)) {
      const pointState = await placeOf(trx, actor, { point_id: next.point_id, occurred_on: next.occurred_on });
      if (fields.point_id !== undefined && fields.state === undefined) next.state = pointState;
    }
    const changes = changedFields(current, next, OPERATION_FIELDS);
    const row = changes.length
      ? await trx
          .updateTable('field_operations')
          .set({ kind: next.kind, mode: next.mode, point_id: next.point_id, state: next.state, occurred_on: next.occurred_on, people: next.people, updated_by: actor.userId, updated_at: new Date() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : current;
    if (changes.length) await trx.insertInto('field_operation_corrections').values({ institution_id: actor.institutionId, operation_id: id, corrected_by: actor.userId, reason, changes: JSON.stringify(changes) }).execute();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'field_operation.corrected', recordType: 'field_operation', recordId: id, ip: actor.ip, detail: { fields: changes.map((c) => c.field) } });
    const count = await trx.selectFrom('field_operation_corrections').select((eb) => eb.fn.countAll<number>().as('n')).where('operation_id', '=', id).executeTakeFirstOrThrow();
    return operationRowToView(row, Number(count.n));
  });
}

/** An operation as recorded, by whom, and every correction since (oldest first). */
export async function operationHistory(db: Db, actor: Actor, id: string) {
  requireCapability(actor, 'operations.record');
  const row = await db.selectFrom('field_operations').leftJoin('users', 'users.id', 'field_operations.created_by').selectAll('field_operations').select('users.display_name').where('field_operations.id', '=', id).executeTakeFirst();
  if (!row || row.institution_id !== actor.institutionId) throw notVisible(actor, 'field_operation.read_denied', 'field_operation', id);
  const corrections = await correctionsOf(db, 'field_operation_corrections', id);
  return {
    operation: operationRowToView(row, corrections.length),
    recorded: { at: row.created_at, by: userRef(row.created_by, row.display_name) },
    corrections: corrections.map(correctionEntry),
  };
}

/** The institution's operations in a range (the latest first) and their totals over the whole range and kind. */
export async function listOperations(db: Db, actor: Actor, query: { from?: string | undefined; to?: string | undefined; kind?: 'rescue' | 'road' | 'air' | undefined; limit: number }) {
  requireCapability(actor, 'operations.record');
  let base = db
    .selectFrom('field_operations')
    .where('institution_id', '=', actor.institutionId)
    .where('occurred_on', '>=', query.from ?? '1900-01-01')
    .where('occurred_on', '<=', query.to ?? '9999-12-31');
  if (query.kind === 'rescue') base = base.where('kind', '=', 'rescue');
  else if (query.kind) base = base.where('mode', '=', query.kind);
  const [rows, totals] = await Promise.all([
    base
      .selectAll('field_operations')
      .select((eb) => eb.selectFrom('field_operation_corrections as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.operation_id', '=', 'field_operations.id').as('corrections'))
      .orderBy('occurred_on', 'desc')
      .orderBy('created_at', 'desc')
      .limit(query.limit)
      .execute(),
    base
      .select([
        sql<number>`count(*) filter (where kind = 'rescue')::int`.as('rescues'),
        sql<number>`coalesce(sum(people) filter (where kind = 'rescue'), 0)::int`.as('rescued'),
        sql<number>`count(*) filter (where mode = 'road')::int`.as('transfers_by_road'),
        sql<number>`coalesce(sum(people) filter (where mode = 'road'), 0)::int`.as('moved_by_road'),
        sql<number>`count(*) filter (where mode = 'air')::int`.as('transfers_by_air'),
        sql<number>`coalesce(sum(people) filter (where mode = 'air'), 0)::int`.as('moved_by_air'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => operationRowToView(r, Number(r.corrections ?? 0))), totals };
}
