import type { ColumnType, Generated } from 'kysely';

// The outreach tables (migration 0044, src/outreach). `Database` extends this interface.

type DateString = ColumnType<string, string, string>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type OutreachSex = 'female' | 'male' | 'intersex' | 'unknown';
export type OutreachAgeBand = '0-11' | '12-17' | '18-29' | '30-59' | '60+' | 'unknown';

export interface OutreachEventTable {
  id: Generated<string>;
  institution_id: string;
  programme: string;
  kind: string;
  topic: string;
  title: string;
  held_on: DateString;
  country: string;
  state_code: string | null;
  municipality_code: string | null;
  city: string | null;
  venue: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_by: string | null;
  updated_at: Generated<Date>;
  deleted_by: string | null;
  deleted_at: NullableTime;
  deletion_reason: string | null;
}

/** Attendance counted by sex and age band: one row per non-empty cell. */
export interface OutreachAttendanceTable {
  event_id: string;
  institution_id: string;
  sex: OutreachSex;
  age_band: OutreachAgeBand;
  attendees: number;
}

/** People recorded as attending, for follow-up (optional). */
export interface OutreachAttendeeTable {
  id: Generated<string>;
  event_id: string;
  person_id: string;
  institution_id: string;
  added_by: string | null;
  added_at: Generated<Date>;
}

export interface OutreachTables {
  outreach_events: OutreachEventTable;
  outreach_attendance: OutreachAttendanceTable;
  outreach_attendees: OutreachAttendeeTable;
}
