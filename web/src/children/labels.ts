import * as vocabularies from '../../../src/children/vocabularies.ts';
import type { Lang } from '../ui/format.ts';

type Labels = { es: string; en: string };
export type ChildVocabulary = Exclude<keyof typeof vocabularies, 'keysOf'>;

/** Labels of the child-protection lists, from the server's own file (the two never disagree). */
export function childLabel(list: ChildVocabulary, key: string | null | undefined, lang: Lang): string {
  if (!key) return '';
  return (vocabularies[list] as Record<string, Labels>)[key]?.[lang] ?? key;
}

export function childOptions(list: ChildVocabulary, lang: Lang): [string, string][] {
  return Object.entries(vocabularies[list] as Record<string, Labels>).map(([key, labels]) => [key, labels[lang]]);
}

/** Hours in words ("6 h", "3 días"), for the time from identification to notification. */
export function hoursInWords(hours: number | null, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (hours === null) return t('children:file.notNotified');
  if (hours < 48) return t('children:file.hours', { count: Math.round(hours) });
  return t('children:file.days', { count: Math.round(hours / 24) });
}
