import { sql, type Kysely } from 'kysely';

/**
 * Growing delays for sign-in attempts, per email (known or not, by a hash), kept in the database so
 * that a restart does not reset them (src/platform/auth/throttle.ts). Replaces the 15-minute lock
 * that anyone knowing an email could impose on its owner.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table login_throttle (
      key_hash text primary key,
      failures integer not null,
      next_attempt_at timestamptz not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table login_throttle`.execute(db);
}
