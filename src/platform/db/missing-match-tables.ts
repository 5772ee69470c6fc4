// The compact table of missing-person matching (migration 0054; src/missing/matching.ts). Kept apart from
// database.ts; `Database` extends this interface.

/** What the SQL check of a nameless comparison needs of a record (evidence.ts `matchProfile`). */
export interface MissingMatchProfileTable {
  record_id: string;
  side: 'R' | 'F';
  /** Possible years of birth, as decimal years. */
  birth_lo: number | null;
  birth_hi: number | null;
  height_lo: number | null;
  height_hi: number | null;
  /** Days since 1970-01-01: report last seen, found record found. */
  event_day: number | null;
  /** Found record: the latest day the person can have been alive and last seen (found, or the end of the window of death). */
  latest_day: number | null;
}

export interface MissingMatchTables {
  missing_match_profiles: MissingMatchProfileTable;
}
