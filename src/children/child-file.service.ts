import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import { can, requireCapability, type Actor } from '../platform/auth/policy.ts';
import { ageOn, localDate } from '../platform/dates.ts';
import { createCase } from '../cases/case.service.ts';
import { ownCaseCondition } from '../cases/case.policy.ts';
import { childFileAccess } from './children.policy.ts';
import { loadBestInterests } from './best-interests.service.ts';
import { loadCare } from './care.service.ts';
import { loadPlan } from './plan.service.ts';
import { loadReunifications } from './reunification.service.ts';
import { loadTracing, proposeTracingMatches } from './tracing.service.ts';
import { open, pageOf, seal, visiblePerson, writeOnFile } from './file-access.ts';
import type { ChildFilePatch, ChildFileView, ChildListQuery, NewChildFile } from './children.schema.ts';
import { fullName } from '../platform/names.ts';

const MINOR_BELOW = 18;

const hoursBetween = (from: Date, to: Date | null) => (to ? Math.round(((to.getTime() - from.getTime()) / 3_600_000) * 10) / 10 : null);

/**
 * Opens a child's file: a case of programme `child_protection` with the child as its participant, and
 * the file's own record, in one transaction. Only for a person under 18 on the opening date, and one
 * open file per child.
 */
export async function openChildFile(db: Db, cipher: FieldCipher, actor: Actor, input: NewChildFile): Promise<{ id: string; folio: string }> {
  requireCapability(actor, 'children.write');
  const child = await visiblePerson(db, actor, input.person_id);
  const { age } = ageOn(child, input.opened_on);
  if (age === null) throw new AppError('child_age_unknown');
  if (age >= MINOR_BELOW) throw new AppError('child_not_minor');
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('child_files')
      .innerJoin('cases', 'cases.id', 'child_files.case_id')
      .select('cases.id')
      .where('child_files.person_id', '=', input.person_id)
      .where('cases.status', '<>', 'closed')
      .forUpdate()
      .executeTakeFirst();
    if (existing) throw new AppError('child_file_exists');
    const created = await createCase(trx, cipher, actor, {
      programme: 'child_protection',
      opened_on: input.opened_on,
      assigned_to: input.assigned_to,
      crime_types: [],
      rights_violations: [],
      participants: [{ person_id: input.person_id, role: 'child' }],
    });
    await trx
      .insertInto('child_files')
      .values({
        case_id: created.id,
        institution_id: actor.institutionId,
        person_id: input.person_id,
        accompaniment: input.accompaniment,
        accompanied_by_enc: seal(cipher, input.accompanied_by) ?? null,
        identified_at: input.identified_at,
        identified_how: input.identified_how,
        identified_state: input.identified_state ?? null,
        notified_at: input.notified_at ?? null,
        notified_by: input.notified_by ?? null,
        language: input.language ?? null,
        interpreter: input.interpreter,
        views_enc: seal(cipher, input.views) ?? null,
        wishes_tracing: input.wishes_tracing ?? null,
        wishes_reunification: input.wishes_reunification ?? null,
        tracing_consent: input.tracing_consent,
        tracing_consent_on: input.tracing_consent_on ?? null,
        protection_claim: input.protection_claim,
        protection_claim_on: input.protection_claim_on ?? null,
      })
      .execute();
    await proposeTracingMatches(trx, { caseIds: [created.id] });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'child_file.created', recordType: 'child_file', recordId: created.id, ip: actor.ip, detail: { person_id: input.person_id } });
    return created;
  });
}

export async function updateChildFile(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, patch: ChildFilePatch): Promise<void> {
  const { reason: _reason, accompanied_by, views, ...plain } = patch;
  const changed = Object.keys(patch).filter((k) => k !== 'reason');
  await writeOnFile(db, actor, caseId, 'child_file.updated', async (trx) => {
    if (plain.notified_at !== undefined && plain.notified_at !== null) {
      const { identified_at } = await trx.selectFrom('child_files').select('identified_at').where('case_id', '=', caseId).executeTakeFirstOrThrow();
      const identified = plain.identified_at ? new Date(plain.identified_at) : identified_at;
      if (Date.parse(plain.notified_at) < identified.getTime() - 86_400_000) throw new AppError('validation_failed');
    }
    const values = { ...plain, ...(accompanied_by !== undefined ? { accompanied_by_enc: seal(cipher, accompanied_by) } : {}), ...(views !== undefined ? { views_enc: seal(cipher, views) } : {}) };
    if (Object.keys(values).length) await trx.updateTable('child_files').set(values).where('case_id', '=', caseId).execute();
    // Consent recorded now: the pairs for her are proposed now (and shown from now on).
    if (plain.tracing_consent !== undefined) await proposeTracingMatches(trx, { caseIds: [caseId] });
    return { result: undefined, detail: { fields: changed } };
  });
}

/** The whole file: the child, the notification, the plan, best interests, care, verification, reunification. */
export async function getChildFile(db: Db, cipher: FieldCipher, actor: Actor, caseId: string): Promise<ChildFileView> {
  const access = await childFileAccess(db, actor, caseId);
  const today = localDate();
  const reader = new FieldReader(cipher, 'child_file');
  const row = await db
    .selectFrom('child_files as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('institutions as i', 'i.id', 'c.institution_id')
    .innerJoin('people as p', 'p.id', 'f.person_id')
    .leftJoin('users as u', 'u.id', 'c.assigned_to')
    .selectAll('f')
    .select(['c.folio', 'c.status', 'c.opened_on', 'c.closed_on', 'c.assigned_to', 'u.display_name as assigned_name', 'i.name as institution_name'])
    .select(['p.given_names', 'p.surname1', 'p.surname2', 'p.sex', 'p.date_of_birth', 'p.estimated_age', 'p.age_estimated_on', 'p.nationalities'])
    .where('f.case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  const [links, consular, plan, bestInterests, care, reunification, tracing] = await Promise.all([
    db
      .selectFrom('child_links as l')
      .innerJoin('people as p', 'p.id', 'l.person_id')
      .select(['l.id', 'l.relationship', 'l.travelling_together', 'p.id as person_id', 'p.given_names', 'p.surname1', 'p.surname2'])
      .where('l.case_id', '=', caseId)
      .orderBy('l.created_at')
      .execute(),
    db.selectFrom('consular_notifications').select(['id', 'country', 'notified_on']).where('case_id', '=', caseId).orderBy('notified_on').execute(),
    loadPlan(db, reader, caseId, today),
    loadBestInterests(db, reader, caseId),
    loadCare(db, reader, caseId, today),
    loadReunifications(db, reader, caseId, today),
    loadTracing(db, actor, caseId),
  ]);
  await appendAudit(db, { institutionId: access.institutionId, actorUserId: actor.userId, action: 'child_file.read', recordType: 'child_file', recordId: caseId, ip: actor.ip });
  const nationalities = row.nationalities.map((n) => n.trim());
  return {
    id: caseId,
    folio: row.folio,
    status: row.status,
    opened_on: row.opened_on,
    closed_on: row.closed_on,
    institution: { id: row.institution_id, name: row.institution_name },
    assigned_to: row.assigned_to ? { id: row.assigned_to, display_name: row.assigned_name ?? '' } : null,
    child: { id: row.person_id, name: fullName(row), sex: row.sex, date_of_birth: row.date_of_birth, age: ageOn(row, today).age, nationalities },
    accompaniment: row.accompaniment,
    accompanied_by: open(reader, row.accompanied_by_enc, 'accompanied_by'),
    identified_at: row.identified_at,
    identified_how: row.identified_how,
    identified_state: row.identified_state,
    notified_at: row.notified_at,
    notified_by: row.notified_by,
    hours_to_notification: hoursBetween(row.identified_at, row.notified_at),
    language: row.language,
    interpreter: row.interpreter,
    views: open(reader, row.views_enc, 'views'),
    wishes_tracing: row.wishes_tracing,
    wishes_reunification: row.wishes_reunification,
    tracing_consent: row.tracing_consent,
    tracing_consent_on: row.tracing_consent_on,
    protection_claim: row.protection_claim,
    protection_claim_on: row.protection_claim_on,
    consular_notification_refused: row.protection_claim === 'open',
    links: links.map((l) => ({ id: l.id, person: { id: l.person_id, name: fullName(l) }, relationship: l.relationship, travelling_together: l.travelling_together })),
    consular_notifications: consular,
    measures: plan,
    placements: care,
    best_interests: bestInterests,
    verifications: reunification.verifications,
    reunifications: reunification.reunifications,
    tracing,
    can_edit: access.canEdit,
    can_approve: can(actor, 'children.approve') && row.status !== 'closed',
    unreadable_fields: reader.unreadable,
  };
}

export async function listChildFiles(db: Db, actor: Actor, query: ChildListQuery) {
  requireCapability(actor, 'children.read');
  const today = localDate();
  let base = db
    .selectFrom('cases')
    .innerJoin('child_files as f', 'f.case_id', 'cases.id')
    .innerJoin('people as p', 'p.id', 'f.person_id')
    .where('cases.programme', '=', 'child_protection')
    .where(ownCaseCondition(actor));
  if (query.accompaniment) base = base.where('f.accompaniment', '=', query.accompaniment);
  if (query.status === 'open') base = base.where('cases.status', '<>', 'closed');
  if (query.status === 'closed') base = base.where('cases.status', '=', 'closed');
  const [rows, total] = await Promise.all([
    base
      .select(['cases.id', 'cases.folio', 'cases.status', 'cases.opened_on', 'f.accompaniment', 'f.identified_at', 'f.notified_at'])
      .select(['p.id as person_id', 'p.given_names', 'p.surname1', 'p.surname2', 'p.sex', 'p.date_of_birth', 'p.estimated_age', 'p.age_estimated_on', 'p.nationalities'])
      .select((eb) => [
        eb.selectFrom('placements').select('care_type').whereRef('placements.case_id', '=', 'cases.id').where('placements.ended_on', 'is', null).limit(1).as('current_care'),
        eb
          .selectFrom('restitution_measures as m')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('m.case_id', '=', 'cases.id')
          .where('m.executed_on', 'is', null)
          .where('m.due_on', '<', today)
          .as('overdue_measures'),
      ])
      .orderBy('cases.opened_on', 'desc')
      .orderBy('cases.folio', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  if (rows.length) {
    await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'child_file.listed', recordType: 'child_file', ip: actor.ip, detail: { ids: rows.map((r) => r.id) } });
  }
  const items = rows.map(({ id, folio, status, opened_on, accompaniment, ...r }) => ({
    ...{ id, folio, status, opened_on, accompaniment },
    child: { id: r.person_id, name: fullName(r), sex: r.sex, age: ageOn(r, today).age, nationalities: r.nationalities.map((n) => n.trim()) },
    hours_to_notification: hoursBetween(r.identified_at, r.notified_at),
    current_care: r.current_care ?? null,
    overdue_measures: r.overdue_measures ?? 0,
  }));
  return pageOf(items, total.n, query);
}

export async function addLink(db: Db, actor: Actor, caseId: string, input: { person_id: string; relationship: 'sibling' | 'companion' | 'parent' | 'relative' | 'other'; travelling_together: boolean }) {
  return writeOnFile(db, actor, caseId, 'child_file.link_added', async (trx, file) => {
    await visiblePerson(trx, actor, input.person_id);
    if (input.person_id === file.personId) throw new AppError('validation_failed');
    const { id } = await trx
      .insertInto('child_links')
      .values({ institution_id: file.institutionId, case_id: caseId, person_id: input.person_id, relationship: input.relationship, travelling_together: input.travelling_together, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await proposeTracingMatches(trx, { caseIds: [caseId] });
    return { result: { id }, detail: { person_id: input.person_id } };
  });
}

/**
 * Records that the consulate of a country was told about the child. Refused while the child's claim
 * for international protection is open and the country is one of hers: telling her country's
 * consulate could expose her to whom she fled. The refused attempt is audited.
 */
export async function notifyConsulate(db: Db, actor: Actor, caseId: string, input: { country: string; notified_on: string }) {
  try {
    return await writeOnFile(db, actor, caseId, 'child_file.consulate_notified', async (trx, file) => {
      const child = await trx
        .selectFrom('child_files as f')
        .innerJoin('people as p', 'p.id', 'f.person_id')
        .select(['f.protection_claim', 'p.nationalities'])
        .where('f.case_id', '=', caseId)
        .executeTakeFirstOrThrow();
      if (child.protection_claim === 'open' && child.nationalities.some((n) => n.trim() === input.country)) throw new AppError('consular_notification_protection_claim');
      const { id } = await trx
        .insertInto('consular_notifications')
        .values({ institution_id: file.institutionId, case_id: caseId, country: input.country, notified_on: input.notified_on, created_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { result: { id }, detail: { country: input.country } };
    });
  } catch (error) {
    // The refusal rolled the transaction back; the attempt is audited on its own.
    if (error instanceof AppError && error.code === 'consular_notification_protection_claim') {
      const { institution_id } = await db.selectFrom('cases').select('institution_id').where('id', '=', caseId).executeTakeFirstOrThrow();
      await appendAudit(db, { institutionId: institution_id, actorUserId: actor.userId, action: 'child_file.consular_notification_refused', recordType: 'child_file', recordId: caseId, ip: actor.ip, detail: { country: input.country } });
    }
    throw error;
  }
}
