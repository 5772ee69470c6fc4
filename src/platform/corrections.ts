import type { Db } from './db/database.ts';
import type { FieldChange } from './db/resource-tables.ts';

/**
 * Corrections that keep their history (people, rescues and transfers, programme points): each keeps
 * the fields that changed with their values before and after, beside who corrected, when and why.
 * The tables differ (a person's changes are encrypted, an operation's are not); what is changed, and
 * how the history names its author, is decided here once.
 */
/** The fields whose value differs between two views of a record, compared as JSON (lists, objects). */
export function changedFields<V extends object>(before: V, after: V, fields: readonly (keyof V & string)[]): FieldChange[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return fields.filter((field) => !same(before[field], after[field])).map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null }));
}

/** Who did it, as a history shows: the user's id and name, or null for an account since removed. */
export const userRef = (userId: string | null, name: string | null) => (userId ? { id: userId, display_name: name ?? '' } : null);

/** A stored correction as its history shows it (tables whose reason and changes are not encrypted). */
export const correctionEntry = (c: { corrected_at: Date; corrected_by: string | null; display_name: string | null; reason: string | null; changes: FieldChange[] }) => ({
  at: c.corrected_at,
  by: userRef(c.corrected_by, c.display_name),
  reason: c.reason,
  changes: c.changes,
});

/** Each correction table and the column naming the record it corrects. */
const CORRECTED_RECORD = {
  person_corrections: 'person_id',
  resource_point_corrections: 'point_id',
  field_operation_corrections: 'operation_id',
} as const;

/**
 * The corrections kept for one record, oldest first, each with the name of who made it (null once the
 * account is removed). Rows as stored: a person's reason and changes are still encrypted.
 */
export function correctionsOf<T extends keyof typeof CORRECTED_RECORD>(db: Db, table: T, recordId: string) {
  const { table: correctionTable, ref } = db.dynamic;
  return db
    .selectFrom(correctionTable(table).as('c'))
    .leftJoin('users', 'users.id', 'c.corrected_by')
    .selectAll('c')
    .select('users.display_name')
    .where(ref(`c.${CORRECTED_RECORD[table]}`), '=', recordId)
    .orderBy('c.corrected_at')
    .execute();
}
