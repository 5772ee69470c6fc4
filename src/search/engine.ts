import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { queryNameKeys } from './keys.ts';
import { createScorer, matchWeight, prepareQuery, scoreRecord, type MatchQuery, type MatchResult, type PersonRecord, type ScoreOptions } from './model.ts';
import { foldPlain } from './normalize.ts';
import { refreshPendingNameKeys } from './store.ts';

/**
 * The search: blocking keys → capped candidate set from PostgreSQL → Fellegi–Sunter scoring in
 * TypeScript → top N. A query touches only the index entries of its keys, never the whole table.
 * When the keys bring nothing convincing (a typo in the only surname given, a name in another script),
 * a pg_trgm similarity query over the accent-folded full name is the fallback.
 */

export type SearchCandidate = PersonRecord & { sex: string; nationalities: string[] };
export type SearchHit = { person: SearchCandidate; result: MatchResult; via: 'keys' | 'trigram' };

export type SearchOptions = ScoreOptions & {
  limit?: number;
  /** Most candidates fetched from the key index (ordered by the number of keys they share). */
  candidateCap?: number;
  /** Run the trigram fallback when the best key candidate's match weight is below this. */
  fallbackBelowWeight?: number;
  /** Skip the trigram fallback (benchmarks of the key path alone). */
  noFallback?: boolean;
};

/** Counters for benchmarks and monitoring (no personal data). */
export const engineStats = { queries: 0, fallbacks: 0, candidates: 0, dbMs: 0, scoreMs: 0 };

export const DEFAULTS = { limit: 10, candidateCap: 500, fallbackBelowWeight: 8, trigramCap: 200 };

const COLUMNS = sql`p.id, p.given_names, p.surname1, p.surname2, p.other_names, p.sex, p.date_of_birth::text as date_of_birth, p.estimated_age, p.age_estimated_on::text as age_estimated_on, p.nationalities`;

async function keyCandidates(db: Db, institutionId: string, keys: string[], cap: number): Promise<SearchCandidate[]> {
  if (!keys.length) return [];
  const { rows } = await sql<SearchCandidate>`
    with hits as (
      select person_id, count(*) as n from person_name_keys
      where institution_id = ${institutionId} and key = any(${keys}::text[])
      group by person_id order by n desc limit ${cap}
    )
    select ${COLUMNS} from hits join people p on p.id = hits.person_id
    where p.merged_into is null`.execute(db);
  return rows;
}

async function trigramCandidates(db: Db, institutionId: string, text: string, cap: number): Promise<SearchCandidate[]> {
  const folded = foldPlain(text).toLowerCase();
  if (folded.length < 2) return [];
  const { rows } = await sql<SearchCandidate>`
    select ${COLUMNS} from people p
    where p.institution_id = ${institutionId} and p.merged_into is null
      and (p.search_name % amparo_fold(${folded}) or amparo_fold(${folded}) <% p.search_name)
    order by greatest(similarity(p.search_name, amparo_fold(${folded})), word_similarity(amparo_fold(${folded}), p.search_name)) desc
    limit ${cap}`.execute(db);
  return rows;
}

const queryText = (q: MatchQuery) => q.text ?? [q.given_names, q.surname1, q.surname2].filter(Boolean).join(' ');

/**
 * Searches one institution's people. The caller checks capabilities and writes the audit entry.
 * People merged into another record (`merged_into`, migration 0009) have no keys and are never candidates.
 */
export async function searchPersons(db: Db, institutionId: string, query: MatchQuery, options: SearchOptions = {}): Promise<SearchHit[]> {
  const limit = options.limit ?? DEFAULTS.limit;
  await refreshPendingNameKeys(db, institutionId);
  const scorer = createScorer(prepareQuery(query));
  const seen = new Set<string>();
  const ranked: { person: SearchCandidate; weight: number; via: SearchHit['via'] }[] = [];
  const score = (rows: SearchCandidate[], via: SearchHit['via']) => {
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const person = { ...row, nationalities: (row.nationalities ?? []).map((n) => n.trim()) };
      ranked.push({ person, weight: matchWeight(scorer, person, options), via });
    }
  };
  const t0 = performance.now();
  const candidates = await keyCandidates(db, institutionId, queryNameKeys(query), options.candidateCap ?? DEFAULTS.candidateCap);
  const t1 = performance.now();
  score(candidates, 'keys');
  engineStats.dbMs += t1 - t0;
  engineStats.scoreMs += performance.now() - t1;
  engineStats.candidates += candidates.length;
  const best = ranked.reduce((m, h) => Math.max(m, h.weight), -Infinity);
  engineStats.queries++;
  if (!options.noFallback && best < (options.fallbackBelowWeight ?? DEFAULTS.fallbackBelowWeight)) {
    engineStats.fallbacks++;
    score(await trigramCandidates(db, institutionId, queryText(query), DEFAULTS.trigramCap), 'trigram');
  }
  ranked.sort((a, b) => b.weight - a.weight);
  // Only the hits returned are explained.
  return ranked.slice(0, limit).map(({ person, via }) => ({ person, result: scoreRecord(scorer, person, options), via }));
}
