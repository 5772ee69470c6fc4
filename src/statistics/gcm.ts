import { text } from './labels.ts';

/** The 23 objectives of the Global Compact for Migration (A/RES/73/195): short labels (UN Network on Migration) and titles. */
export type GcmObjective = { objective: number; label: { es: string; en: string }; title: { es: string; en: string } };

export const gcmObjectives: GcmObjective[] = [
  { objective: 1, label: text('gcmObjectives.1.label'), title: text('gcmObjectives.1.title') },
  { objective: 2, label: text('gcmObjectives.2.label'), title: text('gcmObjectives.2.title') },
  { objective: 3, label: text('gcmObjectives.3.label'), title: text('gcmObjectives.3.title') },
  { objective: 4, label: text('gcmObjectives.4.label'), title: text('gcmObjectives.4.title') },
  { objective: 5, label: text('gcmObjectives.5.label'), title: text('gcmObjectives.5.title') },
  { objective: 6, label: text('gcmObjectives.6.label'), title: text('gcmObjectives.6.title') },
  { objective: 7, label: text('gcmObjectives.7.label'), title: text('gcmObjectives.7.title') },
  { objective: 8, label: text('gcmObjectives.8.label'), title: text('gcmObjectives.8.title') },
  { objective: 9, label: text('gcmObjectives.9.label'), title: text('gcmObjectives.9.title') },
  { objective: 10, label: text('gcmObjectives.10.label'), title: text('gcmObjectives.10.title') },
  { objective: 11, label: text('gcmObjectives.11.label'), title: text('gcmObjectives.11.title') },
  { objective: 12, label: text('gcmObjectives.12.label'), title: text('gcmObjectives.12.title') },
  { objective: 13, label: text('gcmObjectives.13.label'), title: text('gcmObjectives.13.title') },
  { objective: 14, label: text('gcmObjectives.14.label'), title: text('gcmObjectives.14.title') },
  { objective: 15, label: text('gcmObjectives.15.label'), title: text('gcmObjectives.15.title') },
  { objective: 16, label: text('gcmObjectives.16.label'), title: text('gcmObjectives.16.title') },
  { objective: 17, label: text('gcmObjectives.17.label'), title: text('gcmObjectives.17.title') },
  { objective: 18, label: text('gcmObjectives.18.label'), title: text('gcmObjectives.18.title') },
  { objective: 19, label: text('gcmObjectives.19.label'), title: text('gcmObjectives.19.title') },
  { objective: 20, label: text('gcmObjectives.20.label'), title: text('gcmObjectives.20.title') },
  { objective: 21, label: text('gcmObjectives.21.label'), title: text('gcmObjectives.21.title') },
  { objective: 22, label: text('gcmObjectives.22.label'), title: text('gcmObjectives.22.title') },
  { objective: 23, label: text('gcmObjectives.23.label'), title: text('gcmObjectives.23.title') },
];

export const gcmObjective = (n: number): GcmObjective => gcmObjectives.find((o) => o.objective === n)!;
