/**
 * The directory's controlled lists with Spanish and English labels, shared by the staff API (the
 * editor's form) and the public pages. Languages are ISO 639-3 (HSDS `language.code`): the languages
 * migrants in Mexico speak, and the indigenous languages of the southern border.
 */
export const languages = {
  spa: { es: 'Español', en: 'Spanish' },
  eng: { es: 'Inglés', en: 'English' },
  fra: { es: 'Francés', en: 'French' },
  hat: { es: 'Criollo haitiano', en: 'Haitian Creole' },
  por: { es: 'Portugués', en: 'Portuguese' },
  ara: { es: 'Árabe', en: 'Arabic' },
  mam: { es: 'Mam', en: 'Mam' },
  quc: { es: "K'iche'", en: "K'iche'" },
  tzo: { es: 'Tsotsil', en: 'Tzotzil' },
  tzh: { es: 'Tseltal', en: 'Tzeltal' },
  sgn: { es: 'Lengua de señas', en: 'Sign language' },
} as const;
export type LanguageCode = keyof typeof languages;
export const languageCodes = Object.keys(languages) as [LanguageCode, ...LanguageCode[]];

export const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof weekdays)[number];

export const phoneTypes = ['voice', 'text', 'whatsapp', 'fax', 'hotline'] as const;
export const serviceStatuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

/** An entry not verified for this many months is flagged to its editors (and says so on the public page). */
export const STALE_MONTHS = 6;
