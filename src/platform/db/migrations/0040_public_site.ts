import { sql, type Kysely } from 'kysely';

// The public front door (src/public, docs/public.md): who runs the service (one row of settings the
// platform administrators edit: operator, logo, phone, WhatsApp, address, privacy notice) and the
// information pages, each a slug with its versions (every edit a new row; the newest is shown, the
// older ones stay readable). Nothing here is personal data about the public.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table public_site_settings (
      id boolean primary key default true check (id),
      operator_name text not null check (length(operator_name) between 1 and 200),
      phone text check (length(phone) <= 40),
      whatsapp text check (length(whatsapp) <= 40),
      address text check (length(address) <= 500),
      privacy_notice text check (length(privacy_notice) <= 30000),
      logo bytea check (octet_length(logo) <= 200000),
      logo_media_type text check (logo_media_type in ('image/png','image/jpeg')),
      check ((logo is null) = (logo_media_type is null)),
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id)
    );

    create table information_pages (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
      position integer not null default 0,
      created_at timestamptz not null default now()
    );

    create table information_page_versions (
      id uuid primary key default gen_random_uuid(),
      page_id uuid not null references information_pages(id),
      version integer not null check (version >= 1),
      title text not null check (length(title) between 1 and 200),
      summary text not null check (length(summary) <= 500),
      body text not null check (length(body) between 1 and 40000),
      sources text not null check (length(sources) between 1 and 5000),
      reviewed_on date not null,
      note text check (length(note) <= 500),
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      unique (page_id, version)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table information_page_versions; drop table information_pages; drop table public_site_settings;`.execute(db);
}
