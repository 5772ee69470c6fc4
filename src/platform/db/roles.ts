import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from './database.ts';

/**
 * Two PostgreSQL roles (issue 14): the **owner** (the embedded server's `amparo`, or the user of
 * DATABASE_URL) owns the tables and runs the migrations; the **application role** is what the server
 * and the command line connect as for everything else. It is not a superuser, owns nothing, and may
 * not UPDATE, DELETE or TRUNCATE the audit log (nor delete sealed heads or recorded key fingerprints),
 * so that a flaw in the application cannot rewrite history; the triggers of 0001 stay as a second wall.
 */
export const APP_ROLE = 'amparo_app';

/**
 * The application role's password, derived from the owner's: whoever holds the owner's password has
 * more than the application's anyway, and every process that knows the owner (the server, the CLI,
 * the tests) finds the same password without a second secret to keep.
 */
export function appRoleUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  const password = createHmac('sha256', decodeURIComponent(url.password) || `${url.host}${url.pathname}`).update('amparo application role v1').digest('base64url');
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}

/**
 * Creates the application role if missing (the owner needs CREATEROLE: the embedded server's has it)
 * and sets its password. Nothing is changed when the role can already sign in: roles belong to the
 * whole cluster, and two processes altering one at once fail ("tuple concurrently updated").
 */
export async function ensureAppRole(owner: Db, appUrl: string): Promise<void> {
  if (await canSignIn(appUrl)) return;
  const url = new URL(appUrl);
  const role = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const exists = await sql<{ n: number }>`select count(*)::int as n from pg_roles where rolname = ${role}`.execute(owner);
  try {
    if (exists.rows[0]!.n === 0) await sql`create role ${sql.id(role)} login nosuperuser nocreatedb nocreaterole noinherit password ${sql.lit(password)}`.execute(owner);
    else await sql`alter role ${sql.id(role)} login nosuperuser nocreatedb nocreaterole password ${sql.lit(password)}`.execute(owner);
  } catch (error) {
    throw new Error(
      `Could not create or update the PostgreSQL role "${role}" that Amparo's server connects as (${(error as Error).message}). ` +
        'Create it yourself (docs/operations.md, "Two database roles") and set AMPARO_APP_DATABASE_URL.',
      { cause: error },
    );
  }
}

/**
 * What the application role may do: read and write the tables, with no way to change or remove audit
 * entries. Run by the owner after the migrations at every start, so that new tables are covered.
 */
export async function grantAppRole(owner: Db, role: string): Promise<void> {
  const r = sql.id(role);
  // A server and a command starting together would otherwise update the same catalog rows at once.
  await owner.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('amparo grants'))`.execute(trx);
    await sql`grant usage on schema public to ${r}`.execute(trx);
    await sql`grant select, insert, update, delete on all tables in schema public to ${r}`.execute(trx);
    await sql`grant usage, select on all sequences in schema public to ${r}`.execute(trx);
    await sql`revoke truncate, references, trigger on all tables in schema public from ${r}`.execute(trx);
    await sql`revoke update, delete on audit_log from ${r}`.execute(trx);
    await sql`revoke delete on audit_chain_heads, key_ring_fingerprints from ${r}`.execute(trx);
    await sql`revoke update on key_ring_fingerprints from ${r}`.execute(trx);
    await sql`revoke insert, update, delete on kysely_migration, kysely_migration_lock from ${r}`.execute(trx);
    // VACUUM and ANALYZE of the matching's key tables after a large import (missing/matching.ts
    // vacuumKeysAfterLargeWrites); the privilege exists from PostgreSQL 17 on, and before it autovacuum does it alone.
    const { rows } = await sql<{ version: number }>`select current_setting('server_version_num')::int as version`.execute(trx);
    if (rows[0]!.version >= 170000) await sql`grant maintain on missing_name_keys, missing_mark_keys to ${r}`.execute(trx);
  });
}

async function canSignIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Refuses to run the server as a role that could rewrite the audit log: a superuser, the tables'
 * owner (or a member of it), or one granted UPDATE, DELETE or TRUNCATE on audit_log.
 */
export async function assertAppRoleCannotRewriteAudit(app: Db): Promise<void> {
  const { rows } = await sql<{ role: string; superuser: boolean; owns: boolean; rewrite: boolean }>`
    select current_user as role,
           (select rolsuper from pg_roles where rolname = current_user) as superuser,
           pg_has_role(current_user, (select tableowner from pg_tables where schemaname = 'public' and tablename = 'audit_log'), 'MEMBER') as owns,
           has_table_privilege(current_user, 'audit_log', 'UPDATE') or has_table_privilege(current_user, 'audit_log', 'DELETE')
             or has_table_privilege(current_user, 'audit_log', 'TRUNCATE') as rewrite`.execute(app);
  const row = rows[0]!;
  const why = row.superuser ? 'is a superuser' : row.owns ? 'owns the tables' : row.rewrite ? 'may update, delete or truncate audit_log' : null;
  if (why) {
    throw new Error(
      `The database role "${row.role}" that the server connects as ${why}, so the audit log could be rewritten. ` +
        'Give the server a role of its own (AMPARO_APP_DATABASE_URL; docs/operations.md, "Two database roles").',
    );
  }
}
