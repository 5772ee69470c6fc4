import type { ApiAnswer } from '../api/client.ts';

export type ScreeningView = ApiAnswer<'/api/v1/screenings/{id}'>;
export type CaseScreening = ApiAnswer<'/api/v1/cases/{id}/screenings'>[number];
export type Instrument = ApiAnswer<'/api/v1/screenings/instruments'>[number];
export type Definition = ScreeningView['definition'];
export type Question = Definition['questions'][number];
export type Localized = Definition['title'];
export type AnswerValue = ScreeningView['answers'][number]['value'];

/** A definition's text in the language asked for, else Spanish (every definition has Spanish and English). */
export const say = (text: Localized, lang: string): string => (text as Record<string, string | undefined>)[lang] ?? text.es;
