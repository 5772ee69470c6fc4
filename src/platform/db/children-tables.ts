import type { ColumnType, Generated } from 'kysely';

// The child-protection tables (migrations 0028, 0032 tracing, 0033 reunifications; src/children). Kept apart from database.ts so that the
// module's schema reads in one place; `Database` extends this interface.

type DateString = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Accompaniment = 'accompanied' | 'unaccompanied' | 'separated';
export type ChildWish = 'yes' | 'no' | 'later';
export type TracingConsent = 'given' | 'refused' | 'not_asked';
export type ProtectionClaim = 'none' | 'open' | 'recognised' | 'refused' | 'withdrawn';
export type CareType = 'kinship' | 'foster_family' | 'family_based' | 'supervised_independent' | 'residential';
export type BestInterestsKind = 'assessment_short' | 'assessment_comprehensive' | 'determination';
export type BestInterestsStatus = 'recorded' | 'panel' | 'decided' | 'approved';
export type BestInterestsDecision = 'reunify_family' | 'stay_in_mexico' | 'return_to_country' | 'resettle_third_country' | 'trace_family' | 'alternative_care' | 'other';

export interface ChildFileTable {
  case_id: string;
  institution_id: string;
  person_id: string;
  accompaniment: Accompaniment;
  accompanied_by_enc: string | null;
  identified_at: ColumnType<Date, Date | string, Date | string>;
  identified_how: 'migration_authority' | 'shelter' | 'border_crossing' | 'public_place' | 'consulate' | 'self_presented' | 'other';
  identified_state: string | null;
  notified_at: NullableTime;
  notified_by: string | null;
  language: string | null;
  interpreter: Generated<'not_needed' | 'needed' | 'provided'>;
  views_enc: string | null;
  wishes_tracing: ChildWish | null;
  wishes_reunification: ChildWish | null;
  tracing_consent: Generated<TracingConsent>;
  tracing_consent_on: NullableDate;
  protection_claim: Generated<ProtectionClaim>;
  protection_claim_on: NullableDate;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ChildLinkTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  person_id: string;
  relationship: 'sibling' | 'companion' | 'parent' | 'relative' | 'other';
  travelling_together: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ConsularNotificationTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  country: string;
  notified_on: DateString;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface RestitutionMeasureTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  right_affected: string;
  legal_basis: string;
  measure_type: 'protection' | 'restitution';
  measure: string;
  beneficiary_person_id: string;
  responsible_institution: string;
  responsible_person: string | null;
  frequency: 'once' | 'daily' | 'weekly' | 'monthly' | 'as_needed';
  due_on: DateString;
  executed_on: NullableDate;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RestitutionNoteTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  measure_id: string;
  body_enc: string;
  author_id: string | null;
  created_at: Generated<Date>;
}

export interface CareFacilityTable {
  id: Generated<string>;
  institution_id: string;
  name: string;
  kind: 'cas' | 'shelter';
  state: string | null;
  capacity: number;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface PlacementTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  care_type: CareType;
  facility_id: string | null;
  place_enc: string | null;
  started_on: DateString;
  ended_on: NullableDate;
  change_reason: string | null;
  justification_enc: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface BestInterestsTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  kind: BestInterestsKind;
  status: BestInterestsStatus;
  evidence_enc: string | null;
  child_views_enc: string | null;
  findings_enc: string | null;
  decision: BestInterestsDecision | null;
  reasons_enc: string | null;
  review_on: NullableDate;
  panel_until: NullableDate;
  decided_at: NullableTime;
  approved_by: string | null;
  approved_at: NullableTime;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface BidPanelMemberTable {
  id: Generated<string>;
  institution_id: string;
  determination_id: string;
  user_id: string;
  profession: 'law' | 'psychology' | 'social_work' | 'medicine' | 'education' | 'child_protection' | 'other';
  member_institution: string;
  undertaking_accepted_at: NullableTime;
  position: 'agree' | 'dissent' | 'abstain' | null;
  position_enc: string | null;
  positioned_at: NullableTime;
  created_at: Generated<Date>;
}

export interface VerificationTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  adult_person_id: string;
  relationship: 'mother' | 'father' | 'grandparent' | 'sibling' | 'aunt_uncle' | 'other_relative' | 'other';
  child_interviewed_on: NullableDate;
  adult_interviewed_on: NullableDate;
  documents_checked: boolean | null;
  photo_id_checked: boolean | null;
  child_recognises_adult: boolean | null;
  adult_willing: boolean | null;
  adult_able: boolean | null;
  accounts_agree: boolean | null;
  recommendation: 'reunify' | 'do_not_reunify' | 'more_information' | null;
  notes_enc: string | null;
  completed_at: NullableTime;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A reunification, always through the module: the adult, the verification and the decision behind it (0033). */
export interface ChildReunificationTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  person_id: string;
  reunified_on: DateString;
  relationship: string | null;
  country: string | null;
  adult_person_id: string;
  verification_id: string;
  determination_id: string;
  place: 'mexico' | 'abroad';
  receiving_body: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type TracingChannel = 'in_person' | 'consulate' | 'public_page';

/** A relative's request to trace children (0032). */
export interface TracingRequestTable {
  id: Generated<string>;
  institution_id: string;
  channel: TracingChannel;
  consulate_country: string | null;
  received_on: DateString;
  requester_name: string;
  requester_relationship: VerificationTable['relationship'];
  requester_country: string | null;
  contact_enc: string | null;
  circumstances_enc: string | null;
  missing_report_id: string | null;
  status: Generated<'open' | 'closed'>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface TracingSoughtChildTable {
  id: Generated<string>;
  institution_id: string;
  request_id: string;
  given_names: string;
  surname1: string | null;
  surname2: string | null;
  sex: 'female' | 'male' | 'intersex' | 'unknown' | null;
  date_of_birth: NullableDate;
  estimated_age: number | null;
  age_estimated_on: NullableDate;
  nationality: string | null;
  last_seen: string | null;
}

export interface TracingMatchTable {
  id: Generated<string>;
  request_id: string;
  request_institution_id: string;
  sought_id: string | null;
  case_id: string;
  child_institution_id: string;
  via: 'child' | 'family_member';
  family_person_id: string | null;
  probability: number;
  weight: number;
  explanation: ColumnType<{ field: string; level: string; weight: number; detail?: string }[], string, string>;
  status: Generated<'proposed' | 'confirmed' | 'rejected'>;
  proposed_at: Generated<Date>;
  reviewed_by: string | null;
  reviewed_at: NullableTime;
}

export interface ReunificationFollowupTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  reunification_id: string;
  due_on: DateString;
  visited_on: NullableDate;
  outcome: 'well' | 'concerns' | 'breakdown' | 'not_located' | null;
  notes_enc: string | null;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

export interface ChildrenTables {
  child_files: ChildFileTable;
  child_links: ChildLinkTable;
  consular_notifications: ConsularNotificationTable;
  restitution_measures: RestitutionMeasureTable;
  restitution_notes: RestitutionNoteTable;
  care_facilities: CareFacilityTable;
  placements: PlacementTable;
  best_interests: BestInterestsTable;
  bid_panel_members: BidPanelMemberTable;
  verifications: VerificationTable;
  child_reunifications: ChildReunificationTable;
  reunification_followups: ReunificationFollowupTable;
  tracing_requests: TracingRequestTable;
  tracing_sought_children: TracingSoughtChildTable;
  tracing_matches: TracingMatchTable;
}
