import { sql, type Kysely } from 'kysely';

/**
 * My account (issue 10): recovery codes for the second factor (argon2id, each usable once) and
 * one-time password-reset links that an administrator hands out instead of a password (the token's
 * SHA-256 only; valid for a day).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table recovery_codes (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      code_hash text not null,
      created_at timestamptz not null default now(),
      used_at timestamptz
    );
    create index recovery_codes_user on recovery_codes (user_id) where used_at is null;
    create table password_reset_links (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table password_reset_links; drop table recovery_codes;`.execute(db);
}
