import { sql, type Kysely } from 'kysely';

/**
 * Per-unit encryption of complaints (docs/complaints.md, "Encryption and who can decrypt";
 * decision 0006). Three levels of keys, none of them stored in clear:
 *  - user_keys: an X25519 key pair per complaint handler; the secret half is wrapped with a key
 *    derived from the handler's password (argon2id), and re-wrapped per session with a key derived
 *    from the session token, which only the browser holds;
 *  - complaint_unit_keys / _grants: an X25519 key pair per receiving unit; its secret half is sealed
 *    to each handler's public key;
 *  - complaints.key_for_unit: each complaint's own random key, sealed to the unit's public key, and
 *    key_for_complainant, wrapped with a key derived from the receipt.
 * key_version 0 marks complaints received before this migration: they stay under the key ring.
 * Unit keys and grants are small, per institution tables (Citus: reference tables).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_keys (
      user_id uuid primary key references users(id) on delete cascade,
      public_key bytea not null,
      secret_key_wrapped bytea not null,
      kdf_salt bytea not null,
      kdf text not null,
      created_at timestamptz not null default now()
    );

    create table complaint_unit_keys (
      institution_id uuid primary key references institutions(id),
      public_key bytea not null,
      created_at timestamptz not null default now()
    );

    -- A grant belongs to one key pair of the user: a new key pair (lost password) deletes the row
    -- in user_keys and, with it, every grant sealed to the old one.
    create table complaint_unit_key_grants (
      institution_id uuid not null references complaint_unit_keys(institution_id),
      user_id uuid not null references user_keys(user_id) on delete cascade,
      sealed_secret_key bytea not null,
      granted_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (institution_id, user_id)
    );

    -- Leaving the unit (or the role) ends the grant in the same transaction.
    create function complaint_grant_follows_membership() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or new.role <> 'complaint_handler' then
        delete from complaint_unit_key_grants where institution_id = old.institution_id and user_id = old.user_id;
      end if;
      return null;
    end $$;
    create trigger memberships_complaint_grant after update of role or delete on memberships
      for each row execute function complaint_grant_follows_membership();

    alter table sessions add column secret_key_wrapped bytea;
    alter table api_tokens add column secret_key_wrapped bytea;

    alter table complaints
      add column key_version smallint not null default 0,
      add column key_for_unit bytea,
      add column key_for_unit_institution uuid references institutions(id),
      add column key_for_complainant bytea,
      add column key_for_server text;
    alter table complaints alter column key_version set default 1;
    -- Complaints waiting for their unit's first key pair (sealed as soon as it exists).
    create index complaints_key_pending on complaints (institution_id) where key_for_server is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index complaints_key_pending;
    alter table complaints drop column key_version, drop column key_for_unit, drop column key_for_unit_institution,
      drop column key_for_complainant, drop column key_for_server;
    alter table api_tokens drop column secret_key_wrapped;
    alter table sessions drop column secret_key_wrapped;
    drop trigger memberships_complaint_grant on memberships;
    drop function complaint_grant_follows_membership();
    drop table complaint_unit_key_grants, complaint_unit_keys, user_keys;
  `.execute(db);
}
