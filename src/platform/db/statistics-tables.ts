import type { Generated } from 'kysely';

// Statistics tables added after 0011 (migration 0051; src/statistics, docs/statistics.md "Speed").
// The older aggregates are declared in database.ts; `Database` extends this interface.

/**
 * People by the month of a range of whole months in which they were first attended: one row group
 * per (programme or '*', month, previous month with a service, sex, age floor, nationality).
 */
export interface StatPeopleFirstTable {
  /** '*': over all of the person's services; else one programme. */
  programme: string;
  month: string;
  /** The person's previous month with a service (in the same programme scope); -infinity if none. */
  prev_month: string;
  sex: string;
  age_floor: number;
  nationality: string;
  n: number;
  /** Sum of the people's record keys, modulo 2^48 (0013): the cell key of disclosure control. */
  ks: Generated<string>;
}

export interface StatisticsTables {
  stat_people_firsts: StatPeopleFirstTable;
}
