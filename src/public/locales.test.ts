import { describe, expect, it } from 'vitest';
import { locales, PUBLIC_LANGUAGES } from './i18n.ts';
import { authorityTypes, complaintChannels, complaintKinds, complaintStatuses, placeTypes } from '../complaints/vocabularies.ts';

/** Every key of a locale as a path ("missing.statusText.active"); arrays count as one value. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('public locale files', () => {
  const reference = keysOf(locales.es);

  it.each(PUBLIC_LANGUAGES.filter((l) => l !== 'es'))('%s has every key of Spanish and no other', (lang) => {
    const keys = keysOf(locales[lang]);
    expect(reference.filter((k) => !keys.includes(k)), `missing in ${lang}`).toEqual([]);
    expect(keys.filter((k) => !reference.includes(k)), `only in ${lang}`).toEqual([]);
  });

  it.each(PUBLIC_LANGUAGES.filter((l) => l !== 'es'))('%s keeps every {{placeholder}} of Spanish and leaves no text empty', (lang) => {
    const value = (locale: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], locale);
    for (const path of reference) {
      const es = value(locales.es, path);
      const other = value(locales[lang], path);
      if (typeof es === 'string' && path !== 'common.notReviewed') {
        expect(other, `${lang}: ${path}`).toBeTypeOf('string');
        expect((other as string).trim(), `${lang}: ${path} is empty`).not.toBe('');
        expect(placeholders(other as string), `${lang}: ${path}`).toEqual(placeholders(es));
      }
      if (Array.isArray(es)) expect((other as unknown[]).length, `${lang}: ${path}`).toBe(es.length);
    }
  });

  it('writes placeholders as the staff app’s files do ({{name}}, i18next’s JSON), never {name}', () => {
    const strings = (value: unknown): string[] => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : []);
    for (const lang of PUBLIC_LANGUAGES) {
      const texts = strings(locales[lang]);
      expect(texts.filter((t) => /(^|[^{])\{\w+\}(?!\})/.test(t)), lang).toEqual([]);
      expect(texts.filter((t) => t.includes('{{')).length, lang).toBeGreaterThan(40);
    }
  });

  it('says for each language whether a native speaker reviewed it, and warns on pages of unreviewed ones', () => {
    for (const lang of PUBLIC_LANGUAGES) {
      expect(typeof locales[lang].meta.reviewedByNativeSpeaker, lang).toBe('boolean');
      expect(locales[lang].meta.note.length, lang).toBeGreaterThan(20);
      if (!locales[lang].meta.reviewedByNativeSpeaker) expect(locales[lang].common.notReviewed, lang).not.toBe('');
    }
    // The translations are machine-made (an AI assistant wrote them): none has been reviewed by a native speaker yet.
    expect(PUBLIC_LANGUAGES.filter((l) => locales[l].meta.reviewedByNativeSpeaker)).toEqual(['es']);
  });

  it('labels every code of the complaint vocabularies the public pages show', () => {
    const lists = { kinds: complaintKinds, channels: complaintChannels, placeTypes, authorityTypes, statuses: complaintStatuses };
    for (const lang of PUBLIC_LANGUAGES) {
      for (const [name, list] of Object.entries(lists)) expect(Object.keys(locales[lang].complaints.labels[name as keyof typeof lists]).sort(), `${lang} ${name}`).toEqual(Object.keys(list).sort());
    }
  });
});
