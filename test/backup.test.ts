import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';
import { openRuntime } from '../src/platform/runtime.ts';
import { freePort } from '../src/platform/db/embedded.ts';
import type { Db } from '../src/platform/db/database.ts';
import { loadDemoIfEmpty } from '../src/demo/demo.ts';
import { checkBackup, writeBackup } from '../src/platform/backup/backup.ts';
import { restoreInstallation } from '../src/platform/backup/restore.ts';
import { makeCheckpoint, checkAuditIntegrity } from '../src/platform/audit/seal.ts';
import { complaintRuntime } from '../src/complaints/context.ts';
import { findByReceipt, complainantView } from '../src/complaints/intake.service.ts';
import { complainantCipher } from '../src/complaints/keys.ts';
import { folioThrottle } from '../src/platform/limits/throttle.ts';
import { lookupFamily } from '../src/missing/public/family.ts';
import type { FieldCipher } from '../src/platform/crypto/field-encryption.ts';

/**
 * Issue 14, failure 1: no backup and no restore. The drill: an installation with the demo's data
 * (every encrypted kind), a backup, the data folder wiped, a restore into it; then every table as it
 * was, every audit chain verified against its sealed head and the checkpoint taken before, and a
 * sample of every encrypted kind decrypted.
 */
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-backup-'));
fs.chmodSync(folder, 0o755);
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));
const PASSPHRASE = 'una frase larga de respaldo 2026';

/** Each table's rows, as one digest: equal digests, equal contents. */
async function digests(db: Db): Promise<Record<string, string>> {
  const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely%' order by tablename`.execute(db);
  const result: Record<string, string> = {};
  for (const { tablename } of tables.rows) {
    const { rows } = await sql<{ d: string | null; n: number }>`select md5(string_agg(row_to_json(t)::text, E'\n' order by row_to_json(t)::text)) as d, count(*)::int as n from ${sql.table(tablename)} t`.execute(db);
    result[tablename] = `${rows[0]!.n}:${rows[0]!.d}`;
  }
  return result;
}

/** One value of every kind encrypted under the key ring, decrypted. */
async function decryptSamples(db: Db, cipher: FieldCipher): Promise<Record<string, string>> {
  const one = async <T>(query: Promise<T | undefined>, what: string) => {
    const row = await query;
    if (!row) throw new Error(`the demo has no ${what}`);
    return row;
  };
  const person = await one(db.selectFrom('people').select('documents_enc').where('documents_enc', 'is not', null).executeTakeFirst(), 'person documents');
  const contact = await one(db.selectFrom('people').select('contact_enc').where('contact_enc', 'is not', null).executeTakeFirst(), 'person contact');
  const summary = await one(db.selectFrom('cases').select('summary_enc').where('summary_enc', 'is not', null).executeTakeFirst(), 'case summary');
  const note = await one(db.selectFrom('case_notes').select('body_enc').executeTakeFirst(), 'case note');
  const service = await one(db.selectFrom('services').select('notes_enc').where('notes_enc', 'is not', null).executeTakeFirst(), 'service note');
  const report = await one(db.selectFrom('missing_reports').select('circumstance_enc').where('circumstance_enc', 'is not', null).executeTakeFirst(), 'missing report');
  // The demo's found records carry no encrypted field; their columns are those of the reports.
  const samples: Record<string, string> = {
    documents: JSON.stringify(cipher.decryptJson(person.documents_enc!)),
    contact: JSON.stringify(cipher.decryptJson(contact.contact_enc!)),
    summary: cipher.decryptText(summary.summary_enc!),
    note: cipher.decryptText(note.body_enc),
    service: cipher.decryptText(service.notes_enc!),
    report: cipher.decryptJson<string>(report.circumstance_enc!),
  };
  const attachment = await one(db.selectFrom('attachments').select(['filename_enc', 'content_enc']).executeTakeFirst(), 'attachment');
  samples.attachment = `${cipher.decryptText(attachment.filename_enc)} ${cipher.decryptBytes(attachment.content_enc).toString('utf8')}`;
  return samples;
}

describe('backup and restore', () => {
  it('restores into a wiped data folder: the same rows, audit chains that verify, every encrypted kind readable', async () => {
    const dataDir = path.join(folder, 'data');
    const config = loadConfig({ AMPARO_DATA_DIR: dataDir, AMPARO_PG_PORT: String(await freePort()), LOG_LEVEL: 'silent' });
    const backupFile = path.join(folder, 'amparo.backup');

    const first = await openRuntime(config);
    let before: Record<string, string>;
    let samples: Record<string, string>;
    let demo: NonNullable<Awaited<ReturnType<typeof loadDemoIfEmpty>>>;
    let checkpoint: Awaited<ReturnType<typeof makeCheckpoint>>;
    try {
      demo = (await loadDemoIfEmpty(first.db, first.cipher, { people: 60, log: () => undefined }))!;
      // The demo has no attachments: one, binary content included.
      const someCase = await first.db.selectFrom('cases').select(['id', 'institution_id']).executeTakeFirstOrThrow();
      await first.db.insertInto('attachments').values({ institution_id: someCase.institution_id, case_id: someCase.id, filename_enc: first.cipher.encryptText('acta.txt'), media_type: 'text/plain', size_bytes: 9, sha256: '0'.repeat(64), content_enc: first.cipher.encryptBytes(Buffer.from('contenido')), uploaded_by: null }).execute();
      checkpoint = await makeCheckpoint(first.db, first.cipher);
      const manifest = await writeBackup({ url: first.ownerUrl, ring: first.ring, passphrase: PASSPHRASE, file: backupFile });
      expect(manifest.tables.find((t) => t.table === 'audit_log')!.rows).toBeGreaterThan(100);
      before = await digests(first.db);
      samples = await decryptSamples(first.db, first.cipher);
    } finally {
      await first.close();
    }
    // The file holds no key in the clear, and does not open without the passphrase.
    expect((await checkBackup(backupFile, PASSPHRASE)).tables.length).toBeGreaterThan(30);
    await expect(checkBackup(backupFile, 'not the passphrase at all')).rejects.toThrow(/Wrong passphrase/);

    fs.rmSync(dataDir, { recursive: true, force: true });

    const restored = await restoreInstallation(config, backupFile, PASSPHRASE);
    expect(restored.audit.filter((r) => r.entries > 0).length).toBeGreaterThan(3);
    expect(restored.audit.every((r) => r.ok)).toBe(true);

    const again = await openRuntime(config);
    try {
      expect(await digests(again.db)).toEqual(before);
      expect(await decryptSamples(again.db, again.cipher)).toEqual(samples);
      expect((await checkAuditIntegrity(again.db, again.cipher, { checkpoint })).every((r) => r.ok)).toBe(true);
      // Complaints (each under its own key, opened by the receipt) and the families' access codes.
      const { hasher } = complaintRuntime(again.cipher);
      const complaint = await findByReceipt(again.db, hasher, demo.complaintSample.folio, demo.complaintSample.receipt);
      expect(complaint).not.toBeNull();
      const view = await complainantView(again.db, complainantCipher(again.cipher, complaint!), complaint!.id);
      expect(view.messages.length).toBeGreaterThan(0);
      const family = await lookupFamily(again.db, again.cipher, folioThrottle(60), '127.0.0.1', demo.missingSample.folio, demo.missingSample.receipt);
      expect(family.ok).toBe(true);
      // New records go on after the restored ones (sequences restored).
      const audit = await sql<{ ok: boolean }>`select (select max(id) from audit_log) < nextval(pg_get_serial_sequence('audit_log', 'id')) as ok`.execute(again.db);
      expect(audit.rows[0]!.ok).toBe(true);
    } finally {
      await again.close();
    }

    // A restore over data is refused; a damaged file is refused before anything is written.
    await expect(restoreInstallation(config, backupFile, PASSPHRASE)).rejects.toThrow(/exists: restore into an empty data folder/);
    const damaged = path.join(folder, 'damaged.backup');
    const bytes = fs.readFileSync(backupFile);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(damaged, bytes);
    await expect(checkBackup(damaged, PASSPHRASE)).rejects.toThrow(/damaged|cannot be read|does not match/);
  }, 600_000);
});
