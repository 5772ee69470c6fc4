import { can, type Actor } from '../platform/auth/policy.ts';

/**
 * Who sees which missing-person report or found record, in one place:
 *
 * | who                                              | sees                                          |
 * |--------------------------------------------------|-----------------------------------------------|
 * | `missing.read` (search officer, supervisor)      | every record of their institution             |
 * | `missing.record` only (caseworker)               | the records of their institution they created |
 * | anyone else, any other institution               | none (404, audited)                           |
 *
 * Match candidates follow their two records (src/missing/review.service.ts).
 */
export function mayOpen(actor: Actor, row: { institution_id: string; created_by: string | null }): boolean {
  if (row.institution_id !== actor.institutionId) return false;
  if (can(actor, 'missing.read')) return true;
  return can(actor, 'missing.record') && row.created_by === actor.userId;
}

/** Lists and exports of an actor who sees only the records they created (to filter on `created_by`). */
export const seesOnlyOwnRecords = (actor: Actor): boolean => !can(actor, 'missing.read');
