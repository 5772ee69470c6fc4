import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorBody, errorResponses, fileName, idParams, page, paging } from '../platform/http/schemas.ts';
import { AppError } from '../platform/errors.ts';
import { decodeUtf8 } from '../platform/csv.ts';
import type { Language } from '../platform/i18n/messages.ts';
import { IMPORT_LIMITS, importKinds } from '../missing/import.ts';
import { createImportJob, getImportJob, importJobError, importJobReportCsv, importJobRows, importRunner, listImportJobs, type ImportJob } from './import-job.service.ts';

const tags = ['imports'];

const jobView = z.object({
  id: z.uuid(),
  kind: z.enum(importKinds),
  file_name: z.string(),
  skip_invalid: z.boolean(),
  status: z.enum(['queued', 'checking', 'writing', 'done', 'rejected', 'failed']),
  total_rows: z.number().int().nullable().describe('rows of the file, once checked'),
  rows_valid: z.number().int().nullable().describe('rows without errors, once checked: the rows to write'),
  rows_written: z.number().int(),
  rows_rejected: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: z.date(),
  finished_at: z.date().nullable(),
});

const toView = (job: ImportJob, language: Language): z.infer<typeof jobView> => ({
  id: job.id,
  kind: job.kind,
  file_name: job.file_name,
  skip_invalid: job.skip_invalid,
  status: job.status,
  total_rows: job.total_rows,
  rows_valid: job.rows_valid,
  rows_written: job.rows_written,
  rows_rejected: job.rows_rejected,
  error: importJobError(job, language),
  created_at: job.created_at,
  finished_at: job.finished_at,
});

const reportRow = z.object({
  row: z.number().int(),
  line: z.number().int().nullable(),
  external_id: z.string().nullable(),
  record_id: z.uuid().nullable(),
  folio: z.string().nullable(),
  errors: z.array(z.object({ column: z.string().nullable(), code: z.string(), message: z.string() })).nullable().describe('null: the row was accepted'),
});

/**
 * CSV imports from the administration screens, run in the background (src/imports/import-job.service.ts).
 * A module of its own so that its text/csv parser (the file as bytes, up to the import limit) applies here only.
 */
export async function importJobRoutes(scope: FastifyInstance, { db, cipher }: AppContext): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const runner = importRunner(db, cipher);
  scope.addHook('onClose', async () => runner.idle());
  scope.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: IMPORT_LIMITS.maxBytes }, (_request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: string) => void) => {
    const text = decodeUtf8(body);
    if (text === null) done(new AppError('import_invalid_encoding'));
    else done(null, text);
  });

  app.post(
    '/api/v1/imports',
    {
      schema: {
        tags,
        summary: 'Start a CSV import (administrators): answers at once; follow its progress with GET /api/v1/imports/{id}',
        description: `The body is the CSV file itself (Content-Type: text/csv), in the formats of docs/missing-import.md, at most ${IMPORT_LIMITS.maxRows} rows and ${IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB. With skip_invalid=true the rows with errors are left out and listed; otherwise one bad row means nothing is written.`,
        consumes: ['text/csv'],
        querystring: z.strictObject({ kind: z.enum(importKinds), skip_invalid: z.enum(['true', 'false']).default('false'), file_name: fileName.default('import.csv') }),
        body: z.string().describe('the CSV file'),
        response: { 202: jobView, 413: errorBody, 415: errorBody, ...errorResponses },
      },
      preValidation: async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'text/csv') throw new AppError('unsupported_media_type');
        if (request.body === undefined || request.body === null) request.body = '';
      },
    },
    async (request, reply) => {
      const file = Buffer.from(request.body);
      const job = await createImportJob(db, cipher, actorOf(request), { kind: request.query.kind, fileName: request.query.file_name, skipInvalid: request.query.skip_invalid === 'true', language: request.lang, file });
      runner.enqueue(job.id);
      return reply.status(202).send(toView(job, request.lang));
    },
  );

  app.get('/api/v1/imports', { schema: { tags, summary: 'The institution’s recent imports (last 20)', response: { 200: z.object({ items: z.array(jobView) }), ...errorResponses } } }, async (request) => ({
    items: (await listImportJobs(db, actorOf(request))).map((job) => toView(job, request.lang)),
  }));

  app.get('/api/v1/imports/:id', { schema: { tags, summary: 'An import’s status and progress', params: idParams, response: { 200: jobView, ...errorResponses } } }, async (request) =>
    toView(await getImportJob(db, actorOf(request), request.params.id), request.lang),
  );

  app.get(
    '/api/v1/imports/:id/rows',
    {
      schema: {
        tags,
        summary: 'An import’s report, row by row: accepted (with the record written) or rejected (with the reasons)',
        params: idParams,
        querystring: z.strictObject({ result: z.enum(['accepted', 'rejected']).optional(), ...paging }),
        response: { 200: page(reportRow), ...errorResponses },
      },
    },
    async (request) => importJobRows(db, actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/imports/:id/report.csv',
    { schema: { tags, summary: 'An import’s report as CSV (one line per accepted row, one per error of a rejected row)', params: idParams, produces: ['text/csv'], response: { 200: z.string().describe('CSV file'), ...errorResponses } } },
    async (request, reply) => {
      const { csv } = await importJobReportCsv(db, actorOf(request), request.params.id, request.lang);
      reply.header('content-disposition', `attachment; filename="amparo-import-${request.params.id.slice(0, 8)}.csv"`);
      return reply.type('text/csv; charset=utf-8').send(csv);
    },
  );
}
