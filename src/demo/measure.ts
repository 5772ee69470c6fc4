/**
 * Times the demo load on a throw-away embedded PostgreSQL and prints what it produced:
 *   npx tsx src/demo/measure.ts [people]      (default 3000)
 * Not part of the application; for checking speed and the shape of the data after changes.
 */
import fs from 'node:fs';
import { startEmbeddedPostgres, ensureDatabase, postgresDataDir } from '../platform/db/embedded.ts';
import { createDb, migrateToLatest } from '../platform/db/database.ts';
import { FieldCipher, newKeyRing } from '../platform/crypto/field-encryption.ts';
import { loadDemoIfEmpty } from './demo.ts';
import { verifyAuditChains } from '../platform/audit/audit.ts';
import { ensureFirstAdmin } from '../users/user.service.ts';
import { sql } from 'kysely';

const dir = postgresDataDir({ prefix: 'amparo-measure-' });
const server = await startEmbeddedPostgres({ dataDir: dir, port: 54400 + Math.floor(Math.random() * 500) });
try {
  await ensureDatabase(server.url('postgres'), 'm');
  const db = createDb(server.url('m'));
  await migrateToLatest(db);
  await ensureFirstAdmin(db, undefined, 'x'.repeat(14));
  const cipher = await FieldCipher.fromRing(await newKeyRing());
  const n = Number(process.argv[2] ?? 3000);
  const t = Date.now();
  const summary = await loadDemoIfEmpty(db, cipher, { people: n, log: (l) => console.log(l) });
  console.log('total ms', Date.now() - t, 'users', summary?.users.length);
  const t2 = Date.now();
  const chains = await verifyAuditChains(db);
  console.log('verify ms', Date.now() - t2, chains.every((c) => c.ok), chains.length);
  for (const q of [
    sql`select programme, status, count(*) from cases group by 1,2 order by 1,2`,
    sql`select nationalities[1] n, count(*) from people group by 1 order by 2 desc`,
    sql`select sex, count(*) from people group by 1`,
    sql`select count(*) filter (where coalesce(estimated_age, date_part('year', age(current_date, date_of_birth))) < 18) kids, count(*) filter (where 'unaccompanied_child' = any(vulnerabilities)) unacc from people`,
    sql`select status, count(*) from referrals group by 1`,
    sql`select given_names, surname1, surname2, languages from people order by random() limit 25`,
    sql`select i.code, count(*) from cases c join institutions i on i.id=c.institution_id group by 1 order by 2 desc`,
    sql`select count(*) from services`,
    sql`select count(*) from case_events`,
    sql`select count(*) from case_notes`,
    sql`select folio from cases order by folio limit 3`,
  ]) console.table((await q.execute(db)).rows);
  await db.destroy();
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
