/**
 * The directory's controlled lists, shared by the staff API (the editor's form, Spanish and English)
 * and the public pages (languages also named in French, Haitian Creole and Portuguese, machine-made
 * like src/public/locales). Languages are ISO 639-3 (HSDS `language.code`): the languages migrants
 * in Mexico speak, and the indigenous languages of the southern border.
 */
export const languages = {
  spa: { es: 'Español', en: 'Spanish', fr: 'Espagnol', ht: 'Panyòl', pt: 'Espanhol' },
  eng: { es: 'Inglés', en: 'English', fr: 'Anglais', ht: 'Angle', pt: 'Inglês' },
  fra: { es: 'Francés', en: 'French', fr: 'Français', ht: 'Franse', pt: 'Francês' },
  hat: { es: 'Criollo haitiano', en: 'Haitian Creole', fr: 'Créole haïtien', ht: 'Kreyòl ayisyen', pt: 'Crioulo haitiano' },
  por: { es: 'Portugués', en: 'Portuguese', fr: 'Portugais', ht: 'Pòtigè', pt: 'Português' },
  ara: { es: 'Árabe', en: 'Arabic', fr: 'Arabe', ht: 'Arab', pt: 'Árabe' },
  mam: { es: 'Mam', en: 'Mam', fr: 'Mam', ht: 'Mam', pt: 'Mam' },
  quc: { es: "K'iche'", en: "K'iche'", fr: "K'iche'", ht: "K'iche'", pt: "K'iche'" },
  tzo: { es: 'Tsotsil', en: 'Tzotzil', fr: 'Tzotzil', ht: 'Tzotzil', pt: 'Tsotsil' },
  tzh: { es: 'Tseltal', en: 'Tzeltal', fr: 'Tzeltal', ht: 'Tzeltal', pt: 'Tseltal' },
  sgn: { es: 'Lengua de señas', en: 'Sign language', fr: 'Langue des signes', ht: 'Lang siy', pt: 'Língua de sinais' },
} as const;
export type LanguageCode = keyof typeof languages;
export const languageCodes = Object.keys(languages) as [LanguageCode, ...LanguageCode[]];

export const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof weekdays)[number];

export const phoneTypes = ['voice', 'text', 'whatsapp', 'fax', 'hotline'] as const;
export const serviceStatuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

/** An entry not verified for this many months is flagged to its editors (and says so on the public page). */
export const STALE_MONTHS = 6;
