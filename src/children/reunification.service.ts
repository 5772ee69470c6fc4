import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { AppError } from '../platform/errors.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { NAME_COLUMNS, fileRowsWithPerson, open, seal, visiblePerson, writeOnFile } from './file-access.ts';
import { proposeTracingMatches } from './tracing.service.ts';
import type { z } from 'zod';
import type { followupInput, reunificationInput, verificationInput, VerificationPatch } from './children.schema.ts';
import { fullName } from '../platform/names.ts';

/**
 * Verification before reunification (Inter-agency Guiding Principles on Unaccompanied and Separated
 * Children): for each adult who asks for the child, separate interviews, documents and photo
 * identification checked, the child recognises the adult, the adult wants and is able to care, the
 * accounts agree, and a recommendation. A reunification is recorded only on a complete, favourable
 * verification and an approved best-interests determination for reunification; follow-up visits are
 * scheduled with it, and the file closes only after the last one (a database rule, migration 0028).
 */
const CHECKS = ['documents_checked', 'photo_id_checked', 'child_recognises_adult', 'adult_willing', 'adult_able', 'accounts_agree'] as const;

type VerificationRow = { [K in (typeof CHECKS)[number]]: boolean | null } & { child_interviewed_on: string | null; adult_interviewed_on: string | null; recommendation: string | null };

export const verificationComplete = (v: VerificationRow) => Boolean(v.child_interviewed_on && v.adult_interviewed_on && v.recommendation) && CHECKS.every((c) => v[c] !== null);
/** Favourable: complete, every check passed, and reunification recommended. */
export const verificationFavourable = (v: VerificationRow) => verificationComplete(v) && CHECKS.every((c) => v[c] === true) && v.recommendation === 'reunify';

/** A verification whose every check passed and which recommends reunification, both interviews on `on`. */
export const favourableVerification = (on: string) => ({
  child_interviewed_on: on,
  adult_interviewed_on: on,
  documents_checked: true,
  photo_id_checked: true,
  child_recognises_adult: true,
  adult_willing: true,
  adult_able: true,
  accounts_agree: true,
  recommendation: 'reunify' as const,
});

const addMonths = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
};

export async function loadReunifications(db: Db, reader: FieldReader, caseId: string, today: string) {
  const [verifications, reunifications, followups] = await Promise.all([
    fileRowsWithPerson(db, 'verifications', caseId).orderBy('r.created_at').execute(),
    db
      .selectFrom('child_reunifications as r')
      .leftJoin('people as p', 'p.id', 'r.adult_person_id')
      .select(['r.id', 'r.adult_person_id', 'r.reunified_on', 'r.place', 'r.country', 'r.receiving_body', ...NAME_COLUMNS])
      .where('r.case_id', '=', caseId)
      .orderBy('r.reunified_on')
      .execute(),
    db.selectFrom('reunification_followups').selectAll().where('case_id', '=', caseId).orderBy('due_on').execute(),
  ]);
  return {
    verifications: verifications.map((v) => ({
      id: v.id,
      adult: { id: v.adult_person_id, name: fullName(v) },
      relationship: v.relationship,
      child_interviewed_on: v.child_interviewed_on,
      adult_interviewed_on: v.adult_interviewed_on,
      documents_checked: v.documents_checked,
      photo_id_checked: v.photo_id_checked,
      child_recognises_adult: v.child_recognises_adult,
      adult_willing: v.adult_willing,
      adult_able: v.adult_able,
      accounts_agree: v.accounts_agree,
      recommendation: v.recommendation,
      notes: open(reader, v.notes_enc, 'notes'),
      complete: verificationComplete(v),
      completed_at: v.completed_at,
    })),
    reunifications: reunifications.map((r) => ({
      id: r.id,
      adult: r.adult_person_id && r.given_names !== null ? { id: r.adult_person_id, name: fullName({ given_names: r.given_names, surname1: r.surname1, surname2: r.surname2 }) } : null,
      reunified_on: r.reunified_on,
      place: r.place,
      country: r.country?.trim() ?? null,
      receiving_body: r.receiving_body,
      followups: followups
        .filter((f) => f.reunification_id === r.id)
        .map((f) => ({ id: f.id, due_on: f.due_on, visited_on: f.visited_on, outcome: f.outcome, notes: open(reader, f.notes_enc, 'notes'), overdue: !f.visited_on && f.due_on < today })),
    })),
  };
}

async function markCompletion(trx: Tx, id: string) {
  const row = await trx.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const complete = verificationComplete(row);
  if (complete !== Boolean(row.completed_at)) await trx.updateTable('verifications').set({ completed_at: complete ? new Date() : null }).where('id', '=', id).execute();
}

export async function startVerification(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, input: z.infer<typeof verificationInput>) {
  const { adult_person_id, relationship, notes, ...checks } = input;
  return writeOnFile(db, actor, caseId, 'child_file.verification_started', async (trx, file) => {
    await visiblePerson(trx, actor, adult_person_id);
    if (adult_person_id === file.personId) throw new AppError('validation_failed');
    const { id } = await trx
      .insertInto('verifications')
      .values({ institution_id: file.institutionId, case_id: caseId, adult_person_id, relationship, ...checks, notes_enc: seal(cipher, notes) ?? null, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await markCompletion(trx, id);
    await proposeTracingMatches(trx, { caseIds: [caseId] });
    return { result: { id }, detail: { verification_id: id, adult_person_id } };
  });
}

export async function updateVerification(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, verificationId: string, patch: VerificationPatch) {
  const { notes, ...checks } = patch;
  await writeOnFile(db, actor, caseId, 'child_file.verification_updated', async (trx) => {
    const updated = await trx
      .updateTable('verifications')
      .set({ ...checks, ...(notes !== undefined ? { notes_enc: seal(cipher, notes) } : {}), updated_at: new Date() })
      .where('id', '=', verificationId)
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!updated.numUpdatedRows) throw new AppError('not_found');
    await markCompletion(trx, verificationId);
    return { result: undefined, detail: { verification_id: verificationId, fields: Object.keys(patch) } };
  });
}

export async function recordReunification(db: Db, actor: Actor, caseId: string, input: z.infer<typeof reunificationInput>) {
  return writeOnFile(db, actor, caseId, 'child_file.reunified', async (trx, file) => {
    const verification = await trx.selectFrom('verifications').selectAll().where('id', '=', input.verification_id).where('case_id', '=', caseId).executeTakeFirst();
    if (!verification || !verificationFavourable(verification)) throw new AppError('verification_incomplete');
    const determination = await trx.selectFrom('best_interests').select(['status', 'decision', 'kind']).where('id', '=', input.determination_id).where('case_id', '=', caseId).executeTakeFirst();
    if (!determination || determination.kind !== 'determination' || determination.status !== 'approved' || determination.decision !== 'reunify_family') throw new AppError('reunification_decision_required');
    if (input.reunified_on < file.openedOn) throw new AppError('date_before_case_opened');
    const { id } = await trx
      .insertInto('child_reunifications')
      .values({
        institution_id: file.institutionId,
        case_id: caseId,
        person_id: file.personId,
        reunified_on: input.reunified_on,
        relationship: verification.relationship,
        country: input.country,
        adult_person_id: verification.adult_person_id,
        verification_id: verification.id,
        determination_id: input.determination_id,
        place: input.place,
        receiving_body: input.receiving_body ?? null,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const months = [...new Set(input.followup_months)].sort((a, b) => a - b);
    await trx
      .insertInto('reunification_followups')
      .values(months.map((m) => ({ institution_id: file.institutionId, case_id: caseId, reunification_id: id, due_on: addMonths(input.reunified_on, m) })))
      .execute();
    return { result: { id }, detail: { reunification_id: id, adult_person_id: verification.adult_person_id, followups: months.length } };
  });
}

export async function recordFollowup(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, reunificationId: string, followupId: string, input: z.infer<typeof followupInput>) {
  await writeOnFile(db, actor, caseId, 'child_file.followup_recorded', async (trx) => {
    const row = await trx.selectFrom('reunification_followups').select(['visited_on']).where('id', '=', followupId).where('reunification_id', '=', reunificationId).where('case_id', '=', caseId).executeTakeFirst();
    if (!row) throw new AppError('not_found');
    if (row.visited_on) throw new AppError('followup_already_recorded');
    await trx.updateTable('reunification_followups').set({ visited_on: input.visited_on, outcome: input.outcome, notes_enc: seal(cipher, input.notes) ?? null, recorded_by: actor.userId }).where('id', '=', followupId).execute();
    return { result: undefined, detail: { followup_id: followupId, outcome: input.outcome } };
  });
}
