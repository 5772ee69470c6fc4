import { createHmac, randomBytes } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';
import sodium from 'libsodium-wrappers';
import type { Db, Role, Tx } from '../db/database.ts';
import { secretboxOpen, secretboxSeal } from './content-key.ts';
import { roleCan } from '../auth/policy.ts';
import type { KeyPair } from './key-pair.ts';

export type { KeyPair };

/**
 * A user's own X25519 key pair, for data sealed to people rather than to the server (complaints:
 * src/complaints/keys.ts). The secret key exists in clear only in memory: at rest it is wrapped
 * with a key derived from the password (argon2id), and for a session or API token with a key derived
 * from that token (which the database does not hold: it keeps the token's SHA-256 only).
 */

/** Whether a role's work needs a key pair (complaint handlers); other users never get one (a login costs one argon2 less). */
export const holdsUserKey = (role: Role): boolean => roleCan(role, 'complaints.handle');

// The password hash's parameters (OWASP baseline): the wrap is as hard to guess as the password hash.
const PASSWORD_KDF = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;
const PASSWORD_KDF_LABEL = 'argon2id;m=19456;t=2;p=1';

async function passwordKey(password: string, salt: Uint8Array): Promise<Uint8Array> {
  return hashRaw(password, { ...PASSWORD_KDF, salt });
}

/** A new key pair for the user, wrapped by the password. Replaces the old one and, by cascade, every grant made to it. */
export async function createUserKey(db: Db | Tx, userId: string, password: string): Promise<KeyPair> {
  await sodium.ready;
  const pair = sodium.crypto_box_keypair();
  const salt = randomBytes(16);
  const wrapped = secretboxSeal(pair.privateKey, await passwordKey(password, salt));
  await db.deleteFrom('user_keys').where('user_id', '=', userId).execute();
  await db.insertInto('user_keys').values({ user_id: userId, public_key: Buffer.from(pair.publicKey), secret_key_wrapped: wrapped, kdf_salt: salt, kdf: PASSWORD_KDF_LABEL }).execute();
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/**
 * The user's key pair opened with the password: `none` when the user has none, `lost` when the
 * password does not open it (an administrator reset the password: the old key cannot be recovered).
 */
export async function unlockUserKey(db: Db | Tx, userId: string, password: string): Promise<KeyPair | 'none' | 'lost'> {
  await sodium.ready;
  const row = await db.selectFrom('user_keys').select(['public_key', 'secret_key_wrapped', 'kdf_salt']).where('user_id', '=', userId).executeTakeFirst();
  if (!row) return 'none';
  try {
    const secretKey = secretboxOpen(row.secret_key_wrapped, await passwordKey(password, row.kdf_salt));
    return { publicKey: new Uint8Array(row.public_key), secretKey };
  } catch {
    return 'lost';
  }
}

/** The key pair wrapped anew under a new password (same pair: grants stay valid). */
export async function rewrapUserKey(db: Db | Tx, userId: string, pair: KeyPair, password: string): Promise<void> {
  const salt = randomBytes(16);
  const wrapped = secretboxSeal(pair.secretKey, await passwordKey(password, salt));
  await db.updateTable('user_keys').set({ secret_key_wrapped: wrapped, kdf_salt: salt, kdf: PASSWORD_KDF_LABEL }).where('user_id', '=', userId).execute();
}

export async function hasUserKey(db: Db | Tx, userId: string): Promise<boolean> {
  return (await db.selectFrom('user_keys').select('user_id').where('user_id', '=', userId).executeTakeFirst()) !== undefined;
}

/** HMAC of the bearer secret (session token or API token): a key the database cannot compute. */
const tokenKey = (token: string) => createHmac('sha256', token).update('amparo.user-key.token-wrap.v1').digest();

export function wrapForToken(secretKey: Uint8Array, token: string): Buffer {
  return secretboxSeal(secretKey, tokenKey(token));
}

/** Null when nothing was wrapped or the value does not open (it never should: logged by nobody, treated as no key). */
export function unwrapWithToken(wrapped: Buffer | null, token: string): KeyPair | null {
  if (!wrapped) return null;
  try {
    const secretKey = secretboxOpen(wrapped, tokenKey(token));
    return { publicKey: sodium.crypto_scalarmult_base(secretKey), secretKey };
  } catch {
    return null;
  }
}
