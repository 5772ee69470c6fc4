import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { consistentReports, decideOverdueMarks, drainMatchingQueue, indexAndQueue, loadSubjects, markFrequencies, matchSubjects, ODDS_FLOOR_LOG2, runMatchingBatch, vacuumKeysAfterLargeWrites } from './matching.ts';
import { createPairContext, MATCH_PRIOR_LOG2, prepare } from './evidence.ts';
import { insertFounds, insertReports } from './missing.service.ts';
import { newFoundBody, newReportBody } from './missing.schema.ts';
import { MissingGenerator, type FoundRecord, type ReportRecord } from '../../bench/missing-generator.ts';
import { makeInstitution, startTestServer, type TestServer } from '../../test/helpers.ts';

/**
 * Matching on a fixed sample of the benchmark's generator (bench/missing-generator.ts: namesakes,
 * siblings, misspelt surnames, nameless remains with one mark, common tattoos): the pairs and their
 * scores do not depend on the order in which records arrive, and the scores are calibrated.
 */
const servers: TestServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.close())));

const reportFields = (r: ReportRecord) => ({
    channel: r.channel, given_names: r.given_names, surname1: r.surname1, surname2: r.surname2, other_names: r.other_names, sex: r.sex,
    date_of_birth: r.date_of_birth, age_min: r.age_min, age_max: r.age_max, age_on: r.age_min == null && r.age_max == null ? null : r.last_seen_on,
    nationalities: r.nationalities, languages: ['spa'], height_min_cm: r.height_min_cm, height_max_cm: r.height_max_cm, marks: r.marks, clothing: r.clothing,
    documents: r.documents, last_seen_on: r.last_seen_on, last_seen_country: 'MEX', last_seen_state: r.last_seen_state,
    reporter: { name: 'Familiar', relationship: r.reporter_relationship }, dna_reference_taken: false,
  });
const reportInput = (r: ReportRecord) => newReportBody.parse(reportFields(r));
const foundFields = (f: FoundRecord) => ({
    condition: f.condition, situation: f.situation, given_names: f.given_names, surname1: f.surname1, surname2: f.surname2, sex: f.sex,
    date_of_birth: f.date_of_birth, age_min: f.age_min, age_max: f.age_max, nationalities: f.nationalities, height_min_cm: f.height_min_cm,
    height_max_cm: f.height_max_cm, marks: f.marks, clothing: f.clothing, documents: f.documents, found_on: f.found_on, found_state: f.found_state,
    death_from: f.death_from, death_to: f.death_to,
  });
const foundInput = (f: FoundRecord) => newFoundBody.parse(foundFields(f));

/** The generator's records that the API accepts (a typo can put a character in a name that no form would take). */
function accepted(sample: { reports: ReportRecord[]; found: FoundRecord[] }) {
  return { reports: sample.reports.filter((r) => newReportBody.safeParse(reportFields(r)).success), found: sample.found.filter((f) => newFoundBody.safeParse(foundFields(f)).success) };
}

/**
 * Loads the sample into a new database in the given order, draining the queue after each part as a
 * worker would. Records are labelled by the generator's person number (and, for found records, their
 * place in the sample and whether they are that reported person), so that two databases compare.
 */
async function load(sample: { reports: ReportRecord[]; found: FoundRecord[] }, order: ('reports' | 'found')[], drain: { proposalsPerWrite?: number } = {}) {
  const server = await startTestServer({ matchingWorker: false });
  servers.push(server);
  const institution = await makeInstitution(server.db);
  const label = new Map<string, string>();
  let proposed = 0;
  for (const part of order) {
    await server.db.transaction().execute(async (trx) => {
      if (part === 'reports') {
        const rows = await insertReports(trx, server.cipher, null, institution.id, null, sample.reports.map(reportInput));
        rows.forEach(({ row }, i) => label.set(row.id, `R${sample.reports[i]!.person}`));
      } else {
        const rows = await insertFounds(trx, server.cipher, institution.id, null, sample.found.map(foundInput));
        rows.forEach((row, i) => label.set(row.id, `F${i}:${sample.found[i]!.category.startsWith('true_') ? sample.found[i]!.person : '-'}`));
      }
    });
    proposed += (await drainMatchingQueue(server.db, { batchSize: 37, ...drain })).proposed;
  }
  const candidates = (await sql<{ report_id: string; found_id: string; probability: number; weight: number }>`
    select report_id, found_id, probability, weight from match_candidates where found_id is not null`.execute(server.db)).rows;
  // Every kept pair's probability against all pairs of either record (as matching.ts decides them).
  const scored = (await sql<{ report_id: string; found_id: string; log_odds: number; p: number }>`
    with rs as (select report_id, sum(power(2::float8, log_odds)) as s from missing_pair_odds group by 1),
    cs as (select found_id, sum(power(2::float8, log_odds)) as s from missing_pair_odds group by 1)
    select o.report_id, o.found_id, o.log_odds, power(2::float8, o.log_odds) / (1 + rs.s + cs.s - power(2::float8, o.log_odds)) as p
    from missing_pair_odds o join rs using (report_id) join cs using (found_id)`.execute(server.db)).rows;
  const name = (r: string, f: string) => `${label.get(r)}|${label.get(f)}`;
  const isTrue = (r: string, f: string) => label.get(f)!.split(':')[1] === label.get(r)!.slice(1);
  return {
    candidates: candidates.map((c) => `${name(c.report_id, c.found_id)} ${c.probability.toFixed(9)} ${c.weight}`).sort(),
    odds: scored.map((o) => `${name(o.report_id, o.found_id)} ${o.log_odds}`).sort(),
    scored: scored.map((o) => ({ report: o.report_id, p: o.p, y: isTrue(o.report_id, o.found_id) })),
    trueInSample: sample.found.filter((f) => f.category.startsWith('true_')).length,
    proposed,
  };
}

/** The sample written in one transaction to a new database, nothing matched yet. */
async function insertedUnmatched(sample: { reports: ReportRecord[]; found: FoundRecord[] }) {
  const server = await startTestServer({ matchingWorker: false });
  servers.push(server);
  const institution = await makeInstitution(server.db);
  const [reportIds, foundIds] = await server.db.transaction().execute(async (trx) => [
    (await insertReports(trx, server.cipher, null, institution.id, null, sample.reports.map(reportInput))).map(({ row }) => row.id),
    (await insertFounds(trx, server.cipher, institution.id, null, sample.found.map(foundInput))).map((row) => row.id),
  ]);
  return { server, reportIds, foundIds };
}

describe('matching on a fixed sample of realistic records', () => {
  it('gives the same pairs and scores whatever the order of the imports', async () => {
    const sample = accepted(new MissingGenerator({ seed: 7, reports: 150, found: 150 }).base());
    const a = await load(sample, ['reports', 'found']);
    const b = await load(sample, ['found', 'reports']);
    expect(a.candidates.length).toBeGreaterThan(20);
    expect(b.candidates).toEqual(a.candidates);
    expect(b.odds).toEqual(a.odds);
  });

  it('writes a decision\'s proposals a few at a time with the same result as all at once', async () => {
    // At the end of an import the next chunk is worded while the last is written: none lost, none counted twice.
    const sample = accepted(new MissingGenerator({ seed: 7, reports: 150, found: 150 }).base());
    const whole = await load(sample, ['reports', 'found']);
    const chunked = await load(sample, ['reports', 'found'], { proposalsPerWrite: 3 });
    expect(whole.candidates.length).toBeGreaterThan(3 * 3);
    expect(chunked.candidates).toEqual(whole.candidates);
    expect(chunked.proposed).toBe(whole.proposed);
    expect(whole.proposed).toBeGreaterThanOrEqual(whole.candidates.length);
  });

  it('vacuums the key tables, as the application role, once enough key rows were written since their last vacuum, and not again until more are', async () => {
    const sample = accepted(new MissingGenerator({ seed: 12, reports: 60, found: 60 }).base());
    const { server } = await insertedUnmatched(sample);
    const keyTables = async () =>
      (await sql<{ relname: string; written: number; vacuums: number; pages: number; visible: number }>`
        select s.relname, (s.n_ins_since_vacuum + s.n_dead_tup)::int as written, s.vacuum_count::int as vacuums, c.relpages as pages, c.relallvisible as visible
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.relname in ('missing_name_keys', 'missing_mark_keys') order by s.relname`.execute(server.db)).rows;
    // The writer's counts reach the statistics a moment after its commit.
    await expect.poll(async () => (await keyTables()).reduce((n, t) => n + t.written, 0)).toBeGreaterThan(100);
    const written = (await keyTables()).reduce((n, t) => n + t.written, 0);
    expect(await vacuumKeysAfterLargeWrites(server.appDb, written + 1)).toBe(false);
    expect((await keyTables()).map((t) => t.vacuums)).toEqual([0, 0]);

    const version = (await sql<{ version: number }>`select current_setting('server_version_num')::int as version`.execute(server.db)).rows[0]!.version;
    if (version < 170000) {
      // Before PostgreSQL 17 the application role cannot be given MAINTAIN: PostgreSQL skips the tables
      // (a warning), the function says so, and autovacuum is left to do it (TEST_DATABASE_URL on an older server).
      expect(await vacuumKeysAfterLargeWrites(server.appDb, written)).toBe(false);
      expect((await keyTables()).map((t) => t.vacuums)).toEqual([0, 0]);
      return;
    }
    expect(await vacuumKeysAfterLargeWrites(server.appDb, written)).toBe(true);
    const after = await keyTables();
    expect(after.map((t) => t.vacuums)).toEqual([1, 1]);
    expect(after.map((t) => t.written)).toEqual([0, 0]);
    // Index-only scans of the candidate query no longer visit the table.
    for (const t of after) expect(t.visible).toBe(t.pages);
    expect(await vacuumKeysAfterLargeWrites(server.appDb, 1)).toBe(false);
  });

  it('keeps the odds a later record\'s batch wrote while the earlier record\'s batch was still running', async () => {
    const sample = accepted(new MissingGenerator({ seed: 10, reports: 60, found: 60 }).base());
    const found = sample.found.find((f) => f.category === 'true_alive' && f.given_names)!;
    const report = sample.reports.find((r) => r.person === found.person)!;
    const server = await startTestServer({ matchingWorker: false });
    servers.push(server);
    const institution = await makeInstitution(server.db);
    // One transaction: both queued at the same time, the found record first in the queue's order.
    const [foundId, reportId] = await server.db.transaction().execute(async (trx) => [
      (await insertFounds(trx, server.cipher, institution.id, null, [foundInput(found)]))[0]!.id,
      (await insertReports(trx, server.cipher, null, institution.id, null, [reportInput(report)]))[0]!.row.id,
    ]);
    let scored!: () => void;
    const held = new Promise<void>((resolve) => (scored = resolve));
    let release!: () => void;
    const earlier = runMatchingBatch(server.db, { batchSize: 1, afterScoring: () => (scored(), new Promise<void>((resolve) => (release = resolve))) });
    await held; // the found record's batch has left the pair to the report, queued after it
    expect(await runMatchingBatch(server.db, { batchSize: 1 })).toMatchObject({ processed: 1 });
    // The found record's batch still holds its queue row: the report's batch leaves the decision to it
    // (one decision when batches end together), which makes it when it ends.
    const proposed = async () => (await sql<{ n: number }>`select count(*)::int as n from match_candidates`.execute(server.db)).rows[0]!.n;
    expect(await proposed()).toBe(0);
    release();
    await earlier;
    const odds = await sql<{ report_id: string; found_id: string }>`select report_id, found_id from missing_pair_odds`.execute(server.db);
    expect(odds.rows).toEqual([{ report_id: reportId, found_id: foundId }]);
    const candidates = await sql<{ n: number }>`select count(*)::int as n from match_candidates where report_id = ${reportId} and found_id = ${foundId}`.execute(server.db);
    expect(candidates.rows[0]!.n).toBe(1);
  });

  it('decides the pairs once the queue has nothing left to take, or once a record has waited five minutes', async () => {
    const sample = accepted(new MissingGenerator({ seed: 10, reports: 60, found: 60 }).base());
    const { server } = await insertedUnmatched(sample);
    const count = async (table: 'match_candidates' | 'missing_decision_marks' | 'missing_match_queue') =>
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(server.db)).rows[0]!.n;
    // Records still wait in the queue: the batch (the found records, then 20 reports, in the queue's order)
    // writes odds and marks their records, and decides nothing yet.
    expect(await runMatchingBatch(server.db, { batchSize: sample.found.length + 20 })).toEqual({ processed: sample.found.length + 20, proposed: 0 });
    expect(await count('match_candidates')).toBe(0);
    expect(await count('missing_decision_marks')).toBe(sample.found.length + 20);
    // Marks that have waited longer than DECISION_MAX_WAIT_SECONDS are decided even when no batch succeeds
    // (the worker's round ends with decideOverdueMarks), and by the next batch.
    expect(await decideOverdueMarks(server.db)).toBe(0);
    expect(await count('missing_decision_marks')).toBe(sample.found.length + 20);
    await sql`update missing_decision_marks set marked_at = now() - interval '6 minutes'`.execute(server.db);
    const audited = async () => (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'missing.matching_run'`.execute(server.db)).rows[0]!.n;
    const before = await audited();
    expect(await decideOverdueMarks(server.db)).toBeGreaterThan(0);
    expect(await count('missing_decision_marks')).toBe(0);
    expect(await audited()).toBe(before + 1);
    expect((await runMatchingBatch(server.db, { batchSize: 10 })).processed).toBe(10);
    expect(await count('missing_decision_marks')).toBeGreaterThan(0);
    await sql`update missing_decision_marks set marked_at = now() - interval '6 minutes'`.execute(server.db);
    await runMatchingBatch(server.db, { batchSize: 10 });
    expect(await count('missing_decision_marks')).toBe(0);
    // The batch that empties the queue decides every mark: the same pairs as one batch of everything.
    await drainMatchingQueue(server.db, { batchSize: 25 });
    expect(await count('missing_match_queue')).toBe(0);
    expect(await count('missing_decision_marks')).toBe(0);
    const probabilities = async (db: typeof server.db) =>
      (await sql<{ p: number }>`select probability as p from match_candidates where found_id is not null`.execute(db)).rows.map((r) => r.p.toFixed(9)).sort();
    const once = await insertedUnmatched(sample);
    await drainMatchingQueue(once.server.db, { batchSize: 1000 });
    expect(await probabilities(server.db)).toEqual(await probabilities(once.server.db));
    expect((await probabilities(server.db)).length).toBeGreaterThan(5);
  });

  it('forgets the odds of a record deleted by hand, and only those (no foreign keys on the odds)', async () => {
    const sample = accepted(new MissingGenerator({ seed: 10, reports: 60, found: 60 }).base());
    const { server } = await insertedUnmatched(sample);
    await drainMatchingQueue(server.db);
    const perRecord = async () =>
      (await sql<{ report_id: string; found_id: string }>`select report_id, found_id from missing_pair_odds order by 1, 2`.execute(server.db)).rows;
    const before = await perRecord();
    expect(before.length).toBeGreaterThan(10);
    const { report_id: report, found_id: found } = before[0]!;
    await sql`delete from found_records where id = ${found}`.execute(server.db);
    await sql`delete from missing_reports where id = ${report}`.execute(server.db);
    const after = await perRecord();
    expect(after).toEqual(before.filter((o) => o.report_id !== report && o.found_id !== found));
    expect(after.length).toBeLessThan(before.length);
  });

  it('reads a record again when its row changed after the worker kept it, as a source as well as a candidate', async () => {
    // The worker keeps the records it read (by row version); a batch's own records come through them too.
    const sample = accepted(new MissingGenerator({ seed: 13, reports: 60, found: 60 }).base());
    const { server } = await insertedUnmatched(sample);
    await drainMatchingQueue(server.db, { batchSize: 25 });
    const odds = async (r: string, f: string) =>
      (await sql<{ log_odds: number }>`select log_odds from missing_pair_odds where report_id = ${r} and found_id = ${f}`.execute(server.db)).rows[0]?.log_odds;
    const strongest = await sql<{ report_id: string; found_id: string; log_odds: number }>`
      select report_id, found_id, log_odds from missing_pair_odds order by log_odds desc, report_id limit 1`.execute(server.db);
    const { report_id: report, found_id: found, log_odds: before } = strongest.rows[0]!;
    // A correction that keeps every key of the report (its sex): the pair is found again, and scored on the new row.
    await server.db.transaction().execute(async (trx) => {
      await sql`update missing_reports set sex = case when sex = 'female' then 'male' else 'female' end where id = ${report}`.execute(trx);
      await indexAndQueue(trx, await loadSubjects(trx, 'R', [report]));
    });
    await drainMatchingQueue(server.db, { batchSize: 25 });
    const [corrected] = await loadSubjects(server.db, 'R', [report]);
    const [foundRecord] = await loadSubjects(server.db, 'F', [found]);
    const fresh = createPairContext(await markFrequencies(server.db, [corrected!, foundRecord!])).weight(corrected!, foundRecord!);
    expect(fresh).toBeLessThan(before - MATCH_PRIOR_LOG2 - 5);
    const after = await odds(report, found);
    if (fresh + MATCH_PRIOR_LOG2 >= ODDS_FLOOR_LOG2) expect(after).toBeCloseTo(fresh + MATCH_PRIOR_LOG2, 2);
    else expect(after).toBeUndefined();
  });

  it('takes no record queued after a queuing still running, so a pair across the two is never lost', async () => {
    // A batch skips the key rows stamped after its latest record (their record's batch scores the pair).
    // If it took the found record while the report, stamped earlier, was still being written, neither
    // batch would read the other's keys.
    const sample = accepted(new MissingGenerator({ seed: 14, reports: 40, found: 40 }).base());
    const found = sample.found.find((f) => f.category === 'true_alive')!;
    const report = sample.reports.find((r) => r.person === found.person)!;
    const server = await startTestServer({ matchingWorker: false });
    servers.push(server);
    const institution = await makeInstitution(server.db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reportQueued!: () => void;
    const queued = new Promise<void>((resolve) => (reportQueued = resolve));
    const earlier = server.db.transaction().execute(async (trx) => {
      const { row } = (await insertReports(trx, server.cipher, null, institution.id, null, [reportInput(report)]))[0]!;
      reportQueued();
      await held;
      return row.id;
    });
    await queued;
    const { id: foundId } = (await server.db.transaction().execute((trx) => insertFounds(trx, server.cipher, institution.id, null, [foundInput(found)])))[0]!;
    let batchEnded = false;
    const batch = runMatchingBatch(server.db).then((r) => ((batchEnded = true), r));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(batchEnded).toBe(false);
    release();
    const reportId = await earlier;
    await batch;
    await drainMatchingQueue(server.db);
    const { rows } = await sql<{ log_odds: number }>`select log_odds from missing_pair_odds where report_id = ${reportId} and found_id = ${foundId}`.execute(server.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.log_odds).toBeGreaterThan(0);
    // The batch only looked: no session keeps the queuing lock, which would hold up every later queuing.
    const { rows: locks } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`.execute(server.db);
    expect(locks[0]!.n).toBe(0);
  });

  it('compares two records that share several keys once, with the weight of the pair', async () => {
    // The candidate query lists a source once per key it shares with a candidate (a name, a birth date, a
    // mark); matching must still score and return each pair once.
    const sample = accepted(new MissingGenerator({ seed: 12, reports: 80, found: 80 }).base());
    const { server, reportIds, foundIds } = await insertedUnmatched(sample);
    const founds = await loadSubjects(server.db, 'F', foundIds, true);
    const pairs = await matchSubjects(server.db, founds, { threshold: 0.0001 });
    const keys = pairs.map((p) => `${p.report.id}|${p.found.id}`);
    expect(pairs.length).toBeGreaterThan(20);
    expect(new Set(keys).size).toBe(keys.length);
    const shared = await sql<{ report_id: string; found_id: string; n: number }>`
      select r.record_id as report_id, f.record_id as found_id, count(*)::int as n
      from missing_name_keys r join missing_name_keys f on f.key = r.key and f.side = 'F' and r.side = 'R'
      where r.key not like 'v:%' and r.record_id = any(${reportIds}::uuid[]) group by 1, 2 having count(*) >= 2`.execute(server.db);
    const manyKeys = new Set(shared.rows.map((r) => `${r.report_id}|${r.found_id}`));
    expect(keys.filter((k) => manyKeys.has(k)).length).toBeGreaterThan(0);
    const reports = new Map((await loadSubjects(server.db, 'R', reportIds)).map((r) => [r.id, r]));
    const context = createPairContext(await markFrequencies(server.db, [...reports.values(), ...founds]));
    for (const p of pairs) expect(p.score.weight).toBe(context.weight(reports.get(p.report.id)!, p.found));
  });

  it('does not compare a report with a record of someone found before the report says they were last seen, unless the two share a document', async () => {
    // The candidate query drops such pairs on the key rows' timeline day (compareTimeline: impossible);
    // an identity document is the one evidence that says a date is what was mistyped.
    const server = await startTestServer({ matchingWorker: false });
    servers.push(server);
    const institution = await makeInstitution(server.db);
    const person = { given_names: 'Rigoberto', surname1: 'Castañeda', surname2: 'Pop', sex: 'male', date_of_birth: '1994-03-02', age_min: null, age_max: null, nationalities: ['GTM'], height_min_cm: null, height_max_cm: null, marks: null, clothing: null };
    const passport = { type: 'passport', number: 'G4455667', issuer: 'GTM' };
    const [reportId] = await server.db.transaction().execute(async (trx) =>
      (await insertReports(trx, server.cipher, null, institution.id, null, [newReportBody.parse({
        ...person, channel: 'in_person', other_names: [], age_on: null, languages: ['spa'], documents: [passport], last_seen_on: '2025-06-01', last_seen_country: 'MEX',
        last_seen_state: '07', reporter: { name: 'Familiar', relationship: 'sibling' }, dna_reference_taken: false,
      })])).map(({ row }) => row.id));
    const found = (found_on: string, documents: (typeof passport)[]) =>
      newFoundBody.parse({ ...person, condition: 'alive', situation: 'migration_station', documents, found_on, found_state: '07', death_from: null, death_to: null });
    const [after, before, beforeWithPassport] = await server.db.transaction().execute(async (trx) =>
      (await insertFounds(trx, server.cipher, institution.id, null, [found('2025-08-20', []), found('2025-02-10', []), found('2025-02-10', [passport])])).map((row) => row.id));
    const compared = async () => (await matchSubjects(server.db, await loadSubjects(server.db, 'R', [reportId!]), { threshold: 1e-12 })).map((p) => p.found.id).sort();
    expect(await compared()).toEqual([after!, beforeWithPassport!].sort());
    // The same from the found records' side.
    const fromFound = await matchSubjects(server.db, await loadSubjects(server.db, 'F', [after!, before!, beforeWithPassport!]), { threshold: 1e-12 });
    expect(fromFound.map((p) => p.found.id).sort()).toEqual([after!, beforeWithPassport!].sort());
    // Scored, the impossible pair would carry the timeline's -30 bits: never proposed, however well the rest agrees.
    const [report] = await loadSubjects(server.db, 'R', [reportId!]);
    const [impossible] = await loadSubjects(server.db, 'F', [before!]);
    expect(createPairContext().weight(report!, impossible!) + MATCH_PRIOR_LOG2).toBeLessThan(0);
  });

  it('compares nameless remains with every report whose mark and ages fit, through one of the decades they share', async () => {
    // A wide age range is keyed under several decades of birth, a narrow one under one; the pair is read
    // through the later of the two records' earliest decades, whichever record that is.
    const server = await startTestServer({ matchingWorker: false });
    servers.push(server);
    const institution = await makeInstitution(server.db);
    const marks = 'Tatuaje de un alacrán y una golondrina en el antebrazo';
    const report = (surname1: string, age_min: number, age_max: number) => newReportBody.parse({
      channel: 'in_person', given_names: 'Mateo', surname1, surname2: null, other_names: [], sex: 'male', date_of_birth: null, age_min, age_max,
      age_on: '2025-01-10', nationalities: ['HND'], languages: ['spa'], height_min_cm: 165, height_max_cm: 175, marks, clothing: null, documents: [],
      last_seen_on: '2025-01-10', last_seen_country: 'MEX', last_seen_state: '26', reporter: { name: 'Familiar', relationship: 'mother' }, dna_reference_taken: false,
    });
    const remains = (age_min: number, age_max: number) => newFoundBody.parse({
      condition: 'deceased', situation: 'remains', given_names: null, surname1: null, surname2: null, sex: 'male', date_of_birth: null, age_min, age_max,
      nationalities: [], height_min_cm: 166, height_max_cm: 174, marks: 'alacrán y golondrina tatuados en antebrazo', clothing: null, documents: [],
      found_on: '2025-06-15', found_state: '26', death_from: '2025-02-01', death_to: '2025-05-30',
    });
    const [[wide, narrow], [narrowRemains, wideRemains]] = await server.db.transaction().execute(async (trx) => [
      (await insertReports(trx, server.cipher, null, institution.id, null, [report('Ancho', 25, 50), report('Angosto', 30, 30)])).map(({ row }) => row.id),
      (await insertFounds(trx, server.cipher, institution.id, null, [remains(30, 30), remains(20, 45)])).map((row) => row.id),
    ]);
    // Each record has one earliest-decade key per specific mark and sex, however many decades it is keyed under.
    const flags = await sql<{ record_id: string; earliest: number; keys: number }>`
      select record_id, count(*) filter (where earliest_decade)::int as earliest, count(*)::int as keys from missing_mark_keys group by 1`.execute(server.db);
    const byRecord = new Map(flags.rows.map((r) => [r.record_id, r]));
    expect(byRecord.get(wide!)!.keys).toBeGreaterThan(byRecord.get(wide!)!.earliest);
    expect(byRecord.get(wide!)!.earliest).toBe(2); // ALACRAN and GOLONDRINA, male
    expect(byRecord.get(narrow!)!.keys).toBe(byRecord.get(narrow!)!.earliest);
    const listed = async (found: string) => (await consistentReports(server.db, (await loadSubjects(server.db, 'F', [found]))[0]!)).map((p) => p.report.id).sort();
    // The wide report's earliest decade comes before the narrow remains'; the narrow report's after the wide remains'.
    expect(await listed(narrowRemains!)).toEqual([wide!, narrow!].sort());
    expect(await listed(wideRemains!)).toEqual([wide!, narrow!].sort());
  });

  it('drops a pair on the upper bound of its weight only when its weight is below the floor', async () => {
    // Every report against every found record of a sample (namesakes, typos, slips of a birth year, nameless
    // remains, impossible timelines): `atLeast` must say exactly what the full weight says, at any floor.
    const sample = accepted(new MissingGenerator({ seed: 11, reports: 120, found: 120 }).base());
    const { server, reportIds, foundIds } = await insertedUnmatched(sample);
    const reports = await loadSubjects(server.db, 'R', reportIds);
    const founds = await loadSubjects(server.db, 'F', foundIds);
    const context = createPairContext(await markFrequencies(server.db, [...reports, ...founds]));
    let kept = 0;
    let compared = 0;
    for (const min of [-20, -4, 2, 8, 14]) {
      for (const r of reports) {
        for (const f of founds) {
          const weight = context.weight(r, f);
          // Weighed without words (shared objects for common levels) or with them, a pair has one weight.
          if (min === -20) expect(context.score(r, f).weight).toBe(weight);
          // The pair reaches the floor exactly when its full weight does, and then with that weight.
          expect(context.atLeast(prepare(r), prepare(f), min), `${r.id} ${f.id} ${weight} ${min}`).toBe(weight >= min ? weight : -Infinity);
          compared++;
          if (weight >= min) kept++;
        }
      }
    }
    // Both answers occur: the floors cut through the sample.
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(compared);
  });

  it('scores pairs with probabilities that mean what they say: calibrated, and one report\'s add up to at most 1', async () => {
    const sample = accepted(new MissingGenerator({ seed: 8, reports: 500, found: 500 }).base());
    const { scored, trueInSample } = await load(sample, ['found', 'reports']);
    // Expected calibration error over ten bins.
    const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
    for (const x of scored) {
      const b = bins[Math.min(9, Math.floor(x.p * 10))]!;
      b.n++;
      b.p += x.p;
      b.y += x.y ? 1 : 0;
    }
    const ece = bins.reduce((e, b) => e + (b.n ? (b.n / scored.length) * Math.abs(b.p - b.y) / b.n : 0), 0);
    expect(ece).toBeLessThanOrEqual(0.05);
    // Nearly every true pair is kept, and what is proposed is mostly right.
    expect(scored.filter((x) => x.y).length / trueInSample).toBeGreaterThan(0.9);
    const proposed = scored.filter((x) => x.p >= 0.5);
    expect(proposed.filter((x) => x.y).length / proposed.length).toBeGreaterThan(0.9);
    const sums = new Map<string, number>();
    for (const x of scored) sums.set(x.report, (sums.get(x.report) ?? 0) + x.p);
    expect(Math.max(...sums.values())).toBeLessThanOrEqual(1 + 1e-9); // a sum of doubles: rounding, not probability mass
  });
});
