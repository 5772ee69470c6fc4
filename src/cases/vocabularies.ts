import { catalogue } from '../platform/i18n/catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * Controlled lists for people and case files, with their labels. The server validates against the
 * keys; the web app imports this same file for its labels, so the two never disagree.
 * The labels live in `locales/<lang>.json` (one section per list), where translators edit them.
 */
type Labels = { es: string; en: string };
const { list } = catalogue({ es, en });

export const programmes = list('programmes');

export const crimeTypes = list('crimeTypes');

export const rightsViolations = list('rightsViolations');

export const serviceTypes = list('serviceTypes');

export const participantRoles = list('participantRoles');

export const sexes = list('sexes');

export const genderIdentities = list('genderIdentities');

export const vulnerabilities = list('vulnerabilities');

export const disabilities = list('disabilities');

export const documentTypes = list('documentTypes');

export const closureReasons = list('closureReasons');

export const consentMethods = list('consentMethods');

export const sharedSections = list('sharedSections');

export const keysOf = <K extends string>(entries: Record<K, Labels>) => Object.keys(entries) as [K, ...K[]];
