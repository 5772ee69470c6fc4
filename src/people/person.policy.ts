import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import { can, type Actor } from '../platform/auth/policy.ts';
import { visibleCaseIds } from '../cases/case.policy.ts';

/**
 * Who sees which person, in one place:
 *
 * | who                                          | sees                                             |
 * |----------------------------------------------|--------------------------------------------------|
 * | `people.read` (supervisor, caseworker)       | the people of their institution, and the people of every case they can see (src/cases/case.policy.ts) |
 * | `people.read_details` (supervisor)           | identity documents and contact details of their institution's people |
 * | whoever registered the person                | the same details                                 |
 * | a reader of one of the person's cases        | the same details                                 |
 *
 * Other caseworkers of the institution see who the person is (to avoid duplicates), not how to reach them.
 */
export function personVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'people'>): Expression<SqlBool> =>
    eb.or([
      eb('people.institution_id', '=', actor.institutionId),
      eb.exists(
        eb
          .selectFrom('case_participants')
          .select('case_participants.id')
          .whereRef('case_participants.person_id', '=', 'people.id')
          .where('case_participants.case_id', 'in', visibleCaseIds(actor)),
      ),
    ]);
}

/** Whether the actor, who may see the person, also reads their identity documents and contact details. */
export function mayReadPersonDetails(actor: Actor, person: { institution_id: string; created_by: string | null }, seesOneOfTheirCases: boolean): boolean {
  return (can(actor, 'people.read_details') && person.institution_id === actor.institutionId) || person.created_by === actor.userId || seesOneOfTheirCases;
}
