import type { Db, Tx } from '../platform/db/database.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { can, requireCapability, type Actor } from '../platform/auth/policy.ts';
import { ownCaseCondition } from '../cases/case.policy.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { localDate } from '../platform/dates.ts';

/**
 * Who sees a child's file, in one place:
 *
 * | who                                         | sees                                                            |
 * |---------------------------------------------|-----------------------------------------------------------------|
 * | `children.read` + the case rules            | the files of their institution they may see as cases (a         |
 * |                                             | supervisor all, an officer those assigned or opened to her)     |
 * | a member of a best-interests panel          | that one child, through the panel's view only, after accepting  |
 * |                                             | the confidentiality undertaking and until the panel's last day  |
 * | everyone else                               | nothing (404, audited)                                          |
 */
export type FileAccess = { caseId: string; institutionId: string; status: string; personId: string; openedOn: string; canEdit: boolean };

export async function childFileAccess(db: Db | Tx, actor: Actor, caseId: string, options: { write?: boolean; forUpdate?: boolean } = {}): Promise<FileAccess> {
  requireCapability(actor, options.write ? 'children.write' : 'children.read');
  let query = db
    .selectFrom('cases')
    .select(['cases.id', 'cases.institution_id', 'cases.status', 'cases.opened_on'])
    .where('cases.id', '=', caseId)
    .where('cases.programme', '=', 'child_protection')
    .where(ownCaseCondition(actor));
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  const file = row ? await db.selectFrom('child_files').select('person_id').where('case_id', '=', caseId).executeTakeFirst() : undefined;
  if (!row || !file) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'child_file.access_denied', recordType: 'child_file', recordId: caseId, ip: actor.ip });
  }
  const access = { caseId, institutionId: row.institution_id, status: row.status, personId: file.person_id, openedOn: row.opened_on, canEdit: can(actor, 'children.write') && row.status !== 'closed' };
  if (options.write && row.status === 'closed') throw new AppError('child_file_closed');
  return access;
}

export type PanelAccess = { memberId: string; determinationId: string; caseId: string; institutionId: string; status: string };

/**
 * A panel member's access to the one file the panel is about. Not a member: 404, audited. A member who
 * has not accepted the undertaking, or after the panel's last day: refused, and the attempt audited.
 */
export async function panelAccess(db: Db | Tx, actor: Actor, determinationId: string, options: { acceptedOnly?: boolean } = {}): Promise<PanelAccess> {
  requireCapability(actor, 'children.panel');
  const row = await db
    .selectFrom('bid_panel_members as m')
    .innerJoin('best_interests as b', 'b.id', 'm.determination_id')
    .select(['m.id', 'm.undertaking_accepted_at', 'b.case_id', 'b.institution_id', 'b.status', 'b.panel_until'])
    .where('m.determination_id', '=', determinationId)
    .where('m.user_id', '=', actor.userId)
    .executeTakeFirst();
  if (!row) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'best_interests.access_denied', recordType: 'best_interests', recordId: determinationId, ip: actor.ip });
  }
  // A refusal is audited before it is answered (the attempt is worth knowing about).
  const refuse = async (error: AppError) => {
    await appendAudit(db, { institutionId: row.institution_id, actorUserId: actor.userId, action: 'best_interests.panel_refused', recordType: 'best_interests', recordId: determinationId, ip: actor.ip, detail: { reason: error.code } });
    return error;
  };
  if (row.panel_until && localDate() > row.panel_until) throw await refuse(new AppError('panel_closed'));
  if ((options.acceptedOnly ?? true) && !row.undertaking_accepted_at) throw await refuse(new AppError('panel_undertaking_required'));
  return { memberId: row.id, determinationId, caseId: row.case_id, institutionId: row.institution_id, status: row.status };
}
