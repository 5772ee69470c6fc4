import { sql, type Kysely } from 'kysely';

// Complaints (quejas, denuncias, peticiones): anonymous intake with a receipt, handling by the
// receiving unit, a per-complaint chain of custody, transmissions, retention. See docs/complaints.md.
//
// Complaint tables are keyed by complaint, not by institution: a complaint moves between units when
// it is forwarded, and its custody chain must not be rewritten when it does. A Citus deployment
// distributes this group by complaint_id (co-located), which keeps a complaint's page on one shard.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table memberships drop constraint memberships_role_check;
    alter table memberships add constraint memberships_role_check
      check (role in ('administrator','supervisor','caseworker','analyst','auditor','complaint_handler'));

    create table complaint_settings (
      key text primary key check (key in ('default_unit','overdue_days','retention_years')),
      value jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table complaint_routing_rules (
      id uuid primary key default gen_random_uuid(),
      priority integer not null,
      authority_type text,
      state_code char(2),
      kind text,
      institution_id uuid not null references institutions(id),
      description text check (length(description) <= 200),
      created_at timestamptz not null default now()
    );
    create index complaint_routing_rules_priority on complaint_routing_rules (priority, created_at);

    create table complaints (
      id uuid primary key default gen_random_uuid(),
      folio text not null unique check (folio ~ '^Q-[0-9]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
      receipt_hash text not null,
      institution_id uuid references institutions(id),
      kind text not null check (kind in ('grievance','report','petition')),
      channel text not null check (channel in ('web','phone','in_person')),
      status text not null check (status in ('new','under_review','more_information_requested','admitted','not_admitted','transmitted','resolved','closed')),
      status_changed_at timestamptz not null default now(),
      not_admitted_reason text,
      outcome text,
      anonymous boolean not null,
      occurred_on date,
      state_code char(2),
      municipality_code char(5),
      place_type text not null,
      authority_type text not null,
      narrative_enc text not null,
      details_enc text,
      contact_enc text,
      content_sha256 text not null check (content_sha256 ~ '^[0-9a-f]{64}$'),
      language text not null default 'es',
      assigned_to uuid references users(id),
      recorded_by uuid references users(id),
      legal_hold boolean not null default false,
      legal_hold_reason text check (length(legal_hold_reason) <= 500),
      received_at timestamptz not null default now(),
      resolved_at timestamptz,
      closed_at timestamptz,
      updated_at timestamptz not null default now(),
      check ((status = 'not_admitted') <= (not_admitted_reason is not null)),
      check ((status = 'resolved') <= (outcome is not null))
    );
    create index complaints_inbox on complaints (institution_id, status, received_at desc);
    create index complaints_assigned on complaints (assigned_to, status);

    create table complaint_messages (
      id uuid primary key default gen_random_uuid(),
      complaint_id uuid not null references complaints(id),
      direction text not null check (direction in ('to_complainant','from_complainant')),
      is_question boolean not null default false,
      body_enc text not null,
      author_id uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index complaint_messages_complaint on complaint_messages (complaint_id, created_at);

    create table complaint_notes (
      id uuid primary key default gen_random_uuid(),
      complaint_id uuid not null references complaints(id),
      body_enc text not null,
      author_id uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index complaint_notes_complaint on complaint_notes (complaint_id, created_at);

    create table complaint_attachments (
      id uuid primary key default gen_random_uuid(),
      complaint_id uuid not null references complaints(id),
      message_id uuid references complaint_messages(id),
      source text not null check (source in ('complainant','operator','handler')),
      filename_enc text not null,
      media_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      metadata_removed boolean not null default false,
      content_enc bytea not null,
      uploaded_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index complaint_attachments_complaint on complaint_attachments (complaint_id, created_at);

    create table complaint_transmissions (
      id uuid primary key default gen_random_uuid(),
      complaint_id uuid not null references complaints(id),
      institution_id uuid not null references institutions(id),
      to_authority text not null check (length(to_authority) between 2 and 200),
      means text not null,
      reference text check (length(reference) <= 200),
      sent_at timestamptz not null default now(),
      sent_by uuid references users(id),
      package_sha256 text not null,
      manifest jsonb not null,
      package_enc bytea not null
    );
    create index complaint_transmissions_complaint on complaint_transmissions (complaint_id, sent_at);

    -- One hash chain per complaint: every action on it, linked by SHA-256 (see docs/complaints.md).
    create table complaint_custody (
      complaint_id uuid not null references complaints(id),
      seq integer not null,
      at timestamptz not null,
      actor_kind text not null check (actor_kind in ('complainant','operator','handler','system')),
      actor_user_id uuid references users(id),
      action text not null,
      detail jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null,
      primary key (complaint_id, seq)
    );

    -- Append-only, except for the retention job (which sets amparo.retention for its transaction).
    create function complaint_custody_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and current_setting('amparo.retention', true) = 'on' then return old; end if;
        raise exception 'complaint_custody is append-only' using errcode = 'insufficient_privilege';
      end $$;
    create trigger complaint_custody_append_only before update or delete on complaint_custody
      for each row execute function complaint_custody_guard();

    create table complaint_signing_keys (
      id text primary key,
      algorithm text not null default 'Ed25519',
      public_key_pem text not null,
      private_key_enc text not null,
      created_at timestamptz not null default now()
    );

    -- What remains of a complaint after its retention period: counts only, no identifier, no text.
    create table complaint_statistics_archive (
      id bigint generated always as identity primary key,
      institution_id uuid references institutions(id),
      kind text not null,
      channel text not null,
      state_code char(2),
      place_type text not null,
      authority_type text not null,
      anonymous boolean not null,
      status text not null,
      not_admitted_reason text,
      outcome text,
      received_on date not null,
      resolved_on date,
      closed_on date,
      deleted_on date not null default current_date
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table complaint_statistics_archive, complaint_signing_keys, complaint_custody, complaint_transmissions,
      complaint_attachments, complaint_notes, complaint_messages, complaints, complaint_routing_rules, complaint_settings cascade;
    drop function complaint_custody_guard();
    alter table memberships drop constraint memberships_role_check;
    alter table memberships add constraint memberships_role_check
      check (role in ('administrator','supervisor','caseworker','analyst','auditor'));
  `.execute(db);
}
