import type { Config } from './config.ts';
import { createDb, migrateToLatest, type Db } from './db/database.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.ts';
import { APP_ROLE, appRoleUrl, assertAppRoleCannotRewriteAudit, ensureAppRole, grantAppRole } from './db/roles.ts';
import { FieldCipher, loadKeyRing, type KeyRingFile } from './crypto/field-encryption.ts';
import { assertNothingEncrypted, checkKeyCustody } from './crypto/custody.ts';

export type Runtime = {
  /** The application role's pool: what the server and the commands use. */
  db: Db;
  cipher: FieldCipher;
  /** The key ring the cipher was made from (for `amparo backup`). */
  ring: KeyRingFile;
  embedded: EmbeddedServer | null;
  /** The owner's connection string (migrations, restore); never used to serve requests. */
  ownerUrl: string;
  close: () => Promise<void>;
};

/** The owner's connection: the embedded server's, or DATABASE_URL. */
export async function startDatabase(config: Config, log: (line: string) => void = () => undefined): Promise<{ ownerUrl: string; embedded: EmbeddedServer | null }> {
  if (config.databaseUrl) return { ownerUrl: config.databaseUrl, embedded: null };
  log(`Starting embedded PostgreSQL (data in ${config.dataDir}/pg, port ${config.embeddedPgPort})...`);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, notice: log });
  await ensureDatabase(embedded.url('postgres'), 'amparo');
  return { ownerUrl: embedded.url('amparo'), embedded };
}

/**
 * As the owner: migrations (their own connection, without the server's timeouts: an index on a large
 * table may take minutes), then the application role and its grants. Returns the application's URL.
 */
export async function prepareDatabase(config: Config, ownerUrl: string, log: (line: string) => void = () => undefined): Promise<string> {
  const owner = createDb(ownerUrl, { max: 2 });
  try {
    const applied = await migrateToLatest(owner);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    const appUrl = config.appDatabaseUrl ?? appRoleUrl(ownerUrl);
    if (!config.appDatabaseUrl) await ensureAppRole(owner, appUrl);
    await grantAppRole(owner, config.appDatabaseUrl ? decodeURIComponent(new URL(appUrl).username) : APP_ROLE);
    return appUrl;
  } finally {
    await owner.destroy();
  }
}

/** Database (external or embedded), migrations, roles and keys: what both the server and the CLI need. */
export async function openRuntime(config: Config, log: (line: string) => void = () => undefined): Promise<Runtime> {
  const { ownerUrl, embedded } = await startDatabase(config, log);
  let appUrl: string;
  try {
    appUrl = await prepareDatabase(config, ownerUrl, log);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const limits = config.database;
  const db = createDb(appUrl, { max: limits.poolMax, connectTimeoutMs: limits.connectTimeoutMs, statementTimeoutMs: limits.statementTimeoutMs, idleInTransactionTimeoutMs: limits.idleInTransactionTimeoutMs });
  try {
    await assertAppRoleCannotRewriteAudit(db);
    const ring = await loadKeyRing({ keysJson: config.keys, keyFile: config.keyFile, createIfMissing: () => assertNothingEncrypted(db, config.keyFile) });
    await checkKeyCustody(db, ring, config.keys ? 'AMPARO_KEYS' : config.keyFile);
    const cipher = await FieldCipher.fromRing(ring);
    return {
      db,
      cipher,
      ring,
      embedded,
      ownerUrl,
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
