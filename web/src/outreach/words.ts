import * as words from '../../../src/outreach/vocabularies.ts';
import { countryName, mxStates, type Lang } from '../ui/format.ts';

type Labels = { es: string; en: string };
export type OutreachList = keyof typeof words;

/** The outreach lists' labels (src/outreach/vocabularies.ts, shared with the server). */
export const outreachLabel = (list: OutreachList, key: string, lang: Lang) => (words[list] as Record<string, Labels>)[key]?.[lang] ?? key;
export const outreachOptions = (list: OutreachList, lang: Lang): [string, string][] => Object.entries(words[list] as Record<string, Labels>).map(([key, l]) => [key, l[lang]]);
export const sexKeys = Object.keys(words.attendanceSexes);
export const ageBandKeys = Object.keys(words.attendanceAgeBands);

/** Where an event was held, in words: the state (Mexico) or the city and country (abroad), and the venue. */
export function placeOf(e: { country: string; state_code: string | null; city: string | null; venue: string | null }, lang: Lang): string {
  const where = e.country === 'MEX' ? [e.city, mxStates.find(([c]) => c === e.state_code)?.[1]] : [e.city, countryName(e.country, lang)];
  return [e.venue, ...where].filter(Boolean).join(', ');
}
