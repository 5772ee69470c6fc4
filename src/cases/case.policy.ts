import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../platform/auth/policy.ts';
import { can } from '../platform/auth/policy.ts';

/**
 * Who sees which case, in one place:
 *
 * | who                                   | sees                                                         |
 * |---------------------------------------|--------------------------------------------------------------|
 * | supervisor                            | every case of their institution                              |
 * | caseworker                            | cases of their institution assigned to them or opened to them |
 * | supervisor of a receiving institution | the shared sections of a case referred to it and accepted    |
 * | caseworker of a receiving institution | the same, when assigned to the case opened on acceptance     |
 * | administrator, analyst, auditor       | no case (aggregates and the audit log elsewhere)             |
 *
 * A case outside these rules answers 404, as if it did not exist.
 */
export function ownCaseCondition(actor: Actor) {
  return (eb: any): Expression<SqlBool> => {
    if (!can(actor, 'cases.read')) return sql<SqlBool>`false`;
    const sameInstitution = eb('cases.institution_id', '=', actor.institutionId);
    if (actor.role === 'supervisor') return sameInstitution;
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
  return (eb: any): Expression<SqlBool> => {
    if (!can(actor, 'cases.read')) return sql<SqlBool>`false`;
    const base = eb.and([eb('referrals.to_institution_id', '=', actor.institutionId), eb('referrals.status', '=', 'accepted')]);
    if (actor.role === 'supervisor') return base;
    return eb.and([
      base,
      eb.exists(
        eb
          .selectFrom('cases as receiving')
          .select('receiving.id')
          .whereRef('receiving.id', '=', 'referrals.receiving_case_id')
          .where((inner: any) =>
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
  return (eb: any) =>
    eb
      .selectFrom('cases')
      .select('cases.id')
      .where(ownCaseCondition(actor))
      .union(eb.selectFrom('referrals').select('referrals.case_id as id').where(receivedReferralCondition(actor)));
}
