import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';

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
}
