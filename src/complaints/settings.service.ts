import type { ComplaintStatus, Db, Tx } from '../platform/db/database.ts';
import { appendAudit, PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import type { RoutingRuleInput, SettingsInput } from './complaint.schema.ts';

export type PerStatus = Partial<Record<ComplaintStatus, number | null>>;
export type ComplaintSettings = { default_unit: string | null; overdue_days: PerStatus; retention_years: PerStatus };

/** How long a complaint may wait in a status before the inbox flags it (days); null: never. */
export const DEFAULT_OVERDUE_DAYS: PerStatus = { new: 3, under_review: 15, more_information_requested: 30, admitted: 30, transmitted: 90, resolved: 30, not_admitted: null, closed: null };
/** How long after entering a status a complaint is reduced to its statistical record (years); null: kept. */
export const DEFAULT_RETENTION_YEARS: PerStatus = { not_admitted: 3, closed: 5 };

export async function readSettings(db: Db | Tx): Promise<ComplaintSettings> {
  const rows = await db.selectFrom('complaint_settings').select(['key', 'value']).execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  return {
    default_unit: (value('default_unit') as string | null | undefined) ?? null,
    overdue_days: { ...DEFAULT_OVERDUE_DAYS, ...((value('overdue_days') as PerStatus | undefined) ?? {}) },
    retention_years: { ...DEFAULT_RETENTION_YEARS, ...((value('retention_years') as PerStatus | undefined) ?? {}) },
  };
}


async function put(db: Db | Tx, key: 'default_unit' | 'overdue_days' | 'retention_years', value: unknown) {
  await db
    .insertInto('complaint_settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }))
    .execute();
}

async function checkInstitution(db: Db | Tx, id: string): Promise<void> {
  const row = await db.selectFrom('institutions').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('complaint_unit_not_found');
}

/** Settings are platform-wide: only platform administrators change them. `actor` null is the CLI. */
export async function updateSettings(db: Db, actor: Actor | null, input: SettingsInput): Promise<ComplaintSettings> {
  if (actor) requireCapability(actor, 'complaints.configure');
  await db.transaction().execute(async (trx) => {
    const current = await readSettings(trx);
    if (input.default_unit !== undefined) {
      if (input.default_unit) await checkInstitution(trx, input.default_unit);
      await put(trx, 'default_unit', input.default_unit);
    }
    if (input.overdue_days) await put(trx, 'overdue_days', { ...current.overdue_days, ...input.overdue_days });
    if (input.retention_years) await put(trx, 'retention_years', { ...current.retention_years, ...input.retention_years });
    await appendAudit(trx, { institutionId: PLATFORM_CHAIN, actorUserId: actor?.userId ?? null, action: 'complaint.settings_changed', recordType: 'complaint_settings', ip: actor?.ip ?? null, detail: { keys: Object.keys(input) } });
  });
  return readSettings(db);
}

export function listRoutingRules(db: Db) {
  return db
    .selectFrom('complaint_routing_rules')
    .innerJoin('institutions', 'institutions.id', 'complaint_routing_rules.institution_id')
    .select(['complaint_routing_rules.id', 'priority', 'authority_type', 'complaint_routing_rules.state_code', 'kind', 'institution_id', 'institutions.name as institution_name', 'description'])
    .orderBy('priority')
    .orderBy('complaint_routing_rules.created_at')
    .execute();
}

export async function addRoutingRule(db: Db, actor: Actor | null, input: RoutingRuleInput): Promise<{ id: string }> {
  if (actor) requireCapability(actor, 'complaints.configure');
  await checkInstitution(db, input.institution_id);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('complaint_routing_rules')
      .values({ priority: input.priority, authority_type: input.authority_type, state_code: input.state_code, kind: input.kind, institution_id: input.institution_id, description: input.description ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: PLATFORM_CHAIN, actorUserId: actor?.userId ?? null, action: 'complaint.routing_rule_added', recordType: 'complaint_routing_rule', recordId: row.id, ip: actor?.ip ?? null, detail: { institution_id: input.institution_id, priority: input.priority } });
    return row;
  });
}

export async function deleteRoutingRule(db: Db, actor: Actor | null, id: string): Promise<void> {
  if (actor) requireCapability(actor, 'complaints.configure');
  await db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('complaint_routing_rules').where('id', '=', id).returning('id').executeTakeFirst();
    if (!gone) throw notFound();
    await appendAudit(trx, { institutionId: PLATFORM_CHAIN, actorUserId: actor?.userId ?? null, action: 'complaint.routing_rule_deleted', recordType: 'complaint_routing_rule', recordId: id, ip: actor?.ip ?? null });
  });
}

/** The receiving unit: the first rule (by priority) whose conditions all hold, else the default unit. */
export async function routeComplaint(db: Db | Tx, facts: { kind: string; state_code: string | null; authority_type: string }): Promise<string | null> {
  const rule = await db
    .selectFrom('complaint_routing_rules')
    .select('institution_id')
    .where((eb) => eb.or([eb('authority_type', 'is', null), eb('authority_type', '=', facts.authority_type)]))
    .where((eb) => (facts.state_code ? eb.or([eb('state_code', 'is', null), eb('state_code', '=', facts.state_code)]) : eb('state_code', 'is', null)))
    .where((eb) => eb.or([eb('kind', 'is', null), eb('kind', '=', facts.kind)]))
    .orderBy('priority')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (rule) return rule.institution_id;
  return (await readSettings(db)).default_unit;
}
