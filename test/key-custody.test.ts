import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';
import { openRuntime } from '../src/platform/runtime.ts';
import { newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { freshDatabase, makeInstitution } from './helpers.ts';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-keys-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('key custody', () => {
  it('records the ring’s fingerprints, and refuses a start with the key file missing or replaced, without creating a new one', async () => {
    const { db: setup, url } = await freshDatabase();
    const keyFile = path.join(folder, 'keys.json');
    const config = loadConfig({ DATABASE_URL: url, AMPARO_KEY_FILE: keyFile, LOG_LEVEL: 'silent' });

    // First start: the key file is created and its fingerprints recorded (never the keys).
    const first = await openRuntime(config);
    const ring = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { keys: Record<string, string>; index: string };
    await makeInstitution(first.db);
    const recorded = await first.db.selectFrom('key_ring_fingerprints').select(['key_id', 'fingerprint']).execute();
    expect(recorded.map((r) => r.key_id).sort()).toEqual(['index', 'k1']);
    const stored = JSON.stringify(await first.db.selectFrom('key_ring_fingerprints').selectAll().execute());
    expect(stored).not.toContain(ring.keys.k1);
    expect(stored).not.toContain(ring.index);
    await first.close();

    // The key file is lost: the start stops with a clear message and creates nothing.
    fs.renameSync(keyFile, `${keyFile}.saved`);
    await expect(openRuntime(config)).rejects.toThrow(/key file .* is missing, but this database holds data encrypted/);
    expect(fs.existsSync(keyFile)).toBe(false);

    // Another key file (for example from another installation): refused, naming the keys.
    fs.writeFileSync(keyFile, JSON.stringify(await newKeyRing()));
    await expect(openRuntime(config)).rejects.toThrow(/not the ones this database was written with \(key "index" is a different key; key "k1" is a different key/);
    await expect(openRuntime({ ...config, keys: JSON.stringify(await newKeyRing()) })).rejects.toThrow(/AMPARO_KEYS are not the ones/);

    // The right key file back: the start goes on.
    fs.renameSync(`${keyFile}.saved`, keyFile);
    const again = await openRuntime(config);
    await again.close();
    await setup.destroy();
  });

  it('lets a first start over an empty database create the key file', async () => {
    const { db: setup, url } = await freshDatabase();
    const keyFile = path.join(folder, 'empty-keys.json');
    const runtime = await openRuntime(loadConfig({ DATABASE_URL: url, AMPARO_KEY_FILE: keyFile, LOG_LEVEL: 'silent' }));
    expect(fs.existsSync(keyFile)).toBe(true);
    await runtime.close();
    await setup.destroy();
  });
});
