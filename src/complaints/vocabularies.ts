import type { ComplaintStatus } from '../platform/db/database.ts';
import { catalogue } from '../platform/i18n/catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * Controlled lists of the complaints module, with Spanish and English labels. The public pages and
 * the API validate against the keys; statistics count by them.
 * The labels live in `locales/<lang>.json` (one section per list), where translators edit them.
 */
type Labels = { es: string; en: string };
const { list } = catalogue({ es, en });
export const keysOf = <K extends string>(entries: Record<K, Labels>) => Object.keys(entries) as [K, ...K[]];

export const complaintKinds = list('complaintKinds');

export const complaintChannels = list('complaintChannels');

export const placeTypes = list('placeTypes');

export const authorityTypes = list('authorityTypes');

export const complaintStatuses = list('complaintStatuses');

export const notAdmittedReasons = list('notAdmittedReasons');

export const outcomes = list('outcomes');

export const transmissionMeans = list('transmissionMeans');

/** The 32 states with INEGI's two-digit codes. */
export { mexicanStates } from '../platform/mx-states.ts';

/** Allowed status changes. `transmitted` is reached only by recording a transmission (with its package). */
export const transitions: Record<ComplaintStatus, ComplaintStatus[]> = {
  new: ['under_review', 'more_information_requested', 'admitted', 'not_admitted', 'closed'],
  under_review: ['more_information_requested', 'admitted', 'not_admitted', 'transmitted', 'closed'],
  more_information_requested: ['under_review', 'admitted', 'not_admitted', 'closed'],
  admitted: ['under_review', 'more_information_requested', 'transmitted', 'resolved', 'closed'],
  not_admitted: ['under_review', 'closed'],
  transmitted: ['more_information_requested', 'resolved', 'closed'],
  resolved: ['closed'],
  closed: ['under_review'],
};
