import { ConfigError, loadConfig } from './platform/config.ts';
import { openRuntime } from './platform/runtime.ts';
import { KeyCustodyError } from './platform/crypto/custody.ts';
import { createServer } from './server.ts';
import { ensureFirstAdmin } from './users/user.service.ts';
import { loadDemoIfEmpty } from './demo/demo.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const runtime = await openRuntime(config, say);
  const { db, cipher } = runtime;

  const admin = await ensureFirstAdmin(db, config.adminEmail, config.adminPassword);
  if (admin) {
    say(`First administrator: ${admin.email}`);
    if (admin.password) say(`  password (shown only now): ${admin.password}`);
  }
  if (config.demo === 'auto') {
    const demo = await loadDemoIfEmpty(db, cipher, { people: config.demoPeople, log: say });
    if (demo) {
      say('Demo users (all with the password shown):');
      say(`  password: ${demo.password}`);
      for (const user of demo.users) say(`  ${user.email.padEnd(34)} ${user.role.padEnd(14)} ${user.institution}`);
      say(`A family's view of a search: /familias/busqueda/seguimiento with folio ${demo.missingSample.folio} and access code ${demo.missingSample.receipt}`);
      say(`A complainant's view (a question waits for an answer): /quejas/seguimiento with folio ${demo.complaintSample.folio} and receipt ${demo.complaintSample.receipt}`);
    }
  }

  const app = await createServer({ db, cipher, config });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal} received: stopping Amparo and PostgreSQL...`);
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const address = await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl ?? address.replace('127.0.0.1', 'localhost');
  say(`\nAmparo is running at ${url}`);
  say(`API reference: ${url}/api/docs  ·  health: ${url}/api/health`);
  say('Sign in with one of the users above. Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof KeyCustodyError) process.stderr.write(`Amparo could not start: ${error.message}\n`);
  else process.stderr.write(`Amparo could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
