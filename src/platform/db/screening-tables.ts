import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// The screening tables (migration 0042, src/screenings). Kept apart from database.ts so that the
// module's schema reads in one place; `Database` extends this interface.

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ScreeningStatus = 'in_progress' | 'completed';

export interface ScreeningInstrumentTable {
  id: Generated<string>;
  code: string;
  created_at: Generated<Date>;
}

export interface ScreeningInstrumentVersionTable {
  id: Generated<string>;
  instrument_id: string;
  version: number;
  /** The definition as uploaded and checked (src/screenings/definition.ts); never changed once stored. */
  definition: JSONColumnType<object, string, never>;
  languages: string[];
  shipped: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ScreeningTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  person_id: string;
  version_id: string;
  language: string;
  status: Generated<ScreeningStatus>;
  /** The flags raised, written on completion (statistics count them without reading answers). */
  flags: Generated<string[]>;
  started_by: string | null;
  started_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_by: string | null;
  completed_at: NullableTime;
}

export interface ScreeningAnswerTable {
  screening_id: string;
  institution_id: string;
  question_id: string;
  /** Every answer but free text, as JSON (a value, several values, a number, a date). */
  value: ColumnType<unknown, string | null, string | null>;
  /** Free-text answers, encrypted with the FieldCipher. */
  text_enc: string | null;
  answered_by: string | null;
  answered_at: Generated<Date>;
}

export interface ScreeningReferralTable {
  screening_id: string;
  referral_id: string;
  institution_id: string;
  suggestion_id: string;
  created_at: Generated<Date>;
}

export interface ScreeningTables {
  screening_instruments: ScreeningInstrumentTable;
  screening_instrument_versions: ScreeningInstrumentVersionTable;
  screenings: ScreeningTable;
  screening_answers: ScreeningAnswerTable;
  screening_referrals: ScreeningReferralTable;
}
