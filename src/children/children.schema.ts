import { z } from 'zod';
import { countryCode, isoDate, partialUpdateShape, stateCode, text } from '../platform/http/schemas.ts';
import { latestDateOnEarth } from '../platform/dates.ts';
import * as v from './vocabularies.ts';

const { keysOf } = v;
const pastOrToday = isoDate.refine((value) => value <= latestDateOnEarth(), { message: 'date_in_future' });
const pastInstant = z.iso.datetime({ offset: true }).refine((value) => Date.parse(value) <= Date.now() + 60_000, { message: 'date_in_future' });

const fileFields = {
  accompaniment: z.enum(keysOf(v.accompaniments)),
  accompanied_by: text(500).nullable().optional().describe('with whom the child travels, in words (encrypted)'),
  identified_at: pastInstant,
  identified_how: z.enum(keysOf(v.identificationWays)),
  identified_state: stateCode.nullable().optional(),
  notified_at: pastInstant.nullable().optional().describe('when the Procuraduría was notified'),
  notified_by: text(200).nullable().optional().describe('who notified: the authority and person'),
  language: text(60).nullable().optional(),
  interpreter: z.enum(['not_needed', 'needed', 'provided']).default('not_needed'),
  views: text(10_000).nullable().optional().describe("the child's own views and wishes, in her words (encrypted)"),
  wishes_tracing: z.enum(keysOf(v.wishes)).nullable().optional(),
  wishes_reunification: z.enum(keysOf(v.wishes)).nullable().optional(),
  tracing_consent: z.enum(keysOf(v.tracingConsents)).default('not_asked'),
  tracing_consent_on: pastOrToday.nullable().optional(),
  protection_claim: z.enum(keysOf(v.protectionClaims)).default('none'),
  protection_claim_on: pastOrToday.nullable().optional(),
};

export const newChildFileBody = z.strictObject({
  person_id: z.uuid(),
  opened_on: pastOrToday,
  assigned_to: z.uuid().nullable().optional(),
  ...fileFields,
});
export type NewChildFile = z.infer<typeof newChildFileBody>;

export const childFilePatchBody = z.strictObject({ ...partialUpdateShape(fileFields), reason: text(500).optional() });
export type ChildFilePatch = z.infer<typeof childFilePatchBody>;

export const childListQuery = z.strictObject({
  accompaniment: z.enum(keysOf(v.accompaniments)).optional(),
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type ChildListQuery = z.infer<typeof childListQuery>;

export const linkInput = z.strictObject({ person_id: z.uuid(), relationship: z.enum(keysOf(v.linkRelationships)), travelling_together: z.boolean().default(false) });
export const consularNotificationInput = z.strictObject({ country: countryCode, notified_on: pastOrToday });

export const measureInput = z.strictObject({
  right_affected: z.enum(keysOf(v.rightsAffected)),
  legal_basis: text(300, 2),
  measure_type: z.enum(keysOf(v.measureTypes)),
  measure: z.enum(keysOf(v.measures)),
  beneficiary_person_id: z.uuid().optional().describe('the child when omitted'),
  responsible_institution: text(200, 2),
  responsible_person: text(200).nullable().optional(),
  frequency: z.enum(keysOf(v.frequencies)),
  due_on: isoDate,
});
export const measurePatchBody = z.strictObject(partialUpdateShape({ due_on: isoDate, executed_on: pastOrToday.nullable(), responsible_person: text(200).nullable(), frequency: z.enum(keysOf(v.frequencies)) }));
export const measureNoteInput = z.strictObject({ body: text(5000) });

export const facilityInput = z.strictObject({ name: text(200, 2), kind: z.enum(keysOf(v.facilityKinds)), state: stateCode.nullable().optional(), capacity: z.number().int().min(1).max(10_000) });

export const placementInput = z.strictObject({
  care_type: z.enum(keysOf(v.careTypes)).or(z.literal('migration_station')).describe('migration_station is always refused (children may not be held in migration stations)'),
  facility_id: z.uuid().nullable().optional(),
  place: text(500).nullable().optional().describe('where the child lives (encrypted)'),
  started_on: pastOrToday,
  change_reason: text(500).nullable().optional().describe('why the current placement ends (required when there is one)'),
  justification: text(5000).nullable().optional().describe('residential care: why no family-based option was available (required)'),
});

export const assessmentInput = z.strictObject({
  kind: z.enum(['assessment_short', 'assessment_comprehensive']),
  child_views: text(10_000).nullable().optional(),
  findings: text(20_000),
  decision: z.enum(keysOf(v.bestInterestsDecisions)).nullable().optional().describe('what the assessment recommends'),
  review_on: isoDate.nullable().optional(),
});

export const determinationInput = z.strictObject({
  evidence: text(20_000).describe('the evidence the panel considers'),
  child_views: text(10_000).describe("the child's views, in her words"),
  panel_until: isoDate.describe('the last day panel members may read the file'),
});
export const panelMemberInput = z
  .strictObject({
    user_id: z.uuid().optional(),
    email: z.email().max(254).optional().describe('the member\'s account e-mail, when the id is not known (members may be of another institution)'),
    profession: z.enum(keysOf(v.professions)),
    member_institution: text(200, 2),
  })
  .refine((m) => (m.user_id === undefined) !== (m.email === undefined), { message: 'user_id_or_email', path: ['email'] });
export const positionInput = z.strictObject({ position: z.enum(keysOf(v.panelPositions)), reasons: text(5000).nullable().optional() });
export const decisionInput = z.strictObject({ decision: z.enum(keysOf(v.bestInterestsDecisions)), reasons: text(20_000), review_on: isoDate });

const verificationFields = {
  child_interviewed_on: pastOrToday.nullable(),
  adult_interviewed_on: pastOrToday.nullable(),
  documents_checked: z.boolean().nullable(),
  photo_id_checked: z.boolean().nullable(),
  child_recognises_adult: z.boolean().nullable(),
  adult_willing: z.boolean().nullable(),
  adult_able: z.boolean().nullable(),
  accounts_agree: z.boolean().nullable(),
  recommendation: z.enum(keysOf(v.recommendations)).nullable(),
  notes: text(10_000).nullable(),
};
export const verificationInput = z.strictObject({ adult_person_id: z.uuid(), relationship: z.enum(keysOf(v.adultRelationships)), ...partialUpdateShape(verificationFields) });
export const verificationPatchBody = z.strictObject(partialUpdateShape(verificationFields));
export type VerificationPatch = z.infer<typeof verificationPatchBody>;

export const reunificationInput = z.strictObject({
  verification_id: z.uuid(),
  determination_id: z.uuid(),
  reunified_on: pastOrToday,
  place: z.enum(['mexico', 'abroad']),
  country: countryCode,
  receiving_body: text(200).nullable().optional().describe("abroad: the receiving country's child-protection body"),
  followup_months: z.array(z.number().int().min(1).max(24)).min(1).max(6).default([1, 3, 6]),
});
export const followupInput = z.strictObject({ visited_on: pastOrToday, outcome: z.enum(keysOf(v.followupOutcomes)), notes: text(5000).nullable().optional() });

const soughtChild = z.strictObject({
  given_names: text(200),
  surname1: text(100).nullable().optional(),
  surname2: text(100).nullable().optional(),
  sex: z.enum(['female', 'male', 'intersex', 'unknown']).nullable().optional(),
  date_of_birth: pastOrToday.nullable().optional(),
  estimated_age: z.number().int().min(0).max(17).nullable().optional(),
  age_estimated_on: pastOrToday.nullable().optional(),
  nationality: countryCode.nullable().optional(),
  last_seen: text(500).nullable().optional().describe('where and when the child was last seen, in words'),
});

export const tracingRequestInput = z
  .strictObject({
    channel: z.enum(['in_person', 'consulate']).describe("requests from the families' public page arrive with a missing-person report of a child"),
    consulate_country: countryCode.nullable().optional().describe('the country of the consulate that received the request (required for consulate)'),
    received_on: pastOrToday,
    requester_name: text(300, 2).describe('the relative who asks, full name'),
    requester_relationship: z.enum(keysOf(v.adultRelationships)),
    requester_country: countryCode.nullable().optional(),
    contact: text(500).nullable().optional().describe('how to reach the relative (encrypted)'),
    circumstances: text(5000).nullable().optional().describe('how the family was separated (encrypted)'),
    children: z.array(soughtChild).min(1).max(10),
  })
  .refine((r) => r.channel !== 'consulate' || Boolean(r.consulate_country), { message: 'consulate_country_required', path: ['consulate_country'] });

export const tracingRequestQuery = z.strictObject({
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export const tracingMatchQuery = z.strictObject({
  status: z.enum(keysOf(v.tracingMatchStatuses)).default('proposed'),
  case_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export const tracingReviewInput = z.strictObject({ decision: z.enum(['confirmed', 'rejected']) });

export const tracingRequestItem = z.object({
  id: z.uuid(),
  channel: z.string(),
  consulate_country: z.string().nullable(),
  received_on: z.string(),
  requester_name: z.string(),
  requester_relationship: z.string(),
  status: z.string(),
  sought: z.array(z.string()),
});

export const tracingMatchItem = z.object({
  id: z.uuid(),
  status: z.string(),
  via: z.string(),
  probability: z.number(),
  proposed_at: z.date(),
  child: z.object({ case_id: z.uuid(), folio: z.string(), name: z.string() }),
  request: z.object({ id: z.uuid(), requester_name: z.string(), requester_relationship: z.string(), channel: z.string(), received_on: z.string() }),
  matched_name: z.string(),
});

const evidence = z.object({ field: z.string(), level: z.string(), weight: z.number(), detail: z.string().optional(), phrase: z.string(), direction: z.enum(['for', 'against', 'neutral']), strength: z.number().int() });

export const tracingMatchView = z.object({
  id: z.uuid(),
  status: z.string(),
  via: z.string(),
  probability: z.number(),
  proposed_at: z.date(),
  reviewed_at: z.date().nullable(),
  explanation: z.array(evidence),
  child: z.object({ case_id: z.uuid(), folio: z.string(), name: z.string(), sex: z.string(), date_of_birth: z.string().nullable(), age: z.number().int().nullable(), nationalities: z.array(z.string()) }),
  sought: z.object({ name: z.string(), sex: z.string().nullable(), date_of_birth: z.string().nullable(), estimated_age: z.number().int().nullable(), nationality: z.string().nullable(), last_seen: z.string().nullable() }).nullable(),
  family_member: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  request: z.object({
    id: z.uuid(),
    requester_name: z.string(),
    requester_relationship: z.string(),
    requester_country: z.string().nullable(),
    channel: z.string(),
    consulate_country: z.string().nullable(),
    received_on: z.string(),
    contact: z.string().nullable(),
    circumstances: z.string().nullable(),
  }),
  can_review: z.boolean(),
  unreadable_fields: z.array(z.string()),
});

export const childParams = z.strictObject({ id: z.uuid() });
export const childItemParams = z.strictObject({ id: z.uuid(), itemId: z.uuid() });
export const followupParams = z.strictObject({ id: z.uuid(), itemId: z.uuid(), followupId: z.uuid() });

const personRef = z.object({ id: z.uuid(), name: z.string() });
const userRef = z.object({ id: z.uuid(), display_name: z.string() });

export const childListItem = z.object({
  id: z.uuid(),
  folio: z.string(),
  status: z.string(),
  opened_on: z.string(),
  child: personRef.extend({ sex: z.string(), age: z.number().int().nullable(), nationalities: z.array(z.string()) }),
  accompaniment: z.string(),
  hours_to_notification: z.number().nullable(),
  current_care: z.string().nullable(),
  overdue_measures: z.number().int(),
});

export const memberView = z.object({
  id: z.uuid(),
  user: userRef,
  profession: z.string(),
  member_institution: z.string(),
  undertaking_accepted_at: z.date().nullable(),
  position: z.string().nullable(),
  reasons: z.string().nullable(),
});

export const bestInterestsView = z.object({
  id: z.uuid(),
  kind: z.string(),
  status: z.string(),
  evidence: z.string().nullable(),
  child_views: z.string().nullable(),
  findings: z.string().nullable(),
  decision: z.string().nullable(),
  reasons: z.string().nullable(),
  review_on: z.string().nullable(),
  panel_until: z.string().nullable(),
  decided_at: z.date().nullable(),
  approved_by: userRef.nullable(),
  approved_at: z.date().nullable(),
  members: z.array(memberView),
  problems: z.array(z.string()).describe('what still prevents the next step, as error codes'),
});

export const verificationView = z.object({
  id: z.uuid(),
  adult: personRef,
  relationship: z.string(),
  ...Object.fromEntries(Object.entries(verificationFields).map(([k, schema]) => [k, schema])) as typeof verificationFields,
  complete: z.boolean(),
  completed_at: z.date().nullable(),
});

export const childFileView = z.object({
  id: z.uuid(),
  folio: z.string(),
  status: z.string(),
  opened_on: z.string(),
  closed_on: z.string().nullable(),
  institution: z.object({ id: z.uuid(), name: z.string() }),
  assigned_to: userRef.nullable(),
  child: personRef.extend({ sex: z.string(), date_of_birth: z.string().nullable(), age: z.number().int().nullable(), nationalities: z.array(z.string()) }),
  accompaniment: z.string(),
  accompanied_by: z.string().nullable(),
  identified_at: z.date(),
  identified_how: z.string(),
  identified_state: z.string().nullable(),
  notified_at: z.date().nullable(),
  notified_by: z.string().nullable(),
  hours_to_notification: z.number().nullable(),
  language: z.string().nullable(),
  interpreter: z.string(),
  views: z.string().nullable(),
  wishes_tracing: z.string().nullable(),
  wishes_reunification: z.string().nullable(),
  tracing_consent: z.string(),
  tracing_consent_on: z.string().nullable(),
  protection_claim: z.string(),
  protection_claim_on: z.string().nullable(),
  consular_notification_refused: z.boolean().describe('true while a protection claim is open: the consulate of the child’s country may not be told'),
  links: z.array(z.object({ id: z.uuid(), person: personRef, relationship: z.string(), travelling_together: z.boolean() })),
  consular_notifications: z.array(z.object({ id: z.uuid(), country: z.string(), notified_on: z.string() })),
  measures: z.array(
    z.object({
      id: z.uuid(),
      right_affected: z.string(),
      legal_basis: z.string(),
      measure_type: z.string(),
      measure: z.string(),
      beneficiary: personRef,
      responsible_institution: z.string(),
      responsible_person: z.string().nullable(),
      frequency: z.string(),
      due_on: z.string(),
      executed_on: z.string().nullable(),
      overdue: z.boolean(),
      notes: z.array(z.object({ id: z.uuid(), body: z.string(), author: userRef.nullable(), created_at: z.date() })),
    }),
  ),
  placements: z.array(
    z.object({
      id: z.uuid(),
      care_type: z.string(),
      facility: z.object({ id: z.uuid(), name: z.string() }).nullable(),
      place: z.string().nullable(),
      started_on: z.string(),
      ended_on: z.string().nullable(),
      change_reason: z.string().nullable(),
      justification: z.string().nullable(),
      days: z.number().int(),
    }),
  ),
  best_interests: z.array(bestInterestsView),
  verifications: z.array(verificationView),
  reunifications: z.array(
    z.object({
      id: z.uuid(),
      adult: personRef.nullable(),
      reunified_on: z.string(),
      place: z.string().nullable(),
      country: z.string().nullable(),
      receiving_body: z.string().nullable(),
      followups: z.array(z.object({ id: z.uuid(), due_on: z.string(), visited_on: z.string().nullable(), outcome: z.string().nullable(), notes: z.string().nullable(), overdue: z.boolean() })),
    }),
  ),
  tracing: z.object({
    traceable: z.boolean().describe('tracing may go ahead: the child consented, or an approved best-interests determination decided to trace; otherwise no match is proposed or shown'),
    matches: z.array(z.object({ id: z.uuid(), status: z.string(), via: z.string(), probability: z.number(), requester_name: z.string(), requester_relationship: z.string(), channel: z.string() })),
  }),
  can_edit: z.boolean(),
  can_approve: z.boolean(),
  unreadable_fields: z.array(z.string()).describe('encrypted fields the key ring could not open: shown as unreadable, the rest of the file intact'),
});
export type ChildFileView = z.infer<typeof childFileView>;

export const panelView = z.object({
  determination: bestInterestsView,
  child: childFileView.shape.child,
  folio: z.string(),
  accompaniment: z.string(),
  views: z.string().nullable(),
  wishes_tracing: z.string().nullable(),
  wishes_reunification: z.string().nullable(),
  assessments: z.array(bestInterestsView),
});

export const facilityView = z.object({ id: z.uuid(), name: z.string(), kind: z.string(), state: z.string().nullable(), capacity: z.number().int(), occupied: z.number().int() });
