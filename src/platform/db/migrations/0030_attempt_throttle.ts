import { sql, type Kysely } from 'kysely';

/**
 * One table of growing delays for every secret that people type (issue 14): sign-in per email, and
 * now complaint receipts and families' access codes per folio, so that a guesser cannot lock the
 * owner out for an hour and a restart does not give the guesser a fresh start
 * (src/platform/limits/throttle.ts). Keys stay hashes; `scope` says which rule wrote a row.
 *
 * Complaint handlers need a second factor unless the platform administrator turns that default off
 * for an institution (`complaint_handlers_mfa`, src/platform/auth/auth.service.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table login_throttle rename to attempt_throttle;
    alter table attempt_throttle add column scope text not null default 'login' check (scope in ('login', 'folio'));
    alter table attempt_throttle alter column scope drop default;
    alter table institutions add column complaint_handlers_mfa boolean not null default true;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table institutions drop column complaint_handlers_mfa;
    alter table attempt_throttle drop column scope;
    alter table attempt_throttle rename to login_throttle;
  `.execute(db);
}
