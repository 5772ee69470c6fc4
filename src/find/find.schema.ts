import { z } from 'zod';

export const findQuery = z.strictObject({
  q: z.string().trim().min(2).max(200).describe('a name (with a date of birth such as 1990-04-12 or 12/04/1990, and "mujer"/"hombre", if known) or a folio'),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

const participant = z.object({ person_id: z.uuid(), name: z.string(), role: z.string() });

export const findResult = z.object({
  understood: z.object({
    name: z.boolean().describe('whether words were searched as a name (the words are not echoed: the screen has them)'),
    date_of_birth: z.string().nullable(),
    sex: z.string().nullable(),
    folios: z.array(z.string()),
  }),
  people: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      sex: z.string(),
      age: z.number().nullable(),
      age_is_estimate: z.boolean(),
      date_of_birth: z.string().nullable(),
      nationalities: z.array(z.string()),
      score: z.number().describe('match probability given the query'),
    }),
  ),
  cases: z.array(z.object({ id: z.uuid(), folio: z.string(), programme: z.string(), status: z.string(), opened_on: z.string(), participants: z.array(participant) })),
  complaints: z.array(z.object({ id: z.uuid(), folio: z.string(), kind: z.string(), status: z.string(), received_at: z.date() })),
  missing: z.array(z.object({ id: z.uuid(), kind: z.enum(['report', 'found']), folio: z.string(), name: z.string(), sex: z.string(), status: z.string(), date: z.string().nullable() })),
});
export type FindResult = z.infer<typeof findResult>;
