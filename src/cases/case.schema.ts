import { z } from 'zod';
import { isoDate, text, paging, unreadableFields } from '../platform/http/schemas.ts';
import { closureReasons, consentMethods, crimeTypes, keysOf, participantRoles, programmes, rightsViolations, serviceTypes, sharedSections } from './vocabularies.ts';
import { personSummary } from '../people/person.schema.ts';
import { latestDateOnEarth } from '../platform/dates.ts';

const today = latestDateOnEarth;
const pastOrToday = isoDate.refine((value) => value <= today(), { message: 'date_in_future' });

export const participantInput = z.strictObject({
  person_id: z.uuid(),
  role: z.enum(keysOf(participantRoles)),
  relationship: text(60).optional(),
});

export const newCaseBody = z.strictObject({
  programme: z.enum(keysOf(programmes)),
  opened_on: pastOrToday,
  summary: text(10_000).optional(),
  crime_types: z.array(z.enum(keysOf(crimeTypes))).max(10).default([]),
  rights_violations: z.array(z.enum(keysOf(rightsViolations))).max(10).default([]),
  assigned_to: z.uuid().nullable().optional(),
  participants: z.array(participantInput).min(1).max(50),
  through_consulate_id: z.uuid().nullable().optional().describe('the consulate the file is opened through, for a family abroad that cannot come to Mexico (the Mecanismo de Apoyo Exterior)'),
});
export type NewCase = z.infer<typeof newCaseBody>;

export const caseStatuses = ['open', 'in_progress', 'closed', 'reopened'] as const;

export const casePatchBody = z.strictObject({
  status: z.enum(caseStatuses).optional(),
  closure_reason: z.enum(keysOf(closureReasons)).optional(),
  closed_on: pastOrToday.optional(),
  assigned_to: z.uuid().nullable().optional(),
  summary: text(10_000).nullable().optional(),
  crime_types: z.array(z.enum(keysOf(crimeTypes))).max(10).optional(),
  rights_violations: z.array(z.enum(keysOf(rightsViolations))).max(10).optional(),
});
export type CasePatch = z.infer<typeof casePatchBody>;

export const caseListQuery = z.strictObject({
  status: z.enum(caseStatuses).optional(),
  programme: z.enum(keysOf(programmes)).optional(),
  assigned: z.enum(['me', 'unassigned', 'any']).default('any'),
  opened_from: isoDate.optional(),
  opened_to: isoDate.optional(),
  folio: z.string().trim().min(1).max(40).optional(),
  name: z.string().trim().min(2).max(200).optional().describe('cases with a participant whose name matches (the name-matching engine: variants, phonetic spelling, one surname)'),
  ...paging,
});
export type CaseListQuery = z.infer<typeof caseListQuery>;

const userRef = z.object({ id: z.uuid(), display_name: z.string() }).nullable();

export const caseListItem = z.object({
  id: z.uuid(),
  folio: z.string(),
  programme: z.string(),
  status: z.string(),
  opened_on: z.string(),
  closed_on: z.string().nullable(),
  assigned_to: userRef,
  participant_count: z.number().int(),
  participants: z.array(z.object({ person_id: z.uuid(), name: z.string(), role: z.string() })).describe('the first participants (direct victims first), for recognising the case in a list'),
});

export const serviceInput = z.strictObject({
  person_id: z.uuid(),
  service_type: z.enum(keysOf(serviceTypes)),
  provided_on: pastOrToday,
  provider_unit: text(200).optional(),
  notes: text(2000).optional(),
});
export type ServiceInput = z.infer<typeof serviceInput>;

/** A service corrected: its type, date, unit or notes (the person it was given to stays: record a new one instead). */
export const servicePatch = z.strictObject({
  service_type: z.enum(keysOf(serviceTypes)).optional(),
  provided_on: pastOrToday.optional(),
  provider_unit: text(200).nullable().optional(),
  notes: text(2000).nullable().optional(),
});
export type ServicePatch = z.infer<typeof servicePatch>;
export const serviceParams = z.strictObject({ id: z.uuid(), serviceId: z.uuid() });

export const noteInput = z.strictObject({ body: text(10_000) });

export const accessInput = z.strictObject({ user_id: z.uuid() });

export const referralInput = z.strictObject({
  to_institution_id: z.uuid(),
  reason: text(2000, 3),
  consent_recorded_on: pastOrToday,
  consent_method: z.enum(keysOf(consentMethods)),
  shared_sections: z.array(z.enum(keysOf(sharedSections))).min(1).max(5),
});
export type ReferralInput = z.infer<typeof referralInput>;

export const acceptReferralBody = z.strictObject({
  programme: z.enum(keysOf(programmes)),
  assigned_to: z.uuid().nullable().optional(),
  note: text(2000).optional(),
});
export const declineReferralBody = z.strictObject({ note: text(2000) });

export const referralListQuery = z.strictObject({
  direction: z.enum(['incoming', 'outgoing']).default('incoming'),
  status: z.enum(['pending', 'accepted', 'declined', 'withdrawn']).optional(),
  ...paging,
});

export const referralView = z.object({
  id: z.uuid(),
  case_id: z.uuid(),
  case_folio: z.string(),
  from_institution: z.object({ id: z.uuid(), name: z.string() }),
  to_institution: z.object({ id: z.uuid(), name: z.string() }),
  reason: z.string(),
  consent_recorded_on: z.string(),
  consent_method: z.string(),
  shared_sections: z.array(z.string()),
  status: z.string(),
  response_note: z.string().nullable(),
  responded_at: z.date().nullable(),
  receiving_case_id: z.uuid().nullable(),
  created_at: z.date(),
});

export const caseView = z.object({
  id: z.uuid(),
  institution: z.object({ id: z.uuid(), name: z.string(), code: z.string() }),
  folio: z.string(),
  programme: z.string(),
  status: z.string(),
  closure_reason: z.string().nullable(),
  opened_on: z.string(),
  closed_on: z.string().nullable(),
  assigned_to: userRef,
  summary: z.string().nullable(),
  crime_types: z.array(z.string()),
  rights_violations: z.array(z.string()),
  origin_referral_id: z.uuid().nullable(),
  through_consulate: z.object({ id: z.uuid(), name: z.string(), code: z.string() }).nullable().describe('the consulate the file was opened through'),
  view: z.enum(['full', 'shared']),
  shared_sections: z.array(z.string()),
  can_edit: z.boolean(),
  participants: z.array(z.object({ id: z.uuid(), role: z.string(), relationship: z.string().nullable(), person: personSummary })),
  services: z.array(z.object({ id: z.uuid(), person_id: z.uuid(), service_type: z.string(), provided_on: z.string(), provider_unit: z.string().nullable(), notes: z.string().nullable(), created_at: z.date() })),
  notes: z.array(z.object({ id: z.uuid(), body: z.string().nullable(), author: userRef, created_at: z.date() })),
  attachments: z.array(z.object({ id: z.uuid(), filename: z.string().nullable(), media_type: z.string(), size_bytes: z.number().int(), sha256: z.string(), created_at: z.date() })),
  referrals: z.array(referralView),
  timeline: z.array(z.object({ at: z.date(), kind: z.string(), actor: userRef, data: z.record(z.string(), z.unknown()) })),
  created_at: z.date(),
  updated_at: z.date(),
  unreadable_fields: unreadableFields,
});
export type CaseView = z.infer<typeof caseView>;
