import type { RawBuilder } from 'kysely';
import type { BaseColumn, DimensionKey } from './dimensions.ts';

/**
 * The shape of an indicator and of the context its SQL is built in (src/statistics/indicators.ts holds
 * the definitions; indicator-sql.ts the SQL pieces they share). Apart from both so that neither imports
 * the other.
 */
export type Labels = { es: string; en: string };

/** A piece of SQL with its values bound as parameters (never spliced into the text). */
export type Fragment = RawBuilder<unknown>;

export type BaseContext = {
  from: string;
  to: string;
  /** Condition on an institution column: the actor's scope and the institution filter. */
  institutions: (column: string) => Fragment;
  /** Condition on a programme column. */
  programme: (column: string) => Fragment;
  /** No institution condition: the figures cover every institution of the platform. */
  wholePlatform: boolean;
  /** The programme filter, if any. */
  programmeFilter: string | null;
};

export type Indicator = {
  key: string;
  label: Labels;
  unit: 'people' | 'services' | 'case_files' | 'victims' | 'units' | 'events' | 'attendees' | 'reunifications' | 'days' | 'screenings' | 'flags' | 'referrals' | 'points' | 'staff' | 'municipalities' | 'states' | 'operations';
  definition: Labels;
  /** The date that decides whether a record falls in the period. */
  date: Labels;
  /** How the same person (or unit) met several times is counted. */
  deduplication: Labels;
  gcm: number[];
  columns: BaseColumn[];
  /** Distinct counts: margins are distinct counts within the margin, not sums of the cells. */
  distinct: boolean;
  /** Small cells are suppressed (counts of people or of records about people). */
  disclosureControl: boolean;
  /** HXL hashtag of the value column. */
  hxl: string;
  raw: (ctx: BaseContext) => Fragment;
  /** The same figures read from the aggregates, when the period and the dimensions allow it (null otherwise). */
  fast?: (ctx: BaseContext, by: DimensionKey[]) => FastPart[] | null;
};

/**
 * One part of an answer from the aggregates. A cell's value is the sum of its parts' values, so the
 * parts of a distinct count must count disjoint sets of people (or units).
 * - `sum`: rows already counted (column w); a cell is the sum of w, margins are sums.
 * - `distinct`: base rows (column k); a cell and each margin count distinct k.
 */
export type FastPart = { value: 'sum' | 'distinct'; sql: Fragment };
