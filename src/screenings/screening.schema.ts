import { z } from 'zod';
import { referralInput } from '../cases/case.schema.ts';
import { text, unreadableFields } from '../platform/http/schemas.ts';
import { instrumentDefinition, instrumentLanguages, localized } from './definition.ts';

/** An answer as sent and shown: a choice, several choices, a whole number, a date or free text. */
const answerValue = z.union([z.string().max(4000), z.number().int(), z.array(z.string().max(60)).max(30)]);

export const instrumentList = z.array(
  z.object({
    code: z.string(),
    title: localized,
    description: localized,
    basis: localized,
    intended_for: z.enum(['anyone', 'women', 'children']),
    latest: z.object({ id: z.uuid(), version: z.number().int(), languages: z.array(z.string()) }),
    versions: z.array(z.object({ id: z.uuid(), version: z.number().int(), shipped: z.boolean(), languages: z.array(z.string()), created_at: z.string() })),
  }),
);

export const instrumentVersionView = z.object({ id: z.uuid(), version: z.number().int(), languages: z.array(z.string()), shipped: z.boolean(), created_at: z.string(), definition: instrumentDefinition });

export const instrumentAdded = z.object({ id: z.uuid(), code: z.string(), version: z.number().int() });

export const startScreeningBody = z.strictObject({
  instrument: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/),
  person_id: z.uuid(),
  /** The language to ask in; by default the person's own where the instrument has it. */
  language: z.enum(instrumentLanguages).optional(),
});

export const caseScreenings = z.array(
  z.object({
    id: z.uuid(),
    instrument: z.object({ code: z.string(), version: z.number().int(), title: localized }),
    person: z.object({ id: z.uuid(), name: z.string() }),
    status: z.enum(['in_progress', 'completed']),
    language: z.string(),
    flags: z.array(z.string()),
    started_at: z.string(),
    completed_at: z.string().nullable(),
  }),
);

export const answersBody = z.strictObject({
  answers: z
    .array(z.strictObject({ question_id: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/), value: answerValue.nullable() }))
    .min(1)
    .max(200),
});

export const screeningView = z.object({
  id: z.uuid(),
  case: z.object({ id: z.uuid(), folio: z.string() }),
  person: z.object({ id: z.uuid(), name: z.string(), sex: z.string() }),
  status: z.enum(['in_progress', 'completed']),
  language: z.string(),
  started_at: z.string(),
  completed_at: z.string().nullable(),
  instrument: z.object({ code: z.string(), version: z.number().int(), version_id: z.uuid(), languages: z.array(z.string()), latest_version: z.number().int() }),
  definition: instrumentDefinition,
  answers: z.array(z.object({ question_id: z.string(), value: answerValue })),
  result: z.object({
    visible: z.array(z.string()),
    missing: z.array(z.string()),
    scores: z.array(z.object({ id: z.string(), points: z.number() })),
    flags: z.array(z.object({ id: z.string(), severity: z.enum(['high', 'medium']), because: z.array(z.string()) })),
    suggestions: z.array(z.object({ id: z.string(), destinations: z.array(z.object({ institution_id: z.uuid(), name: z.string(), type: z.string(), state_code: z.string().nullable() })) })),
  }),
  referrals: z.array(z.object({ suggestion_id: z.string(), referral_id: z.uuid(), status: z.string(), to_institution_name: z.string(), created_at: z.string() })),
  unreadable_fields: unreadableFields,
});

export const completed = z.object({ flags: z.array(z.string()) });

export const screeningReferralBody = referralInput.omit({ reason: true }).extend({
  suggestion_id: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/),
  /** By default the suggestion's own label and reason. */
  reason: text(2000, 3).optional(),
});
