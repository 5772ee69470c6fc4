import { createHmac, randomBytes } from 'node:crypto';

/**
 * Limits per source (the public pages' visitors, and staff sign-in per address), without keeping anyone's address: sources are known only as an HMAC
 * of the address under a salt that lives in memory and is replaced every hour, together with every
 * counter made with it. After a rotation nobody, not even with a memory dump, can link a counter to
 * an address. Nothing here touches the database or the logs.
 */
export const publicLimits = {
  /** Files one submission or answer may carry: the form offers this many inputs and says so. */
  filesPerSubmission: 5,
  /** Submissions per source per hour: high enough for a shelter's shared connection. */
  submissionsPerSource: 30,
  /** Wrong receipts per source per hour. */
  failuresPerSource: 30,
  /** Follow-up attempts (right or wrong) per source per 10 minutes: bounds the argon2 work one source causes. */
  followUpsPerSource: 120,
  /** Argon2 computations at once, and how many may wait; beyond that the page asks to retry shortly. */
  hashConcurrency: 4,
  hashQueue: 400,
  rotateMs: 60 * 60 * 1000,
};

type Counter = { count: number; resetAt: number };

export class AnonymousLimiter {
  private salt = randomBytes(32);
  private epochEndsAt = Date.now() + publicLimits.rotateMs;
  private counters = new Map<string, Counter>();

  private rotateIfDue(now: number): void {
    if (now < this.epochEndsAt) return;
    this.salt = randomBytes(32);
    this.counters = new Map();
    this.epochEndsAt = now + publicLimits.rotateMs;
  }

  private key(bucket: string, value: string): string {
    return `${bucket}:${createHmac('sha256', this.salt).update(value).digest('base64url').slice(0, 22)}`;
  }

  /** Whether the bucket still has room, without counting. */
  allowed(bucket: string, value: string, limit: number, now = Date.now()): boolean {
    this.rotateIfDue(now);
    const entry = this.counters.get(this.key(bucket, value));
    return !entry || entry.resetAt <= now || entry.count < limit;
  }

  /** Takes back one count, for an attempt that failed through no fault of the sender (the database was down). */
  refund(bucket: string, value: string): void {
    const entry = this.counters.get(this.key(bucket, value));
    if (entry && entry.count > 0) entry.count--;
  }

  /** Counts one; false when the limit was already reached. */
  take(bucket: string, value: string, limit: number, windowMs: number, now = Date.now()): boolean {
    this.rotateIfDue(now);
    const key = this.key(bucket, value);
    const entry = this.counters.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.counters.size > 200_000) for (const [k, e] of this.counters) if (e.resetAt <= now) this.counters.delete(k);
      this.counters.set(key, { count: 1, resetAt: now + windowMs });
      return true;
    }
    if (entry.count >= limit) return false;
    entry.count++;
    return true;
  }
}

export class BusyError extends Error {}

/** A queue in front of argon2: a flood waits its turn instead of exhausting memory. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= publicLimits.hashConcurrency) {
      if (this.waiting.length >= publicLimits.hashQueue) throw new BusyError('busy');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
