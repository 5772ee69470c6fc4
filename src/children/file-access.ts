import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import type { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { personVisibleTo } from '../people/person.policy.ts';
import { childFileAccess, type FileAccess } from './children.policy.ts';

/*
 * What every part of a child's file (plan, care, best interests, verification, tracing) writes and
 * reads with: the file's one way to write (locked, audited), its free text sealed and opened, the
 * people it may name. The parts import this, never the file's service (which loads the parts).
 */

/** A page of a list as the API answers it. */
export const pageOf = <T>(items: T[], total: number, { limit, offset }: { limit: number; offset: number }) => ({ items, total, limit, offset });

/** The columns `fullName` (src/platform/names.ts) reads, from `people as p`. */
export const NAME_COLUMNS = ['p.given_names', 'p.surname1', 'p.surname2'] as const;

/** The column of each of a file's tables that names the person a row is about. */
const PERSON_OF_ROW = { restitution_measures: 'beneficiary_person_id', verifications: 'adult_person_id' } as const;

/**
 * A file's rows of one table (as `r`) with the name of the person each is about (NAME_COLUMNS), for
 * the caller to order: every row names someone, so a row whose person is missing is not shown.
 */
export function fileRowsWithPerson<T extends keyof typeof PERSON_OF_ROW>(db: Db | Tx, table: T, caseId: string) {
  const { table: fileTable, ref } = db.dynamic;
  return db
    .selectFrom(fileTable(table).as('r'))
    .innerJoin('people as p', (join) => join.onRef(ref(`r.${PERSON_OF_ROW[table]}`), '=', 'p.id'))
    .selectAll('r')
    .select(NAME_COLUMNS)
    .where(ref('r.case_id'), '=', caseId);
}

/** Encrypted free text in, or null when absent; `undefined` leaves a column unchanged on update. */
export const seal = (cipher: FieldCipher, value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : cipher.encryptText(value));
/** Decrypted free text for a view; a field the key ring cannot open is null and listed as unreadable, the rest of the page intact. */
export const open = (reader: FieldReader, stored: string | null, field: string) => reader.text(stored, field);

/** Writes on a file: one transaction, the file locked, refused when closed, one audit entry. */
export async function writeOnFile<T>(db: Db, actor: Actor, caseId: string, action: string, write: (trx: Tx, file: FileAccess) => Promise<{ result: T; detail?: Record<string, string | number | boolean | null | string[]> }>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const file = await childFileAccess(trx, actor, caseId, { write: true, forUpdate: true });
    const { result, detail } = await write(trx, file);
    await trx.updateTable('child_files').set({ updated_at: new Date() }).where('case_id', '=', caseId).execute();
    await appendAudit(trx, { institutionId: file.institutionId, actorUserId: actor.userId, action, recordType: 'child_file', recordId: caseId, ip: actor.ip, ...(detail ? { detail } : {}) });
    return result;
  });
}

/** A person the actor may see (the child, a sibling, an adult), or `person_not_visible`. */
export async function visiblePerson(db: Db | Tx, actor: Actor, personId: string) {
  const person = await db
    .selectFrom('people')
    .select(['id', 'given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'estimated_age', 'age_estimated_on', 'nationalities', 'merged_into'])
    .where('id', '=', personId)
    .where(personVisibleTo(actor))
    .executeTakeFirst();
  if (!person) throw new AppError('person_not_visible');
  if (person.merged_into) throw new AppError('person_merged');
  return person;
}
