import type { Config } from './config.ts';
import { createDb, migrateToLatest, type Db } from './db/database.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.ts';
import { FieldCipher, loadKeyRing } from './crypto/field-encryption.ts';
import { assertNothingEncrypted, checkKeyCustody } from './crypto/custody.ts';

export type Runtime = { db: Db; cipher: FieldCipher; embedded: EmbeddedServer | null; close: () => Promise<void> };

/** Database (external or embedded), migrations and keys: what both the server and the CLI need. */
export async function openRuntime(config: Config, log: (line: string) => void = () => undefined): Promise<Runtime> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    log(`Starting embedded PostgreSQL (data in ${config.dataDir}/pg, port ${config.embeddedPgPort})...`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, notice: log });
    await ensureDatabase(embedded.url('postgres'), 'amparo');
    url = embedded.url('amparo');
  }
  // Migrations may run long (an index on a large table): their own connection, without the server's timeouts.
  const owner = createDb(url, { max: 2 });
  try {
    const applied = await migrateToLatest(owner);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await owner.destroy();
    await embedded?.stop();
    throw error;
  }
  await owner.destroy();
  const limits = config.database;
  const db = createDb(url, { max: limits.poolMax, connectTimeoutMs: limits.connectTimeoutMs, statementTimeoutMs: limits.statementTimeoutMs, idleInTransactionTimeoutMs: limits.idleInTransactionTimeoutMs });
  try {
    const ring = await loadKeyRing({ keysJson: config.keys, keyFile: config.keyFile, createIfMissing: () => assertNothingEncrypted(db, config.keyFile) });
    await checkKeyCustody(db, ring, config.keys ? 'AMPARO_KEYS' : config.keyFile);
    const cipher = await FieldCipher.fromRing(ring);
    return {
      db,
      cipher,
      embedded,
      close: async () => {
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    throw error;
  }
}
