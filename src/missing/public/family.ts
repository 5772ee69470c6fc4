import { localDate } from '../../platform/dates.ts';
import type { Db } from '../../platform/db/database.ts';
import type { FieldCipher } from '../../platform/crypto/field-encryption.ts';
import { AnonymousLimiter, BusyError, Semaphore, publicLimits } from '../../platform/limits/anonymous.ts';
import { clearFailures, recordFailure, secondsToWait, type ThrottleRule } from '../../platform/limits/throttle.ts';
import { normaliseFolio, normaliseReceipt } from '../../platform/receipts.ts';
import { familyStatus } from '../missing.service.ts';
import { fullName } from '../../platform/names.ts';

/**
 * How a family without an account reaches its search, shared by the JSON API
 * (/api/v1/missing/public/*) and the HTML pages (/familias/busqueda/*): one limiter and one argon2
 * queue per server, so alternating between the two gives no extra attempts. The limits are those of
 * the complaint follow-up: per source in memory, keyed by a rotating HMAC of the address
 * (src/platform/limits/anonymous.ts), nothing about the connection stored or logged; per folio,
 * growing delays in PostgreSQL (src/platform/limits/throttle.ts).
 */
export type FamilyRuntime = { limiter: AnonymousLimiter; hashing: Semaphore };

const HOUR = 60 * 60 * 1000;
const runtimes = new WeakMap<FieldCipher, FamilyRuntime>();

export function familyRuntime(cipher: FieldCipher): FamilyRuntime {
  let runtime = runtimes.get(cipher);
  if (!runtime) {
    runtime = { limiter: new AnonymousLimiter(), hashing: new Semaphore() };
    runtimes.set(cipher, runtime);
  }
  return runtime;
}

export type FamilyReport = NonNullable<Awaited<ReturnType<typeof familyStatus>>>;
export type FamilyLookup = { ok: true; report: FamilyReport } | { ok: false; reason: 'throttled' | 'refused' | 'busy' } | { ok: false; reason: 'folio_delay'; seconds: number };

/**
 * Folio and access code → the family's view of the search. A wrong code and an unknown folio are the
 * same refusal after the same work; failures count per folio and per source, attempts per source.
 */
export async function lookupFamily(db: Db, cipher: FieldCipher, folioRule: ThrottleRule, ip: string, folioInput: string, receiptInput: string): Promise<FamilyLookup> {
  const { limiter, hashing } = familyRuntime(cipher);
  const folio = normaliseFolio(folioInput, 'B');
  const folioKey = folio ?? folioInput.trim().toUpperCase();
  if (!limiter.take('follow', ip, publicLimits.followUpsPerSource, 10 * 60 * 1000)) return { ok: false, reason: 'throttled' };
  if (!limiter.allowed('fail-source', ip, publicLimits.failuresPerSource)) return { ok: false, reason: 'throttled' };
  const wait = await secondsToWait(db, folioRule, folioKey);
  if (wait > 0) return { ok: false, reason: 'folio_delay', seconds: wait };
  let found;
  try {
    found = await hashing.run(() => familyStatus(db, cipher, folio, normaliseReceipt(receiptInput)));
  } catch (error) {
    if (error instanceof BusyError) return { ok: false, reason: 'busy' };
    throw error;
  }
  if (!found) {
    await recordFailure(db, folioRule, folioKey);
    limiter.take('fail-source', ip, publicLimits.failuresPerSource, HOUR);
    return { ok: false, reason: 'refused' };
  }
  await clearFailures(db, folioRule, folioKey);
  return { ok: true, report: found };
}

/** Counts one public filing from this source; false when the source reached the hourly limit. */
export function takePublicSubmission(cipher: FieldCipher, ip: string): boolean {
  return familyRuntime(cipher).limiter.take('submit', ip, publicLimits.submissionsPerSource, HOUR);
}

/** Gives back a filing that failed because the database was down. */
export function refundPublicSubmission(cipher: FieldCipher, ip: string): void {
  familyRuntime(cipher).limiter.refund('submit', ip);
}

/**
 * The family's view again after they wrote (their session token stands for the code they gave a
 * moment ago). The same shape and the same rule as `familyStatus`: a death is announced as "news".
 */
export async function familyViewOf(db: Db, cipher: FieldCipher, report: { id: string }): Promise<Omit<FamilyReport, 'id' | 'institution_id'>> {
  const row = await db.selectFrom('missing_reports').select(['folio', 'status', 'created_at']).where('id', '=', report.id).executeTakeFirstOrThrow();
  const messages = await db.selectFrom('missing_messages').select(['author', 'body_enc', 'created_at']).where('report_id', '=', report.id).orderBy('created_at').execute();
  return {
    folio: row.folio,
    status: row.status === 'located_deceased' ? 'news' : row.status,
    reported_on: localDate(row.created_at),
    messages: messages.map((m) => ({ author: m.author, body: cipher.decryptJson<string>(m.body_enc), at: m.created_at })),
  };
}

/** The institution that receives reports filed on the public page, or null when none does. */
export async function publicReceiver(db: Db): Promise<{ id: string; name: string } | null> {
  const row = await db
    .selectFrom('missing_settings')
    .innerJoin('institutions', 'institutions.id', 'missing_settings.public_institution_id')
    .select(['institutions.id', 'institutions.name'])
    .executeTakeFirst();
  return row ?? null;
}

/** What the family's printable receipt names: the person searched for, when, and who received it. */
export async function receiptDetails(db: Db, report: { id: string }): Promise<{ folio: string; name: string; reportedAt: Date; receivedBy: string }> {
  const row = await db
    .selectFrom('missing_reports')
    .innerJoin('institutions', 'institutions.id', 'missing_reports.institution_id')
    .select(['missing_reports.folio', 'missing_reports.given_names', 'missing_reports.surname1', 'missing_reports.surname2', 'missing_reports.created_at', 'institutions.name as institution'])
    .where('missing_reports.id', '=', report.id)
    .executeTakeFirstOrThrow();
  return { folio: row.folio, name: fullName(row), reportedAt: row.created_at, receivedBy: row.institution };
}
