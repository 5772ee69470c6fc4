import { z } from 'zod';
import { page, paging, text } from '../platform/http/schemas.ts';
import { matchExplanation, personSummary } from './person.schema.ts';

/** A record as the de-duplication screen shows it, side by side with the other. */
export const duplicatePerson = personSummary.extend({
  other_names: z.array(z.string()),
  age_estimated_on: z.string().nullable(),
  case_count: z.number().int().describe("case files of the institution in which the person takes part"),
  created_at: z.date(),
});

export const duplicatePair = z.object({
  person_a: duplicatePerson,
  person_b: duplicatePerson,
  score: z.number().describe('calibrated match probability in [0, 1] (docs/search.md)'),
  match_weight: z.number().describe('sum of the field weights (log2 likelihood ratio)'),
  explanation: z.array(matchExplanation),
  suggested_survivor_id: z.uuid().describe('the record with more case files (else the older one): a suggestion, the supervisor chooses'),
});

export const duplicatesQuery = z.strictObject({
  ...paging,
  limit: z.coerce.number().int().min(1).max(50).default(10),
  min_score: z.coerce.number().min(0.5).max(1).default(0.5).describe('smallest match probability proposed'),
});

export const duplicatesPage = page(duplicatePair).extend({
  pending: z.number().int().describe('records changed recently and not yet compared: more pairs may appear on a later call'),
});

export const dismissBody = z
  .strictObject({ person_a: z.uuid(), person_b: z.uuid() })
  .describe('Records that are not the same person: the pair is never proposed again.');

export const mergeBody = z.strictObject({
  survivor_id: z.uuid().describe('the record that is kept'),
  duplicate_id: z.uuid().describe('the record merged into it (kept, hidden, restorable)'),
  reason: text(1000).describe('why these records are the same person'),
});

export const undoBody = z.strictObject({ reason: text(1000).describe('why the merge is undone') });

const userRef = z.object({ id: z.uuid(), display_name: z.string() }).nullable();

export const mergeView = z.object({
  id: z.uuid(),
  survivor: personSummary,
  duplicate: personSummary,
  reason: z.string(),
  score: z.number().nullable().describe('match probability of the pair when merged'),
  moved: z.record(z.string(), z.number().int()).describe('rows moved to the survivor, per table'),
  set_aside: z.record(z.string(), z.number().int()).describe('rows of the duplicate set aside because the survivor already had one for the same case, per table (restored on undo)'),
  case_count: z.number().int().describe('case files whose participants changed'),
  merged_by: userRef,
  merged_at: z.date(),
  undone_by: userRef,
  undone_at: z.date().nullable(),
  undo_reason: z.string().nullable(),
  can_undo: z.boolean().describe('false once undone, or while the survivor is itself merged into another record'),
});
export type MergeView = z.infer<typeof mergeView>;

export const mergesQuery = z.strictObject({ ...paging });
export const mergesPage = page(mergeView);
