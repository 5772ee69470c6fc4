import type { MessageKey } from './i18n/messages.ts';
import type { AuditEntry } from './audit/audit.ts';

/**
 * Every error code the API answers with, and its HTTP status: the one place a status is chosen.
 * A code names one situation, so it has one status; its message is in src/platform/i18n/locales/{es,en}.json
 * under `messages.<code>` (read by i18n/messages.ts). Grouped by status.
 */
export const errorStatus = {
  // 400: the request's content is wrong; sending it again unchanged will fail again.
  validation_failed: 400,
  reset_link_invalid: 400,
  invitation_invalid: 400,
  invitation_sign_in_required: 403,
  invitation_password_required: 400,
  invalid_json: 400,
  idempotency_key_required: 400,
  invalid_status_transition: 400,
  closure_reason_required: 400,
  birth_after_case_opened: 400,
  date_before_case_opened: 400,
  person_not_visible: 400,
  participant_not_in_case: 400,
  direct_victim_required: 400,
  referral_to_self: 400,
  institution_not_found: 400,
  institution_parent_cycle: 400,
  institution_platform_fixed: 400,
  user_not_in_institution: 400,
  attachment_content_mismatch: 400,
  current_password_invalid: 400,
  mfa_enrolment_code_invalid: 400,
  complaint_reason_required: 400,
  complaint_outcome_required: 400,
  complaint_transmit_with_package: 400,
  complaint_unit_not_found: 400,
  complaint_forward_to_self: 400,
  complaint_too_many_files: 400,
  missing_channel_public: 400,
  merge_same_person: 400,
  merge_across_institutions: 400,
  import_invalid_encoding: 400,
  import_malformed_csv: 400,
  import_missing_column: 400,
  import_unknown_column: 400,
  import_duplicate_column: 400,
  information_page_changed: 409,
  logo_too_large: 413,
  logo_not_an_image: 415,
  import_empty: 400,
  statistics_unknown_indicator: 400,
  statistics_unknown_dimension: 400,
  statistics_dimension_not_supported: 400,
  statistics_too_many_dimensions: 400,
  statistics_invalid_period: 400,
  statistics_future_period: 400,
  statistics_invalid_age_bands: 400,
  statistics_min_cell_too_low: 400,
  statistics_unknown_programme: 400,
  statistics_unknown_institution: 400,
  child_not_minor: 400,
  child_age_unknown: 400,
  placement_migration_station: 400,
  placement_justification_required: 400,
  placement_facility_required: 400,
  placement_change_reason_required: 400,
  placement_dates_invalid: 400,
  panel_member_not_eligible: 400,
  directory_unknown_category: 400,
  directory_unknown_place: 400,
  directory_invalid_package: 400,
  screening_definition_invalid: 400,
  outreach_place_invalid: 400,
  outreach_date_out_of_range: 400,
  outreach_attendance_before_event: 400,
  outreach_attendance_repeated: 400,
  screening_instrument_not_found: 400,
  resource_point_not_found: 400,
  operation_outside_point_dates: 400,
  operation_mode_mismatch: 400,
  case_consulate_invalid: 400,
  screening_language_unavailable: 400,
  screening_answer_invalid: 400,
  screening_incomplete: 400,
  screening_suggestion_unknown: 400,
  // 401: not signed in, or a sign-in credential refused.
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  mfa_required: 401,
  mfa_invalid: 401,
  recovery_code_invalid: 401,
  // 403: signed in (or anonymous on a public page) but not allowed; resource types are not secret.
  forbidden: 403,
  csrf_failed: 403,
  mfa_enrolment_required: 403,
  complaint_receipt_invalid: 403,
  missing_receipt_invalid: 403,
  missing_public_unavailable: 403,
  panel_undertaking_required: 403,
  outreach_not_author: 403,
  panel_closed: 403,
  recovery_codes_need_mfa: 409,
  // 404: the record does not exist or the actor may not see it (the same answer on purpose).
  not_found: 404,
  route_not_found: 404,
  session_not_found: 404,
  // 409: the record's current state forbids the change.
  conflict: 409,
  field_unreadable: 409,
  email_taken: 409,
  institution_code_taken: 409,
  mfa_not_pending: 409,
  mfa_required_by_institution: 409,
  referral_not_pending: 409,
  referral_already_pending: 409,
  person_merged: 409,
  offline_conflict: 409,
  merge_already_merged: 409,
  merge_already_undone: 409,
  merge_undo_blocked: 409,
  merge_child_protection: 409,
  complaint_invalid_transition: 409,
  complaint_keys_unavailable: 409,
  complaint_keys_sign_in_again: 409,
  complaint_unit_without_keys: 409,
  missing_invalid_transition: 409,
  missing_candidate_not_open: 409,
  missing_already_located: 409,
  child_file_exists: 409,
  child_file_closed: 409,
  consular_notification_protection_claim: 409,
  facility_full: 409,
  best_interests_not_in_panel: 409,
  panel_incomplete: 409,
  approver_on_panel: 409,
  best_interests_not_decided: 409,
  verification_incomplete: 409,
  reunification_decision_required: 409,
  child_followups_pending: 409,
  followup_already_recorded: 409,
  tracing_match_reviewed: 409,
  directory_invalid_transition: 409,
  directory_same_person: 409,
  screening_version_exists: 409,
  outreach_attendee_exists: 409,
  screening_completed: 409,
  screening_not_completed: 409,
  // 413, 415, 422, 423, 429.
  payload_too_large: 413,
  import_too_large: 413,
  import_too_many_rows: 413,
  unsupported_media_type: 415,
  attachment_type_not_allowed: 415,
  complaint_attachment_type_not_allowed: 415,
  import_rejected: 422,
  idempotency_key_reused: 422,
  too_many_requests: 429,
  // 5xx: nothing the caller did wrong; no internals in the answer.
  internal_error: 500,
  busy: 503,
  database_unavailable: 503,
} as const satisfies Partial<Record<MessageKey, number>>;

export type ErrorCode = keyof typeof errorStatus;

export const httpStatus = (code: ErrorCode): number => errorStatus[code];

/**
 * A refusal the caller can act on. The code is stable (clients switch on it); its status comes from
 * `errorStatus`, its message is translated at the edge, in the request's language.
 */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.statusCode = errorStatus[code];
  }
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');
export const badRequest = (code: ErrorCode, params?: Record<string, string | number>, details?: unknown) => new AppError(code, params, details);
export const conflict = (code: ErrorCode = 'conflict') => new AppError(code);

/** Validation issues with a path, for forms to place next to the right field. */
export type FieldIssue = { path: string; code: string; message: string };

export class RequestValidationError extends Error {
  constructor(readonly issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly code: string }>) {
    super('validation_failed');
  }
}

/**
 * A record the actor may not see answers 404, as if it did not exist, and the attempt is audited.
 * The audit entry is written by the HTTP error handler, outside the request's transaction, which the
 * refusal rolls back.
 */
export class RecordNotVisible extends AppError {
  constructor(readonly audit: AuditEntry) {
    super('not_found');
  }
}
