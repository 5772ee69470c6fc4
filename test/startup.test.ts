import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './helpers.ts';
import type { Db } from '../src/platform/db/database.ts';

/**
 * `npm start` as a newcomer sees it: the real entry point (src/main.ts) in its own process, over a
 * fresh database, started twice. What she needs to sign in is the last block printed, after the
 * server's own start-up lines, and the web app's files do not bury it when the browser opens.
 */

let db: Db;
let url: string;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ({ db, url } = await freshDatabase());
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-start-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Started = { child: ChildProcess; output: () => string[]; baseUrl: string };

/** Starts Amparo and resolves once it has printed its last start-up line. */
async function start(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, AMPARO_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', AMPARO_DEMO: 'auto', AMPARO_DEMO_PEOPLE: '80', LOG_LEVEL: 'info' };
  for (const name of ['AMPARO_ADMIN_PASSWORD', 'AMPARO_ADMIN_EMAIL', 'AMPARO_KEYS', 'AMPARO_KEY_FILE', 'AMPARO_PUBLIC_URL']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (chunk) => (text += String(chunk)));
  child.stderr!.on('data', (chunk) => (text += String(chunk)));
  const output = () => text.split('\n');
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (text.includes('Ctrl-C stops Amparo.')) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`Amparo exited early:\n${text}`));
      }
    }, 100);
  });
  const baseUrl = /Amparo is running at (\S+)/.exec(text)![1]!.replace('localhost', '127.0.0.1');
  return { child, output, baseUrl };
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
  started.child.kill('SIGTERM');
  await exited;
}

// A first start and then a second one over the same data: a sequence, not independent tests.
describe('start-up', { shuffle: false }, () => {
  it('prints the sign-in details last, after the server started, and keeps them visible when the browser loads the app', async () => {
    const first = await start();
    const lines = first.output();
    const listening = lines.findIndex((l) => l.includes('Server listening'));
    const block = lines.findIndex((l) => l.startsWith('Demo users, all with the password '));
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(block).toBeGreaterThan(listening);
    // Nothing but the block after it: it is the last thing printed at start.
    const after = lines.slice(block).filter((l) => l.trim());
    expect(after.every((l) => !l.startsWith('{'))).toBe(true);
    const text = lines.join('\n');
    expect(text).toMatch(/Administrator: admin@amparo\.local, password \(shown only now\): \S{12,}/);
    expect(text).toContain('npm run amparo -- user reset-password --email admin@amparo.local');
    expect(text).toMatch(/folio \S+ {2}access code \S+/);
    expect(text).toMatch(/folio \S+ {2}receipt \S+/);
    expect(lines.filter((l) => /^ {2}\S+@demo\.amparo /.test(l)).length).toBeGreaterThan(40);
    expect(after.at(-2)).toContain(`Amparo is running at http://localhost:`);

    // The browser opens the app: scripts, styles and icons leave no lines; the API call leaves its own.
    const before = first.output().length;
    for (const asset of ['/assets/index.js', '/assets/index.css', '/favicon.ico']) await fetch(first.baseUrl + asset);
    expect((await fetch(`${first.baseUrl}/api/health`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const logged = first.output().slice(before - 1).filter((l) => l.startsWith('{'));
    expect(logged.some((l) => l.includes('/api/health'))).toBe(true);
    expect(logged.some((l) => l.includes('/assets/') || l.includes('favicon'))).toBe(false);
    await stop(first);
  }, 240_000);

  it('lists the demo users again on the next start, with how to set a new password', async () => {
    const second = await start();
    const text = second.output().join('\n');
    expect(text).not.toContain('Loading the demo data');
    expect(text).toContain('Demo users (their shared password was shown on the first start):');
    expect(second.output().filter((l) => /^ {2}\S+@demo\.amparo /.test(l)).length).toBeGreaterThan(40);
    expect(text).toContain('npm run amparo -- user reset-password --email <email> --password');
    expect(text).toContain('Administrator: admin@amparo.local, password shown on the first start');
    expect(text).toContain('npm run amparo -- user reset-password --email admin@amparo.local');
    expect(text).not.toMatch(/access code \S+/);
    await stop(second);
  }, 120_000);
});
