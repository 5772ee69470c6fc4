import { sql } from 'kysely';
import { planEachTime, type Db } from '../platform/db/database.ts';
import { AppError, type ErrorCode } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { appendAudit, type AuditDetail } from '../platform/audit/audit.ts';
import { programmes } from '../cases/vocabularies.ts';
import { ageBands, DEFAULT_AGE_BANDS, dimensionKeys, dimensions, validAgeBounds, type AgeBand, type DimensionKey, type Lang } from './dimensions.ts';
import { addMonths, indicatorByKey, monthAligned, supportedDimensions, type BaseContext, type FastPart, type Fragment, type Indicator } from './indicators.ts';
import { cellKey, TOTAL, type SuppressionReason } from '../platform/disclosure/suppression.ts';
import { addKeys, discloseTable, MIN_CELL, type Disclosed, type KeyedCount } from '../platform/disclosure/disclosure.ts';
import { tableWords } from './labels.ts';

export const MAX_DIMENSIONS = 3;
/** Smallest cell shown and rounding base (disclosure.ts). */
export const DEFAULT_MIN_CELL = MIN_CELL;

export type Period = { from: string; to: string };

export type QueryInput = {
  indicator: string;
  from?: string | undefined;
  to?: string | undefined;
  period?: string | undefined;
  by?: string | undefined;
  compare?: 'previous' | undefined;
  programme?: string | undefined;
  institution?: string | undefined;
  age_bands?: string | undefined;
  min_cell?: number | undefined;
};

export type Cell = {
  key: Record<string, string | null>;
  value: number | null;
  suppressed: boolean;
  suppression?: SuppressionReason;
  percent: number | null;
  previous?: number | null;
  previous_suppressed?: boolean;
  change?: number | null;
};

export type StatisticsTable = {
  indicator: { key: string; label: string; unit: Indicator['unit']; definition: string; date: string; deduplication: string; gcm: number[]; hxl: string };
  period: Period;
  previous_period: Period | null;
  by: DimensionKey[];
  filters: { programme: string | null; institution: string | null };
  dimensions: { key: DimensionKey; label: string; hxl: string; values: { value: string; label: string }[] }[];
  age_bands: string[];
  min_cell: number;
  distinct_counts: boolean;
  margins_note: string;
  source: 'aggregates' | 'records';
  total: Cell;
  cells: Cell[];
};

const bad = (code: ErrorCode, params: Record<string, string | number> = {}) => new AppError(code, params);

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (d: string) => isoDate.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
const lastDayOfMonth = (ym: string) => {
  const d = new Date(`${ym}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
};
export const today = () => new Date().toISOString().slice(0, 10);

/** from/to, or period = YYYY, YYYY-Qn or YYYY-MM. */
export function resolvePeriod(input: { from?: string | undefined; to?: string | undefined; period?: string | undefined }): Period {
  let from = input.from;
  let to = input.to;
  if (input.period) {
    const p = input.period;
    let m: RegExpExecArray | null;
    if ((m = /^(\d{4})$/.exec(p))) [from, to] = [`${m[1]}-01-01`, `${m[1]}-12-31`];
    else if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) {
      const first = (Number(m[2]) - 1) * 3 + 1;
      from = `${m[1]}-${String(first).padStart(2, '0')}-01`;
      to = lastDayOfMonth(`${m[1]}-${String(first + 2).padStart(2, '0')}`);
    } else if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(p))) [from, to] = [`${p}-01`, lastDayOfMonth(p)];
    else throw bad('statistics_invalid_period');
  }
  if (!from || !to || !validDate(from) || !validDate(to) || from > to || from < '1900-01-01') throw bad('statistics_invalid_period');
  if (from > today()) throw bad('statistics_future_period');
  return { from, to };
}

/** The period of equal length just before: the previous N months for whole months, else the previous N days. */
export function previousPeriod({ from, to }: Period): Period {
  if (monthAligned(from, to)) {
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
    const start = addMonths(from, -months);
    return { from: start, to: lastDayOfMonth(addMonths(from, -1).slice(0, 7)) };
  }
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  const end = new Date(Date.parse(from) - 86_400_000);
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
}

export function parseDimensions(indicator: Indicator, by: string | undefined): DimensionKey[] {
  const keys = (by ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (keys.length > MAX_DIMENSIONS) throw bad('statistics_too_many_dimensions', { max: MAX_DIMENSIONS });
  const supported = supportedDimensions(indicator, dimensions);
  for (const key of keys) {
    if (!(dimensionKeys as readonly string[]).includes(key)) throw bad('statistics_unknown_dimension', { dimension: key.slice(0, 40) });
    if (!supported.includes(key as DimensionKey)) throw bad('statistics_dimension_not_supported', { dimension: key, indicator: indicator.key });
  }
  if (new Set(keys).size !== keys.length) throw bad('statistics_unknown_dimension', { dimension: keys.join(',').slice(0, 40) });
  return keys as DimensionKey[];
}

export function parseAgeBands(value: string | undefined): AgeBand[] {
  if (!value) return ageBands(DEFAULT_AGE_BANDS);
  const bounds = value.split(',').map((s) => Number(s.trim()));
  if (!bounds.every(Number.isInteger) || !validAgeBounds(bounds)) throw bad('statistics_invalid_age_bands');
  return ageBands(bounds);
}

export type Scope = { institutionIds: string[] | null };

/** Every figure an analyst obtains is audited: which indicator, period and breakdown, in what format. */
export function auditStatisticsQuery(db: Db, actor: Actor, detail: AuditDetail) {
  return appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'statistics.queried', recordType: 'statistics', ip: actor.ip, detail });
}

/**
 * Which institutions' records an actor's figures cover: their institution and its descendants; the
 * whole platform for a member of an institution of type 'platform' (a national statistics unit).
 */
export async function scopeOf(db: Db, actor: Actor): Promise<Scope> {
  const own = await db.selectFrom('institutions').select('type').where('id', '=', actor.institutionId).executeTakeFirst();
  if (own?.type === 'platform') return { institutionIds: null };
  return { institutionIds: await subtree(db, actor.institutionId) };
}

export async function subtree(db: Db, rootId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    with recursive t(id) as (select ${rootId}::uuid union select i.id from institutions i join t on i.parent_id = t.id)
    select id from t`.execute(db);
  return rows.rows.map((r) => r.id);
}


export type Filters = { programme: string | null; institutionCode: string | null; institutionIds: string[] | null };

export async function resolveFilters(db: Db, scope: Scope, input: { programme?: string | undefined; institution?: string | undefined }): Promise<Filters> {
  if (input.programme && !(input.programme in programmes)) throw bad('statistics_unknown_programme');
  let institutionIds = scope.institutionIds;
  let code: string | null = null;
  if (input.institution) {
    const row = await db.selectFrom('institutions').select(['id', 'code']).where('code', '=', input.institution.toUpperCase()).executeTakeFirst();
    if (!row || (scope.institutionIds && !scope.institutionIds.includes(row.id))) throw bad('statistics_unknown_institution');
    const tree = await subtree(db, row.id);
    institutionIds = scope.institutionIds ? tree.filter((id) => scope.institutionIds!.includes(id)) : tree;
    code = row.code;
  }
  return { programme: input.programme ?? null, institutionCode: code, institutionIds };
}

export function baseContext(period: Period, filters: Filters): BaseContext {
  return {
    from: period.from,
    to: period.to,
    institutions: (column) => (filters.institutionIds ? sql`${sql.ref(column)} = any(${filters.institutionIds}::uuid[])` : sql`true`),
    programme: (column) => (filters.programme ? sql`${sql.ref(column)} = ${filters.programme}` : sql`true`),
    wholePlatform: filters.institutionIds === null,
    programmeFilter: filters.programme,
  };
}

/** A cell as counted (exact): its value and its cell key (sum of the records' keys, disclosure.ts). */
export type RawCell = { coords: string[]; value: number; key: number };

/**
 * Runs the cube: every combination of the chosen dimensions, with every subtotal and the total.
 *
 * The base rows come from the aggregates when the period allows it (indicator.fast: one or more parts
 * whose values add up), else from the records. How a part is counted:
 * - sums (additive indicators, and the cells of people in one cell): one GROUP BY over the full
 *   combination, which PostgreSQL runs in parallel with a hash aggregate; subtotals and the total are
 *   added up here. (GROUP BY CUBE is neither parallel nor, with count(distinct), hashed.)
 * - distinct counts: one pass groups the base rows by k; a k found in exactly one combination (the
 *   usual case: a person in one cell) is summed like above, and only the k in several combinations go
 *   through count(distinct) under GROUP BY CUBE. Both are exact, and the two sets of k are disjoint,
 *   so the cell is their sum.
 */
export async function computeCube(db: Db, indicator: Indicator, by: DimensionKey[], bands: AgeBand[], ctx: BaseContext): Promise<{ cells: RawCell[]; source: 'aggregates' | 'records' }> {
  const needsVulnerability = by.some((d) => dimensions[d].needs.includes('vulnerabilities'));
  const fast = !needsVulnerability && indicator.fast ? indicator.fast(ctx, by) : null;
  const multi = by.some((d) => dimensions[d].multiValued);
  const parts: FastPart[] = fast ?? [{ value: indicator.distinct || multi ? 'distinct' : 'sum', sql: indicator.raw(ctx) }];
  const results = await Promise.all(parts.map((part) => (part.value === 'sum' ? sumCube(db, part.sql, by, bands, needsVulnerability) : distinctCube(db, part.sql, by, bands, needsVulnerability))));
  const total = new Map<string, RawCell>();
  total.set(cellKey(by.map(() => TOTAL)), { coords: by.map(() => TOTAL), value: 0, key: 0 });
  for (const cells of results) {
    for (const c of cells) {
      const key = cellKey(c.coords);
      const entry = total.get(key);
      if (entry) {
        entry.value += c.value;
        entry.key = addKeys(entry.key, c.key);
      } else total.set(key, { ...c });
    }
  }
  const cells = [...total.values()].filter((c) => c.value > 0 || c.coords.every((x) => x === TOTAL));
  return { cells, source: fast ? 'aggregates' : 'records' };
}

/** `d0`, `d1`…: the dimensions' columns in the cube queries. */
const column = (i: number) => sql.ref(`d${i}`);
function dimensionColumns(by: DimensionKey[], bands: AgeBand[]): Fragment[] {
  return by.map((d, i) => sql`(${dimensions[d].sql(bands)})::text as ${column(i)}`);
}
const vulnerabilityUnnest = (needed: boolean) =>
  needed ? sql`cross join lateral unnest(case when cardinality(b.vulnerabilities) = 0 then array['none'] else b.vulnerabilities end) v(flag)` : sql``;
const coordsOf = (row: Record<string, unknown>, n: number) => Array.from({ length: n }, (_, i) => String(row[`d${i}`] ?? 'unknown'));
const list = (items: Fragment[]) => sql.join(items, sql`, `);
/** The institution holding the record (alias i), joined only for the dimensions that read it (base rows of people by first month have none). */
const institutionJoin = (by: DimensionKey[]) => (by.some((d) => dimensions[d].needs.length === 0) ? sql`join institutions i on i.id = b.institution_id` : sql``);

/** Adds full combinations into every subtotal and the total (2^n grouping sets). */
function rollUp(rows: RawCell[], n: number): RawCell[] {
  const out = new Map<string, RawCell>();
  for (const row of rows) {
    for (let mask = 0; mask < 1 << n; mask++) {
      const coords = row.coords.map((c, i) => (mask & (1 << i) ? TOTAL : c));
      const key = cellKey(coords);
      const entry = out.get(key);
      if (entry) {
        entry.value += row.value;
        entry.key = addKeys(entry.key, row.key);
      } else out.set(key, { coords, value: row.value, key: row.key });
    }
  }
  return [...out.values()];
}
const keyOf = (row: Record<string, unknown>) => Number(row.ks ?? 0);

async function sumCube(db: Db, base: Fragment, by: DimensionKey[], bands: AgeBand[], unnest: boolean): Promise<RawCell[]> {
  const cols = by.map((_, i) => column(i));
  const query = sql<Record<string, unknown>>`${planEachTime}
    with b as (${base})
    select ${list([...cols, sql`sum(x.w)::bigint as v`, sql`amparo_key_add(0, sum(x.ks)) as ks`])}
      from (select ${list([...dimensionColumns(by, bands), sql`b.w`, sql`b.ks`])} from b ${institutionJoin(by)} ${vulnerabilityUnnest(unnest)}) x
     ${cols.length ? sql`group by ${list(cols)}` : sql``}`;
  const result = await query.execute(db);
  return rollUp(result.rows.map((row) => ({ coords: coordsOf(row, by.length), value: Number(row.v ?? 0), key: keyOf(row) })), by.length);
}

async function distinctCube(db: Db, base: Fragment, by: DimensionKey[], bands: AgeBand[], unnest: boolean): Promise<RawCell[]> {
  const cols = by.map((_, i) => column(i));
  const rows = sql`select ${list([...by.map((d, i) => sql`coalesce((${dimensions[d].sql(bands)})::text, 'unknown') as ${column(i)}`), sql`b.k`, sql`b.ks`])} from b ${institutionJoin(by)} ${vulnerabilityUnnest(unnest)}`;
  // A key is a function of k, so the key sum of distinct people is the sum of their distinct keys
  // (48-bit keys: a collision among the people of one cell is negligible, and would still be the
  // same for the same people).
  if (!cols.length) {
    const result = await sql<{ v: string; ks: string }>`${planEachTime} with b as (${base}) select count(distinct x.k)::bigint as v, amparo_key_add(0, sum(distinct x.ks)) as ks from (${rows}) x`.execute(db);
    return [{ coords: [], value: Number(result.rows[0]?.v ?? 0), key: keyOf(result.rows[0] ?? {}) }];
  }
  // One pass per k: it is in a single combination exactly when every dimension has one value.
  const grouping = (i: number) => sql.ref(`g_d${i}`);
  const query = sql<Record<string, unknown>>`${planEachTime}
    with b as (${base}),
    per as materialized (
      select k, min(ks) as ks, ${list(cols.map((c) => sql`min(${c}) as ${c}`))}, (${sql.join(cols.map((c) => sql`min(${c}) <> max(${c})`), sql` or `)}) as several
        from (${rows}) y group by k)
    select false as several, ${list(cols.map((c, i) => sql`${c}, 0 as ${grouping(i)}`))}, count(*)::bigint as v, amparo_key_add(0, sum(ks)) as ks
      from per where not several group by ${list(cols)}
    union all
    select true, ${list(cols.map((c) => sql`${c}, grouping(${c})`))}, count(distinct k)::bigint, amparo_key_add(0, sum(distinct ks))
      from (${rows}) x where k in (select k from per where several) group by cube(${list(cols)})`;
  const result = await query.execute(db);
  const single = result.rows.filter((row) => !row.several).map((row) => ({ coords: coordsOf(row, by.length), value: Number(row.v ?? 0), key: keyOf(row) }));
  const several = result.rows
    .filter((row) => row.several)
    .map((row) => ({ coords: by.map((_, i) => (Number(row[`g_d${i}`]) === 1 ? TOTAL : String(row[`d${i}`] ?? 'unknown'))), value: Number(row.v ?? 0), key: keyOf(row) }));
  return [...rollUp(single, by.length), ...several];
}

/** The published table: every cell through disclosure control, or as counted for indicators that are not about people. */
function publish(cells: RawCell[], dimValues: string[][], threshold: number, controlled: boolean): Map<string, Disclosed> {
  const counted = new Map<string, KeyedCount>(cells.map((c) => [cellKey(c.coords), { value: c.value, key: c.key }]));
  if (controlled) return discloseTable(counted, dimValues, threshold);
  return new Map([...counted].map(([k, c]) => [k, { value: c.value }]));
}

export async function institutionNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.selectFrom('institutions').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

export type QueryOptions = { lang: Lang; audit?: { format: string } };

/** Validates, computes, compares and suppresses one table; audits it (identifiers and codes only). */
export async function queryStatistics(db: Db, actor: Actor, input: QueryInput, options: QueryOptions): Promise<StatisticsTable> {
  requireCapability(actor, 'statistics.read');
  const indicator = indicatorByKey.get(input.indicator);
  if (!indicator) throw bad('statistics_unknown_indicator', { indicator: input.indicator.slice(0, 40) });
  const by = parseDimensions(indicator, input.by);
  const period = resolvePeriod(input);
  const bands = parseAgeBands(input.age_bands);
  const minCell = input.min_cell ?? DEFAULT_MIN_CELL;
  if (minCell < DEFAULT_MIN_CELL) throw bad('statistics_min_cell_too_low', { min: DEFAULT_MIN_CELL });
  const scope = await scopeOf(db, actor);
  const filters = await resolveFilters(db, scope, input);
  const table = await buildTable(db, indicator, by, bands, period, input.compare === 'previous' ? previousPeriod(period) : null, filters, minCell, options.lang);
  await auditStatisticsQuery(db, actor, { indicator: indicator.key, dimensions: by, from: period.from, to: period.to, compare: input.compare ?? null, programme: filters.programme, institution: filters.institutionCode, format: options.audit?.format ?? 'json' });
  return table;
}

export async function buildTable(db: Db, indicator: Indicator, by: DimensionKey[], bands: AgeBand[], period: Period, previous: Period | null, filters: Filters, minCell: number, lang: Lang): Promise<StatisticsTable> {
  const current = await computeCube(db, indicator, by, bands, baseContext(period, filters));
  const prior = previous ? await computeCube(db, indicator, by, bands, baseContext(previous, filters)) : null;

  const valuesPerDim = by.map((_, i) => {
    const set = new Set<string>();
    for (const c of [...current.cells, ...(prior?.cells ?? [])]) if (c.coords[i] !== TOTAL) set.add(c.coords[i]!);
    return [...set].sort();
  });
  // Only published figures leave this function: percentages and changes are computed from them, so
  // that none of them carries the exact count.
  const now = publish(current.cells, valuesPerDim, minCell, indicator.disclosureControl);
  const before = prior ? publish(prior.cells, valuesPerDim, minCell, indicator.disclosureControl) : null;
  const totalKey = cellKey(by.map(() => TOTAL));
  const totalValue = now.get(totalKey)?.value ?? 0;
  const totalHidden = Boolean(now.get(totalKey)?.reason);

  const keys = new Set([...now.keys(), ...(before ? before.keys() : [])]);
  keys.add(totalKey);
  const cells: Cell[] = [];
  let total: Cell | undefined;
  for (const key of keys) {
    const coords = key === '' ? [] : key.split('\u001f');
    const published = now.get(key) ?? { value: 0 };
    const reason = published.reason;
    const value = published.value ?? 0;
    const cell: Cell = {
      key: Object.fromEntries(by.map((d, i) => [d, coords[i] === TOTAL ? null : coords[i]!])),
      value: reason ? null : value,
      suppressed: Boolean(reason),
      ...(reason ? { suppression: reason } : {}),
      percent: reason || totalHidden || totalValue === 0 ? null : Math.round((value / totalValue) * 1000) / 10,
    };
    if (before) {
      const prev = before.get(key) ?? { value: 0 };
      const prevHidden = Boolean(prev.reason);
      cell.previous = prevHidden ? null : prev.value;
      cell.previous_suppressed = prevHidden;
      cell.change = reason || prevHidden ? null : value - (prev.value ?? 0);
    }
    if (key === totalKey) total = cell;
    else cells.push(cell);
  }
  // Order: cells by coordinates, margins after the values they sum.
  const order = (c: Cell) => by.map((d) => c.key[d] ?? '\uffff').join('\u0000');
  cells.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));

  const named = (['institution', 'consulate'] as const).filter((d) => by.includes(d));
  const names = await institutionNames(db, named.flatMap((d) => valuesPerDim[by.indexOf(d)]!));
  return {
    indicator: {
      key: indicator.key,
      label: indicator.label[lang],
      unit: indicator.unit,
      definition: indicator.definition[lang],
      date: indicator.date[lang],
      deduplication: indicator.deduplication[lang],
      gcm: indicator.gcm,
      hxl: indicator.hxl,
    },
    period,
    previous_period: previous,
    by,
    filters: { programme: filters.programme, institution: filters.institutionCode },
    dimensions: by.map((d, i) => {
      const dim = dimensions[d];
      return {
        key: d,
        label: dim.label[lang],
        hxl: 'column' in dim.hxl ? dim.hxl.column : `attributes of ${indicator.hxl}`,
        values: valuesPerDim[i]!.map((v) => ({ value: v, label: (named as readonly string[]).includes(d) ? (names.get(v) ?? dim.valueLabel(v, lang)) : dim.valueLabel(v, lang) })),
      };
    }),
    age_bands: bands.map((b) => b.label),
    min_cell: minCell,
    distinct_counts: indicator.distinct,
    margins_note: tableWords[indicator.distinct ? 'distinctMargins' : 'additiveMargins'][lang],
    source: current.source,
    total: total!,
    cells,
  };
}

/**
 * Where the statistics screens open: the last complete calendar month with services in the actor's
 * scope (the current month is still being recorded), or null when there are none.
 */
export async function defaultPeriod(db: Db, actor: Actor, today: string): Promise<{ period: string; from: string; to: string } | null> {
  requireCapability(actor, 'statistics.read');
  const scope = await scopeOf(db, actor);
  const monthStart = `${today.slice(0, 7)}-01`;
  const row = await sql<{ month: string | null }>`
    select max(month)::text as month from stat_services_monthly
     where month < ${monthStart}::date and ${scope.institutionIds ? sql`institution_id = any(${scope.institutionIds}::uuid[])` : sql`true`}`.execute(db);
  const month = row.rows[0]?.month;
  if (!month) return null;
  const period = month.slice(0, 7);
  return { period, from: month, to: lastDayOfMonth(period) };
}
