import { z } from 'zod';

/** Shapes shared by many endpoints. */
export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  details: z.unknown().optional(),
});

/** Names of encrypted fields that could not be decrypted (shown as null); the rest of the record is intact. */
export const unreadableFields = z.array(z.string()).describe('encrypted fields that could not be decrypted (their value is null), e.g. "summary" or "notes.<id>.body"');

export const uuid = z.uuid();
export const idParams = z.strictObject({ id: z.uuid() });
export const isoDate = z.iso.date();
export const countryCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 3166-1 alpha-3');
export const languageCode = z.string().regex(/^[a-z]{3}$/, 'ISO 639-3');
export const stateCode = z.string().regex(/^(0[1-9]|[12][0-9]|3[0-2])$/, 'INEGI state code 01-32');
export const municipalityCode = z.string().regex(/^\d{5}$/, 'INEGI municipality code (5 digits)');

/** Who did something, as a record's history shows it (null: an account since removed). */
export const userRefView = z.object({ id: z.uuid(), display_name: z.string() }).nullable();

/** A correction kept in a record's history (src/platform/corrections.ts): who, when, why, each field before and after. */
export const correctionView = z.object({
  at: z.date(),
  by: userRefView,
  reason: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});

export const paging = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

/**
 * Free text: trimmed, bounded, no control characters except new lines and tabs. The minimum is part
 * of this one string schema (not a later pipe), so that the OpenAPI document states it.
 */
export const text = (max: number, min = 1) =>
  z.string().trim().min(min).max(max).regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'control characters are not allowed');

export const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

type Unwrapped<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type PartialShape<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.ZodOptional<Unwrapped<S[K]>> };

/**
 * The body of a partial update (PATCH) from the fields of a create body: every field optional and
 * without its default. A default belongs to creation only; on a PATCH it would overwrite a stored
 * value with `[]` or `false` for every field that was not sent (issue 18: a correction of sex
 * emptied a person's nationalities, languages and documents).
 */
export function partialUpdateShape<S extends Record<string, z.ZodType>>(fields: S): PartialShape<S> {
  const out: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(fields)) {
    const base = schema instanceof z.ZodDefault ? (schema.removeDefault() as z.ZodType) : schema;
    out[key] = base.optional();
  }
  return out as PartialShape<S>;
}

/**
 * A file name as given by the uploader: no folders, no control characters (C0, DEL, C1) and no
 * bidirectional controls, with which `invoice\u202Efdp.exe` would show as `invoiceexe.pdf`.
 */
export const FILE_NAME_FORBIDDEN = /[\\/\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
export const fileName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\\/\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+$/, 'a file name without folders, control or bidirectional characters');

/** For names that arrive outside a schema (multipart forms): the forbidden characters replaced by `_`. */
export const neutraliseFileName = (name: string) => name.replace(new RegExp(FILE_NAME_FORBIDDEN.source, 'g'), '_');
