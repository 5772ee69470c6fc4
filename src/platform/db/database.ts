import type { PublicTables } from './public-tables.ts';
import type { OfflineTables } from './offline-tables.ts';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql, type ColumnType, type Generated, type Migration, type Transaction } from 'kysely';
import * as platform from './migrations/0001_platform.ts';
import * as cases from './migrations/0002_cases.ts';
import * as complaints from './migrations/0003_complaints.ts';
import * as personSearch from './migrations/0004_person_search.ts';
import * as statistics from './migrations/0005_statistics.ts';
import * as caseListIndex from './migrations/0006_case_list_index.ts';
import * as auditAppendFunction from './migrations/0007_audit_append_function.ts';
import * as missingPersons from './migrations/0008_missing_persons.ts';
import * as personMerges from './migrations/0009_person_merges.ts';
import * as peopleExternalId from './migrations/0010_people_external_id.ts';
import * as statisticsSpeed from './migrations/0011_statistics_speed.ts';
import * as complaintKeys from './migrations/0012_complaint_keys.ts';
import * as disclosureKeys from './migrations/0013_disclosure_keys.ts';
import * as personCorrections from './migrations/0014_person_corrections.ts';
import * as account from './migrations/0015_account.ts';
import * as keyCustody from './migrations/0016_key_custody.ts';
import * as auditSeals from './migrations/0017_audit_seals.ts';
import * as loginThrottle from './migrations/0018_login_throttle.ts';
import * as attemptThrottle from './migrations/0030_attempt_throttle.ts';
import * as invitations from './migrations/0031_invitations.ts';
import * as administration from './migrations/0020_administration.ts';
import * as searchChannels from './migrations/0022_search_channels.ts';
import * as children from './migrations/0028_children.ts';
import * as childTracing from './migrations/0032_child_tracing.ts';
import * as childReunifications from './migrations/0033_child_reunifications.ts';
import * as searchSoundKeys from './migrations/0034_search_sound_keys.ts';
import * as directory from './migrations/0036_directory.ts';
import * as matchPairOdds from './migrations/0038_match_pair_odds.ts';
import * as publicSite from './migrations/0040_public_site.ts';
import * as missingPhotos from './migrations/0041_missing_photos.ts';
import type { ChildrenTables } from './children-tables.ts';
import type { MissingMatchTables } from './missing-match-tables.ts';
import type { DirectoryTables } from './directory-tables.ts';
import * as screenings from './migrations/0042_screenings.ts';
import * as statisticsFirstMonths from './migrations/0051_statistics_first_months.ts';
import type { StatisticsTables } from './statistics-tables.ts';
import * as searchRegisterFrequencies from './migrations/0052_search_register_frequencies.ts';
import * as offlineWrites from './migrations/0048_offline_idempotency.ts';
import * as missingMatchProfiles from './migrations/0054_missing_match_profiles.ts';
import * as resourceCorrections from './migrations/0055_resource_corrections.ts';
import * as missingMatchQueueOrder from './migrations/0057_missing_match_queue_order.ts';
import * as missingMarkKeys from './migrations/0058_missing_mark_keys.ts';
import * as missingPairOddsWritten from './migrations/0059_missing_pair_odds_written.ts';
import * as missingTypoKeys from './migrations/0060_missing_typo_keys.ts';
import * as missingPairOddsWithoutForeignKeys from './migrations/0061_missing_pair_odds_without_foreign_keys.ts';
import * as missingDecisionMarks from './migrations/0062_missing_decision_marks.ts';
import * as missingMarkKeysEarliestDecade from './migrations/0063_missing_mark_keys_earliest_decade.ts';
import * as missingMatchQueueWithoutAttempts from './migrations/0064_missing_match_queue_without_attempts.ts';
import * as missingMatchStamps from './migrations/0065_missing_match_stamps.ts';
import * as missingNameKeysTimelineDay from './migrations/0066_missing_name_keys_timeline_day.ts';
import type { ScreeningTables } from './screening-tables.ts';
import * as outreach from './migrations/0044_outreach.ts';
import type { OutreachTables } from './outreach-tables.ts';
import * as programmeResources from './migrations/0046_programme_resources.ts';
import * as casesThroughConsulate from './migrations/0047_cases_through_consulate.ts';
import type { ResourceTables } from './resource-tables.ts';

// `date` columns come back as 'YYYY-MM-DD' strings, not JS Dates shifted by the server's time zone.
pg.types.setTypeParser(1082, (value) => value);
// bigint identities fit in a JS number for any realistic table size.
pg.types.setTypeParser(20, (value) => Number(value));

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateString = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export type Role = 'administrator' | 'supervisor' | 'caseworker' | 'analyst' | 'auditor' | 'complaint_handler' | 'search_officer' | 'child_protection_officer' | 'directory_editor';

export interface InstitutionTable {
  id: Generated<string>;
  code: string;
  name: string;
  type: string;
  unit_type: string | null;
  country: Generated<string>;
  state_code: string | null;
  municipality_code: string | null;
  parent_id: string | null;
  require_mfa: Generated<boolean>;
  /** Complaint handlers need a second factor (the default; the platform administrator may turn it off). */
  complaint_handlers_mfa: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface UserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  is_platform_admin: Generated<boolean>;
  preferred_language: Generated<'es' | 'en'>;
  totp_secret_enc: string | null;
  totp_enabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  /** Set at each successful password sign-in (0020), for the administrators' list. */
  last_sign_in_at: Date | null;
  created_at: Generated<Date>;
}

export interface MembershipTable {
  user_id: string;
  institution_id: string;
  role: Role;
  created_at: Generated<Date>;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  institution_id: string;
  csrf_token: string;
  mfa_pending: Generated<boolean>;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  /** The user's X25519 secret key wrapped with a key derived from the session token (0012). */
  secret_key_wrapped: Buffer | null;
}

/** Second-factor recovery codes (0015): argon2id hashes, each usable once. */
export interface RecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: Generated<Date>;
  used_at: Date | null;
}

/** One-time password-reset links (0015): the token's SHA-256, valid for a day. */
export interface PasswordResetLinkTable {
  token_hash: string;
  user_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  institution_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  secret_key_wrapped: Buffer | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  institution_id: string;
  at: Generated<Date>;
  actor_user_id: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

/** A correction of a person's record (0014): fields changed, values before and after (encrypted), who, when, why. */
export interface PersonCorrectionTable {
  id: Generated<string>;
  institution_id: string;
  person_id: string;
  corrected_by: string | null;
  corrected_at: Generated<Date>;
  fields: string[];
  reason_enc: string | null;
  changes_enc: string;
}

export interface PersonTable {
  id: Generated<string>;
  institution_id: string;
  given_names: string;
  surname1: string | null;
  surname2: string | null;
  other_names: Generated<string[]>;
  sex: 'female' | 'male' | 'intersex' | 'unknown';
  gender_identity: string | null;
  date_of_birth: NullableDate;
  estimated_age: number | null;
  age_estimated_on: NullableDate;
  nationalities: Generated<string[]>;
  country_of_birth: string | null;
  languages: Generated<string[]>;
  disabilities: Generated<string[]>;
  vulnerabilities: Generated<string[]>;
  documents_enc: string | null;
  document_keys: Generated<string[]>;
  contact_enc: string | null;
  location_country: string | null;
  location_state: string | null;
  location_municipality: string | null;
  search_name: ColumnType<string, never, never>;
  /** Set when the record was merged into another (migration 0009): hidden from searches and lists. */
  merged_into: Generated<string | null>;
  /** The person's identifier in the system they were imported from (migration 0010), unique per institution. */
  external_id: Generated<string | null>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CaseFolioCounterTable {
  institution_id: string;
  year: number;
  last_number: number;
}

export type CaseStatus = 'open' | 'in_progress' | 'closed' | 'reopened';

export interface CaseTable {
  id: Generated<string>;
  institution_id: string;
  folio: string;
  programme: string;
  status: CaseStatus;
  closure_reason: string | null;
  opened_on: DateString;
  closed_on: NullableDate;
  assigned_to: string | null;
  summary_enc: string | null;
  crime_types: Generated<string[]>;
  rights_violations: Generated<string[]>;
  origin_referral_id: string | null;
  /** The consulate the file was opened through, for a family abroad (migration 0047); null in person. */
  through_consulate_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CaseAccessTable {
  case_id: string;
  institution_id: string;
  user_id: string;
  granted_by: string;
  created_at: Generated<Date>;
}

export interface CaseParticipantTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  person_id: string;
  role: 'direct_victim' | 'indirect_victim' | 'applicant' | 'family_member' | 'guardian' | 'child';
  relationship: string | null;
  created_at: Generated<Date>;
}

export interface ServiceTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  person_id: string;
  service_type: string;
  provided_on: DateString;
  provider_unit: string | null;
  notes_enc: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface CaseNoteTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  body_enc: string;
  author_id: string | null;
  created_at: Generated<Date>;
}

export interface AttachmentTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  filename_enc: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content_enc: Buffer;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

export type ReferralStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export interface ReferralTable {
  id: Generated<string>;
  institution_id: string;
  case_id: string;
  to_institution_id: string;
  reason: string;
  consent_recorded_on: DateString;
  consent_method: 'written' | 'verbal' | 'guardian';
  shared_sections: string[];
  status: ReferralStatus;
  response_note: string | null;
  responded_by: string | null;
  responded_at: Date | null;
  receiving_case_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface CaseEventTable {
  id: Generated<number>;
  institution_id: string;
  case_id: string;
  at: Generated<Date>;
  actor_user_id: string | null;
  kind: string;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export type ComplaintStatus = 'new' | 'under_review' | 'more_information_requested' | 'admitted' | 'not_admitted' | 'transmitted' | 'resolved' | 'closed';

export interface ComplaintSettingTable {
  key: 'default_unit' | 'overdue_days' | 'retention_years';
  value: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

export interface ComplaintRoutingRuleTable {
  id: Generated<string>;
  priority: number;
  authority_type: string | null;
  state_code: string | null;
  kind: string | null;
  institution_id: string;
  description: string | null;
  created_at: Generated<Date>;
}

export interface ComplaintTable {
  id: Generated<string>;
  folio: string;
  receipt_hash: string;
  institution_id: string | null;
  kind: 'grievance' | 'report' | 'petition';
  channel: 'web' | 'phone' | 'in_person';
  status: ComplaintStatus;
  status_changed_at: Timestamp;
  not_admitted_reason: string | null;
  outcome: string | null;
  anonymous: boolean;
  occurred_on: NullableDate;
  state_code: string | null;
  municipality_code: string | null;
  place_type: string;
  authority_type: string;
  narrative_enc: string;
  details_enc: string | null;
  contact_enc: string | null;
  content_sha256: string;
  language: Generated<string>;
  assigned_to: string | null;
  recorded_by: string | null;
  legal_hold: Generated<boolean>;
  legal_hold_reason: string | null;
  received_at: Timestamp;
  resolved_at: Date | null;
  closed_at: Date | null;
  updated_at: Generated<Date>;
  /** 0: fields under the key ring (before 0012); 1: under the complaint's own key (src/complaints/keys.ts). */
  key_version: Generated<number>;
  key_for_unit: Buffer | null;
  key_for_unit_institution: string | null;
  key_for_complainant: Buffer | null;
  key_for_server: string | null;
}

export interface UserKeyTable {
  user_id: string;
  public_key: Buffer;
  secret_key_wrapped: Buffer;
  kdf_salt: Buffer;
  kdf: string;
  created_at: Generated<Date>;
}

export interface ComplaintUnitKeyTable {
  institution_id: string;
  public_key: Buffer;
  created_at: Generated<Date>;
}

export interface ComplaintUnitKeyGrantTable {
  institution_id: string;
  user_id: string;
  sealed_secret_key: Buffer;
  granted_by: string | null;
  created_at: Generated<Date>;
}

export interface ComplaintMessageTable {
  id: Generated<string>;
  complaint_id: string;
  direction: 'to_complainant' | 'from_complainant';
  is_question: Generated<boolean>;
  body_enc: string;
  author_id: string | null;
  created_at: Generated<Date>;
}

export interface ComplaintNoteTable {
  id: Generated<string>;
  complaint_id: string;
  body_enc: string;
  author_id: string | null;
  created_at: Generated<Date>;
}

export interface ComplaintAttachmentTable {
  id: Generated<string>;
  complaint_id: string;
  message_id: string | null;
  source: 'complainant' | 'operator' | 'handler';
  filename_enc: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  metadata_removed: Generated<boolean>;
  content_enc: Buffer;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

export interface ComplaintTransmissionTable {
  id: Generated<string>;
  complaint_id: string;
  institution_id: string;
  to_authority: string;
  means: string;
  reference: string | null;
  sent_at: Timestamp;
  sent_by: string | null;
  package_sha256: string;
  manifest: ColumnType<Record<string, unknown>, string, never>;
  package_enc: Buffer;
}

export interface ComplaintCustodyTable {
  complaint_id: string;
  seq: number;
  at: Timestamp;
  actor_kind: 'complainant' | 'operator' | 'handler' | 'system';
  actor_user_id: string | null;
  action: string;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

export interface ComplaintSigningKeyTable {
  id: string;
  algorithm: Generated<string>;
  public_key_pem: string;
  private_key_enc: string;
  created_at: Generated<Date>;
}

export interface ComplaintStatisticsArchiveTable {
  id: Generated<number>;
  institution_id: string | null;
  kind: string;
  channel: string;
  state_code: string | null;
  place_type: string;
  authority_type: string;
  anonymous: boolean;
  status: string;
  not_admitted_reason: string | null;
  outcome: string | null;
  received_on: DateString;
  resolved_on: NullableDate;
  closed_on: NullableDate;
  deleted_on: Generated<string>;
}

export interface StatServicesMonthlyTable {
  month: DateString;
  institution_id: string;
  programme: string;
  service_type: string;
  sex: string;
  age_floor: number;
  nationality: string;
  n: number;
  /** Sum of the services' record keys, modulo 2^48 (0013): the cell key of disclosure control. */
  ks: Generated<string>;
}

export interface StatPersonPeriodTable {
  period_kind: 'm' | 'q' | 'y';
  period_start: DateString;
  institution_id: string;
  programme: string;
  person_id: string;
  first_on: DateString;
  services: number;
  sex: string;
  age_floor: number;
  nationality: string;
}

/** Fields a missing-person report and a found record share (the person described). */
interface DescribedPerson {
  id: Generated<string>;
  institution_id: string;
  folio: string;
  external_id: string | null;
  given_names: string | null;
  surname1: string | null;
  surname2: string | null;
  other_names: Generated<string[]>;
  sex: 'female' | 'male' | 'intersex' | 'unknown';
  date_of_birth: NullableDate;
  age_min: number | null;
  age_max: number | null;
  nationalities: Generated<string[]>;
  languages: Generated<string[]>;
  height_min_cm: number | null;
  height_max_cm: number | null;
  build: string | null;
  hair: string | null;
  eyes: string | null;
  marks: string | null;
  clothing: string | null;
  documents_enc: string | null;
  document_keys: Generated<string[]>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MissingReportTable extends DescribedPerson {
  receipt_hash: string | null;
  channel: 'in_person' | 'phone' | 'consulate' | 'public_web' | 'import';
  status: Generated<'active' | 'located_alive' | 'located_deceased' | 'closed'>;
  age_on: NullableDate;
  dental_notes_enc: string | null;
  last_seen_on: NullableDate;
  last_seen_country: string | null;
  last_seen_state: string | null;
  last_seen_place: string | null;
  route: string | null;
  circumstance_enc: string | null;
  reporter_name_enc: string | null;
  reporter_relationship: string | null;
  reporter_contact_enc: string | null;
  reporter_country: string | null;
  dna_reference_taken: Generated<boolean>;
  dna_custodian: string | null;
  located_found_id: string | null;
  located_person_id: string | null;
}

export interface FoundRecordTable extends DescribedPerson {
  condition: 'alive' | 'deceased';
  situation: 'rescued' | 'shelter' | 'hospital' | 'migration_station' | 'remains' | 'other';
  status: Generated<'unidentified' | 'identified' | 'closed'>;
  effects: string | null;
  found_on: DateString;
  found_country: Generated<string>;
  found_state: string | null;
  found_place: string | null;
  death_from: NullableDate;
  death_to: NullableDate;
  custodian_name: string | null;
  custodian_file_number: string | null;
  notes_enc: string | null;
  identified_report_id: string | null;
}

export interface MissingNameKeyTable {
  key: string;
  side: 'R' | 'F';
  record_id: string;
  /** The record's queue stamp when its keys were written (migration 0065; 0 for keys older than it). */
  stamp: Generated<string>;
  /** The day its timeline is compared on: a report's last-seen day, a found record's latest day (migration 0066; null: unknown, not filtered). */
  timeline_day: number | null;
}

export interface MissingMatchQueueTable {
  side: 'R' | 'F';
  record_id: string;
  enqueued_at: Generated<Date>;
  /** The record's place in the queue (sequence missing_match_stamp, migration 0065). */
  stamp: Generated<string>;
}

/** Every scored report–found pair above a floor, as log2 odds (migration 0038). */
export interface MissingPairOddsTable {
  report_id: string;
  found_id: string;
  log_odds: number;
  /** When the batch that last wrote the odds began: see migration 0059. */
  written_at: Timestamp;
}

export interface MatchCandidateTable {
  id: Generated<string>;
  report_id: string;
  found_id: string | null;
  person_id: string | null;
  report_institution_id: string;
  other_institution_id: string;
  probability: number;
  weight: number;
  explanation: ColumnType<unknown, string, string>;
  evidence: string;
  status: Generated<'proposed' | 'confirmed' | 'rejected' | 'superseded'>;
  times_proposed: Generated<number>;
  proposed_at: Generated<Date>;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note_enc: string | null;
}

export interface MissingMessageTable {
  id: Generated<string>;
  report_id: string;
  institution_id: string;
  author: 'officer' | 'family';
  author_user_id: string | null;
  body_enc: string;
  created_at: Generated<Date>;
}

export interface MissingEventTable {
  id: Generated<number>;
  institution_id: string;
  report_id: string | null;
  found_id: string | null;
  kind: string;
  detail: ColumnType<unknown, string | undefined, string>;
  actor_user_id: string | null;
  at: Generated<Date>;
}

export interface NotificationTable {
  id: Generated<string>;
  institution_id: string;
  user_id: string;
  kind: string;
  record_type: string;
  record_id: string;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export interface MissingSettingsTable {
  id: Generated<boolean>;
  public_institution_id: string | null;
  review_threshold: Generated<number>;
  /** The MATCH_KEY_VERSION the stored blocking keys were written with (migration 0060). */
  match_key_version: Generated<number>;
}

/** One merge of a duplicate person record into the record that survives (migration 0009). */
export interface PersonMergeTable {
  id: Generated<string>;
  institution_id: string;
  survivor_id: string;
  duplicate_id: string;
  reason_enc: string;
  probability: number | null;
  /** Ids of the rows moved to the survivor, per table. */
  moved: ColumnType<Record<string, string[]>, string, never>;
  /** Whole rows set aside (the survivor already had one for the same case), per table; restored on undo. */
  set_aside: ColumnType<Record<string, Record<string, unknown>[]>, string | undefined, never>;
  case_ids: Generated<string[]>;
  merged_by: string;
  merged_at: Generated<Date>;
  undone_by: string | null;
  undone_at: Date | null;
  undo_reason_enc: string | null;
}

export interface PersonPairDismissalTable {
  institution_id: string;
  person_a: string;
  person_b: string;
  dismissed_by: string;
  dismissed_at: Generated<Date>;
}

export interface PersonDuplicateCandidateTable {
  institution_id: string;
  person_a: string;
  person_b: string;
  weight: number;
  computed_at: Generated<Date>;
}

export interface PersonDuplicatePendingTable {
  person_id: string;
  institution_id: string;
}

/** Blocking keys of the name-matching engine, one row per key of a person (migration 0004, src/search/store.ts). */
export interface PersonNameKeyTable {
  institution_id: string;
  key: string;
  person_id: string;
}

/** The distinct folded name words of an institution's people under their one-deletion spellings, for correcting typos in queries (migration 0022). */
export interface PersonNameTokenTable {
  institution_id: string;
  variant: string;
  token: string;
}

/** People inserted or renamed whose keys are still to be computed (filled by a trigger, migration 0004). */
export interface PersonNameKeyPendingTable {
  person_id: string;
  institution_id: string;
}

/** Each person's identity as the statistics count it (the survivor's, for a merged record; migration 0011). */
export interface StatPersonIdentityTable {
  person_id: string;
  root_id: string;
  sex: string;
  date_of_birth: string | null;
  estimated_age: number | null;
  age_estimated_on: string | null;
  nationality: string;
}

/** People counted per period, institution, programme, sex, age and nationality (migration 0011). */
export interface StatPeopleCellTable {
  period_kind: string;
  period_start: string;
  institution_id: string;
  programme: string;
  sex: string;
  age_floor: number;
  nationality: string;
  n: number;
  /** Sum of the people's record keys, modulo 2^48 (0013): the cell key of disclosure control. */
  ks: Generated<string>;
}

export interface KeyRingFingerprintTable {
  /** A key id of the ring, or `index` for the blind-index key. */
  key_id: string;
  fingerprint: string;
  recorded_at: Generated<Date>;
}

export interface AuditChainHeadTable {
  institution_id: string;
  /** The newest entry verified and sealed, its hash and the chain's length up to it. */
  last_id: number;
  hash: string;
  entries: number;
  /** HMAC-SHA256 of the head under the key ring's audit key (src/platform/audit/seal.ts). */
  mac: string;
  sealed_at: Generated<Date>;
}

/** An invitation to an institution (migration 0031, src/users/invitation.service.ts). */
export interface InvitationTable {
  id: Generated<string>;
  /** SHA-256 of the link's token: the token itself is shown once, to the administrator. */
  token_hash: string;
  email: string;
  display_name: string;
  institution_id: string;
  role: Role;
  preferred_language: 'es' | 'en';
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  accepted_by: string | null;
}

export interface AttemptThrottleTable {
  /** SHA-256 of the scope and the key attempted (an email or a folio, known or not). */
  key_hash: string;
  scope: 'login' | 'folio';
  failures: number;
  next_attempt_at: Date;
  updated_at: Generated<Date>;
}

export interface Database extends ChildrenTables, MissingMatchTables, DirectoryTables, ScreeningTables, PublicTables, StatisticsTables, OutreachTables, ResourceTables, OfflineTables {
  invitations: InvitationTable;
  attempt_throttle: AttemptThrottleTable;
  key_ring_fingerprints: KeyRingFingerprintTable;
  audit_chain_heads: AuditChainHeadTable;
  institutions: InstitutionTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  user_keys: UserKeyTable;
  complaint_unit_keys: ComplaintUnitKeyTable;
  complaint_unit_key_grants: ComplaintUnitKeyGrantTable;
  audit_log: AuditLogTable;
  people: PersonTable;
  case_folio_counters: CaseFolioCounterTable;
  cases: CaseTable;
  case_access: CaseAccessTable;
  case_participants: CaseParticipantTable;
  services: ServiceTable;
  case_notes: CaseNoteTable;
  attachments: AttachmentTable;
  referrals: ReferralTable;
  case_events: CaseEventTable;
  complaint_settings: ComplaintSettingTable;
  complaint_routing_rules: ComplaintRoutingRuleTable;
  complaints: ComplaintTable;
  complaint_messages: ComplaintMessageTable;
  complaint_notes: ComplaintNoteTable;
  complaint_attachments: ComplaintAttachmentTable;
  complaint_transmissions: ComplaintTransmissionTable;
  complaint_custody: ComplaintCustodyTable;
  complaint_signing_keys: ComplaintSigningKeyTable;
  complaint_statistics_archive: ComplaintStatisticsArchiveTable;
  stat_services_monthly: StatServicesMonthlyTable;
  stat_person_period: StatPersonPeriodTable;
  stat_person_identity: StatPersonIdentityTable;
  stat_people_cells: StatPeopleCellTable;
  person_name_keys: PersonNameKeyTable;
  person_name_keys_pending: PersonNameKeyPendingTable;
  person_name_tokens: PersonNameTokenTable;
  person_merges: PersonMergeTable;
  person_corrections: PersonCorrectionTable;
  recovery_codes: RecoveryCodeTable;
  password_reset_links: PasswordResetLinkTable;
  person_pair_dismissals: PersonPairDismissalTable;
  person_duplicate_candidates: PersonDuplicateCandidateTable;
  person_duplicate_pending: PersonDuplicatePendingTable;
  missing_reports: MissingReportTable;
  found_records: FoundRecordTable;
  missing_name_keys: MissingNameKeyTable;
  missing_match_queue: MissingMatchQueueTable;
  match_candidates: MatchCandidateTable;
  missing_pair_odds: MissingPairOddsTable;
  missing_messages: MissingMessageTable;
  missing_events: MissingEventTable;
  notifications: NotificationTable;
  missing_settings: MissingSettingsTable;
  import_jobs: ImportJobTable;
  import_job_rows: ImportJobRowTable;
}

export type ImportJobStatus = 'queued' | 'checking' | 'writing' | 'done' | 'rejected' | 'failed';

/** A CSV import started from the web app (0020), run in the background (src/imports/). */
export interface ImportJobTable {
  id: Generated<string>;
  institution_id: string;
  created_by: string;
  kind: 'people' | 'reports' | 'found';
  file_name: string;
  file_sha256: string;
  /** The uploaded file under the key ring, dropped when the job ends. */
  file_enc: Buffer | null;
  skip_invalid: boolean;
  language: 'es' | 'en';
  status: Generated<ImportJobStatus>;
  total_rows: number | null;
  rows_valid: number | null;
  rows_written: Generated<number>;
  rows_rejected: Generated<number>;
  error_code: string | null;
  error_params: ColumnType<Record<string, string | number> | null, string | null, string | null>;
  created_at: Generated<Date>;
  heartbeat_at: Generated<Date>;
  finished_at: Date | null;
}

/** One row of an import's report: accepted (record_id) or rejected (errors). */
export interface ImportJobRowTable {
  job_id: string;
  row: number;
  /** The file's line, for a rejected row (a quoted value may span lines). */
  line: number | null;
  external_id: string | null;
  record_id: string | null;
  folio: string | null;
  /** [{column, code, message}] in the importer's language; null for an accepted row. */
  errors: ColumnType<{ column: string | null; code: string; message: string }[] | null, string | null, never>;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Runs `work` in the caller's transaction when given one (an offline write and its idempotency key commit together), else in a new one. */
export const inTransaction = <T>(db: Db | Tx, work: (trx: Tx) => Promise<T>): Promise<T> => (db.isTransaction ? work(db as Tx) : (db as Db).transaction().execute(work));

export type PoolOptions = {
  max?: number;
  /** Prepared statements kept per connection (least recently used deallocated). */
  preparedStatements?: number;
  /** How long to wait for a connection (opening one or from a full pool). */
  connectTimeoutMs?: number;
  /** PostgreSQL's statement_timeout (0 = none); the client gives up 5 s after it, should the server not answer at all. */
  statementTimeoutMs?: number;
  /** PostgreSQL's idle_in_transaction_session_timeout (0 = none): a stuck transaction cannot hold its locks forever. */
  idleInTransactionTimeoutMs?: number;
};

export function createDb(connectionString: string, options: PoolOptions = {}): Db {
  const statementTimeout = options.statementTimeoutMs ?? 0;
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 20,
    ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
    ...(statementTimeout ? { statement_timeout: statementTimeout, query_timeout: statementTimeout + 5000 } : {}),
    ...(options.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs } : {}),
  });
  // An idle client's error (for example the server restarting) must not crash the process; nor may that
  // of a client checked out when PostgreSQL stops under it (a shutdown): its query fails on its own.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool, options.preparedStatements ?? PREPARED_PER_CONNECTION) }) });
  poolStats.set(db, pool);
  return db;
}

const poolStats = new WeakMap<Db, pg.Pool>();

/** Connections in use, idle and waited for, for the metrics. */
export function poolUsage(db: Db): { total: number; idle: number; waiting: number; max: number } | null {
  const pool = poolStats.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max } : null;
}

/**
 * `column = anyUuid(ids)`: one statement text whatever the number of ids. Kysely writes `in (...)` with
 * one parameter per value, a different text (and so a different prepared statement) for each length.
 */
export const anyUuid = (ids: readonly string[]) => sql<string>`any(${ids}::uuid[])`;

/**
 * An array parameter as one PostgreSQL array literal, for values that need no quoting (uuids read from the
 * database, one-letter codes, finite numbers; never null): node-postgres quotes and escapes each element of
 * a JavaScript array, microseconds apiece, and matching sends hundreds of thousands per batch. Cast it in
 * SQL (`${plainArray(ids)}::uuid[]`); PostgreSQL's cast refuses anything that is not of the type.
 */
export const plainArray = (values: readonly (string | number)[]): string => `{${values.join(',')}}`;

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it each time; at 1M cases that was
 * the largest share of the database's work per request (bench/intake). Naming parameterised queries by
 * a hash of their text makes node-postgres prepare each once per connection and reuse it. Texts that
 * still vary (an `in (...)` list somewhere, a query built from a request's choices) would make the
 * per-connection cache grow without end: it keeps the `limit` most recently used statements and
 * deallocates the others, on the server as in node-postgres.
 */
const PREPARED_PER_CONNECTION = 500;
const PREPARING = Symbol('preparing');

const PLAN_EACH_TIME = '/* amparo:plan-each-time */';
/**
 * Put first in an analytical query (statistics over millions of aggregate rows) to send it unprepared,
 * so PostgreSQL plans it for its own parameters every time. A prepared statement may switch to a generic
 * plan after five executions; for a range of months that plan took 1.6 s where the one made for the
 * dates took 0.5 s (bench/RESULTS.md, session 8). Planning costs nothing beside such a query.
 */
export const planEachTime = sql`/* amparo:plan-each-time */`;

type PreparingClient = pg.PoolClient & { [PREPARING]?: true; connection?: { parsedStatements?: Record<string, string> } };

function preparingPool(pool: pg.Pool, limit: number) {
  return {
    connect: async () => {
      const client = (await pool.connect()) as PreparingClient;
      // Pooled clients come back: wrap each one once.
      if (!client[PREPARING]) {
        const query = client.query.bind(client) as (config: unknown, values?: unknown[]) => Promise<unknown>;
        // Names in order of last use (a Map iterates in insertion order; a use moves the name to the end).
        const recent = new Map<string, true>();
        const prepare = (name: string) => {
          if (recent.delete(name)) {
            recent.set(name, true);
            return;
          }
          recent.set(name, true);
          for (const oldest of recent.keys()) {
            if (recent.size <= limit) break;
            recent.delete(oldest);
            const parsed = client.connection?.parsedStatements;
            // Only statements the server holds: deallocating an unknown name would fail (and abort a transaction).
            if (parsed && oldest in parsed) {
              delete parsed[oldest];
              // Queued before the query that follows, on the same connection: nothing waits for it.
              query(`deallocate "${oldest}"`).catch(() => undefined);
            }
          }
        };
        Object.assign(client, {
          [PREPARING]: true,
          query: (text: unknown, values?: unknown[]) => {
            if (typeof text !== 'string' || !values || values.length === 0 || text.startsWith(PLAN_EACH_TIME)) return query(text, values);
            const name = `k${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
            prepare(name);
            return query({ name, text, values });
          },
        });
      }
      return client;
    },
    end: () => pool.end(),
  } as unknown as pg.Pool;
}

const migrations: Record<string, Migration> = {
  '0001_platform': platform,
  '0002_cases': cases,
  '0003_complaints': complaints,
  '0004_person_search': personSearch,
  '0005_statistics': statistics,
  '0006_case_list_index': caseListIndex,
  '0007_audit_append_function': auditAppendFunction,
  '0008_missing_persons': missingPersons,
  '0009_person_merges': personMerges,
  '0010_people_external_id': peopleExternalId,
  '0011_statistics_speed': statisticsSpeed,
  '0012_complaint_keys': complaintKeys,
  '0013_disclosure_keys': disclosureKeys,
  '0014_person_corrections': personCorrections,
  '0015_account': account,
  '0016_key_custody': keyCustody,
  '0017_audit_seals': auditSeals,
  '0018_login_throttle': loginThrottle,
  '0020_administration': administration,
  '0022_search_channels': searchChannels,
  '0028_children': children,
  '0030_attempt_throttle': attemptThrottle,
  '0031_invitations': invitations,
  '0032_child_tracing': childTracing,
  '0033_child_reunifications': childReunifications,
  '0034_search_sound_keys': searchSoundKeys,
  '0036_directory': directory,
  '0038_match_pair_odds': matchPairOdds,
  '0040_public_site': publicSite,
  '0041_missing_photos': missingPhotos,
  '0042_screenings': screenings,
  '0044_outreach': outreach,
  '0046_programme_resources': programmeResources,
  '0047_cases_through_consulate': casesThroughConsulate,
  '0048_offline_idempotency': offlineWrites,
  '0051_statistics_first_months': statisticsFirstMonths,
  '0052_search_register_frequencies': searchRegisterFrequencies,
  '0054_missing_match_profiles': missingMatchProfiles,
  '0055_resource_corrections': resourceCorrections,
  '0057_missing_match_queue_order': missingMatchQueueOrder,
  '0058_missing_mark_keys': missingMarkKeys,
  '0059_missing_pair_odds_written': missingPairOddsWritten,
  '0060_missing_typo_keys': missingTypoKeys,
  '0061_missing_pair_odds_without_foreign_keys': missingPairOddsWithoutForeignKeys,
  '0062_missing_decision_marks': missingDecisionMarks,
  '0063_missing_mark_keys_earliest_decade': missingMarkKeysEarliestDecade,
  '0064_missing_match_queue_without_attempts': missingMatchQueueWithoutAttempts,
  '0065_missing_match_stamps': missingMatchStamps,
  '0066_missing_name_keys_timeline_day': missingNameKeysTimelineDay,
};

/** The migrations this code knows, in order (a backup records the ones of the database it was made from). */
export function migrationNames(): string[] {
  return Object.keys(migrations).sort();
}

/**
 * `allowUnorderedMigrations`: only for benchmark data sets kept between sessions, whose database was
 * migrated on a branch before migrations numbered lower were merged from other branches.
 */
export async function migrateToLatest(db: Db, options: { allowUnorderedMigrations?: boolean } = {}): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: options.allowUnorderedMigrations ?? false });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
