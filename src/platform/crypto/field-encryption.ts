import fs from 'node:fs';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { secretboxOpen, secretboxSeal } from './content-key.ts';

/**
 * Encryption at rest for the most sensitive fields, with libsodium's secretbox (XSalsa20-Poly1305).
 * Keys live outside the database (a key file or AMPARO_KEYS); each ciphertext names the key it was
 * made with, so that old keys keep decrypting while `amparo keys rotate` re-encrypts under the new one.
 */
export type KeyRingFile = {
  current: string;
  keys: Record<string, string>;
  /** Key for blind indexes (exact-match lookups on encrypted values); never rotated, as indexes depend on it. */
  index: string;
};

export class FieldCipher {
  private constructor(
    private readonly ring: KeyRingFile,
    private readonly keys: Map<string, Uint8Array>,
  ) {}

  static async fromRing(ring: KeyRingFile): Promise<FieldCipher> {
    await sodium.ready;
    const keys = new Map<string, Uint8Array>();
    for (const [id, b64] of Object.entries(ring.keys)) {
      if (!/^[a-z0-9]{1,16}$/.test(id)) throw new Error(`Key id "${id}" must be 1-16 lowercase letters or digits.`);
      const key = Buffer.from(b64, 'base64');
      if (key.length !== sodium.crypto_secretbox_KEYBYTES) throw new Error(`Key "${id}" must be ${sodium.crypto_secretbox_KEYBYTES} bytes, base64.`);
      keys.set(id, new Uint8Array(key));
    }
    if (!keys.has(ring.current)) throw new Error(`The current key "${ring.current}" is not in the key ring.`);
    if (Buffer.from(ring.index ?? '', 'base64').length < 32) throw new Error('The key ring needs an "index" key of 32 bytes.');
    return new FieldCipher(ring, keys);
  }

  get currentKeyId(): string {
    return this.ring.current;
  }

  encryptText(plain: string): string {
    return `${this.ring.current}:${Buffer.from(this.seal(new TextEncoder().encode(plain))).toString('base64')}`;
  }

  decryptText(stored: string): string {
    const separator = stored.indexOf(':');
    if (separator < 1) throw new Error('Malformed ciphertext');
    const opened = this.open(stored.slice(0, separator), Buffer.from(stored.slice(separator + 1), 'base64'));
    return new TextDecoder().decode(opened);
  }

  encryptJson(value: unknown): string {
    return this.encryptText(JSON.stringify(value));
  }

  decryptJson<T>(stored: string): T {
    return JSON.parse(this.decryptText(stored)) as T;
  }

  /** Binary layout: key id length (1 byte), key id, nonce, box. */
  encryptBytes(plain: Uint8Array): Buffer {
    const id = Buffer.from(this.ring.current, 'ascii');
    return Buffer.concat([Buffer.from([id.length]), id, this.seal(plain)]);
  }

  decryptBytes(stored: Buffer): Buffer {
    const idLength = stored[0] ?? 0;
    const id = stored.subarray(1, 1 + idLength).toString('ascii');
    return Buffer.from(this.open(id, stored.subarray(1 + idLength)));
  }

  keyIdOf(stored: string | Buffer): string {
    if (typeof stored === 'string') return stored.slice(0, stored.indexOf(':'));
    return stored.subarray(1, 1 + (stored[0] ?? 0)).toString('ascii');
  }

  /** Deterministic keyed hash, for finding equal values (document numbers) without decrypting. */
  blindIndex(value: string): string {
    return createHmac('sha256', Buffer.from(this.ring.index, 'base64')).update(value).digest('base64url').slice(0, 32);
  }

  /**
   * A key for another purpose (the audit seal), derived from the index key: never rotated, so what
   * was sealed under it stays verifiable after `keys rotate`, and never stored in the database.
   */
  derivedKey(purpose: string): Buffer {
    return createHmac('sha256', Buffer.from(this.ring.index, 'base64')).update(`amparo derived key\n${purpose}`).digest();
  }

  private seal(plain: Uint8Array): Uint8Array {
    return secretboxSeal(plain, this.keys.get(this.ring.current)!);
  }

  private open(keyId: string, data: Uint8Array): Uint8Array {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Ciphertext made with key "${keyId}", which is not in the key ring.`);
    return secretboxOpen(data, key);
  }
}

export async function newKeyRing(): Promise<KeyRingFile> {
  await sodium.ready;
  return {
    current: 'k1',
    keys: { k1: Buffer.from(sodium.crypto_secretbox_keygen()).toString('base64') },
    index: Buffer.from(sodium.randombytes_buf(32)).toString('base64'),
  };
}

export async function addKeyToRing(ring: KeyRingFile): Promise<KeyRingFile> {
  await sodium.ready;
  let n = Object.keys(ring.keys).length + 1;
  while (ring.keys[`k${n}`]) n++;
  const id = `k${n}`;
  return { ...ring, current: id, keys: { ...ring.keys, [id]: Buffer.from(sodium.crypto_secretbox_keygen()).toString('base64') } };
}

/**
 * AMPARO_KEYS (JSON) wins; otherwise the key file, created with mode 600 on first start. Creating
 * one is allowed only when `createIfMissing` says so: the caller first checks that the database holds
 * nothing encrypted (src/platform/crypto/custody.ts), since a new ring cannot read old data.
 */
export async function loadKeyRing(options: { keysJson: string | undefined; keyFile: string; createIfMissing: boolean | (() => Promise<void>) }): Promise<KeyRingFile> {
  if (options.keysJson) return JSON.parse(options.keysJson) as KeyRingFile;
  if (!fs.existsSync(options.keyFile)) {
    if (!options.createIfMissing) throw new Error(`No encryption keys: set AMPARO_KEYS or create ${options.keyFile} (run Amparo once).`);
    if (typeof options.createIfMissing === 'function') await options.createIfMissing();
    fs.mkdirSync(path.dirname(options.keyFile), { recursive: true });
    fs.writeFileSync(options.keyFile, JSON.stringify(await newKeyRing(), null, 2) + '\n', { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(options.keyFile, 'utf8')) as KeyRingFile;
}
