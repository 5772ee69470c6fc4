/**
 * Starts an Amparo server for the crash test: `node --import tsx src/complaints/testing/serve.ts`
 * with DATABASE_URL and AMPARO_KEYS set. Prints "LISTENING <url>" once it accepts connections.
 */
import { createDb } from '../../platform/db/database.ts';
import { FieldCipher, type KeyRingFile } from '../../platform/crypto/field-encryption.ts';
import { processConfig } from '../../platform/config.ts';
import { createServer } from '../../server.ts';
import { publicLimits } from '../../platform/limits/anonymous.ts';

publicLimits.submissionsPerSource = 1_000_000;
const config = { ...processConfig(), logLevel: 'silent' as const };
const db = createDb(config.databaseUrl!);
const cipher = await FieldCipher.fromRing(JSON.parse(config.keys!) as KeyRingFile);
const app = await createServer({ db, cipher, config }, { logger: false });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${address}\n`);
