import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The web app's strings: `web/src/<feature>/locales/{es,en}.json`, one i18next namespace per folder.
 * These checks read the files and the source, so a key missing in one language, a key used in code
 * but written nowhere, or a namespace a component forgot to ask for fails here and not on screen.
 */
const webSrc = fileURLToPath(new URL('..', import.meta.url));
const languages = ['es', 'en'] as const;
const preloaded = ['ui', 'app'];
type Tree = { [key: string]: string | Tree };

const namespaces = fs
  .readdirSync(webSrc, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(webSrc, entry.name, 'locales')))
  .map((entry) => entry.name);

const catalogue = (ns: string, lang: string): Tree => JSON.parse(fs.readFileSync(path.join(webSrc, ns, 'locales', `${lang}.json`), 'utf8')) as Tree;

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`)));
}

/** Keys as i18next resolves them: plural forms (`_one`, `_other`) answer to their base key. */
const keySet = (ns: string) => new Set(flatten(catalogue(ns, 'es')).flatMap((key) => [key, key.replace(/_(zero|one|two|few|many|other)$/, '')]));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The string keys inside the first argument of every `t(` call (both branches of a ternary; a key has a `.` or `:`). */
function keysUsed(source: string): string[] {
  const keys: string[] = [];
  for (const call of source.matchAll(/(?<![\w$.])t\(((?:'[^']*'|[^,()'])*)/g)) {
    for (const literal of call[1]!.matchAll(/'([^']+)'/g)) if (/[.:]/.test(literal[1]!)) keys.push(literal[1]!);
  }
  return keys;
}

describe('web locale files', () => {
  it('has a feature folder per namespace, each in both languages', () => {
    expect(namespaces).toEqual(expect.arrayContaining(['ui', 'app', 'account', 'cases', 'people', 'complaints', 'missing', 'statistics', 'admin', 'audit', 'referrals']));
    for (const ns of namespaces) for (const lang of languages) expect(fs.existsSync(path.join(webSrc, ns, 'locales', `${lang}.json`)), `${ns}/${lang}`).toBe(true);
  });

  it.each(namespaces)('%s: each language says whether a native speaker reviewed it (Spanish is the reference)', (ns) => {
    for (const lang of languages) {
      const meta = catalogue(ns, lang).meta as unknown as { reviewedByNativeSpeaker?: unknown; note?: unknown } | undefined;
      expect(meta?.reviewedByNativeSpeaker, `${ns}/${lang}`).toBe(lang === 'es');
      expect(typeof meta?.note === 'string' && meta.note.length > 20, `${ns}/${lang}: note`).toBe(true);
    }
  });

  it.each(namespaces)('%s: every key exists in Spanish and in English, none empty', (ns) => {
    const es = catalogue(ns, 'es');
    const en = catalogue(ns, 'en');
    const esKeys = flatten(es);
    const enKeys = flatten(en);
    expect(esKeys.filter((key) => !enKeys.includes(key)), `${ns}: only in es`).toEqual([]);
    expect(enKeys.filter((key) => !esKeys.includes(key)), `${ns}: only in en`).toEqual([]);
    const empty = (tree: Tree, lang: string) => flatten(tree).filter((key) => key.split('.').reduce<Tree | string>((node, part) => (node as Tree)[part]!, tree) === '').map((key) => `${lang}:${key}`);
    expect([...empty(es, 'es'), ...empty(en, 'en')]).toEqual([]);
  });

  it('every literal key in the code exists, in a namespace the file asks for', () => {
    const keys = new Map(namespaces.map((ns) => [ns, keySet(ns)]));
    const problems: string[] = [];
    for (const file of sourceFiles(webSrc)) {
      const source = fs.readFileSync(file, 'utf8');
      const asked = [...source.matchAll(/useTranslation\(\[([^\]]*)\]\)/g)].flatMap((m) => [...m[1]!.matchAll(/'(\w+)'/g)].map((n) => n[1]!));
      const where = path.relative(webSrc, file);
      for (const key of keysUsed(source)) {
        const [ns, rest] = key.includes(':') ? (key.split(':', 2) as [string, string]) : ['ui', key];
        if (!keys.get(ns)?.has(rest)) problems.push(`${where}: ${key} is in no locale file`);
        // `ui` and `app` are loaded at start (app/i18n.ts). A helper may receive `t` from its caller, which then asks for the namespace.
        if (!preloaded.includes(ns) && source.includes('useTranslation(') && !asked.includes(ns) && !source.includes(`useTranslation(['${ns}'`)) problems.push(`${where}: uses ${ns}: without useTranslation asking for it`);
      }
    }
    expect(problems).toEqual([]);
  });
});
