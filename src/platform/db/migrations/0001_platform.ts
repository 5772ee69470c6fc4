import { sql, type Kysely } from 'kysely';

// Institutions, users, sessions and the audit log: everything a module needs before it holds a record.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;
    create extension if not exists fuzzystrmatch;
    create extension if not exists unaccent;
    create extension if not exists pgcrypto;

    -- unaccent() is only STABLE; indexes need an IMMUTABLE fold. The dictionary is fixed, so this is safe.
    create or replace function amparo_fold(value text) returns text
      language sql immutable parallel safe strict
      as $$ select lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

    create table institutions (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[A-Z0-9]{2,12}$'),
      name text not null check (length(name) between 2 and 200),
      type text not null check (type in ('federal_agency','state_agency','consulate','shelter','civil_society','international_organisation','platform')),
      unit_type text check (unit_type in ('outpatient','residential','mobile','office')),
      country char(3) not null default 'MEX',
      state_code char(2),
      municipality_code char(5),
      parent_id uuid references institutions(id),
      require_mfa boolean not null default false,
      created_at timestamptz not null default now()
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null check (length(email) <= 254),
      display_name text not null check (length(display_name) between 1 and 120),
      password_hash text not null,
      is_platform_admin boolean not null default false,
      preferred_language text not null default 'es' check (preferred_language in ('es','en')),
      totp_secret_enc text,
      totp_enabled boolean not null default false,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index users_email_key on users (lower(email));

    create table memberships (
      user_id uuid not null references users(id),
      institution_id uuid not null references institutions(id),
      role text not null check (role in ('administrator','supervisor','caseworker','analyst','auditor')),
      created_at timestamptz not null default now(),
      primary key (user_id, institution_id)
    );
    create index memberships_institution on memberships (institution_id);

    create table sessions (
      id_hash text primary key,
      user_id uuid not null references users(id),
      institution_id uuid not null references institutions(id),
      csrf_token text not null,
      mfa_pending boolean not null default false,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_user on sessions (user_id);

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      institution_id uuid not null references institutions(id),
      name text not null check (length(name) between 1 and 100),
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );

    -- One hash chain per institution (the nil UUID for platform events): chains can be appended in
    -- parallel, and the table can be distributed by institution_id without breaking a chain.
    create table audit_log (
      id bigint generated always as identity,
      institution_id uuid not null,
      at timestamptz not null default clock_timestamp(),
      actor_user_id uuid,
      action text not null,
      record_type text not null,
      record_id text,
      ip inet,
      detail jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null,
      primary key (institution_id, id)
    );
    create index audit_log_at on audit_log (at desc);
    create index audit_log_record on audit_log (record_type, record_id);

    create function audit_log_is_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege'; end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_is_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_is_append_only();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The platform migration cannot be reverted: the audit log is permanent.');
}
