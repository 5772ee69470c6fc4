import { catalogue } from '../platform/i18n/catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * Controlled lists of the child-protection module, with their labels (the web app shows these). The
 * rights follow the Ley General de los Derechos de Niñas, Niños y Adolescentes (LGDNNA, title two);
 * the measures are those a Procuraduría's restitution plan (art. 123) typically orders.
 * The labels live in `locales/<lang>.json` (one section per list), where translators edit them.
 */
type Labels = { es: string; en: string };
const { list } = catalogue({ es, en });

export const accompaniments = list('accompaniments');

export const identificationWays = list('identificationWays');

export const wishes = list('wishes');

export const tracingConsents = list('tracingConsents');

export const protectionClaims = list('protectionClaims');

export const linkRelationships = list('linkRelationships');

export const rightsAffected = list('rightsAffected');

export const measures = list('measures');

export const measureTypes = list('measureTypes');

export const frequencies = list('frequencies');

/** Alternative care, most family-like first (the UN Guidelines' order of preference). */
export const careTypes = list('careTypes');

export const facilityKinds = list('facilityKinds');

export const bestInterestsKinds = list('bestInterestsKinds');

export const bestInterestsDecisions = list('bestInterestsDecisions');

export const professions = list('professions');

export const panelPositions = list('panelPositions');

export const adultRelationships = list('adultRelationships');

export const recommendations = list('recommendations');

export const followupOutcomes = list('followupOutcomes');

export const tracingChannels = list('tracingChannels');

export const tracingVia = list('tracingVia');

export const tracingMatchStatuses = list('tracingMatchStatuses');

export { keysOf } from '../cases/vocabularies.ts';
