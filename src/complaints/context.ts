import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { AnonymousLimiter, Semaphore } from '../platform/limits/anonymous.ts';
import { ReceiptHasher } from '../platform/receipts.ts';

/** What the complaint routes of one server share: the receipt hasher, the in-memory limiter and the argon2 queue. */
export type ComplaintRuntime = { hasher: ReceiptHasher; limiter: AnonymousLimiter; hashing: Semaphore };

const runtimes = new WeakMap<FieldCipher, ComplaintRuntime>();

export function complaintRuntime(cipher: FieldCipher): ComplaintRuntime {
  let runtime = runtimes.get(cipher);
  if (!runtime) {
    runtime = { hasher: new ReceiptHasher(cipher), limiter: new AnonymousLimiter(), hashing: new Semaphore() };
    runtimes.set(cipher, runtime);
  }
  return runtime;
}
