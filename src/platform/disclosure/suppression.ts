/**
 * Disclosure control for tables with margins (a cube over up to three dimensions).
 *
 * A cell is addressed by one coordinate per dimension, a value or TOTAL. Primary suppression hides
 * every cell with 0 < value < threshold. Complementary suppression then walks every line of the
 * table (one dimension varies, the others are fixed, each to a value or to TOTAL) together with its
 * margin: a line with exactly one hidden member could be solved by subtraction, so the smallest
 * other non-zero member is hidden too (an interior cell if there is one, else the margin). This
 * repeats until nothing changes (a fixed point). Zero cells are known structurally and never hide.
 */
export const TOTAL = '\u2211';
export type SuppressionReason = 'primary' | 'complementary';

const keyOf = (coords: readonly string[]) => coords.join('\u001f');

export function suppressTable(values: Map<string, number>, dimensionValues: string[][], threshold: number): Map<string, SuppressionReason> {
  const hidden = new Map<string, SuppressionReason>();
  for (const [key, value] of values) if (value > 0 && value < threshold) hidden.set(key, 'primary');
  const k = dimensionValues.length;
  if (k === 0 || hidden.size === 0) return hidden;

  // Every line: for each dimension, every combination of the other coordinates (values or TOTAL).
  const lines: { members: string[]; margin: string }[] = [];
  for (let d = 0; d < k; d++) {
    const others = dimensionValues.map((vals, i) => (i === d ? [] : [...vals, TOTAL]));
    const combos: string[][] = [[]];
    for (let i = 0; i < k; i++) {
      if (i === d) continue;
      const next: string[][] = [];
      for (const prefix of combos) for (const v of others[i]!) next.push([...prefix, v]);
      combos.splice(0, combos.length, ...next);
    }
    for (const combo of combos) {
      const at = (value: string) => {
        const coords: string[] = [];
        let j = 0;
        for (let i = 0; i < k; i++) coords.push(i === d ? value : combo[j++]!);
        return keyOf(coords);
      };
      lines.push({ members: dimensionValues[d]!.map(at).filter((key) => (values.get(key) ?? 0) > 0), margin: at(TOTAL) });
    }
  }

  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const all = [...line.members, line.margin];
      const hiddenCount = all.filter((key) => hidden.has(key)).length;
      if (hiddenCount !== 1) continue;
      const candidates = line.members.filter((key) => !hidden.has(key)).sort((a, b) => values.get(a)! - values.get(b)! || (a < b ? -1 : 1));
      const pick = candidates[0] ?? ((values.get(line.margin) ?? 0) > 0 && !hidden.has(line.margin) ? line.margin : undefined);
      if (pick) {
        hidden.set(pick, 'complementary');
        changed = true;
      }
    }
  }
  return hidden;
}

export { keyOf as cellKey };
