import { sql, type ExpressionBuilder } from 'kysely';
import { anyUuid, type ComplaintStatus, type Database, type Db, type Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import type { ContentCipher } from '../platform/crypto/content-key.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible, badRequest, notFound } from '../platform/errors.ts';
import { can, requireCapability, rolesWith, type Actor } from '../platform/auth/policy.ts';
import { appendCustody, readCustody, sha256Hex, verifyCustody } from './custody.ts';
import { buildPackage } from './package.ts';
import { readSettings, type PerStatus } from './settings.service.ts';
import type { ComplaintView, InboxQuery, StatusChange, TransmitInput } from './complaint.schema.ts';
import { transitions } from './vocabularies.ts';
import { handlerCipher, maintainUnitKeys, resealForUnit } from './keys.ts';

/**
 * Who may handle a complaint: the complaint handlers of the unit it is routed to, nobody else. Any
 * other user (another unit's handler, the operator who recorded it, a supervisor) gets 404, and the
 * attempt is audited. The complainant reaches it only through folio and receipt.
 */
async function access(db: Db | Tx, actor: Actor, complaintId: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('complaints').selectAll().where('id', '=', complaintId);
  if (options.forUpdate) query = query.forUpdate();
  const row = can(actor, 'complaints.handle') ? await query.where('institution_id', '=', actor.institutionId).executeTakeFirst() : undefined;
  if (!row) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.access_denied', recordType: 'complaint', recordId: complaintId, ip: actor.ip });
  }
  return row;
}

const inTx = <T>(db: Db, run: (trx: Tx) => Promise<T>) => db.transaction().execute(run);


function checkTransition(from: ComplaintStatus, to: ComplaintStatus) {
  if (!transitions[from].includes(to)) throw new AppError('complaint_invalid_transition', { from, to });
}

const DAY = 24 * 60 * 60 * 1000;
function dueAt(status: ComplaintStatus, since: Date, limits: PerStatus): Date | null {
  const days = limits[status];
  return days ? new Date(since.getTime() + days * DAY) : null;
}

/** SQL for "has waited too long in its status", from the configured per-status limits. */
function overdueSql(limits: PerStatus) {
  const cases = Object.entries(limits).filter(([, days]) => days);
  if (!cases.length) return sql<boolean>`false`;
  return sql<boolean>`(case ${sql.join(
    cases.map(([status, days]) => sql`when complaints.status = ${status} then complaints.status_changed_at < now() - make_interval(days => ${days}::int)`),
    sql` `,
  )} else false end)`;
}

export async function listInbox(db: Db, cipher: FieldCipher, actor: Actor, query: InboxQuery) {
  requireCapability(actor, 'complaints.handle');
  const keyAccess = await maintainUnitKeys(db, cipher, actor);
  const settings = await readSettings(db);
  const overdue = overdueSql(settings.overdue_days);
  let base = db.selectFrom('complaints').where('complaints.institution_id', '=', actor.institutionId);
  if (query.status) base = base.where('complaints.status', '=', query.status);
  if (query.kind) base = base.where('complaints.kind', '=', query.kind);
  if (query.assigned === 'me') base = base.where('complaints.assigned_to', '=', actor.userId);
  if (query.assigned === 'unassigned') base = base.where('complaints.assigned_to', 'is', null);
  if (query.folio) base = base.where('complaints.folio', 'ilike', `%${query.folio.replace(/[%_\\]/g, '\\$&')}%`);
  if (query.overdue) base = base.where(overdue, '=', query.overdue === 'true');

  const [rows, count, overdueCount] = await Promise.all([
    base
      .leftJoin('users', 'users.id', 'complaints.assigned_to')
      .select(['complaints.id', 'folio', 'kind', 'channel', 'status', 'received_at', 'status_changed_at', 'complaints.state_code', 'authority_type', 'anonymous', 'assigned_to', 'legal_hold', 'users.display_name as assigned_name'])
      .select(overdue.as('overdue'))
      .select((eb) =>
        eb
          .selectFrom('complaint_messages as m')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('m.complaint_id', '=', 'complaints.id')
          .where('m.direction', '=', 'from_complainant')
          .where((inner) =>
            inner.not(
              inner.exists(
                inner.selectFrom('complaint_messages as r').select('r.id').whereRef('r.complaint_id', '=', 'complaints.id').where('r.direction', '=', 'to_complainant').whereRef('r.created_at', '>', 'm.created_at'),
              ),
            ),
          )
          .as('unanswered'),
      )
      .orderBy(overdue, 'desc')
      .orderBy('received_at', 'asc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('complaints').where('institution_id', '=', actor.institutionId).where(overdue, '=', true).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = rows.map((r) => ({
    id: r.id,
    folio: r.folio,
    kind: r.kind,
    channel: r.channel,
    status: r.status,
    received_at: r.received_at,
    status_changed_at: r.status_changed_at,
    due_at: dueAt(r.status, r.status_changed_at, settings.overdue_days),
    overdue: Boolean(r.overdue),
    state_code: r.state_code,
    authority_type: r.authority_type,
    anonymous: r.anonymous,
    assigned_to: r.assigned_to ? { id: r.assigned_to, display_name: r.assigned_name ?? '' } : null,
    unanswered_messages: Number(r.unanswered ?? 0),
    legal_hold: r.legal_hold,
  }));
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.listed', recordType: 'complaint', ip: actor.ip, detail: { record_ids: items.map((i) => i.id) } });
  return { items, total: Number(count.n), overdue_total: Number(overdueCount.n), limit: query.limit, offset: query.offset, key_access: keyAccess };
}

const userRef = async (db: Db | Tx, ids: Array<string | null>) => {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const rows = wanted.length ? await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', anyUuid(wanted)).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (id: string | null) => (id ? (byId.get(id) ?? { id, display_name: '' }) : null);
};

export async function getComplaint(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string): Promise<ComplaintView> {
  return inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId);
    const contents = await handlerCipher(trx, cipher, actor, c);
    const settings = await readSettings(trx);
    const [institution, messages, notes, files, transmissions] = await Promise.all([
      trx.selectFrom('institutions').select(['id', 'code', 'name']).where('id', '=', actor.institutionId).executeTakeFirstOrThrow(),
      trx.selectFrom('complaint_messages').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute(),
      trx.selectFrom('complaint_notes').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').execute(),
      trx.selectFrom('complaint_attachments').select(['id', 'message_id', 'source', 'filename_enc', 'media_type', 'size_bytes', 'sha256', 'metadata_removed', 'created_at']).where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute(),
      trx.selectFrom('complaint_transmissions').select(['id', 'to_authority', 'means', 'reference', 'sent_at', 'package_sha256']).where('complaint_id', '=', complaintId).orderBy('sent_at').execute(),
    ]);
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'viewed' });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.read', recordType: 'complaint', recordId: complaintId, ip: actor.ip });
    const custody = await readCustody(trx, complaintId);
    const user = await userRef(trx, [c.assigned_to, c.recorded_by, ...messages.map((m) => m.author_id), ...notes.map((n) => n.author_id)]);
    const due = dueAt(c.status, c.status_changed_at, settings.overdue_days);
    const stored = c.contact_enc ? contents.decryptJson<{ contact: ComplaintView['contact'] }>(c.contact_enc) : null;
    return {
      id: c.id,
      folio: c.folio,
      institution,
      kind: c.kind,
      channel: c.channel,
      status: c.status,
      status_changed_at: c.status_changed_at,
      due_at: due,
      overdue: due !== null && due.getTime() < Date.now(),
      not_admitted_reason: c.not_admitted_reason,
      outcome: c.outcome,
      anonymous: c.anonymous,
      language: c.language,
      received_at: c.received_at,
      occurred_on: c.occurred_on,
      state_code: c.state_code,
      municipality_code: c.municipality_code,
      place_type: c.place_type,
      authority_type: c.authority_type,
      narrative: contents.decryptText(c.narrative_enc),
      details: c.details_enc ? contents.decryptJson<Record<string, string>>(c.details_enc) : {},
      contact: stored?.contact ?? null,
      content_sha256: c.content_sha256,
      assigned_to: user(c.assigned_to),
      recorded_by: user(c.recorded_by),
      legal_hold: c.legal_hold,
      legal_hold_reason: c.legal_hold_reason,
      messages: messages.map((m) => ({ id: m.id, direction: m.direction, is_question: m.is_question, body: contents.decryptText(m.body_enc), author: user(m.author_id), created_at: m.created_at })),
      notes: notes.map((n) => ({ id: n.id, body: contents.decryptText(n.body_enc), author: user(n.author_id), created_at: n.created_at })),
      attachments: files.map((f) => ({ id: f.id, message_id: f.message_id, source: f.source, filename: contents.decryptText(f.filename_enc), media_type: f.media_type, size_bytes: f.size_bytes, sha256: f.sha256, metadata_removed: f.metadata_removed, created_at: f.created_at })),
      transmissions,
      custody: custody.map((e) => ({ ...e, detail: e.detail as Record<string, unknown> })),
      custody_intact: verifyCustody(custody) === null,
    };
  });
}

async function setStatus(trx: Tx, actor: Actor, c: { id: string; status: ComplaintStatus }, to: ComplaintStatus, extra: { reason?: string | null; outcome?: string | null; cause?: string } = {}) {
  const now = new Date();
  await trx
    .updateTable('complaints')
    .set({
      status: to,
      status_changed_at: now,
      updated_at: now,
      ...(to === 'not_admitted' ? { not_admitted_reason: extra.reason ?? null } : {}),
      ...(to === 'resolved' ? { outcome: extra.outcome ?? null, resolved_at: now } : {}),
      ...(to === 'closed' ? { closed_at: now } : {}),
    })
    .where('id', '=', c.id)
    .execute();
  await appendCustody(trx, c.id, { actorKind: 'handler', actorUserId: actor.userId, action: 'status_changed', detail: { from: c.status, to, reason: extra.reason ?? null, outcome: extra.outcome ?? null, ...(extra.cause ? { cause: extra.cause } : {}) } });
  await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.status_changed', recordType: 'complaint', recordId: c.id, ip: actor.ip, detail: { from: c.status, to } });
}

export async function changeStatus(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, input: StatusChange): Promise<void> {
  await inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId, { forUpdate: true });
    if (input.status === 'transmitted') throw new AppError('complaint_transmit_with_package');
    checkTransition(c.status, input.status);
    if (input.status === 'not_admitted' && !input.reason) throw new AppError('complaint_reason_required');
    if (input.status === 'resolved' && !input.outcome) throw new AppError('complaint_outcome_required');
    await setStatus(trx, actor, c, input.status, { reason: input.reason ?? null, outcome: input.outcome ?? null });
    if (input.note) await insertNote(trx, await handlerCipher(trx, cipher, actor, c), actor, complaintId, input.note);
  });
}

async function insertNote(trx: Tx, contents: ContentCipher, actor: Actor, complaintId: string, body: string) {
  const note = await trx.insertInto('complaint_notes').values({ complaint_id: complaintId, body_enc: contents.encryptText(body), author_id: actor.userId }).returning('id').executeTakeFirstOrThrow();
  await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'note_added', detail: { note_id: note.id, body_sha256: sha256Hex(body) } });
  return note;
}

export async function addNote(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, body: string) {
  return inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId, { forUpdate: true });
    const note = await insertNote(trx, await handlerCipher(trx, cipher, actor, c), actor, complaintId, body);
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.note_added', recordType: 'complaint', recordId: complaintId, ip: actor.ip });
    return note;
  });
}

/** A message the complainant reads at follow-up; a request for information also changes the status. */
export async function sendMessage(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, input: { body: string; request_information: boolean }) {
  return inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId, { forUpdate: true });
    if (input.request_information && c.status !== 'more_information_requested') checkTransition(c.status, 'more_information_requested');
    const contents = await handlerCipher(trx, cipher, actor, c);
    const message = await trx
      .insertInto('complaint_messages')
      .values({ complaint_id: complaintId, direction: 'to_complainant', is_question: input.request_information, body_enc: contents.encryptText(input.body), author_id: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'message_to_complainant', detail: { message_id: message.id, body_sha256: sha256Hex(input.body), is_question: input.request_information } });
    if (input.request_information && c.status !== 'more_information_requested') await setStatus(trx, actor, c, 'more_information_requested', { cause: 'question_sent' });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.message_sent', recordType: 'complaint', recordId: complaintId, ip: actor.ip });
    return message;
  });
}

export async function assignComplaint(db: Db, actor: Actor, complaintId: string, userId: string | null): Promise<void> {
  await inTx(db, async (trx) => {
    await access(trx, actor, complaintId, { forUpdate: true });
    if (userId) {
      const member = await trx.selectFrom('memberships').select('role').where('user_id', '=', userId).where('institution_id', '=', actor.institutionId).where('role', 'in', rolesWith('complaints.handle')).executeTakeFirst();
      if (!member) throw new AppError('user_not_in_institution');
    }
    await trx.updateTable('complaints').set({ assigned_to: userId, updated_at: new Date() }).where('id', '=', complaintId).execute();
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'assigned', detail: { to_user_id: userId } });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.assigned', recordType: 'complaint', recordId: complaintId, ip: actor.ip, detail: { to_user_id: userId } });
  });
}

/**
 * Institutions with at least one enabled complaint handler: the only ones a complaint may go to.
 * `withKeys`: only those whose handler holds a key pair, so the complaint key can be sealed to the unit.
 */
const hasComplaintHandler = (eb: ExpressionBuilder<Database, 'institutions'>, withKeys = false) => {
  let handlers = eb
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('memberships.user_id')
    .whereRef('memberships.institution_id', '=', 'institutions.id')
    .where('memberships.role', 'in', rolesWith('complaints.handle'))
    .where('users.disabled_at', 'is', null);
  if (withKeys) handlers = handlers.where((inner) => inner.exists(inner.selectFrom('user_keys').select('user_keys.user_id').whereRef('user_keys.user_id', '=', 'memberships.user_id')));
  return eb.exists(handlers);
};

/** Sends the complaint to another unit; it leaves this unit's inbox. The complainant is not told who. */

export async function forwardComplaint(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, input: { institution_id: string; note?: string | undefined }): Promise<void> {
  await inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId, { forUpdate: true });
    if (input.institution_id === actor.institutionId) throw new AppError('complaint_forward_to_self');
    const target = await trx.selectFrom('institutions').select('id').where('id', '=', input.institution_id).where((eb) => hasComplaintHandler(eb)).executeTakeFirst();
    // A unit without a complaint handler could never open it: the complaint would be stranded.
    if (!target) throw new AppError('complaint_unit_not_found');
    // The note first, under the complaint's key, which is then sealed to the receiving unit only.
    if (input.note) await insertNote(trx, await handlerCipher(trx, cipher, actor, c), actor, complaintId, input.note);
    const keys = await resealForUnit(trx, cipher, actor, c, input.institution_id);
    await trx.updateTable('complaints').set({ institution_id: input.institution_id, assigned_to: null, updated_at: new Date(), ...keys }).where('id', '=', complaintId).execute();
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'forwarded', detail: { from_institution_id: actor.institutionId, to_institution_id: input.institution_id } });
    for (const chain of [actor.institutionId, input.institution_id]) {
      await appendAudit(trx, { institutionId: chain, actorUserId: actor.userId, action: 'complaint.forwarded', recordType: 'complaint', recordId: complaintId, ip: actor.ip, detail: { from_institution_id: actor.institutionId, to_institution_id: input.institution_id } });
    }
  });
}

/**
 * The units a handler may forward a complaint to: other institutions with at least one enabled
 * complaint handler holding a key pair. A unit without one could not open the complaint (only the
 * receiving unit's handlers can decrypt it), so it is not offered. Names and codes only.
 */
export async function listForwardTargets(db: Db, actor: Actor): Promise<Array<{ id: string; code: string; name: string }>> {
  requireCapability(actor, 'complaints.handle');
  return db
    .selectFrom('institutions')
    .select(['institutions.id', 'institutions.code', 'institutions.name'])
    .where('institutions.type', '<>', 'platform')
    .where('institutions.id', '<>', actor.institutionId)
    .where((eb) => hasComplaintHandler(eb, true))
    .orderBy('institutions.name')
    .execute();
}

export async function setLegalHold(db: Db, actor: Actor, complaintId: string, input: { hold: boolean; reason?: string | undefined }): Promise<void> {
  await inTx(db, async (trx) => {
    await access(trx, actor, complaintId, { forUpdate: true });
    await trx.updateTable('complaints').set({ legal_hold: input.hold, legal_hold_reason: input.hold ? (input.reason ?? null) : null, updated_at: new Date() }).where('id', '=', complaintId).execute();
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: input.hold ? 'legal_hold_set' : 'legal_hold_released' });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: input.hold ? 'complaint.legal_hold_set' : 'complaint.legal_hold_released', recordType: 'complaint', recordId: complaintId, ip: actor.ip });
  });
}

export async function readComplaintAttachment(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, attachmentId: string) {
  return inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId);
    const contents = await handlerCipher(trx, cipher, actor, c);
    const row = await trx.selectFrom('complaint_attachments').select(['filename_enc', 'media_type', 'content_enc', 'sha256']).where('id', '=', attachmentId).where('complaint_id', '=', complaintId).executeTakeFirst();
    if (!row) throw notFound();
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'attachment_viewed', detail: { attachment_id: attachmentId, sha256: row.sha256 } });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.attachment_downloaded', recordType: 'complaint', recordId: complaintId, ip: actor.ip, detail: { attachment_id: attachmentId } });
    return { filename: contents.decryptText(row.filename_enc), mediaType: row.media_type, bytes: contents.decryptBytes(row.content_enc), sha256: row.sha256 };
  });
}

/** A signed package for consultation or reproduction; recorded in the custody chain as an export. */
export async function exportComplaint(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, options: { include_contact: boolean; include_notes: boolean }) {
  return inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId, { forUpdate: true });
    const built = await buildPackage(db, trx, cipher, await handlerCipher(trx, cipher, actor, c), complaintId, { ...options, purpose: 'export' }, actor);
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'exported', detail: { package_sha256: built.sha256, files: built.fileCount, include_contact: options.include_contact, include_notes: options.include_notes } });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.exported', recordType: 'complaint', recordId: complaintId, ip: actor.ip, detail: { package_sha256: built.sha256 } });
    return { ...built, folio: c.folio };
  });
}

/**
 * Transmission to the investigating authority: the signed package is built, kept (encrypted) as
 * sent, and the complaint becomes `transmitted`, all in one transaction.
 */
export async function transmitComplaint(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, input: TransmitInput) {
  return inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId, { forUpdate: true });
    checkTransition(c.status, 'transmitted');
    const transmission = { to_authority: input.to_authority, means: input.means, reference: input.reference ?? null };
    const contents = await handlerCipher(trx, cipher, actor, c);
    const built = await buildPackage(db, trx, cipher, contents, complaintId, { include_contact: input.include_contact, include_notes: input.include_notes, purpose: 'transmission', transmission }, actor);
    const row = await trx
      .insertInto('complaint_transmissions')
      .values({ complaint_id: complaintId, institution_id: actor.institutionId, ...transmission, sent_at: new Date(), sent_by: actor.userId, package_sha256: built.sha256, manifest: JSON.stringify(built.manifest), package_enc: contents.encryptBytes(built.zip) })
      .returning(['id', 'sent_at'])
      .executeTakeFirstOrThrow();
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'transmitted', detail: { transmission_id: row.id, to_authority: input.to_authority, means: input.means, package_sha256: built.sha256, files: built.fileCount, include_contact: input.include_contact } });
    await setStatus(trx, actor, c, 'transmitted', { cause: 'transmission_recorded' });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.transmitted', recordType: 'complaint', recordId: complaintId, ip: actor.ip, detail: { transmission_id: row.id, package_sha256: built.sha256 } });
    return { id: row.id, sent_at: row.sent_at, package_sha256: built.sha256, folio: c.folio };
  });
}

export async function readTransmissionPackage(db: Db, cipher: FieldCipher, actor: Actor, complaintId: string, transmissionId: string) {
  return inTx(db, async (trx) => {
    const c = await access(trx, actor, complaintId);
    const contents = await handlerCipher(trx, cipher, actor, c);
    const row = await trx.selectFrom('complaint_transmissions').select(['package_enc', 'package_sha256']).where('id', '=', transmissionId).where('complaint_id', '=', complaintId).executeTakeFirst();
    if (!row) throw notFound();
    await appendCustody(trx, complaintId, { actorKind: 'handler', actorUserId: actor.userId, action: 'package_reproduced', detail: { transmission_id: transmissionId, package_sha256: row.package_sha256 } });
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'complaint.package_downloaded', recordType: 'complaint', recordId: complaintId, ip: actor.ip, detail: { transmission_id: transmissionId } });
    return { zip: contents.decryptBytes(row.package_enc), sha256: row.package_sha256, folio: c.folio };
  });
}

/** For the search box: the complaint of the handler's unit with this folio (nothing for anyone else). Not audited here. */
export async function findComplaintsByFolio(db: Db, actor: Actor, folios: string[]): Promise<{ id: string; folio: string; kind: string; status: string; received_at: Date }[]> {
  if (!can(actor, 'complaints.handle') || !folios.length) return [];
  return db
    .selectFrom('complaints')
    .select(['id', 'folio', 'kind', 'status', 'received_at'])
    .where('institution_id', '=', actor.institutionId)
    .where(sql<boolean>`folio = any(${folios.map((f) => f.toUpperCase())}::text[])`)
    .execute();
}
