import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import type { Actor } from '../platform/auth/policy.ts';

/** What an administrator may register; `platform` is the installation's own institution, made once at start. */
export const creatableInstitutionTypes = ['federal_agency', 'state_agency', 'consulate', 'shelter', 'civil_society', 'international_organisation'] as const;
export const institutionTypes = [...creatableInstitutionTypes, 'platform'] as const;
export const unitTypes = ['outpatient', 'residential', 'mobile', 'office'] as const;

export type NewInstitution = {
  code: string;
  name: string;
  type: (typeof institutionTypes)[number];
  unit_type?: (typeof unitTypes)[number] | null | undefined;
  country?: string | undefined;
  state_code?: string | null | undefined;
  municipality_code?: string | null | undefined;
  parent_id?: string | null | undefined;
  require_mfa?: boolean | undefined;
  /** Complaint handlers need a second factor: true unless a platform administrator says otherwise. */
  complaint_handlers_mfa?: boolean | undefined;
};

export async function createInstitution(db: Db | Tx, actor: Pick<Actor, 'userId' | 'ip'> | null, input: NewInstitution) {
  const existing = await db.selectFrom('institutions').select('id').where('code', '=', input.code).executeTakeFirst();
  if (existing) throw new AppError('institution_code_taken');
  if (input.parent_id) {
    const parent = await db.selectFrom('institutions').select('id').where('id', '=', input.parent_id).executeTakeFirst();
    if (!parent) throw new AppError('institution_not_found');
  }
  const row = await db
    .insertInto('institutions')
    .values({
      code: input.code,
      name: input.name,
      type: input.type,
      unit_type: input.unit_type ?? null,
      country: input.country ?? 'MEX',
      state_code: input.state_code ?? null,
      municipality_code: input.municipality_code ?? null,
      parent_id: input.parent_id ?? null,
      require_mfa: input.require_mfa ?? false,
      complaint_handlers_mfa: input.complaint_handlers_mfa ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(db, { institutionId: row.id, actorUserId: actor?.userId ?? null, action: 'institution.created', recordType: 'institution', recordId: row.id, ip: actor?.ip ?? null, detail: { code: row.code } });
  return row;
}

export type InstitutionChange = Partial<Pick<NewInstitution, 'name' | 'unit_type' | 'state_code' | 'municipality_code' | 'parent_id' | 'require_mfa' | 'complaint_handlers_mfa'>> & { type?: (typeof creatableInstitutionTypes)[number] | undefined };

const MFA_FIELDS = ['require_mfa', 'complaint_handlers_mfa'];

/**
 * Changes what was sent and nothing else (the caller checked the fields against institution.policy.ts).
 * The platform's own institution keeps its place and type; a parent must exist and may not be the
 * institution itself or one below it.
 */
export async function updateInstitution(db: Db, actor: Actor, institutionId: string, change: InstitutionChange) {
  const set = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as InstitutionChange;
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('institutions').select(['id', 'type']).where('id', '=', institutionId).forUpdate().executeTakeFirst();
    if (!current) throw new AppError('not_found');
    if (current.type === 'platform' && Object.keys(set).some((field) => !MFA_FIELDS.includes(field))) throw new AppError('institution_platform_fixed');
    if (set.parent_id) await checkParent(trx, institutionId, set.parent_id);
    if (Object.keys(set).length) await trx.updateTable('institutions').set(set).where('id', '=', institutionId).execute();
    const action = Object.keys(set).length && Object.keys(set).every((field) => MFA_FIELDS.includes(field)) ? 'institution.mfa_policy_changed' : 'institution.updated';
    await appendAudit(trx, { institutionId, actorUserId: actor.userId, action, recordType: 'institution', recordId: institutionId, ip: actor.ip, detail: set });
  });
}

/** The parent exists, is not the platform, and is not the institution or one of those below it. */
async function checkParent(trx: Tx, institutionId: string, parentId: string) {
  const parent = await trx.selectFrom('institutions').select('type').where('id', '=', parentId).executeTakeFirst();
  if (!parent || parent.type === 'platform') throw new AppError('institution_not_found');
  const { rows } = await sql<{ id: string }>`
    with recursive above(id, parent_id) as (
      select id, parent_id from institutions where id = ${parentId}
      union
      select i.id, i.parent_id from institutions i join above on i.id = above.parent_id
    )
    select id from above where id = ${institutionId}`.execute(trx);
  if (rows.length) throw new AppError('institution_parent_cycle');
}

export function listInstitutions(db: Db) {
  return db.selectFrom('institutions').select(['id', 'code', 'name', 'type', 'unit_type', 'country', 'state_code', 'municipality_code', 'parent_id', 'require_mfa', 'complaint_handlers_mfa']).where('type', '<>', 'platform').orderBy('name').execute();
}
