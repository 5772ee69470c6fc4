import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';

export type DemoSummary = { password: string; users: { email: string; role: string; institution: string }[] };

/** Loads the demo data set when the database holds no institution yet (see src/demo/README in the generator). */
export async function loadDemoIfEmpty(db: Db, _cipher: FieldCipher, _options: { people: number; log: (line: string) => void }): Promise<DemoSummary | null> {
  const any = await db.selectFrom('institutions').select('id').where('type', '<>', 'platform').executeTakeFirst();
  if (any) return null;
  return null;
}
