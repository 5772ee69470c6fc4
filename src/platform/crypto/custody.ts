import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { KeyRingFile } from './field-encryption.ts';

/**
 * Key custody: the database keeps a fingerprint of every key it was written with, so that a start
 * with the wrong key file, or none, stops with a clear message instead of writing new data under a
 * new key and answering errors for the old (issue 14). A fingerprint is an HMAC of a fixed label
 * under the key: it names the key without revealing it.
 */
export class KeyCustodyError extends Error {}

export function keyFingerprint(keyBase64: string): string {
  return createHmac('sha256', Buffer.from(keyBase64, 'base64')).update('amparo key fingerprint v1').digest('hex').slice(0, 32);
}

export function ringFingerprints(ring: KeyRingFile): Record<string, string> {
  const result: Record<string, string> = { index: keyFingerprint(ring.index) };
  for (const [id, key] of Object.entries(ring.keys)) result[id] = keyFingerprint(key);
  return result;
}

/** Tables whose rows hold data encrypted under the key ring: any row means the ring is needed. */
const ENCRYPTED_KINDS = ['people', 'cases', 'case_notes', 'attachments', 'complaints', 'missing_reports', 'found_records'] as const;

/** Refuses to let a new key ring be created over a database that has data or recorded fingerprints. */
export async function assertNothingEncrypted(db: Db, keyFile: string): Promise<void> {
  const recorded = await db.selectFrom('key_ring_fingerprints').select('key_id').limit(1).execute();
  const data = await sql<{ any: boolean }>`select ${sql.join(ENCRYPTED_KINDS.map((table) => sql`exists (select 1 from ${sql.table(table)})`), sql` or `)} as any`.execute(db);
  const totp = await db.selectFrom('users').select('id').where('totp_secret_enc', 'is not', null).limit(1).execute();
  if (recorded.length > 0 || data.rows[0]?.any || totp.length > 0) {
    throw new KeyCustodyError(
      `The encryption key file ${keyFile} is missing, but this database holds data encrypted with a key ring. ` +
        'Amparo will not create a new key file, which could not read that data. Restore the key file from your backup ' +
        '(or set AMPARO_KEYS / AMPARO_KEY_FILE to it) and start again.',
    );
  }
}

/**
 * Compares the ring with the fingerprints recorded in the database and records keys it has not seen
 * (the first start, or after `keys rotate`). A recorded key that the ring lacks or holds with other
 * bytes stops the start.
 */
export async function checkKeyCustody(db: Db, ring: KeyRingFile, where: string): Promise<void> {
  const mine = ringFingerprints(ring);
  const recorded = await db.selectFrom('key_ring_fingerprints').select(['key_id', 'fingerprint']).execute();
  const problems: string[] = [];
  for (const { key_id, fingerprint } of recorded) {
    if (!(key_id in mine)) problems.push(`key "${key_id}" is missing`);
    else if (mine[key_id] !== fingerprint) problems.push(`key "${key_id}" is a different key`);
  }
  if (problems.length > 0) {
    throw new KeyCustodyError(
      `The encryption keys in ${where} are not the ones this database was written with (${problems.join('; ')}; ` +
        `fingerprints recorded: ${recorded.map((r) => `${r.key_id}=${r.fingerprint.slice(0, 12)}`).join(', ')}). ` +
        'Start with the key file from the same backup as the database.',
    );
  }
  const missing = Object.entries(mine).filter(([id]) => !recorded.some((r) => r.key_id === id));
  if (missing.length > 0) {
    await db.insertInto('key_ring_fingerprints').values(missing.map(([key_id, fingerprint]) => ({ key_id, fingerprint }))).onConflict((oc) => oc.column('key_id').doNothing()).execute();
  }
}
