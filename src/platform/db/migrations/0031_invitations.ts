import { sql, type Kysely } from 'kysely';

/**
 * Invitations instead of accounts made on the spot (issue 14): an administrator who adds someone
 * gets a one-time link whether or not the email already has an account elsewhere, so she learns
 * nothing about other institutions' accounts. Nothing is written to `users` or `memberships` until
 * the link is used: a new person chooses her password; the holder of an existing account signs in and
 * accepts the membership (src/users/invitation.service.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table invitations (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      email text not null,
      display_name text not null,
      institution_id uuid not null references institutions(id),
      role text not null,
      preferred_language text not null check (preferred_language in ('es', 'en')),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      accepted_by uuid references users(id)
    );
    create index invitations_pending on invitations (institution_id, lower(email)) where used_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table invitations`.execute(db);
}
