import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import { requireCapability, rolesWith, type Actor } from '../platform/auth/policy.ts';
import { ageOn, localDate } from '../platform/dates.ts';
import { open, seal, writeOnFile } from './file-access.ts';
import { panelAccess } from './children.policy.ts';
import { proposeTracingMatches } from './tracing.service.ts';
import type { z } from 'zod';
import type { assessmentInput, decisionInput, determinationInput, panelMemberInput, positionInput } from './children.schema.ts';
import { fullName } from '../platform/names.ts';

/**
 * Best interests (UNHCR's Best Interests Procedure; LGDNNA art. 2 and 18): assessments, short or
 * comprehensive, recorded by the file's officer; and, where a durable decision is needed, a
 * determination by a panel of at least three members of at least two professions or institutions.
 * Each member accepts a confidentiality undertaking before seeing the file, and sees only this child's
 * file until the panel's last day. The record keeps the evidence, the child's views, each member's
 * position (dissent included), the decision and its review date; a supervisor who did not sit on the
 * panel approves it.
 */
export const PANEL_MIN_MEMBERS = 3;

type MemberRow = { id: string; determination_id: string; user_id: string; display_name: string; profession: string; member_institution: string; undertaking_accepted_at: Date | null; position: string | null; position_enc: string | null };

/** What keeps a panel from deciding: enough members who accepted and gave a position, of two professions or institutions. */
export function panelComplete(members: Pick<MemberRow, 'profession' | 'member_institution' | 'undertaking_accepted_at' | 'position'>[]): boolean {
  const voting = members.filter((m) => m.undertaking_accepted_at && m.position);
  const professions = new Set(voting.map((m) => m.profession));
  const institutions = new Set(voting.map((m) => m.member_institution.trim().toLowerCase()));
  return voting.length >= PANEL_MIN_MEMBERS && (professions.size >= 2 || institutions.size >= 2);
}

function toView(reader: FieldReader, row: Awaited<ReturnType<typeof bestInterestsRows>>[number], members: MemberRow[]) {
  const own = members.filter((m) => m.determination_id === row.id);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    evidence: open(reader, row.evidence_enc, 'evidence'),
    child_views: open(reader, row.child_views_enc, 'child_views'),
    findings: open(reader, row.findings_enc, 'findings'),
    decision: row.decision,
    reasons: open(reader, row.reasons_enc, 'reasons'),
    review_on: row.review_on,
    panel_until: row.panel_until,
    decided_at: row.decided_at,
    approved_by: row.approved_by ? { id: row.approved_by, display_name: row.approver_name ?? '' } : null,
    approved_at: row.approved_at,
    members: own.map((m) => ({ id: m.id, user: { id: m.user_id, display_name: m.display_name }, profession: m.profession, member_institution: m.member_institution, undertaking_accepted_at: m.undertaking_accepted_at, position: m.position, reasons: open(reader, m.position_enc, 'position') })),
    problems: row.kind === 'determination' && row.status === 'panel' && !panelComplete(own) ? ['panel_incomplete'] : [],
  };
}

const bestInterestsRows = (db: Db, caseId: string) =>
  db
    .selectFrom('best_interests as b')
    .leftJoin('users as u', 'u.id', 'b.approved_by')
    .selectAll('b')
    .select('u.display_name as approver_name')
    .where('b.case_id', '=', caseId)
    .orderBy('b.created_at')
    .execute();

const memberRows = (db: Db, where: { caseId?: string; determinationId?: string }) => {
  let query = db
    .selectFrom('bid_panel_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('best_interests as b', 'b.id', 'm.determination_id')
    .select(['m.id', 'm.determination_id', 'm.user_id', 'u.display_name', 'm.profession', 'm.member_institution', 'm.undertaking_accepted_at', 'm.position', 'm.position_enc'])
    .orderBy('m.created_at');
  if (where.caseId) query = query.where('b.case_id', '=', where.caseId);
  if (where.determinationId) query = query.where('m.determination_id', '=', where.determinationId);
  return query.execute();
};

export async function loadBestInterests(db: Db, reader: FieldReader, caseId: string) {
  const [rows, members] = await Promise.all([bestInterestsRows(db, caseId), memberRows(db, { caseId })]);
  return rows.map((row) => toView(reader, row, members));
}

export async function recordAssessment(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, input: z.infer<typeof assessmentInput>) {
  return writeOnFile(db, actor, caseId, 'best_interests.assessed', async (trx, file) => {
    const { id } = await trx
      .insertInto('best_interests')
      .values({
        institution_id: file.institutionId,
        case_id: caseId,
        kind: input.kind,
        status: 'recorded',
        child_views_enc: seal(cipher, input.child_views) ?? null,
        findings_enc: cipher.encryptText(input.findings),
        decision: input.decision ?? null,
        review_on: input.review_on ?? null,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: { id }, detail: { best_interests_id: id, kind: input.kind } };
  });
}

export async function openDetermination(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, input: z.infer<typeof determinationInput>) {
  if (input.panel_until < localDate()) throw new AppError('validation_failed');
  return writeOnFile(db, actor, caseId, 'best_interests.panel_opened', async (trx, file) => {
    const { id } = await trx
      .insertInto('best_interests')
      .values({ institution_id: file.institutionId, case_id: caseId, kind: 'determination', status: 'panel', evidence_enc: cipher.encryptText(input.evidence), child_views_enc: cipher.encryptText(input.child_views), panel_until: input.panel_until, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: { id }, detail: { best_interests_id: id } };
  });
}

async function determinationInPanel(db: Db, caseId: string, determinationId: string) {
  const row = await db.selectFrom('best_interests').select(['status', 'kind']).where('id', '=', determinationId).where('case_id', '=', caseId).executeTakeFirst();
  if (!row || row.kind !== 'determination') throw new AppError('not_found');
  return row;
}

/** Names a member: a user whose role may sit on panels, of any institution (panels cross institutions). */
export async function addPanelMember(db: Db, actor: Actor, caseId: string, determinationId: string, input: z.infer<typeof panelMemberInput>) {
  return writeOnFile(db, actor, caseId, 'best_interests.member_added', async (trx, file) => {
    const determination = await determinationInPanel(trx, caseId, determinationId);
    if (determination.status !== 'panel') throw new AppError('best_interests_not_in_panel');
    let eligibleQuery = trx
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select('users.id')
      .where('users.disabled_at', 'is', null)
      .where('memberships.role', 'in', rolesWith('children.panel'));
    eligibleQuery = input.user_id ? eligibleQuery.where('users.id', '=', input.user_id) : eligibleQuery.where(sql<boolean>`lower(users.email) = lower(${input.email ?? ''})`);
    // The same answer for an unknown address and an ineligible account: no directory of accounts by e-mail.
    const eligible = await eligibleQuery.executeTakeFirst();
    if (!eligible) throw new AppError('panel_member_not_eligible');
    const inserted = await trx
      .insertInto('bid_panel_members')
      .values({ institution_id: file.institutionId, determination_id: determinationId, user_id: eligible.id, profession: input.profession, member_institution: input.member_institution })
      .onConflict((oc) => oc.columns(['determination_id', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('conflict');
    return { result: { id: inserted.id }, detail: { best_interests_id: determinationId, user_id: eligible.id } };
  });
}

/** The member accepts the confidentiality undertaking; only then does the panel's view open to her. */
export async function acceptUndertaking(db: Db, actor: Actor, determinationId: string): Promise<void> {
  const access = await panelAccess(db, actor, determinationId, { acceptedOnly: false });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('bid_panel_members').set({ undertaking_accepted_at: new Date() }).where('id', '=', access.memberId).where('undertaking_accepted_at', 'is', null).execute();
    await appendAudit(trx, { institutionId: access.institutionId, actorUserId: actor.userId, action: 'best_interests.undertaking_accepted', recordType: 'best_interests', recordId: determinationId, ip: actor.ip });
  });
}

/** What a panel member reads: this child, her views, the assessments and the determination before the panel. */
export async function panelFile(db: Db, cipher: FieldCipher, actor: Actor, determinationId: string) {
  const access = await panelAccess(db, actor, determinationId);
  const today = localDate();
  const reader = new FieldReader(cipher, 'best_interests');
  const [file, rows, members] = await Promise.all([
    db
      .selectFrom('child_files as f')
      .innerJoin('cases as c', 'c.id', 'f.case_id')
      .innerJoin('people as p', 'p.id', 'f.person_id')
      .select(['c.folio', 'f.accompaniment', 'f.views_enc', 'f.wishes_tracing', 'f.wishes_reunification', 'p.id', 'p.given_names', 'p.surname1', 'p.surname2', 'p.sex', 'p.date_of_birth', 'p.estimated_age', 'p.age_estimated_on', 'p.nationalities'])
      .where('f.case_id', '=', access.caseId)
      .executeTakeFirstOrThrow(),
    bestInterestsRows(db, access.caseId),
    memberRows(db, { caseId: access.caseId }),
  ]);
  await appendAudit(db, { institutionId: access.institutionId, actorUserId: actor.userId, action: 'best_interests.panel_read', recordType: 'best_interests', recordId: determinationId, ip: actor.ip, detail: { case_id: access.caseId } });
  const views = rows.map((row) => toView(reader, row, members));
  return {
    determination: views.find((v) => v.id === determinationId)!,
    folio: file.folio,
    child: { id: file.id, name: fullName(file), sex: file.sex, date_of_birth: file.date_of_birth, age: ageOn(file, today).age, nationalities: file.nationalities.map((n) => n.trim()) },
    accompaniment: file.accompaniment,
    views: open(reader, file.views_enc, 'views'),
    wishes_tracing: file.wishes_tracing,
    wishes_reunification: file.wishes_reunification,
    assessments: views.filter((v) => v.kind !== 'determination'),
  };
}

export async function recordPosition(db: Db, cipher: FieldCipher, actor: Actor, determinationId: string, input: z.infer<typeof positionInput>): Promise<void> {
  const access = await panelAccess(db, actor, determinationId);
  if (access.status !== 'panel') throw new AppError('best_interests_not_in_panel');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('bid_panel_members').set({ position: input.position, position_enc: seal(cipher, input.reasons) ?? null, positioned_at: new Date() }).where('id', '=', access.memberId).execute();
    await appendAudit(trx, { institutionId: access.institutionId, actorUserId: actor.userId, action: 'best_interests.position_recorded', recordType: 'best_interests', recordId: determinationId, ip: actor.ip, detail: { position: input.position } });
  });
}

export async function recordDecision(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, determinationId: string, input: z.infer<typeof decisionInput>) {
  await writeOnFile(db, actor, caseId, 'best_interests.decided', async (trx) => {
    const determination = await determinationInPanel(trx, caseId, determinationId);
    if (determination.status !== 'panel') throw new AppError('best_interests_not_in_panel');
    const members = await trx.selectFrom('bid_panel_members').select(['profession', 'member_institution', 'undertaking_accepted_at', 'position']).where('determination_id', '=', determinationId).execute();
    if (!panelComplete(members)) throw new AppError('panel_incomplete');
    await trx
      .updateTable('best_interests')
      .set({ status: 'decided', decision: input.decision, reasons_enc: cipher.encryptText(input.reasons), review_on: input.review_on, decided_at: new Date() })
      .where('id', '=', determinationId)
      .execute();
    return { result: undefined, detail: { best_interests_id: determinationId, decision: input.decision } };
  });
}

export async function approveDetermination(db: Db, actor: Actor, caseId: string, determinationId: string) {
  requireCapability(actor, 'children.approve');
  await writeOnFile(db, actor, caseId, 'best_interests.approved', async (trx) => {
    const determination = await determinationInPanel(trx, caseId, determinationId);
    if (determination.status !== 'decided') throw new AppError('best_interests_not_decided');
    const sat = await trx.selectFrom('bid_panel_members').select('id').where('determination_id', '=', determinationId).where('user_id', '=', actor.userId).executeTakeFirst();
    if (sat) throw new AppError('approver_on_panel');
    await trx.updateTable('best_interests').set({ status: 'approved', approved_by: actor.userId, approved_at: new Date() }).where('id', '=', determinationId).execute();
    // A determination to trace without the child's consent opens tracing for her.
    await proposeTracingMatches(trx, { caseIds: [caseId] });
    return { result: undefined, detail: { best_interests_id: determinationId } };
  });
}
