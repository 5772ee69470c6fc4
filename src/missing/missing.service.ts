import type { PreparedFile } from '../platform/files/uploads.ts';
import { sql } from 'kysely';
import { tracingRequestFromPublicReport } from '../children/tracing.service.ts';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit, type AuditDetail } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { can as roleCan, requireCapability, type Actor } from '../platform/auth/policy.ts';
import { documentKey } from '../people/person.service.ts';
import { newFolio, newReceipt, ReceiptHasher } from '../platform/receipts.ts';
import { indexAndQueue, loadSubjects } from './matching.ts';
import { mayOpen, seesOnlyOwnRecords } from './missing.policy.ts';
import type { FoundView, NewFound, NewReport, ReportView } from './missing.schema.ts';
import { localDate } from '../platform/dates.ts';
import { fieldsOf } from '../platform/fields.ts';
import { fullName } from '../platform/names.ts';

/**
 * Reports of missing persons and records of persons found (alive, or remains). Each belongs to the
 * institution that recorded it; its search officers and supervisors see it whole, a caseworker sees
 * the reports they opened. Every write indexes the record and queues it for matching in the same
 * transaction (matching.ts), so a committed record is always matched, even after a crash.
 */

export const reportReceipts = (cipher: FieldCipher) => new ReceiptHasher(cipher, 'amparo.missing.receipt-pepper.v1');

type ReportRow = NonNullable<Awaited<ReturnType<typeof selectReport>>>;
type FoundRow = NonNullable<Awaited<ReturnType<typeof selectFound>>>;
const selectReport = (db: Db | Tx, id: string) => db.selectFrom('missing_reports').selectAll().where('id', '=', id).executeTakeFirst();
const selectFound = (db: Db | Tx, id: string) => db.selectFrom('found_records').selectAll().where('id', '=', id).executeTakeFirst();

const encrypt = (cipher: FieldCipher, value: unknown) => (value == null || value === '' ? null : cipher.encryptJson(value));

const describedColumns = (cipher: FieldCipher, input: Omit<NewReport, 'channel'> | NewFound) => ({
  ...fieldsOf(input, ['given_names', 'surname1', 'surname2', 'other_names', 'sex', 'date_of_birth', 'age_min', 'age_max', 'nationalities', 'languages']),
  ...fieldsOf(input, ['height_min_cm', 'height_max_cm', 'build', 'hair', 'eyes', 'marks', 'clothing']),
  documents_enc: input.documents.length ? cipher.encryptJson(input.documents) : null,
  document_keys: input.documents.map((d) => documentKey(cipher, d)),
  external_id: input.external_id ?? null,
});

const describedView = (row: ReportRow | FoundRow, read: FieldReader) => ({
  id: row.id,
  institution_id: row.institution_id,
  folio: row.folio,
  external_id: row.external_id,
  given_names: row.given_names,
  surname1: row.surname1,
  surname2: row.surname2,
  other_names: row.other_names,
  sex: row.sex,
  date_of_birth: row.date_of_birth,
  age_min: row.age_min,
  age_max: row.age_max,
  nationalities: row.nationalities.map((n) => n.trim()),
  languages: row.languages,
  height_min_cm: row.height_min_cm,
  height_max_cm: row.height_max_cm,
  build: row.build,
  hair: row.hair,
  eyes: row.eyes,
  marks: row.marks,
  clothing: row.clothing,
  documents: read.json<{ type: string; number: string; issuer?: string }[]>(row.documents_enc, 'documents') ?? [],
  created_at: row.created_at,
  updated_at: row.updated_at,
  unreadable_fields: read.unreadable,
});

export function reportRowToView(row: ReportRow, cipher: FieldCipher): ReportView {
  const read = new FieldReader(cipher, 'missing_report');
  return {
    ...describedView(row, read),
    channel: row.channel,
    status: row.status,
    age_on: row.age_on,
    dental_notes: read.json<string>(row.dental_notes_enc, 'dental_notes'),
    last_seen_on: row.last_seen_on,
    last_seen_country: row.last_seen_country?.trim() ?? null,
    last_seen_state: row.last_seen_state,
    last_seen_place: row.last_seen_place,
    route: row.route,
    circumstance: read.json<string>(row.circumstance_enc, 'circumstance'),
    reporter: {
      name: read.json<string>(row.reporter_name_enc, 'reporter.name'),
      relationship: row.reporter_relationship,
      contact: read.json<Record<string, string>>(row.reporter_contact_enc, 'reporter.contact'),
      country: row.reporter_country?.trim() ?? null,
    },
    dna_reference_taken: row.dna_reference_taken,
    dna_custodian: row.dna_custodian,
    located_found_id: row.located_found_id,
    located_person_id: row.located_person_id,
  };
}

export function foundRowToView(row: FoundRow, cipher: FieldCipher): FoundView {
  const read = new FieldReader(cipher, 'found_record');
  return {
    ...describedView(row, read),
    condition: row.condition,
    situation: row.situation,
    status: row.status,
    effects: row.effects,
    found_on: row.found_on,
    found_country: row.found_country.trim(),
    found_state: row.found_state,
    found_place: row.found_place,
    death_from: row.death_from,
    death_to: row.death_to,
    custodian_name: row.custodian_name,
    custodian_file_number: row.custodian_file_number,
    notes: read.json<string>(row.notes_enc, 'notes'),
    identified_report_id: row.identified_report_id,
  };
}

/** A report as recorded: the channels of the form, or an import. */
export type ReportInput = Omit<NewReport, 'channel'> & { channel: NewReport['channel'] | 'import' };

const inTransaction = <T>(db: Db | Tx, run: (trx: Tx) => Promise<T>): Promise<T> => (db.isTransaction ? run(db as Tx) : (db as Db).transaction().execute(run));

/**
 * Inserts reports without checks (the caller checked who may), indexes and queues them for matching:
 * one statement per step for the whole batch (the bulk import sends hundreds at a time). With a
 * hasher, each gets a family access code (returned once, stored as its hash).
 */
export async function insertReports(trx: Tx, cipher: FieldCipher, hasher: ReceiptHasher | null, institutionId: string, createdBy: string | null, inputs: ReportInput[]) {
  if (!inputs.length) return [];
  const receipts = new Map<string, string>();
  const values = [];
  for (const input of inputs) {
    let receiptHash: string | null = null;
    if (hasher) {
      const receipt = newReceipt();
      receiptHash = await hasher.hash(receipt);
      receipts.set(receiptHash, receipt);
    }
    values.push({
      institution_id: institutionId,
      folio: newFolio(new Date(), 'B'),
      receipt_hash: receiptHash,
      channel: input.channel,
      ...describedColumns(cipher, input),
      age_on: input.age_on ?? null,
      dental_notes_enc: encrypt(cipher, input.dental_notes),
      last_seen_on: input.last_seen_on ?? null,
      last_seen_country: input.last_seen_country ?? null,
      last_seen_state: input.last_seen_state ?? null,
      last_seen_place: input.last_seen_place ?? null,
      route: input.route ?? null,
      circumstance_enc: encrypt(cipher, input.circumstance),
      reporter_name_enc: encrypt(cipher, input.reporter.name),
      reporter_relationship: input.reporter.relationship,
      reporter_contact_enc: input.reporter.contact && Object.keys(input.reporter.contact).length ? cipher.encryptJson(input.reporter.contact) : null,
      reporter_country: input.reporter.country ?? null,
      dna_reference_taken: input.dna_reference_taken,
      dna_custodian: input.dna_custodian ?? null,
      created_by: createdBy,
    });
  }
  const rows = await trx.insertInto('missing_reports').values(values).returningAll().execute();
  await indexAndQueue(trx, await loadSubjects(trx, 'R', rows.map((r) => r.id)));
  await trx
    .insertInto('missing_events')
    .values(rows.map((row) => ({ institution_id: institutionId, report_id: row.id, kind: 'report.created', detail: JSON.stringify({ channel: row.channel }), actor_user_id: createdBy })))
    .execute();
  return rows.map((row) => ({ row, receipt: row.receipt_hash ? (receipts.get(row.receipt_hash) ?? null) : null }));
}

/** Inserts one report without checks (the caller checked who may), indexes and queues it. */
export async function insertReport(trx: Tx, cipher: FieldCipher, hasher: ReceiptHasher | null, institutionId: string, createdBy: string | null, input: ReportInput) {
  const [inserted] = await insertReports(trx, cipher, hasher, institutionId, createdBy, [input]);
  return inserted!;
}

export async function createReport(db: Db, cipher: FieldCipher, actor: Actor, input: NewReport) {
  requireCapability(actor, 'missing.record');
  if (input.channel === 'public_web') throw new AppError('missing_channel_public');
  const hasher = reportReceipts(cipher);
  return inTransaction(db, async (trx) => {
    const { row, receipt } = await insertReport(trx, cipher, hasher, actor.institutionId, actor.userId, input);
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'missing_report.created', recordType: 'missing_report', recordId: row.id, ip: actor.ip, detail: { channel: input.channel } });
    return { report: reportRowToView(row, cipher), folio: row.folio, receipt: receipt! };
  });
}

/** Inserts found records without checks (the caller checked who may), indexes and queues them: one statement per step for the batch. */
export async function insertFounds(trx: Tx, cipher: FieldCipher, institutionId: string, createdBy: string | null, inputs: NewFound[]) {
  if (!inputs.length) return [];
  const rows = await trx
    .insertInto('found_records')
    .values(
      inputs.map((input) => ({
        institution_id: institutionId,
        folio: newFolio(new Date(), 'H'),
        condition: input.condition,
        situation: input.situation,
        ...describedColumns(cipher, input),
        effects: input.effects ?? null,
        found_on: input.found_on,
        found_country: input.found_country,
        found_state: input.found_state ?? null,
        found_place: input.found_place ?? null,
        death_from: input.death_from ?? null,
        death_to: input.death_to ?? null,
        custodian_name: input.custodian_name ?? null,
        custodian_file_number: input.custodian_file_number ?? null,
        notes_enc: encrypt(cipher, input.notes),
        created_by: createdBy,
      })),
    )
    .returningAll()
    .execute();
  await indexAndQueue(trx, await loadSubjects(trx, 'F', rows.map((r) => r.id)));
  await trx
    .insertInto('missing_events')
    .values(rows.map((row) => ({ institution_id: institutionId, found_id: row.id, kind: 'found.created', detail: JSON.stringify({ condition: row.condition }), actor_user_id: createdBy })))
    .execute();
  return rows;
}

export async function insertFound(trx: Tx, cipher: FieldCipher, institutionId: string, createdBy: string | null, input: NewFound) {
  const [row] = await insertFounds(trx, cipher, institutionId, createdBy, [input]);
  return row!;
}

export async function createFound(db: Db, cipher: FieldCipher, actor: Actor, input: NewFound): Promise<FoundView> {
  requireCapability(actor, 'missing.record');
  return inTransaction(db, async (trx) => {
    const row = await insertFound(trx, cipher, actor.institutionId, actor.userId, input);
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'found_record.created', recordType: 'found_record', recordId: row.id, ip: actor.ip, detail: { condition: input.condition } });
    return foundRowToView(row, cipher);
  });
}

const denied = (actor: Actor, recordType: 'missing_report' | 'found_record', id: string) =>
  new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: `${recordType}.read_denied`, recordType, recordId: id, ip: actor.ip });

export async function openReport(db: Db | Tx, actor: Actor, id: string, action = 'missing_report.read', detail?: AuditDetail): Promise<ReportRow> {
  requireCapability(actor, 'missing.record');
  const row = await selectReport(db, id);
  if (!row || !mayOpen(actor, row)) throw denied(actor, 'missing_report', id);
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action, recordType: 'missing_report', recordId: id, ip: actor.ip, ...(detail && { detail }) });
  return row;
}

export async function openFound(db: Db | Tx, actor: Actor, id: string, action = 'found_record.read'): Promise<FoundRow> {
  requireCapability(actor, 'missing.record');
  const row = await selectFound(db, id);
  if (!row || !mayOpen(actor, row)) throw denied(actor, 'found_record', id);
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action, recordType: 'found_record', recordId: id, ip: actor.ip });
  return row;
}

export async function getReport(db: Db, cipher: FieldCipher, actor: Actor, id: string) {
  const row = await openReport(db, actor, id);
  const [messages, events, photos] = await Promise.all([
    db.selectFrom('missing_messages').select(['id', 'author', 'body_enc', 'created_at']).where('report_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('missing_events').select(['kind', 'detail', 'at']).where('report_id', '=', id).orderBy('at').execute(),
    db.selectFrom('missing_report_photos').select(['id', 'media_type', 'size_bytes', 'metadata_removed', 'created_at']).where('report_id', '=', id).orderBy('created_at').orderBy('id').execute(),
  ]);
  return {
    ...reportRowToView(row, cipher),
    messages: messages.map((m) => ({ id: m.id, author: m.author, body: cipher.decryptJson<string>(m.body_enc), at: m.created_at })),
    events: events.map((e) => ({ kind: e.kind, detail: e.detail as Record<string, unknown>, at: e.at })),
    // What the family sent with the report: described here, read one by one through readReportPhoto.
    photos: photos.map((p) => ({ id: p.id, media_type: p.media_type, size_bytes: p.size_bytes, metadata_removed: p.metadata_removed, received_at: p.created_at })),
  };
}

/**
 * One photo a family attached to its public report, for whoever may open the report (the report's
 * rules, missing.policy.ts); each viewing is audited on the report with the photo's id. The photo was
 * stripped of its metadata when it arrived, so it is served as stored.
 */
export async function readReportPhoto(db: Db, cipher: FieldCipher, actor: Actor, reportId: string, photoId: string) {
  const row = await db.selectFrom('missing_report_photos').select(['media_type', 'content_enc']).where('id', '=', photoId).where('report_id', '=', reportId).executeTakeFirst();
  // The report's rules first: someone who may not open the report learns nothing about its photos.
  await openReport(db, actor, reportId, row ? 'missing_report.photo_viewed' : 'missing_report.read', row ? { photo_id: photoId } : undefined);
  if (!row) throw new AppError('not_found');
  const bytes = new FieldReader(cipher, 'missing_report_photo').bytes(row.content_enc, 'content');
  if (!bytes) throw new AppError('field_unreadable');
  return { mediaType: row.media_type, bytes };
}

export async function getFound(db: Db, cipher: FieldCipher, actor: Actor, id: string) {
  const row = await openFound(db, actor, id);
  const events = await db.selectFrom('missing_events').select(['kind', 'detail', 'at']).where('found_id', '=', id).orderBy('at').execute();
  return { ...foundRowToView(row, cipher), events: events.map((e) => ({ kind: e.kind, detail: e.detail as Record<string, unknown>, at: e.at })) };
}

export type ListFilters = { limit: number; offset: number; status?: string | undefined; state?: string | undefined; from?: string | undefined; to?: string | undefined; q?: string | undefined };


/**
 * The institution's reports or found records, newest event first, filtered by status, state and a date
 * range (last seen / found), with counts by state for the same filters: the "list by state and date"
 * that stands in for a map.
 */
export async function listRecords(db: Db, actor: Actor, side: 'R' | 'F', filters: ListFilters) {
  requireCapability(actor, 'missing.record');
  const table = side === 'R' ? 'missing_reports' : 'found_records';
  const dateColumn = side === 'R' ? sql.ref('last_seen_on') : sql.ref('found_on');
  const stateColumn = side === 'R' ? sql.ref('last_seen_state') : sql.ref('found_state');
  const conditions = [sql`institution_id = ${actor.institutionId}`];
  if (seesOnlyOwnRecords(actor)) conditions.push(sql`created_by = ${actor.userId}`);
  if (filters.status) conditions.push(sql`status = ${filters.status}`);
  if (filters.state) conditions.push(sql`${stateColumn} = ${filters.state}`);
  if (filters.from) conditions.push(sql`${dateColumn} >= ${filters.from}::date`);
  if (filters.to) conditions.push(sql`${dateColumn} <= ${filters.to}::date`);
  if (filters.q) conditions.push(sql`(folio = ${filters.q.toUpperCase()} or amparo_fold(concat_ws(' ', given_names, surname1, surname2)) like '%' || amparo_fold(${filters.q}) || '%')`);
  const where = sql.join(conditions, sql` and `);
  const candidateColumn = side === 'R' ? sql.ref('c.report_id') : sql.ref('c.found_id');
  const [items, total, byState] = await Promise.all([
    sql<{ id: string; folio: string; given_names: string | null; surname1: string | null; surname2: string | null; sex: string; status: string; state: string | null; date: string | null; institution_id: string; open_candidates: number }>`
      select t.id, t.folio, t.given_names, t.surname1, t.surname2, t.sex, t.status, ${stateColumn} as state, ${dateColumn}::text as date, t.institution_id,
        (select count(*)::int from match_candidates c where ${candidateColumn} = t.id and c.status = 'proposed') as open_candidates
      from ${sql.table(table)} t where ${where}
      order by ${dateColumn} desc nulls last, t.created_at desc limit ${filters.limit} offset ${filters.offset}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db),
    sql<{ state: string | null; count: number }>`select ${stateColumn} as state, count(*)::int as count from ${sql.table(table)} where ${where} group by 1 order by 2 desc`.execute(db),
  ]);
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: side === 'R' ? 'missing_report.listed' : 'found_record.listed', recordType: table, detail: { returned: items.rows.length } });
  return {
    items: items.rows.map((r) => ({ id: r.id, folio: r.folio, name: fullName(r), sex: r.sex, status: r.status, state: r.state, date: r.date, institution_id: r.institution_id, open_candidates: r.open_candidates })),
    total: total.rows[0]?.n ?? 0,
    limit: filters.limit,
    offset: filters.offset,
    by_state: byState.rows,
  };
}

/** A message to the family, shown on their status page. */
export async function addOfficerMessage(db: Db, cipher: FieldCipher, actor: Actor, reportId: string, body: string): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const report = await openReport(trx, actor, reportId, 'missing_report.message_sent');
    const row = await trx.insertInto('missing_messages').values({ report_id: reportId, institution_id: report.institution_id, author: 'officer', author_user_id: actor.userId, body_enc: cipher.encryptJson(body) }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('missing_events').values({ institution_id: report.institution_id, report_id: reportId, kind: 'message.sent', actor_user_id: actor.userId }).execute();
    return row;
  });
}

/** Closes a search (or reopens it); only search officers and supervisors. A reopened report is matched again. */
export async function setReportStatus(db: Db, actor: Actor, reportId: string, status: 'active' | 'closed'): Promise<void> {
  requireCapability(actor, 'missing.read');
  await inTransaction(db, async (trx) => {
    const report = await openReport(trx, actor, reportId, 'missing_report.status_changed');
    if (report.status === status) return;
    if (status === 'active' && report.status !== 'closed') throw new AppError('missing_invalid_transition');
    await trx.updateTable('missing_reports').set({ status, updated_at: new Date() }).where('id', '=', reportId).execute();
    await trx.insertInto('missing_events').values({ institution_id: report.institution_id, report_id: reportId, kind: 'status.changed', detail: JSON.stringify({ from: report.status, to: status }), actor_user_id: actor.userId }).execute();
    if (status === 'active') await indexAndQueue(trx, await loadSubjects(trx, 'R', [reportId]));
  });
}

/**
 * What the family sees with folio and receipt. A deceased person is not announced on a web page: the
 * status says there is news and that the institution will contact them (docs/missing.md).
 * Wrong folio or receipt: the same `null`, after the same argon2 work (a decoy hash when the folio is unknown).
 */
export async function familyStatus(db: Db, cipher: FieldCipher, folio: string | null, receipt: string | null) {
  const hasher = reportReceipts(cipher);
  const row = folio ? await db.selectFrom('missing_reports').select(['id', 'folio', 'status', 'receipt_hash', 'created_at', 'institution_id']).where('folio', '=', folio).executeTakeFirst() : undefined;
  const ok = await hasher.verify(row?.receipt_hash ?? (await hasher.decoyHash()), receipt ?? '0000000000000000');
  if (!row || !row.receipt_hash || !ok) return null;
  const messages = await db.selectFrom('missing_messages').select(['author', 'body_enc', 'created_at']).where('report_id', '=', row.id).orderBy('created_at').execute();
  await appendAudit(db, { institutionId: row.institution_id, actorUserId: null, action: 'missing_report.family_viewed', recordType: 'missing_report', recordId: row.id });
  return {
    id: row.id,
    institution_id: row.institution_id,
    folio: row.folio,
    status: row.status === 'located_deceased' ? ('news' as const) : row.status,
    reported_on: localDate(row.created_at),
    messages: messages.map((m) => ({ author: m.author, body: cipher.decryptJson<string>(m.body_enc), at: m.created_at })),
  };
}

/** The family adds information or answers (after familyStatus verified folio and receipt). */
export async function addFamilyMessage(db: Db, cipher: FieldCipher, report: { id: string; institution_id: string }, body: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.insertInto('missing_messages').values({ report_id: report.id, institution_id: report.institution_id, author: 'family', body_enc: cipher.encryptJson(body) }).execute();
    await trx.insertInto('missing_events').values({ institution_id: report.institution_id, report_id: report.id, kind: 'message.received' }).execute();
    await appendAudit(trx, { institutionId: report.institution_id, actorUserId: null, action: 'missing_report.family_message', recordType: 'missing_report', recordId: report.id });
  });
}

/** A report a family files on the public page goes to the institution configured for it. */
/**
 * A family's report from the public page, with its photos (already checked and stripped of their
 * metadata, src/platform/files/uploads.ts), stored encrypted in the same transaction: the report
 * lands whole or not at all.
 */
export async function createPublicReport(db: Db, cipher: FieldCipher, input: NewReport, photos: PreparedFile[] = []) {
  const settings = await db.selectFrom('missing_settings').select('public_institution_id').executeTakeFirst();
  if (!settings?.public_institution_id) throw new AppError('missing_public_unavailable');
  const institutionId = settings.public_institution_id;
  return inTransaction(db, async (trx) => {
    const { row, receipt } = await insertReport(trx, cipher, reportReceipts(cipher), institutionId, null, { ...input, channel: 'public_web' });
    for (const photo of photos) {
      await trx
        .insertInto('missing_report_photos')
        .values({ report_id: row.id, institution_id: institutionId, media_type: photo.mediaType as 'image/jpeg' | 'image/png', size_bytes: photo.bytes.length, content_enc: cipher.encryptBytes(photo.bytes), metadata_removed: photo.metadataRemoved ?? [] })
        .execute();
    }
    await appendAudit(trx, { institutionId, actorUserId: null, action: 'missing_report.created', recordType: 'missing_report', recordId: row.id, detail: { channel: 'public_web', photos: photos.length } });
    // A child reported missing by her family is also sought by family tracing (src/children).
    await tracingRequestFromPublicReport(trx, cipher, institutionId, { ...input, id: row.id });
    return { folio: row.folio, receipt: receipt!, photos: photos.length };
  });
}

export async function readMissingSettings(db: Db, actor: Actor): Promise<{ public_institution_id: string | null }> {
  requireCapability(actor, 'missing.configure');
  const row = await db.selectFrom('missing_settings').select('public_institution_id').executeTakeFirst();
  return { public_institution_id: row?.public_institution_id ?? null };
}

export async function setPublicInstitution(db: Db, actor: Actor, institutionId: string | null): Promise<void> {
  requireCapability(actor, 'missing.configure');
  await inTransaction(db, async (trx) => {
    await trx.updateTable('missing_settings').set({ public_institution_id: institutionId }).execute();
    await appendAudit(trx, { institutionId: null, actorUserId: actor.userId, action: 'missing.settings_changed', recordType: 'missing_settings', detail: { public_institution_id: institutionId } });
  });
}

/** For the search box: the reports and found records with this folio that the actor may open. Not audited here. */
export async function findMissingByFolio(db: Db, actor: Actor, folios: string[]) {
  if (!roleCan(actor, 'missing.record') || !folios.length) return [];
  const upper = folios.map((f) => f.toUpperCase());
  const own = seesOnlyOwnRecords(actor) ? sql`created_by = ${actor.userId}` : sql`true`;
  const rows = await sql<{ id: string; kind: 'report' | 'found'; folio: string; given_names: string | null; surname1: string | null; surname2: string | null; sex: string; status: string; date: string | null }>`
    select id, 'report' as kind, folio, given_names, surname1, surname2, sex, status, last_seen_on::text as date from missing_reports
     where institution_id = ${actor.institutionId} and folio = any(${upper}::text[]) and ${own}
    union all
    select id, 'found', folio, given_names, surname1, surname2, sex, status, found_on::text from found_records
     where institution_id = ${actor.institutionId} and folio = any(${upper}::text[]) and ${own}`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, kind: r.kind, folio: r.folio, name: fullName(r), sex: r.sex, status: r.status, date: r.date }));
}
