import { sql, type Kysely } from 'kysely';

/**
 * Appending to an audit chain in one statement: lock the chain, read its last hash, hash and insert.
 * The canonical text of the entry is made by the application (src/platform/audit/audit.ts), which also
 * verifies chains, so hashing stays defined in one place; the function only chains it. One round trip
 * instead of three, and a plan PL/pgSQL caches (measured with bench/intake: planning was the largest
 * share of PostgreSQL's time per case).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function amparo_audit_append(
      p_institution_id uuid, p_at timestamptz, p_actor_user_id uuid, p_action text, p_record_type text,
      p_record_id text, p_ip inet, p_detail jsonb, p_canonical text
    ) returns void language plpgsql as $$
    declare
      v_prev text;
    begin
      perform pg_advisory_xact_lock(hashtext('audit:' || p_institution_id::text));
      select hash into v_prev from audit_log where institution_id = p_institution_id order by id desc limit 1;
      v_prev := coalesce(v_prev, repeat('0', 64));
      insert into audit_log (institution_id, at, actor_user_id, action, record_type, record_id, ip, detail, prev_hash, hash)
      values (p_institution_id, p_at, p_actor_user_id, p_action, p_record_type, p_record_id, p_ip, p_detail, v_prev,
              encode(digest(v_prev || E'\\n' || p_canonical, 'sha256'), 'hex'));
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function amparo_audit_append`.execute(db);
}
