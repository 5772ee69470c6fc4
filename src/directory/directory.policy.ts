import type { Db, Tx } from '../platform/db/database.ts';
import type { ReviewState } from '../platform/db/directory-tables.ts';
import { AppError, forbidden, RecordNotVisible } from '../platform/errors.ts';
import { can, type Actor } from '../platform/auth/policy.ts';

/**
 * Who may do what with a directory entry, in one place:
 *
 * | step                               | who                                               | when the entry is |
 * |------------------------------------|---------------------------------------------------|-------------------|
 * | list, read                         | `directory.edit` or `directory.review`, own inst. | any state         |
 * | create, change, submit, verify     | `directory.edit`, own institution                 | any (a change of a published entry sends it back to draft) |
 * | publish, return with a note        | `directory.review`, own institution, NOT the last person who changed it | pending |
 * | everyone else, other institutions  | nothing (404, audited)                            |                   |
 *
 * The public reads only published entries (src/directory/search.service.ts, hsds.service.ts).
 */
export type Step = 'read' | 'edit' | 'review';

export const transitions: Record<'submit' | 'publish' | 'return', { from: readonly ReviewState[]; to: ReviewState }> = {
  submit: { from: ['draft'], to: 'pending' },
  publish: { from: ['pending'], to: 'published' },
  return: { from: ['pending'], to: 'draft' },
};

export type EntryAccess = { id: string; institutionId: string; organizationId: string; reviewState: ReviewState; changedBy: string | null };

export async function entryAccess(db: Db | Tx, actor: Actor, serviceId: string, step: Step, options: { forUpdate?: boolean } = {}): Promise<EntryAccess> {
  const allowed = step === 'read' ? can(actor, 'directory.edit') || can(actor, 'directory.review') : can(actor, step === 'edit' ? 'directory.edit' : 'directory.review');
  if (!allowed) throw forbidden();
  let query = db.selectFrom('directory_services').select(['id', 'institution_id', 'organization_id', 'review_state', 'changed_by']).where('id', '=', serviceId).where('institution_id', '=', actor.institutionId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'directory_service.access_denied', recordType: 'directory_service', recordId: serviceId, ip: actor.ip });
  return { id: row.id, institutionId: row.institution_id!, organizationId: row.organization_id, reviewState: row.review_state, changedBy: row.changed_by };
}

/** A review is a second person's: whoever changed the entry last may not publish it. */
export function requireSecondPerson(actor: Actor, entry: EntryAccess): void {
  if (entry.changedBy === actor.userId) throw new AppError('directory_same_person');
}

export function requireTransition(entry: EntryAccess, step: keyof typeof transitions): ReviewState {
  const rule = transitions[step];
  if (!rule.from.includes(entry.reviewState)) throw new AppError('directory_invalid_transition');
  return rule.to;
}
