import type { Db } from './platform/db/database.ts';
import { listDemoUsers, type DemoSummary } from './demo/demo.ts';

/**
 * What a newcomer needs to sign in, printed as the last block at start, once the server listens and
 * its worker runs: the demo users (on every start while the demo is loaded), the shared password and
 * the folios to try (on the first start, the only time they are known in clear), the administrator,
 * how to set a new password for anyone, and the address last, where the eye lands.
 */

export type StartDetails = {
  url: string;
  /** The first administrator, when this start created it (with the password when it was generated). */
  admin: { email: string; password: string | null } | null;
  /** What the demo load returned, when this start loaded it. */
  demo: DemoSummary | null;
};

const RULE = '─'.repeat(72);

function resetHint(email: string): string {
  return `npm run amparo -- user reset-password --email ${email}`;
}

export async function signInDetails(db: Db, details: StartDetails): Promise<string[]> {
  const lines: string[] = ['', RULE];
  const users = details.demo?.users ?? (await listDemoUsers(db));
  if (users.length) {
    lines.push(details.demo ? `Demo users, all with the password ${details.demo.password}` : 'Demo users (their shared password was shown on the first start):');
    for (const user of users) lines.push(`  ${user.email.padEnd(36)} ${user.role.padEnd(18)} ${user.institution}`);
    if (!details.demo) lines.push(`  To give one a new password: ${resetHint('<email>')} --password "<at least 12 characters>"`);
  }
  if (details.demo) {
    const { missingSample: missing, complaintSample: complaint } = details.demo;
    lines.push('Try the public pages (these codes are shown only now):');
    lines.push(`  a family following a search: ${details.url}/familias/busqueda/seguimiento  folio ${missing.folio}  access code ${missing.receipt}`);
    lines.push(`  a complainant (a question waits for an answer): ${details.url}/quejas/seguimiento  folio ${complaint.folio}  receipt ${complaint.receipt}`);
  }
  const admins = details.admin ? [details.admin.email] : (await db.selectFrom('users').select('email').where('is_platform_admin', '=', true).where('disabled_at', 'is', null).orderBy('email').execute()).map((u) => u.email);
  for (const email of admins) {
    const password = details.admin?.password ? `password (shown only now): ${details.admin.password}` : details.admin ? 'password as set in AMPARO_ADMIN_PASSWORD' : 'password shown on the first start';
    lines.push(`Administrator: ${email}, ${password}`);
    lines.push(`  Forgotten? ${resetHint(email)}`);
  }
  lines.push(RULE);
  lines.push(`Amparo is running at ${details.url}  (staff sign in at ${details.url}/personal; API reference: ${details.url}/api/docs)`);
  lines.push(users.length || admins.length ? 'Sign in there with one of the users above. Ctrl-C stops Amparo.' : 'Ctrl-C stops Amparo.');
  return lines;
}
