import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { plainArray, planEachTime, type Db, type Tx } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AGE_SLACK_YEARS, createPairContext, prepare, type Prepared, IMPOSSIBLE_WEIGHT, evidenceFingerprint, HEIGHT_SLACK_CM, isEarliestDecadeKey, isMarkKey, markCountKey, markCountKeys, markU, matchProfile, MARK_U0, MATCH_KEY_VERSION, MATCH_PRIOR_LOG2, subjectKeys, timelineDay, type MarkFrequency, type MatchProfile, type PairScore, type Subject } from './evidence.ts';
import { searchPersons } from '../search/engine.ts';
import { toProbability } from '../search/model.ts';
import { startPeriodicTask, type PeriodicTask } from '../platform/jobs/periodic.ts';

/**
 * Background matching of reports against found records (and back).
 *
 * Every report or found record written (created, corrected, imported) is put in `missing_match_queue`
 * in the same transaction, with its blocking keys in `missing_name_keys`. A worker takes a batch of
 * queued records (`for update skip locked`, so several workers never take the same one), fetches for
 * each the records of the other side that share keys, scores them and, in the same transaction, upserts
 * the pairs above the review threshold into `match_candidates` and deletes the queue rows. A crash
 * rolls all of it back: the records are still queued and the next run redoes them. A pair is one row
 * (unique on report and found record), so it is never proposed twice; a rejected pair comes back only
 * when the evidence of either record has changed.
 */

export type Side = 'R' | 'F';
const other = (side: Side): Side => (side === 'R' ? 'F' : 'R');

const REPORT_SUBJECT = sql`r.id, r.institution_id, r.given_names, r.surname1, r.surname2, r.other_names, r.sex,
  r.date_of_birth::text as date_of_birth, r.age_min, r.age_max, coalesce(r.age_on, r.last_seen_on)::text as age_on,
  r.nationalities, r.height_min_cm, r.height_max_cm, r.marks, r.clothing, r.document_keys,
  r.last_seen_on::text as event_on, null::text as death_to, r.last_seen_state as state, null::text as condition`;

const FOUND_SUBJECT = sql`r.id, r.institution_id, r.given_names, r.surname1, r.surname2, r.other_names, r.sex,
  r.date_of_birth::text as date_of_birth, r.age_min, r.age_max, r.found_on::text as age_on,
  r.nationalities, r.height_min_cm, r.height_max_cm, r.marks, r.clothing, r.document_keys,
  r.found_on::text as event_on, r.death_to::text as death_to, r.found_state as state, r.condition`;

const toSubject = (side: Side) => (row: Omit<Subject, 'side'>): Subject => ({ ...row, side, nationalities: (row.nationalities ?? []).map((n) => n.trim()) });

/**
 * Loads reports or found records as subjects. `open` keeps only those still searched for (active
 * reports, unidentified found records): the others are not proposed.
 */
export async function loadSubjects(db: Db, side: Side, ids: string[], open = false): Promise<Subject[]> {
  if (!ids.length) return [];
  const { rows } =
    side === 'R'
      ? await sql<Omit<Subject, 'side'>>`select ${REPORT_SUBJECT} from missing_reports r where r.id = any(${ids}::uuid[]) ${open ? sql`and r.status = 'active'` : sql``}`.execute(db)
      : await sql<Omit<Subject, 'side'>>`select ${FOUND_SUBJECT} from found_records r where r.id = any(${ids}::uuid[]) ${open ? sql`and r.status = 'unidentified'` : sql``}`.execute(db);
  return rows.map(toSubject(side));
}

/**
 * Candidates read in earlier batches, by record id with the row version (`xmin`) they were read at. At
 * national scale a record is a candidate in hundreds of batches; reading its version is cheaper than
 * reading and decoding its row again, and any change to the row (a correction, another status) gives a
 * new version, so a cached subject is never stale. Cleared when full.
 */
const CANDIDATE_CACHE_SIZE = 250_000;
const OPEN_STATUS = { R: 'active', F: 'unidentified' } as const;
const candidateCache = new Map<string, { version: string; subject: Subject }>();

/**
 * The open records of one side with the row versions candidateIds read them at, from the cache where
 * the version is unchanged.
 */
async function loadCandidates(db: Db, side: Side, versions: Map<string, string>): Promise<Subject[]> {
  const result: Subject[] = [];
  const toRead: string[] = [];
  for (const [id, version] of versions) {
    const hit = candidateCache.get(`${side}${id}`);
    if (hit && hit.version === version) result.push(hit.subject);
    else toRead.push(id);
  }
  if (toRead.length) {
    const table = side === 'R' ? sql`missing_reports` : sql`found_records`;
    const { rows: read } = await sql<Omit<Subject, 'side'> & { version: string }>`
      select ${side === 'R' ? REPORT_SUBJECT : FOUND_SUBJECT}, r.xmin::text as version from ${table} r
      where r.id = any(${plainArray(toRead)}::uuid[]) and r.status = ${OPEN_STATUS[side]}`.execute(db);
    if (candidateCache.size + read.length > CANDIDATE_CACHE_SIZE) candidateCache.clear();
    for (const { version, ...row } of read) {
      const subject = toSubject(side)(row);
      // Read in a later snapshot than the version: keep it only if it is still that version.
      if (versions.get(subject.id) === version) candidateCache.set(`${side}${subject.id}`, { version, subject });
      result.push(subject);
    }
  }
  return result;
}

/**
 * Open records of one side by id, through the candidates this worker keeps (loadCandidates): a batch's
 * sources and the records of the pairs the decision at the end of an import words were mostly read (and
 * prepared) as candidates already.
 */
async function loadOpenKept(db: Db, side: Side, ids: string[]): Promise<Subject[]> {
  if (!ids.length) return [];
  const table = side === 'R' ? sql`missing_reports` : sql`found_records`;
  const { rows } = await sql<{ id: string; version: string }>`
    select id, xmin::text as version from ${table} where id = any(${plainArray(ids)}::uuid[]) and status = ${OPEN_STATUS[side]}`.execute(db);
  return loadCandidates(db, side, new Map(rows.map((r) => [r.id, r.version])));
}

/**
 * Writes the blocking keys of these records (their old keys must be gone), with the stamp they are
 * queued under: the keys of one specific mark by sex and decade (`w:`) go to `missing_mark_keys` with the
 * record's profile, the others to `missing_name_keys`.
 */
async function writeKeys(db: Db, subjects: Subject[], stamp: string): Promise<void> {
  const names = { keys: [] as string[], sides: [] as string[], ids: [] as string[], days: [] as (number | null)[] };
  const marks = { keys: [] as string[], profiles: [] as MatchProfile[], earliest: [] as boolean[] };
  for (const s of subjects) {
    const profile = matchProfile(s);
    for (const k of subjectKeys(s)) {
      if (isMarkKey(k)) {
        marks.keys.push(k);
        marks.profiles.push(profile);
        marks.earliest.push(isEarliestDecadeKey(s, k));
      } else {
        names.keys.push(k);
        names.sides.push(s.side);
        names.ids.push(s.id);
        names.days.push(timelineDay(profile));
      }
    }
  }
  if (names.keys.length) {
    await sql`insert into missing_name_keys (key, side, record_id, timeline_day, stamp)
      select *, ${stamp}::bigint from unnest(${names.keys}::text[], ${names.sides}::char(1)[], ${names.ids}::uuid[], ${names.days}::int4[]) on conflict do nothing`.execute(db);
  }
  if (marks.keys.length) {
    const p = marks.profiles;
    await sql`insert into missing_mark_keys (key, side, record_id, birth_lo, birth_hi, height_lo, height_hi, event_day, latest_day, earliest_decade, stamp)
      select *, ${stamp}::bigint from unnest(${marks.keys}::text[], ${p.map((x) => x.side)}::char(1)[], ${p.map((x) => x.record_id)}::uuid[], ${p.map((x) => x.birth_lo)}::real[], ${p.map((x) => x.birth_hi)}::real[],
        ${p.map((x) => x.height_lo)}::int2[], ${p.map((x) => x.height_hi)}::int2[], ${p.map((x) => x.event_day)}::int4[], ${p.map((x) => x.latest_day)}::int4[], ${marks.earliest}::bool[])
      on conflict do nothing`.execute(db);
  }
  await writeProfiles(db, subjects);
}

/**
 * Brings the stored blocking keys up to this code's MATCH_KEY_VERSION before anything is matched: every
 * open record's keys are rewritten and the record queued, in one transaction that other workers wait
 * for (the settings row is locked). All keys are written before any batch reads them: a record without
 * keys is invisible to the batch of a later record running beside its own, and its own batch leaves
 * later records to theirs, so the pair would never be compared.
 */
export async function ensureCurrentKeys(db: Db): Promise<void> {
  // One row read per batch; a database restored from an older backup is caught as well.
  const { match_key_version: seen } = await db.selectFrom('missing_settings').select('match_key_version').executeTakeFirstOrThrow();
  if (seen >= MATCH_KEY_VERSION) return;
  await db.transaction().execute(async (trx) => {
    const { match_key_version: stored } = await trx.selectFrom('missing_settings').select('match_key_version').forUpdate().executeTakeFirstOrThrow();
    if (stored >= MATCH_KEY_VERSION) return;
    for (const side of ['R', 'F'] as const) {
      const table = side === 'R' ? 'missing_reports' : 'found_records';
      const ids = (await sql<{ id: string }>`select id from ${sql.table(table)} where status = ${OPEN_STATUS[side]} order by id`.execute(trx)).rows.map((r) => r.id);
      for (let i = 0; i < ids.length; i += REKEY_CHUNK) await indexAndQueue(trx, await loadSubjects(trx, side, ids.slice(i, i + REKEY_CHUNK), true));
    }
    await trx.updateTable('missing_settings').set({ match_key_version: MATCH_KEY_VERSION }).execute();
  });
}
const REKEY_CHUNK = 5_000;

/**
 * The candidate query reads the key tables by index-only scans, which must visit the table for every key
 * row on a page not yet marked all-visible, and a national import writes millions of key rows at once: back
 * to back, the 100k × 100k run starting from the keys an import leaves took 101.6 s (PostgreSQL 74.5 s of CPU)
 * without this vacuum and 79–82 s (52–55 s) with it (bench/RESULTS.md, session 20). Autovacuum gets there on
 * its own schedule, which is often after the matching. So the first batch that finds many key rows written
 * (or removed) since the last vacuum vacuums and analyses both tables first; a try-lock leaves the other
 * workers to their batches meanwhile.
 * The application role may do so through MAINTAIN (PostgreSQL 17 and later, platform/db/roles.ts); where
 * PostgreSQL skips the tables for want of it, this process stops asking for ten minutes.
 */
export const KEY_VACUUM_MIN_ROWS = 50_000;
const KEY_VACUUM_LOCK = sql`hashtext('amparo.missing_key_vacuum')`;
const KEY_VACUUM_BACKOFF_MS = 10 * 60_000;
let keyVacuumPausedUntil = 0;
async function keyTablesVacuumState(db: Db): Promise<{ rowsSince: number; vacuums: number }> {
  const { rows } = await sql<{ rows_since: string; vacuums: string }>`
    select coalesce(sum(n_ins_since_vacuum + n_dead_tup), 0)::text as rows_since, coalesce(sum(vacuum_count), 0)::text as vacuums from pg_stat_user_tables
    where schemaname = current_schema() and relname in ('missing_name_keys', 'missing_mark_keys')`.execute(db);
  return { rowsSince: Number(rows[0]!.rows_since), vacuums: Number(rows[0]!.vacuums) };
}

/** Vacuums the key tables when at least `minRows` key rows were written or removed since their last vacuum; says whether it did. */
export async function vacuumKeysAfterLargeWrites(db: Db, minRows = KEY_VACUUM_MIN_ROWS): Promise<boolean> {
  if (Date.now() < keyVacuumPausedUntil) return false;
  const before = await keyTablesVacuumState(db);
  if (before.rowsSince < minRows) return false;
  return db.connection().execute(async (session) => {
    if (!(await sql<{ taken: boolean }>`select pg_try_advisory_lock(${KEY_VACUUM_LOCK}) as taken`.execute(session)).rows[0]!.taken) return false;
    try {
      // Outside any transaction (VACUUM cannot run in one); skip_locked: a table being altered is left for the next batch.
      await sql`vacuum (analyze, skip_locked) missing_name_keys, missing_mark_keys`.execute(session);
    } catch {
      // Only a speed-up: a vacuum that fails (cancelled by an operator, a statement timeout) must not stop the matching.
    } finally {
      await sql`select pg_advisory_unlock(${KEY_VACUUM_LOCK})`.execute(session);
    }
    if ((await keyTablesVacuumState(session)).vacuums > before.vacuums) return true;
    keyVacuumPausedUntil = Date.now() + KEY_VACUUM_BACKOFF_MS;
    return false;
  });
}

/** Writes (or replaces) the compact profiles that the SQL check of nameless comparisons reads. */
async function writeProfiles(db: Db, subjects: Subject[]): Promise<void> {
  if (!subjects.length) return;
  const p = subjects.map(matchProfile);
  const rows = sql`unnest(${p.map((x) => x.record_id)}::uuid[], ${p.map((x) => x.side)}::char(1)[], ${p.map((x) => x.birth_lo)}::real[], ${p.map((x) => x.birth_hi)}::real[],
      ${p.map((x) => x.height_lo)}::int2[], ${p.map((x) => x.height_hi)}::int2[], ${p.map((x) => x.event_day)}::int4[], ${p.map((x) => x.latest_day)}::int4[])`;
  await sql`insert into missing_match_profiles (record_id, side, birth_lo, birth_hi, height_lo, height_hi, event_day, latest_day)
    select * from ${rows}
    on conflict (record_id) do update set side = excluded.side, birth_lo = excluded.birth_lo, birth_hi = excluded.birth_hi, height_lo = excluded.height_lo,
      height_hi = excluded.height_hi, event_day = excluded.event_day, latest_day = excluded.latest_day`.execute(db);
}

/**
 * Queuing takes this lock, shared, before it draws a stamp and holds it to its commit; a batch waits until
 * nobody holds it (awaitEarlierQueuing) before it reads the queue. So every record stamped before a
 * batch's records is committed (or rolled back) by the time the batch reads keys: candidateIds can skip
 * the key rows stamped after a batch's latest record, whose own batch is sure to see this one's records.
 */
const QUEUING_LOCK = sql`hashtext('amparo.missing_match_queue')`;

/** A new stamp for records queued now, under the queuing lock (call inside the write's transaction). */
async function drawStamp(db: Db): Promise<string> {
  await sql`select pg_advisory_xact_lock_shared(${QUEUING_LOCK})`.execute(db);
  const { rows } = await sql<{ stamp: string }>`select nextval('missing_match_stamp')::text as stamp`.execute(db);
  return rows[0]!.stamp;
}

/** Queues these records (or queues them again, at the end) for matching, without rewriting their keys. */
export async function queueForMatching(db: Db, records: { side: Side; id: string }[], stamp?: string): Promise<void> {
  if (!records.length) return;
  const queuedAs = stamp ?? (await drawStamp(db));
  await sql`insert into missing_match_queue (side, record_id, stamp)
    select *, ${queuedAs}::bigint from unnest(${records.map((r) => r.side)}::char(1)[], ${records.map((r) => r.id)}::uuid[])
    on conflict (side, record_id) do update set enqueued_at = now(), stamp = excluded.stamp`.execute(db);
}

/** Replaces the keys of these records and queues them for matching (call inside the write's transaction). */
export async function indexAndQueue(db: Db, subjects: Subject[]): Promise<void> {
  if (!subjects.length) return;
  const ids = subjects.map((s) => s.id);
  const stamp = await drawStamp(db);
  await sql`delete from missing_name_keys where record_id = any(${ids}::uuid[])`.execute(db);
  await sql`delete from missing_mark_keys where record_id = any(${ids}::uuid[])`.execute(db);
  await writeKeys(db, subjects, stamp);
  await queueForMatching(db, subjects, stamp);
}

/**
 * Waits until no transaction that queues records is running (they hold QUEUING_LOCK shared from their
 * stamp to their commit). Polled rather than waited for in line: a waiting exclusive request would hold up
 * every edit queued behind it for as long as a large import runs.
 */
async function awaitEarlierQueuing(db: Db): Promise<void> {
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    // Taken and given back in one statement: a lock left held (a failure between two statements) would stop every queuing.
    const { rows } = await sql<{ free: boolean }>`
      select case when pg_try_advisory_lock(${QUEUING_LOCK}) then pg_advisory_unlock(${QUEUING_LOCK}) else false end as free`.execute(db);
    if (rows[0]!.free) return;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * Whether a name key of a report (alias r) and one of a found record (alias f) may bring a pair: not when
 * the found record's latest day is before the report's last-seen day (compareTimeline: impossible, -30
 * bits, which no named pair of the benchmark's 100k × 100k outweighed; nearly half the named pairs sharing
 * a name key in a national import), unless the key is an identity document's, the one evidence that says
 * a date is what was mistyped. Read from the key index itself (`timeline_day`).
 */
const possibleTimeline = sql`(r.key like 'd:%' or r.timeline_day is null or f.timeline_day is null or f.timeline_day >= r.timeline_day)`;

/**
 * Whether a report (alias r) and a nameless found record (alias f) fit on age, height and timeline, on
 * the compact profiles their mark keys carry (`missing_mark_keys`, the same columns as
 * `missing_match_profiles`, read from the index without visiting another table): the arithmetic of compareAge, compareHeight and compareTimeline (evidence.ts),
 * with a hair of extra slack for rounding, so that a pair left out here is one those would call
 * inconsistent or impossible. Sex and decade of birth are already in the mark's key.
 */
const namelessFit = sql`(r.birth_lo is null or f.birth_lo is null or (f.birth_lo <= r.birth_hi + ${AGE_SLACK_YEARS + 0.01} and r.birth_lo <= f.birth_hi + ${AGE_SLACK_YEARS + 0.01}))
  and (r.height_lo is null or f.height_lo is null or (f.height_lo <= r.height_hi + ${HEIGHT_SLACK_CM} and r.height_lo <= f.height_hi + ${HEIGHT_SLACK_CM}))
  and (r.event_day is null or f.latest_day is null or f.latest_day >= r.event_day)`;

/**
 * A candidate of a batch's sources: its row version, and the sources it is to be compared with as their
 * 1-based positions in the batch's list, comma-separated ("3,17,3"): a batch at national scale has hundreds
 * of thousands of pairs but tens of thousands of candidates, and one short row per candidate is far less
 * for the driver to parse than a row per pair. A source is listed once per key it shares with the
 * candidate: removing the repeats in SQL (a hash of 600,000 key rows a batch) cost more than skipping them here.
 */
type Candidate = { candidate_id: string; version: string; sources: string };

/**
 * Calls `each` once with every position in a Candidate's `sources`, without splitting the text. `seen`
 * holds a slot per position and `stamp` is new for each candidate: a position met again is skipped.
 */
function forEachSource(sources: string, seen: Int32Array, stamp: number, each: (position: number) => void): void {
  let n = 0;
  for (let i = 0; i <= sources.length; i++) {
    const c = i < sources.length ? sources.charCodeAt(i) : 44;
    if (c !== 44 /* , */) {
      n = n * 10 + (c - 48);
      continue;
    }
    if (n && seen[n] !== stamp) {
      seen[n] = stamp;
      each(n);
    }
    n = 0;
  }
}

/**
 * For each source, the other side's records to compare it with: those sharing a name, birth-date or
 * document key (not a record found before the report's last-seen day unless the key is a document's:
 * possibleTimeline), and, through one shared specific mark (`w:` keys: reports and nameless found records),
 * those whose age, height and timeline fit as well (namelessFit, in SQL on the key rows themselves: at
 * national scale a common mark is shared by thousands of reports). A key row without a profile (queued
 * by a migration, not yet rewritten by a batch) is not filtered out. No cap: a common name or a common tattoo cannot crowd the
 * right record out.
 *
 * `oncePerPair` (a matching batch, whose sources are queued) scores each pair once, by whichever of the
 * two records was queued later, in the order (stamp, side, id), reading the candidate's stamp from its key
 * rows (the stamp it had when its keys were written; a record queued again keeps its keys' stamp or a
 * higher one in the queue). A candidate stamped after the source is left to its own batch: if that batch
 * has already run, it saw the source, since runMatchingBatch takes only records stamped before every
 * queuing still running; if not, it will. A candidate stamped before the source is scored here, whether
 * it is still queued or not; at worst two batches write the same odds. No locks are needed to agree on
 * it, and the queue is not read.
 *
 * Key rows stamped after the batch's latest record are not read at all (the keys' index holds the
 * stamp). In a national import this halves the key rows read: the earlier record of each pair no longer
 * reads the later one's keys only to drop them.
 */
async function candidateIds(db: Db, side: Side, sourceIds: string[], oncePerPair = false): Promise<Candidate[]> {
  // r is the report's key row and f the found record's (possibleTimeline, namelessFit): each carries what its record's fit needs.
  const [source, candidate] = side === 'R' ? [sql`r`, sql`f`] : [sql`f`, sql`r`];
  const table = side === 'R' ? sql`found_records` : sql`missing_reports`;
  // The sources' own key rows are read through the record index (`record_id = any(...)`, which says the
  // same as the join to positions): joined to positions alone, PostgreSQL read and hashed every key of the
  // side in each batch (800,000 rows at 100k × 100k, 0.7 s of a late batch's 2.2 s).
  const upToHorizon = (k: typeof candidate) => (oncePerPair ? sql`and ${k}.stamp <= (select stamp from horizon)` : sql``);
  // A candidate's key row stamped before its source (s, from the queue): this source's batch scores the pair.
  const earlier = (k: typeof candidate) => sql`(s.stamp is null or (${k}.stamp, ${k}.side, ${k}.record_id) < (s.stamp, s.side, s.id))`;
  // Planned for each batch (planEachTime): the generic plan a prepared statement switches to is made
  // without knowing how many sources the arrays hold; with the batch's keys read through their record
  // index it cost PostgreSQL 157 s of CPU over a 100k × 100k run, against 93 s planned each time
  // (bench/RESULTS.md, session 15).
  const { rows } = await sql<Candidate>`${planEachTime}
    with positions as materialized (
      select s.id, s.n, q.stamp, q.side from unnest(${plainArray(sourceIds)}::uuid[]) with ordinality as s(id, n)
      left join missing_match_queue q on ${oncePerPair ? sql`q.side = ${side} and q.record_id = s.id` : sql`false`}),
    ${oncePerPair
      ? sql`horizon as materialized (select case when bool_or(stamp is null) then 9223372036854775807 else max(stamp) end as stamp from positions),`
      : sql``}
    pairs as (
      select s.n, ${candidate}.record_id as candidate_id
      from positions s join missing_name_keys ${source} on ${source}.record_id = s.id and ${source}.side = ${side} and ${source}.key not like 'v:%' and ${source}.record_id = any(${plainArray(sourceIds)}::uuid[])
      join missing_name_keys ${candidate} on ${candidate}.key = ${source}.key and ${candidate}.side = ${other(side)} ${upToHorizon(candidate)}
      where ${possibleTimeline} ${oncePerPair ? sql`and ${earlier(candidate)}` : sql``}
      union all
      select s.n, ${candidate}.record_id
      from positions s join missing_mark_keys ${source} on ${source}.record_id = s.id and ${source}.side = ${side} and ${source}.record_id = any(${plainArray(sourceIds)}::uuid[])
      join missing_mark_keys ${candidate} on ${candidate}.key = ${source}.key and ${candidate}.side = ${other(side)} ${upToHorizon(candidate)}
      -- One of the decades the two records share: the earliest of either (evidence.ts isEarliestDecadeKey).
      where (r.earliest_decade or f.earliest_decade) and ${namelessFit} ${oncePerPair ? sql`and ${earlier(candidate)}` : sql``}),
    grouped as (
      select p.candidate_id, string_agg(p.n::text, ',') as sources
      from pairs p
      group by p.candidate_id)
    select g.candidate_id, c.xmin::text as version, g.sources
    from grouped g join ${table} c on c.id = g.candidate_id and c.status = ${OPEN_STATUS[other(side)]}`.execute(db);
  return rows;
}

/** Mark counts and register size already read in this transaction (one batch asks twice: pairs, then competitors). */
export type MarkCounts = { counts: Map<string, number>; registerSize?: number };

/**
 * How common each specific mark of these records is among all records (evidence.ts, `markU`), from the
 * `v:` keys: exact counts, so that a pair gets the same score from either side. Counts in `known` (read
 * earlier in the same transaction) are not read again.
 */
export async function markFrequencies(db: Db, subjects: Subject[], known: MarkCounts = { counts: new Map() }): Promise<MarkFrequency> {
  const wanted = new Set<string>();
  for (const s of subjects) for (const k of markCountKeys(s)) wanted.add(k);
  const keys = [...wanted];
  if (!keys.length) return () => MARK_U0;
  const unread = keys.filter((k) => !known.counts.has(k));
  const [{ rows }, size] = await Promise.all([
    unread.length ? sql<{ key: string; n: number }>`select key, count(*)::int as n from missing_name_keys where key = any(${unread}::text[]) group by key`.execute(db) : { rows: [] },
    known.registerSize === undefined ? sql<{ n: number }>`select (select count(*) from missing_reports)::int + (select count(*) from found_records)::int as n`.execute(db) : null,
  ]);
  if (size) known.registerSize = size.rows[0]?.n ?? 0;
  for (const k of unread) known.counts.set(k, 0);
  for (const r of rows) known.counts.set(r.key, r.n);
  const registerSize = known.registerSize ?? 0;
  // Asked for once per pair that shares a mark (millions in a national import): by token, without building the key.
  const byToken = new Map<string, number>();
  return (token: string) => {
    let u = byToken.get(token);
    if (u === undefined) byToken.set(token, (u = markU(known.counts.get(markCountKey(token)) ?? 0, registerSize)));
    return u;
  };
}

export type ScoredPair = { report: Subject; found: Subject; score: PairScore };

/** log2 odds below which a scored pair is not kept (about 1 in 1,000 on its own). */
export const ODDS_FLOOR_LOG2 = -10;

/**
 * log2 odds below which a pair of a report and nameless remains is not kept: such a pair rests on one
 * mark and a description that fits, and a common mark fits hundreds of reports, none of them a proposal.
 * The remains' page lists them all, ranked, from a fresh comparison (consistentReports).
 */
export const NAMELESS_ODDS_FLOOR_LOG2 = -4;

/**
 * Scores the given sources against the other side's open records to compare them with (candidateIds),
 * each pair once and with the report as query (createPairContext). Returns the pairs whose own
 * probability (prior and the pair's evidence, before competition) reaches `threshold` (for a nameless
 * found record, at least NAMELESS_ODDS_FLOOR_LOG2).
 */
export async function matchSubjects(db: Db, sources: Subject[], options: { threshold: number; oncePerPair?: boolean; markCounts?: MarkCounts; explain?: boolean }): Promise<ScoredPair[]> {
  const inBatch = new Map(sources.map((s) => [s.id, s]));
  const groups: { side: Side; sources: Prepared[]; candidates: Candidate[] }[] = [];
  const toLoad = new Map<Side, Map<string, string>>([['R', new Map()], ['F', new Map()]]);
  for (const side of ['R', 'F'] as const) {
    const group = sources.filter((s) => s.side === side);
    if (!group.length) continue;
    const candidates = await candidateIds(db, side, group.map((s) => s.id), options.oncePerPair);
    groups.push({ side, sources: group.map(prepare), candidates });
    for (const c of candidates) if (!inBatch.has(c.candidate_id)) toLoad.get(other(side))!.set(c.candidate_id, c.version);
  }
  const loaded = new Map<string, Subject>();
  for (const side of ['R', 'F'] as const) for (const s of await loadCandidates(db, side, toLoad.get(side)!)) loaded.set(s.id, s);
  const context = createPairContext(await markFrequencies(db, [...sources, ...loaded.values()], options.markCounts));
  const minWeight = Math.log2(options.threshold / (1 - options.threshold)) - MATCH_PRIOR_LOG2;
  const namelessMin = Math.max(minWeight, NAMELESS_ODDS_FLOOR_LOG2 - MATCH_PRIOR_LOG2);
  const pairs: ScoredPair[] = [];
  // A pair of two records of this batch is found from both sides: scored once.
  const withinBatch = new Set<string>();
  for (const { side, sources: group, candidates } of groups) {
    const seen = new Int32Array(group.length + 1);
    let stamp = 0;
    for (const { candidate_id: id, sources: positions } of candidates) {
      // A candidate no longer open (identified, closed) was not loaded.
      const fromBatch = inBatch.get(id);
      const subject = fromBatch ?? loaded.get(id);
      if (!subject) continue;
      const candidate = prepare(subject);
      // Per pair (hundreds of thousands a batch): nothing allocated or looked up that is the same for the candidate's every pair.
      forEachSource(positions, seen, ++stamp, (position) => {
        const source = group[position - 1]!;
        const report = side === 'R' ? source : candidate;
        const found = side === 'R' ? candidate : source;
        if (fromBatch) {
          const key = `${report.subject.id}|${found.subject.id}`;
          if (withinBatch.has(key)) return;
          withinBatch.add(key);
        }
        const weight = context.atLeast(report, found, found.named ? minWeight : namelessMin);
        if (weight === -Infinity) return;
        // The words of the explanation only where asked (a matching batch words the pairs it proposes, decideMarked).
        const score = options.explain === false ? { weight, probability: toProbability(MATCH_PRIOR_LOG2 + weight), explanation: [] } : context.score(report.subject, found.subject);
        pairs.push({ report: report.subject, found: found.subject, score });
      });
    }
  }
  return pairs;
}

/**
 * The reports a found record is compared with, each scored against it, ranked by likelihood ratio
 * (weight, highest first; ties by report id): for nameless remains, every open report sharing one
 * specific mark whose sex, age, height and timeline fit, however weak. This is the remains' page's list
 * for a reviewer; only pairs whose probability reaches the threshold go to the review queue.
 */
export async function consistentReports(db: Db, found: Subject): Promise<ScoredPair[]> {
  const ids = (await candidateIds(db, 'F', [found.id])).map((c) => c.candidate_id);
  const reports = await loadSubjects(db, 'R', ids, true);
  const context = createPairContext(await markFrequencies(db, [found, ...reports]));
  return reports
    .map((report) => ({ report, found, score: context.score(report, found) }))
    .filter((p) => p.score.weight > IMPOSSIBLE_WEIGHT / 2)
    .sort((a, b) => b.score.weight - a.score.weight || (a.report.id < b.report.id ? -1 : 1));
}

export const pairEvidence = (report: Subject, found: Subject) =>
  createHash('sha256').update(evidenceFingerprint(report)).update('\n').update(evidenceFingerprint(found)).digest('base64url').slice(0, 32);

/**
 * Writes candidate pairs: new pairs are proposed; a pair still proposed gets its new score; a rejected
 * pair is proposed again only if its evidence changed; confirmed or superseded pairs are left alone.
 * Returns how many pairs were newly proposed or proposed again.
 */
export async function upsertCandidates(db: Db, pairs: ScoredPair[]): Promise<number> {
  if (!pairs.length) return 0;
  const unique = new Map<string, ScoredPair>();
  for (const p of pairs) unique.set(`${p.report.id}|${p.found.id}`, p);
  // One JSON document for all the rows: as arrays, the explanations of an import's 39,000 proposals were 33 MB
  // of text that node-postgres quoted element by element and PostgreSQL parsed twice (the array, then each
  // jsonb), in the decision at the end of an import that nothing runs beside (bench/RESULTS.md, session 15).
  const rowsJson = JSON.stringify([...unique.values()].map((p) => ({
    r: p.report.id, f: p.found.id, ri: p.report.institution_id, fi: p.found.institution_id,
    p: p.score.probability, w: p.score.weight, e: p.score.explanation, ev: pairEvidence(p.report, p.found),
  })));
  const { rows } = await sql<{ proposed: boolean }>`
    insert into match_candidates (report_id, found_id, report_institution_id, other_institution_id, probability, weight, explanation, evidence)
    select r, f, ri, fi, p, w, e, ev from json_to_recordset(${rowsJson}::json) as t(r uuid, f uuid, ri uuid, fi uuid, p float8, w float8, e jsonb, ev text)
    on conflict (report_id, found_id) where found_id is not null do update set
      probability = excluded.probability, weight = excluded.weight, explanation = excluded.explanation, evidence = excluded.evidence,
      status = 'proposed',
      times_proposed = match_candidates.times_proposed + (case when match_candidates.status = 'rejected' then 1 else 0 end),
      proposed_at = case when match_candidates.status = 'rejected' then now() else match_candidates.proposed_at end,
      reviewed_by = case when match_candidates.status = 'rejected' then null else match_candidates.reviewed_by end,
      reviewed_at = case when match_candidates.status = 'rejected' then null else match_candidates.reviewed_at end
    where match_candidates.status = 'proposed' or (match_candidates.status = 'rejected' and match_candidates.evidence <> excluded.evidence)
    -- proposed_at is now() (the transaction's time) exactly for the pairs inserted or proposed again here
    returning proposed_at = now() as proposed`.execute(db);
  return rows.filter((r) => r.proposed).length;
}

/**
 * Reports against the people in the case files of the report's own institution (a consulate that
 * also attends migrants, a commission with victims' files): the person-search engine, on names, sex,
 * birth date and nationality. Pairs go to `match_candidates` with `person_id`; only users who may read
 * the institution's people see them (review.service.ts). Institutions without people cost one query.
 */
async function matchCaseFilePeople(db: Db, reports: Subject[], threshold: number): Promise<number> {
  if (!reports.length) return 0;
  const { rows } = await sql<{ i: string }>`
    select i from unnest(${[...new Set(reports.map((r) => r.institution_id))]}::uuid[]) as i
    where exists (select 1 from people p where p.institution_id = i and p.merged_into is null)`.execute(db);
  const holders = new Set(rows.map((r) => r.i));
  let proposed = 0;
  for (const report of reports) {
    if (!holders.has(report.institution_id) || !(report.given_names || report.surname1)) continue;
    const hits = await searchPersons(db, report.institution_id, { given_names: report.given_names, surname1: report.surname1, surname2: report.surname2, sex: report.sex, date_of_birth: report.date_of_birth, nationalities: report.nationalities }, { limit: 5, noFallback: true });
    const found = hits.filter((h) => h.result.probability >= threshold);
    if (!found.length) continue;
    const { rows: written } = await sql<{ proposed: boolean }>`
      insert into match_candidates (report_id, person_id, report_institution_id, other_institution_id, probability, weight, explanation, evidence)
      select ${report.id}::uuid, pid, ${report.institution_id}::uuid, ${report.institution_id}::uuid, p, w, e::jsonb, ev from unnest(
        ${found.map((h) => h.person.id)}::uuid[], ${found.map((h) => h.result.probability)}::float8[], ${found.map((h) => h.result.weight)}::float8[],
        ${found.map((h) => JSON.stringify(h.result.explanation))}::text[],
        ${found.map((h) => createHash('sha256').update(evidenceFingerprint(report)).update('\n').update(JSON.stringify(h.person)).digest('base64url').slice(0, 32))}::text[]
      ) as t(pid, p, w, e, ev)
      on conflict (report_id, person_id) where person_id is not null do update set
        probability = excluded.probability, weight = excluded.weight, explanation = excluded.explanation, evidence = excluded.evidence,
        status = 'proposed',
        times_proposed = match_candidates.times_proposed + (case when match_candidates.status = 'rejected' then 1 else 0 end),
        proposed_at = case when match_candidates.status = 'rejected' then now() else match_candidates.proposed_at end
      where match_candidates.status = 'proposed' or (match_candidates.status = 'rejected' and match_candidates.evidence <> excluded.evidence)
      returning proposed_at = now() as proposed`.execute(db);
    proposed += written.filter((r) => r.proposed).length;
  }
  return proposed;
}

export type BatchResult = { processed: number; proposed: number };

/**
 * Records a batch takes from the queue. A new record alone is matched at once whatever this is; after an
 * import, larger batches spread each query and write over more records: at 100k × 100k, 200 per batch
 * took 293 s, 2,000 184 s and 5,000 165 s (bench/RESULTS.md).
 */
export const MATCHING_BATCH_SIZE = 5000;

export async function reviewThreshold(db: Db): Promise<number> {
  const row = await sql<{ review_threshold: number }>`select review_threshold from missing_settings`.execute(db);
  return row.rows[0]?.review_threshold ?? 0.5;
}

/**
 * The probability of each pair given every other pair of either record: its odds over one (nobody
 * here) plus the odds of all pairs of the report and all pairs of the found record. Namesakes and
 * look-alike remains share the mass instead of each getting it whole. Returns the pairs of these reports
 * and found records whose probability reaches `threshold` (competition only lowers a pair's own odds, so
 * only pairs whose own odds reach it are summed for).
 *
 * The other pairs of the records are read through the odds table's indexes with the records' ids as one
 * array (a bitmap scan, in the table's order), not record by record: at the end of a national import
 * every record is decided at once, and a lookup per record (100,000 of them, the planner expecting a
 * few) read 700,000 pages at random. The marked ids are given as a subquery's value, which the planner
 * does not look into: estimating the selectivity of 100,000 literal ids took it 0.7 s, more than running
 * the query (bench/RESULTS.md, session 18).
 */
export async function competingProbabilities(db: Db, reportIds: string[], foundIds: string[], threshold: number) {
  const minLog2 = Math.log2(threshold / (1 - threshold));
  const { rows } = await sql<{ report_id: string; found_id: string; p: number }>`
    with t as materialized (select report_id, found_id, log_odds from missing_pair_odds
               where (report_id = any((select ${plainArray(reportIds)}::uuid[])::uuid[]) or found_id = any((select ${plainArray(foundIds)}::uuid[])::uuid[])) and log_odds >= ${minLog2}),
    rs as (select report_id, sum(power(2::float8, log_odds)) as s from missing_pair_odds where report_id = any(array(select distinct report_id from t)) group by 1),
    cs as (select found_id, sum(power(2::float8, log_odds)) as s from missing_pair_odds where found_id = any(array(select distinct found_id from t)) group by 1),
    competing as (select t.report_id, t.found_id, power(2::float8, t.log_odds) / (1 + rs.s + cs.s - power(2::float8, t.log_odds)) as p
          from t join rs using (report_id) join cs using (found_id))
    select * from competing where p >= ${threshold}`.execute(db);
  return rows;
}

const pairKey = (reportId: string, foundId: string) => `${reportId}|${foundId}`;

/**
 * How long a record may wait for its pairs to be decided while the queue still holds records (waiting, or
 * taken by a batch still running): a record whose batch keeps failing must not hold back every other decision. Each pass holds up the other
 * batches (it decides every marked record): at one minute a 100k × 100k run made three passes besides
 * the last ones and took longer.
 */
export const DECISION_MAX_WAIT_SECONDS = 300;
/** The lock that serialises writing odds, marking and deciding between workers; held to the commit. */
const takeDecisionLock = (db: Tx) => sql`select pg_advisory_xact_lock(hashtext('amparo.missing_pair_odds'))`.execute(db);
const overdueMark = sql`select 1 from missing_decision_marks where marked_at < now() - make_interval(secs => ${DECISION_MAX_WAIT_SECONDS}) limit 1`;

/**
 * Stores the odds of the pairs just scored (replacing those of the records matched), marks every record
 * whose pairs' odds changed, and takes the batch's records off the queue; then, if the queue is empty,
 * rows other batches are working on included (or a mark has waited DECISION_MAX_WAIT_SECONDS), decides
 * the pairs of every marked record (decideMarked). During an import, then, a found record's pairs are decided once, at
 * the end, instead of in every batch that met it. All of this is serialised between workers (an advisory
 * lock held to the commit): a decision sees every mark and every odds written before it, and no mark is
 * written while it runs; scoring is not serialised. The batch that ends last finds the queue empty, so
 * every mark is decided, once. Returns how many pairs were newly proposed or proposed again.
 */
async function writeOddsAndDecide(db: Tx, queued: { side: Side; record_id: string }[], scored: ScoredPair[], threshold: number, markCounts: MarkCounts, proposalsPerWrite?: number): Promise<number> {
  const reportIds = new Set(queued.filter((q) => q.side === 'R').map((q) => q.record_id));
  const foundIds = new Set(queued.filter((q) => q.side === 'F').map((q) => q.record_id));
  const unique = new Map(scored.map((p) => [pairKey(p.report.id, p.found.id), p]));
  const list = [...unique.values()];
  // Taken before the odds are written, the lock also keeps two batches writing the same pairs from deadlocking.
  await takeDecisionLock(db);
  // The records' odds written before they were queued are stale; those written since by the batches of
  // records later in the queue (candidateIds' oncePerPair) are current and stay. Queue rows are still there.
  const removed: { report_id: string; found_id: string }[] = [];
  for (const [side, ids, column] of [['R', reportIds, sql`report_id`], ['F', foundIds, sql`found_id`]] as const) {
    const { rows } = await sql<{ report_id: string; found_id: string }>`
      delete from missing_pair_odds o using missing_match_queue q
      where q.side = ${side} and q.record_id = any(${plainArray([...ids])}::uuid[]) and o.${column} = q.record_id and o.written_at < q.enqueued_at
      returning o.report_id, o.found_id`.execute(db);
    removed.push(...rows);
  }
  if (list.length) {
    // In the odds table's key order, so that its index is written page after page instead of at random
    // places; sorted here rather than in Node, where comparing the ids as strings cost more than the insert.
    await sql`insert into missing_pair_odds (report_id, found_id, log_odds, written_at)
      select *, now() from unnest(${plainArray(list.map((p) => p.report.id))}::uuid[], ${plainArray(list.map((p) => p.found.id))}::uuid[], ${plainArray(list.map((p) => MATCH_PRIOR_LOG2 + p.score.weight))}::real[]) as t(r, f, o)
      order by r, f
      on conflict (report_id, found_id) do update set log_odds = excluded.log_odds, written_at = now()`.execute(db);
  }
  for (const p of [...removed, ...list.map((x) => ({ report_id: x.report.id, found_id: x.found.id }))]) {
    reportIds.add(p.report_id);
    foundIds.add(p.found_id);
  }
  const marks = [...[...reportIds].map((id) => ['R', id] as const), ...[...foundIds].map((id) => ['F', id] as const)];
  await sql`insert into missing_decision_marks (side, record_id)
    select * from unnest(${plainArray(marks.map((m) => m[0]))}::char(1)[], ${plainArray(marks.map((m) => m[1]))}::uuid[]) on conflict do nothing`.execute(db);
  await sql`delete from missing_match_queue where (side, record_id) in (select * from unnest(${plainArray(queued.map((q) => q.side))}::char(1)[], ${plainArray(queued.map((q) => q.record_id))}::uuid[]))`.execute(db);
  // Records another batch has taken and not yet committed count as waiting: that batch decides when it
  // ends (or, if it fails, its retry does), so the batches that end together at the close of an import
  // make one decision instead of one each, one after the other, while the other workers have nothing left.
  const { rows: waiting } = await sql`select 1 from missing_match_queue limit 1`.execute(db);
  if (waiting.length && !(await overdueMark.execute(db)).rows.length) return 0;
  return decideMarked(db, threshold, markCounts, unique, proposalsPerWrite);
}

/**
 * Decides the marked records' pairs outside a batch once a mark has waited DECISION_MAX_WAIT_SECONDS:
 * when the only records left in the queue are ones whose batch keeps failing, no batch gets as far as
 * deciding. The worker calls it after each round; one short query when nothing waits.
 */
export async function decideOverdueMarks(db: Db): Promise<number> {
  if (!(await overdueMark.execute(db)).rows.length) return 0;
  return db.transaction().execute(async (trx) => {
    await takeDecisionLock(trx);
    const proposed = await decideMarked(trx, await reviewThreshold(trx), { counts: new Map() }, new Map());
    // Deciding reads the records of the pairs it words: one entry on the platform chain, as a batch writes.
    await appendAudit(trx, { institutionId: null, actorUserId: null, action: 'missing.matching_run', recordType: 'match_candidates', detail: { records: 0, proposed } });
    return proposed;
  });
}

/** Proposals worded and written per statement by a decision (a test writes smaller chunks). */
const PROPOSALS_PER_WRITE = 5_000;

/**
 * Decides the pairs of every marked record (call holding the decision lock): the probability of each pair
 * given every other pair of either record; proposed (or its probability updated) when it reaches the
 * threshold, withdrawn when a still unreviewed pair no longer does. `scored` holds pairs this batch scored.
 */
async function decideMarked(db: Tx, threshold: number, markCounts: MarkCounts, scored: Map<string, ScoredPair>, proposalsPerWrite = PROPOSALS_PER_WRITE): Promise<number> {
  const { rows: marks } = await sql<{ side: Side; record_id: string }>`delete from missing_decision_marks returning side, record_id`.execute(db);
  if (!marks.length) return 0;
  const reportIds = marks.filter((m) => m.side === 'R').map((m) => m.record_id);
  const foundIds = marks.filter((m) => m.side === 'F').map((m) => m.record_id);
  const decided = await competingProbabilities(db, reportIds, foundIds, threshold);
  const { pairs: proposals, word } = await pairsToWord(db, decided, scored, markCounts);
  await sql`
    delete from match_candidates c where c.status = 'proposed' and c.found_id is not null
      and (c.report_id = any(${plainArray(reportIds)}::uuid[]) or c.found_id = any(${plainArray(foundIds)}::uuid[]))
      and not exists (select 1 from unnest(${plainArray(proposals.map((p) => p.report.id))}::uuid[], ${plainArray(proposals.map((p) => p.found.id))}::uuid[]) as a(r, f) where a.r = c.report_id and a.f = c.found_id)`.execute(db);
  // Worded and written a chunk at a time, the next chunk worded while PostgreSQL writes the last: at the end
  // of a national import (39,000 proposals) wording and writing took 2 and 5 seconds one after the other,
  // with the rest of the machine idle (bench/RESULTS.md, session 18).
  let proposed = 0;
  let writing: Promise<number> | undefined;
  for (let i = 0; i < proposals.length; i += proposalsPerWrite) {
    const chunk = proposals.slice(i, i + proposalsPerWrite).map(word);
    if (writing) proposed += await writing;
    writing = upsertCandidates(db, chunk);
    // Awaited after the next chunk is worded: a failure meanwhile must not count as unhandled.
    writing.catch(() => undefined);
  }
  if (writing) proposed += await writing;
  return proposed;
}

type PairToWord = { report: Subject; found: Subject; probability: number; score?: PairScore };

/**
 * The decided pairs whose two records are still open, and how to word each (its score with the words of
 * the explanation, at the probability decided): pairs a batch scored with words keep them; those it
 * scored without (matchSubjects, `explain` false) or did not score (pairs of earlier batches, whose records
 * are loaded here) are scored when worded.
 */
async function pairsToWord(db: Tx, decided: { report_id: string; found_id: string; p: number }[], scored: Map<string, ScoredPair>, markCounts: MarkCounts) {
  const pairs: PairToWord[] = [];
  const missing: { report_id: string; found_id: string; p: number }[] = [];
  for (const d of decided) {
    const pair = scored.get(pairKey(d.report_id, d.found_id));
    if (!pair) missing.push(d);
    else pairs.push({ report: pair.report, found: pair.found, probability: d.p, ...(pair.score.explanation.length ? { score: pair.score } : {}) });
  }
  const reports = new Map((await loadOpenKept(db, 'R', [...new Set(missing.map((d) => d.report_id))])).map((s) => [s.id, s]));
  const founds = new Map((await loadOpenKept(db, 'F', [...new Set(missing.map((d) => d.found_id))])).map((s) => [s.id, s]));
  for (const d of missing) {
    const report = reports.get(d.report_id);
    const found = founds.get(d.found_id);
    if (report && found) pairs.push({ report, found, probability: d.p });
  }
  const unworded = pairs.filter((p) => !p.score);
  const context = unworded.length ? createPairContext(await markFrequencies(db, unworded.flatMap((p) => [p.report, p.found]), markCounts)) : null;
  const word = ({ report, found, probability, score }: PairToWord): ScoredPair => ({ report, found, score: { ...(score ?? context!.score(report, found)), probability } });
  return { pairs, word };
}

/**
 * Takes up to `batchSize` queued records and matches them, all in one transaction. `beforeCommit` lets a
 * test fail the run after the candidates are written (a crash): nothing of it must remain; `afterScoring`
 * lets a test hold the batch between scoring and deciding while another runs.
 */
export async function runMatchingBatch(db: Db, options: { batchSize?: number; proposalsPerWrite?: number; afterScoring?: () => Promise<void>; beforeCommit?: () => void | Promise<void> } = {}): Promise<BatchResult> {
  await ensureCurrentKeys(db);
  await vacuumKeysAfterLargeWrites(db);
  return db.transaction().execute(async (trx: Tx) => {
    // Only records stamped before every queuing still running has ended: the later ones wait for the next
    // batch (candidateIds relies on it). Read before waiting, so that no queue row is locked meanwhile.
    const { rows: drawn } = await sql<{ stamp: string }>`select (case when is_called then last_value else last_value - 1 end)::text as stamp from missing_match_stamp`.execute(trx);
    await awaitEarlierQueuing(trx);
    // Locked, not written: the batch deletes them when it commits, and a failed batch leaves them as they were.
    const { rows: queued } = await sql<{ side: Side; record_id: string }>`
      select side, record_id from missing_match_queue where stamp <= ${drawn[0]!.stamp}::bigint
      order by stamp, side, record_id limit ${options.batchSize ?? MATCHING_BATCH_SIZE} for update skip locked`.execute(trx);
    if (!queued.length) return { processed: 0, proposed: 0 };
    // A batch's candidate pairs (hundreds of thousands at national scale) are deduplicated and joined in
    // memory rather than in temporary files.
    await sql`set local work_mem = '64MB'`.execute(trx);
    // Through the candidates this worker keeps: most records of a large import were another batch's candidates first.
    const sources = [
      ...(await loadOpenKept(trx, 'R', queued.filter((q) => q.side === 'R').map((q) => q.record_id))),
      ...(await loadOpenKept(trx, 'F', queued.filter((q) => q.side === 'F').map((q) => q.record_id))),
    ];
    const threshold = await reviewThreshold(trx);
    const markCounts: MarkCounts = { counts: new Map() };
    const pairs = await matchSubjects(trx, sources, { threshold: toProbability(ODDS_FLOOR_LOG2), oncePerPair: true, markCounts, explain: false });
    await options.afterScoring?.();
    const proposed = (await writeOddsAndDecide(trx, queued, pairs, threshold, markCounts, options.proposalsPerWrite)) + (await matchCaseFilePeople(trx, sources.filter((s) => s.side === 'R'), threshold));
    // The system read personal data of these records: one entry on the platform chain, identifiers only.
    await appendAudit(trx, { institutionId: null, actorUserId: null, action: 'missing.matching_run', recordType: 'match_candidates', detail: { records: queued.length, proposed } });
    await options.beforeCommit?.();
    return { processed: queued.length, proposed };
  });
}

/** Runs batches until the queue is empty. */
export async function drainMatchingQueue(db: Db, options: { batchSize?: number; proposalsPerWrite?: number } = {}): Promise<BatchResult> {
  const total = { processed: 0, proposed: 0 };
  for (;;) {
    const r = await runMatchingBatch(db, options);
    if (!r.processed) return total;
    total.processed += r.processed;
    total.proposed += r.proposed;
  }
}

/**
 * The in-process worker: polls the queue (every `intervalMs` when idle), drains it, and stops cleanly.
 * Errors are counted, not logged with data; the records stay queued and are retried on the next tick.
 */
export function startMatchingWorker(db: Db, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): PeriodicTask {
  const round = async () => {
    try {
      await drainMatchingQueue(db);
    } finally {
      await decideOverdueMarks(db);
    }
  };
  return startPeriodicTask(round, { intervalMs: options.intervalMs ?? 1000, ...(options.onError ? { onError: options.onError } : {}) });
}
