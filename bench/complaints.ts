/**
 * Complaints benchmark: sustained anonymous web submissions per second (multipart form with one
 * photo, argon2id receipt hash, field encryption, one transaction each) and follow-up latency (folio +
 * receipt → status page, one argon2id verification). Uses DATABASE_URL when set, otherwise a
 * throw-away embedded PostgreSQL. BENCH_SECONDS (default 15) and BENCH_CONCURRENCY (default 8).
 */
import fs from 'node:fs';
import os from 'node:os';
import { hash } from '@node-rs/argon2';
import { createDb, migrateToLatest } from '../src/platform/db/database.ts';
import { ensureDatabase, freePort, postgresDataDir, startEmbeddedPostgres, type EmbeddedServer } from '../src/platform/db/embedded.ts';
import { FieldCipher, newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createServer } from '../src/server.ts';
import { createInstitution } from '../src/institutions/institution.service.ts';
import { updateSettings } from '../src/complaints/settings.service.ts';
import { publicLimits } from '../src/platform/limits/anonymous.ts';
import { RECEIPT_HASH_OPTIONS } from '../src/platform/receipts.ts';
import { baseFields, complaintForm, jpegWithExif, readReceiptPage } from '../src/complaints/testing/fixtures.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);

/** Offline cost of finding one receipt when the attacker has the database AND the key ring (pepper). */
export async function bruteForceEstimate(): Promise<{ msPerHash: number; lines: string[] }> {
  const started = performance.now();
  const n = 5;
  for (let i = 0; i < n; i++) await hash(`${1234567890123456 + i}`, RECEIPT_HASH_OPTIONS);
  const msPerHash = (performance.now() - started) / n;
  const space = 1e16;
  const expected = space / 2;
  const gpuRate = 2000; // hashes/s for one high-end GPU at 64 MiB (memory-bandwidth bound; a generous figure)
  const cpuCoreRate = 1000 / msPerHash;
  const years = (seconds: number) => seconds / (365.25 * 86400);
  const lines = [
    `argon2id m=${RECEIPT_HASH_OPTIONS.memoryCost} KiB (${RECEIPT_HASH_OPTIONS.memoryCost / 1024} MiB), t=${RECEIPT_HASH_OPTIONS.timeCost}, p=${RECEIPT_HASH_OPTIONS.parallelism}, with a server-side secret; ${msPerHash.toFixed(1)} ms per hash on one core here`,
    `receipt space 10^16 (16 random digits, 53 bits); expected guesses for one receipt 5×10^15`,
    `one CPU core: ${(years(expected / cpuCoreRate) / 1e6).toFixed(1)} million core-years per receipt`,
    `one GPU at ~${gpuRate} H/s: ${Math.round(years(expected / gpuRate)).toLocaleString('en')} GPU-years; at US$0.50 per GPU-hour ≈ US$${((expected / gpuRate / 3600) * 0.5 / 1e6).toFixed(0)} million per receipt`,
    'without the key ring (database dump only) the secret makes the search impossible, not just expensive',
  ];
  return { msPerHash, lines };
}

export async function run(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  let embedded: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    dataDir = postgresDataDir({ prefix: 'amparo-bench-' });
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    await ensureDatabase(embedded.url('postgres'), 'amparo_bench');
    url = embedded.url('amparo_bench');
  }
  const db = createDb(url, { max: 20 });
  await migrateToLatest(db);
  const cipher = await FieldCipher.fromRing(await newKeyRing());
  const unit = await createInstitution(db, null, { code: `B${Date.now() % 1e8}`, name: 'Unidad de quejas (bench)', type: 'federal_agency' });
  await updateSettings(db, null, { default_unit: unit.id });
  publicLimits.submissionsPerSource = 1e9;
  publicLimits.followUpsPerSource = 1e9;
  publicLimits.failuresPerSource = 1e9;
  const app = await createServer({ db, cipher, config: loadConfig({ LOG_LEVEL: 'silent' }) }, { logger: false });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const photo = jpegWithExif();

  try {
    say(`Complaints benchmark: ${os.cpus().length} CPUs, ${seconds} s per phase, ${concurrency} concurrent clients`);
    const estimate = await bruteForceEstimate();
    for (const line of estimate.lines) say(`  ${line}`);

    const receipts: Array<{ folio: string; receipt: string }> = [];
    const submitLatency: number[] = [];
    let failures = 0;
    const submitOnce = async (n: number) => {
      const started = performance.now();
      const response = await fetch(`${base}/quejas`, { method: 'POST', body: complaintForm(baseFields({ narrative: `Relato de prueba número ${n}: ${'texto '.repeat(150)}` }), [{ field: 'file1', name: 'foto.jpg', type: 'image/jpeg', bytes: photo }]) });
      const page = await response.text();
      if (response.status !== 200) failures++;
      else {
        submitLatency.push(performance.now() - started);
        receipts.push(readReceiptPage(page));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, i) => submitOnce(i))); // warm-up
    submitLatency.length = 0;
    receipts.length = 0;
    let n = 0;
    let deadline = Date.now() + seconds * 1000;
    const submitStart = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) await submitOnce(n++);
    }));
    const submitElapsed = (performance.now() - submitStart) / 1000;
    say(`  submissions: ${receipts.length} in ${submitElapsed.toFixed(1)} s = ${(receipts.length / submitElapsed).toFixed(1)}/s sustained; p50 ${percentile(submitLatency, 50).toFixed(0)} ms, p95 ${percentile(submitLatency, 95).toFixed(0)} ms; refused ${failures}`);

    const followLatency: number[] = [];
    let i = 0;
    deadline = Date.now() + seconds * 1000;
    const followStart = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const r = receipts[i++ % receipts.length]!;
        const started = performance.now();
        const response = await fetch(`${base}/quejas/seguimiento`, { method: 'POST', body: new URLSearchParams({ folio: r.folio, receipt: r.receipt }) });
        await response.text();
        if (response.status === 200) followLatency.push(performance.now() - started);
        else failures++;
      }
    }));
    const followElapsed = (performance.now() - followStart) / 1000;
    say(`  follow-ups: ${followLatency.length} in ${followElapsed.toFixed(1)} s = ${(followLatency.length / followElapsed).toFixed(1)}/s; p50 ${percentile(followLatency, 50).toFixed(0)} ms, p95 ${percentile(followLatency, 95).toFixed(0)} ms`);

    // A wrong receipt costs the same whether the folio exists, does not, or is malformed (one argon2id
    // verification each: no fast path that would tell a guesser which folios exist). Measured here, not
    // asserted in the test suite, where a busy machine makes timings meaningless.
    const known = receipts[0]!.folio;
    const unknown = known.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const wrongReceipt = async (folio: string) => {
      const started = performance.now();
      await (await fetch(`${base}/quejas/seguimiento`, { method: 'POST', body: new URLSearchParams({ folio, receipt: '0000111122223333' }) })).text();
      return performance.now() - started;
    };
    const timings: Record<string, number[]> = { 'existing folio': [], 'unknown folio': [], 'malformed folio': [] };
    for (let i = 0; i < 5; i++) {
      timings['existing folio']!.push(await wrongReceipt(known));
      timings['unknown folio']!.push(await wrongReceipt(unknown));
      timings['malformed folio']!.push(await wrongReceipt('nada'));
    }
    say(`  wrong receipt, median: ${Object.entries(timings).map(([what, ms]) => `${what} ${percentile(ms, 50).toFixed(0)} ms`).join(', ')}`);
  } finally {
    await app.close();
    await db.destroy();
    await embedded?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
