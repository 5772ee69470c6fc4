import { inTransaction, type Db, type Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { changedFields, correctionsOf, userRef } from '../platform/corrections.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { visibleCaseIds } from '../cases/case.policy.ts';
import { mayReadPersonDetails, personVisibleTo } from './person.policy.ts';
import type { NewPerson, PersonPatch, PersonView } from './person.schema.ts';
import { searchPersons } from '../search/engine.ts';
import { replacePersonNameKeys } from '../search/store.ts';
import { fieldsOf } from '../platform/fields.ts';

type PersonRow = Awaited<ReturnType<typeof selectPerson>>;

function selectPerson(db: Db | Tx, id: string) {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Maps a row to what the API shows: decrypts what is encrypted, drops internal columns. */
export function personRowToView(row: NonNullable<PersonRow>, cipher: FieldCipher): PersonView {
  const read = new FieldReader(cipher, 'person');
  return {
    id: row.id,
    institution_id: row.institution_id,
    given_names: row.given_names,
    surname1: row.surname1,
    surname2: row.surname2,
    other_names: row.other_names,
    sex: row.sex,
    gender_identity: row.gender_identity,
    date_of_birth: row.date_of_birth,
    estimated_age: row.estimated_age,
    age_estimated_on: row.age_estimated_on,
    nationalities: row.nationalities.map((c) => c.trim()),
    country_of_birth: row.country_of_birth,
    languages: row.languages,
    disabilities: row.disabilities,
    vulnerabilities: row.vulnerabilities,
    documents: read.json<PersonView['documents']>(row.documents_enc, 'documents') ?? [],
    contact: read.json<PersonView['contact']>(row.contact_enc, 'contact'),
    location_country: row.location_country,
    location_state: row.location_state,
    location_municipality: row.location_municipality,
    merged_into: row.merged_into,
    created_at: row.created_at,
    updated_at: row.updated_at,
    unreadable_fields: read.unreadable,
  };
}

/** Blind index of an identity document: finds equal documents without decrypting them. */
export const documentKey = (cipher: FieldCipher, doc: { type: string; number: string }) =>
  cipher.blindIndex(`${doc.type}:${doc.number.replace(/[\s.-]/g, '').toUpperCase()}`);

function encryptedColumns(cipher: FieldCipher, input: { documents?: { type: string; number: string; issuer?: string | undefined }[]; contact?: NewPerson['contact'] }) {
  const documents = input.documents ?? [];
  return {
    documents_enc: documents.length ? cipher.encryptJson(documents) : null,
    document_keys: documents.map((d) => documentKey(cipher, d)),
    contact_enc: input.contact && Object.keys(input.contact).length ? cipher.encryptJson(input.contact) : null,
  };
}

/** The row of a new person, as createPerson and the bulk import (src/missing/import.ts) write it. */
export function personInsertValues(cipher: FieldCipher, institutionId: string, createdBy: string | null, input: NewPerson) {
  return {
    institution_id: institutionId,
    given_names: input.given_names,
    surname1: input.surname1 ?? null,
    surname2: input.surname2 ?? null,
    other_names: input.other_names,
    sex: input.sex,
    gender_identity: input.gender_identity ?? null,
    date_of_birth: input.date_of_birth ?? null,
    estimated_age: input.estimated_age ?? null,
    age_estimated_on: input.age_estimated_on ?? null,
    nationalities: input.nationalities,
    country_of_birth: input.country_of_birth ?? null,
    languages: input.languages,
    disabilities: input.disabilities,
    vulnerabilities: input.vulnerabilities,
    ...encryptedColumns(cipher, input),
    location_country: input.location_country ?? null,
    location_state: input.location_state ?? null,
    location_municipality: input.location_municipality ?? null,
    created_by: createdBy,
  };
}

/** `id`: chosen by a device that registered the person offline (src/offline), else by the database. */
export async function createPerson(db: Db | Tx, cipher: FieldCipher, actor: Actor, input: NewPerson, id?: string): Promise<PersonView> {
  requireCapability(actor, 'people.write');
  const run = async (trx: Tx) => {
    const row = await trx.insertInto('people').values({ ...personInsertValues(cipher, actor.institutionId, actor.userId, input), ...(id ? { id } : {}) }).returningAll().executeTakeFirstOrThrow();
    await replacePersonNameKeys(trx, row);
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.created', recordType: 'person', recordId: row.id, ip: actor.ip });
    return personRowToView(row, cipher);
  };
  return inTransaction(db, run);
}

export async function getPerson(db: Db, cipher: FieldCipher, actor: Actor, id: string) {
  requireCapability(actor, 'people.read');
  const row = await db.selectFrom('people').selectAll().where('id', '=', id).where(personVisibleTo(actor)).executeTakeFirst();
  if (!row) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.read_denied', recordType: 'person', recordId: id, ip: actor.ip });
  }
  const cases = await db
    .selectFrom('case_participants')
    .innerJoin('cases', 'cases.id', 'case_participants.case_id')
    .select(['cases.id', 'cases.folio', 'cases.programme', 'cases.status', 'cases.opened_on', 'case_participants.role'])
    .where('case_participants.person_id', '=', id)
    .where('cases.id', 'in', visibleCaseIds(actor))
    .orderBy('cases.opened_on', 'desc')
    .execute();
  const mayReadDetails = mayReadPersonDetails(actor, row, cases.length > 0);
  await appendAudit(db, { institutionId: row.institution_id, actorUserId: actor.userId, action: 'person.read', recordType: 'person', recordId: id, ip: actor.ip, detail: { by_institution: actor.institutionId, details: mayReadDetails } });
  const view = personRowToView(row, cipher);
  return mayReadDetails ? { ...view, details_restricted: false, cases } : { ...view, documents: [], contact: null, details_restricted: true, cases };
}

export async function updatePerson(db: Db | Tx, cipher: FieldCipher, actor: Actor, id: string, patch: PersonPatch): Promise<PersonView> {
  requireCapability(actor, 'people.write');
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('people').selectAll().where('id', '=', id).where('institution_id', '=', actor.institutionId).forUpdate().executeTakeFirst();
    if (!current) throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.update_denied', recordType: 'person', recordId: id, ip: actor.ip });
    // A merged record is corrected through the record that was kept (or after undoing the merge).
    if (current.merged_into) throw new AppError('person_merged');
    const { reason, ...fields } = patch;
    const before = personRowToView(current, cipher);
    // Documents and contact are stored together: writing one over an unreadable other would lose it for good.
    if ((fields.documents !== undefined || fields.contact !== undefined) && before.unreadable_fields.some((field) => !(field in fields))) throw new AppError('field_unreadable');
    const merged = { ...before, ...fields };
    if (merged.date_of_birth && merged.estimated_age != null) throw new AppError('validation_failed');
    const { documents, contact, ...plain } = fields;
    const row = await trx
      .updateTable('people')
      .set({
        ...plain,
        ...(documents !== undefined || contact !== undefined ? encryptedColumns(cipher, { documents: merged.documents, contact: merged.contact }) : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (['given_names', 'surname1', 'surname2', 'other_names'].some((f) => f in fields)) await replacePersonNameKeys(trx, row);
    const after = personRowToView(row, cipher);
    const changes = changedFields(before, after, Object.keys(fields) as (keyof typeof fields)[]);
    if (changes.length) {
      await trx
        .insertInto('person_corrections')
        .values({ institution_id: actor.institutionId, person_id: id, corrected_by: actor.userId, fields: changes.map((c) => c.field), reason_enc: reason ? cipher.encryptJson(reason) : null, changes_enc: cipher.encryptJson(changes) })
        .execute();
    }
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.updated', recordType: 'person', recordId: id, ip: actor.ip, detail: { fields: changes.map((c) => c.field) } });
    return after;
  });
}

const NAME_FIELDS = new Set(['given_names', 'surname1', 'surname2', 'surname_order', 'name_order']);

/**
 * Possible existing records for a name, ranked by the name-matching engine (src/search, docs/search.md):
 * Hispanic name variants, phonetic spelling, nicknames and abbreviations, with optional date of birth,
 * sex and nationality. `score` is the calibrated match probability; `explanation` gives each field's
 * agreement level and weight. Limited to the actor's institution; audited.
 */
export async function searchPeople(
  db: Db,
  actor: Actor,
  query: { q: string; date_of_birth?: string | undefined; sex?: string | undefined; nationality?: string | undefined; limit: number },
) {
  requireCapability(actor, 'people.read');
  const hits = await searchPersons(
    db,
    actor.institutionId,
    { text: query.q, date_of_birth: query.date_of_birth ?? null, sex: query.sex ?? null, nationalities: query.nationality ? [query.nationality] : null },
    { limit: query.limit },
  );
  const ranked = hits.map(({ person, result }) => {
    const positive = result.explanation.filter((e) => e.weight > 0).map((e) => e.field);
    const reasons = [...(positive.some((f) => NAME_FIELDS.has(f)) ? ['name'] : []), ...positive.filter((f) => !NAME_FIELDS.has(f) || f.startsWith('surname') || f === 'given_names')];
    return {
      ...fieldsOf(person, ['id', 'given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'estimated_age', 'nationalities']),
      score: Math.round(result.probability * 1000) / 1000,
      match_weight: result.weight,
      reasons,
      explanation: result.explanation,
    };
  });
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.searched', recordType: 'person', ip: actor.ip, detail: { results: ranked.length, record_ids: ranked.map((r) => r.id) } });
  return ranked;
}

/** Fields withheld from the history for those who see who a person is but not how to reach them. */
const DETAIL_FIELDS = new Set(['documents', 'contact']);

/**
 * A person's record over time: who registered it and every correction (who, when, why, each field
 * before and after), oldest first. Same visibility as the record; identity documents and contact
 * details only for those who may read them.
 */
export async function personHistory(db: Db, cipher: FieldCipher, actor: Actor, id: string) {
  const person = await getPerson(db, cipher, actor, id);
  const row = await db.selectFrom('people').leftJoin('users', 'users.id', 'people.created_by').select(['people.created_at', 'people.created_by', 'users.display_name']).where('people.id', '=', id).executeTakeFirstOrThrow();
  const corrections = await correctionsOf(db, 'person_corrections', id);
  await appendAudit(db, { institutionId: person.institution_id, actorUserId: actor.userId, action: 'person.history_read', recordType: 'person', recordId: id, ip: actor.ip });
  return {
    registered: { at: row.created_at, by: userRef(row.created_by, row.display_name) },
    corrections: corrections.map((c) => ({
      at: c.corrected_at,
      by: userRef(c.corrected_by, c.display_name),
      reason: c.reason_enc ? cipher.decryptJson<string>(c.reason_enc) : null,
      changes: cipher.decryptJson<{ field: string; from: unknown; to: unknown }[]>(c.changes_enc).map((change) =>
        person.details_restricted && DETAIL_FIELDS.has(change.field) ? { field: change.field, from: null, to: null, withheld: true } : { ...change, withheld: false },
      ),
    })),
  };
}
