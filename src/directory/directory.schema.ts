import { z } from 'zod';
import { isoDate, municipalityCode, partialUpdateShape, stateCode, text } from '../platform/http/schemas.ts';
import { languageCodes, phoneTypes, serviceStatuses, weekdays } from './vocabularies.ts';

/** The staff API's shapes: what a directory editor writes and what editors and reviewers read. */

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24 hours');

export const phoneInput = z.strictObject({ number: z.string().trim().regex(/^\+?[0-9 ()-]{3,40}$/, 'digits, spaces, ( ) - and a leading +'), type: z.enum(phoneTypes).default('voice'), description: text(300).optional() });
export const scheduleInput = z
  .strictObject({ days: z.array(z.enum(weekdays)).min(1).max(7), opens_at: time, closes_at: time, description: text(500).optional() })
  .refine((s) => s.opens_at < s.closes_at, { message: 'opens_at must be before closes_at', path: ['closes_at'] });
export const locationInput = z.strictObject({
  name: text(300).optional(),
  address_1: text(300),
  state_code: stateCode,
  municipality_code: municipalityCode,
  postal_code: z.string().regex(/^\d{5}$/, 'código postal de 5 dígitos').optional(),
  transportation: text(4000).optional().describe('how to get there, in words'),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});

const serviceFields = {
  name: text(300),
  alternate_name: text(300).optional(),
  description: text(4000),
  url: z.url().max(500).optional(),
  email: z.email().max(300).optional(),
  status: z.enum(serviceStatuses).default('active'),
  application_process: text(4000).optional().describe('what happens on arrival, how to ask for the service'),
  free: z.boolean().default(true),
  fees_description: text(2000).optional(),
  eligibility_description: text(2000).optional(),
  minimum_age: z.number().int().min(0).max(120).optional(),
  maximum_age: z.number().int().min(0).max(120).optional(),
  required_documents: z.array(text(200)).max(20).default([]).describe('what to bring'),
  alert: text(1000).optional(),
  capacity_maximum: z.number().int().min(0).max(100_000).optional().describe('beds of a shelter (HSDS 3.1 service_capacity)'),
  capacity_available: z.number().int().min(0).max(100_000).optional(),
  categories: z.array(z.string().regex(/^[a-z_]{2,40}$/)).min(1).max(10).describe('taxonomy term codes'),
  languages: z.array(z.enum(languageCodes)).max(15).default([]),
  phones: z.array(phoneInput).max(10).default([]),
  schedules: z.array(scheduleInput).max(14).default([]),
  location: locationInput,
};

const ageRule = (s: { minimum_age?: number | undefined; maximum_age?: number | undefined }) => s.minimum_age === undefined || s.maximum_age === undefined || s.minimum_age <= s.maximum_age;
const capacityRule = (s: { capacity_maximum?: number | undefined; capacity_available?: number | undefined }) => s.capacity_maximum === undefined || s.capacity_available === undefined || s.capacity_available <= s.capacity_maximum;

export const serviceInput = z
  .strictObject(serviceFields)
  .refine(ageRule, { message: 'minimum_age must not exceed maximum_age', path: ['maximum_age'] })
  .refine(capacityRule, { message: 'capacity_available must not exceed capacity_maximum', path: ['capacity_available'] });
export type ServiceInput = z.infer<typeof serviceInput>;

export const servicePatch = z
  .strictObject(partialUpdateShape(serviceFields))
  .refine(ageRule, { message: 'minimum_age must not exceed maximum_age', path: ['maximum_age'] })
  .refine(capacityRule, { message: 'capacity_available must not exceed capacity_maximum', path: ['capacity_available'] });
export type ServicePatch = z.infer<typeof servicePatch>;

export const verifyInput = z.strictObject({ capacity_available: z.number().int().min(0).max(100_000).optional() });
export const returnInput = z.strictObject({ note: text(2000) });

export const reviewStates = ['draft', 'pending', 'published'] as const;
export const listQuery = z.strictObject({
  state: z.enum(reviewStates).optional(),
  stale: z.enum(['true', 'false']).optional().describe('only entries not verified for 6 months'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const serviceListItem = z.object({
  id: z.uuid(),
  name: z.string(),
  organization: z.string(),
  municipality: z.string(),
  state_code: z.string(),
  categories: z.array(z.string()),
  review_state: z.enum(reviewStates),
  verified_on: isoDate.nullable(),
  stale: z.boolean().describe('not verified for 6 months (or never)'),
  updated_at: z.string(),
  changed_by_me: z.boolean(),
});

export const serviceView = z.object({
  id: z.uuid(),
  organization: z.object({ id: z.uuid(), name: z.string() }),
  name: z.string(),
  alternate_name: z.string().nullable(),
  description: z.string(),
  url: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(serviceStatuses),
  application_process: z.string().nullable(),
  free: z.boolean(),
  fees_description: z.string().nullable(),
  eligibility_description: z.string().nullable(),
  minimum_age: z.number().int().nullable(),
  maximum_age: z.number().int().nullable(),
  required_documents: z.array(z.string()),
  alert: z.string().nullable(),
  capacity_maximum: z.number().int().nullable(),
  capacity_available: z.number().int().nullable(),
  capacity_updated_at: z.string().nullable(),
  categories: z.array(z.string()),
  languages: z.array(z.string()),
  phones: z.array(z.object({ number: z.string(), type: z.enum(phoneTypes), description: z.string().nullable() })),
  schedules: z.array(z.object({ days: z.array(z.enum(weekdays)), opens_at: z.string(), closes_at: z.string(), description: z.string().nullable() })),
  location: z.object({
    name: z.string().nullable(),
    address_1: z.string(),
    city: z.string(),
    state_code: z.string(),
    municipality_code: z.string().nullable(),
    postal_code: z.string(),
    transportation: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
  }),
  review_state: z.enum(reviewStates),
  review_note: z.string().nullable(),
  verified_on: isoDate.nullable(),
  stale: z.boolean(),
  published_at: z.string().nullable(),
  updated_at: z.string(),
  changed_by_me: z.boolean(),
});
export type ServiceView = z.infer<typeof serviceView>;

export const vocabulariesView = z.object({
  categories: z.array(z.object({ code: z.string(), es: z.string(), en: z.string() })),
  languages: z.array(z.object({ code: z.string(), es: z.string(), en: z.string() })),
  places: z.array(z.object({ code: z.string(), state: z.string(), name: z.string() })),
});
