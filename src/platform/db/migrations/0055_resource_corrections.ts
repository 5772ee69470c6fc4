import { sql, type Kysely } from 'kysely';

// Rescues and transfers say where they happened (a state, INEGI code; a point's state when recorded
// at a point), and corrections of operations and of programme points keep their history (issue 15):
// who, when, why, and each field before and after. No deletion: a count recorded wrongly is corrected,
// so what the statistics counted before stays explainable. Neither table holds personal data (an
// operation is a count of people; a point is a place and its staff numbers), so nothing is encrypted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table field_operations
      add column state char(2) check (state ~ '^(0[1-9]|[12][0-9]|3[0-2])$'),
      add column updated_by uuid references users(id),
      add column updated_at timestamptz not null default now();
    update field_operations o set state = substr(p.municipalities[1], 1, 2) from resource_points p where p.id = o.point_id;

    create table field_operation_corrections (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      operation_id uuid not null references field_operations(id),
      corrected_by uuid references users(id),
      corrected_at timestamptz not null default now(),
      reason text not null check (length(reason) between 1 and 500),
      -- [{field, from, to}] of the fields that changed
      changes jsonb not null check (jsonb_typeof(changes) = 'array')
    );
    create index field_operation_corrections_operation on field_operation_corrections (operation_id, corrected_at);

    create table resource_point_corrections (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      point_id uuid not null references resource_points(id),
      corrected_by uuid references users(id),
      corrected_at timestamptz not null default now(),
      -- A point's routine change (closing it, new staff) may go without a reason; an operation's correction may not.
      reason text check (length(reason) between 1 and 500),
      changes jsonb not null check (jsonb_typeof(changes) = 'array')
    );
    create index resource_point_corrections_point on resource_point_corrections (point_id, corrected_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table resource_point_corrections, field_operation_corrections;
    alter table field_operations drop column state, drop column updated_by, drop column updated_at;
  `.execute(db);
}
