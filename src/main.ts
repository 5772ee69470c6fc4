import { ConfigError, processConfig } from './platform/config.ts';
import { openRuntime } from './platform/runtime.ts';
import { KeyCustodyError } from './platform/crypto/custody.ts';
import { createServer } from './server.ts';
import { ensureFirstAdmin } from './users/user.service.ts';
import { loadDemoIfEmpty } from './demo/demo.ts';
import { signInDetails } from './welcome.ts';

async function main(): Promise<void> {
  const config = processConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const runtime = await openRuntime(config, say);
  const { db, cipher } = runtime;

  const admin = await ensureFirstAdmin(db, config.adminEmail, config.adminPassword);
  const demo = config.demo === 'auto' ? await loadDemoIfEmpty(db, cipher, { people: config.demoPeople, log: say }) : null;

  // Logs go through process.stdout, like the lines printed here, so they come out in the order they
  // were written: the sign-in details printed after listen() are the last lines at start.
  const app = await createServer({ db, cipher, config }, { logger: { stream: process.stdout } });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal} received: stopping Amparo and PostgreSQL...`);
    // PostgreSQL is stopped even when closing the server fails; a failure is reported and ends in code 1.
    let failed = false;
    const report = (what: string, error: unknown) => {
      failed = true;
      process.stderr.write(`Amparo: ${what} failed while stopping: ${error instanceof Error ? error.message : String(error)}\n`);
    };
    await app.close().catch((error: unknown) => report('closing the server', error));
    await runtime.close().catch((error: unknown) => report('stopping PostgreSQL', error));
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // Listening means ready: the matching worker has started (onReady) and its first lines are out, so
  // the sign-in details below are the last thing printed at start.
  const address = await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl ?? address.replace('127.0.0.1', 'localhost');
  for (const line of await signInDetails(db, { url, admin, demo })) say(line);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof KeyCustodyError) process.stderr.write(`Amparo could not start: ${error.message}\n`);
  else process.stderr.write(`Amparo could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
