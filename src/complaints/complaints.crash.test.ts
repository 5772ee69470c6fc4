import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, makeInstitution } from '../../test/helpers.ts';
import { newKeyRing } from '../platform/crypto/field-encryption.ts';
import type { Db } from '../platform/db/database.ts';
import { updateSettings } from './settings.service.ts';
import { baseFields, complaintForm, pngWithText, readReceiptPage } from './testing/fixtures.ts';

const SERVE = path.resolve(import.meta.dirname, 'testing/serve.ts');

let db: Db;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

beforeAll(async () => {
  const fresh = await freshDatabase();
  db = fresh.db;
  const unit = await makeInstitution(db, { code: 'OICC', name: 'Unidad de quejas' });
  await updateSettings(db, null, { default_unit: unit.id });
  env = { ...process.env, DATABASE_URL: fresh.url, AMPARO_KEYS: JSON.stringify(await newKeyRing()) };
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await db.destroy();
});

describe('a complaint acknowledged with a receipt is never lost', () => {
  it('keeps every acknowledged complaint, with its file, when the server is killed mid-burst', { timeout: 120_000 }, async () => {
    const first = await startChild();
    const acknowledged: Array<{ folio: string; receipt: string }> = [];
    let attempted = 0;
    let killed = false;
    const sendOne = async (n: number) => {
      attempted++;
      try {
        const response = await fetch(`${first.url}/quejas`, { method: 'POST', body: complaintForm(baseFields({ narrative: `Queja número ${n} de la ráfaga.` }), [{ field: 'file1', name: `foto-${n}.png`, type: 'image/png', bytes: pngWithText() }]) });
        const page = await response.text();
        if (response.status === 200) {
          const { folio, receipt } = readReceiptPage(page);
          acknowledged.push({ folio, receipt });
        }
      } catch {
        // connection reset by the kill: not acknowledged, so the person was not told it was received
      }
    };
    // Eight clients in a loop; the server is killed with SIGKILL once some answers have arrived.
    let next = 0;
    const clients = Array.from({ length: 8 }, async () => {
      while (!killed && next < 400) await sendOne(next++);
    });
    const killer = (async () => {
      while (acknowledged.length < 12) await new Promise((r) => setTimeout(r, 10));
      first.child.kill('SIGKILL');
      killed = true;
    })();
    await Promise.all([killer, ...clients]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);
    expect(attempted).toBeGreaterThan(acknowledged.length); // some requests were cut off by the kill

    const second = await startChild();
    for (const { folio } of acknowledged) {
      const row = await db.selectFrom('complaints').select('id').where('folio', '=', folio).executeTakeFirst();
      expect(row, folio).toBeDefined();
      const files = await db.selectFrom('complaint_attachments').select('sha256').where('complaint_id', '=', row!.id).execute();
      expect(files).toHaveLength(1);
      const custody = await db.selectFrom('complaint_custody').select('action').where('complaint_id', '=', row!.id).execute();
      expect(custody.map((c) => c.action)).toEqual(['received']);
    }
    // Nothing half-written: every complaint in the database has its file and its custody entry.
    const orphans = await db
      .selectFrom('complaints')
      .select('id')
      .where((eb) => eb.or([eb.not(eb.exists(eb.selectFrom('complaint_attachments').select('id').whereRef('complaint_attachments.complaint_id', '=', 'complaints.id'))), eb.not(eb.exists(eb.selectFrom('complaint_custody').select('seq').whereRef('complaint_custody.complaint_id', '=', 'complaints.id')))]))
      .execute();
    expect(orphans).toEqual([]);
    // And the receipts work on the restarted server.
    const sample = acknowledged[acknowledged.length - 1]!;
    const followed = await fetch(`${second.url}/quejas/seguimiento`, { method: 'POST', body: new URLSearchParams({ folio: sample.folio, receipt: sample.receipt }) });
    expect(followed.status).toBe(200);
    expect(await followed.text()).toContain(sample.folio);
    second.child.kill('SIGTERM');
  });
});
