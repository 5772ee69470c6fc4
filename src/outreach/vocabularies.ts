import { catalogue } from '../platform/i18n/catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * The outreach events' controlled lists, with their labels. The server validates against the keys;
 * the web app and the statistics import this same file for their labels.
 * The labels live in `locales/<lang>.json` (one section per list), where translators edit them.
 */
type Labels = { es: string; en: string };
const { list } = catalogue({ es, en });

export const eventKinds = list('eventKinds');

export const eventTopics = list('eventTopics');

export const attendanceSexes = list('attendanceSexes');

/** Age bands of the attendance: the statistics' default bands (src/statistics/dimensions.ts DEFAULT_AGE_BANDS). */
export const attendanceAgeBands = list('attendanceAgeBands');
