import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorBody, errorResponses } from '../platform/http/schemas.ts';
import { requireCapability } from '../platform/auth/policy.ts';
import { indicators, supportedDimensions } from './indicators.ts';
import { AGE_CUT_POINTS, DEFAULT_AGE_BANDS, dimensions } from './dimensions.ts';
import { gcmObjective } from './gcm.ts';
import { DEFAULT_MIN_CELL, MAX_DIMENSIONS, defaultPeriod, queryStatistics } from './query.ts';
import { localDate } from '../platform/dates.ts';
import { toCsv, toXlsx } from './export.ts';
import { buildReport } from './report.ts';
import { renderReportHtml, renderReportPdf } from './report.render.ts';
import { fieldsOf } from '../platform/fields.ts';

const short = (max: number) => z.string().trim().min(1).max(max);
const queryParams = {
  indicator: short(60),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  period: z.string().max(7).optional(),
  by: z.string().max(120).optional(),
  compare: z.enum(['previous']).optional(),
  programme: short(40).optional(),
  institution: short(12).optional(),
  age_bands: z.string().max(80).optional(),
  min_cell: z.coerce.number().int().min(1).max(1000).optional(),
};
const queryString = z.strictObject(queryParams);
const exportString = z.strictObject({ ...queryParams, format: z.enum(['csv', 'xlsx', 'json']).default('csv') });
const reportString = z.strictObject({
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  period: z.string().max(7).optional(),
  format: z.enum(['html', 'pdf', 'json']).default('html'),
  min_cell: z.coerce.number().int().min(1).max(1000).optional(),
});

const cell = z.object({
  key: z.record(z.string(), z.string().nullable()),
  value: z.number().nullable(),
  suppressed: z.boolean(),
  suppression: z.enum(['primary', 'complementary']).optional(),
  percent: z.number().nullable(),
  previous: z.number().nullable().optional(),
  previous_suppressed: z.boolean().optional(),
  change: z.number().nullable().optional(),
});
const period = z.object({ from: z.string(), to: z.string() });
const tableView = z.object({
  indicator: z.object({ key: z.string(), label: z.string(), unit: z.string(), definition: z.string(), date: z.string(), deduplication: z.string(), gcm: z.array(z.number()), hxl: z.string() }),
  period,
  previous_period: period.nullable(),
  by: z.array(z.string()),
  filters: z.object({ programme: z.string().nullable(), institution: z.string().nullable() }),
  dimensions: z.array(z.object({ key: z.string(), label: z.string(), hxl: z.string(), values: z.array(z.object({ value: z.string(), label: z.string() })) })),
  age_bands: z.array(z.string()),
  min_cell: z.number(),
  distinct_counts: z.boolean(),
  margins_note: z.string(),
  source: z.enum(['aggregates', 'records']),
  total: cell,
  cells: z.array(cell),
});

const labels = z.object({ es: z.string(), en: z.string() });
const indicatorList = z.object({
  indicators: z.array(
    z.object({
      key: z.string(),
      label: labels,
      unit: z.string(),
      definition: labels,
      date: labels,
      deduplication: labels,
      distinct: z.boolean(),
      disclosure_control: z.boolean(),
      hxl: z.string(),
      gcm: z.array(z.object({ objective: z.number(), label: labels, title: labels })),
      dimensions: z.array(z.string()),
    }),
  ),
  dimensions: z.array(z.object({ key: z.string(), label: labels })),
  max_dimensions: z.number(),
  min_cell: z.number(),
  age_cut_points: z.array(z.number()),
  default_age_bands: z.array(z.number()),
});

/** Statistics: indicator definitions, disaggregated tables, exports and period reports. Aggregates only. */
export function statisticsRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['statistics'];

  app.get(
    '/api/v1/statistics/default-period',
    { schema: { tags, summary: 'The period the screens open on: the last complete month with records in the user’s scope (null when none)', response: { 200: z.object({ period: z.object({ period: z.string(), from: z.string(), to: z.string() }).nullable() }), ...errorResponses } } },
    async (request) => ({ period: await defaultPeriod(db, actorOf(request), localDate()) }),
  );

  app.get('/api/v1/statistics/indicators', { schema: { tags, summary: 'Indicator definitions, with their GCM objectives and disaggregations', response: { 200: indicatorList, ...errorResponses } } }, async (request) => {
    requireCapability(actorOf(request), 'statistics.read');
    return {
      indicators: indicators.map((i) => ({
        ...fieldsOf(i, ['key', 'label', 'unit', 'definition', 'date', 'deduplication', 'distinct']),
        disclosure_control: i.disclosureControl,
        hxl: i.hxl,
        gcm: i.gcm.map(gcmObjective),
        dimensions: supportedDimensions(i, dimensions),
      })),
      dimensions: Object.values(dimensions).map((d) => ({ key: d.key, label: d.label })),
      max_dimensions: MAX_DIMENSIONS,
      min_cell: DEFAULT_MIN_CELL,
      age_cut_points: [...AGE_CUT_POINTS],
      default_age_bands: DEFAULT_AGE_BANDS,
    };
  });

  app.get('/api/v1/statistics/query', { schema: { tags, summary: 'One indicator for a period, by up to three dimensions, with margins and small cells suppressed', querystring: queryString, response: { 200: tableView, ...errorResponses } } }, async (request) =>
    queryStatistics(db, actorOf(request), request.query, { lang: request.lang }),
  );

  app.get('/api/v1/statistics/export', { schema: { tags, summary: 'The same table as CSV or XLSX (with an HXL hashtag row) or JSON', querystring: exportString, response: { 200: z.unknown().describe('CSV, XLSX or JSON file'), 400: errorBody, 401: errorBody, 403: errorBody } } }, async (request, reply) => {
    const { format, ...input } = request.query;
    const table = await queryStatistics(db, actorOf(request), input, { lang: request.lang, audit: { format } });
    const name = `amparo-${table.indicator.key}-${table.period.from}-${table.period.to}`;
    if (format === 'json') {
      reply.header('content-disposition', `attachment; filename="${name}.json"`);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(table) as never);
    }
    if (format === 'xlsx') {
      reply.header('content-disposition', `attachment; filename="${name}.xlsx"`);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(toXlsx(table, request.lang) as never);
    }
    reply.header('content-disposition', `attachment; filename="${name}.csv"`);
    return reply.type('text/csv; charset=utf-8').send(toCsv(table, request.lang) as never);
  });

  app.get('/api/v1/statistics/report', { schema: { tags, summary: 'Report for a period, by programme, in Spanish or English (?lang=), as HTML, PDF or JSON', querystring: reportString, response: { 200: z.unknown().describe('HTML, PDF or JSON report'), 400: errorBody, 401: errorBody, 403: errorBody } } }, async (request, reply) => {
    const { format, ...input } = request.query;
    const report = await buildReport(db, actorOf(request), input, { lang: request.lang, format });
    if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(report) as never);
    if (format === 'pdf') {
      reply.header('content-disposition', `attachment; filename="amparo-informe-${report.period.from}-${report.period.to}.pdf"`);
      return reply.type('application/pdf').send(renderReportPdf(report) as never);
    }
    return reply.type('text/html; charset=utf-8').send(renderReportHtml(report) as never);
  });
}
