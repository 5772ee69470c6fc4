import type { ColumnType, Generated } from 'kysely';

// The programme resources tables (migration 0046, src/resources). Kept apart from database.ts so that
// the module's schema reads in one place; `Database` extends this interface.

type DateString = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export type ResourcePointKind = 'contact_point' | 'deployment_point' | 'service_point' | 'other';
export type StaffRole = 'brigade_leader' | 'officer' | 'staff' | 'volunteer';

export interface ResourcePointTable {
  id: Generated<string>;
  institution_id: string;
  name: string;
  kind: ResourcePointKind;
  /** INEGI municipality codes covered; the first is where the point is. */
  municipalities: string[];
  staff: number;
  staff_role: StaffRole;
  active_from: DateString;
  active_to: NullableDate;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface FieldOperationTable {
  id: Generated<string>;
  institution_id: string;
  point_id: string | null;
  kind: 'rescue' | 'transfer';
  mode: 'road' | 'air' | null;
  occurred_on: DateString;
  /** How many people were rescued or moved (an aggregate: nobody is named). */
  people: number;
  /** Where it happened (INEGI state code; migration 0055). */
  state: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

/** One field a correction changed, with its values before and after (src/platform/corrections.ts). */
export type FieldChange = { field: string; from: unknown; to: unknown };
type Changes = ColumnType<FieldChange[], string, string>;

/** Corrections of an operation (migration 0055): who, when, why, each field before and after. */
export interface FieldOperationCorrectionTable {
  id: Generated<string>;
  institution_id: string;
  operation_id: string;
  corrected_by: string | null;
  corrected_at: Generated<Date>;
  reason: string;
  changes: Changes;
}

/** Changes of a programme point (migration 0055); the reason is optional for a routine change. */
export interface ResourcePointCorrectionTable {
  id: Generated<string>;
  institution_id: string;
  point_id: string;
  corrected_by: string | null;
  corrected_at: Generated<Date>;
  reason: string | null;
  changes: Changes;
}

export interface ResourceTables {
  resource_points: ResourcePointTable;
  field_operations: FieldOperationTable;
  field_operation_corrections: FieldOperationCorrectionTable;
  resource_point_corrections: ResourcePointCorrectionTable;
}
