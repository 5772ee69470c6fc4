import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { dateInWords } from '../platform/dates.ts';
import { ageBands, DEFAULT_AGE_BANDS, type DimensionKey, type Lang } from './dimensions.ts';
import { countries } from './geography.ts';
import { indicatorByKey } from './indicators.ts';
import { buildTable, subtree, type Cell, type Filters, type Period, type StatisticsTable } from './query.ts';
import { formatNumber, reportMessages, type Figure, type Part } from './report.messages.ts';
import { resourceMessages } from './report.resources.messages.ts';
import type { ReportSection } from './report-section.ts';

/**
 * The report's sections for the figures that are not of a case programme (indicators.resources.ts):
 * a programme's resources on the period's last day, the rescues and transfers of the period, persons
 * found alive, and the case files opened through consulates still open on the last day. One section
 * per kind and reporting organisation (the top institution in the reader's scope), after the others.
 */
type Root = { id: string; code: string; name: string };
type Input = { db: Db; period: Period; lang: Lang; minCell: number; periodText: string; inScope: (id: string) => boolean; rootOf: (id: string) => Root };
type Ctx = Input & { code: string; filters: Filters };

function href(ctx: Ctx, indicator: string, by: DimensionKey[] = []): string {
  const params = new URLSearchParams({ indicator, from: ctx.period.from, to: ctx.period.to, institution: ctx.code });
  if (by.length) params.set('by', by.join(','));
  params.set('lang', ctx.lang);
  return `/api/v1/statistics/query?${params.toString()}`;
}

function figure(ctx: Ctx, cell: Cell | undefined, indicator: string, by: DimensionKey[] = []): Figure {
  const m = reportMessages[ctx.lang];
  const hidden = cell?.suppressed ?? false;
  const value = cell?.value ?? 0;
  return { kind: 'figure', text: hidden ? (cell?.suppression === 'primary' ? m.fewerThan(ctx.minCell) : m.withheld) : formatNumber(value), value: hidden ? null : value, href: href(ctx, indicator, by) };
}

const table = (ctx: Ctx, indicator: string, by: DimensionKey[] = []): Promise<StatisticsTable> => buildTable(ctx.db, indicatorByKey.get(indicator)!, by, ageBands(DEFAULT_AGE_BANDS), ctx.period, null, ctx.filters, ctx.minCell, ctx.lang);
const cellOf = (t: StatisticsTable, key: Record<string, string>) => t.cells.find((c) => Object.entries(key).every(([k, v]) => c.key[k] === v));
const some = (cell: Cell | undefined) => Boolean(cell && (cell.suppressed || (cell.value ?? 0) > 0));

type Kind = 'resources' | 'operations' | 'found' | 'consular';

const builders: Record<Kind, (ctx: Ctx) => Promise<Part[][]>> = {
  async resources(ctx) {
    const r = resourceMessages[ctx.lang];
    const [points, staff, municipalities, states] = await Promise.all(['resource_points', 'resource_staff', 'resource_municipalities', 'resource_states'].map((k) => table(ctx, k)));
    const on = r.onDay(dateInWords(ctx.period.to, ctx.lang));
    return [r.resources({ on, points: figure(ctx, points!.total, 'resource_points'), staff: figure(ctx, staff!.total, 'resource_staff'), municipalities: figure(ctx, municipalities!.total, 'resource_municipalities'), states: figure(ctx, states!.total, 'resource_states') })];
  },
  async operations(ctx) {
    const r = resourceMessages[ctx.lang];
    const [rescued, operations, transferred] = await Promise.all([table(ctx, 'people_rescued'), table(ctx, 'rescue_operations'), table(ctx, 'people_transferred', ['transfer_mode'])]);
    const parts: Part[] = some(rescued.total) ? r.rescues({ period: ctx.periodText, rescued: figure(ctx, rescued.total, 'people_rescued'), operations: figure(ctx, operations.total, 'rescue_operations') }) : [];
    if (some(transferred.total)) {
      const mode = (m: string) => figure(ctx, cellOf(transferred, { transfer_mode: m }), 'people_transferred', ['transfer_mode']);
      parts.push(...r.transfers({ road: mode('road'), air: mode('air') }));
    }
    return parts.length ? [parts] : [];
  },
  async found(ctx) {
    const r = resourceMessages[ctx.lang];
    const m = reportMessages[ctx.lang];
    const byNationality = await table(ctx, 'persons_found_alive', ['nationality']);
    const shown = byNationality.cells
      .filter((c) => c.key.nationality && c.key.nationality !== 'ZZZ' && !c.suppressed && (c.value ?? 0) >= ctx.minCell)
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.key.nationality!.localeCompare(b.key.nationality!));
    const nationalities: Part[] = [];
    shown.forEach((c, i) => {
      if (i > 0) nationalities.push(i === shown.length - 1 ? ` ${m.and} ` : ', ');
      nationalities.push(...r.nationalityShare({ figure: figure(ctx, c, 'persons_found_alive', ['nationality']), country: countries[c.key.nationality!]?.[ctx.lang] ?? c.key.nationality! }));
    });
    return [r.foundAlive({ period: ctx.periodText, found: figure(ctx, byNationality.total, 'persons_found_alive'), nationalities })];
  },
  async consular(ctx) {
    const r = resourceMessages[ctx.lang];
    const [files, victims] = await Promise.all([table(ctx, 'case_files_open', ['opened_through']), table(ctx, 'victims_in_open_case_files', ['opened_through'])]);
    const filesCell = cellOf(files, { opened_through: 'consulate' });
    if (!some(filesCell)) return [];
    const on = r.onDay(dateInWords(ctx.period.to, ctx.lang));
    return [r.consularFiles({ on, files: figure(ctx, filesCell, 'case_files_open', ['opened_through']), victims: figure(ctx, cellOf(victims, { opened_through: 'consulate' }), 'victims_in_open_case_files', ['opened_through']) })];
  },
};

/** The institutions with records of each kind for the period. */
async function holders(db: Db, { from, to }: Period): Promise<{ kind: Kind; institution_id: string }[]> {
  const rows = await sql<{ kind: Kind; institution_id: string }>`
    select distinct 'resources' as kind, institution_id from resource_points where active_from <= ${to}::date and (active_to is null or active_to >= ${to}::date)
    union select distinct 'operations', institution_id from field_operations where occurred_on between ${from}::date and ${to}::date
    union select distinct 'found', institution_id from found_records where condition = 'alive' and found_on between ${from}::date and ${to}::date
    union select distinct 'consular', institution_id from cases where through_consulate_id is not null and opened_on <= ${to}::date and (closed_on is null or closed_on > ${to}::date)`.execute(db);
  return rows.rows;
}

export async function resourceSections(input: Input): Promise<ReportSection[]> {
  const r = resourceMessages[input.lang];
  const groups = new Map<string, { kind: Kind; root: Root }>();
  for (const h of await holders(input.db, input.period)) {
    if (!input.inScope(h.institution_id)) continue;
    const root = input.rootOf(h.institution_id);
    groups.set(`${h.kind}|${root.id}`, { kind: h.kind, root });
  }
  const order: Kind[] = ['resources', 'operations', 'found', 'consular'];
  const sorted = [...groups.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.root.name.localeCompare(b.root.name));
  const sections: ReportSection[] = [];
  for (const g of sorted) {
    const tree = (await subtree(input.db, g.root.id)).filter(input.inScope);
    const ctx: Ctx = { ...input, code: g.root.code, filters: { programme: null, institutionCode: g.root.code, institutionIds: tree } };
    const paragraphs = await builders[g.kind](ctx);
    if (paragraphs.length) sections.push({ programme: g.kind, heading: `${r.headings[g.kind]}: ${g.root.name}`, organisation: { code: g.root.code, name: g.root.name }, paragraphs, tables: [], charts: [] });
  }
  return sections;
}
