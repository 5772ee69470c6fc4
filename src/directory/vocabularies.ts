import { catalogue } from '../platform/i18n/catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };
import ht from './locales/ht.json' with { type: 'json' };
import pt from './locales/pt.json' with { type: 'json' };

/**
 * The directory's controlled lists, shared by the staff API (the editor's form, Spanish and English)
 * and the public pages (languages also named in French, Haitian Creole and Portuguese, machine-made
 * like src/public/locales; the names are in `locales/<lang>.json`). Languages are ISO 639-3 (HSDS `language.code`): the languages migrants
 * in Mexico speak, and the indigenous languages of the southern border.
 */
const { list } = catalogue({ es, en, fr, ht, pt });

export const languages = list('languages');
export type LanguageCode = keyof typeof languages;
export const languageCodes = Object.keys(languages) as [LanguageCode, ...LanguageCode[]];

export const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof weekdays)[number];

export const phoneTypes = ['voice', 'text', 'whatsapp', 'fax', 'hotline'] as const;
export const serviceStatuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

/** An entry not verified for this many months is flagged to its editors (and says so on the public page). */
export const STALE_MONTHS = 6;
