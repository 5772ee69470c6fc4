import { z } from 'zod';
import { countryCode, isoDate, languageCode, municipalityCode, partialUpdateShape, stateCode, text, unreadableFields, userRefView } from '../platform/http/schemas.ts';
import { disabilities, documentTypes, genderIdentities, keysOf, sexes, vulnerabilities } from '../cases/vocabularies.ts';

export const nameText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  // Letters of any script, marks, spaces, apostrophes, hyphens and dots (Ma., K'iche'); no digits or markup.
  .regex(/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u, 'only letters, spaces, apostrophes, hyphens and dots');

export const identityDocument = z.strictObject({
  type: z.enum(keysOf(documentTypes)),
  number: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9 ./-]+$/, 'letters, digits, spaces, dots, slashes and hyphens'),
  issuer: countryCode.optional(),
});

export const contactDetails = z.strictObject({
  phone: z.string().trim().max(30).regex(/^\+?[0-9 ()-]{5,30}$/, 'phone number').optional(),
  email: z.email().max(254).optional(),
  address: text(300).optional(),
  notes: text(300).optional(),
});

const personFields = {
  given_names: nameText,
  surname1: nameText.nullable().optional(),
  surname2: nameText.nullable().optional(),
  other_names: z.array(nameText).max(10).default([]),
  sex: z.enum(keysOf(sexes)),
  gender_identity: z.enum(keysOf(genderIdentities)).nullable().optional(),
  date_of_birth: isoDate.nullable().optional(),
  estimated_age: z.number().int().min(0).max(120).nullable().optional(),
  age_estimated_on: isoDate.nullable().optional(),
  nationalities: z.array(countryCode).max(5).default([]),
  country_of_birth: countryCode.nullable().optional(),
  languages: z.array(languageCode).max(10).default([]),
  disabilities: z.array(z.enum(keysOf(disabilities))).max(5).default([]),
  vulnerabilities: z.array(z.enum(keysOf(vulnerabilities))).max(10).default([]),
  documents: z.array(identityDocument).max(10).default([]),
  contact: contactDetails.nullable().optional(),
  location_country: countryCode.nullable().optional(),
  location_state: stateCode.nullable().optional(),
  location_municipality: municipalityCode.nullable().optional(),
};

const today = () => new Date().toISOString().slice(0, 10);

const checkDates = (value: { date_of_birth?: string | null | undefined; estimated_age?: number | null | undefined; age_estimated_on?: string | null | undefined; location_state?: string | null | undefined; location_municipality?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (value.date_of_birth && value.date_of_birth > today()) ctx.addIssue({ code: 'custom', path: ['date_of_birth'], message: 'date_in_future' });
  if (value.date_of_birth && value.date_of_birth < '1900-01-01') ctx.addIssue({ code: 'custom', path: ['date_of_birth'], message: 'date_too_old' });
  if (value.date_of_birth && value.estimated_age != null) ctx.addIssue({ code: 'custom', path: ['estimated_age'], message: 'give either a date of birth or an estimated age' });
  if ((value.estimated_age == null) !== (value.age_estimated_on == null)) ctx.addIssue({ code: 'custom', path: ['age_estimated_on'], message: 'an estimated age needs the date it was estimated' });
  if (value.age_estimated_on && value.age_estimated_on > today()) ctx.addIssue({ code: 'custom', path: ['age_estimated_on'], message: 'date_in_future' });
  if (value.location_municipality && value.location_state && !value.location_municipality.startsWith(value.location_state)) {
    ctx.addIssue({ code: 'custom', path: ['location_municipality'], message: 'the municipality code must start with the state code' });
  }
};

export const newPersonBody = z.strictObject(personFields).superRefine(checkDates);
export type NewPerson = z.infer<typeof newPersonBody>;

export const personPatchBody = z
  .strictObject({ ...partialUpdateShape(personFields), reason: text(500).optional().describe('why the record is corrected (kept in its history)') })
  .superRefine(checkDates);
export type PersonPatch = z.infer<typeof personPatchBody>;

export const personView = z.object({
  id: z.uuid(),
  institution_id: z.uuid(),
  given_names: z.string(),
  surname1: z.string().nullable(),
  surname2: z.string().nullable(),
  other_names: z.array(z.string()),
  sex: z.string(),
  gender_identity: z.string().nullable(),
  date_of_birth: z.string().nullable(),
  estimated_age: z.number().nullable(),
  age_estimated_on: z.string().nullable(),
  nationalities: z.array(z.string()),
  country_of_birth: z.string().nullable(),
  languages: z.array(z.string()),
  disabilities: z.array(z.string()),
  vulnerabilities: z.array(z.string()),
  documents: z.array(z.object({ type: z.string(), number: z.string(), issuer: z.string().optional() })),
  contact: z.object({ phone: z.string().optional(), email: z.string().optional(), address: z.string().optional(), notes: z.string().optional() }).nullable(),
  location_country: z.string().nullable(),
  location_state: z.string().nullable(),
  location_municipality: z.string().nullable(),
  merged_into: z.uuid().nullable().describe('set when this record was merged into another (the record that was kept); such a record leaves searches'),
  created_at: z.date(),
  updated_at: z.date(),
  unreadable_fields: unreadableFields,
});
export type PersonView = z.infer<typeof personView>;

export const personSummary = z.object({
  id: z.uuid(),
  given_names: z.string(),
  surname1: z.string().nullable(),
  surname2: z.string().nullable(),
  sex: z.string(),
  date_of_birth: z.string().nullable(),
  estimated_age: z.number().nullable(),
  nationalities: z.array(z.string()),
});

export const personSearchQuery = z.strictObject({
  q: z.string().trim().min(2).max(200),
  date_of_birth: isoDate.optional(),
  sex: z.enum(keysOf(sexes)).optional(),
  nationality: countryCode.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const matchExplanation = z.object({
  field: z.string().describe('given_names, surname1, surname2, surname_order, name_order, date_of_birth, age, sex, nationality'),
  level: z.string().describe('agreement level, e.g. exact, variant, phonetic, fuzzy, initial, partial, disagree, missing, swapped'),
  weight: z.number().describe('log2 likelihood ratio contributed by this field'),
  detail: z.string().optional(),
});

export const personSearchResult = z.object({
  items: z.array(
    personSummary.extend({
      score: z.number().describe('probability in [0, 1] that this record is the person sought, given the query and all candidates (namesakes share it; the scores of one answer add up to at most 1; docs/search.md)'),
      match_weight: z.number().describe('sum of the field weights (log2 likelihood ratio)'),
      reasons: z.array(z.string()),
      explanation: z.array(matchExplanation),
    }),
  ),
});


export const personHistory = z.object({
  registered: z.object({ at: z.date(), by: userRefView }),
  corrections: z.array(
    z.object({
      at: z.date(),
      by: userRefView,
      reason: z.string().nullable(),
      changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown(), withheld: z.boolean().describe('identity documents and contact details, for users who may not read them') })),
    }),
  ),
});
