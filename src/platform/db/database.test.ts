import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, makeInstitution } from '../../../test/helpers.ts';
import { anyUuid, createDb, plainArray, planEachTime, type Db } from './database.ts';

let db: Db;
let institution: string;

beforeAll(async () => {
  const { url, db: setup } = await freshDatabase();
  await setup.destroy();
  // One connection, so that pg_prepared_statements (per session) shows the whole cache.
  db = createDb(url, { max: 1, preparedStatements: 20 });
  institution = (await makeInstitution(db)).id;
});
afterAll(async () => db?.destroy());

const preparedOnServer = async () => (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(db)).rows[0]!.n;
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('the prepared-statement cache', () => {
  it('stays within its bound however many different IN-list lengths are asked', async () => {
    for (let length = 1; length <= 80; length++) {
      const rows = await db.selectFrom('institutions').select('id').where('id', 'in', [institution, ...ids(length - 1)]).execute();
      expect(rows).toEqual([{ id: institution }]);
    }
    expect(await preparedOnServer()).toBeLessThanOrEqual(20);
    // A statement deallocated to make room is prepared again when it comes back, and still answers.
    expect(await db.selectFrom('institutions').select('id').where('id', 'in', [institution]).execute()).toEqual([{ id: institution }]);
    expect(await preparedOnServer()).toBeLessThanOrEqual(20);
  });

  it('prepares one statement for an array parameter, whatever its length', async () => {
    const before = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db);
    for (let length = 1; length <= 30; length++) {
      const rows = await db.selectFrom('institutions').select('id').where('id', '=', anyUuid([...ids(length - 1), institution])).execute();
      expect(rows).toEqual([{ id: institution }]);
    }
    const after = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db);
    const added = after.rows.filter((row) => !before.rows.some((b) => b.name === row.name));
    expect(added).toHaveLength(1);
  });

  it('sends an analytical query unprepared, so it is planned for its own parameters every time', async () => {
    const statements = async () => (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((row) => row.statement);
    const tag = randomUUID();
    for (let i = 0; i < 7; i++) {
      const rows = await sql<{ id: string }>`${planEachTime} select id from institutions where id = ${institution}::uuid and ${tag} <> ''`.execute(db);
      expect(rows.rows).toEqual([{ id: institution }]);
    }
    expect((await statements()).filter((text) => text.includes('amparo:plan-each-time'))).toEqual([]);
    // The same query without the mark is prepared (the cache's ordinary path).
    await sql`select id from institutions where id = ${institution}::uuid and ${tag} <> ''`.execute(db);
    expect((await statements()).filter((text) => text.includes("<> ''") && !text.includes('amparo:plan-each-time'))).not.toEqual([]);
  });
});

describe('plainArray', () => {
  it('sends uuids, codes and numbers as one array literal that PostgreSQL reads back whole', async () => {
    const list = ids(3);
    const { rows } = await sql<{ u: string[]; c: string[]; r: number[]; empty: string[] }>`
      select ${plainArray(list)}::uuid[] as u, ${plainArray(['R', 'F'])}::char(1)[] as c, ${plainArray([-3.25, 7, 0.5])}::real[] as r, ${plainArray([])}::uuid[] as empty`.execute(db);
    expect(rows[0]).toEqual({ u: list, c: ['R', 'F'], r: [-3.25, 7, 0.5], empty: [] });
    // Anything that is not of the type is refused by the cast, not read as something else.
    await expect(sql`select ${plainArray(['not-a-uuid'])}::uuid[]`.execute(db)).rejects.toThrow();
  });
});
