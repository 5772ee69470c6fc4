import { sql, type Kysely } from 'kysely';

// Photos a family adds to its public report of a missing relative (src/missing/public): stored
// encrypted by the application, after their metadata (EXIF with GPS position, camera data) was
// stripped; `metadata_removed` says what was taken out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table missing_report_photos (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references missing_reports(id),
      institution_id uuid not null references institutions(id),
      media_type text not null check (media_type in ('image/jpeg','image/png')),
      size_bytes integer not null check (size_bytes > 0),
      content_enc bytea not null,
      metadata_removed text[] not null default '{}',
      created_at timestamptz not null default now()
    );
    create index missing_report_photos_report on missing_report_photos (report_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table missing_report_photos;`.execute(db);
}
