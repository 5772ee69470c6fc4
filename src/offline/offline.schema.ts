import { z } from 'zod';
import { newPersonBody, personPatchBody, personSummary } from '../people/person.schema.ts';
import { newCaseBody, noteInput, serviceInput } from '../cases/case.schema.ts';
import { crimeTypes, keysOf, rightsViolations } from '../cases/vocabularies.ts';
import { fileName, text } from '../platform/http/schemas.ts';

/** The key a device gives each queued write: random, chosen once, sent with every retry of that write. */
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{16,100}$/);

const madeAt = z.iso.datetime({ offset: true }).describe('when the write was made on the device (its clock); recorded in the audit log, bounded to the offline window');
const version = z.iso.datetime({ offset: true }).describe('the record’s `updated_at` as the device last saw it');

/** A case's fields a device may change offline (its summary and classifications; status and assignment need the server). */
export const offlineCasePatch = z.strictObject({
  summary: text(10_000).nullable().optional(),
  crime_types: z.array(z.enum(keysOf(crimeTypes))).max(10).optional(),
  rights_violations: z.array(z.enum(keysOf(rightsViolations))).max(10).optional(),
});

/**
 * The writes a device can queue offline. Every record's id is chosen on the device (a case opened
 * offline names a person registered offline by that id); updates carry the version the device saw and
 * the values it started from, so that a change made meanwhile on the server is never overwritten.
 */
export const offlineWrite = z.discriminatedUnion('operation', [
  z.strictObject({ operation: z.literal('person.create'), id: z.uuid(), made_at: madeAt, data: newPersonBody }),
  z.strictObject({ operation: z.literal('person.update'), id: z.uuid(), made_at: madeAt, base_version: version, base: z.record(z.string(), z.unknown()).describe('the values of the changed fields as the device last saw them'), data: personPatchBody }),
  z.strictObject({ operation: z.literal('case.create'), id: z.uuid(), made_at: madeAt, data: newCaseBody }),
  z.strictObject({ operation: z.literal('case.update'), id: z.uuid(), made_at: madeAt, base_version: version, base: z.record(z.string(), z.unknown()), data: offlineCasePatch }),
  z.strictObject({ operation: z.literal('service.create'), id: z.uuid(), made_at: madeAt, case_id: z.uuid(), data: serviceInput }),
  z.strictObject({ operation: z.literal('note.create'), id: z.uuid(), made_at: madeAt, case_id: z.uuid(), data: noteInput }),
  z.strictObject({
    operation: z.literal('attachment.create'),
    id: z.uuid(),
    made_at: madeAt,
    case_id: z.uuid(),
    data: z.strictObject({
      filename: fileName,
      media_type: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
      content_base64: z.string().min(4).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
    }),
  }),
]);
export type OfflineWrite = z.infer<typeof offlineWrite>;

export const offlineResult = z.object({
  operation: z.string(),
  id: z.uuid().describe('the record written (the device’s id)'),
  folio: z.string().optional().describe('a case’s folio, numbered by the server on arrival'),
  version: z.string().optional().describe('the record’s new `updated_at`, for the device’s next update'),
  possible_duplicates: z.number().int().optional().describe('people of the institution the server found may be the same as the person registered (proposed to the supervisors’ de-duplication screen)'),
});
export type OfflineResult = z.infer<typeof offlineResult>;

/** What a 409 `offline_conflict` carries in `details`: each field changed on both sides. */
export const conflictDetails = z.object({
  server_version: z.string(),
  fields: z.array(z.object({ field: z.string(), base: z.unknown(), server: z.unknown(), yours: z.unknown() })),
});
export type ConflictDetails = z.infer<typeof conflictDetails>;

const caseForDevice = z.object({
  id: z.uuid(),
  folio: z.string(),
  programme: z.string(),
  status: z.string(),
  opened_on: z.string(),
  version: z.string(),
  summary: z.string().nullable(),
  crime_types: z.array(z.string()),
  rights_violations: z.array(z.string()),
  participants: z.array(z.object({ role: z.string(), person: personSummary })),
  services: z.array(z.object({ id: z.uuid(), person_id: z.uuid(), service_type: z.string(), provided_on: z.string() })),
  notes: z.number().int(),
  attachments: z.number().int(),
});

export const offlineSnapshot = z.object({
  offline_days: z.number().int().describe('the device opens offline for this many days after the last sign-in, and wipes its store after this many days without the server'),
  taken_at: z.string(),
  cases: z.array(caseForDevice).describe('the cases the user worked on or was assigned recently, that she may still see'),
  people: z.array(personSummary.extend({ version: z.string() })).describe('the people of those cases, and those she registered recently: the device checks new registrations against them'),
});
