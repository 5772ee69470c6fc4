import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatNumber, options, today, type Lang } from '../ui/format.ts';
import { Link, navigate, paths, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, LoadError, Loading, PageTitle, RadioGroup, SelectField, TextField, useLang } from '../ui/index.tsx';
import './Statistics.css';

/**
 * Statistics screens for analysts and supervisors (capability statistics.read): an explorer over
 * GET /api/v1/statistics/query with downloads from /export, and a report builder for /report.
 * The table is the source of truth; the bars only repeat one dimension's subtotals.
 */

// ---- Shapes returned by the statistics API (the parts these screens use) ----

type Labels = { es: string; en: string };
type IndicatorDefinition = {
  key: string;
  label: Labels;
  unit: string;
  definition: Labels;
  date: Labels;
  deduplication: Labels;
  distinct: boolean;
  disclosure_control: boolean;
  hxl: string;
  gcm: { objective: number; label: Labels; title: Labels }[];
  dimensions: string[];
};
type IndicatorList = { indicators: IndicatorDefinition[]; dimensions: { key: string; label: Labels }[]; max_dimensions: number; min_cell: number };
type StatCell = { key: Record<string, string | null>; value: number | null; suppressed: boolean; suppression?: 'primary' | 'complementary'; percent: number | null };
type StatDimension = { key: string; label: string; hxl: string; values: { value: string; label: string }[] };
type StatTable = {
  indicator: { key: string; label: string; unit: string; definition: string; hxl: string; gcm: number[] };
  period: { from: string; to: string };
  by: string[];
  filters: { programme: string | null; institution: string | null };
  dimensions: StatDimension[];
  min_cell: number;
  distinct_counts: boolean;
  margins_note: string;
  source: 'aggregates' | 'records';
  total: StatCell;
  cells: StatCell[];
};
type InstitutionItem = { id: string; code: string; name: string; parent_id: string | null };

const MAX_DIMENSIONS = 3;
const TOTAL = '\u2211';

// ---- Periods ----

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (d: string) => isoDate.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

/** The last complete calendar year: the period when the user's scope has no records yet. */
function lastYear(): { from: string; to: string } {
  const year = Number(today().slice(0, 4)) - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

type DefaultPeriod = { period: { period: string; from: string; to: string } | null };

/**
 * The period the screens open on: the last complete month with records in the user's scope
 * (GET /api/v1/statistics/default-period), so that the first table shows figures; undefined while
 * it loads. A period in the address wins.
 */
function useOpeningPeriod(): { from: string; to: string } | undefined {
  const { data, error } = useApi<DefaultPeriod>('/api/v1/statistics/default-period');
  if (error) return lastYear();
  if (!data) return undefined;
  return data.period ? { from: data.period.from, to: data.period.to } : lastYear();
}

/** The same rules as the server (resolvePeriod): valid dates, in order, not before 1900, not starting in the future. */
function periodErrors(from: string, to: string, t: (key: string) => string): { from?: string; to?: string } {
  const errors: { from?: string; to?: string } = {};
  if (!from) errors.from = t('validation.required');
  else if (!validDate(from)) errors.from = t('statistics:invalidDate');
  else if (from < '1900-01-01') errors.from = t('validation.dateTooOld');
  else if (from > today()) errors.from = t('statistics:futurePeriod');
  if (!to) errors.to = t('validation.required');
  else if (!validDate(to)) errors.to = t('statistics:invalidDate');
  else if (!errors.from && from > to) errors.to = t('validation.rangeOrder');
  return errors;
}

// ---- The explorer ----

type Draft = { indicator: string; from: string; to: string; dims: string[]; programme: string; institution: string };

function readQuery(query: URLSearchParams, fallback: { from: string; to: string }): Draft {
  const dims = (query.get('by') ?? '').split(',').filter(Boolean).slice(0, MAX_DIMENSIONS);
  return {
    indicator: query.get('indicator') ?? '',
    from: query.get('from') ?? fallback.from,
    to: query.get('to') ?? fallback.to,
    dims: [...dims, '', '', ''].slice(0, MAX_DIMENSIONS),
    programme: query.get('programme') ?? '',
    institution: query.get('institution') ?? '',
  };
}

/** The API's parameters for a draft (the same for /query and /export). */
function queryParams(d: Draft): Record<string, string | undefined> {
  const by = d.dims.filter(Boolean).join(',');
  return { indicator: d.indicator, from: d.from, to: d.to, by: by || undefined, programme: d.programme || undefined, institution: d.institution || undefined };
}

/** The institutions an actor's figures cover: theirs and its descendants, or all for a platform member. */
function scopeInstitutions(all: InstitutionItem[], rootId: string, platform: boolean): InstitutionItem[] {
  if (platform) return all;
  const inScope = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const i of all) if (i.parent_id && inScope.has(i.parent_id) && !inScope.has(i.id)) (inScope.add(i.id), (grew = true));
  }
  return all.filter((i) => inScope.has(i.id));
}

export function StatisticsExplorer() {
  const { t } = useTranslation(['statistics']);
  const lang = useLang();
  const { session } = useSession();
  const { query } = useLocation();
  const opening = useOpeningPeriod();
  const applied = readQuery(query, opening ?? { from: '', to: '' });
  const [draft, setDraft] = useState<Draft>(applied);
  const [submitted, setSubmitted] = useState(false);
  // Back and forward (or a shared link) change the address: the form follows it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setDraft(applied), [query.toString()]);
  // The opening period arrives after the first render: it fills the dates the address left empty.
  useEffect(() => {
    if (opening) setDraft((d) => ({ ...d, from: d.from || opening.from, to: d.to || opening.to }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opening?.from, opening?.to]);

  const definitions = useApi<IndicatorList>('/api/v1/statistics/indicators');
  const institutions = useApi<{ items: InstitutionItem[] }>('/api/v1/institutions');
  const ready = Boolean(applied.indicator);
  const result = useApi<StatTable>(ready ? '/api/v1/statistics/query' : null, queryParams(applied));

  const indicator = definitions.data?.indicators.find((i) => i.key === draft.indicator);
  const dimensionLabel = (key: string) => definitions.data?.dimensions.find((d) => d.key === key)?.label[lang] ?? key;
  const errors = { ...periodErrors(draft.from, draft.to, t), indicator: draft.indicator ? undefined : t('validation.required') };
  const shown = (name: keyof typeof errors) => (submitted ? errors[name] : name === 'indicator' ? undefined : errors[name]);

  const setField = (k: 'indicator' | 'from' | 'to' | 'programme' | 'institution') => (v: string) =>
    setDraft((d) => {
      if (k !== 'indicator') return { ...d, [k]: v };
      // Keep only the dimensions the new indicator offers.
      const offered = definitions.data?.indicators.find((i) => i.key === v)?.dimensions ?? [];
      const dims = d.dims.filter((x) => x && offered.includes(x));
      return { ...d, indicator: v, dims: [...dims, '', '', ''].slice(0, MAX_DIMENSIONS) };
    });
  const setDimension = (index: number) => (v: string) => setDraft((d) => ({ ...d, dims: d.dims.map((x, i) => (i === index ? v : x)) }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean)) {
      const first = (['indicator', 'from', 'to'] as const).find((k) => errors[k]);
      if (first) document.getElementById(`stat-${first}`)?.focus();
      return;
    }
    const dims = [...new Set(draft.dims.filter(Boolean))];
    navigate(withQuery(paths.statistics, queryParams({ ...draft, dims })));
  };

  // Until the opening period is known the dates would read as missing.
  const waiting = !opening && !query.get('from');
  const scoped = institutions.data ? scopeInstitutions(institutions.data.items, session.institution.id, session.institution.type === 'platform') : [];
  const institutionOptions: [string, string][] = scoped.map((i): [string, string] => [i.code, `${i.name} (${i.code})`]).sort((a, b) => a[1].localeCompare(b[1], lang));

  return (
    <>
      <PageTitle lead={t('statistics:lead')}>{t('statistics:title')}</PageTitle>
      {(definitions.isFetching || waiting) && <Loading />}
      {!!definitions.error && <LoadError error={definitions.error} retry={() => void definitions.refetch()} />}
      {definitions.data && !waiting && (
        <form className="filters card stat-form" onSubmit={onSubmit} noValidate aria-label={t('statistics:queryForm')}>
          <div className="stat-form__grid">
            <SelectField
              id="stat-indicator"
              label={t('statistics:indicator')}
              required
              value={draft.indicator}
              onChange={setField('indicator')}
              placeholder={t('statistics:chooseIndicator')}
              options={definitions.data.indicators.map((i): [string, string] => [i.key, i.label[lang]])}
              error={shown('indicator')}
            />
            <TextField id="stat-from" type="date" label={t('statistics:from')} required value={draft.from} onChange={setField('from')} error={shown('from')} />
            <TextField id="stat-to" type="date" label={t('statistics:to')} required value={draft.to} onChange={setField('to')} error={shown('to')} />
          </div>

          {indicator && <IndicatorDefinitionView indicator={indicator} lang={lang} minCell={definitions.data.min_cell} />}

          <DimensionFields max={definitions.data.max_dimensions} offered={indicator?.dimensions ?? null} dims={draft.dims} labelOf={dimensionLabel} onChange={setDimension} />

          <fieldset className="stat-form__fieldset">
            <legend>{t('statistics:filters')}</legend>
            <div className="stat-form__grid">
              <SelectField id="stat-programme" label={t('statistics:programme')} value={draft.programme} onChange={setField('programme')} placeholder={t('statistics:allProgrammes')} options={options('programmes', lang)} />
              <SelectField id="stat-institution" label={t('statistics:institution')} value={draft.institution} onChange={setField('institution')} placeholder={t('statistics:allInstitutions')} options={institutionOptions} />
            </div>
          </fieldset>

          <div className="form-actions">
            <button type="submit" className="button button--primary">
              {t('statistics:show')}
            </button>
            <Link href={withQuery(paths.statisticsReport, { from: draft.from, to: draft.to })}>{t('statistics:toReport')}</Link>
          </div>
        </form>
      )}

      <ResultSection ready={ready} result={result} applied={applied} lang={lang} />
    </>
  );
}

/** Up to `max` dimensions to break the figure down by, each offered once; `offered` is null until an indicator is chosen. */
function DimensionFields({ max, offered, dims, labelOf, onChange }: { max: number; offered: string[] | null; dims: string[]; labelOf: (key: string) => string; onChange: (index: number) => (value: string) => void }) {
  const { t } = useTranslation(['statistics']);
  return (
    <fieldset className="stat-form__fieldset" aria-describedby="stat-dimensions-hint">
      <legend>{t('statistics:dimensions', { max })}</legend>
      <p className="hint" id="stat-dimensions-hint">
        {offered ? t('statistics:dimensionsHint') : t('statistics:dimensionsChooseIndicator')}
      </p>
      <div className="stat-form__grid">
        {dims.map((value, index) => (
          <SelectField
            key={index}
            id={`stat-by-${index + 1}`}
            label={t('statistics:dimension', { n: index + 1 })}
            value={value}
            onChange={onChange(index)}
            placeholder={t('statistics:noDimension')}
            options={(offered ?? []).filter((k) => k === value || !dims.includes(k)).map((k): [string, string] => [k, labelOf(k)])}
          />
        ))}
      </div>
    </fieldset>
  );
}

/** The table asked for, once an indicator is chosen. */
function ResultSection({ ready, result, applied, lang }: { ready: boolean; result: ReturnType<typeof useApi<StatTable>>; applied: Draft; lang: Lang }) {
  const { t } = useTranslation(['statistics']);
  return (
    <section aria-labelledby="stat-result-title" className="section">
      <h2 id="stat-result-title">{t('statistics:result')}</h2>
      {!ready && <Empty>{t('statistics:chooseFirst')}</Empty>}
      {ready && result.isFetching && <Loading />}
      {ready && !!result.error && <LoadError error={result.error} retry={() => void result.refetch()} />}
      {ready && !result.isFetching && result.data && <Result table={result.data} applied={applied} lang={lang} />}
    </section>
  );
}

function IndicatorDefinitionView({ indicator, lang, minCell }: { indicator: IndicatorDefinition; lang: Lang; minCell: number }) {
  const { t } = useTranslation(['statistics']);
  return (
    <section className="stat-definition" aria-labelledby="stat-definition-title">
      <h2 id="stat-definition-title" className="h3">
        {indicator.label[lang]}
      </h2>
      <dl className="details">
        <div>
          <dt>{t('statistics:definition')}</dt>
          <dd>{indicator.definition[lang]}</dd>
        </div>
        <div>
          <dt>{t('statistics:date')}</dt>
          <dd>{indicator.date[lang]}</dd>
        </div>
        <div>
          <dt>{t('statistics:deduplication')}</dt>
          <dd>{indicator.deduplication[lang]}</dd>
        </div>
        <div>
          <dt>{t('statistics:gcm')}</dt>
          <dd>
            <ul className="stat-gcm">
              {indicator.gcm.map((g) => (
                <li key={g.objective}>
                  <strong>{t('statistics:gcmObjective', { n: g.objective, label: g.label[lang] })}</strong> {g.title[lang]}
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>{t('statistics:disclosure')}</dt>
          <dd>{indicator.disclosure_control ? t('statistics:disclosureOn', { min: minCell }) : t('statistics:disclosureOff')}</dd>
        </div>
      </dl>
    </section>
  );
}

// ---- The result: table, legend, downloads, bars ----

/** A dimension's name inside a sentence ("por nacionalidad", "by Mexican state"). */
const lowerLabel = (label: string, lang: Lang) => (lang === 'es' ? label.toLocaleLowerCase('es') : /^[A-Z][a-z]/.test(label) && !label.startsWith('Mexican') ? label.charAt(0).toLowerCase() + label.slice(1) : label);

/** A cell's address, also written on the cell (data-cell="HND|∑") so that tests and tools can find it. */
const keyOf = (coords: (string | null)[]) => coords.map((c) => c ?? TOTAL).join('|');

function cellIndex(table: StatTable): (coords: (string | null)[]) => StatCell | undefined {
  const map = new Map<string, StatCell>();
  for (const c of [table.total, ...table.cells]) map.set(keyOf(table.by.map((d) => c.key[d] ?? null)), c);
  return (coords) => map.get(keyOf(coords));
}

/** A cell's text: the number, or a reserved mark with its reason spelled out for screen readers. */
function CellValue({ cell, minCell, lang }: { cell: StatCell | undefined; minCell: number; lang: Lang }) {
  const { t } = useTranslation(['statistics']);
  if (cell?.suppressed) {
    const primary = cell.suppression === 'primary';
    return (
      <span className={`stat-suppressed stat-suppressed--${primary ? 'primary' : 'complementary'}`}>
        <span aria-hidden="true">{primary ? t('statistics:primaryMark', { min: minCell }) : t('statistics:complementaryMark')}</span>
        <span className="visually-hidden">{primary ? t('statistics:primarySpoken', { min: minCell }) : t('statistics:complementarySpoken')}</span>
      </span>
    );
  }
  return <>{formatNumber(cell?.value ?? 0, lang)}</>;
}

const cellData = (cell: StatCell | undefined) => (cell?.suppressed ? (cell.suppression ?? 'primary') : String(cell?.value ?? 0));

function Result({ table, applied, lang }: { table: StatTable; applied: Draft; lang: Lang }) {
  const { t } = useTranslation(['statistics']);
  const params = queryParams({ ...applied, dims: table.by });
  const exportHref = (format: 'csv' | 'xlsx') => withQuery('/api/v1/statistics/export', { ...params, format, lang });
  const period = t('statistics:periodRange', { from: formatDate(table.period.from, lang), to: formatDate(table.period.to, lang) });
  const names = table.dimensions.map((d) => lowerLabel(d.label, lang));
  const caption = table.by.length
    ? t('statistics:captionBy', { indicator: table.indicator.label, dimensions: names.length > 1 ? `${names.slice(0, -1).join(', ')}${t('statistics:and')}${names.at(-1)}` : names[0], period })
    : t('statistics:caption', { indicator: table.indicator.label, period });
  const anyPrimary = [table.total, ...table.cells].some((c) => c.suppression === 'primary');
  const anyComplementary = [table.total, ...table.cells].some((c) => c.suppression === 'complementary');
  const filters = [
    table.filters.programme ? `${t('statistics:programme')}: ${options('programmes', lang).find(([k]) => k === table.filters.programme)?.[1] ?? table.filters.programme}` : null,
    table.filters.institution ? `${t('statistics:institutionShort')}: ${table.filters.institution}` : null,
  ].filter(Boolean);

  return (
    <>
      {filters.length > 0 && <p className="muted">{filters.join(' · ')}</p>}
      {(table.total.value ?? 0) === 0 && !table.total.suppressed && <p className="alert alert--info">{t('statistics:nothing')}</p>}
      <StatTableView table={table} caption={caption} lang={lang} />
      {(anyPrimary || anyComplementary) && (
        <div className="stat-legend" id="stat-legend">
          <h3>{t('statistics:legendTitle')}</h3>
          <ul>
            {anyPrimary && <li>{t('statistics:legendPrimary', { mark: t('statistics:primaryMark', { min: table.min_cell }), min: table.min_cell })}</li>}
            {anyComplementary && <li>{t('statistics:legendComplementary', { mark: t('statistics:complementaryMark') })}</li>}
          </ul>
        </div>
      )}
      <p className="hint">
        {table.margins_note} {t(table.source === 'aggregates' ? 'statistics:sourceAggregates' : 'statistics:sourceRecords')}
      </p>
      <div className="stat-downloads">
        <h3>{t('statistics:downloads')}</h3>
        <p className="hint">{t('statistics:downloadsHint')}</p>
        <div className="form-actions">
          <a className="button button--secondary" href={exportHref('csv')} download>
            {t('statistics:downloadCsv')}
          </a>
          <a className="button button--secondary" href={exportHref('xlsx')} download>
            {t('statistics:downloadXlsx')}
          </a>
        </div>
      </div>
      {table.by.length > 0 && <Bars table={table} lang={lang} />}
    </>
  );
}

function StatTableView({ table, caption, lang }: { table: StatTable; caption: string; lang: Lang }) {
  const { t } = useTranslation(['statistics']);
  const get = cellIndex(table);
  const total = t('statistics:total');
  const value = (coords: (string | null)[], className = 'num') => {
    const cell = get(coords);
    return (
      <td key={keyOf(coords)} className={className + (coords.some((c) => c === null) ? ' stat-margin' : '')} data-cell={keyOf(coords)} data-value={cellData(cell)}>
        <CellValue cell={cell} minCell={table.min_cell} lang={lang} />
      </td>
    );
  };
  const frame = (head: ReactNode, body: ReactNode) => (
    <div className="table-wrap stat-table-wrap" role="region" aria-labelledby="stat-caption" tabIndex={0}>
      <table className="table table--compact stat-table">
        <caption id="stat-caption">{caption}</caption>
        <thead>{head}</thead>
        <tbody>{body}</tbody>
      </table>
    </div>
  );

  if (table.by.length === 0) {
    return frame(
      <tr>
        <td />
        <th scope="col" className="num">
          {table.indicator.label}
        </th>
      </tr>,
      <tr className="stat-total">
        <th scope="row">{total}</th>
        {value([])}
      </tr>,
    );
  }

  if (table.by.length === 1) {
    const dim = table.dimensions[0]!;
    const percent = (c: StatCell | undefined) =>
      c?.suppressed ? (
        <>
          <span aria-hidden="true">—</span>
          <span className="visually-hidden">{t('statistics:percentHidden')}</span>
        </>
      ) : (
        formatNumber(c?.percent ?? 0, lang)
      );
    return frame(
      <tr>
        <th scope="col">{dim.label}</th>
        <th scope="col" className="num">
          {table.indicator.label}
        </th>
        <th scope="col" className="num">
          {t('statistics:percent')}
        </th>
      </tr>,
      <>
        {dim.values.map((v) => (
          <tr key={v.value}>
            <th scope="row">{v.label}</th>
            {value([v.value])}
            <td className="num">{percent(get([v.value]))}</td>
          </tr>
        ))}
        <tr className="stat-total">
          <th scope="row">{total}</th>
          {value([null])}
          <td className="num">{percent(table.total)}</td>
        </tr>
      </>,
    );
  }

  // Two or three dimensions: the last one across, the others down (with their subtotals).
  const columnDim = table.dimensions[table.dimensions.length - 1]!;
  const rowDims = table.dimensions.slice(0, -1);
  let rows: (string | null)[][] = [[]];
  for (const d of rowDims) rows = rows.flatMap((prefix) => [...d.values.map((v) => v.value), null].map((v) => [...prefix, v]));
  const columns = [...columnDim.values.map((v) => v.value), null];
  const visible = rows.filter((r) => r.every((c) => c === null) || columns.some((c) => get([...r, c])));
  const labelOf = (d: StatDimension, v: string | null) => (v === null ? total : (d.values.find((x) => x.value === v)?.label ?? v));

  return frame(
    <>
      <tr>
        <td colSpan={rowDims.length} />
        <th scope="colgroup" colSpan={columns.length} className="stat-colgroup">
          {columnDim.label}
        </th>
      </tr>
      <tr>
        {rowDims.map((d) => (
          <th scope="col" key={d.key}>
            {d.label}
          </th>
        ))}
        {columns.map((c) => (
          <th scope="col" className="num" key={c ?? TOTAL}>
            {labelOf(columnDim, c)}
          </th>
        ))}
      </tr>
    </>,
    visible.map((r) => (
      <tr key={keyOf(r)} className={r.every((c) => c === null) ? 'stat-total' : r.some((c) => c === null) ? 'stat-subtotal' : undefined}>
        {r.map((v, i) => (
          <th scope="row" key={rowDims[i]!.key}>
            {labelOf(rowDims[i]!, v)}
          </th>
        ))}
        {columns.map((c) => value([...r, c]))}
      </tr>
    )),
  );
}

/** One dimension's subtotals as horizontal bars of plain HTML; the numbers are written beside them. */
function Bars({ table, lang }: { table: StatTable; lang: Lang }) {
  const { t } = useTranslation(['statistics']);
  const [dimKey, setDimKey] = useState(table.by[0]!);
  const dim = table.dimensions.find((d) => d.key === dimKey) ?? table.dimensions[0]!;
  const get = cellIndex(table);
  const index = table.by.indexOf(dim.key);
  const bars = dim.values.map((v) => ({ value: v.value, label: v.label, cell: get(table.by.map((_, i) => (i === index ? v.value : null))) }));
  const max = Math.max(1, ...bars.map((b) => (b.cell?.suppressed ? 0 : (b.cell?.value ?? 0))));

  return (
    <section className="stat-bars" aria-labelledby="stat-bars-title">
      <h3 id="stat-bars-title">{t('statistics:barsTitle', { indicator: table.indicator.label, dimension: lowerLabel(dim.label, lang) })}</h3>
      <p className="hint">{t('statistics:barsNote')}</p>
      {table.by.length > 1 && (
        <SelectField id="stat-bars-dimension" className="stat-bars__select" label={t('statistics:barsBy')} value={dim.key} onChange={setDimKey} options={table.dimensions.map((d): [string, string] => [d.key, d.label])} />
      )}
      <ul className="stat-bars__list">
        {bars.map((b) => {
          const width = b.cell?.suppressed ? 0 : ((b.cell?.value ?? 0) / max) * 100;
          return (
            <li key={b.value} className="stat-bars__item">
              <span className="stat-bars__label">{b.label}</span>
              <span className="stat-bars__track" aria-hidden="true">
                <span className={b.cell?.suppressed ? 'stat-bars__bar stat-bars__bar--hidden' : 'stat-bars__bar'} style={{ width: `${width}%` }} />
              </span>
              <span className="stat-bars__value">
                <CellValue cell={b.cell} minCell={table.min_cell} lang={lang} />
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// ---- The report builder ----

type ReportDraft = { from: string; to: string; lang: Lang; format: 'html' | 'pdf' };

export function StatisticsReport() {
  const { t } = useTranslation(['statistics']);
  const lang = useLang();
  const { query } = useLocation();
  const opening = useOpeningPeriod();
  const [draft, setDraft] = useState<ReportDraft>({ from: query.get('from') ?? opening?.from ?? '', to: query.get('to') ?? opening?.to ?? '', lang, format: 'html' });
  // The opening period arrives after the first render: fill the dates the address left empty.
  useEffect(() => {
    if (opening) setDraft((d) => ({ ...d, from: d.from || opening.from, to: d.to || opening.to }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opening?.from, opening?.to]);
  const errors = periodErrors(draft.from, draft.to, t);
  const valid = !errors.from && !errors.to;
  const href = withQuery('/api/v1/statistics/report', { from: draft.from, to: draft.to, lang: draft.lang, format: draft.format });
  const set = <K extends keyof ReportDraft>(k: K) => (v: string) => setDraft((d) => ({ ...d, [k]: v as ReportDraft[K] }));
  const action = draft.format === 'html' ? t('statistics:report.openHtml') : t('statistics:report.downloadPdf');

  return (
    <>
      <PageTitle lead={t('statistics:report.lead')}>{t('statistics:report.title')}</PageTitle>
      {!opening && !query.get('from') && <Loading />}
      {(opening || query.get('from')) && (
        <form className="card stat-form" onSubmit={(e) => e.preventDefault()} noValidate aria-label={t('statistics:report.form')}>
          <fieldset className="stat-form__fieldset">
            <legend>{t('statistics:report.period')}</legend>
            <div className="stat-form__grid">
              <TextField id="report-from" type="date" label={t('statistics:from')} required value={draft.from} onChange={set('from')} error={errors.from} />
              <TextField id="report-to" type="date" label={t('statistics:to')} required value={draft.to} onChange={set('to')} error={errors.to} />
            </div>
          </fieldset>
          <RadioGroup
            id="report-lang"
            name="report-lang"
            legend={t('statistics:report.language')}
            value={draft.lang}
            onChange={set('lang')}
            options={[
              ['es', t('statistics:report.spanish')],
              ['en', t('statistics:report.english')],
            ]}
          />
          <RadioGroup
            id="report-format"
            name="report-format"
            legend={t('statistics:report.format')}
            value={draft.format}
            onChange={set('format')}
            options={[
              ['html', t('statistics:report.html')],
              ['pdf', t('statistics:report.pdf')],
            ]}
          />
          <p className="hint">{t('statistics:report.sections')}</p>
          <div className="form-actions">
            {valid ? (
              draft.format === 'html' ? (
                <a className="button button--primary" href={href} target="_blank" rel="noopener">
                  {action}
                </a>
              ) : (
                <a className="button button--primary" href={href} download>
                  {action}
                </a>
              )
            ) : (
              <button type="button" className="button button--primary" disabled>
                {action}
              </button>
            )}
            <Link href={withQuery(paths.statistics, { from: draft.from, to: draft.to })}>{t('statistics:report.toExplorer')}</Link>
          </div>
          {!valid && <p className="hint">{t('statistics:report.fixPeriod')}</p>}
        </form>
      )}
    </>
  );
}
