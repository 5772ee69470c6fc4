import { catalogue } from '../platform/i18n/catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * The statistics' words, in `locales/<lang>.json`: places, the values of each dimension, the
 * dimensions, the GCM objectives and every indicator's label, definition, date and de-duplication,
 * grouped under the name of the table that uses them.
 */
export const { text, list } = catalogue({ es, en });

/** The words of a table and its exports: margins' notes, headers. */
export const tableWords = list('tables');

/** The files themselves, for the report's sentences (report.messages.ts), which are templates with plural forms rather than labels. */
export const statisticsLocales = { es, en };
