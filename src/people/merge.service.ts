import { sql } from 'kysely';
import { anyUuid, type Db, type Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible, badRequest, conflict } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { replacePersonNameKeys } from '../search/store.ts';
import { loadDuplicateRecords, pairProbability, refreshDuplicateCandidates, scoreDuplicatePair, weightForProbability } from '../search/duplicates.ts';
import { personVisibleTo } from './person.policy.ts';
import type { MergeView } from './merge.schema.ts';

/**
 * De-duplication of an institution's people (supervisors only; docs/search.md, "De-duplication and merge").
 *
 * A merge keeps both records. The duplicate gets `merged_into` (the survivor's id), loses its name keys
 * and leaves searches and proposals; the institution's rows that point at it (PERSON_REFERENCES) are
 * moved to the survivor, and `person_merges` records exactly which rows moved, so that undoing restores
 * exactly those rows (and no row added to the survivor since). When the survivor already has a row
 * that a unique key forbids twice (both take part in the same case), the duplicate's row is set aside:
 * deleted, kept whole in the merge record, and inserted again on undo. Each case whose participants
 * change gets a timeline event; merge and undo are one transaction each, with their audit entry.
 *
 * Rows of other institutions (a case another institution opened on accepting a referral) keep pointing
 * at the duplicate: moving them would show the other institution a record it was never given, without
 * the consent that covered the referral. They still reach the person through `merged_into`.
 */

type Reference = {
  table: 'case_participants' | 'services' | 'missing_reports' | 'screenings' | 'outreach_attendees';
  column: string;
  /** The institution the row belongs to: only the merging institution's rows move. */
  institution: string;
  /** The case file of the row, for timeline events (null: not part of a case file). */
  caseColumn: string | null;
  /** A column that, with the person, is unique: the survivor cannot hold two rows with the same value. */
  uniqueWith: string | null;
};

/**
 * Every column that references people(id) is here or in merge.test.ts's list of references a merge
 * does not move (keys, proposals, the merge records themselves); the test reads the schema's foreign keys.
 */
export const PERSON_REFERENCES: Reference[] = [
  { table: 'case_participants', column: 'person_id', institution: 'institution_id', caseColumn: 'case_id', uniqueWith: 'case_id' },
  { table: 'services', column: 'person_id', institution: 'institution_id', caseColumn: 'case_id', uniqueWith: null },
  { table: 'missing_reports', column: 'located_person_id', institution: 'institution_id', caseColumn: null, uniqueWith: null },
  { table: 'screenings', column: 'person_id', institution: 'institution_id', caseColumn: 'case_id', uniqueWith: null },
  { table: 'outreach_attendees', column: 'person_id', institution: 'institution_id', caseColumn: null, uniqueWith: 'event_id' },
];

type PersonRow = { id: string; institution_id: string; given_names: string; surname1: string | null; surname2: string | null; other_names: string[]; merged_into: string | null };

const refused = (actor: Actor, action: string, recordType: string, recordId: string, detail?: Record<string, string>) =>
  new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action, recordType, recordId, ip: actor.ip, ...(detail ? { detail } : {}) });

/**
 * The two records, locked in id order (two merges of overlapping pairs cannot deadlock). Both must be
 * the actor's institution's: a record the actor cannot see is refused as absent (404, audited); one they
 * can see through a shared case but that belongs to another institution is refused as such (400).
 */
async function lockPair(trx: Tx, actor: Actor, ids: [string, string], deniedAction: string): Promise<[PersonRow, PersonRow]> {
  const rows = await trx
    .selectFrom('people')
    .select(['id', 'institution_id', 'given_names', 'surname1', 'surname2', 'other_names', 'merged_into'])
    .where('id', '=', anyUuid(ids))
    .where('institution_id', '=', actor.institutionId)
    .orderBy('id')
    .forUpdate()
    .execute();
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) {
    // A record the actor cannot see is refused first, so that the answer says nothing about it.
    const visible = new Set((await trx.selectFrom('people').select('id').where('id', '=', anyUuid(missing)).where(personVisibleTo(actor)).execute()).map((r) => r.id));
    const hidden = missing.find((id) => !visible.has(id));
    if (hidden) throw refused(actor, deniedAction, 'person', hidden, { pair: ids.find((x) => x !== hidden)! });
    throw new AppError('merge_across_institutions');
  }
  return [rows.find((r) => r.id === ids[0])!, rows.find((r) => r.id === ids[1])!];
}

async function caseEvents(trx: Tx, actor: Actor, caseIds: string[], kind: string, data: Record<string, unknown>) {
  if (!caseIds.length) return;
  await sql`insert into case_events (institution_id, case_id, actor_user_id, kind, data)
    select c.institution_id, c.id, ${actor.userId}::uuid, ${kind}, ${JSON.stringify(data)}::jsonb
    from cases c where c.id = any(${caseIds}::uuid[]) and c.institution_id = ${actor.institutionId}
    order by c.id`.execute(trx);
}

const count = (x: Record<string, unknown[]>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v.length]));

/**
 * A child-protection file, its plan, verifications and reunifications are legal records about one
 * person as identified (src/children): a merge does not move them, so people who have them are not
 * merged (the child's officer corrects the record instead).
 */
export const CHILD_PROTECTION_REFERENCES = ['child_files.person_id', 'child_links.person_id', 'restitution_measures.beneficiary_person_id', 'verifications.adult_person_id', 'child_reunifications.adult_person_id', 'child_reunifications.person_id', 'tracing_matches.family_person_id'] as const;

async function refuseChildProtectionRecords(trx: Tx, ids: string[]) {
  const { rows } = await sql<{ n: number }>`
    select (select count(*) from child_files where person_id = any(${ids}::uuid[]))
         + (select count(*) from child_links where person_id = any(${ids}::uuid[]))
         + (select count(*) from restitution_measures where beneficiary_person_id = any(${ids}::uuid[]))
         + (select count(*) from verifications where adult_person_id = any(${ids}::uuid[]))
         + (select count(*) from child_reunifications where adult_person_id = any(${ids}::uuid[]) or person_id = any(${ids}::uuid[]))
         + (select count(*) from tracing_matches where family_person_id = any(${ids}::uuid[])) as n`.execute(trx);
  if (Number(rows[0]?.n ?? 0) > 0) throw new AppError('merge_child_protection');
}

export async function mergePeople(db: Db, cipher: FieldCipher, actor: Actor, input: { survivor_id: string; duplicate_id: string; reason: string }): Promise<MergeView> {
  requireCapability(actor, 'people.merge');
  if (input.survivor_id === input.duplicate_id) throw new AppError('merge_same_person');
  const mergeId = await db.transaction().execute(async (trx) => {
    const [survivor, duplicate] = await lockPair(trx, actor, [input.survivor_id, input.duplicate_id], 'person.merge_denied');
    if (survivor.merged_into || duplicate.merged_into) throw new AppError('merge_already_merged');
    await refuseChildProtectionRecords(trx, [survivor.id, duplicate.id]);

    const records = await loadDuplicateRecords(trx, [survivor.id, duplicate.id]);
    const score = pairProbability(scoreDuplicatePair(records.get(survivor.id)!, records.get(duplicate.id)!).weight);

    const moved: Record<string, string[]> = {};
    const setAside: Record<string, Record<string, unknown>[]> = {};
    const caseIds = new Set<string>();
    for (const ref of PERSON_REFERENCES) {
      const t = sql.table(ref.table);
      const col = sql.ref(ref.column);
      const inst = sql.ref(ref.institution);
      const caseCol = ref.caseColumn ? sql.ref(ref.caseColumn) : sql`null::uuid`;
      if (ref.uniqueWith) {
        const u = sql.ref(ref.uniqueWith);
        const { rows } = await sql<{ row: Record<string, unknown>; case_id: string | null }>`
          delete from ${t} as d where d.${col} = ${duplicate.id} and d.${inst} = ${actor.institutionId}
            and exists (select 1 from ${t} as s where s.${col} = ${survivor.id} and s.${u} = d.${u})
          returning to_jsonb(d) as row, ${ref.caseColumn ? sql`d.${caseCol}` : caseCol} as case_id`.execute(trx);
        if (rows.length) setAside[ref.table] = rows.map((r) => r.row);
        for (const r of rows) if (r.case_id) caseIds.add(r.case_id);
      }
      const { rows } = await sql<{ id: string; case_id: string | null }>`
        update ${t} set ${col} = ${survivor.id} where ${col} = ${duplicate.id} and ${inst} = ${actor.institutionId}
        returning id, ${caseCol} as case_id`.execute(trx);
      moved[ref.table] = rows.map((r) => r.id).sort();
      for (const r of rows) if (r.case_id) caseIds.add(r.case_id);
    }
    const cases = [...caseIds].sort();

    const row = await trx
      .insertInto('person_merges')
      .values({
        institution_id: actor.institutionId,
        survivor_id: survivor.id,
        duplicate_id: duplicate.id,
        reason_enc: cipher.encryptText(input.reason),
        probability: score,
        moved: JSON.stringify(moved),
        set_aside: JSON.stringify(setAside),
        case_ids: cases,
        merged_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('people').set({ merged_into: survivor.id }).where('id', '=', duplicate.id).execute();
    await sql`delete from person_name_keys where person_id = ${duplicate.id}`.execute(trx);
    await sql`delete from person_name_keys_pending where person_id = ${duplicate.id}`.execute(trx);
    await sql`delete from person_duplicate_candidates where person_a = ${duplicate.id} or person_b = ${duplicate.id}`.execute(trx);
    await caseEvents(trx, actor, cases, 'person.merged', { merge_id: row.id, survivor_id: survivor.id, duplicate_id: duplicate.id });
    await appendAudit(trx, {
      institutionId: actor.institutionId,
      actorUserId: actor.userId,
      action: 'person.merged',
      recordType: 'person',
      recordId: duplicate.id,
      ip: actor.ip,
      detail: { merge_id: row.id, survivor_id: survivor.id, cases, ...prefixed('moved_', count(moved)), ...prefixed('set_aside_', count(setAside)) },
    });
    return row.id;
  });
  return getMerge(db, cipher, actor, mergeId);
}

const prefixed = (prefix: string, counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix}${k}`, v]));

export async function unmergePeople(db: Db, cipher: FieldCipher, actor: Actor, mergeId: string, reason: string): Promise<MergeView> {
  requireCapability(actor, 'people.merge');
  await db.transaction().execute(async (trx) => {
    const merge = await trx.selectFrom('person_merges').selectAll().where('id', '=', mergeId).where('institution_id', '=', actor.institutionId).forUpdate().executeTakeFirst();
    if (!merge) throw refused(actor, 'person.unmerge_denied', 'person_merge', mergeId);
    if (merge.undone_at) throw new AppError('merge_already_undone');
    const [survivor, duplicate] = await lockPair(trx, actor, [merge.survivor_id, merge.duplicate_id], 'person.unmerge_denied');
    // Undo in reverse order: rows moved by this merge may since have moved on with the survivor.
    if (survivor.merged_into) throw new AppError('merge_undo_blocked');

    const restored: Record<string, string[]> = {};
    const reinserted: Record<string, string[]> = {};
    for (const ref of PERSON_REFERENCES) {
      const t = sql.table(ref.table);
      const col = sql.ref(ref.column);
      const ids = merge.moved[ref.table] ?? [];
      if (ids.length) {
        const { rows } = await sql<{ id: string }>`
          update ${t} set ${col} = ${duplicate.id} where id = any(${ids}::uuid[]) and ${col} = ${survivor.id} returning id`.execute(trx);
        restored[ref.table] = rows.map((r) => r.id);
      }
      const aside = merge.set_aside[ref.table] ?? [];
      if (aside.length) {
        const { rows } = await sql<{ id: string }>`
          insert into ${t} select * from jsonb_populate_recordset(null::${t}, ${JSON.stringify(aside)}::jsonb)
          on conflict do nothing returning id`.execute(trx);
        reinserted[ref.table] = rows.map((r) => r.id);
      }
    }
    await trx.updateTable('people').set({ merged_into: null }).where('id', '=', duplicate.id).execute();
    await replacePersonNameKeys(trx, duplicate);
    await trx
      .updateTable('person_merges')
      .set({ undone_at: new Date(), undone_by: actor.userId, undo_reason_enc: cipher.encryptText(reason) })
      .where('id', '=', merge.id)
      .execute();
    await caseEvents(trx, actor, merge.case_ids, 'person.unmerged', { merge_id: merge.id, survivor_id: survivor.id, duplicate_id: duplicate.id });
    const movedTotal = Object.values(merge.moved).reduce((s, v) => s + v.length, 0);
    const restoredTotal = Object.values(restored).reduce((s, v) => s + v.length, 0);
    await appendAudit(trx, {
      institutionId: actor.institutionId,
      actorUserId: actor.userId,
      action: 'person.unmerged',
      recordType: 'person',
      recordId: duplicate.id,
      ip: actor.ip,
      detail: {
        merge_id: merge.id,
        survivor_id: survivor.id,
        cases: merge.case_ids,
        ...prefixed('restored_', count(restored)),
        ...prefixed('reinserted_', count(reinserted)),
        // Rows moved by the merge that had since been removed from the survivor: nothing to restore.
        not_restored: movedTotal - restoredTotal,
      },
    });
  });
  return getMerge(db, cipher, actor, mergeId);
}

/** "Not the same person": recorded once, the pair is never proposed again. */
export async function dismissPair(db: Db, actor: Actor, input: { person_a: string; person_b: string }): Promise<void> {
  requireCapability(actor, 'people.merge');
  if (input.person_a === input.person_b) throw new AppError('merge_same_person');
  const [a, b] = input.person_a < input.person_b ? [input.person_a, input.person_b] : [input.person_b, input.person_a];
  await db.transaction().execute(async (trx) => {
    await lockPair(trx, actor, [a, b], 'person.dismiss_denied');
    await trx.insertInto('person_pair_dismissals').values({ institution_id: actor.institutionId, person_a: a, person_b: b, dismissed_by: actor.userId }).onConflict((oc) => oc.doNothing()).execute();
    await trx.deleteFrom('person_duplicate_candidates').where('institution_id', '=', actor.institutionId).where('person_a', '=', a).where('person_b', '=', b).execute();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.duplicate_dismissed', recordType: 'person', recordId: a, ip: actor.ip, detail: { other_person_id: b } });
  });
}

/**
 * Proposed pairs of the actor's institution, most likely first. Scores the people changed since the last
 * call first (within a budget: `pending` says how many remain), then reads the ranked pairs; merged
 * records and dismissed pairs are never proposed. Every record shown is named in the audit entry.
 */
export async function proposeDuplicatePairs(db: Db, actor: Actor, query: { limit: number; offset: number; min_score: number }) {
  requireCapability(actor, 'people.merge');
  const { pending } = await refreshDuplicateCandidates(db, actor.institutionId);
  const minWeight = weightForProbability(Math.min(query.min_score, 0.999999));
  const base = db
    .selectFrom('person_duplicate_candidates as c')
    .innerJoin('people as a', 'a.id', 'c.person_a')
    .innerJoin('people as b', 'b.id', 'c.person_b')
    .where('c.institution_id', '=', actor.institutionId)
    .where('c.weight', '>=', minWeight)
    .where('a.merged_into', 'is', null)
    .where('b.merged_into', 'is', null)
    .where('a.institution_id', '=', actor.institutionId)
    .where('b.institution_id', '=', actor.institutionId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('person_pair_dismissals as d').select('d.person_a').whereRef('d.institution_id', '=', 'c.institution_id').whereRef('d.person_a', '=', 'c.person_a').whereRef('d.person_b', '=', 'c.person_b'))),
    );
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base.select(['c.person_a', 'c.person_b']).orderBy('c.weight', 'desc').orderBy('c.person_a').orderBy('c.person_b').limit(query.limit).offset(query.offset).execute(),
  ]);
  const ids = [...new Set(rows.flatMap((r) => [r.person_a, r.person_b]))];
  const records = await loadDuplicateRecords(db, ids);
  const extra = ids.length
    ? await db
        .selectFrom('people')
        .leftJoin('case_participants as cp', (j) => j.onRef('cp.person_id', '=', 'people.id').on('cp.institution_id', '=', actor.institutionId))
        .select(['people.id', 'people.created_at', (eb) => eb.fn.count<number>('cp.id').as('cases')])
        .where('people.id', '=', anyUuid(ids))
        .groupBy(['people.id', 'people.created_at'])
        .execute()
    : [];
  const info = new Map(extra.map((e) => [e.id, { case_count: Number(e.cases), created_at: e.created_at }]));
  const card = (id: string) => {
    const p = records.get(id)!;
    return {
      id: p.id,
      given_names: p.given_names,
      surname1: p.surname1,
      surname2: p.surname2,
      other_names: p.other_names ?? [],
      sex: p.sex,
      date_of_birth: p.date_of_birth ?? null,
      estimated_age: p.estimated_age ?? null,
      age_estimated_on: p.age_estimated_on ?? null,
      nationalities: p.nationalities,
      ...info.get(id)!,
    };
  };
  const items = rows
    .filter((r) => records.has(r.person_a) && records.has(r.person_b))
    .map((r) => {
      const result = scoreDuplicatePair(records.get(r.person_a)!, records.get(r.person_b)!);
      const a = card(r.person_a);
      const b = card(r.person_b);
      const suggested = a.case_count !== b.case_count ? (a.case_count > b.case_count ? a : b) : a.created_at <= b.created_at ? a : b;
      return { person_a: a, person_b: b, score: Math.round(result.probability * 1000) / 1000, match_weight: result.weight, explanation: result.explanation, suggested_survivor_id: suggested.id };
    });
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.duplicates_listed', recordType: 'person', ip: actor.ip, detail: { results: items.length, record_ids: ids } });
  return { items, total: Number(total), limit: query.limit, offset: query.offset, pending };
}

function mergeQuery(db: Db | Tx) {
  return db
    .selectFrom('person_merges as m')
    .innerJoin('people as s', 's.id', 'm.survivor_id')
    .innerJoin('people as d', 'd.id', 'm.duplicate_id')
    .leftJoin('users as mb', 'mb.id', 'm.merged_by')
    .leftJoin('users as ub', 'ub.id', 'm.undone_by')
    .select([
      'm.id',
      'm.reason_enc',
      'm.probability',
      'm.moved',
      'm.set_aside',
      'm.case_ids',
      'm.merged_by',
      'm.merged_at',
      'm.undone_by',
      'm.undone_at',
      'm.undo_reason_enc',
      'mb.display_name as merged_by_name',
      'ub.display_name as undone_by_name',
      's.merged_into as survivor_merged_into',
      's.id as s_id',
      's.given_names as s_given_names',
      's.surname1 as s_surname1',
      's.surname2 as s_surname2',
      's.sex as s_sex',
      's.date_of_birth as s_date_of_birth',
      's.estimated_age as s_estimated_age',
      's.nationalities as s_nationalities',
      'd.id as d_id',
      'd.given_names as d_given_names',
      'd.surname1 as d_surname1',
      'd.surname2 as d_surname2',
      'd.sex as d_sex',
      'd.date_of_birth as d_date_of_birth',
      'd.estimated_age as d_estimated_age',
      'd.nationalities as d_nationalities',
    ]);
}

type MergeRow = Awaited<ReturnType<ReturnType<typeof mergeQuery>['executeTakeFirstOrThrow']>>;

function mergeRowToView(row: MergeRow, cipher: FieldCipher): MergeView {
  const r = row as unknown as Record<string, unknown>;
  const person = (p: 's' | 'd') => ({
    id: r[`${p}_id`] as string,
    given_names: r[`${p}_given_names`] as string,
    surname1: r[`${p}_surname1`] as string | null,
    surname2: r[`${p}_surname2`] as string | null,
    sex: r[`${p}_sex`] as string,
    date_of_birth: r[`${p}_date_of_birth`] as string | null,
    estimated_age: r[`${p}_estimated_age`] as number | null,
    nationalities: (r[`${p}_nationalities`] as string[]).map((n) => n.trim()),
  });
  return {
    id: row.id,
    survivor: person('s'),
    duplicate: person('d'),
    reason: cipher.decryptText(row.reason_enc),
    score: row.probability == null ? null : Math.round(row.probability * 1000) / 1000,
    moved: count(row.moved),
    set_aside: count(row.set_aside),
    case_count: row.case_ids.length,
    merged_by: row.merged_by_name ? { id: row.merged_by, display_name: row.merged_by_name } : null,
    merged_at: row.merged_at,
    undone_by: row.undone_by && row.undone_by_name ? { id: row.undone_by, display_name: row.undone_by_name } : null,
    undone_at: row.undone_at,
    undo_reason: row.undo_reason_enc ? cipher.decryptText(row.undo_reason_enc) : null,
    can_undo: !row.undone_at && !row.survivor_merged_into,
  };
}

async function getMerge(db: Db, cipher: FieldCipher, actor: Actor, id: string): Promise<MergeView> {
  const row = await mergeQuery(db).where('m.id', '=', id).where('m.institution_id', '=', actor.institutionId).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return mergeRowToView(row, cipher);
}

/** The institution's merges, newest first, undone ones included (audited: the records named). */
export async function listMerges(db: Db, cipher: FieldCipher, actor: Actor, query: { limit: number; offset: number }) {
  requireCapability(actor, 'people.merge');
  const [{ total }, rows] = await Promise.all([
    db.selectFrom('person_merges').select((eb) => eb.fn.countAll<number>().as('total')).where('institution_id', '=', actor.institutionId).executeTakeFirstOrThrow(),
    mergeQuery(db).where('m.institution_id', '=', actor.institutionId).orderBy('m.merged_at', 'desc').orderBy('m.id').limit(query.limit).offset(query.offset).execute(),
  ]);
  const items = rows.map((row) => mergeRowToView(row, cipher));
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.merges_listed', recordType: 'person_merge', ip: actor.ip, detail: { results: items.length, record_ids: items.map((i) => i.id) } });
  return { items, total: Number(total), limit: query.limit, offset: query.offset };
}
