import sodium from 'libsodium-wrappers';

/** What code that stores a record's encrypted fields needs, whichever key protects them. */
export interface ContentCipher {
  encryptText(plain: string): string;
  decryptText(stored: string): string;
  encryptJson(value: unknown): string;
  decryptJson<T>(stored: string): T;
  encryptBytes(plain: Uint8Array): Buffer;
  decryptBytes(stored: Buffer): Buffer;
}

/**
 * The key id written in front of values encrypted with a record's own key. Upper case, so it can
 * never be a key ring id (those are lower case): `amparo keys reencrypt` leaves these values alone.
 */
export const RECORD_KEY_ID = 'C';

/**
 * Encryption with one record's own random key (secretbox, XSalsa20-Poly1305), in the same layouts as
 * FieldCipher: text "C:base64(nonce‖box)", bytes [1]["C"][nonce‖box]. The key itself is never stored
 * in clear: it is sealed to the key pairs of whoever may read the record (see src/complaints/keys.ts).
 */
export class RecordCipher implements ContentCipher {
  constructor(private readonly key: Uint8Array) {
    if (key.length !== sodium.crypto_secretbox_KEYBYTES) throw new Error('A record key has 32 bytes.');
  }

  static async generateKey(): Promise<Uint8Array> {
    await sodium.ready;
    return sodium.crypto_secretbox_keygen();
  }

  encryptText(plain: string): string {
    return `${RECORD_KEY_ID}:${Buffer.from(secretboxSeal(new TextEncoder().encode(plain), this.key)).toString('base64')}`;
  }

  decryptText(stored: string): string {
    if (!stored.startsWith(`${RECORD_KEY_ID}:`)) throw new Error('Not encrypted with a record key');
    return new TextDecoder().decode(secretboxOpen(Buffer.from(stored.slice(RECORD_KEY_ID.length + 1), 'base64'), this.key));
  }

  encryptJson(value: unknown): string {
    return this.encryptText(JSON.stringify(value));
  }

  decryptJson<T>(stored: string): T {
    return JSON.parse(this.decryptText(stored)) as T;
  }

  encryptBytes(plain: Uint8Array): Buffer {
    return Buffer.concat([Buffer.from([1]), Buffer.from(RECORD_KEY_ID, 'ascii'), secretboxSeal(plain, this.key)]);
  }

  decryptBytes(stored: Buffer): Buffer {
    if (stored[0] !== 1 || stored.subarray(1, 2).toString('ascii') !== RECORD_KEY_ID) throw new Error('Not encrypted with a record key');
    return Buffer.from(secretboxOpen(stored.subarray(2), this.key));
  }
}

/** nonce ‖ secretbox(plain): the layout of every wrapped key and value here. */
export function secretboxSeal(plain: Uint8Array, key: Uint8Array): Buffer {
  const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
  return Buffer.concat([nonce, sodium.crypto_secretbox_easy(plain, nonce, key)]);
}

/** Throws when the key is wrong or the value was altered (Poly1305). */
export function secretboxOpen(sealed: Uint8Array, key: Uint8Array): Uint8Array {
  const nonce = sealed.subarray(0, sodium.crypto_secretbox_NONCEBYTES);
  return sodium.crypto_secretbox_open_easy(sealed.subarray(sodium.crypto_secretbox_NONCEBYTES), nonce, key);
}
