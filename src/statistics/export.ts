import { dimensions, type DimensionKey, type Lang } from './dimensions.ts';
import type { Cell, StatisticsTable } from './query.ts';
import { xlsx } from './xlsx.ts';
import { toCsvLine } from '../platform/csv.ts';
import { fill } from '../platform/i18n/catalogue.ts';
import { tableWords } from './labels.ts';

/**
 * Open formats for a table: CSV and XLSX with a row of HXL hashtags under the headers, and JSON.
 * Sex and age dimensions become value columns with HXL attributes (#reached +f +children); the other
 * dimensions are row keys with their own hashtag (#adm1 +code, #country +code +nationality...).
 * A suppressed cell is written as "c" (confidential), as official statistics do; margins are rows and
 * columns named "Total".
 */
export const SUPPRESSED_MARK = 'c';
const PIVOTED: DimensionKey[] = ['sex', 'age_children', 'age_group'];

export function tableRows(table: StatisticsTable, lang: Lang): (string | number | null)[][] {
  const pivot = table.by.filter((d) => PIVOTED.includes(d));
  const rowDims = table.by.filter((d) => !PIVOTED.includes(d));
  const totalLabel = tableWords.total[lang];
  const labelOf = (d: DimensionKey, value: string | null) =>
    value === null ? totalLabel : (table.dimensions.find((x) => x.key === d)!.values.find((v) => v.value === value)?.label ?? value);

  // Value columns: every combination of the pivoted dimensions' values, totals first.
  let columns: Record<string, string | null>[] = [{}];
  for (const d of pivot) {
    const values = [null, ...table.dimensions.find((x) => x.key === d)!.values.map((v) => v.value)];
    columns = columns.flatMap((c) => values.map((v) => ({ ...c, [d]: v })));
  }
  const headers = [tableWords.periodStart[lang], tableWords.periodEnd[lang], tableWords.indicator[lang]];
  const hxl = ['#date +start', '#date +end', '#indicator +code'];
  for (const d of rowDims) {
    const dim = dimensions[d];
    const tag = 'column' in dim.hxl ? dim.hxl.column : '#meta';
    headers.push(fill(tableWords.codeColumn[lang], { dimension: dim.label[lang] }), dim.label[lang]);
    hxl.push(tag, tag.replace(/ \+code\b/, '') + ' +name');
  }
  for (const column of columns) {
    const parts = pivot.map((d) => (column[d] === null ? null : labelOf(d, column[d]!))).filter((x): x is string => x !== null);
    headers.push(parts.length ? `${table.indicator.label}: ${parts.join(', ')}` : table.indicator.label);
    const attributes = pivot.map((d) => (column[d] === null ? '' : (dimensions[d].hxl as { attribute: (v: string) => string }).attribute(column[d]!))).filter(Boolean);
    hxl.push([table.indicator.hxl, ...attributes].join(' '));
  }

  const byKey = new Map<string, Cell>();
  const keyOf = (key: Record<string, string | null>) => table.by.map((d) => key[d] ?? '\u2211').join('\u001f');
  for (const cell of [table.total, ...table.cells]) byKey.set(keyOf(cell.key), cell);

  const rowKeys = new Map<string, Record<string, string | null>>();
  for (const cell of [...table.cells, table.total]) {
    const rk: Record<string, string | null> = Object.fromEntries(rowDims.map((d) => [d, cell.key[d] ?? null]));
    rowKeys.set(rowDims.map((d) => rk[d] ?? '\u2211').join('\u001f'), rk);
  }
  const ordered = [...rowKeys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

  const rows: (string | number | null)[][] = [headers, hxl];
  for (const rk of ordered) {
    const row: (string | number | null)[] = [table.period.from, table.period.to, table.indicator.key];
    for (const d of rowDims) row.push(rk[d] ?? 'total', labelOf(d, rk[d] ?? null));
    for (const column of columns) {
      const cell = byKey.get(keyOf({ ...rk, ...column }));
      row.push(!cell ? 0 : cell.suppressed ? SUPPRESSED_MARK : cell.value);
    }
    rows.push(row);
  }
  return rows;
}

export function toCsv(table: StatisticsTable, lang: Lang): string {
  return tableRows(table, lang).map((row) => toCsvLine(row)).join('\r\n') + '\r\n';
}

export function toXlsx(table: StatisticsTable, lang: Lang): Buffer {
  return xlsx(tableRows(table, lang), table.indicator.key.slice(0, 31));
}
