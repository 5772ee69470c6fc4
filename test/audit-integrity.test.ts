import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { appRoleUrl, assertAppRoleCannotRewriteAudit } from '../src/platform/db/roles.ts';
import { FieldCipher, newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { GENESIS, appendAudit, chainEntryHash, verifyAuditChains } from '../src/platform/audit/audit.ts';
import { checkAuditIntegrity, makeCheckpoint, parseCheckpoint, sealAuditChains } from '../src/platform/audit/seal.ts';
import { freshDatabase, makeInstitution } from './helpers.ts';

/**
 * Issue 14, failure 3: the application connected as a superuser, and after changing a row and
 * recomputing the plain SHA-256 chain, or deleting the newest entries, `audit verify` said OK.
 */
let owner: Db;
let app: Db;
let cipher: FieldCipher;

// Each test on a database of its own: a test leaves a chain broken on purpose.
beforeEach(async () => {
  const fresh = await freshDatabase();
  owner = fresh.db;
  app = createDb(appRoleUrl(fresh.url), { max: 4 });
  cipher = await FieldCipher.fromRing(await newKeyRing());
});
afterEach(async () => {
  await app.destroy();
  await owner.destroy();
});

async function writeEntries(institutionId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await appendAudit(app, { institutionId, actorUserId: null, action: `test.entry_${i}`, recordType: 'test', recordId: String(i) });
}

/** What someone with the owner's password (it is in the data folder) and no key ring can do: rehash the chain after a change. */
async function rehashFrom(institutionId: string, fromId: number): Promise<void> {
  const rows = await owner.selectFrom('audit_log').selectAll().where('institution_id', '=', institutionId).orderBy('id').execute();
  let prev = GENESIS;
  await sql`alter table audit_log disable trigger audit_log_no_update`.execute(owner);
  try {
    for (const row of rows) {
      if (row.id >= fromId) {
        const hash = chainEntryHash(institutionId, prev, row);
        await sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where institution_id = ${institutionId} and id = ${row.id}`.execute(owner);
        prev = hash;
      } else prev = row.hash;
    }
  } finally {
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(owner);
  }
}

async function asOwnerWithoutTriggers(run: () => Promise<unknown>): Promise<void> {
  await sql`alter table audit_log disable trigger user`.execute(owner);
  try {
    await run();
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(owner);
  }
}

describe('an audit log only the application can append to', () => {
  it('connects as a role that may append but not update, delete or truncate audit entries, nor disable the triggers', async () => {
    const institution = await makeInstitution(app);
    await writeEntries(institution.id, 2);
    const denied = async (statement: Promise<unknown>) => expect(statement).rejects.toThrow(/permission denied|must be owner/);
    await denied(sql`update audit_log set action = 'x' where institution_id = ${institution.id}`.execute(app));
    await denied(sql`delete from audit_log where institution_id = ${institution.id}`.execute(app));
    await denied(sql`truncate audit_log`.execute(app));
    await denied(sql`alter table audit_log disable trigger audit_log_no_update`.execute(app));
    await denied(sql`delete from audit_chain_heads`.execute(app));
    await expect(assertAppRoleCannotRewriteAudit(app)).resolves.toBeUndefined();
    // The owner (a superuser in the embedded server) is refused as the server's role.
    await expect(assertAppRoleCannotRewriteAudit(owner)).rejects.toThrow(/is a superuser|owns the tables/);
  });

  it('finds a row changed and the plain chain recomputed after it, which the plain chain alone cannot', async () => {
    const institution = await makeInstitution(app);
    await writeEntries(institution.id, 12);
    expect((await sealAuditChains(app, cipher)).every((o) => !o.problem)).toBe(true);
    const target = (await owner.selectFrom('audit_log').select('id').where('institution_id', '=', institution.id).orderBy('id').offset(4).limit(1).executeTakeFirstOrThrow()).id;

    await asOwnerWithoutTriggers(() => sql`update audit_log set action = 'test.rewritten' where institution_id = ${institution.id} and id = ${target}`.execute(owner));
    await rehashFrom(institution.id, target);

    // The old check passes: the chain is consistent again.
    expect((await verifyAuditChains(owner, institution.id))[0]!.ok).toBe(true);
    // The sealed head is not: the rewritten chain ends in another hash, and the head's MAC needs the key ring.
    const report = (await checkAuditIntegrity(app, cipher, { onlyInstitutionId: institution.id })).find((r) => r.institutionId === institution.id)!;
    expect(report.ok).toBe(false);
    expect(report.problems.join(' ')).toMatch(/sealed entry \d+ is gone or was changed/);

    // Nor can the head be made to match without the key: its MAC fails.
    const head = await owner.selectFrom('audit_chain_heads').selectAll().where('institution_id', '=', institution.id).executeTakeFirstOrThrow();
    const newest = await owner.selectFrom('audit_log').select('hash').where('institution_id', '=', institution.id).where('id', '=', head.last_id).executeTakeFirstOrThrow();
    await owner.updateTable('audit_chain_heads').set({ hash: newest.hash }).where('institution_id', '=', institution.id).execute();
    const forged = (await checkAuditIntegrity(app, cipher, { onlyInstitutionId: institution.id })).find((r) => r.institutionId === institution.id)!;
    expect(forged.ok).toBe(false);
    expect(forged.problems.join(' ')).toContain('MAC does not match');
  });

  it('finds the newest entries deleted after a checkpoint, even with an older sealed head put back', async () => {
    const institution = await makeInstitution(app);
    await writeEntries(institution.id, 5);
    await sealAuditChains(app, cipher);
    const olderHead = await owner.selectFrom('audit_chain_heads').selectAll().where('institution_id', '=', institution.id).executeTakeFirstOrThrow();
    await writeEntries(institution.id, 5);
    const checkpoint = parseCheckpoint(JSON.stringify(await makeCheckpoint(app, cipher)), cipher);
    const mine = checkpoint.chains.find((c) => c.institution_id === institution.id)!;
    const count = await owner.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('institution_id', '=', institution.id).executeTakeFirstOrThrow();
    expect(mine.entries).toBe(Number(count.n));
    expect((await checkAuditIntegrity(app, cipher, { checkpoint })).every((r) => r.ok)).toBe(true);

    // The attacker deletes the five newest entries and puts back the head sealed before them (valid MAC).
    await asOwnerWithoutTriggers(() => sql`delete from audit_log where institution_id = ${institution.id} and id > ${olderHead.last_id}`.execute(owner));
    await owner.updateTable('audit_chain_heads').set({ last_id: olderHead.last_id, entries: olderHead.entries, hash: olderHead.hash, mac: olderHead.mac }).where('institution_id', '=', institution.id).execute();

    expect((await verifyAuditChains(owner, institution.id))[0]!.ok).toBe(true);
    const withoutCheckpoint = (await checkAuditIntegrity(app, cipher, { onlyInstitutionId: institution.id })).find((r) => r.institutionId === institution.id)!;
    expect(withoutCheckpoint.ok).toBe(true); // the replayed head is genuine: only a checkpoint kept elsewhere tells
    const report = (await checkAuditIntegrity(app, cipher, { checkpoint })).find((r) => r.institutionId === institution.id)!;
    expect(report.ok).toBe(false);
    expect(report.problems.join(' ')).toContain(`entry ${mine.last_id} is gone`);

    // Without putting the head back, the sealed head alone finds it.
    const other = await makeInstitution(app);
    await writeEntries(other.id, 4);
    await sealAuditChains(app, cipher);
    await asOwnerWithoutTriggers(() => sql`delete from audit_log where institution_id = ${other.id} and id = (select max(id) from audit_log where institution_id = ${other.id})`.execute(owner));
    const cut = (await checkAuditIntegrity(app, cipher, { onlyInstitutionId: other.id })).find((r) => r.institutionId === other.id)!;
    expect(cut.ok).toBe(false);
  });

  it('refuses a checkpoint file that was edited', async () => {
    await writeEntries((await makeInstitution(app)).id, 2);
    const checkpoint = await makeCheckpoint(app, cipher);
    expect(checkpoint.chains.length).toBeGreaterThan(0);
    const edited = { ...checkpoint, chains: checkpoint.chains.slice(1) };
    expect(() => parseCheckpoint(JSON.stringify(edited), cipher)).toThrow(/MAC does not match/);
  });
});
