import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { RECORD_KEY_ID } from '../platform/crypto/content-key.ts';
import { appendAudit } from '../platform/audit/audit.ts';

/**
 * Every column encrypted with the FieldCipher: text ones hold "keyid:base64", bytea ones a key-id
 * prefix (see FieldCipher). Tables of modules not installed yet are skipped. A new encrypted column
 * must be added here; `amparo keys reencrypt` warns about any *_enc column it does not know.
 */
export const ENCRYPTED_COLUMNS = [
  { table: 'people', column: 'documents_enc', kind: 'text' },
  { table: 'people', column: 'contact_enc', kind: 'text' },
  { table: 'cases', column: 'summary_enc', kind: 'text' },
  { table: 'services', column: 'notes_enc', kind: 'text' },
  { table: 'case_notes', column: 'body_enc', kind: 'text' },
  { table: 'attachments', column: 'filename_enc', kind: 'text' },
  { table: 'attachments', column: 'content_enc', kind: 'bytes' },
  { table: 'users', column: 'totp_secret_enc', kind: 'text' },
  { table: 'complaints', column: 'narrative_enc', kind: 'text' },
  { table: 'complaints', column: 'details_enc', kind: 'text' },
  { table: 'complaints', column: 'contact_enc', kind: 'text' },
  { table: 'complaint_messages', column: 'body_enc', kind: 'text' },
  { table: 'complaint_notes', column: 'body_enc', kind: 'text' },
  { table: 'complaint_attachments', column: 'filename_enc', kind: 'text' },
  { table: 'complaint_attachments', column: 'content_enc', kind: 'bytes' },
  { table: 'missing_report_photos', column: 'content_enc', kind: 'bytes' },
  { table: 'complaint_signing_keys', column: 'private_key_enc', kind: 'text' },
  { table: 'complaint_transmissions', column: 'package_enc', kind: 'bytes' },
  // A complaint's key while its unit has no key pair yet (src/complaints/keys.ts).
  { table: 'complaints', column: 'key_for_server', kind: 'text' },
  // An uploaded CSV file while its import job runs (src/imports/).
  { table: 'import_jobs', column: 'file_enc', kind: 'bytes' },
  // Child protection (src/children): the child's words, evidence, reasons and notes.
  { table: 'child_files', column: 'accompanied_by_enc', kind: 'text' },
  { table: 'child_files', column: 'views_enc', kind: 'text' },
  { table: 'restitution_notes', column: 'body_enc', kind: 'text' },
  { table: 'placements', column: 'place_enc', kind: 'text' },
  { table: 'placements', column: 'justification_enc', kind: 'text' },
  { table: 'best_interests', column: 'evidence_enc', kind: 'text' },
  { table: 'best_interests', column: 'child_views_enc', kind: 'text' },
  { table: 'best_interests', column: 'findings_enc', kind: 'text' },
  { table: 'best_interests', column: 'reasons_enc', kind: 'text' },
  { table: 'bid_panel_members', column: 'position_enc', kind: 'text' },
  { table: 'verifications', column: 'notes_enc', kind: 'text' },
  { table: 'reunification_followups', column: 'notes_enc', kind: 'text' },
  // Screenings (src/screenings): free-text answers.
  { table: 'screening_answers', column: 'text_enc', kind: 'text' },
] as const;

export type ReencryptCount = { table: string; column: string; reencrypted: number };

const TEXT_BATCH = 500;
// Attachments can be 10 MB each: few at a time.
const BYTES_BATCH = 5;

type Target = { table: string; column: string; kind: 'text' | 'bytes'; idType: string };

/** The known encrypted columns present in this database, with the type of their table's id. */
async function presentTargets(db: Db): Promise<{ targets: Target[]; unknown: string[] }> {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() and (column_name like '%\_enc' or column_name = 'id' or column_name = 'key_for_server')`.execute(db);
  const idTypes = new Map(rows.filter((r) => r.column_name === 'id').map((r) => [r.table_name, r.data_type]));
  const present = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
  const targets = ENCRYPTED_COLUMNS.filter((t) => present.has(`${t.table}.${t.column}`) && idTypes.has(t.table)).map((t) => ({ ...t, idType: idTypes.get(t.table)! }));
  const known = new Set(ENCRYPTED_COLUMNS.map((t) => `${t.table}.${t.column}`));
  const unknown = rows.filter((r) => r.column_name !== 'id' && !known.has(`${r.table_name}.${r.column_name}`)).map((r) => `${r.table_name}.${r.column_name}`);
  return { targets, unknown };
}

/** Values under another ring key; values under a record's own key (RECORD_KEY_ID, complaints) are not the ring's to rotate. */
const notCurrentCondition = (target: { column: string; kind: 'text' | 'bytes' }, current: string) => {
  const column = sql.ref(target.column);
  if (target.kind === 'text') return sql`${column} not like ${`${current}:%`} and ${column} not like ${`${RECORD_KEY_ID}:%`}`;
  const keyId = sql`substring(${column} from 2 for get_byte(${column}, 0))`;
  return sql`${keyId} <> ${Buffer.from(current, 'ascii')} and ${keyId} <> ${Buffer.from(RECORD_KEY_ID, 'ascii')}`;
};

/**
 * Re-encrypts, under the cipher's current key, every value made with another key. Batches of rows in
 * their own transaction, walking each table by id; a row changed meanwhile (its old value no longer
 * there) is left alone and caught by the next run. Safe to run again: values already under the
 * current key are skipped.
 */
export async function reencryptAll(db: Db, cipher: FieldCipher, progress: (line: string) => void = () => undefined): Promise<ReencryptCount[]> {
  const current = cipher.currentKeyId;
  const counts: ReencryptCount[] = [];
  const { targets, unknown } = await presentTargets(db);
  for (const name of unknown) progress(`Warning: ${name} looks encrypted but is not in the rotation list (src/cli/reencrypt.ts); it was left as it is.`);
  for (const target of targets) {
    const table = sql.table(target.table);
    const column = sql.ref(target.column);
    const idType = target.idType === 'text' ? sql`text` : target.idType === 'bigint' ? sql`bigint` : sql`uuid`;
    let after: string | null = null;
    let reencrypted = 0;
    for (;;) {
      const { rows }: { rows: { id: string; value: string | Buffer }[] } = await sql<{ id: string; value: string | Buffer }>`
        select id, ${column} as value from ${table}
        where ${column} is not null and ${notCurrentCondition(target, current)} ${after === null ? sql`` : sql`and id > ${after}`}
        order by id limit ${target.kind === 'text' ? TEXT_BATCH : BYTES_BATCH}`.execute(db);
      if (rows.length === 0) break;
      after = String(rows[rows.length - 1]!.id);
      const changes = rows
        .filter((row) => cipher.keyIdOf(row.value) !== current)
        .map((row) =>
          target.kind === 'text'
            ? { id: String(row.id), old: row.value, next: cipher.encryptText(cipher.decryptText(row.value as string)) }
            : { id: String(row.id), old: row.value, next: cipher.encryptBytes(cipher.decryptBytes(row.value as Buffer)) },
        );
      if (!changes.length) continue;
      await db.transaction().execute(async (trx) => {
        if (target.kind === 'text') {
          const result = await sql`
            update ${table} set ${column} = v.next
            from unnest(${changes.map((c) => c.id)}::${idType}[], ${changes.map((c) => c.old)}::text[], ${changes.map((c) => c.next)}::text[]) as v(id, old, next)
            where ${table}.id = v.id and ${table}.${column} = v.old`.execute(trx);
          reencrypted += Number(result.numAffectedRows ?? 0);
        } else {
          for (const change of changes) {
            const result = await sql`update ${table} set ${column} = ${change.next} where id = ${change.id} and ${column} = ${change.old}`.execute(trx);
            reencrypted += Number(result.numAffectedRows ?? 0);
          }
        }
      });
      progress(`  ${target.table}.${target.column}: ${reencrypted}...`);
    }
    counts.push({ table: target.table, column: target.column, reencrypted });
  }
  await appendAudit(db, {
    institutionId: null,
    actorUserId: null,
    action: 'keys.reencrypted',
    recordType: 'key_ring',
    recordId: current,
    detail: Object.fromEntries(counts.map((c) => [`${c.table}.${c.column}`, c.reencrypted])),
  });
  return counts;
}

/** How many values are still under a key other than the current one (0 everywhere: old keys can go). */
export async function countNotCurrent(db: Db, currentKeyId: string): Promise<number> {
  let total = 0;
  for (const target of (await presentTargets(db)).targets) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(target.table)} where ${sql.ref(target.column)} is not null and ${notCurrentCondition(target, currentKeyId)}`.execute(db);
    total += Number(rows[0]?.n ?? 0);
  }
  return total;
}
