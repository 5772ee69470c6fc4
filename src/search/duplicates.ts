import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { personNameKeys } from './keys.ts';
import { createScorer, DEFAULT_PRIOR_LOG2, matchWeight, prepareQuery, scoreRecord, toProbability, type FieldComparator, type MatchQuery, type MatchResult, type PersonRecord } from './model.ts';
import { refreshPendingNameKeys } from './store.ts';
import { searchPersons } from './engine.ts';
import { fieldsOf } from '../platform/fields.ts';

/**
 * Likely duplicate records within one institution, for the supervisors' de-duplication screen
 * (src/people/merge.service.ts; docs/search.md, "De-duplication and merge").
 *
 * Pairs are never found by comparing every record with every other. Each person inserted or changed in a
 * compared field is marked in `person_duplicate_pending` (a trigger, migration 0009); marked people are
 * scored, in batches, against the people that share a blocking key with them (`person_name_keys`, at most
 * `candidatesPerPerson`, most shared keys first) or an identity document (blind index), with the same
 * Fellegi–Sunter model as the search, and the pairs at or above the threshold are kept in
 * `person_duplicate_candidates`. A person's pairs are recomputed whenever the person changes. The
 * proposals then read that table, ranked by match weight.
 */


export type DuplicateRecord = PersonRecord & { institution_id: string; sex: string; nationalities: string[]; document_keys: string[] };

export const DUPLICATE_DEFAULTS = {
  /** Pairs below this match probability are not proposed ("possible" and "probable" in docs/search.md). */
  minProbability: 0.5,
  candidatesPerPerson: 50,
  batch: 200,
  /** Work done before a listing, at most: the rest is done by the next listings (or `refreshDuplicateCandidates` in a job). */
  maxPeople: 2000,
  maxMs: 1500,
};

/** The match weight (log2 likelihood ratio, prior not included) that gives probability `p`. */
export const weightForProbability = (p: number, priorLog2 = DEFAULT_PRIOR_LOG2) => Math.log2(p / (1 - p)) - priorLog2;

/**
 * Two records sharing an identity document (same type and number, compared through the blind index
 * `document_keys`) are almost surely one person; both having documents, none shared, is weak evidence
 * against (people carry several). m and u: docs/search.md.
 */
const DOCUMENT = { agree: { m: 0.6, u: 1e-6 }, disagree: { m: 0.4, u: 1 } } as const;
type WithDocuments = { document_keys?: string[] | null };
export const documentComparator: FieldComparator<MatchQuery, PersonRecord> = (query, record) => {
  const q = (query as WithDocuments).document_keys ?? [];
  const r = (record as WithDocuments).document_keys ?? [];
  if (!q.length || !r.length) return null;
  const level = q.some((k) => r.includes(k)) ? 'agree' : 'disagree';
  return { field: 'document', level, weight: Math.round(Math.log2(DOCUMENT[level].m / DOCUMENT[level].u) * 100) / 100 };
};
const SCORE_OPTIONS = { extra: [documentComparator] };

/** A record as the query side of a comparison (structured fields: no guessing which word is a surname). */
const asQuery = (p: DuplicateRecord): MatchQuery & WithDocuments =>
  fieldsOf(p, ['given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'estimated_age', 'age_estimated_on', 'nationalities', 'document_keys']);

/**
 * The comparison is not quite symmetric (a surname one record lacks counts differently on the query and
 * the record side): a pair scores the better of its two directions, with that direction's explanation.
 */
export function scoreDuplicatePair(a: DuplicateRecord, b: DuplicateRecord): MatchResult {
  const ab = scoreRecord(createScorer(prepareQuery(asQuery(a))), b, SCORE_OPTIONS);
  const ba = scoreRecord(createScorer(prepareQuery(asQuery(b))), a, SCORE_OPTIONS);
  return ab.weight >= ba.weight ? ab : ba;
}

export const pairProbability = (weight: number) => toProbability(DEFAULT_PRIOR_LOG2 + weight);

const RECORD_COLUMNS = sql`p.id, p.institution_id, p.given_names, p.surname1, p.surname2, p.other_names, p.sex, p.date_of_birth::text as date_of_birth,
  p.estimated_age, p.age_estimated_on::text as age_estimated_on, p.nationalities, p.document_keys`;

/** Records by id (merged ones left out), with nationalities trimmed (char(3) columns). */
export async function loadDuplicateRecords(db: Db, ids: string[]): Promise<Map<string, DuplicateRecord>> {
  if (!ids.length) return new Map();
  const { rows } = await sql<DuplicateRecord>`select ${RECORD_COLUMNS} from people p where p.id = any(${ids}::uuid[]) and p.merged_into is null`.execute(db);
  return new Map(rows.map((r) => [r.id, { ...r, nationalities: (r.nationalities ?? []).map((n) => n.trim()) }]));
}

const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/** Scores one batch of an institution's pending people; returns how many were taken from the queue. */
async function scoreBatch(trx: Db, institutionId: string, batch: number, cap: number, minWeight: number): Promise<number> {
  const pending = await sql<{ person_id: string }>`
    select person_id from person_duplicate_pending where institution_id = ${institutionId}
    limit ${batch} for update skip locked`.execute(trx);
  const ids = pending.rows.map((r) => r.person_id);
  if (!ids.length) return 0;
  await sql`delete from person_duplicate_candidates
    where institution_id = ${institutionId} and (person_a = any(${ids}::uuid[]) or person_b = any(${ids}::uuid[]))`.execute(trx);

  const sources = [...(await loadDuplicateRecords(trx, ids)).values()].filter((p) => p.institution_id === institutionId);
  const sourceIds = sources.map((s) => s.id);
  // Candidates: people sharing the most blocking keys with each source, and people sharing a document.
  const links = sourceIds.length
    ? (
        await sql<{ source_id: string; person_id: string }>`
        select src.id as source_id, c.person_id
        from unnest(${sourceIds}::uuid[]) as src(id)
        cross join lateral (
          select k.person_id, count(*) as n from person_name_keys k
          where k.institution_id = ${institutionId}
            and k.key in (select s.key from person_name_keys s where s.person_id = src.id)
            and k.person_id <> src.id
          group by k.person_id order by n desc limit ${cap}
        ) c
        union
        select me.id, p.id from people me
        join people p on p.document_keys && me.document_keys and p.id <> me.id
        where me.id = any(${sourceIds}::uuid[]) and cardinality(me.document_keys) > 0
          and p.institution_id = ${institutionId} and p.merged_into is null`.execute(trx)
      ).rows
    : [];
  const bySource = new Map<string, Set<string>>();
  for (const l of links) {
    if (!bySource.has(l.source_id)) bySource.set(l.source_id, new Set());
    bySource.get(l.source_id)!.add(l.person_id);
  }
  // People without any blocking key (a single name, or a name in another script): the search's
  // trigram fallback finds similar names for them.
  for (const s of sources) {
    if (personNameKeys(s).length > 0) continue;
    const text = [s.given_names, s.surname1, s.surname2].filter(Boolean).join(' ');
    const hits = await searchPersons(trx, institutionId, { text }, { limit: cap });
    const set = bySource.get(s.id) ?? new Set<string>();
    for (const h of hits) if (h.person.id !== s.id) set.add(h.person.id);
    bySource.set(s.id, set);
  }
  const others = await loadDuplicateRecords(trx, [...new Set([...bySource.values()].flatMap((v) => [...v]))]);
  const dismissed = new Set(
    (
      await sql<{ person_a: string; person_b: string }>`
      select person_a, person_b from person_pair_dismissals
      where institution_id = ${institutionId} and (person_a = any(${sourceIds}::uuid[]) or person_b = any(${sourceIds}::uuid[]))`.execute(trx)
    ).rows.map((d) => `${d.person_a}|${d.person_b}`),
  );

  const pairs = new Map<string, { a: string; b: string; weight: number }>();
  for (const source of sources) {
    const scorer = createScorer(prepareQuery(asQuery(source)));
    for (const otherId of bySource.get(source.id) ?? []) {
      const other = others.get(otherId);
      if (!other || other.institution_id !== institutionId) continue;
      const [a, b] = ordered(source.id, other.id);
      const key = `${a}|${b}`;
      if (dismissed.has(key) || pairs.has(key)) continue;
      // Weights only; the other direction only when it could reach the threshold (they differ by a few bits).
      let weight = matchWeight(scorer, other, SCORE_OPTIONS);
      if (weight >= minWeight - 8) weight = Math.max(weight, matchWeight(createScorer(prepareQuery(asQuery(other))), source, SCORE_OPTIONS));
      if (weight >= minWeight) pairs.set(key, { a, b, weight });
    }
  }
  const found = [...pairs.values()];
  if (found.length) {
    await sql`insert into person_duplicate_candidates (institution_id, person_a, person_b, weight)
      select ${institutionId}::uuid, a, b, w from unnest(${found.map((p) => p.a)}::uuid[], ${found.map((p) => p.b)}::uuid[], ${found.map((p) => p.weight)}::real[]) as t(a, b, w)
      on conflict (institution_id, person_a, person_b) do update set weight = greatest(person_duplicate_candidates.weight, excluded.weight), computed_at = now()`.execute(trx);
  }
  await sql`delete from person_duplicate_pending where person_id = any(${ids}::uuid[])`.execute(trx);
  return ids.length;
}

/**
 * Brings an institution's proposed pairs up to date, within a budget (people and time); returns how
 * many people were scored and how many remain. Loaders and jobs may call it without a budget.
 */
export async function refreshDuplicateCandidates(
  db: Db,
  institutionId: string,
  options: Partial<typeof DUPLICATE_DEFAULTS> = {},
): Promise<{ processed: number; pending: number }> {
  const o = { ...DUPLICATE_DEFAULTS, ...options };
  const minWeight = weightForProbability(o.minProbability);
  const started = performance.now();
  await refreshPendingNameKeys(db, institutionId);
  let processed = 0;
  while (processed < o.maxPeople && performance.now() - started < o.maxMs) {
    const n = await (db.isTransaction ? scoreBatch(db, institutionId, o.batch, o.candidatesPerPerson, minWeight) : db.transaction().execute((trx) => scoreBatch(trx, institutionId, o.batch, o.candidatesPerPerson, minWeight)));
    processed += n;
    if (n < o.batch) break;
  }
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from person_duplicate_pending where institution_id = ${institutionId}`.execute(db);
  return { processed, pending: rows[0]?.n ?? 0 };
}
