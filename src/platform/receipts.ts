import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hash, hashRaw, verify } from '@node-rs/argon2';
import type { FieldCipher } from './crypto/field-encryption.ts';

/**
 * Receipts are 16 random decimal digits (53 bits), stored only as an argon2id hash with a server-side
 * secret (pepper) derived from the key ring. Parameters: 64 MiB, 3 passes, 1 lane: about 55 ms per
 * hash on one core of the reference machine. See docs/complaints.md for the brute-force estimate.
 */
export const RECEIPT_HASH_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;
export const RECEIPT_DIGITS = 16;

const FOLIO_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** Q-2026-7K3M-9PXW: the year, then 40 random bits, so folios cannot be enumerated. */
export function newFolio(now: Date = new Date(), prefix: 'Q' | 'B' | 'H' = 'Q'): string {
  const chars = Array.from({ length: 8 }, () => FOLIO_ALPHABET[randomInt(FOLIO_ALPHABET.length)]).join('');
  return `${prefix}-${now.getUTCFullYear()}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Accepts lower case, spaces, missing dashes and the letters people confuse (O for 0, I and L for 1). */
export function normaliseFolio(input: string, prefix: 'Q' | 'B' = 'Q'): string | null {
  const compact = input.toUpperCase().replace(/[\s\-_.]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/^0(?=\d{4})/, 'Q');
  const m = new RegExp(`^${prefix}(\\d{4})([0-9A-HJKMNP-TV-Z]{4})([0-9A-HJKMNP-TV-Z]{4})$`).exec(compact);
  return m ? `${prefix}-${m[1]}-${m[2]}-${m[3]}` : null;
}

export function newReceipt(): string {
  return Array.from({ length: RECEIPT_DIGITS }, () => String(randomInt(10))).join('');
}

export const formatReceipt = (receipt: string) => receipt.replace(/(\d{4})(?=\d)/g, '$1 ');

export function normaliseReceipt(input: string): string | null {
  const digits = input.replace(/[\s\-.]/g, '');
  return /^\d{16}$/.test(digits) ? digits : null;
}

export class ReceiptHasher {
  private readonly secret: Buffer;
  private decoy: Promise<string> | undefined;
  /** `purpose` separates the peppers of different receipts (complaints, missing-person reports). */
  constructor(cipher: FieldCipher, purpose = 'amparo.complaints.receipt-pepper.v1') {
    this.secret = Buffer.from(cipher.blindIndex(purpose), 'utf8');
  }
  hash(receipt: string): Promise<string> {
    return hash(receipt, { ...RECEIPT_HASH_OPTIONS, secret: this.secret });
  }
  async verify(stored: string, receipt: string): Promise<boolean> {
    try {
      return await verify(stored, receipt, { secret: this.secret });
    } catch {
      return false;
    }
  }
  /** A hash of a random receipt, verified against when the folio does not exist: same work, same time. */
  decoyHash(): Promise<string> {
    this.decoy ??= this.hash(newReceipt());
    return this.decoy;
  }

  /**
   * For complaints: ONE argon2id computation (same parameters and pepper as `hash`) gives a verifier,
   * stored, and a key, never stored, which wraps the complaint's key for the complainant. Both are
   * HMACs of the argon2 output, so the stored verifier says nothing about the key.
   * Stored as `$amparo-receipt$v1$<salt>$<verifier>` (base64).
   */
  async derive(receipt: string): Promise<{ stored: string; key: Buffer }> {
    const salt = randomBytes(16);
    const master = await this.master(receipt, salt);
    return { stored: `${DERIVED_PREFIX}${salt.toString('base64')}$${verifierOf(master).toString('base64')}`, key: keyOf(master) };
  }

  /** Checks a receipt against what `derive` (or, for older complaints, `hash`) stored; the key only for derived ones. */
  async open(stored: string, receipt: string): Promise<{ ok: boolean; key: Buffer | null }> {
    if (!stored.startsWith(DERIVED_PREFIX)) return { ok: await this.verify(stored, receipt), key: null };
    const [salt, verifier] = stored.slice(DERIVED_PREFIX.length).split('$').map((part) => Buffer.from(part, 'base64'));
    if (!salt || !verifier || verifier.length !== 32) return { ok: false, key: null };
    const master = await this.master(receipt, salt);
    const ok = timingSafeEqual(verifierOf(master), verifier);
    return { ok, key: ok ? keyOf(master) : null };
  }

  /** What `open` checks against when the folio does not exist. */
  decoyDerived(): Promise<string> {
    this.derivedDecoy ??= this.derive(newReceipt()).then((d) => d.stored);
    return this.derivedDecoy;
  }

  private derivedDecoy: Promise<string> | undefined;

  private master(receipt: string, salt: Buffer): Promise<Buffer> {
    return hashRaw(receipt, { ...RECEIPT_HASH_OPTIONS, salt, secret: this.secret, outputLen: 32 });
  }
}

const DERIVED_PREFIX = '$amparo-receipt$v1$';
const verifierOf = (master: Buffer) => createHmac('sha256', master).update('amparo.receipt.verifier.v1').digest();
const keyOf = (master: Buffer) => createHmac('sha256', master).update('amparo.receipt.complaint-key-wrap.v1').digest();
