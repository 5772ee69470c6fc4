import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { caseAccess } from '../cases/case.service.ts';
import { createReferralIn } from '../cases/referral.service.ts';
import type { ReferralInput } from '../cases/case.schema.ts';
import type { InstrumentDefinition, InstrumentLanguage } from './definition.ts';
import { instrumentLanguages } from './definition.ts';
import { checkAnswer, evaluate, type AnswerValue } from './evaluate.ts';
import { destinationsFor } from './destinations.ts';
import { ensureShippedInstruments } from './instrument.service.ts';
import { fullName } from '../platform/names.ts';

/**
 * Screenings given inside a case. Who may see or give one follows the case (src/cases/case.policy.ts):
 * those who keep the case in full, with `screenings.give`; an institution that received the case by
 * referral does not see its screenings (they are no shared section). Every read and write is audited;
 * free-text answers are encrypted.
 */

/** ISO 639-3 codes of a person's languages to the instruments' two-letter ones. */
const personLanguage: Record<string, InstrumentLanguage> = { spa: 'es', eng: 'en', fra: 'fr', hat: 'ht', por: 'pt' };

const refused = (actor: Actor, screeningId: string) =>
  new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'screening.access_denied', recordType: 'screening', recordId: screeningId, ip: actor.ip });

/** The screening and its case, if the actor keeps the case; 404 (audited) otherwise. */
async function screeningAccess(db: Db | Tx, actor: Actor, screeningId: string, options: { forUpdate?: boolean; edit?: boolean } = {}) {
  requireCapability(actor, 'screenings.give');
  let query = db
    .selectFrom('screenings')
    .innerJoin('screening_instrument_versions as v', 'v.id', 'screenings.version_id')
    .innerJoin('screening_instruments as i', 'i.id', 'v.instrument_id')
    .selectAll('screenings')
    .select(['v.definition', 'v.version', 'v.languages', 'i.code'])
    .where('screenings.id', '=', screeningId);
  if (options.forUpdate) query = query.forUpdate('screenings');
  const row = await query.executeTakeFirst();
  if (!row) throw refused(actor, screeningId);
  const access = await caseAccess(db, actor, row.case_id).catch((error: unknown) => {
    if (error instanceof RecordNotVisible) throw refused(actor, screeningId);
    throw error;
  });
  if (access.mode !== 'full' || (options.edit && !access.canEdit)) throw refused(actor, screeningId);
  return { row, definition: row.definition as InstrumentDefinition };
}

async function caseForScreening(db: Db | Tx, actor: Actor, caseId: string, edit: boolean) {
  requireCapability(actor, 'screenings.give');
  const access = await caseAccess(db, actor, caseId, { forUpdate: edit });
  if (access.mode !== 'full' || (edit && !access.canEdit)) throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'case.access_denied', recordType: 'case', recordId: caseId, ip: actor.ip });
  return access.row;
}

export async function startScreening(db: Db, actor: Actor, caseId: string, input: { instrument: string; person_id: string; language?: InstrumentLanguage | undefined }, requestLanguage: InstrumentLanguage) {
  await ensureShippedInstruments(db);
  return db.transaction().execute(async (trx) => {
    const caseRow = await caseForScreening(trx, actor, caseId, true);
    const participant = await trx
      .selectFrom('case_participants')
      .innerJoin('people', 'people.id', 'case_participants.person_id')
      .select(['people.languages'])
      .where('case_participants.case_id', '=', caseId)
      .where('case_participants.person_id', '=', input.person_id)
      .executeTakeFirst();
    if (!participant) throw new AppError('participant_not_in_case');
    const version = await trx
      .selectFrom('screening_instrument_versions as v')
      .innerJoin('screening_instruments as i', 'i.id', 'v.instrument_id')
      .select(['v.id', 'v.version', 'v.languages'])
      .where('i.code', '=', input.instrument)
      .orderBy('v.version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!version) throw new AppError('screening_instrument_not_found');
    if (input.language && !version.languages.includes(input.language)) throw new AppError('screening_language_unavailable');
    // The person's own language where the instrument has it; else the language of the one asking.
    const spoken = participant.languages.map((l) => personLanguage[l]).find((l) => l !== undefined && version.languages.includes(l));
    const language = input.language ?? spoken ?? requestLanguage;
    const row = await trx
      .insertInto('screenings')
      .values({ institution_id: caseRow.institution_id, case_id: caseId, person_id: input.person_id, version_id: version.id, language, started_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: caseRow.institution_id, actorUserId: actor.userId, action: 'screening.started', recordType: 'screening', recordId: row.id, ip: actor.ip, detail: { case_id: caseId, instrument: input.instrument, version: version.version } });
    return { id: row.id };
  });
}

export async function listCaseScreenings(db: Db, actor: Actor, caseId: string) {
  const caseRow = await caseForScreening(db, actor, caseId, false);
  const rows = await db
    .selectFrom('screenings')
    .innerJoin('screening_instrument_versions as v', 'v.id', 'screenings.version_id')
    .innerJoin('screening_instruments as i', 'i.id', 'v.instrument_id')
    .innerJoin('people', 'people.id', 'screenings.person_id')
    .select(['screenings.id', 'screenings.person_id', 'screenings.status', 'screenings.flags', 'screenings.started_at', 'screenings.completed_at', 'screenings.language', 'i.code', 'v.version', 'v.definition', 'people.given_names', 'people.surname1', 'people.surname2'])
    .where('screenings.case_id', '=', caseId)
    .orderBy('screenings.started_at', 'desc')
    .execute();
  await appendAudit(db, { institutionId: caseRow.institution_id, actorUserId: actor.userId, action: 'screening.listed', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { record_ids: rows.map((r) => r.id) } });
  return rows.map((r) => ({
    id: r.id,
    instrument: { code: r.code, version: r.version, title: (r.definition as InstrumentDefinition).title },
    person: { id: r.person_id, name: fullName(r) },
    status: r.status,
    language: r.language,
    flags: r.flags,
    started_at: r.started_at.toISOString(),
    completed_at: r.completed_at?.toISOString() ?? null,
  }));
}


async function answersOf(db: Db | Tx, cipher: FieldCipher, screeningId: string) {
  const rows = await db.selectFrom('screening_answers').select(['question_id', 'value', 'text_enc', 'answered_at']).where('screening_id', '=', screeningId).execute();
  const read = new FieldReader(cipher, 'screening');
  const answers = new Map<string, AnswerValue>();
  for (const r of rows) {
    const value = r.text_enc !== null ? read.text(r.text_enc, `answers.${r.question_id}`) : (r.value as AnswerValue);
    if (value !== null) answers.set(r.question_id, value);
  }
  return { answers, unreadable: read.unreadable };
}

/** The screening with its definition, answers and result: each flag with the questions that raised it. */
export async function getScreening(db: Db, cipher: FieldCipher, actor: Actor, screeningId: string) {
  const { row, definition } = await screeningAccess(db, actor, screeningId);
  const [{ answers, unreadable }, person, caseRow, made, latest] = await Promise.all([
    answersOf(db, cipher, screeningId),
    db.selectFrom('people').select(['given_names', 'surname1', 'surname2', 'sex']).where('id', '=', row.person_id).executeTakeFirstOrThrow(),
    db.selectFrom('cases').select(['folio']).where('id', '=', row.case_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('screening_referrals')
      .innerJoin('referrals', 'referrals.id', 'screening_referrals.referral_id')
      .innerJoin('institutions', 'institutions.id', 'referrals.to_institution_id')
      .select(['screening_referrals.suggestion_id', 'referrals.id', 'referrals.status', 'referrals.created_at', 'institutions.name'])
      .where('screening_referrals.screening_id', '=', screeningId)
      .orderBy('referrals.created_at')
      .execute(),
    db.selectFrom('screening_instrument_versions as v').innerJoin('screening_instruments as i', 'i.id', 'v.instrument_id').select((eb) => eb.fn.max('v.version').as('version')).where('i.code', '=', row.code).executeTakeFirstOrThrow(),
  ]);
  const result = evaluate(definition, answers);
  const suggested = definition.referrals.filter((r) => result.referrals.includes(r.id));
  const destinations = await Promise.all(suggested.map((s) => destinationsFor(db, actor, s)));
  await appendAudit(db, { institutionId: row.institution_id, actorUserId: actor.userId, action: 'screening.read', recordType: 'screening', recordId: screeningId, ip: actor.ip, detail: { case_id: row.case_id } });
  return {
    id: row.id,
    case: { id: row.case_id, folio: caseRow.folio },
    person: { id: row.person_id, name: fullName(person), sex: person.sex },
    status: row.status,
    language: row.language,
    started_at: row.started_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
    instrument: { code: row.code, version: row.version, version_id: row.version_id, languages: row.languages, latest_version: latest.version ?? row.version },
    definition,
    answers: [...answers.entries()].map(([question_id, value]) => ({ question_id, value })),
    result: {
      visible: result.visible,
      missing: result.missing,
      scores: result.scores,
      // A completed screening shows the flags it was completed with (its answers no longer change).
      flags: result.flags.map((f) => ({ ...f, severity: definition.flags.find((d) => d.id === f.id)!.severity })),
      suggestions: suggested.map((s, i) => ({ id: s.id, destinations: destinations[i]! })),
    },
    referrals: made.map((m) => ({ suggestion_id: m.suggestion_id, referral_id: m.id, status: m.status, to_institution_name: m.name, created_at: m.created_at.toISOString() })),
    unreadable_fields: unreadable,
  };
}

/** Saves answers as they are given (null clears one); the screening stays open until completed. */
export async function saveAnswers(db: Db, cipher: FieldCipher, actor: Actor, screeningId: string, input: { answers: { question_id: string; value: unknown }[] }) {
  await db.transaction().execute(async (trx) => {
    const { row, definition } = await screeningAccess(trx, actor, screeningId, { forUpdate: true, edit: true });
    if (row.status !== 'in_progress') throw new AppError('screening_completed');
    for (const { question_id, value } of input.answers) {
      if (value === null) {
        if (!definition.questions.some((q) => q.id === question_id)) throw new AppError('screening_answer_invalid', { question: question_id });
        await trx.deleteFrom('screening_answers').where('screening_id', '=', screeningId).where('question_id', '=', question_id).execute();
        continue;
      }
      const checked = checkAnswer(definition, question_id, value);
      const isText = definition.questions.find((q) => q.id === question_id)!.type === 'text';
      const stored = isText ? { value: null, text_enc: cipher.encryptText(String(checked)) } : { value: JSON.stringify(checked), text_enc: null };
      await trx
        .insertInto('screening_answers')
        .values({ screening_id: screeningId, institution_id: row.institution_id, question_id, ...stored, answered_by: actor.userId })
        .onConflict((oc) => oc.columns(['screening_id', 'question_id']).doUpdateSet({ ...stored, answered_by: actor.userId, answered_at: new Date() }))
        .execute();
    }
    await trx.updateTable('screenings').set({ updated_at: new Date() }).where('id', '=', screeningId).execute();
    await appendAudit(trx, { institutionId: row.institution_id, actorUserId: actor.userId, action: 'screening.answered', recordType: 'screening', recordId: screeningId, ip: actor.ip, detail: { questions: input.answers.map((a) => a.question_id) } });
  });
}

/** Closes the screening: required questions answered, answers to questions the skip logic left out dropped, flags stored. */
export async function completeScreening(db: Db, cipher: FieldCipher, actor: Actor, screeningId: string) {
  return db.transaction().execute(async (trx) => {
    const { row, definition } = await screeningAccess(trx, actor, screeningId, { forUpdate: true, edit: true });
    if (row.status !== 'in_progress') throw new AppError('screening_completed');
    const { answers } = await answersOf(trx, cipher, screeningId);
    const result = evaluate(definition, answers);
    if (result.missing.length) throw new AppError('screening_incomplete', { count: result.missing.length }, { missing: result.missing });
    const hidden = [...answers.keys()].filter((q) => !result.visible.includes(q));
    if (hidden.length) await trx.deleteFrom('screening_answers').where('screening_id', '=', screeningId).where('question_id', 'in', hidden).execute();
    const flags = result.flags.map((f) => f.id);
    await trx.updateTable('screenings').set({ status: 'completed', flags, completed_by: actor.userId, completed_at: new Date(), updated_at: new Date() }).where('id', '=', screeningId).execute();
    await appendAudit(trx, { institutionId: row.institution_id, actorUserId: actor.userId, action: 'screening.completed', recordType: 'screening', recordId: screeningId, ip: actor.ip, detail: { flags } });
    return { flags };
  });
}

/** A suggestion of the result turned into a referral of the case, with consent recorded as for any referral. */
export async function referFromScreening(db: Db, cipher: FieldCipher, actor: Actor, screeningId: string, input: Omit<ReferralInput, 'reason'> & { suggestion_id: string; reason?: string | undefined }, requestLanguage: InstrumentLanguage) {
  requireCapability(actor, 'cases.write');
  return db.transaction().execute(async (trx) => {
    const { row, definition } = await screeningAccess(trx, actor, screeningId, { forUpdate: true, edit: true });
    if (row.status !== 'completed') throw new AppError('screening_not_completed');
    const { answers } = await answersOf(trx, cipher, screeningId);
    const suggestion = definition.referrals.find((r) => r.id === input.suggestion_id);
    if (!suggestion || !evaluate(definition, answers).referrals.includes(suggestion.id)) throw new AppError('screening_suggestion_unknown');
    const lang = instrumentLanguages.includes(requestLanguage) ? requestLanguage : 'es';
    const reason = input.reason ?? `${suggestion.label[lang] ?? suggestion.label.es}: ${suggestion.reason[lang] ?? suggestion.reason.es}`;
    const { suggestion_id: _s, reason: _r, ...rest } = input;
    const referral = await createReferralIn(trx, actor, row.case_id, { ...rest, reason: reason.slice(0, 2000) });
    await trx.insertInto('screening_referrals').values({ screening_id: screeningId, referral_id: referral.id, institution_id: row.institution_id, suggestion_id: suggestion.id }).execute();
    await appendAudit(trx, { institutionId: row.institution_id, actorUserId: actor.userId, action: 'screening.referred', recordType: 'screening', recordId: screeningId, ip: actor.ip, detail: { referral_id: referral.id, suggestion: suggestion.id } });
    return { referral_id: referral.id };
  });
}
