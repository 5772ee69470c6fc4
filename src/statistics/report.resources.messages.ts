import { fill } from '../platform/i18n/catalogue.ts';
import { say, sentence, type Figure, type Part } from './report.messages.ts';
import { statisticsLocales } from './labels.ts';

/**
 * The report's phrases for the rest of the seed (report.resources.ts), in `locales/<lang>.json` under
 * `reportResources`, templates with plural phrases as in report.messages.ts.
 */
export type ResourceMessages = {
  headings: { resources: string; operations: string; found: string; consular: string };
  /** "Al 30 de septiembre de 2019": the period's last day opening a sentence. */
  onDay: (day: string) => string;
  resources: (a: { on: string; points: Figure; staff: Figure; municipalities: Figure; states: Figure }) => Part[];
  rescues: (a: { period: string; rescued: Figure; operations: Figure }) => Part[];
  transfers: (a: { road: Figure; air: Figure }) => Part[];
  foundAlive: (a: { period: string; found: Figure; nationalities: Part[] }) => Part[];
  nationalityShare: (a: { figure: Figure; country: string }) => Part[];
  consularFiles: (a: { on: string; files: Figure; victims: Figure }) => Part[];
};

function messages(lang: 'es' | 'en'): ResourceMessages {
  const w = statisticsLocales[lang].reportResources;
  return {
    headings: w.headings,
    onDay: (day) => fill(w.onDay, { day }),
    resources: ({ on, points, staff, municipalities, states }) => say(w.resources, 'text', undefined, { on }, { points, staff, municipalities, states }),
    rescues: ({ period, rescued, operations }) => say(w.rescues, 'text', rescued, { period }, { rescued, operations }),
    transfers: ({ road, air }) => say(w.transfers, 'text', undefined, {}, { road, air }),
    foundAlive: ({ period, found, nationalities }) => say(w.foundAlive, nationalities.length ? 'withNationalities' : 'text', undefined, { period, nationalities }, { found }),
    nationalityShare: ({ figure, country }) => sentence(w.nationalityShare, { figure, country }),
    consularFiles: ({ on, files, victims }) => say(w.consularFiles, 'text', files, { on, files }, { victims }),
  };
}

export const resourceMessages: Record<'es' | 'en', ResourceMessages> = { es: messages('es'), en: messages('en') };
