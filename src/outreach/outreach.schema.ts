import { z } from 'zod';
import { countryCode, isoDate, municipalityCode, paging, partialUpdateShape, stateCode, text } from '../platform/http/schemas.ts';
import { keysOf, programmes } from '../cases/vocabularies.ts';
import { attendanceAgeBands, attendanceSexes, eventKinds, eventTopics } from './vocabularies.ts';

/** One cell of the attendance: how many people of one sex and age band came. */
export const attendanceCell = z.strictObject({
  sex: z.enum(keysOf(attendanceSexes)),
  age_band: z.enum(keysOf(attendanceAgeBands)),
  attendees: z.number().int().min(1).max(1_000_000),
});

const eventFields = {
  title: text(200),
  kind: z.enum(keysOf(eventKinds)),
  topic: z.enum(keysOf(eventTopics)),
  programme: z.enum(keysOf(programmes)),
  held_on: isoDate,
  /** Where: in Mexico a state (and optionally a municipality of it); abroad the country and the city. */
  country: countryCode,
  state_code: stateCode.nullable().optional(),
  municipality_code: municipalityCode.nullable().optional(),
  city: text(120).nullable().optional(),
  venue: text(200).nullable().optional(),
  /** The attendance by sex and age band (empty for an event still to come); each cell once. */
  attendance: z.array(attendanceCell).max(24).default([]),
};

export const newEventBody = z.strictObject(eventFields);
export type NewEvent = z.infer<typeof newEventBody>;

/** A correction: the fields sent change; `attendance`, when sent, replaces the whole attendance. */
export const eventPatchBody = z.strictObject(partialUpdateShape(eventFields));
export type EventPatch = z.infer<typeof eventPatchBody>;

export const deleteEventBody = z.strictObject({ reason: text(500) });

export const attendeeBody = z.strictObject({ person_id: z.uuid() });
export const attendeeParams = z.strictObject({ id: z.uuid(), personId: z.uuid() });

export const eventListQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  kind: z.enum(keysOf(eventKinds)).optional(),
  topic: z.enum(keysOf(eventTopics)).optional(),
  ...paging,
});

const eventSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  kind: z.string(),
  topic: z.string(),
  programme: z.string(),
  held_on: z.string(),
  country: z.string(),
  state_code: z.string().nullable(),
  municipality_code: z.string().nullable(),
  city: z.string().nullable(),
  venue: z.string().nullable(),
  attendees_total: z.number().int(),
});
export type EventSummary = z.infer<typeof eventSummary>;

export const eventList = z.object({ items: z.array(eventSummary), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const eventView = eventSummary.extend({
  institution: z.object({ id: z.uuid(), name: z.string() }),
  attendance: z.array(attendanceCell),
  /** People recorded as attending, for follow-up; only for those who may read people (else absent). */
  attendees: z.array(z.object({ person_id: z.uuid(), name: z.string(), added_at: z.string() })).optional(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Whether the actor may correct or delete it (its author, or a supervisor of the institution). */
  can_edit: z.boolean(),
});
export type EventView = z.infer<typeof eventView>;

export const dashboardQuery = z.strictObject({ period: z.enum(['month', 'quarter', 'year']).default('month') });

const counts = z.record(z.string(), z.number().int());
export const unitDashboard = z.object({
  institution: z.object({ name: z.string(), type: z.string(), country: z.string() }),
  period: z.object({ from: z.string(), to: z.string() }),
  cases: z.object({
    opened: z.number().int(),
    open_now: z.number().int(),
    by_programme: counts,
    referrals_sent: z.number().int(),
    referrals_received_pending: z.number().int(),
  }),
  events: z.object({
    held: z.number().int(),
    attendees: z.number().int(),
    by_sex: counts,
    by_age_band: counts,
    by_topic: counts,
    by_kind: counts,
    recent: z.array(eventSummary),
    upcoming: z.array(eventSummary),
  }),
});
export type UnitDashboard = z.infer<typeof unitDashboard>;
