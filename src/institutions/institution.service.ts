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
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(db, { institutionId: row.id, actorUserId: actor?.userId ?? null, action: 'institution.created', recordType: 'institution', recordId: row.id, ip: actor?.ip ?? null, detail: { code: row.code } });
  return row;
}

export async function setInstitutionMfa(db: Db, actor: Actor, institutionId: string, required: boolean) {
  const updated = await db.updateTable('institutions').set({ require_mfa: required }).where('id', '=', institutionId).returning('id').executeTakeFirst();
  if (!updated) throw new AppError('not_found');
  await appendAudit(db, { institutionId, actorUserId: actor.userId, action: 'institution.mfa_policy_changed', recordType: 'institution', recordId: institutionId, ip: actor.ip, detail: { require_mfa: required } });
}

export function listInstitutions(db: Db) {
  return db.selectFrom('institutions').select(['id', 'code', 'name', 'type', 'unit_type', 'country', 'state_code', 'municipality_code', 'parent_id', 'require_mfa']).where('type', '<>', 'platform').orderBy('name').execute();
}
