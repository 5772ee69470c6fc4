import { createHash, createPrivateKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';

/**
 * The Ed25519 key that signs transmission packages. Made on first use; the private key is stored in
 * complaint_signing_keys encrypted with the field cipher (so it is as safe as the key ring), the
 * public key is published at GET /api/v1/complaints/signing-key and travels in every package.
 *
 * Rotation (`npm run amparo -- complaints rotate-signing-key`) adds a newer key, which signs from then
 * on; older keys stay, published at GET /api/v1/complaints/signing-keys, so that packages already sent
 * can still be verified. A running server picks up the new key within a minute.
 */
export type SigningKey = { id: string; publicKeyPem: string; privateKey: KeyObject; fingerprint: string };

const CACHE_MS = 60_000;
const cache = new WeakMap<Db, { key: Promise<SigningKey>; until: number }>();

const fingerprintOf = (publicKeyPem: string) => createHash('sha256').update(publicKeyPem.trim()).digest('hex');

/** The current (newest) signing key, made on first use. */
export function signingKey(db: Db, cipher: FieldCipher): Promise<SigningKey> {
  const cached = cache.get(db);
  if (cached && cached.until > Date.now()) return cached.key;
  const key = loadOrCreate(db, cipher);
  key.catch(() => cache.delete(db));
  cache.set(db, { key, until: Date.now() + CACHE_MS });
  return key;
}

const newest = (db: Db) => db.selectFrom('complaint_signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();

async function insertKey(db: Db, cipher: FieldCipher): Promise<string> {
  const pair = generateKeyPairSync('ed25519');
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const id = `ed25519-${fingerprintOf(publicKeyPem).slice(0, 16)}`;
  await db.insertInto('complaint_signing_keys').values({ id, public_key_pem: publicKeyPem, private_key_enc: cipher.encryptText(privatePem) }).onConflict((oc) => oc.doNothing()).execute();
  return id;
}

async function loadOrCreate(db: Db, cipher: FieldCipher): Promise<SigningKey> {
  let row = await newest(db);
  if (!row) {
    await insertKey(db, cipher);
    row = (await newest(db))!;
  }
  const privateKey = createPrivateKey(cipher.decryptText(row.private_key_enc));
  return { id: row.id, publicKeyPem: row.public_key_pem, privateKey, fingerprint: fingerprintOf(row.public_key_pem) };
}

/** Adds a new signing key, current from now on (this process at once; others within CACHE_MS). */
export async function rotateSigningKey(db: Db, cipher: FieldCipher): Promise<SigningKey> {
  await insertKey(db, cipher);
  cache.delete(db);
  return signingKey(db, cipher);
}

/** Every public key ever used, newest first: packages signed before a rotation still verify. */
export async function listSigningKeys(db: Db) {
  const rows = await db.selectFrom('complaint_signing_keys').select(['id', 'public_key_pem', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r, i) => ({ key_id: r.id, algorithm: 'Ed25519' as const, public_key_pem: r.public_key_pem, public_key_sha256: fingerprintOf(r.public_key_pem), created_at: r.created_at, current: i === 0 }));
}

export const signBytes = (key: SigningKey, data: Uint8Array) => sign(null, data, key.privateKey).toString('base64');
export const verifyBytes = (publicKeyPem: string, data: Uint8Array, signatureB64: string) => verify(null, data, publicKeyPem, Buffer.from(signatureB64, 'base64'));
