import * as vocabularies from '../../../src/cases/vocabularies.ts';
import { mxStateOptions } from '../../../src/platform/mx-states.ts';

export type Lang = 'es' | 'en';
type Labels = { es: string; en: string };
export type VocabularyName = Exclude<keyof typeof vocabularies, 'keysOf'>;

export const vocab = vocabularies;

/** The label of a controlled-list key in the UI's language (the key itself if unknown). */
export function label(list: VocabularyName, key: string | null | undefined, lang: Lang): string {
  if (!key) return '';
  const entries = vocabularies[list] as Record<string, Labels>;
  return entries[key]?.[lang] ?? key;
}

/** [key, label] pairs of a controlled list, in its declared order. */
export function options(list: VocabularyName, lang: Lang): [string, string][] {
  return Object.entries(vocabularies[list] as Record<string, Labels>).map(([key, labels]) => [key, labels[lang]]);
}

const locale = (lang: Lang) => (lang === 'es' ? 'es-MX' : 'en-GB');

/** A calendar date (YYYY-MM-DD) in the UI's language, without time-zone shifts. */
export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const date = new Date(`${value.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** The deployment's time zone (AMPARO_TIME_ZONE, from the session); until it is known, the browser's. */
let displayZone: string | undefined;

/** Set once the session is read: times of day then read as they do at the institution, whatever the device's zone. */
export function setTimeZone(zone: string | undefined): void {
  displayZone = zone;
}

/** An instant as a date and time of day in the deployment's time zone. */
export function formatDateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', ...(displayZone ? { timeZone: displayZone } : {}) }).format(date);
}

export const formatNumber = (n: number, lang: Lang) => new Intl.NumberFormat(locale(lang)).format(n);

export function formatBytes(n: number, lang: Lang): string {
  if (n < 1024) return `${formatNumber(n, lang)} B`;
  if (n < 1024 * 1024) return `${formatNumber(Math.round(n / 102.4) / 10, lang)} KB`;
  return `${formatNumber(Math.round((n / (1024 * 1024)) * 10) / 10, lang)} MB`;
}

/** Today's date (YYYY-MM-DD) in the deployment's time zone. */
export const today = () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(displayZone ? { timeZone: displayZone } : {}) }).format(new Date());

export { fullName as personName } from '../../../src/platform/names.ts';

export function ageOf(p: { date_of_birth: string | null; estimated_age: number | null }): number | null {
  if (p.date_of_birth) {
    const [y, m, d] = p.date_of_birth.split('-').map(Number) as [number, number, number];
    const now = new Date();
    let age = now.getFullYear() - y;
    if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
    return age;
  }
  return p.estimated_age;
}

/** ISO 3166-1 alpha-3 codes of the countries most seen in migrant protection, with their alpha-2 for display names. */
const countryCodes: [string, string][] = [
  ['MEX', 'MX'], ['GTM', 'GT'], ['HND', 'HN'], ['SLV', 'SV'], ['NIC', 'NI'], ['CRI', 'CR'], ['PAN', 'PA'], ['BLZ', 'BZ'],
  ['HTI', 'HT'], ['CUB', 'CU'], ['DOM', 'DO'], ['JAM', 'JM'], ['VEN', 'VE'], ['COL', 'CO'], ['ECU', 'EC'], ['PER', 'PE'],
  ['BOL', 'BO'], ['CHL', 'CL'], ['ARG', 'AR'], ['BRA', 'BR'], ['URY', 'UY'], ['PRY', 'PY'], ['USA', 'US'], ['CAN', 'CA'],
  ['ESP', 'ES'], ['FRA', 'FR'], ['ITA', 'IT'], ['DEU', 'DE'], ['GBR', 'GB'], ['UKR', 'UA'], ['RUS', 'RU'], ['TUR', 'TR'],
  ['CHN', 'CN'], ['IND', 'IN'], ['BGD', 'BD'], ['NPL', 'NP'], ['PAK', 'PK'], ['AFG', 'AF'], ['UZB', 'UZ'], ['VNM', 'VN'],
  ['SEN', 'SN'], ['GIN', 'GN'], ['CMR', 'CM'], ['GHA', 'GH'], ['NGA', 'NG'], ['COD', 'CD'], ['AGO', 'AO'], ['ERI', 'ER'],
  ['SOM', 'SO'], ['ETH', 'ET'], ['MRT', 'MR'], ['EGY', 'EG'], ['SYR', 'SY'],
];

export function countryName(code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  const alpha2 = countryCodes.find(([a3]) => a3 === code)?.[1];
  if (!alpha2) return code;
  try {
    return new Intl.DisplayNames([locale(lang)], { type: 'region' }).of(alpha2) ?? code;
  } catch {
    return code;
  }
}

export function countryOptions(lang: Lang): [string, string][] {
  return countryCodes.map(([a3]) => [a3, countryName(a3, lang)] as [string, string]).sort((a, b) => a[1].localeCompare(b[1], locale(lang)));
}

/** ISO 639-3 codes of languages often spoken by people on the move, including Mayan languages. */
const languageLabels: Record<string, Labels> = {
  spa: { es: 'Español', en: 'Spanish' },
  eng: { es: 'Inglés', en: 'English' },
  fra: { es: 'Francés', en: 'French' },
  hat: { es: 'Criollo haitiano', en: 'Haitian Creole' },
  por: { es: 'Portugués', en: 'Portuguese' },
  mam: { es: 'Mam', en: 'Mam' },
  quc: { es: 'K’iche’', en: 'K’iche’' },
  kek: { es: 'Q’eqchi’', en: 'Q’eqchi’' },
  cak: { es: 'Kaqchikel', en: 'Kaqchikel' },
  tzo: { es: 'Tsotsil', en: 'Tzotzil' },
  tzh: { es: 'Tseltal', en: 'Tzeltal' },
  cab: { es: 'Garífuna', en: 'Garifuna' },
  miq: { es: 'Miskito', en: 'Miskito' },
  ara: { es: 'Árabe', en: 'Arabic' },
  rus: { es: 'Ruso', en: 'Russian' },
  ukr: { es: 'Ucraniano', en: 'Ukrainian' },
  hin: { es: 'Hindi', en: 'Hindi' },
  ben: { es: 'Bengalí', en: 'Bengali' },
  zho: { es: 'Chino', en: 'Chinese' },
  wol: { es: 'Wolof', en: 'Wolof' },
};

export const languageName = (code: string, lang: Lang) => languageLabels[code]?.[lang] ?? code;
export const languageOptions = (lang: Lang): [string, string][] => Object.entries(languageLabels).map(([code, l]) => [code, l[lang]]);

/** Mexican states with INEGI's two-digit codes, ordered by name: the server's one table (src/platform/mx-states.ts). */
export const mxStates: [string, string][] = mxStateOptions;

/** The fields of `next` that differ from `was`: a correction sends only these, so its history names exactly what changed. */
export function changedFields<T extends Record<string, unknown>>(next: T, was: { [K in keyof T]: unknown }): Partial<T> {
  return Object.fromEntries(Object.entries(next).filter(([key, value]) => value !== was[key as keyof T])) as Partial<T>;
}
