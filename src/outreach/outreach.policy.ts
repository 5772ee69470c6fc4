import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import { can, type Actor } from '../platform/auth/policy.ts';

/**
 * Who sees and changes which outreach event, in one place:
 *
 * | who                                              | may                                                      |
 * |--------------------------------------------------|----------------------------------------------------------|
 * | `outreach.record` (supervisor, caseworker)       | record events of their institution; list and read them   |
 * | the event's author                               | correct or delete it                                     |
 * | `outreach.correct_any` (supervisor)              | correct or delete any event of their institution         |
 * | `people.read` holders among the above            | record and see the people who attended (for follow-up)   |
 * | analysts (`statistics.read`)                     | counts only, through disclosure control (src/statistics) |
 *
 * A deleted event is no one's to read or change: it stays in the table with who deleted it and why.
 */
export function eventVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'outreach_events'>): Expression<SqlBool> =>
    eb.and([eb('outreach_events.institution_id', '=', actor.institutionId), eb('outreach_events.deleted_at', 'is', null)]);
}

export function mayChangeEvent(actor: Actor, event: { institution_id: string; created_by: string | null }): boolean {
  if (event.institution_id !== actor.institutionId) return false;
  return event.created_by === actor.userId || can(actor, 'outreach.correct_any');
}

export const mayRecordAttendees = (actor: Actor) => can(actor, 'outreach.record') && can(actor, 'people.read');
