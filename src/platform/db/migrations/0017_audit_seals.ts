import { sql, type Kysely } from 'kysely';

/**
 * The sealed head of each audit chain: the last entry the application verified and its hash, with a
 * MAC under a key derived from the key ring (outside the database). Whoever can write the database
 * but lacks the key ring can recompute the plain SHA-256 chain after changing a row, but cannot make
 * a head that matches it (src/platform/audit/seal.ts). Rows are only inserted and moved forward:
 * the application's role gets no DELETE or TRUNCATE on this table (src/platform/db/roles.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_chain_heads (
      institution_id uuid primary key,
      last_id bigint not null,
      hash text not null,
      entries bigint not null,
      mac text not null,
      sealed_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_chain_heads`.execute(db);
}
