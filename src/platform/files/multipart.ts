import type { FastifyRequest } from 'fastify';
import { neutraliseFileName } from '../http/schemas.ts';
import type { RawFile } from './uploads.ts';

/**
 * A public page's multipart form (`@fastify/multipart` registered on its scope), read completely so
 * that the browser is never cut off mid-upload: text fields, files from the expected file fields,
 * and the problems (too large, too many, malformed) kept aside for the page to name.
 */
export type Parsed = {
  /** Each text field's last value; `lists` keeps every value of a repeated name (check boxes). */
  fields: Record<string, string>;
  lists: Record<string, string[]>;
  files: RawFile[]; unknown: string[]; problems: Array<{ reason: 'too_large' | 'too_many' | 'malformed'; filename: string }> };

/** Reads a multipart form completely (so the browser is never cut off mid-upload), keeping problems aside. */
export async function readMultipart(request: FastifyRequest, fieldNames: Set<string>, fileFields: Set<string>): Promise<Parsed> {
  const parsed: Parsed = { fields: {}, lists: {}, files: [], unknown: [], problems: [] };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        let bytes: Buffer;
        try {
          bytes = await part.toBuffer();
        } catch (error) {
          parsed.problems.push({ reason: (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? 'too_large' : 'malformed', filename: neutraliseFileName(part.filename ?? '') });
          continue;
        }
        if (!fileFields.has(part.fieldname)) parsed.unknown.push(part.fieldname);
        else if (part.filename || bytes.length) parsed.files.push({ filename: neutraliseFileName(part.filename ?? ''), declaredType: part.mimetype, bytes });
      } else {
        if (!fieldNames.has(part.fieldname)) parsed.unknown.push(part.fieldname);
        else {
          const value = typeof part.value === 'string' ? part.value : String(part.value ?? '');
          parsed.fields[part.fieldname] = value;
          (parsed.lists[part.fieldname] ??= []).push(value);
        }
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    parsed.problems.push({ reason: code === 'FST_FILES_LIMIT' ? 'too_many' : code === 'FST_REQ_FILE_TOO_LARGE' ? 'too_large' : 'malformed', filename: '' });
  }
  return parsed;
}

