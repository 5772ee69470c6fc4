import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freshDatabase } from '../../../test/helpers.ts';
import type { Db } from '../../platform/db/database.ts';
import { runCli } from '../commands.ts';

/**
 * `amparo` as an operator runs it, against a database and a scratch folder of its own, for one describe
 * block (it registers its own beforeAll and afterAll). The key file lives in the scratch folder.
 */
export function commandLineInFreshDatabase(folderPrefix: string) {
  let db: Db | undefined;
  let url = '';
  let dir = '';
  beforeAll(async () => {
    ({ db, url } = await freshDatabase());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  });
  afterAll(async () => {
    await db?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get db(): Db {
      return db!;
    },
    get dir(): string {
      return dir;
    },
    async amparo(...argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const env: NodeJS.ProcessEnv = { DATABASE_URL: url, AMPARO_KEY_FILE: path.join(dir, 'keys.json'), AMPARO_DATA_DIR: dir };
      const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
      return { code, stdout: out.join('\n'), stderr: err.join('\n') };
    },
  };
}
