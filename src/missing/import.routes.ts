import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorBody, errorResponses } from '../platform/http/schemas.ts';
import { AppError } from '../platform/errors.ts';
import { decodeUtf8 } from '../platform/csv.ts';
import { IMPORT_LIMITS, exportCsv, exportKinds, importCsv, importKinds, type ExportKind, type ImportKind } from './import.ts';

/**
 * Bulk CSV import and export (src/missing/import.ts, docs/missing-import.md). A module of its own so
 * that the text/csv body parser registered here applies to these routes only.
 */

const tags = ['missing persons'];

const importResult = z.object({
  kind: z.enum(importKinds),
  dry_run: z.boolean(),
  rows: z.number().int().describe('rows imported (or, on a dry run, rows that would be)'),
  created: z.array(z.object({ row: z.number().int(), external_id: z.string(), id: z.uuid(), folio: z.string().optional() })).describe('one entry per record written, by row of the file'),
});

const importSummary: Record<ImportKind, string> = {
  people: 'Import people from a CSV file (all rows or none; ?dry_run=true only validates)',
  reports: 'Import missing-person reports from a CSV file (all rows or none; ?dry_run=true only validates)',
  found: 'Import found records (persons found alive, remains) from a CSV file (all rows or none; ?dry_run=true only validates)',
};
const exportSummary: Record<ExportKind, string> = {
  reports: 'The institution’s missing-person reports as CSV, in the import format',
  found: 'The institution’s found records as CSV, in the import format',
};

const tooLarge = () => new AppError('import_too_large', { max: Math.floor(IMPORT_LIMITS.maxBytes / (1024 * 1024)) });

/** The body as text: at most IMPORT_LIMITS.maxBytes, strictly UTF-8 (a byte-order mark is dropped). */
async function readCsvBody(request: FastifyRequest, payload: AsyncIterable<Buffer>): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > IMPORT_LIMITS.maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += chunk.length;
    // Past the limit the rest is read and dropped, so that the client gets the 413 rather than a reset
    // connection; past four times the limit the connection is dropped.
    if (size > 4 * IMPORT_LIMITS.maxBytes) throw tooLarge();
    if (size <= IMPORT_LIMITS.maxBytes) chunks.push(chunk);
  }
  if (size > IMPORT_LIMITS.maxBytes) throw tooLarge();
  const text = decodeUtf8(Buffer.concat(chunks));
  if (text === null) throw new AppError('import_invalid_encoding');
  return text;
}

export async function missingImportRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  const { db, cipher } = context;
  const app = scope.withTypeProvider<ZodTypeProvider>();
  scope.addContentTypeParser('text/csv', (request: FastifyRequest, payload: NodeJS.ReadableStream) => readCsvBody(request, payload as AsyncIterable<Buffer>));

  for (const kind of importKinds) {
    app.post(
      `/api/v1/missing/import/${kind}`,
      {
        schema: {
          tags,
          summary: importSummary[kind],
          description:
            'The body is the CSV file itself (Content-Type: text/csv; UTF-8; comma or semicolon; a header row). ' +
            `At most ${IMPORT_LIMITS.maxRows} rows and ${IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB. If any row fails, nothing is written and ` +
            'the answer is 422 import_rejected with the report in `details.rows`: [{row, line, external_id, errors: [{column, code, message}]}]. ' +
            (kind === 'people' ? 'Needs people.write.' : 'Search officers and supervisors.') +
            ' Formats: docs/missing-import.md.',
          consumes: ['text/csv'],
          querystring: z.strictObject({ dry_run: z.enum(['true', 'false']).default('false') }),
          body: z.string().describe('the CSV file'),
          response: { 200: importResult, 201: importResult, 413: errorBody, 415: errorBody, 422: errorBody, ...errorResponses },
        },
        preValidation: async (request) => {
          const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          if (type !== 'text/csv') throw new AppError('unsupported_media_type');
          if (request.body === undefined || request.body === null) request.body = '';
        },
      },
      async (request, reply) => {
        const result = await importCsv(db, cipher, actorOf(request), kind, request.body, { dryRun: request.query.dry_run === 'true', language: request.lang });
        return reply.code(result.dry_run ? 200 : 201).send(result);
      },
    );
  }

  for (const kind of exportKinds) {
    app.get(
      `/api/v1/missing/export/${kind}.csv`,
      {
        schema: {
          tags,
          summary: exportSummary[kind],
          description: 'UTF-8 with a byte-order mark, comma-separated, CRLF; the columns of the import format, so that the file imports back as it is. Search officers and supervisors get all of the institution’s records, a caseworker the ones they recorded. Audited.',
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV file'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { csv } = await exportCsv(db, cipher, actorOf(request), kind);
        reply.header('content-disposition', `attachment; filename="amparo-${kind}-${new Date().toISOString().slice(0, 10)}.csv"`);
        return reply.type('text/csv; charset=utf-8').send(csv);
      },
    );
  }
}
