import sodium from 'libsodium-wrappers';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { RecordCipher, secretboxOpen, secretboxSeal, type ContentCipher } from '../platform/crypto/content-key.ts';
import type { KeyPair } from '../platform/crypto/user-keys.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import { rolesWith, type Actor } from '../platform/auth/policy.ts';

/**
 * Who can decrypt a complaint, by cryptography and not only by authorisation (decision 0006):
 *
 *   complaint key (random, per complaint) ── encrypts narrative, details, contact, messages, notes,
 *   │                                         file names and contents, stored packages
 *   ├─ sealed to the receiving unit's X25519 public key   (complaints.key_for_unit)
 *   │     unit secret key ── sealed to each handler's public key (complaint_unit_key_grants)
 *   │        handler secret key ── wrapped by the password; per session by the session token
 *   └─ wrapped with a key derived from the receipt        (complaints.key_for_complainant)
 *
 * Receiving a complaint needs only the unit's public key. Reading it needs a handler's session. The
 * server's key ring alone opens nothing here, except a complaint whose unit had no key pair yet when
 * it arrived (key_for_server): that one is sealed to the unit as soon as the unit has a key pair,
 * and its server copy dropped.
 */

const unitKeyCache = new WeakMap<Actor, Map<string, KeyPair>>();

/** Handlers of the unit who hold a key pair: the only people a unit key can be sealed to. */
function keyHoldingHandlers(db: Db | Tx, institutionId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('user_keys', 'user_keys.user_id', 'memberships.user_id')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.user_id', 'user_keys.public_key'])
    .where('memberships.institution_id', '=', institutionId)
    .where('memberships.role', 'in', rolesWith('complaints.handle'))
    .where('users.disabled_at', 'is', null);
}

/**
 * The unit's public key, making the unit's key pair on first need when one of its handlers holds a
 * key pair; null when none does (complaints then wait under the server's key: see sealPending).
 * The new secret key is sealed to every such handler and then forgotten. A transaction, so that a
 * unit key is never written without its grants (that unit's complaints would be unreadable).
 */
export async function unitPublicKey(db: Tx, institutionId: string): Promise<Uint8Array | null> {
  const existing = await db.selectFrom('complaint_unit_keys').select('public_key').where('institution_id', '=', institutionId).executeTakeFirst();
  if (existing) return new Uint8Array(existing.public_key);
  const holders = await keyHoldingHandlers(db, institutionId).execute();
  if (!holders.length) return null;
  await sodium.ready;
  const pair = sodium.crypto_box_keypair();
  // Two first complaints at once: one insert wins, the other reads the winner's key.
  const inserted = await db.insertInto('complaint_unit_keys').values({ institution_id: institutionId, public_key: Buffer.from(pair.publicKey) }).onConflict((oc) => oc.doNothing()).returning('institution_id').executeTakeFirst();
  if (!inserted) return unitPublicKey(db, institutionId);
  await db
    .insertInto('complaint_unit_key_grants')
    .values(holders.map((h) => ({ institution_id: institutionId, user_id: h.user_id, sealed_secret_key: Buffer.from(sodium.crypto_box_seal(pair.privateKey, new Uint8Array(h.public_key))), granted_by: null })))
    .execute();
  sodium.memzero(pair.privateKey);
  await appendAudit(db, { institutionId, actorUserId: null, action: 'complaint_unit_key.created', recordType: 'institution', recordId: institutionId, ip: null, detail: { granted_to: holders.map((h) => h.user_id) } });
  return pair.publicKey;
}

/** The unit's key pair opened with the actor's own; null when the actor has no grant for it (yet). */
async function unitKeyPair(db: Db | Tx, actor: Actor, institutionId: string): Promise<KeyPair | null> {
  const cached = unitKeyCache.get(actor)?.get(institutionId);
  if (cached) return cached;
  if (!actor.keys) return null;
  const row = await db
    .selectFrom('complaint_unit_key_grants')
    .innerJoin('complaint_unit_keys', 'complaint_unit_keys.institution_id', 'complaint_unit_key_grants.institution_id')
    .select(['complaint_unit_key_grants.sealed_secret_key', 'complaint_unit_keys.public_key'])
    .where('complaint_unit_key_grants.institution_id', '=', institutionId)
    .where('complaint_unit_key_grants.user_id', '=', actor.userId)
    .executeTakeFirst();
  if (!row) return null;
  await sodium.ready;
  let secretKey: Uint8Array;
  try {
    secretKey = sodium.crypto_box_seal_open(new Uint8Array(row.sealed_secret_key), actor.keys.publicKey, actor.keys.secretKey);
  } catch {
    return null; // sealed to an older key pair of this user
  }
  const pair = { publicKey: new Uint8Array(row.public_key), secretKey };
  if (!unitKeyCache.has(actor)) unitKeyCache.set(actor, new Map());
  unitKeyCache.get(actor)!.set(institutionId, pair);
  return pair;
}

/**
 * `pending`: a colleague must seal the unit key to this handler; `sign_in_again`: this session holds no
 * key pair (it began before the user became a complaint handler), so no colleague can help until the
 * user signs in again and gets one.
 */
export type KeyAccess = 'granted' | 'pending' | 'sign_in_again';

/**
 * Run when a handler opens the inbox: makes the unit's key pair if it has none, and, when this
 * handler can open it, seals it to colleagues still waiting (new handlers, a reset password) and
 * seals the complaints that arrived before the unit had a key pair. Returns whether this handler
 * can decrypt the unit's complaints.
 */
export async function maintainUnitKeys(db: Db, cipher: FieldCipher, actor: Actor): Promise<KeyAccess> {
  const institutionId = actor.institutionId;
  return db.transaction().execute(async (trx) => {
    await unitPublicKey(trx, institutionId);
    if (!actor.keys) return 'sign_in_again';
    const unit = await unitKeyPair(trx, actor, institutionId);
    if (!unit) return 'pending';
    const waiting = await keyHoldingHandlers(trx, institutionId)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('complaint_unit_key_grants as g').select('g.user_id').whereRef('g.user_id', '=', 'memberships.user_id').where('g.institution_id', '=', institutionId))),
      )
      .execute();
    if (waiting.length) {
      await trx
        .insertInto('complaint_unit_key_grants')
        .values(waiting.map((h) => ({ institution_id: institutionId, user_id: h.user_id, sealed_secret_key: Buffer.from(sodium.crypto_box_seal(unit.secretKey, new Uint8Array(h.public_key))), granted_by: actor.userId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
      await appendAudit(trx, { institutionId, actorUserId: actor.userId, action: 'complaint_unit_key.granted', recordType: 'institution', recordId: institutionId, ip: actor.ip, detail: { granted_to: waiting.map((h) => h.user_id) } });
    }
    await sealPending(trx, cipher, institutionId, unit.publicKey);
    return 'granted';
  });
}

/** Complaints kept under the server's key while their unit had no key pair: sealed to it now, server copy dropped. */
export async function sealPending(trx: Tx, cipher: FieldCipher, institutionId: string, unitKey: Uint8Array): Promise<number> {
  const rows = await trx.selectFrom('complaints').select(['id', 'key_for_server']).where('institution_id', '=', institutionId).where('key_for_server', 'is not', null).forUpdate().skipLocked().execute();
  for (const row of rows) {
    const key = Buffer.from(cipher.decryptText(row.key_for_server!), 'base64');
    await trx.updateTable('complaints').set({ key_for_unit: Buffer.from(sodium.crypto_box_seal(key, unitKey)), key_for_unit_institution: institutionId, key_for_server: null }).where('id', '=', row.id).execute();
    sodium.memzero(key);
  }
  return rows.length;
}

type KeyColumns = { id: string; institution_id: string | null; key_version: number; key_for_unit: Buffer | null; key_for_unit_institution: string | null; key_for_server: string | null };

/** The complaint's key as its unit's handler opens it; 409 when this handler has no grant yet. */
async function complaintKey(db: Db | Tx, cipher: FieldCipher, actor: Actor, row: KeyColumns): Promise<Uint8Array> {
  if (row.key_for_unit && row.institution_id && row.key_for_unit_institution === row.institution_id) {
    if (!actor.keys) throw new AppError('complaint_keys_sign_in_again');
    const unit = await unitKeyPair(db, actor, row.institution_id);
    if (!unit) throw new AppError('complaint_keys_unavailable');
    try {
      return sodium.crypto_box_seal_open(new Uint8Array(row.key_for_unit), unit.publicKey, unit.secretKey);
    } catch {
      throw new AppError('complaint_keys_unavailable');
    }
  }
  if (row.key_for_server) return Buffer.from(cipher.decryptText(row.key_for_server), 'base64');
  throw new AppError('complaint_keys_unavailable');
}

/** What a handler decrypts this complaint's fields with (the key ring for complaints from before 0012). */
export async function handlerCipher(db: Db | Tx, cipher: FieldCipher, actor: Actor, row: KeyColumns): Promise<ContentCipher> {
  if (row.key_version === 0) return cipher;
  return new RecordCipher(await complaintKey(db, cipher, actor, row));
}

/** The complaint's key for the complainant, from the key their receipt derives; null if it does not open. */
export function complainantKey(row: { key_version: number; key_for_complainant: Buffer | null }, receiptKey: Uint8Array | null): Uint8Array | null {
  if (row.key_version === 0 || !row.key_for_complainant || !receiptKey) return null;
  try {
    return secretboxOpen(row.key_for_complainant, receiptKey);
  } catch {
    return null;
  }
}

/**
 * The cipher of the complainant's pages, from what folio + receipt (or the follow-up token) opened:
 * the complaint's own key, or the key ring for complaints from before 0012.
 */
export function complainantCipher(cipher: FieldCipher, found: { keyVersion: number; contentKey: Uint8Array | null }): ContentCipher {
  if (found.keyVersion === 0) return cipher;
  if (!found.contentKey) throw new AppError('complaint_keys_unavailable');
  return new RecordCipher(found.contentKey);
}

/** The key columns of a new complaint: sealed to its unit when the unit has a key pair, else held by the server until it has. */
export async function keyColumnsForNew(trx: Tx, cipher: FieldCipher, institutionId: string | null, key: Uint8Array, receiptKey: Uint8Array) {
  const unitKey = institutionId ? await unitPublicKey(trx, institutionId) : null;
  return {
    key_version: 1,
    key_for_unit: unitKey ? Buffer.from(sodium.crypto_box_seal(key, unitKey)) : null,
    key_for_unit_institution: unitKey ? institutionId : null,
    key_for_complainant: secretboxSeal(key, receiptKey),
    key_for_server: unitKey ? null : cipher.encryptText(Buffer.from(key).toString('base64')),
  };
}

/** Forwarding: the complaint's key sealed to the receiving unit instead; refused when that unit has no key pair. */
export async function resealForUnit(trx: Tx, cipher: FieldCipher, actor: Actor, row: KeyColumns, targetInstitutionId: string) {
  if (row.key_version === 0) return {};
  const key = await complaintKey(trx, cipher, actor, row);
  const target = await unitPublicKey(trx, targetInstitutionId);
  if (!target) throw new AppError('complaint_unit_without_keys');
  const columns = { key_for_unit: Buffer.from(sodium.crypto_box_seal(key, target)), key_for_unit_institution: targetInstitutionId, key_for_server: null };
  sodium.memzero(key);
  return columns;
}
