import { sql, type Kysely } from 'kysely';

/**
 * Administration screens (issue 10): each user's last sign-in, and CSV imports started from the web
 * app, which run in the background and report their progress and, row by row, what was accepted or
 * rejected and why. The uploaded file is kept encrypted only while its job runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column last_sign_in_at timestamptz;

    create table import_jobs (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      created_by uuid not null references users(id),
      kind text not null check (kind in ('people', 'reports', 'found')),
      file_name text not null,
      file_sha256 text not null,
      file_enc bytea,
      skip_invalid boolean not null,
      language text not null check (language in ('es', 'en')),
      status text not null default 'queued' check (status in ('queued', 'checking', 'writing', 'done', 'rejected', 'failed')),
      total_rows integer,
      rows_valid integer,
      rows_written integer not null default 0,
      rows_rejected integer not null default 0,
      error_code text,
      error_params jsonb,
      created_at timestamptz not null default now(),
      heartbeat_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index import_jobs_institution on import_jobs (institution_id, created_at desc);

    create table import_job_rows (
      job_id uuid not null references import_jobs(id) on delete cascade,
      row integer not null,
      line integer,
      external_id text,
      record_id uuid,
      folio text,
      errors jsonb,
      primary key (job_id, row)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_job_rows; drop table import_jobs; alter table users drop column last_sign_in_at;`.execute(db);
}
