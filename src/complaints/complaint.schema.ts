import { z } from 'zod';
import { fileName, isoDate, municipalityCode, paging, stateCode, text } from '../platform/http/schemas.ts';
import { authorityTypes, complaintKinds, complaintStatuses, keysOf, notAdmittedReasons, outcomes, placeTypes, transmissionMeans } from './vocabularies.ts';

const today = () => new Date().toISOString().slice(0, 10);
export const pastOrToday = isoDate.refine((value) => value <= today() && value >= '1990-01-01', { message: 'date_in_future' });

export const contactInput = z.strictObject({
  name: text(200).optional(),
  phone: text(40).optional(),
  email: z.email().max(254).optional(),
  other: text(300).optional(),
});
export type ContactInput = z.infer<typeof contactInput>;

/** What a complaint says, however it arrives (web form, phone, in person). */
export const complaintIntakeFields = {
  kind: z.enum(keysOf(complaintKinds)),
  narrative: text(20_000),
  occurred_on: pastOrToday.optional(),
  state_code: stateCode.optional(),
  municipality_code: municipalityCode.optional(),
  municipality: text(120).optional(),
  place_type: z.enum(keysOf(placeTypes)),
  place_description: text(500).optional(),
  authority_type: z.enum(keysOf(authorityTypes)),
  authority_name: text(200).optional(),
  official_description: text(1000).optional(),
  badge_number: text(60).optional(),
  vehicle_number: text(60).optional(),
  anonymous: z.boolean(),
  contact: contactInput.optional(),
};
export const complaintIntake = z.strictObject(complaintIntakeFields);
export type ComplaintIntake = z.infer<typeof complaintIntake>;

export const operatorAttachment = z.strictObject({
  filename: fileName,
  content_base64: z.string().max(14_000_000).regex(/^[A-Za-z0-9+/=\s]*$/, 'base64'),
  media_type: z.string().max(100).optional(),
});

export const operatorComplaintBody = z.strictObject({
  ...complaintIntakeFields,
  channel: z.enum(['phone', 'in_person']),
  language: z.enum(['es', 'en']).default('es'),
  strip_metadata: z.boolean().default(true),
  attachments: z.array(operatorAttachment).max(5).default([]),
});

export const receivedView = z.object({
  id: z.uuid(),
  folio: z.string(),
  receipt: z.string(),
  receipt_formatted: z.string(),
  received_at: z.date(),
  channel: z.string(),
  content_sha256: z.string(),
  attachments: z.array(z.object({ filename: z.string(), media_type: z.string(), size_bytes: z.number(), sha256: z.string(), metadata_removed: z.array(z.string()).nullable() })),
});

export const acuseBody = z.strictObject({ folio: z.string().min(1).max(40), receipt: z.string().min(1).max(40), include_receipt: z.boolean().default(false) });

export const statusKeys = keysOf(complaintStatuses);

export const inboxQuery = z.strictObject({
  status: z.enum(statusKeys).optional(),
  assigned: z.enum(['me', 'unassigned', 'any']).default('any'),
  overdue: z.enum(['true', 'false']).optional(),
  kind: z.enum(keysOf(complaintKinds)).optional(),
  folio: z.string().trim().min(1).max(40).optional(),
  ...paging,
});
export type InboxQuery = z.infer<typeof inboxQuery>;

const userRef = z.object({ id: z.uuid(), display_name: z.string() }).nullable();

export const inboxItem = z.object({
  id: z.uuid(),
  folio: z.string(),
  kind: z.string(),
  channel: z.string(),
  status: z.string(),
  received_at: z.date(),
  status_changed_at: z.date(),
  due_at: z.date().nullable(),
  overdue: z.boolean(),
  state_code: z.string().nullable(),
  authority_type: z.string(),
  anonymous: z.boolean(),
  assigned_to: userRef,
  unanswered_messages: z.number().int(),
  legal_hold: z.boolean(),
});

export const inboxPage = z.object({
  items: z.array(inboxItem),
  total: z.number().int(),
  overdue_total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  /** `pending`: a colleague must open the inbox first; `sign_in_again`: this session holds no key pair (src/complaints/keys.ts). */
  key_access: z.enum(['granted', 'pending', 'sign_in_again']),
});

export const custodyEntryView = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor_kind: z.string(),
  actor_user_id: z.string().nullable(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
});

export const complaintView = z.object({
  id: z.uuid(),
  folio: z.string(),
  institution: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  kind: z.string(),
  channel: z.string(),
  status: z.string(),
  status_changed_at: z.date(),
  due_at: z.date().nullable(),
  overdue: z.boolean(),
  not_admitted_reason: z.string().nullable(),
  outcome: z.string().nullable(),
  anonymous: z.boolean(),
  language: z.string(),
  received_at: z.date(),
  occurred_on: z.string().nullable(),
  state_code: z.string().nullable(),
  municipality_code: z.string().nullable(),
  place_type: z.string(),
  authority_type: z.string(),
  narrative: z.string(),
  details: z.record(z.string(), z.string()),
  contact: contactInput.nullable(),
  content_sha256: z.string(),
  assigned_to: userRef,
  recorded_by: userRef,
  legal_hold: z.boolean(),
  legal_hold_reason: z.string().nullable(),
  messages: z.array(z.object({ id: z.uuid(), direction: z.string(), is_question: z.boolean(), body: z.string(), author: userRef, created_at: z.date() })),
  notes: z.array(z.object({ id: z.uuid(), body: z.string(), author: userRef, created_at: z.date() })),
  attachments: z.array(z.object({ id: z.uuid(), message_id: z.uuid().nullable(), source: z.string(), filename: z.string(), media_type: z.string(), size_bytes: z.number(), sha256: z.string(), metadata_removed: z.boolean(), created_at: z.date() })),
  transmissions: z.array(z.object({ id: z.uuid(), to_authority: z.string(), means: z.string(), reference: z.string().nullable(), sent_at: z.date(), package_sha256: z.string() })),
  custody: z.array(custodyEntryView),
  custody_intact: z.boolean(),
});
export type ComplaintView = z.infer<typeof complaintView>;

export const statusChangeBody = z.strictObject({
  status: z.enum(statusKeys),
  reason: z.enum(keysOf(notAdmittedReasons)).optional(),
  outcome: z.enum(keysOf(outcomes)).optional(),
  note: text(5000).optional(),
});
export type StatusChange = z.infer<typeof statusChangeBody>;

export const assignBody = z.strictObject({ user_id: z.uuid().nullable() });
export const noteBody = z.strictObject({ body: text(10_000) });
export const messageBody = z.strictObject({ body: text(10_000), request_information: z.boolean().default(false) });
export const forwardBody = z.strictObject({ institution_id: z.uuid(), note: text(2000).optional() });
export const legalHoldBody = z.strictObject({ hold: z.boolean(), reason: text(500).optional() });

export const packageOptions = {
  include_contact: z.boolean().default(false),
  include_notes: z.boolean().default(false),
};
export const exportQuery = z.strictObject({ include_contact: z.enum(['true', 'false']).default('false'), include_notes: z.enum(['true', 'false']).default('false') });
export const transmitBody = z.strictObject({
  to_authority: text(200, 2),
  means: z.enum(keysOf(transmissionMeans)),
  reference: text(200).optional(),
  ...packageOptions,
});
export type TransmitInput = z.infer<typeof transmitBody>;

export const routingRuleBody = z.strictObject({
  priority: z.number().int().min(0).max(1_000_000),
  authority_type: z.enum(keysOf(authorityTypes)).nullable().default(null),
  state_code: stateCode.nullable().default(null),
  kind: z.enum(keysOf(complaintKinds)).nullable().default(null),
  institution_id: z.uuid(),
  description: text(200).optional(),
});
export type RoutingRuleInput = z.infer<typeof routingRuleBody>;

const perStatus = z.partialRecord(z.enum(statusKeys), z.number().int().min(1).max(36_500).nullable());
export const settingsBody = z.strictObject({
  default_unit: z.uuid().nullable().optional(),
  overdue_days: perStatus.optional(),
  retention_years: z.partialRecord(z.enum(statusKeys), z.number().min(0.01).max(100).nullable()).optional(),
});
export type SettingsInput = z.infer<typeof settingsBody>;

export const statisticsQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() });
