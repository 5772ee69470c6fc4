import { sql, type Kysely } from 'kysely';

// Programme resources and field operations (src/resources, decision 0008). A programme's points (a
// youth brigades' contact point, a police deployment point on a migration route) with the
// municipalities each covers and the staff posted there, kept by the institution that runs the
// programme; and the rescues and transfers its points carry out, recorded as aggregate counts of the
// people concerned (nobody is named: a person who then receives services is registered by the unit
// that attends her). Both carry institution_id (decision 0002).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table resource_points (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      name text not null check (length(name) between 1 and 200),
      kind text not null check (kind in ('contact_point','deployment_point','service_point','other')),
      -- INEGI codes (state + municipality, 5 digits); the first is where the point is.
      municipalities char(5)[] not null check (cardinality(municipalities) between 1 and 200),
      staff integer not null check (staff between 0 and 100000),
      staff_role text not null check (staff_role in ('brigade_leader','officer','staff','volunteer')),
      active_from date not null,
      active_to date,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      check (active_to is null or active_to >= active_from)
    );
    create index resource_points_institution on resource_points (institution_id, active_from);

    create table field_operations (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      point_id uuid references resource_points(id),
      kind text not null check (kind in ('rescue','transfer')),
      mode text check (mode in ('road','air')),
      occurred_on date not null,
      people integer not null check (people between 1 and 10000),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      -- A transfer says how the people were moved; a rescue has no mode.
      check ((kind = 'transfer') = (mode is not null))
    );
    create index field_operations_institution on field_operations (institution_id, occurred_on);
    create index field_operations_occurred_on on field_operations (occurred_on);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table field_operations, resource_points`.execute(db);
}
