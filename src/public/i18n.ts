import type { FastifyRequest } from 'fastify';
import { negotiateLanguage } from '../platform/i18n/messages.ts';
import { countries } from '../statistics/geography.ts';
import { intlLocale } from '../platform/dates.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };
import ht from './locales/ht.json' with { type: 'json' };
import pt from './locales/pt.json' with { type: 'json' };

/**
 * The languages of the public pages (home, information, complaints, the families' search, their
 * receipts and PDFs). Every text lives in `locales/<lang>.json`, one file per language with one
 * object per area (`common`, `home`, `information`, `complaints`, `missing`, `directory`); Spanish is the
 * reference. The type below makes a missing key a type error and `locales.test.ts` names it.
 * `meta.reviewedByNativeSpeaker` says honestly whether a native speaker has checked the file.
 */
export const PUBLIC_LANGUAGES = ['es', 'en', 'fr', 'ht', 'pt'] as const;
export type PublicLanguage = (typeof PUBLIC_LANGUAGES)[number];
export type Locale = typeof es;

export const locales: Record<PublicLanguage, Locale> = { es, en, fr, ht, pt };

/** The strings of one area, with the shared ones (`common`) and the language code as `lang`. */
export type AreaStrings<A extends 'home' | 'information' | 'complaints' | 'missing' | 'directory'> = Locale['common'] & Locale[A] & { lang: PublicLanguage };

const cache = new Map<string, unknown>();
export function areaStrings<A extends 'home' | 'information' | 'complaints' | 'missing' | 'directory'>(area: A, lang: PublicLanguage): AreaStrings<A> {
  const key = `${area}:${lang}`;
  let strings = cache.get(key) as AreaStrings<A> | undefined;
  if (!strings) {
    const locale = locales[lang];
    strings = Object.freeze({ ...locale.common, ...locale[area], lang }) as unknown as AreaStrings<A>;
    cache.set(key, strings);
  }
  return strings;
}

export const isPublicLanguage = (value: unknown): value is PublicLanguage => typeof value === 'string' && (PUBLIC_LANGUAGES as readonly string[]).includes(value);

/** A public page's language: `?lang=` (the switch's links carry it), else Accept-Language, else Spanish. */
export function publicLanguage(request: FastifyRequest): PublicLanguage {
  const query = request.url.indexOf('?');
  const asked = query < 0 ? null : new URLSearchParams(request.url.slice(query + 1)).get('lang');
  return negotiateLanguage<PublicLanguage>(asked, request.headers['accept-language'], PUBLIC_LANGUAGES);
}

/** A locale string with its `{{name}}` placeholders filled: the one helper the server's catalogues share. */
export { fill } from '../platform/i18n/catalogue.ts';

/** ISO 3166-1 alpha-3 → alpha-2 for the countries of the platform's list, so that Intl can name them. */
const ALPHA2: Record<string, string> = {
  GTM: 'GT', HND: 'HN', SLV: 'SV', NIC: 'NI', CRI: 'CR', PAN: 'PA', BLZ: 'BZ', CUB: 'CU', HTI: 'HT', DOM: 'DO', JAM: 'JM', PRI: 'PR', TTO: 'TT',
  BHS: 'BS', VEN: 'VE', COL: 'CO', ECU: 'EC', PER: 'PE', BRA: 'BR', ARG: 'AR', CHL: 'CL', BOL: 'BO', PRY: 'PY', URY: 'UY', GUY: 'GY', SUR: 'SR',
  MEX: 'MX', USA: 'US', CAN: 'CA', ESP: 'ES', CMR: 'CM', NGA: 'NG', SEN: 'SN', UGA: 'UG', GHA: 'GH', ERI: 'ER', COD: 'CD', AGO: 'AO', IND: 'IN',
  BGD: 'BD', CHN: 'CN', NPL: 'NP', PAK: 'PK',
};

/** A country's name in a public page's language (the platform's own names in Spanish and English). */
export function countryName(code: string, lang: PublicLanguage): string {
  const entry = countries[code];
  if (!entry) return code;
  if (lang === 'es' || lang === 'en') return entry[lang];
  const alpha2 = ALPHA2[code];
  return alpha2 ? (new Intl.DisplayNames([intlLocale(lang)], { type: 'region' }).of(alpha2) ?? entry.en) : entry.en;
}
