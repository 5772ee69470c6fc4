import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';

export const PLATFORM_CHAIN = '00000000-0000-0000-0000-000000000000';
export const GENESIS = '0'.repeat(64);

/** What an entry says beyond who, what and which record: plain values, never personal data. */
export type AuditDetail = Record<string, string | number | boolean | null | string[]>;

export type AuditEntry = {
  /** The chain the entry goes to: the institution whose record it is, or the platform chain. */
  institutionId: string | null;
  actorUserId: string | null;
  action: string;
  recordType: string;
  recordId?: string | null;
  ip?: string | null;
  /** Identifiers and codes only: never names, narratives or contact details. */
  detail?: AuditDetail;
};

/** Key-sorted JSON: the same value always gives the same text (audit hashes, offline writes' fingerprints). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** An entry's link in its chain (also used by the benchmarks' data generator to write valid chains in bulk). */
export function entryHash(prevHash: string, fields: Record<string, unknown>): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(fields)).digest('hex');
}

/**
 * Appends to the institution's hash chain, in the caller's transaction when given one, so the entry
 * commits or rolls back with the change it records. `amparo_audit_append` (migration 0007) takes the
 * chain's advisory lock, reads its last hash and inserts, in one statement; the canonical text hashed
 * is made here, by the same function that verification uses.
 */
export async function appendAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await sql`select ${auditAppendCall(entry)}`.execute(db);
}

/**
 * The call that appends `entry`, for embedding in a larger statement (a write and its audit entry in
 * one round trip; the statement is atomic, so both land or neither does).
 */
export function auditAppendCall(entry: AuditEntry) {
  const chain = entry.institutionId ?? PLATFORM_CHAIN;
  const fields = {
    institution_id: chain,
    at: new Date().toISOString(),
    actor_user_id: entry.actorUserId,
    action: entry.action,
    record_type: entry.recordType,
    record_id: entry.recordId ?? null,
    ip: entry.ip ?? null,
    detail: entry.detail ?? {},
  };
  return sql`amparo_audit_append(${chain}::uuid, ${fields.at}::timestamptz, ${fields.actor_user_id}::uuid, ${fields.action}, ${fields.record_type}, ${fields.record_id}, ${fields.ip}::inet, ${JSON.stringify(fields.detail)}::jsonb, ${canonical(fields)})`;
}

export type ChainReport = { institutionId: string; entries: number; ok: boolean; brokenAtId?: number; lastId?: number };

type StoredEntry = { at: Date; actor_user_id: string | null; action: string; record_type: string; record_id: string | null; ip: string | null; detail: unknown };

/** The hash an entry of `chain` must have after `prevHash`, recomputed from its stored fields. */
export function chainEntryHash(chain: string, prevHash: string, row: StoredEntry): string {
  return entryHash(prevHash, { institution_id: chain, at: row.at.toISOString(), actor_user_id: row.actor_user_id, action: row.action, record_type: row.record_type, record_id: row.record_id, ip: row.ip, detail: row.detail });
}

/** The next 5,000 entries of a chain after `lastId`, with what their hash covers: verification reads chains in these pages. */
export function chainRowsAfter(db: Db | Tx, institutionId: string, lastId: number) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_user_id', 'action', 'record_type', 'record_id', 'ip', 'detail', 'prev_hash', 'hash'])
    .where('institution_id', '=', institutionId)
    .where('id', '>', lastId)
    .orderBy('id')
    .limit(5000)
    .execute();
}

/** Recomputes every chain; a changed, removed or reordered entry shows as the first id that fails. */
export async function verifyAuditChains(db: Db, onlyInstitutionId?: string): Promise<ChainReport[]> {
  const chains = onlyInstitutionId
    ? [{ institution_id: onlyInstitutionId }]
    : await db.selectFrom('audit_log').select('institution_id').distinct().execute();
  const reports: ChainReport[] = [];
  for (const { institution_id } of chains) {
    let prev = GENESIS;
    let count = 0;
    let lastId = 0;
    let broken: number | undefined;
    while (broken === undefined) {
      const rows = await chainRowsAfter(db, institution_id, lastId);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.prev_hash !== prev || chainEntryHash(institution_id, prev, row) !== row.hash) {
          broken = row.id;
          break;
        }
        prev = row.hash;
        count++;
        lastId = row.id;
      }
    }
    reports.push({ institutionId: institution_id, entries: count, lastId, ok: broken === undefined, ...(broken !== undefined ? { brokenAtId: broken } : {}) });
  }
  return reports;
}
