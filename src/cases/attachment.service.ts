import { createHash } from 'node:crypto';
import { inTransaction, type Db, type Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, badRequest, notFound } from '../platform/errors.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { caseAccess, recordEvent } from './case.service.ts';

/** Accepted types, each with a check of the content itself: a declared type alone proves nothing. */
export const attachmentTypes: Record<string, (bytes: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'text/plain': (b) => !b.includes(0) && isUtf8(b),
};

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function checkAttachment(mediaType: string, bytes: Buffer, maxBytes: number) {
  const check = attachmentTypes[mediaType];
  if (!check) throw new AppError('attachment_type_not_allowed');
  if (bytes.length === 0) throw new AppError('validation_failed');
  if (bytes.length > maxBytes) throw new AppError('payload_too_large');
  if (!check(bytes)) throw new AppError('attachment_content_mismatch');
}

/** `input.id`: chosen by a device that attached the file offline (src/offline), else by the database. */
export async function addAttachment(db: Db | Tx, cipher: FieldCipher, actor: Actor, caseId: string, input: { filename: string; mediaType: string; bytes: Buffer; maxBytes: number; id?: string }) {
  checkAttachment(input.mediaType, input.bytes, input.maxBytes);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  return inTransaction(db, async (trx) => {
    const access = await caseAccess(trx, actor, caseId);
    if (!access.canEdit) throw notFound();
    const row = await trx
      .insertInto('attachments')
      .values({
        ...(input.id ? { id: input.id } : {}),
        institution_id: access.row.institution_id,
        case_id: caseId,
        filename_enc: cipher.encryptText(input.filename),
        media_type: input.mediaType,
        size_bytes: input.bytes.length,
        sha256,
        content_enc: cipher.encryptBytes(input.bytes),
        uploaded_by: actor.userId,
      })
      .returning(['id', 'size_bytes', 'sha256', 'media_type', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordEvent(trx, actor, access.row, 'attachment.added', { attachment_id: row.id, sha256, size_bytes: row.size_bytes });
    await appendAudit(trx, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'case.attachment_added', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { attachment_id: row.id, sha256 } });
    return { ...row, filename: input.filename };
  });
}

export async function readAttachment(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, attachmentId: string) {
  const access = await caseAccess(db, actor, caseId);
  if (!access.sections.includes('attachments')) throw notFound();
  const row = await db.selectFrom('attachments').select(['filename_enc', 'media_type', 'content_enc', 'sha256']).where('id', '=', attachmentId).where('case_id', '=', caseId).executeTakeFirst();
  if (!row) throw notFound();
  const read = new FieldReader(cipher, 'attachment');
  const bytes = read.bytes(row.content_enc, 'content');
  if (!bytes) throw new AppError('field_unreadable');
  await appendAudit(db, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'case.attachment_downloaded', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { attachment_id: attachmentId, by_institution: actor.institutionId } });
  return { filename: read.text(row.filename_enc, 'filename') ?? `${attachmentId}.bin`, mediaType: row.media_type, bytes, sha256: row.sha256 };
}
