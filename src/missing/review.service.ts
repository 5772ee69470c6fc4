import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, rolesWith, type Actor } from '../platform/auth/policy.ts';
import { foundRowToView, openReport, reportRowToView } from './missing.service.ts';
import { inWords } from './evidence.ts';
import { consistentReports, loadSubjects, queueForMatching } from './matching.ts';
import { mayOpen } from './missing.policy.ts';
import type { FieldExplanation } from '../search/model.ts';
import { fieldsOf } from '../platform/fields.ts';
import { fullName } from '../platform/names.ts';

/**
 * The review queue. A pair is visible to the search officers of both institutions involved (the one
 * holding the report and the one holding the found record): to compare they must see both records, and
 * each such view is audited in the viewer's chain. Confirming one pair locates the person: the report
 * and the found record change status, the other open pairs of either record are superseded, and the
 * holders of both records are notified. Rejecting keeps the pair (with the evidence it was judged on),
 * so matching does not propose it again unless that evidence changes.
 */


const involves = (actor: Actor) => sql`(c.report_institution_id = ${actor.institutionId} or c.other_institution_id = ${actor.institutionId})`;

export async function listCandidates(db: Db, actor: Actor, filters: { status: string; limit: number; offset: number }) {
  requireCapability(actor, 'missing.review');
  const [items, total] = await Promise.all([
    sql<{ id: string; status: 'proposed'; probability: number; weight: number; times_proposed: number; proposed_at: Date; reviewed_at: Date | null; report_id: string; report_folio: string; report_institution_id: string; rg: string | null; rs1: string | null; rs2: string | null; found_id: string; found_folio: string; condition: string; found_institution_id: string; fg: string | null; fs1: string | null; fs2: string | null }>`
      select c.id, c.status, c.probability, c.weight, c.times_proposed, c.proposed_at, c.reviewed_at,
        r.id as report_id, r.folio as report_folio, r.institution_id as report_institution_id, r.given_names as rg, r.surname1 as rs1, r.surname2 as rs2,
        f.id as found_id, f.folio as found_folio, f.condition, f.institution_id as found_institution_id, f.given_names as fg, f.surname1 as fs1, f.surname2 as fs2
      from match_candidates c join missing_reports r on r.id = c.report_id join found_records f on f.id = c.found_id
      where ${involves(actor)} and c.status = ${filters.status}
      order by c.probability desc, c.proposed_at limit ${filters.limit} offset ${filters.offset}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from match_candidates c where ${involves(actor)} and c.status = ${filters.status}`.execute(db),
  ]);
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'match_candidates.listed', recordType: 'match_candidate', detail: { status: filters.status, returned: items.rows.length } });
  return {
    items: items.rows.map((r) => ({
      id: r.id,
      status: r.status,
      probability: r.probability,
      weight: r.weight,
      times_proposed: r.times_proposed,
      proposed_at: r.proposed_at,
      reviewed_at: r.reviewed_at,
      report: { id: r.report_id, folio: r.report_folio, name: fullName({ given_names: r.rg, surname1: r.rs1, surname2: r.rs2 }), institution_id: r.report_institution_id },
      found: { id: r.found_id, folio: r.found_folio, name: fullName({ given_names: r.fg, surname1: r.fs1, surname2: r.fs2 }), condition: r.condition, institution_id: r.found_institution_id },
    })),
    total: total.rows[0]?.n ?? 0,
    limit: filters.limit,
    offset: filters.offset,
  };
}

async function openCandidate(db: Db | Tx, actor: Actor, id: string, action: string, lock = false) {
  requireCapability(actor, 'missing.review');
  let query = db.selectFrom('match_candidates').selectAll().where('id', '=', id).where('found_id', 'is not', null);
  if (lock) query = query.forUpdate();
  const c = await query.executeTakeFirst();
  if (!c || (c.report_institution_id !== actor.institutionId && c.other_institution_id !== actor.institutionId)) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'match_candidate.read_denied', recordType: 'match_candidate', recordId: id, ip: actor.ip });
  }
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action, recordType: 'match_candidate', recordId: id, ip: actor.ip, detail: { report_id: c.report_id, found_id: c.found_id } });
  return c;
}

/** The pair side by side with the explanation. The reporter's identity and contact stay with the report's holder. */
export async function getCandidate(db: Db, cipher: FieldCipher, actor: Actor, id: string) {
  const c = await openCandidate(db, actor, id, 'match_candidate.viewed');
  const [report, found] = await Promise.all([
    db.selectFrom('missing_reports').selectAll().where('id', '=', c.report_id).executeTakeFirstOrThrow(),
    db.selectFrom('found_records').selectAll().where('id', '=', c.found_id!).executeTakeFirstOrThrow(),
  ]);
  const { reporter, dental_notes: _d, circumstance: _c, ...reportRecord } = reportRowToView(report, cipher);
  return {
    id: c.id,
    status: c.status,
    probability: c.probability,
    weight: c.weight,
    times_proposed: c.times_proposed,
    proposed_at: c.proposed_at,
    reviewed_at: c.reviewed_at,
    explanation: (c.explanation as FieldExplanation[]).map(inWords),
    review_note: c.review_note_enc ? cipher.decryptJson<string>(c.review_note_enc) : null,
    report: { id: report.id, folio: report.folio, name: fullName(report), institution_id: report.institution_id },
    found: { id: found.id, folio: found.folio, name: fullName(found), condition: found.condition, institution_id: found.institution_id },
    report_record: { ...reportRecord, reporter: { relationship: reporter.relationship, country: reporter.country } },
    found_record: (({ notes: _notes, ...rest }) => rest)(foundRowToView(found, cipher)),
  };
}

/**
 * The remains' page for a reviewer: every open report the found record is compared with, ranked by
 * likelihood ratio, however weak (a nameless body shares a common mark with hundreds of reports; only
 * pairs whose probability reaches the threshold are in the review queue). The found record must be one
 * the reviewer's institution holds; the reports are shown without names (folio, institution, sex, last
 * seen and the evidence in words), and every report listed is named in the audit entry.
 */
export async function listConsistentReports(db: Db, actor: Actor, foundId: string, page: { limit: number; offset: number }) {
  requireCapability(actor, 'missing.review');
  const row = await db.selectFrom('found_records').select(['id', 'institution_id', 'created_by']).where('id', '=', foundId).executeTakeFirst();
  if (!row || !mayOpen(actor, row)) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'found_record.read_denied', recordType: 'found_record', recordId: foundId, ip: actor.ip });
  }
  const [found] = await loadSubjects(db, 'F', [foundId]);
  const ranked = found ? await consistentReports(db, found) : [];
  const shown = ranked.slice(page.offset, page.offset + page.limit);
  const ids = shown.map((p) => p.report.id);
  const [reports, candidates] = await Promise.all([
    sql<{ id: string; folio: string; institution_name: string; sex: string; last_seen_on: string | null; last_seen_state: string | null }>`
      select r.id, r.folio, i.name as institution_name, r.sex, r.last_seen_on::text as last_seen_on, r.last_seen_state
      from missing_reports r join institutions i on i.id = r.institution_id where r.id = any(${ids}::uuid[])`.execute(db),
    sql<{ id: string; report_id: string; status: 'proposed' | 'confirmed' | 'rejected' | 'superseded'; probability: number }>`
      select id, report_id, status, probability from match_candidates where found_id = ${foundId} and report_id = any(${ids}::uuid[])`.execute(db),
  ]);
  const reportOf = new Map(reports.rows.map((r) => [r.id, r]));
  const candidateOf = new Map(candidates.rows.map((c) => [c.report_id, c]));
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'found_record.consistent_reports_listed', recordType: 'found_record', recordId: foundId, ip: actor.ip, detail: { total: ranked.length, offset: page.offset, report_ids: ids } });
  return {
    found_id: foundId,
    total: ranked.length,
    limit: page.limit,
    offset: page.offset,
    items: shown.flatMap((p, i) => {
      const r = reportOf.get(p.report.id);
      if (!r) return [];
      const c = candidateOf.get(p.report.id);
      return [{ rank: page.offset + i + 1, weight: p.score.weight, report: r, candidate: c ? { id: c.id, status: c.status, probability: c.probability } : null, explanation: p.score.explanation.map(inWords) }];
    }),
  };
}

/** Notifies the people who hold either record: their creators and the search officers (`missing.review`) of both institutions. */
async function notifyHolders(trx: Tx, actor: Actor, kind: string, report: { id: string; institution_id: string; created_by: string | null }, found: { id: string; institution_id: string; created_by: string | null }) {
  const { rows } = await sql<{ user_id: string; institution_id: string }>`
    select distinct user_id, institution_id from (
      select m.user_id, m.institution_id from memberships m
        join users u on u.id = m.user_id and u.disabled_at is null
        where m.role = any(${rolesWith('missing.review')}::text[]) and m.institution_id in (${report.institution_id}, ${found.institution_id})
      union select ${report.created_by}::uuid, ${report.institution_id}::uuid where ${report.created_by}::uuid is not null
      union select ${found.created_by}::uuid, ${found.institution_id}::uuid where ${found.created_by}::uuid is not null
    ) holders where user_id <> ${actor.userId}`.execute(trx);
  if (!rows.length) return;
  await trx
    .insertInto('notifications')
    // Each holder is pointed at the record their institution holds: another institution's report would not open.
    .values(rows.map((r) => (r.institution_id === report.institution_id ? { user_id: r.user_id, institution_id: r.institution_id, kind, record_type: 'missing_report', record_id: report.id } : { user_id: r.user_id, institution_id: r.institution_id, kind, record_type: 'found_record', record_id: found.id })))
    .execute();
}

export async function reviewCandidate(db: Db, cipher: FieldCipher, actor: Actor, id: string, decision: 'confirm' | 'reject', note?: string) {
  return db.transaction().execute(async (trx) => {
    const c = await openCandidate(trx, actor, id, decision === 'confirm' ? 'match_candidate.confirmed' : 'match_candidate.rejected', true);
    if (c.status !== 'proposed') throw new AppError('missing_candidate_not_open');
    const report = await trx.selectFrom('missing_reports').selectAll().where('id', '=', c.report_id).forUpdate().executeTakeFirstOrThrow();
    const found = await trx.selectFrom('found_records').selectAll().where('id', '=', c.found_id!).forUpdate().executeTakeFirstOrThrow();
    const reviewed = { reviewed_by: actor.userId, reviewed_at: new Date(), review_note_enc: note ? cipher.encryptJson(note) : null };
    if (decision === 'reject') {
      await trx.updateTable('match_candidates').set({ status: 'rejected', ...reviewed }).where('id', '=', id).execute();
      await trx.insertInto('missing_events').values([
        { institution_id: report.institution_id, report_id: report.id, kind: 'candidate.rejected', detail: JSON.stringify({ candidate_id: id, found_folio: found.folio }), actor_user_id: actor.userId },
        { institution_id: found.institution_id, found_id: found.id, kind: 'candidate.rejected', detail: JSON.stringify({ candidate_id: id, report_folio: report.folio }), actor_user_id: actor.userId },
      ]).execute();
      return { status: 'rejected' as const };
    }
    if (report.status !== 'active' || found.status !== 'unidentified') throw new AppError('missing_already_located');
    const located = found.condition === 'alive' ? ('located_alive' as const) : ('located_deceased' as const);
    await trx.updateTable('match_candidates').set({ status: 'confirmed', ...reviewed }).where('id', '=', id).execute();
    await trx
      .updateTable('match_candidates')
      .set({ status: 'superseded' })
      .where('status', '=', 'proposed')
      .where('id', '<>', id)
      .where((eb) => eb.or([eb('report_id', '=', report.id), eb('found_id', '=', found.id)]))
      .execute();
    await trx.updateTable('missing_reports').set({ status: located, located_found_id: found.id, updated_at: new Date() }).where('id', '=', report.id).execute();
    await trx.updateTable('found_records').set({ status: 'identified', identified_report_id: report.id, updated_at: new Date() }).where('id', '=', found.id).execute();
    // Both leave matching: queued once more, the worker drops their odds and re-decides their competitors' pairs.
    await queueForMatching(trx, [{ side: 'R', id: report.id }, { side: 'F', id: found.id }]);
    await trx.insertInto('missing_events').values([
      { institution_id: report.institution_id, report_id: report.id, kind: 'located', detail: JSON.stringify({ status: located, found_folio: found.folio, candidate_id: id }), actor_user_id: actor.userId },
      { institution_id: found.institution_id, found_id: found.id, kind: 'identified', detail: JSON.stringify({ report_folio: report.folio, candidate_id: id }), actor_user_id: actor.userId },
    ]).execute();
    // The other institution's chain records the change to its record too.
    const otherInstitution = actor.institutionId === report.institution_id ? found.institution_id : report.institution_id;
    if (otherInstitution !== actor.institutionId) {
      await appendAudit(trx, { institutionId: otherInstitution, actorUserId: actor.userId, action: 'match_candidate.confirmed', recordType: 'match_candidate', recordId: id, detail: { report_id: report.id, found_id: found.id } });
    }
    await notifyHolders(trx, actor, located === 'located_alive' ? 'missing.located_alive' : 'missing.located_deceased', report, found);
    return { status: 'confirmed' as const, report_status: located };
  });
}

export async function listNotifications(db: Db, actor: Actor, unreadOnly: boolean) {
  const rows = await db
    .selectFrom('notifications')
    .leftJoin('missing_reports', (j) => j.onRef('missing_reports.id', '=', 'notifications.record_id').on('notifications.record_type', '=', 'missing_report'))
    .leftJoin('found_records', (j) => j.onRef('found_records.id', '=', 'notifications.record_id').on('notifications.record_type', '=', 'found_record'))
    .select(['notifications.id', 'notifications.kind', 'notifications.record_type', 'notifications.record_id', 'notifications.created_at', 'notifications.read_at', sql<string>`coalesce(missing_reports.folio, found_records.folio)`.as('folio')])
    .where(sql<boolean>`coalesce(missing_reports.folio, found_records.folio) is not null`)
    .where('notifications.user_id', '=', actor.userId)
    .where('notifications.institution_id', '=', actor.institutionId)
    .$if(unreadOnly, (q) => q.where('notifications.read_at', 'is', null))
    .orderBy('notifications.created_at', 'desc')
    .limit(50)
    .execute();
  return { items: rows };
}

export async function markNotificationRead(db: Db, actor: Actor, id: string): Promise<void> {
  const updated = await db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', id).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirst();
  if (!updated.numUpdatedRows) {
    const exists = await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
    if (!exists) throw new AppError('not_found');
  }
}

/**
 * Pairs of a report with people in the case files of the same institution. Shown only to users who may
 * read both (missing.record and people.read: a supervisor, or the caseworker who opened the report),
 * because they reveal who the institution has attended.
 */
function requirePersonMatching(actor: Actor) {
  requireCapability(actor, 'missing.record');
  requireCapability(actor, 'people.read');
}

export async function listPersonCandidates(db: Db, actor: Actor, reportId: string) {
  requirePersonMatching(actor);
  await openReport(db, actor, reportId, 'missing_report.person_candidates_viewed');
  const rows = await db
    .selectFrom('match_candidates as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.status', 'c.probability', 'c.weight', 'c.explanation', 'c.proposed_at', 'c.reviewed_at', 'p.id as person_id', 'p.given_names', 'p.surname1', 'p.surname2', 'p.sex', 'p.date_of_birth', 'p.nationalities'])
    .where('c.report_id', '=', reportId)
    .where('c.report_institution_id', '=', actor.institutionId)
    .orderBy('c.probability', 'desc')
    .execute();
  return {
    items: rows.map((r) => ({
      ...fieldsOf(r, ['id', 'status', 'probability', 'weight']),
      explanation: (r.explanation as FieldExplanation[]).map(inWords),
      proposed_at: r.proposed_at,
      reviewed_at: r.reviewed_at,
      person: { id: r.person_id, name: fullName({ given_names: r.given_names, surname1: r.surname1, surname2: r.surname2 }), sex: r.sex, date_of_birth: r.date_of_birth, nationalities: r.nationalities.map((n) => n.trim()) },
    })),
  };
}

export async function reviewPersonCandidate(db: Db, cipher: FieldCipher, actor: Actor, id: string, decision: 'confirm' | 'reject', note?: string) {
  requirePersonMatching(actor);
  return db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('match_candidates').selectAll().where('id', '=', id).where('person_id', 'is not', null).forUpdate().executeTakeFirst();
    if (!c || c.report_institution_id !== actor.institutionId) {
      throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'match_candidate.read_denied', recordType: 'match_candidate', recordId: id, ip: actor.ip });
    }
    const report = await openReport(trx, actor, c.report_id, decision === 'confirm' ? 'match_candidate.confirmed' : 'match_candidate.rejected');
    if (c.status !== 'proposed') throw new AppError('missing_candidate_not_open');
    const reviewed = { reviewed_by: actor.userId, reviewed_at: new Date(), review_note_enc: note ? cipher.encryptJson(note) : null };
    if (decision === 'reject') {
      await trx.updateTable('match_candidates').set({ status: 'rejected', ...reviewed }).where('id', '=', id).execute();
      await trx.insertInto('missing_events').values({ institution_id: report.institution_id, report_id: report.id, kind: 'candidate.rejected', detail: JSON.stringify({ candidate_id: id, person: true }), actor_user_id: actor.userId }).execute();
      return { status: 'rejected' as const };
    }
    if (report.status !== 'active') throw new AppError('missing_already_located');
    await trx.updateTable('match_candidates').set({ status: 'confirmed', ...reviewed }).where('id', '=', id).execute();
    await trx.updateTable('match_candidates').set({ status: 'superseded' }).where('status', '=', 'proposed').where('report_id', '=', report.id).where('id', '<>', id).execute();
    await trx.updateTable('missing_reports').set({ status: 'located_alive', located_person_id: c.person_id, updated_at: new Date() }).where('id', '=', report.id).execute();
    await trx.deleteFrom('missing_match_queue').where('record_id', '=', report.id).execute();
    await trx.insertInto('missing_events').values({ institution_id: report.institution_id, report_id: report.id, kind: 'located', detail: JSON.stringify({ status: 'located_alive', person_id: c.person_id, candidate_id: id }), actor_user_id: actor.userId }).execute();
    // The case holders: whoever is assigned to an open case of that person, the report's creator and
    // the institution's search officers.
    const { rows } = await sql<{ user_id: string }>`
      select distinct user_id from (
        select k.assigned_to as user_id from case_participants cp join cases k on k.id = cp.case_id
          where cp.person_id = ${c.person_id} and k.institution_id = ${actor.institutionId} and k.status <> 'closed' and k.assigned_to is not null
        union select m.user_id from memberships m join users u on u.id = m.user_id and u.disabled_at is null
          where m.role = any(${rolesWith('missing.review')}::text[]) and m.institution_id = ${actor.institutionId}
        union select ${report.created_by}::uuid where ${report.created_by}::uuid is not null
      ) holders where user_id <> ${actor.userId}`.execute(trx);
    if (rows.length) {
      await trx.insertInto('notifications').values(rows.map((r) => ({ user_id: r.user_id, institution_id: actor.institutionId, kind: 'missing.located_alive', record_type: 'missing_report', record_id: report.id }))).execute();
    }
    return { status: 'confirmed' as const, report_status: 'located_alive' };
  });
}
