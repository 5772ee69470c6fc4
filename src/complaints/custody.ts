import { sha256Hex } from '../platform/crypto/sha256.ts';
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';

export const CUSTODY_GENESIS = '0'.repeat(64);

export type CustodyActorKind = 'complainant' | 'operator' | 'handler' | 'system';
export type CustodyDetail = Record<string, string | number | boolean | null | string[]>;

/** JSON with keys sorted at every level: the bytes that are hashed (also in tools/verify-complaint-package.mjs). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export { sha256Hex };

export type CustodyEntry = {
  complaint_id: string;
  seq: number;
  at: string;
  actor_kind: CustodyActorKind;
  actor_user_id: string | null;
  action: string;
  detail: CustodyDetail;
  prev_hash: string;
  hash: string;
};

export function custodyHash(prevHash: string, entry: Omit<CustodyEntry, 'prev_hash' | 'hash'>): string {
  const fields = { complaint_id: entry.complaint_id, seq: entry.seq, at: entry.at, actor_kind: entry.actor_kind, actor_user_id: entry.actor_user_id, action: entry.action, detail: entry.detail };
  return sha256Hex(`${prevHash}\n${canonicalJson(fields)}`);
}

/**
 * Appends to the complaint's own hash chain, inside the caller's transaction: the entry commits or
 * rolls back with the action it records. Details hold codes, ids and hashes, never text.
 */
export async function appendCustody(trx: Tx, complaintId: string, entry: { actorKind: CustodyActorKind; actorUserId: string | null; action: string; detail?: CustodyDetail }): Promise<CustodyEntry> {
  await sql`select pg_advisory_xact_lock(hashtext(${'custody:' + complaintId}))`.execute(trx);
  const last = await trx.selectFrom('complaint_custody').select(['seq', 'hash']).where('complaint_id', '=', complaintId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = {
    complaint_id: complaintId,
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actor_kind: entry.actorKind,
    actor_user_id: entry.actorUserId,
    action: entry.action,
    detail: entry.detail ?? {},
  };
  const prevHash = last?.hash ?? CUSTODY_GENESIS;
  const hash = custodyHash(prevHash, base);
  await trx
    .insertInto('complaint_custody')
    .values({ ...base, at: new Date(base.at), detail: JSON.stringify(base.detail), prev_hash: prevHash, hash })
    .execute();
  return { ...base, prev_hash: prevHash, hash };
}

export async function readCustody(db: Db | Tx, complaintId: string): Promise<CustodyEntry[]> {
  const rows = await db.selectFrom('complaint_custody').selectAll().where('complaint_id', '=', complaintId).orderBy('seq').execute();
  return rows.map((r) => ({ ...r, at: r.at.toISOString(), detail: r.detail as CustodyDetail }));
}

/** Recomputes a chain; returns the first sequence number that does not match, or null. */
export function verifyCustody(entries: CustodyEntry[]): number | null {
  let prev = CUSTODY_GENESIS;
  for (const [n, e] of entries.entries()) {
    if (e.seq !== n + 1 || e.prev_hash !== prev || custodyHash(prev, e) !== e.hash) return e.seq;
    prev = e.hash;
  }
  return null;
}
