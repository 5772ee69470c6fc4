import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../crypto/field-encryption.ts';
import { GENESIS, PLATFORM_CHAIN, chainEntryHash, chainRowsAfter, verifyAuditChains, type ChainReport } from './audit.ts';

/**
 * The plain SHA-256 chain shows a changed row only to someone who cannot recompute it: whoever can
 * write the database can change a row and rehash everything after it. Two things close that (issue 14):
 *
 * - **Sealed heads.** The application verifies each chain's new entries from its last sealed head and
 *   then records the new head (last id, hash, length) with an HMAC under a key derived from the key
 *   ring, which the database never sees. A rewritten chain no longer ends in a sealed hash; a chain cut
 *   short no longer holds its sealed last entry; a forged head fails its MAC. The server seals every
 *   few seconds (`AMPARO_AUDIT_SEAL_SECONDS`), `audit verify` and `audit checkpoint` before they report.
 * - **Checkpoints.** A head can be put back to an older one (with its valid MAC) after truncating the
 *   chain. `amparo audit checkpoint` exports every head, MACed, to a file kept outside the database;
 *   `amparo audit verify --checkpoint FILE` then requires each chain to still hold the checkpoint's
 *   last entry with the same hash.
 */
export type AuditCheckpoint = {
  format: 'amparo-audit-checkpoint';
  version: 1;
  created_at: string;
  chains: { institution_id: string; last_id: number; entries: number; hash: string }[];
  mac: string;
};

export type IntegrityReport = ChainReport & { sealedThroughId: number | null; unsealed: number; problems: string[] };

const auditKey = (cipher: FieldCipher) => cipher.derivedKey('audit seal v1');

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

function sameMac(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

const headText = (head: { institution_id: string; last_id: number; entries: number; hash: string }) => `audit head v1\n${head.institution_id}\n${head.last_id}\n${head.entries}\n${head.hash}`;

/**
 * Every chain that may exist: one per institution and the platform's. (A DISTINCT over the audit log
 * would read the whole table every few seconds.)
 */
async function chainIds(db: Db): Promise<string[]> {
  const institutions = await db.selectFrom('institutions').select('id').execute();
  return [PLATFORM_CHAIN, ...institutions.map((i) => i.id)];
}

export type SealOutcome = { institutionId: string; sealedThroughId: number | null; problem?: string };

/**
 * Moves each chain's sealed head forward over the entries written since, after checking that they
 * follow from it. A chain whose new entries do not follow (or whose head was forged or lost its last
 * entry) is not sealed: the problem is returned, and `audit verify` reports it.
 */
export async function sealAuditChains(db: Db, cipher: FieldCipher): Promise<SealOutcome[]> {
  const key = auditKey(cipher);
  const outcomes: SealOutcome[] = [];
  for (const chain of await chainIds(db)) {
    outcomes.push(
      await db.transaction().execute(async (trx) => {
        // One sealer per chain at a time (several server processes may run).
        await sql`select pg_advisory_xact_lock(hashtext(${`audit-seal:${chain}`}))`.execute(trx);
        const head = await trx.selectFrom('audit_chain_heads').selectAll().where('institution_id', '=', chain).executeTakeFirst();
        if (head && !sameMac(head.mac, mac(key, headText(head)))) return { institutionId: chain, sealedThroughId: null, problem: 'the sealed head’s MAC does not match (forged or made with other keys)' };
        if (head) {
          const last = await trx.selectFrom('audit_log').select('hash').where('institution_id', '=', chain).where('id', '=', head.last_id).executeTakeFirst();
          if (last?.hash !== head.hash) return { institutionId: chain, sealedThroughId: head.last_id, problem: `the sealed entry ${head.last_id} is gone or was changed` };
        }
        let prev = head?.hash ?? GENESIS;
        let lastId = head?.last_id ?? 0;
        let entries = head?.entries ?? 0;
        for (;;) {
          const rows = await chainRowsAfter(trx, chain, lastId);
          if (rows.length === 0) break;
          for (const row of rows) {
            if (row.prev_hash !== prev || chainEntryHash(chain, prev, row) !== row.hash) return { institutionId: chain, sealedThroughId: head?.last_id ?? null, problem: `entry ${row.id} does not follow from the sealed head` };
            prev = row.hash;
            lastId = row.id;
            entries++;
          }
        }
        if (lastId === (head?.last_id ?? 0)) return { institutionId: chain, sealedThroughId: head?.last_id ?? null };
        const next = { institution_id: chain, last_id: lastId, entries, hash: prev };
        await trx
          .insertInto('audit_chain_heads')
          .values({ ...next, mac: mac(key, headText(next)) })
          .onConflict((oc) => oc.column('institution_id').doUpdateSet({ last_id: lastId, entries, hash: prev, mac: mac(key, headText(next)), sealed_at: new Date() }))
          .execute();
        return { institutionId: chain, sealedThroughId: lastId };
      }),
    );
  }
  return outcomes;
}

/**
 * Seals what is new, recomputes every chain from its start, and checks each against its sealed head
 * and, when given, a checkpoint: the full answer to "was the audit log changed after it was written?".
 */
export async function checkAuditIntegrity(db: Db, cipher: FieldCipher, options: { onlyInstitutionId?: string; checkpoint?: AuditCheckpoint } = {}): Promise<IntegrityReport[]> {
  const key = auditKey(cipher);
  const sealed = new Map((await sealAuditChains(db, cipher)).map((o) => [o.institutionId, o]));
  const chains = await verifyAuditChains(db, options.onlyInstitutionId);
  const heads = new Map((await db.selectFrom('audit_chain_heads').selectAll().execute()).map((h) => [h.institution_id, h]));
  const reports = new Map<string, IntegrityReport>();
  for (const chain of chains) {
    const problems: string[] = [];
    if (!chain.ok) problems.push(`entry ${chain.brokenAtId} does not match the chain`);
    const outcome = sealed.get(chain.institutionId);
    if (outcome?.problem) problems.push(outcome.problem);
    const head = heads.get(chain.institutionId);
    if (chain.entries > 0 && !head) problems.push('no sealed head');
    if (head && !sameMac(head.mac, mac(key, headText(head)))) problems.push('the sealed head’s MAC does not match');
    const newest = chain.lastId ?? 0;
    reports.set(chain.institutionId, { ...chain, sealedThroughId: head?.last_id ?? null, unsealed: head ? Math.max(0, chain.entries - head.entries) : chain.entries, problems: [...new Set(problems)], ok: false });
    if (head && newest < head.last_id) reports.get(chain.institutionId)!.problems.push(`entries up to ${head.last_id} were sealed but the chain ends at ${newest}`);
  }
  if (options.checkpoint) {
    for (const point of options.checkpoint.chains) {
      if (options.onlyInstitutionId && point.institution_id !== options.onlyInstitutionId) continue;
      const row = await db.selectFrom('audit_log').select('hash').where('institution_id', '=', point.institution_id).where('id', '=', point.last_id).executeTakeFirst();
      const report = reports.get(point.institution_id) ?? { institutionId: point.institution_id, entries: 0, ok: false, sealedThroughId: null, unsealed: 0, problems: [] };
      if (!row) report.problems.push(`the checkpoint’s entry ${point.last_id} is gone (the chain was cut short)`);
      else if (row.hash !== point.hash) report.problems.push(`the checkpoint’s entry ${point.last_id} has another hash (the chain was rewritten)`);
      else if (report.entries < point.entries) report.problems.push(`the chain has ${report.entries} entries, the checkpoint ${point.entries}`);
      reports.set(point.institution_id, report);
    }
  }
  return [...reports.values()].map((r) => ({ ...r, ok: r.problems.length === 0 }));
}

/** Seals, then writes every chain's head into a MACed checkpoint, to be kept outside the database. */
export async function makeCheckpoint(db: Db, cipher: FieldCipher, now = new Date()): Promise<AuditCheckpoint> {
  const outcomes = await sealAuditChains(db, cipher);
  const refused = outcomes.filter((o) => o.problem);
  if (refused.length) throw new Error(`Not checkpointing: ${refused.length} audit chain(s) fail verification (${refused.map((o) => o.problem).join('; ')}). Run \`amparo audit verify\`.`);
  const heads = await db.selectFrom('audit_chain_heads').select(['institution_id', 'last_id', 'entries', 'hash']).orderBy('institution_id').execute();
  const body = { format: 'amparo-audit-checkpoint' as const, version: 1 as const, created_at: now.toISOString(), chains: heads };
  return { ...body, mac: mac(auditKey(cipher), checkpointText(body)) };
}

const checkpointText = (body: Omit<AuditCheckpoint, 'mac'>) =>
  `audit checkpoint v1\n${body.created_at}\n${body.chains.map((c) => `${c.institution_id} ${c.last_id} ${c.entries} ${c.hash}`).join('\n')}`;

/** Reads a checkpoint file and checks its MAC: a checkpoint edited to match a rewritten log is refused. */
export function parseCheckpoint(text: string, cipher: FieldCipher): AuditCheckpoint {
  let parsed: AuditCheckpoint;
  try {
    parsed = JSON.parse(text) as AuditCheckpoint;
  } catch {
    throw new Error('The checkpoint file is not JSON.');
  }
  if (parsed?.format !== 'amparo-audit-checkpoint' || parsed.version !== 1 || !Array.isArray(parsed.chains) || typeof parsed.mac !== 'string') throw new Error('Not an Amparo audit checkpoint.');
  if (!sameMac(parsed.mac, mac(auditKey(cipher), checkpointText(parsed)))) throw new Error('The checkpoint’s MAC does not match: the file was changed, or was made with other keys.');
  return parsed;
}
