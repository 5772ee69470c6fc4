import { sql, type Kysely } from 'kysely';

/**
 * The fingerprints of the key ring the data was written with (never the keys): a start with a
 * missing or different key file is refused instead of creating a new ring that cannot read the data
 * (src/platform/crypto/custody.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table key_ring_fingerprints (
      key_id text primary key,
      fingerprint text not null,
      recorded_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table key_ring_fingerprints`.execute(db);
}
