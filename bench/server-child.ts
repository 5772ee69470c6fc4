import { createDb } from '../src/platform/db/database.ts';
import { FieldCipher, type KeyRingFile } from '../src/platform/crypto/field-encryption.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createServer } from '../src/server.ts';

/**
 * The Amparo HTTP server in its own process (started by the benchmarks with `node --import tsx`),
 * so that the load generator does not compete with it on the same event loop. Built exactly like
 * src/main.ts builds it (createServer with the app's own logger, at LOG_LEVEL, default 'warn' here),
 * on 127.0.0.1 and a free port. Reports its address and, on request, its CPU time over IPC.
 */
const url = process.env.BENCH_DATABASE_URL;
const ring = process.env.BENCH_KEYRING;
if (!url || !ring || !process.send) {
  console.error('server-child.ts is started by the benchmarks (BENCH_DATABASE_URL, BENCH_KEYRING, IPC).');
  process.exit(2);
}
const poolSize = process.env.BENCH_POOL_SIZE ? Number(process.env.BENCH_POOL_SIZE) : undefined;
const db = createDb(url, poolSize ? { max: poolSize } : {});
const cipher = await FieldCipher.fromRing(JSON.parse(ring) as KeyRingFile);
const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', DATABASE_URL: url });
const app = await createServer({ db, cipher, config });
const address = await app.listen({ port: 0, host: '127.0.0.1' });

const stop = async () => {
  await app.close();
  await db.destroy();
  process.exit(0);
};
process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    const usage = process.cpuUsage();
    process.send!({ type: 'cpu', user: usage.user / 1e6, system: usage.system / 1e6, rssMb: process.memoryUsage().rss / 2 ** 20 });
  } else if (message.type === 'stop') void stop();
});
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
process.send({ type: 'ready', address });
