import { sql, type Kysely } from 'kysely';

// Offline work (src/offline, docs/offline.md): every write a device queued while offline arrives with
// an idempotency key chosen on the device. The first request with a key is applied and its answer kept
// here; a repeat (a retry after a lost answer, a second tab, a resumed sync) gets that answer back and
// writes nothing. Keys are the user's own: two people's devices can never collide. The answer holds ids
// and folios only, never personal data; `request_sha256` tells a repeat from a different write that
// reused the key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table offline_writes (
      user_id uuid not null references users(id) on delete cascade,
      idempotency_key text not null check (idempotency_key ~ '^[A-Za-z0-9_-]{16,100}$'),
      institution_id uuid not null references institutions(id),
      operation text not null check (length(operation) <= 40),
      request_sha256 text not null check (request_sha256 ~ '^[0-9a-f]{64}$'),
      record_id uuid not null,
      response jsonb not null,
      made_at timestamptz not null,
      received_at timestamptz not null default now(),
      primary key (user_id, idempotency_key)
    );
    create index offline_writes_received on offline_writes (received_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table offline_writes`.execute(db);
}
