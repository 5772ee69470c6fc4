import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { ownCaseCondition } from '../cases/case.policy.ts';
import { localDate } from '../platform/dates.ts';
import { traceable } from './tracing.service.ts';

/**
 * The child-protection officer's tasks on the home screen: files with restitution measures past their
 * due date (oldest first), and files with tracing matches waiting for review (only for children whose
 * consent or an approved determination allows tracing: the same rule as the review queue).
 */
export async function childProtectionTasks(db: Db, actor: Actor) {
  const today = localDate();
  const [overdue, toReview] = await Promise.all([
    db
      .selectFrom('restitution_measures as m')
      .innerJoin('cases', 'cases.id', 'm.case_id')
      .select(['cases.id', 'cases.folio', sql<string>`min(m.due_on)::text`.as('since')])
      .where(ownCaseCondition(actor))
      .where('cases.status', '<>', 'closed')
      .where('m.executed_on', 'is', null)
      .where('m.due_on', '<', today)
      .groupBy(['cases.id', 'cases.folio'])
      .orderBy('since')
      .limit(20)
      .execute(),
    db
      .selectFrom('tracing_matches as tm')
      .innerJoin('child_files as f', 'f.case_id', 'tm.case_id')
      .innerJoin('cases', 'cases.id', 'tm.case_id')
      .select(['cases.id', 'cases.folio', sql<string>`to_char(min(tm.proposed_at), 'YYYY-MM-DD')`.as('since')])
      .where(ownCaseCondition(actor))
      .where(traceable)
      .where('tm.status', '=', 'proposed')
      .groupBy(['cases.id', 'cases.folio'])
      .orderBy('since')
      .limit(20)
      .execute(),
  ]);
  return [
    ...toReview.map((r) => ({ kind: 'tracing_match_to_review' as const, record_id: r.id, folio: r.folio, since: r.since })),
    ...overdue.map((r) => ({ kind: 'child_measure_overdue' as const, record_id: r.id, folio: r.folio, since: r.since })),
  ];
}
