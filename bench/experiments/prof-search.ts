// Temporary: EXPLAIN ANALYZE of the search channels (not committed).
import { sql } from 'kysely';
import { startEmbeddedPostgres, freePort } from '../../src/platform/db/embedded.ts';
import { createDb } from '../../src/platform/db/database.ts';
import { queryNameKeys, correctableWords } from '../../src/search/keys.ts';
const server = await startEmbeddedPostgres({ dataDir: process.env.BENCH_DATA_DIR!, port: await freePort() });
const db = createDb(server.url(process.argv[2]!), { max: 2 });
const inst = (await sql<{ id: string }>`select id from institutions where code='BENCHSRCH'`.execute(db)).rows[0]!.id;
const q = { text: process.argv[3] ?? 'miguel caldtron martinez' };
if (process.env.ANALYZE) await sql`analyze person_name_tokens`.execute(db);
const words = correctableWords(q);
const show = async (label: string, query: ReturnType<typeof sql>) => {
  const t = performance.now();
  const { rows } = await sql`explain (analyze, buffers) ${query}`.execute(db);
  console.log(`--- ${label} ${(performance.now() - t).toFixed(1)} ms`);
  console.log(rows.map((r: any) => r['QUERY PLAN']).join('\n'));
};
await show('corrections', sql`select q.word, v.token from unnest(${words}::text[]) as q(word) cross join lateral (select t.token, similarity(t.token, q.word) as s from person_name_tokens t where t.token % q.word and t.institution_id = ${inst} and t.token <> q.word order by s desc, t.token limit 3) v where v.s >= 0.45`);
const keys = queryNameKeys(q);
await show('keys', sql`with postings as materialized (select key, person_id from person_name_keys where institution_id = ${inst} and key = any(${keys}::text[])), rarity as (select key, ln(10000000.0 / count(*)) as w from postings group by key), hits as (select person_id, sum(w) as w from postings join rarity using (key) group by person_id order by w desc, person_id limit 1000) select p.* from hits join people p on p.id = hits.person_id where p.merged_into is null`);
await show('birth', sql`select p.id from people p where p.institution_id = ${inst} and p.date_of_birth = any(${['1990-04-12', '1990-12-04', '1989-04-12', '1991-04-12', '1980-04-12', '2000-04-12', '1909-04-12']}::date[]) and p.merged_into is null order by similarity(p.search_name, amparo_fold(${q.text})) desc, p.id limit 300`);
await show('count', sql`select count(*)::int as n from people where institution_id = ${inst} and merged_into is null`);
await show('pending', sql`select p.id from person_name_keys_pending q join people p on p.id = q.person_id where q.institution_id = ${inst} limit 1000`);
await db.destroy();
await server.stop();
