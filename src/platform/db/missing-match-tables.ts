import type { Generated } from 'kysely';

// The compact tables of missing-person matching (migrations 0054, 0058, 0062, 0063 and 0065; src/missing/matching.ts). Kept apart from
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

/** A key of one specific mark by sex and decade of birth (`w:`), with its record's profile for the SQL fit. */
export interface MissingMarkKeyTable extends Omit<MissingMatchProfileTable, 'record_id' | 'side'> {
  key: string;
  side: 'R' | 'F';
  record_id: string;
  /** Whether this is the key of the record's earliest decade of birth (evidence.ts isEarliestDecadeKey). */
  earliest_decade: Generated<boolean>;
  /** The record's queue stamp when its keys were written (migration 0065; 0 for keys older than it). */
  stamp: Generated<string>;
}

/** A record whose pairs' odds changed and whose pairs are still to be decided (matching.ts `decideMarked`). */
export interface MissingDecisionMarkTable {
  side: 'R' | 'F';
  record_id: string;
  marked_at: Generated<Date>;
}

export interface MissingMatchTables {
  missing_match_profiles: MissingMatchProfileTable;
  missing_mark_keys: MissingMarkKeyTable;
  missing_decision_marks: MissingDecisionMarkTable;
}
