import { createHash, createPrivateKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';

/**
 * The Ed25519 key that signs transmission packages. Made on first use; the private key is stored in
 * complaint_signing_keys encrypted with the field cipher (so it is as safe as the key ring), the
 * public key is published at GET /api/v1/complaints/signing-key and travels in every package.
 */
export type SigningKey = { id: string; publicKeyPem: string; privateKey: KeyObject; fingerprint: string };

const cache = new WeakMap<Db, Promise<SigningKey>>();

const fingerprintOf = (publicKeyPem: string) => createHash('sha256').update(publicKeyPem.trim()).digest('hex');

export function signingKey(db: Db, cipher: FieldCipher): Promise<SigningKey> {
  let pending = cache.get(db);
  if (!pending) {
    pending = loadOrCreate(db, cipher);
    pending.catch(() => cache.delete(db));
    cache.set(db, pending);
  }
  return pending;
}

async function loadOrCreate(db: Db, cipher: FieldCipher): Promise<SigningKey> {
  let row = await db.selectFrom('complaint_signing_keys').selectAll().orderBy('created_at', 'asc').orderBy('id').limit(1).executeTakeFirst();
  if (!row) {
    const pair = generateKeyPairSync('ed25519');
    const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const id = `ed25519-${fingerprintOf(publicKeyPem).slice(0, 16)}`;
    await db.insertInto('complaint_signing_keys').values({ id, public_key_pem: publicKeyPem, private_key_enc: cipher.encryptText(privatePem) }).onConflict((oc) => oc.doNothing()).execute();
    row = await db.selectFrom('complaint_signing_keys').selectAll().orderBy('created_at', 'asc').orderBy('id').limit(1).executeTakeFirstOrThrow();
  }
  const privateKey = createPrivateKey(cipher.decryptText(row.private_key_enc));
  return { id: row.id, publicKeyPem: row.public_key_pem, privateKey, fingerprint: fingerprintOf(row.public_key_pem) };
}

export const signBytes = (key: SigningKey, data: Uint8Array) => sign(null, data, key.privateKey).toString('base64');
export const verifyBytes = (publicKeyPem: string, data: Uint8Array, signatureB64: string) => verify(null, data, publicKeyPem, Buffer.from(signatureB64, 'base64'));
