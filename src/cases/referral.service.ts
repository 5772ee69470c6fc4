import type { Db, ReferralStatus, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible, badRequest, notFound } from '../platform/errors.ts';
import { can, requireCapability, type Actor } from '../platform/auth/policy.ts';
import { caseAccess, createCase, recordEvent, referralQuery, referralRowToView } from './case.service.ts';
import { visibleCaseIds } from './case.policy.ts';
import type { NewCase, ReferralInput } from './case.schema.ts';
import { localDate } from '../platform/dates.ts';

export async function createReferral(db: Db, actor: Actor, caseId: string, input: ReferralInput) {
  return db.transaction().execute((trx) => createReferralIn(trx, actor, caseId, input));
}

/** A referral inside a caller's transaction (a screening's suggestion turned into a referral, src/screenings). */
export async function createReferralIn(trx: Tx, actor: Actor, caseId: string, input: ReferralInput) {
  requireCapability(actor, 'cases.write');
  if (input.to_institution_id === actor.institutionId) throw new AppError('referral_to_self');
  const access = await caseAccess(trx, actor, caseId, { forUpdate: true });
  if (!access.canEdit) throw notFound();
  const target = await trx.selectFrom('institutions').select(['id', 'type']).where('id', '=', input.to_institution_id).executeTakeFirst();
  if (!target || target.type === 'platform') throw new AppError('institution_not_found');
  const pending = await trx.selectFrom('referrals').select('id').where('case_id', '=', caseId).where('to_institution_id', '=', input.to_institution_id).where('status', '=', 'pending').executeTakeFirst();
  if (pending) throw new AppError('referral_already_pending');
  // The referred people always travel with a referral: the receiving case is opened for them.
  const sections = [...new Set(['participants', ...input.shared_sections])];
  const row = await trx
    .insertInto('referrals')
    .values({
      institution_id: access.row.institution_id,
      case_id: caseId,
      to_institution_id: input.to_institution_id,
      reason: input.reason,
      consent_recorded_on: input.consent_recorded_on,
      consent_method: input.consent_method,
      shared_sections: sections,
      status: 'pending',
      response_note: null,
      responded_by: null,
      responded_at: null,
      receiving_case_id: null,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, actor, access.row, 'referral.sent', { referral_id: row.id, to_institution_id: input.to_institution_id, shared_sections: sections });
  await appendAudit(trx, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'referral.created', recordType: 'referral', recordId: row.id, ip: actor.ip, detail: { case_id: caseId, to_institution_id: input.to_institution_id } });
  return referralRowToView(await referralQuery(trx).where('referrals.id', '=', row.id).executeTakeFirstOrThrow());
}

export async function listReferrals(db: Db, actor: Actor, query: { direction: 'incoming' | 'outgoing'; status?: ReferralStatus | undefined; limit: number; offset: number }) {
  requireCapability(actor, 'cases.read');
  let base = referralQuery(db);
  if (query.direction === 'incoming') {
    // Those who answer referrals see every one received; others, those that became their cases.
    if (can(actor, 'referrals.respond')) base = base.where('referrals.to_institution_id', '=', actor.institutionId);
    else base = base.where('referrals.to_institution_id', '=', actor.institutionId).where('referrals.receiving_case_id', 'in', visibleCaseIds(actor));
  } else {
    base = base.where('referrals.institution_id', '=', actor.institutionId).where('referrals.case_id', 'in', visibleCaseIds(actor));
  }
  if (query.status) base = base.where('referrals.status', '=', query.status);
  const rows = await base.orderBy('referrals.created_at', 'desc').limit(query.limit).offset(query.offset).execute();
  const items = rows.map(referralRowToView);
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'referral.listed', recordType: 'referral', ip: actor.ip, detail: { record_ids: items.map((i) => i.id) } });
  return { items };
}

async function pendingIncoming(db: Db | Tx, actor: Actor, referralId: string) {
  requireCapability(actor, 'referrals.respond');
  const referral = await db.selectFrom('referrals').selectAll().where('id', '=', referralId).where('to_institution_id', '=', actor.institutionId).forUpdate().executeTakeFirst();
  if (!referral) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'referral.access_denied', recordType: 'referral', recordId: referralId, ip: actor.ip });
  }
  if (referral.status !== 'pending') throw new AppError('referral_not_pending');
  return referral;
}

/** Accepting opens a case in the receiving institution for the same people; both sides keep their history. */
export async function acceptReferral(db: Db, cipher: FieldCipher, actor: Actor, referralId: string, input: { programme: NewCase['programme']; assigned_to?: string | null | undefined; note?: string | undefined }) {
  return db.transaction().execute(async (trx) => {
    const referral = await pendingIncoming(trx, actor, referralId);
    const source = await trx.selectFrom('cases').select(['id', 'institution_id']).where('id', '=', referral.case_id).executeTakeFirstOrThrow();
    const participants = await trx.selectFrom('case_participants').select(['person_id', 'role', 'relationship']).where('case_id', '=', referral.case_id).execute();
    const receiving = await createCase(
      trx,
      cipher,
      actor,
      {
        programme: input.programme,
        opened_on: localDate(),
        crime_types: [],
        rights_violations: [],
        assigned_to: input.assigned_to ?? null,
        participants: participants.map((p) => ({ person_id: p.person_id, role: p.role, ...(p.relationship ? { relationship: p.relationship } : {}) })),
      },
      { referralId },
    );
    await trx
      .updateTable('referrals')
      .set({ status: 'accepted', response_note: input.note ?? null, responded_by: actor.userId, responded_at: new Date(), receiving_case_id: receiving.id })
      .where('id', '=', referralId)
      .execute();
    await recordEvent(trx, actor, source, 'referral.accepted', { referral_id: referralId, by_institution_id: actor.institutionId });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'referral.accepted', recordType: 'referral', recordId: referralId, ip: actor.ip, detail: { case_id: referral.case_id, receiving_case_id: receiving.id } });
    await appendAudit(trx, { institutionId: source.institution_id, actorUserId: actor.userId, action: 'referral.accepted', recordType: 'referral', recordId: referralId, ip: actor.ip, detail: { case_id: referral.case_id, by_institution_id: actor.institutionId } });
    return { receiving_case_id: receiving.id, receiving_folio: receiving.folio };
  });
}

export async function declineReferral(db: Db, actor: Actor, referralId: string, note: string) {
  await db.transaction().execute(async (trx) => {
    const referral = await pendingIncoming(trx, actor, referralId);
    await trx.updateTable('referrals').set({ status: 'declined', response_note: note, responded_by: actor.userId, responded_at: new Date() }).where('id', '=', referralId).execute();
    const source = await trx.selectFrom('cases').select(['id', 'institution_id']).where('id', '=', referral.case_id).executeTakeFirstOrThrow();
    await recordEvent(trx, actor, source, 'referral.declined', { referral_id: referralId, by_institution_id: actor.institutionId });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'referral.declined', recordType: 'referral', recordId: referralId, ip: actor.ip, detail: { case_id: referral.case_id } });
    await appendAudit(trx, { institutionId: source.institution_id, actorUserId: actor.userId, action: 'referral.declined', recordType: 'referral', recordId: referralId, ip: actor.ip, detail: { case_id: referral.case_id, by_institution_id: actor.institutionId } });
  });
}
