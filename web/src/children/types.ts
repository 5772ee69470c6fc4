/** The child's file as the API returns it (GET /api/v1/children/{id}). */
type PersonRef = { id: string; name: string };
type UserRef = { id: string; display_name: string };

export type BestInterests = {
  id: string;
  kind: string;
  status: string;
  evidence: string | null;
  child_views: string | null;
  findings: string | null;
  decision: string | null;
  reasons: string | null;
  review_on: string | null;
  panel_until: string | null;
  decided_at: string | null;
  approved_by: UserRef | null;
  approved_at: string | null;
  members: { id: string; user: UserRef; profession: string; member_institution: string; undertaking_accepted_at: string | null; position: string | null; reasons: string | null }[];
  problems: string[];
};

export type Verification = {
  id: string;
  adult: PersonRef;
  relationship: string;
  child_interviewed_on: string | null;
  adult_interviewed_on: string | null;
  documents_checked: boolean | null;
  photo_id_checked: boolean | null;
  child_recognises_adult: boolean | null;
  adult_willing: boolean | null;
  adult_able: boolean | null;
  accounts_agree: boolean | null;
  recommendation: string | null;
  notes: string | null;
  complete: boolean;
};

export type ChildFile = {
  id: string;
  folio: string;
  status: string;
  institution: { id: string; name: string };
  child: PersonRef & { sex: string; date_of_birth: string | null; age: number | null; nationalities: string[] };
  accompaniment: string;
  accompanied_by: string | null;
  identified_at: string;
  identified_how: string;
  notified_at: string | null;
  notified_by: string | null;
  hours_to_notification: number | null;
  views: string | null;
  wishes_tracing: string | null;
  wishes_reunification: string | null;
  tracing_consent: string;
  protection_claim: string;
  consular_notification_refused: boolean;
  consular_notifications: { id: string; country: string; notified_on: string }[];
  measures: { id: string; right_affected: string; measure: string; measure_type: string; legal_basis: string; beneficiary: PersonRef; responsible_institution: string; responsible_person: string | null; frequency: string; due_on: string; executed_on: string | null; overdue: boolean; notes: { id: string; body: string }[] }[];
  placements: { id: string; care_type: string; facility: { id: string; name: string } | null; place: string | null; started_on: string; ended_on: string | null; change_reason: string | null; justification: string | null; days: number }[];
  best_interests: BestInterests[];
  verifications: Verification[];
  reunifications: { id: string; adult: PersonRef | null; reunified_on: string; place: string | null; country: string | null; receiving_body: string | null; followups: { id: string; due_on: string; visited_on: string | null; outcome: string | null; notes: string | null; overdue: boolean }[] }[];
  can_edit: boolean;
  can_approve: boolean;
};
