import { randomBytes } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import type { ComplaintTable, Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { RecordCipher, type ContentCipher } from '../platform/crypto/content-key.ts';
import { appendAudit, PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { dateTimeInWords } from '../platform/dates.ts';
import { appendCustody, canonicalJson, sha256Hex } from './custody.ts';
import { FileRejected, prepareFiles, type PreparedFile, type RawFile } from '../platform/files/uploads.ts';
import { formatReceipt, newFolio, newReceipt, normaliseFolio, normaliseReceipt, type ReceiptHasher } from '../platform/receipts.ts';
import { routeComplaint } from './settings.service.ts';
import { complainantKey, keyColumnsForNew } from './keys.ts';
import type { ComplaintIntake, ContactInput } from './complaint.schema.ts';
import { renderTextPdf, type PdfLine } from '../platform/pdf.ts';
import { areaStrings, fill, type PublicLanguage } from '../public/i18n.ts';
import { fieldsOf } from '../platform/fields.ts';

export { FileRejected, prepareFiles, type PreparedFile, type RawFile } from '../platform/files/uploads.ts';

type Details = Partial<Record<'municipality' | 'place_description' | 'authority_name' | 'official_description' | 'badge_number' | 'vehicle_number', string>>;
type StoredContact = { contact: ContactInput; nonce: string };

/** A salted commitment to the contact details, so the intake hash can be checked without revealing them. */
export const contactCommitment = (stored: StoredContact | null) => (stored ? sha256Hex(`${stored.nonce}\n${canonicalJson(stored.contact)}`) : null);

export type IntakeDocument = Record<string, unknown>;

/**
 * What was received, as one canonical JSON document: its SHA-256 is printed on the acuse and the
 * same document travels as intake.json in every transmission package.
 */
export function intakeDocument(input: Incident & {
  folio: string;
  received_at: Date;
  channel: string;
  language: string;
  narrative: string;
  details: Details;
  contact: StoredContact | null;
  attachments: Array<{ filename: string; media_type: string; size_bytes: number; sha256: string }>;
}): IntakeDocument {
  return {
    format: 'amparo-complaint-intake/1',
    folio: input.folio,
    received_at: input.received_at.toISOString(),
    channel: input.channel,
    kind: input.kind,
    language: input.language,
    narrative: input.narrative,
    occurred_on: input.occurred_on,
    state_code: input.state_code,
    municipality_code: input.municipality_code,
    place_type: input.place_type,
    authority_type: input.authority_type,
    details: input.details,
    anonymous: input.anonymous,
    contact_commitment: contactCommitment(input.contact),
    attachments: [...input.attachments].sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0)).map((a) => ({ filename: a.filename, media_type: a.media_type, size_bytes: a.size_bytes, sha256: a.sha256 })),
  };
}

/** What happened, where and by whom, as the complaint's row holds it (in clear: statistics and routing read it). */
type Incident = Pick<Selectable<ComplaintTable>, 'kind' | 'anonymous' | 'occurred_on' | 'state_code' | 'municipality_code' | 'place_type' | 'authority_type'>;

const incidentOf = (input: ComplaintIntake): Incident => fieldsOf(input, ['kind', 'anonymous', 'occurred_on', 'state_code', 'municipality_code', 'place_type', 'authority_type']);

export type Received = {
  id: string;
  folio: string;
  receipt: string;
  receipt_formatted: string;
  received_at: Date;
  channel: 'web' | 'phone' | 'in_person';
  kind: string;
  content_sha256: string;
  attachments: Array<{ filename: string; media_type: string; size_bytes: number; sha256: string; metadata_removed: string[] | null }>;
};

function splitDetails(input: ComplaintIntake): Details {
  const details: Details = {};
  for (const key of ['municipality', 'place_description', 'authority_name', 'official_description', 'badge_number', 'vehicle_number'] as const) {
    const value = input[key];
    if (value) details[key] = value;
  }
  return details;
}

function cleanContact(input: ComplaintIntake): ContactInput | null {
  const contact: ContactInput = { ...(input.contact ?? {}) };
  if (input.anonymous) delete contact.name;
  const kept = Object.fromEntries(Object.entries(contact).filter(([, v]) => v)) as ContactInput;
  return Object.keys(kept).length ? kept : null;
}

/**
 * Receives a complaint: everything (complaint, files, custody entry, audit entry) in ONE transaction.
 * The receipt is returned only after COMMIT, so a receipt shown is a complaint kept. The receipt's
 * hash is computed before the transaction (argon2 is slow; no row lock is held meanwhile).
 * Nothing about the sender's connection is stored: `operator` is the signed-in staff member, if any.
 * Every encrypted field is under the complaint's own key (src/complaints/keys.ts), returned for the
 * complainant's follow-up token and then forgotten.
 */
export async function submitComplaint(
  db: Db,
  cipher: FieldCipher,
  hasher: ReceiptHasher,
  input: ComplaintIntake,
  options: { channel: 'web' | 'phone' | 'in_person'; language: string; files: PreparedFile[]; operator?: Actor | null },
): Promise<{ received: Received; contentKey: Uint8Array }> {
  if (options.operator) requireCapability(options.operator, 'complaints.record');
  const receipt = newReceipt();
  const { stored: receiptHash, key: receiptKey } = await hasher.derive(receipt);
  const contentKey = await RecordCipher.generateKey();
  const contents = new RecordCipher(contentKey);
  const details = splitDetails(input);
  const contact = cleanContact(input);
  const storedContact: StoredContact | null = contact ? { contact, nonce: randomBytes(16).toString('hex') } : null;
  const receivedAt = new Date();
  const operator = options.operator ?? null;

  const incident = incidentOf(input);
  const attachments = options.files.map((f) => ({ filename: f.filename, media_type: f.mediaType, size_bytes: f.bytes.length, sha256: f.sha256 }));
  for (let attempt = 0; ; attempt++) {
    const folio = newFolio(receivedAt);
    const document = intakeDocument({ ...incident, folio, received_at: receivedAt, channel: options.channel, language: options.language, narrative: input.narrative, details, contact: storedContact, attachments });
    const contentSha256 = sha256Hex(canonicalJson(document));
    try {
      const id = await db.transaction().execute(async (trx) => {
        const unit = await routeComplaint(trx, { kind: input.kind, state_code: incident.state_code, authority_type: input.authority_type });
        const keyColumns = await keyColumnsForNew(trx, cipher, unit, contentKey, receiptKey);
        return storeReceived(trx, contents, {
          row: {
            ...incident,
            ...keyColumns,
            folio,
            receipt_hash: receiptHash,
            institution_id: unit,
            channel: options.channel,
            narrative_enc: contents.encryptText(input.narrative),
            details_enc: Object.keys(details).length ? contents.encryptJson(details) : null,
            contact_enc: storedContact ? contents.encryptJson(storedContact) : null,
            content_sha256: contentSha256,
            language: options.language,
            recorded_by: operator?.userId ?? null,
            received_at: receivedAt,
          },
          files: options.files,
          operator,
        });
      });
      const received: Received = {
        id,
        folio,
        receipt,
        receipt_formatted: formatReceipt(receipt),
        received_at: receivedAt,
        channel: options.channel,
        kind: input.kind,
        content_sha256: contentSha256,
        attachments: options.files.map((f) => ({ filename: f.filename, media_type: f.mediaType, size_bytes: f.bytes.length, sha256: f.sha256, metadata_removed: f.metadataRemoved })),
      };
      return { received, contentKey };
    } catch (error) {
      // A folio collision (40 random bits) is retried with a new folio; anything else is refused.
      if ((error as { code?: string }).code === '23505' && attempt < 3) continue;
      throw error;
    }
  }
}

/**
 * The writes of a received complaint, inside the caller's transaction: its row (new, unassigned), its
 * files under its own key, the custody chain's first entry and the audit entry.
 */
async function storeReceived(
  trx: Tx,
  contents: RecordCipher,
  { row: values, files, operator }: { row: Omit<Insertable<ComplaintTable>, 'status' | 'status_changed_at'>; files: PreparedFile[]; operator: Actor | null },
): Promise<string> {
  const unit = values.institution_id ?? null;
  const row = await trx
    .insertInto('complaints')
    .values({ ...values, status: 'new', status_changed_at: values.received_at, not_admitted_reason: null, outcome: null, assigned_to: null, legal_hold_reason: null, resolved_at: null, closed_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (files.length) {
    await trx
      .insertInto('complaint_attachments')
      .values(
        files.map((f) => ({
          complaint_id: row.id,
          message_id: null,
          source: operator ? ('operator' as const) : ('complainant' as const),
          filename_enc: contents.encryptText(f.filename),
          media_type: f.mediaType,
          size_bytes: f.bytes.length,
          sha256: f.sha256,
          metadata_removed: (f.metadataRemoved?.length ?? 0) > 0,
          content_enc: contents.encryptBytes(f.bytes),
          uploaded_by: operator?.userId ?? null,
        })),
      )
      .execute();
  }
  await appendCustody(trx, row.id, {
    actorKind: operator ? 'operator' : 'complainant',
    actorUserId: operator?.userId ?? null,
    action: 'received',
    detail: { channel: values.channel, content_sha256: values.content_sha256, attachments: files.map((f) => f.sha256), routed_to: unit },
  });
  await appendAudit(trx, {
    institutionId: unit ?? PLATFORM_CHAIN,
    actorUserId: operator?.userId ?? null,
    action: 'complaint.received',
    recordType: 'complaint',
    recordId: row.id,
    ip: operator?.ip ?? null,
    detail: { channel: values.channel, attachments: files.length },
  });
  return row.id;
}

export type FoundByReceipt = { id: string; folio: string; keyVersion: number; contentKey: Uint8Array | null };

/**
 * Finds a complaint by folio and receipt, and opens its key with the receipt. Always runs exactly
 * one argon2 computation, against a decoy when the folio is malformed or unknown, so that a wrong
 * answer takes the same time and says the same thing whether or not the folio exists.
 */
export async function findByReceipt(db: Db, hasher: ReceiptHasher, folioInput: string, receiptInput: string): Promise<FoundByReceipt | null> {
  const folio = normaliseFolio(folioInput);
  const receipt = normaliseReceipt(receiptInput);
  const row = folio ? await db.selectFrom('complaints').select(['id', 'folio', 'receipt_hash', 'key_version', 'key_for_complainant']).where('folio', '=', folio).executeTakeFirst() : undefined;
  const opened = await hasher.open(row?.receipt_hash ?? (await hasher.decoyDerived()), receipt ?? '0000000000000000');
  if (!opened.ok || !row || !receipt) return null;
  return { id: row.id, folio: row.folio, keyVersion: row.key_version, contentKey: complainantKey(row, opened.key) };
}


export type ComplainantView = {
  folio: string;
  kind: string;
  channel: string;
  status: string;
  status_changed_at: Date;
  received_at: Date;
  open_question: boolean;
  messages: Array<{ direction: 'to_complainant' | 'from_complainant'; is_question: boolean; body: string; created_at: Date; files: string[] }>;
  files: Array<{ filename: string; size_bytes: number; created_at: Date }>;
};

/** What the complainant sees: status and the conversation. Never who handles it, notes or other units. */
export async function complainantView(db: Db, cipher: ContentCipher, complaintId: string): Promise<ComplainantView> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('complaints').select(['folio', 'kind', 'channel', 'status', 'status_changed_at', 'received_at']).where('id', '=', complaintId).executeTakeFirstOrThrow();
    const messages = await trx.selectFrom('complaint_messages').select(['id', 'direction', 'is_question', 'body_enc', 'created_at']).where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute();
    const files = await trx
      .selectFrom('complaint_attachments')
      .select(['message_id', 'filename_enc', 'size_bytes', 'created_at'])
      .where('complaint_id', '=', complaintId)
      .where('source', '<>', 'handler')
      .orderBy('created_at')
      .execute();
    await appendCustody(trx, complaintId, { actorKind: 'complainant', actorUserId: null, action: 'viewed_by_complainant' });
    const last = messages.at(-1);
    return {
      ...row,
      open_question: row.status === 'more_information_requested' || (last?.direction === 'to_complainant' && last.is_question),
      messages: messages.map((m) => ({
        direction: m.direction,
        is_question: m.is_question,
        body: cipher.decryptText(m.body_enc),
        created_at: m.created_at,
        files: files.filter((f) => f.message_id === m.id).map((f) => cipher.decryptText(f.filename_enc)),
      })),
      files: files.map((f) => ({ filename: cipher.decryptText(f.filename_enc), size_bytes: f.size_bytes, created_at: f.created_at })),
    };
  });
}

/**
 * The complainant answers or adds information and files. One transaction; an answer to a request
 * for information puts the complaint back under review.
 */
export async function complainantReply(db: Db, cipher: ContentCipher, complaintId: string, input: { body: string; files: PreparedFile[] }): Promise<{ message_id: string; files: PreparedFile[] }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('complaints').select(['id', 'institution_id', 'status']).where('id', '=', complaintId).forUpdate().executeTakeFirstOrThrow();
    const message = await trx
      .insertInto('complaint_messages')
      .values({ complaint_id: complaintId, direction: 'from_complainant', is_question: false, body_enc: cipher.encryptText(input.body), author_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const f of input.files) {
      await trx
        .insertInto('complaint_attachments')
        .values({ complaint_id: complaintId, message_id: message.id, source: 'complainant', filename_enc: cipher.encryptText(f.filename), media_type: f.mediaType, size_bytes: f.bytes.length, sha256: f.sha256, metadata_removed: (f.metadataRemoved?.length ?? 0) > 0, content_enc: cipher.encryptBytes(f.bytes), uploaded_by: null })
        .execute();
    }
    await appendCustody(trx, complaintId, { actorKind: 'complainant', actorUserId: null, action: 'message_from_complainant', detail: { message_id: message.id, body_sha256: sha256Hex(input.body), attachments: input.files.map((f) => f.sha256) } });
    for (const f of input.files) await appendCustody(trx, complaintId, { actorKind: 'complainant', actorUserId: null, action: 'file_added', detail: { sha256: f.sha256, media_type: f.mediaType, size_bytes: f.bytes.length, message_id: message.id } });
    if (row.status === 'more_information_requested') {
      await trx.updateTable('complaints').set({ status: 'under_review', status_changed_at: new Date(), updated_at: new Date() }).where('id', '=', complaintId).execute();
      await appendCustody(trx, complaintId, { actorKind: 'system', actorUserId: null, action: 'status_changed', detail: { from: 'more_information_requested', to: 'under_review', cause: 'complainant_answered' } });
    }
    await appendAudit(trx, { institutionId: row.institution_id ?? PLATFORM_CHAIN, actorUserId: null, action: 'complaint.complainant_message', recordType: 'complaint', recordId: complaintId, ip: null, detail: { attachments: input.files.length } });
    return { message_id: message.id, files: input.files };
  });
}


/**
 * The acuse, for the person who filed: folio, local date and time, channel, what was received, and
 * the absolute address where to follow it up; the receipt only if asked. It names the record's kind
 * ("denuncia", "queja", "petición"). No SHA-256: fingerprints are for the staff views and the signed
 * package, where someone can check them; on the person's paper they were only noise.
 */
export async function acusePdf(db: Db, cipher: ContentCipher, complaintId: string, options: { language: PublicLanguage; receipt: string | null; followUrl: string; zone?: string }): Promise<Buffer> {
  const { acuse: text, labels } = areaStrings('complaints', options.language);
  const row = await db.selectFrom('complaints').select(['folio', 'kind', 'channel', 'place_type', 'authority_type', 'received_at', 'narrative_enc', 'contact_enc']).where('id', '=', complaintId).executeTakeFirstOrThrow();
  const files = await db.selectFrom('complaint_attachments').select(['filename_enc', 'media_type', 'size_bytes', 'metadata_removed']).where('complaint_id', '=', complaintId).where('message_id', 'is', null).where('source', '<>', 'handler').execute();
  const narrativeLength = cipher.decryptText(row.narrative_enc).length;
  // The name as the complainant wrote it, in whatever script (an anonymous complaint has none).
  const name = row.contact_enc ? cipher.decryptJson<StoredContact>(row.contact_enc).contact.name : undefined;
  const lang = options.language;
  const named = (list: Record<string, string>, key: string) => list[key] ?? key;
  const kind = named(labels.kinds, row.kind).toLowerCase();
  const t = Object.fromEntries(Object.entries(text).map(([key, value]) => [key, fill(value, { kind })])) as typeof text;
  const lines: PdfLine[] = [
    { text: t.title, size: 16, bold: true },
    { text: t.intro, gapBefore: 6 },
    { text: `${t.folio}: ${row.folio}`, size: 14, bold: true, gapBefore: 10 },
    ...(name ? [{ text: `${t.name}: ${name}`, gapBefore: 4 }] : []),
    { text: `${t.date}: ${dateTimeInWords(row.received_at, lang, options.zone)}`, gapBefore: 4 },
    { text: `${t.channel}: ${named(labels.channels, row.channel)}` },
    { text: `${t.kind}: ${named(labels.kinds, row.kind)}` },
    { text: `${t.place}: ${named(labels.placeTypes, row.place_type)}` },
    { text: `${t.authority}: ${named(labels.authorityTypes, row.authority_type)}` },
    { text: `${t.received}: ${fill(t.narrative, { n: narrativeLength })}; ${files.length ? fill(t.files, { n: files.length }) : t.noFiles}`, gapBefore: 8 },
    ...files.map((f) => ({ text: `- ${cipher.decryptText(f.filename_enc)} (${f.media_type}, ${Math.ceil(f.size_bytes / 1024)} KB${f.metadata_removed ? `, ${t.stripped}` : ''})`, size: 9 })),
  ];
  if (options.receipt) {
    lines.push({ text: `${t.receipt}: ${formatReceipt(options.receipt)}`, bold: true, size: 13, gapBefore: 12 }, { text: t.receiptNote, size: 9 });
  } else {
    lines.push({ text: t.noReceipt, size: 9, gapBefore: 12 });
  }
  lines.push({ text: t.follow, size: 10, gapBefore: 10 }, { text: options.followUrl, size: 11, bold: true });
  return renderTextPdf(lines, { title: `${t.title} ${row.folio}`, createdAt: new Date() });
}

/** Kept for the operator API: the folio and receipt must match before an acuse is printed again. */
export async function recordAcuse(db: Db | Tx, complaintId: string, by: { kind: 'complainant' | 'operator'; userId: string | null }, withReceipt: boolean): Promise<void> {
  const run = async (trx: Tx) => appendCustody(trx, complaintId, { actorKind: by.kind, actorUserId: by.userId, action: 'acuse_issued', detail: { with_receipt: withReceipt } });
  if (db.isTransaction) await run(db as Tx);
  else await (db as Db).transaction().execute(run);
}
