import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A dependency check that needs no network (CI has none for `npm audit`): every version in
 * package-lock.json is compared with the reviewed advisories in security/advisories.json.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Advisory = { id: string; package: string; vulnerable: string; severity: string; summary: string };
type Accepted = { package: string; ids: string[]; until: string; reason: string };

const parse = (version: string) => version.split('-')[0]!.split('.').map(Number);
function compare(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
/** Space-separated comparators, all of which must hold: `>=8.0.0 <10.1.3`. */
function inRange(version: string, range: string): boolean {
  return range.split(/\s+/).every((part) => {
    const match = /^(<=|>=|<|>|=)?(\d+\.\d+\.\d+)$/.exec(part);
    if (!match) throw new Error(`cannot read the range "${range}"`);
    const c = compare(version, match[2]!);
    return { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '=': c === 0 }[match[1] ?? '=']!;
  });
}

describe('dependencies against the reviewed advisories', () => {
  it('reads ranges', () => {
    expect(inRange('8.3.0', '<10.1.3')).toBe(true);
    expect(inRange('10.1.3', '<10.1.3')).toBe(false);
    expect(inRange('9.3.0', '>=9.0.0 <9.1.1')).toBe(false);
    expect(inRange('9.1.0', '>=9.0.0 <9.1.1')).toBe(true);
  });

  it('finds no locked version with an advisory that is not accepted, and no acceptance past its date', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const list = JSON.parse(fs.readFileSync(path.join(root, 'security/advisories.json'), 'utf8')) as { advisories: Advisory[]; accepted: Accepted[] };
    const today = new Date().toISOString().slice(0, 10);
    const found: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (!where || !entry.version) continue;
      for (const advisory of list.advisories) {
        if (advisory.package !== name || !inRange(entry.version, advisory.vulnerable)) continue;
        const accepted = list.accepted.find((a) => a.package === name && a.ids.includes(advisory.id));
        if (!accepted) found.push(`${name}@${entry.version} (${where}): ${advisory.id} ${advisory.severity}, ${advisory.summary}`);
        else if (accepted.until < today) found.push(`${name}@${entry.version}: the acceptance of ${advisory.id} ended on ${accepted.until}; upgrade or review again`);
      }
    }
    expect(found).toEqual([]);
  });
});
