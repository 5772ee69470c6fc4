import { processConfig } from '../config.ts';
import { cellKey, suppressTable, TOTAL, type SuppressionReason } from './suppression.ts';

/**
 * Disclosure control: the one function every figure about people goes through before anyone who
 * may not read the records sees it (the statistics explorer, exports, reports, complaint statistics,
 * dashboards). Decision 0007; docs/statistics.md "Disclosure control".
 *
 * 1. Cells with 0 < n < threshold are hidden (primary), and complementary cells so that no hidden
 *    cell can be solved from its line and margin (suppression.ts).
 * 2. Every shown count is rounded to a multiple of the base (the threshold setting, 5) by a draw
 *    taken from the cell key (the sum of the records' keys, migration 0013): up with probability
 *    (n mod base) / base, so the rounding is unbiased, and the same records always give the same
 *    figure. Two figures an analyst can ask for therefore differ by 0 or by a multiple of 5: no pair
 *    of queries (adjacent or overlapping periods, complementary filters, other age bands) isolates
 *    fewer than 5 people, and repeating a query or describing the same people another way gives
 *    the same answer, so nothing averages out.
 */

/** Smallest cell shown and rounding base; STATISTICS_MIN_CELL raises it for the whole platform (never below 2). */
export const MIN_CELL = processConfig().statisticsMinCell;
export const ROUNDING_BASE = MIN_CELL;

/** Cell keys are sums of 48-bit record keys modulo 2^48 (exact in a double: sums stay below 2^49). */
export const KEY_MODULUS = 2 ** 48;
export const addKeys = (a: number, b: number): number => (a + b) % KEY_MODULUS;

export type KeyedCount = { value: number; key: number };
export type Disclosed = { value: number | null; reason?: SuppressionReason };

/** A uniform draw in [0, 1) from a cell key (an integer mix of its two 24-bit halves). */
export function drawFromKey(key: number): number {
  let h = Math.imul((key % 2 ** 24) ^ Math.floor(key / 2 ** 24), 0x9e3779b1) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** The published figure of a count: 0 stays 0; otherwise a neighbouring multiple of the base. */
export function roundedCount(value: number, key: number, base = ROUNDING_BASE): number {
  const rest = value % base;
  if (rest === 0) return value;
  return value - rest + (drawFromKey(key) < rest / base ? base : 0);
}

/**
 * Suppresses and rounds a table with margins (coordinates per dimension, TOTAL for a margin), as
 * published. `threshold` may be raised per query; the rounding base is the platform's.
 */
export function discloseTable(cells: Map<string, KeyedCount>, dimensionValues: string[][], threshold = MIN_CELL): Map<string, Disclosed> {
  const values = new Map([...cells].map(([k, c]) => [k, c.value]));
  const hidden = suppressTable(values, dimensionValues, threshold);
  const out = new Map<string, Disclosed>();
  for (const [k, c] of cells) {
    const reason = hidden.get(k);
    out.set(k, reason ? { value: null, reason } : { value: roundedCount(c.value, c.key) });
  }
  return out;
}

/**
 * A one-way breakdown and its total (complaints by kind, cases by status), disclosed together: the
 * total is the margin of the breakdown.
 */
export function discloseBreakdown(parts: ReadonlyArray<{ label: string } & KeyedCount>, total: KeyedCount, threshold = MIN_CELL): { total: number | null; parts: Record<string, number | null> } {
  const cells = new Map<string, KeyedCount>([[cellKey([TOTAL]), total], ...parts.map((p) => [cellKey([p.label]), { value: p.value, key: p.key }] as const)]);
  const disclosed = discloseTable(cells, [parts.map((p) => p.label)], threshold);
  return {
    total: disclosed.get(cellKey([TOTAL]))!.value,
    parts: Object.fromEntries(parts.map((p) => [p.label, disclosed.get(cellKey([p.label]))!.value])),
  };
}
