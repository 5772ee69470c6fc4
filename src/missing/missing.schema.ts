import { z } from 'zod';
import { countryCode, isoDate, languageCode, paging, stateCode, text, unreadableFields } from '../platform/http/schemas.ts';
import { keysOf, sexes } from '../cases/vocabularies.ts';
import { contactDetails, identityDocument, nameText } from '../people/person.schema.ts';

export const reportStatuses = ['active', 'located_alive', 'located_deceased', 'closed'] as const;
export const foundStatuses = ['unidentified', 'identified', 'closed'] as const;
export const reportChannels = ['in_person', 'phone', 'consulate', 'public_web'] as const;
export const foundConditions = ['alive', 'deceased'] as const;
export const foundSituations = ['rescued', 'shelter', 'hospital', 'migration_station', 'remains', 'other'] as const;
export const candidateStatuses = ['proposed', 'confirmed', 'rejected', 'superseded'] as const;

const today = () => new Date().toISOString().slice(0, 10);
const pastDate = isoDate.refine((d) => d <= today(), 'date_in_future').refine((d) => d >= '1900-01-01', 'date_too_old');
const age = z.number().int().min(0).max(120);
const height = z.number().int().min(40).max(230);

/** The person described, in a report or a found record. Names are optional: remains often have none. */
const describedPerson = {
  given_names: nameText.nullable().optional(),
  surname1: nameText.nullable().optional(),
  surname2: nameText.nullable().optional(),
  other_names: z.array(nameText).max(10).default([]),
  sex: z.enum(keysOf(sexes)),
  date_of_birth: pastDate.nullable().optional(),
  age_min: age.nullable().optional(),
  age_max: age.nullable().optional(),
  nationalities: z.array(countryCode).max(5).default([]),
  languages: z.array(languageCode).max(10).default([]),
  height_min_cm: height.nullable().optional(),
  height_max_cm: height.nullable().optional(),
  build: text(100).nullable().optional(),
  hair: text(100).nullable().optional(),
  eyes: text(100).nullable().optional(),
  marks: text(2000).nullable().optional(),
  clothing: text(2000).nullable().optional(),
  documents: z.array(identityDocument).max(10).default([]),
};

type Described = { date_of_birth?: string | null | undefined; age_min?: number | null | undefined; age_max?: number | null | undefined; height_min_cm?: number | null | undefined; height_max_cm?: number | null | undefined };

function checkDescribed(value: Described, ctx: z.RefinementCtx) {
  if (value.age_min != null && value.age_max != null && value.age_min > value.age_max) ctx.addIssue({ code: 'custom', path: ['age_max'], message: 'range_inverted' });
  if (value.height_min_cm != null && value.height_max_cm != null && value.height_min_cm > value.height_max_cm) ctx.addIssue({ code: 'custom', path: ['height_max_cm'], message: 'range_inverted' });
  if (value.date_of_birth && (value.age_min != null || value.age_max != null)) ctx.addIssue({ code: 'custom', path: ['age_min'], message: 'give either a date of birth or an age range' });
}

export const newReportBody = z
  .strictObject({
    ...describedPerson,
    channel: z.enum(reportChannels),
    external_id: z.string().trim().min(1).max(64).optional(),
    /** The date the age range refers to (defaults to the date last seen). */
    age_on: pastDate.nullable().optional(),
    dental_notes: text(2000).nullable().optional(),
    last_seen_on: pastDate.nullable().optional(),
    last_seen_country: countryCode.nullable().optional(),
    last_seen_state: stateCode.nullable().optional(),
    last_seen_place: text(300).nullable().optional(),
    route: text(300).nullable().optional(),
    circumstance: text(4000).nullable().optional(),
    reporter: z.strictObject({
      name: text(200),
      relationship: z.enum(['mother', 'father', 'child', 'sibling', 'spouse', 'partner', 'grandparent', 'other_relative', 'friend', 'other']),
      contact: contactDetails.nullable().optional(),
      country: countryCode.nullable().optional(),
    }),
    dna_reference_taken: z.boolean().default(false),
    dna_custodian: text(200).nullable().optional(),
  })
  .superRefine((value, ctx) => {
    checkDescribed(value, ctx);
    if (!value.given_names && !value.surname1 && !value.surname2) ctx.addIssue({ code: 'custom', path: ['given_names'], message: 'a report needs at least one name of the missing person' });
    if (value.dna_reference_taken && !value.dna_custodian) ctx.addIssue({ code: 'custom', path: ['dna_custodian'], message: 'say who keeps the reference sample' });
    if (value.date_of_birth && value.last_seen_on && value.last_seen_on < value.date_of_birth) ctx.addIssue({ code: 'custom', path: ['last_seen_on'], message: 'last seen before being born' });
  });
export type NewReport = z.infer<typeof newReportBody>;

export const newFoundBody = z
  .strictObject({
    ...describedPerson,
    external_id: z.string().trim().min(1).max(64).optional(),
    condition: z.enum(foundConditions),
    situation: z.enum(foundSituations),
    effects: text(2000).nullable().optional(),
    found_on: pastDate,
    found_country: countryCode.default('MEX'),
    found_state: stateCode.nullable().optional(),
    found_place: text(300).nullable().optional(),
    death_from: pastDate.nullable().optional(),
    death_to: pastDate.nullable().optional(),
    custodian_name: text(200).nullable().optional(),
    custodian_file_number: text(64).nullable().optional(),
    notes: text(4000).nullable().optional(),
  })
  .superRefine((value, ctx) => {
    checkDescribed(value, ctx);
    if (value.condition === 'alive' && (value.death_from || value.death_to)) ctx.addIssue({ code: 'custom', path: ['death_from'], message: 'a person found alive has no date of death' });
    if (value.death_from && value.death_to && value.death_from > value.death_to) ctx.addIssue({ code: 'custom', path: ['death_to'], message: 'range_inverted' });
    if (value.death_to && value.death_to > value.found_on) ctx.addIssue({ code: 'custom', path: ['death_to'], message: 'death estimated after the remains were found' });
    if (value.date_of_birth && value.found_on < value.date_of_birth) ctx.addIssue({ code: 'custom', path: ['found_on'], message: 'found before being born' });
  });
export type NewFound = z.infer<typeof newFoundBody>;

const describedView = {
  id: z.uuid(),
  institution_id: z.uuid(),
  folio: z.string(),
  external_id: z.string().nullable(),
  given_names: z.string().nullable(),
  surname1: z.string().nullable(),
  surname2: z.string().nullable(),
  other_names: z.array(z.string()),
  sex: z.string(),
  date_of_birth: z.string().nullable(),
  age_min: z.number().nullable(),
  age_max: z.number().nullable(),
  nationalities: z.array(z.string()),
  languages: z.array(z.string()),
  height_min_cm: z.number().nullable(),
  height_max_cm: z.number().nullable(),
  build: z.string().nullable(),
  hair: z.string().nullable(),
  eyes: z.string().nullable(),
  marks: z.string().nullable(),
  clothing: z.string().nullable(),
  documents: z.array(z.object({ type: z.string(), number: z.string(), issuer: z.string().optional() })),
  created_at: z.date(),
  updated_at: z.date(),
  unreadable_fields: unreadableFields,
};

export const reportView = z.object({
  ...describedView,
  channel: z.string(),
  status: z.enum(reportStatuses),
  age_on: z.string().nullable(),
  dental_notes: z.string().nullable(),
  last_seen_on: z.string().nullable(),
  last_seen_country: z.string().nullable(),
  last_seen_state: z.string().nullable(),
  last_seen_place: z.string().nullable(),
  route: z.string().nullable(),
  circumstance: z.string().nullable(),
  reporter: z.object({ name: z.string().nullable(), relationship: z.string().nullable(), contact: z.record(z.string(), z.string()).nullable(), country: z.string().nullable() }),
  dna_reference_taken: z.boolean(),
  dna_custodian: z.string().nullable(),
  located_found_id: z.string().nullable(),
  located_person_id: z.string().nullable(),
});
export type ReportView = z.infer<typeof reportView>;

export const foundView = z.object({
  ...describedView,
  condition: z.enum(foundConditions),
  situation: z.enum(foundSituations),
  status: z.enum(foundStatuses),
  effects: z.string().nullable(),
  found_on: z.string(),
  found_country: z.string(),
  found_state: z.string().nullable(),
  found_place: z.string().nullable(),
  death_from: z.string().nullable(),
  death_to: z.string().nullable(),
  custodian_name: z.string().nullable(),
  custodian_file_number: z.string().nullable(),
  notes: z.string().nullable(),
  identified_report_id: z.string().nullable(),
});
export type FoundView = z.infer<typeof foundView>;

export const reportCreated = z.object({ report: reportView, folio: z.string(), receipt: z.string().describe('Shown once: the family’s access code. Stored only as an argon2id hash.') });

export const listQuery = z.strictObject({
  ...paging,
  status: z.string().regex(/^[a-z_]+$/).optional(),
  state: stateCode.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

const listItem = z.object({
  id: z.uuid(),
  folio: z.string(),
  name: z.string(),
  sex: z.string(),
  status: z.string(),
  state: z.string().nullable(),
  date: z.string().nullable(),
  institution_id: z.uuid(),
  open_candidates: z.number().int(),
});
export const listPage = z.object({ items: z.array(listItem), total: z.number().int(), limit: z.number().int(), offset: z.number().int(), by_state: z.array(z.object({ state: z.string().nullable(), count: z.number().int() })) });

export const candidateQuery = z.strictObject({ ...paging, status: z.enum(candidateStatuses).default('proposed') });

const explanationItem = z.object({
  field: z.string(),
  level: z.string(),
  weight: z.number(),
  detail: z.string().optional(),
  /** The evidence in words (src/missing/evidence.ts `inWords`): a phrase key, its direction and strength 0-3. */
  phrase: z.string(),
  direction: z.enum(['for', 'against', 'neutral']),
  strength: z.number().int().min(0).max(3),
});
const candidateSummary = z.object({
  id: z.uuid(),
  status: z.enum(candidateStatuses),
  probability: z.number(),
  weight: z.number(),
  times_proposed: z.number().int(),
  proposed_at: z.date(),
  reviewed_at: z.date().nullable(),
  report: z.object({ id: z.uuid(), folio: z.string(), name: z.string(), institution_id: z.uuid() }),
  found: z.object({ id: z.uuid(), folio: z.string(), name: z.string(), condition: z.string(), institution_id: z.uuid() }),
});
export const candidatePage = z.object({ items: z.array(candidateSummary), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
export const candidateView = candidateSummary.extend({
  explanation: z.array(explanationItem),
  report_record: reportView.omit({ reporter: true, dental_notes: true, circumstance: true }).extend({ reporter: z.object({ relationship: z.string().nullable(), country: z.string().nullable() }) }),
  found_record: foundView.omit({ notes: true }),
  review_note: z.string().nullable(),
});

/**
 * The reports a found record is compared with, ranked by likelihood ratio (matching.ts
 * `consistentReports`): for nameless remains, every open report sharing a specific mark whose sex, age,
 * height and timeline fit. No names: the reviewer compares descriptions, and a pair worth a closer look
 * opens from the review queue (`candidate`) when it is there.
 */
export const consistentReportsQuery = z.strictObject({ ...paging });
export const consistentReportsPage = z.object({
  found_id: z.uuid(),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(
    z.object({
      rank: z.number().int(),
      /** log2 of the likelihood ratio: how many times more likely this evidence is if the two are one person. */
      weight: z.number(),
      report: z.object({ id: z.uuid(), folio: z.string(), institution_name: z.string(), sex: z.string(), last_seen_on: z.string().nullable(), last_seen_state: z.string().nullable() }),
      candidate: z.object({ id: z.uuid(), status: z.enum(candidateStatuses), probability: z.number() }).nullable(),
      explanation: z.array(explanationItem),
    }),
  ),
});

export const personCandidateList = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      status: z.enum(candidateStatuses),
      probability: z.number(),
      weight: z.number(),
      explanation: z.array(explanationItem),
      proposed_at: z.date(),
      reviewed_at: z.date().nullable(),
      person: z.object({ id: z.uuid(), name: z.string(), sex: z.string(), date_of_birth: z.string().nullable(), nationalities: z.array(z.string()) }),
    }),
  ),
});

export const reviewBody = z.strictObject({ decision: z.enum(['confirm', 'reject']), note: text(2000).optional() });
export const messageBody = z.strictObject({ body: text(4000) });
export const statusBody = z.strictObject({ status: z.enum(['active', 'closed']), note: text(2000).optional() });

export const familyLookupBody = z.strictObject({ folio: z.string().trim().min(4).max(40), receipt: z.string().trim().min(4).max(40) });
export const familyView = z.object({
  folio: z.string(),
  status: z.enum(['active', 'located_alive', 'news', 'closed']),
  reported_on: z.string(),
  messages: z.array(z.object({ author: z.enum(['officer', 'family']), body: z.string(), at: z.date() })),
});
