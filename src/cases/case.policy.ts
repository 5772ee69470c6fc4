import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { can } from '../platform/auth/policy.ts';

/**
 * Who sees which case, in one place:
 *
 * | who                                   | sees                                                         |
 * |---------------------------------------|--------------------------------------------------------------|
 * | `cases.read_all` (supervisor)         | every case of their institution                              |
 * | `cases.read` (caseworker)             | cases of their institution assigned to them or opened to them |
 * | supervisor of a receiving institution | the shared sections of a case referred to it and accepted    |
 * | caseworker of a receiving institution | the same, when assigned to the case opened on acceptance     |
 * | administrator, analyst, auditor       | no case (aggregates and the audit log elsewhere)             |
 *
 * A case outside these rules answers 404, as if it did not exist.
 */
export function ownCaseCondition(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    if (!can(actor, 'cases.read')) return sql<SqlBool>`false`;
    const sameInstitution = eb('cases.institution_id', '=', actor.institutionId);
    if (can(actor, 'cases.read_all')) return sameInstitution;
    // `= any(array(...))` rather than EXISTS: the planner can then answer both branches from indexes
    // (cases_assigned_list and the primary key) instead of reading every case of the institution.
    return eb.and([
      sameInstitution,
      eb.or([
        eb('cases.assigned_to', '=', actor.userId),
        sql<SqlBool>`cases.id = any(array(select case_access.case_id from case_access where case_access.user_id = ${actor.userId}))`,
      ]),
    ]);
  };
}

/** Accepted referrals whose source case the actor may see (read-only, shared sections only). */
export function receivedReferralCondition(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'referrals'>): Expression<SqlBool> => {
    if (!can(actor, 'cases.read')) return sql<SqlBool>`false`;
    const base = eb.and([eb('referrals.to_institution_id', '=', actor.institutionId), eb('referrals.status', '=', 'accepted')]);
    if (can(actor, 'cases.read_all')) return base;
    return eb.and([
      base,
      eb.exists(
        eb
          .selectFrom('cases as receiving')
          .select('receiving.id')
          .whereRef('receiving.id', '=', 'referrals.receiving_case_id')
          .where((inner) =>
            inner.or([
              inner('receiving.assigned_to', '=', actor.userId),
              inner.exists(inner.selectFrom('case_access').select('case_access.case_id').whereRef('case_access.case_id', '=', 'receiving.id').where('case_access.user_id', '=', actor.userId)),
            ]),
          ),
      ),
    ]);
  };
}

/** Ids of every case the actor may see, own or received, as a subquery. */
export function visibleCaseIds(actor: Actor) {
  const eb = expressionBuilder<Database, never>();
  return eb
    .selectFrom('cases')
    .select('cases.id')
    .where(ownCaseCondition(actor))
    .union(eb.selectFrom('referrals').select('referrals.case_id as id').where(receivedReferralCondition(actor)));
}
