import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { openRuntime, prepareDatabase, startDatabase } from '../runtime.ts';
import { checkAuditIntegrity, type IntegrityReport } from '../audit/seal.ts';
import { BackupError, loadBackup } from './backup.ts';

/**
 * Restores a backup into an empty installation: the embedded server in an empty data folder (or an
 * empty DATABASE_URL database), its migrations up to the backup's, the rows, then the key file; then
 * a normal start (key custody checks the ring against the restored fingerprints) and every audit
 * chain verified against its restored, sealed head.
 */
export async function restoreInstallation(config: Config, file: string, passphrase: string, log: (line: string) => void = () => undefined): Promise<{ tables: number; rows: number; audit: IntegrityReport[] }> {
  if (config.keys) throw new BackupError('AMPARO_KEYS is set: unset it, restore (the key file is written from the backup), then move the keys where you keep them.');
  if (fs.existsSync(config.keyFile)) throw new BackupError(`${config.keyFile} exists: restore into an empty data folder (or set AMPARO_KEY_FILE to a new path).`);
  const { ownerUrl, embedded } = await startDatabase(config, log);
  let loaded: Awaited<ReturnType<typeof loadBackup>>;
  try {
    await prepareDatabase(config, ownerUrl, log);
    loaded = await loadBackup({ file, passphrase, ownerUrl });
  } finally {
    await embedded?.stop();
  }
  fs.mkdirSync(path.dirname(config.keyFile), { recursive: true });
  fs.writeFileSync(config.keyFile, JSON.stringify(loaded.ring, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  const runtime = await openRuntime(config, log);
  try {
    const audit = await checkAuditIntegrity(runtime.db, runtime.cipher);
    return { tables: loaded.tables.length, rows: loaded.tables.reduce((n, t) => n + t.rows, 0), audit };
  } finally {
    await runtime.close();
  }
}
