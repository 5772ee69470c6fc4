import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The server's catalogues: every `src/<module>/locales/` folder (error messages, vocabularies,
 * statistics, the public pages). Each holds `es.json`, the reference, and one file per other language
 * with the same keys, the same `{{placeholders}}`, no empty text, and a `meta` that says whether a
 * native speaker has reviewed it. The files are read here as a translator's tool would read them.
 */
const src = path.resolve(import.meta.dirname, '../..');
type Tree = { [key: string]: string | boolean | string[] | Tree };

function localeFolders(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return [];
    const full = path.join(dir, entry.name);
    return entry.name === 'locales' ? [full] : localeFolders(full);
  });
}

const folders = localeFolders(src).map((full) => path.relative(src, full));
const languagesOf = (folder: string) => fs.readdirSync(path.join(src, folder)).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)).sort();
const read = (folder: string, lang: string): Tree => JSON.parse(fs.readFileSync(path.join(src, folder, `${lang}.json`), 'utf8')) as Tree;

/** Every text of a catalogue by its dotted path (`meta` apart); an array counts as one value. */
function texts(tree: Tree, prefix = ''): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [key, value] of Object.entries(tree)) {
    if (!prefix && key === 'meta') continue;
    const at = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string' || Array.isArray(value)) out.set(at, value);
    else if (typeof value === 'object') for (const [inner, text] of texts(value, at)) out.set(inner, text);
  }
  return out;
}

const placeholders = (text: string | string[]) => [...[text].flat().join(' ').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('server locale files', () => {
  it('are found beside the modules that use them', () => {
    expect(folders).toEqual(expect.arrayContaining(['platform/i18n/locales', 'cases/locales', 'children/locales', 'complaints/locales', 'outreach/locales', 'directory/locales', 'statistics/locales', 'missing/locales', 'public/locales']));
    for (const folder of folders) expect(languagesOf(folder), folder).toEqual(expect.arrayContaining(['en', 'es']));
  });

  it.each(folders)('%s: every language has the keys and placeholders of Spanish, and no empty text', (folder) => {
    const reference = texts(read(folder, 'es'));
    expect(reference.size, folder).toBeGreaterThan(0);
    for (const lang of languagesOf(folder).filter((l) => l !== 'es')) {
      const other = texts(read(folder, lang));
      expect([...reference.keys()].filter((key) => !other.has(key)), `${folder}: missing in ${lang}`).toEqual([]);
      expect([...other.keys()].filter((key) => !reference.has(key)), `${folder}: only in ${lang}`).toEqual([]);
      for (const [key, es] of reference) {
        const text = other.get(key)!;
        expect(placeholders(text), `${folder} ${lang}: ${key}`).toEqual(placeholders(es));
        if (Array.isArray(es)) expect((text as string[]).length, `${folder} ${lang}: ${key}`).toBe(es.length);
      }
    }
    // The public pages' "not reviewed" banner is empty in Spanish on purpose (src/public/locales.test.ts).
    for (const lang of languagesOf(folder)) expect([...texts(read(folder, lang))].filter(([key, text]) => key !== 'common.notReviewed' && [text].flat().some((t) => t.trim() === '')).map(([key]) => key), `${folder} ${lang}: empty`).toEqual([]);
  });

  it.each(folders)('%s: placeholders are {{name}}, as i18next writes them, never {name}', (folder) => {
    for (const lang of languagesOf(folder)) {
      const single = [...texts(read(folder, lang))].filter(([, text]) => [text].flat().some((t) => /(^|[^{])\{\w+\}(?!\})/.test(t)));
      expect(single.map(([key]) => key), `${folder} ${lang}`).toEqual([]);
    }
  });

  it.each(folders)('%s: each file says whether a native speaker reviewed it (Spanish is the reference)', (folder) => {
    for (const lang of languagesOf(folder)) {
      const meta = read(folder, lang).meta as { reviewedByNativeSpeaker: unknown; note: unknown } | undefined;
      expect(typeof meta?.reviewedByNativeSpeaker, `${folder} ${lang}`).toBe('boolean');
      expect(typeof meta?.note === 'string' && meta.note.length > 20, `${folder} ${lang}: note`).toBe(true);
    }
    // Machine-made translations: none reviewed by a native speaker yet.
    expect(languagesOf(folder).filter((lang) => (read(folder, lang).meta as { reviewedByNativeSpeaker: boolean }).reviewedByNativeSpeaker)).toEqual(['es']);
  });

  it('leaves no label pairs written in TypeScript outside the catalogues', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && /\{ es: '[^']*', en: '[^']*' \}/.test(fs.readFileSync(full, 'utf8'))) offenders.push(path.relative(src, full));
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
