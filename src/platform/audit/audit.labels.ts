import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * What identifies a record in the audit log for the people reading it: a folio (case, complaint,
 * missing-person report, found record), a name (user, institution), the folio of the case a person
 * takes part in, instead of the UUID the log stores. A person is shown by case folio, not by name:
 * an auditor may read the log without being allowed to read people's data.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Lookup = (db: Db, ids: string[]) => Promise<{ id: string; label: string }[]>;

const folios = (table: 'cases' | 'complaints' | 'missing_reports' | 'found_records'): Lookup => (db, ids) => db.selectFrom(table).select(['id', 'folio as label']).where('id', 'in', ids).execute();

const LOOKUPS: Record<string, Lookup> = {
  case: folios('cases'),
  complaint: folios('complaints'),
  missing_report: folios('missing_reports'),
  found_record: folios('found_records'),
  referral: (db, ids) => db.selectFrom('referrals').innerJoin('cases', 'cases.id', 'referrals.case_id').select(['referrals.id as id', 'cases.folio as label']).where('referrals.id', 'in', ids).execute(),
  // The report's folio, and the found record's after a dot when there is one (concat_ws skips a null).
  match_candidate: (db, ids) =>
    db.selectFrom('match_candidates as c').innerJoin('missing_reports as r', 'r.id', 'c.report_id').leftJoin('found_records as f', 'f.id', 'c.found_id').select(['c.id', sql<string>`concat_ws(' · ', r.folio, f.folio)`.as('label')]).where('c.id', 'in', ids).execute(),
  person: async (db, ids) => {
    const rows = await db.selectFrom('case_participants').innerJoin('cases', 'cases.id', 'case_participants.case_id').select(['case_participants.person_id as id', 'cases.folio']).where('case_participants.person_id', 'in', ids).orderBy('cases.folio').execute();
    const byPerson = new Map<string, string[]>();
    for (const r of rows) byPerson.set(r.id, [...(byPerson.get(r.id) ?? []), r.folio]);
    return [...byPerson].map(([id, list]) => ({ id, label: list.length > 2 ? `${list.slice(0, 2).join(', ')}…` : list.join(', ') }));
  },
  user: (db, ids) => db.selectFrom('users').select(['id', 'display_name as label']).where('id', 'in', ids).execute(),
  institution: (db, ids) => db.selectFrom('institutions').select(['id', 'name as label']).where('id', 'in', ids).execute(),
  outreach_event: async (db, ids) => (await db.selectFrom('outreach_events').select(['id', 'title', 'held_on']).where('id', 'in', ids).execute()).map((e) => ({ id: e.id, label: `${e.title} (${e.held_on})` })),
};

/** The label of each (record type, record id) of the entries, keyed `type|id`; records without one are absent. */
export async function recordLabels(db: Db, entries: { record_type: string; record_id: string | null }[]): Promise<Map<string, string>> {
  const wanted = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!e.record_id || !UUID.test(e.record_id) || !(e.record_type in LOOKUPS)) continue;
    wanted.set(e.record_type, (wanted.get(e.record_type) ?? new Set()).add(e.record_id));
  }
  const labels = new Map<string, string>();
  await Promise.all(
    [...wanted].map(async ([type, ids]) => {
      for (const row of await LOOKUPS[type]!(db, [...ids])) labels.set(`${type}|${row.id}`, row.label);
    }),
  );
  return labels;
}

/** The ids of the institution's records with this folio (cases, complaints, reports, found records), for filtering the log. */
export async function recordIdsByFolio(db: Db, institutionId: string, folio: string): Promise<string[]> {
  const tables = ['cases', 'complaints', 'missing_reports', 'found_records'] as const;
  const found = await Promise.all(tables.map((t) => db.selectFrom(t).select('id').where('institution_id', '=', institutionId).where('folio', '=', folio.trim().toUpperCase()).execute()));
  return found.flat().map((r) => r.id);
}
