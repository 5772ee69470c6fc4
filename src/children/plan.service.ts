import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { AppError } from '../platform/errors.ts';
import { fileRowsWithPerson, visiblePerson, writeOnFile } from './file-access.ts';
import type { z } from 'zod';
import type { measureInput, measurePatchBody } from './children.schema.ts';
import { fullName } from '../platform/names.ts';

/**
 * The restitution plan (plan de restitución de derechos, LGDNNA art. 123): one measure per row, each
 * with the right it restores, its legal basis, who is responsible and by when. A measure not executed
 * by its due date is overdue: the file and the dashboard flag it.
 */
export async function loadPlan(db: Db, reader: FieldReader, caseId: string, today: string) {
  const [measures, notes] = await Promise.all([
    fileRowsWithPerson(db, 'restitution_measures', caseId).orderBy('r.due_on').orderBy('r.created_at').execute(),
    db
      .selectFrom('restitution_notes as n')
      .leftJoin('users as u', 'u.id', 'n.author_id')
      .select(['n.id', 'n.measure_id', 'n.body_enc', 'n.author_id', 'u.display_name', 'n.created_at'])
      .where('n.case_id', '=', caseId)
      .orderBy('n.created_at')
      .execute(),
  ]);
  return measures.map((m) => ({
    id: m.id,
    right_affected: m.right_affected,
    legal_basis: m.legal_basis,
    measure_type: m.measure_type,
    measure: m.measure,
    beneficiary: { id: m.beneficiary_person_id, name: fullName(m) },
    responsible_institution: m.responsible_institution,
    responsible_person: m.responsible_person,
    frequency: m.frequency,
    due_on: m.due_on,
    executed_on: m.executed_on,
    overdue: !m.executed_on && m.due_on < today,
    notes: notes
      .filter((n) => n.measure_id === m.id)
      .map((n) => ({ id: n.id, body: reader.text(n.body_enc, 'measure_note') ?? '', author: n.author_id ? { id: n.author_id, display_name: n.display_name ?? '' } : null, created_at: n.created_at })),
  }));
}

export async function addMeasure(db: Db, actor: Actor, caseId: string, input: z.infer<typeof measureInput>) {
  return writeOnFile(db, actor, caseId, 'child_file.measure_added', async (trx, file) => {
    const beneficiary = input.beneficiary_person_id ?? file.personId;
    if (beneficiary !== file.personId) await visiblePerson(trx, actor, beneficiary);
    const { id } = await trx
      .insertInto('restitution_measures')
      .values({
        institution_id: file.institutionId,
        case_id: caseId,
        right_affected: input.right_affected,
        legal_basis: input.legal_basis,
        measure_type: input.measure_type,
        measure: input.measure,
        beneficiary_person_id: beneficiary,
        responsible_institution: input.responsible_institution,
        responsible_person: input.responsible_person ?? null,
        frequency: input.frequency,
        due_on: input.due_on,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: { id }, detail: { measure_id: id } };
  });
}

export async function updateMeasure(db: Db, actor: Actor, caseId: string, measureId: string, patch: z.infer<typeof measurePatchBody>) {
  await writeOnFile(db, actor, caseId, 'child_file.measure_updated', async (trx) => {
    const updated = await trx.updateTable('restitution_measures').set({ ...patch, updated_at: new Date() }).where('id', '=', measureId).where('case_id', '=', caseId).executeTakeFirst();
    if (!updated.numUpdatedRows) throw new AppError('not_found');
    return { result: undefined, detail: { measure_id: measureId, fields: Object.keys(patch) } };
  });
}

export async function addMeasureNote(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, measureId: string, body: string) {
  return writeOnFile(db, actor, caseId, 'child_file.measure_note_added', async (trx, file) => {
    const measure = await trx.selectFrom('restitution_measures').select('id').where('id', '=', measureId).where('case_id', '=', caseId).executeTakeFirst();
    if (!measure) throw new AppError('not_found');
    const { id } = await trx
      .insertInto('restitution_notes')
      .values({ institution_id: file.institutionId, case_id: caseId, measure_id: measureId, body_enc: cipher.encryptText(body), author_id: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: { id }, detail: { measure_id: measureId } };
  });
}
