import type { Lang } from './dimensions.ts';
import { fill } from '../platform/i18n/catalogue.ts';
import { statisticsLocales } from './labels.ts';

/**
 * Every phrase of the statistics report, in `locales/<lang>.json` under `report`. A sentence is a
 * template whose `{{slots}}` take text, figures (links in the report) or lists of parts; each
 * language keeps its own word order and agreement through i18next's plural keys: `text_one` /
 * `text_other` chosen by the sentence's first figure ("1 unidad brindó", "12 unidades brindaron"),
 * and a phrase per other figure (`people_one`: "{{people}} migrante"). A withheld cell reads as a
 * plural ("menos de 5 unidades").
 */
export type Figure = { kind: 'figure'; text: string; value: number | null; href: string };
export type Part = string | Figure;

/** 1017 -> "1,017" (Mexican usage, and English). */
export const formatNumber = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A calendar period in its three shapes: a whole year, whole months, or days. */
export type PeriodShape =
  | { kind: 'year'; year: number }
  | { kind: 'month'; month: number; year: number }
  | { kind: 'months'; from: { month: number; year: number }; to: { month: number; year: number } }
  | { kind: 'days'; from: { day: number; month: number; year: number }; to: { day: number; month: number; year: number } };

export type ReportMessages = {
  /** "de junio de 2018 a mayo de 2019": a period inside a sentence or a title. */
  period: (p: PeriodShape) => string;
  /** "De junio de 2018 a mayo de 2019": a period opening a sentence. */
  periodOpening: (p: PeriodShape) => string;
  title: (period: string) => string;
  and: string;
  fewerThan: (min: number) => string;
  withheld: string;
  withheldShort: string;
  outsideMexico: string;
  unitTypes: Record<string, string>;
  institutionTypes: Record<string, string>;
  unitsAttended: (a: { period: string; units: Figure; types: Part[]; people: Figure }) => Part[];
  unitsWithMinors: (share: Figure) => Part[];
  statesAttending: (states: string[], list: string) => string;
  mostAttendedIn: (share: Figure, state: string) => Part[];
  caseFilesAndVictims: (a: { period: string; cases: Figure; victims: Figure }) => Part[];
  peopleBySex: (a: { period: string; people: Figure; men: Figure; women: Figure; others: { figure: Figure; sex: string }[] }) => Part[];
  nationalities: (a: { lead: Figure; main: string; rest: string | null }) => Part[];
  nationalitiesLead: (majority: boolean) => string;
  casesAttended: (a: { period: string; cases: Figure; events: Figure | null; attendees: Figure | null }) => Part[];
  outreach: (a: { period: string; events: Figure; attendees: Figure }) => Part[];
  reunifications: (a: { period: string; reunifications: Figure }) => Part[];
  unitsByStateTitle: string;
  stateColumn: string;
  unitsColumn: string;
  byAgeAndSexTitle: string;
  ageGroupColumn: string;
  outreachByTopicTitle: string;
  topicColumn: string;
  eventsColumn: string;
  attendeesColumn: string;
  screeningsTitle: string;
  instrumentColumn: string;
  screeningsColumn: string;
  flagsColumn: string;
  referralsColumn: string;
  acceptedColumn: string;
  total: string;
  byNationalityChart: string;
  chartNote: string;
  empty: (period: string) => string;
  notes: (minCell: number) => string[];
  generated: string;
  letterheadDate: string;
  logo: string;
};

type Slot = string | Figure | Part[];

const one = (f: Figure | number | null) => (typeof f === 'number' ? f : f?.value) === 1;
/** i18next's plural suffix for a figure (Spanish and English have two forms). */
export const plural = (f: Figure | number | null) => (one(f) ? 'one' : 'other');

/** A template's slots filled: text joins the sentence, a figure stays a part of its own, a list of parts is spread. */
export function sentence(template: string, slots: Record<string, Slot>): Part[] {
  const parts: Part[] = [];
  template.split(/(\{\{\w+\}\})/).forEach((piece, i) => {
    if (i % 2 === 0) {
      if (piece) parts.push(piece);
      return;
    }
    const slot = slots[piece.slice(2, -2)] ?? '';
    if (Array.isArray(slot)) parts.push(...slot);
    else if (slot !== '') parts.push(slot);
  });
  return parts;
}

/**
 * A sentence of a group (`{ text_one, text_other, people_one, ... }`): each named figure first becomes
 * its phrase (in the order given, so a phrase may hold an earlier one), then the sentence takes them.
 */
export function say(group: Record<string, string | undefined>, text: string, count: Figure | number | null | undefined, slots: Record<string, Slot>, phrases: Record<string, Figure> = {}): Part[] {
  const filled: Record<string, Slot> = { ...slots };
  for (const [name, figure] of Object.entries(phrases)) filled[name] = sentence(group[`${name}_${plural(figure)}`]!, { ...filled, [name]: figure });
  return sentence((count === undefined ? group[text] : group[`${text}_${plural(count)}`])!, filled);
}

const plainPart = (parts: Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

function messages(lang: Lang): ReportMessages {
  const w = statisticsLocales[lang].report;
  const shape = (templates: Record<PeriodShape['kind'], string>) => (p: PeriodShape) => {
    const m = (n: number) => w.months[n - 1]!;
    switch (p.kind) {
      case 'year':
        return fill(templates.year, { year: p.year });
      case 'month':
        return fill(templates.month, { month: m(p.month), year: p.year });
      case 'months':
        return fill(templates.months, { fromMonth: m(p.from.month), fromYear: p.from.year, toMonth: m(p.to.month), toYear: p.to.year });
      case 'days':
        return fill(templates.days, { fromDay: p.from.day, fromMonth: m(p.from.month), fromYear: p.from.year, toDay: p.to.day, toMonth: m(p.to.month), toYear: p.to.year });
    }
  };
  const others = (list: { figure: Figure; sex: string }[]) => list.map((o) => (o.sex === 'intersex' ? { intersex: o.figure } : { unknown: o.figure }));
  return {
    period: shape(w.period),
    periodOpening: shape(w.periodOpening),
    title: (period) => fill(w.title, { period }),
    and: w.and,
    fewerThan: (min) => fill(w.fewerThan, { min }),
    withheld: w.withheld,
    withheldShort: w.withheldShort,
    outsideMexico: w.outsideMexico,
    unitTypes: w.unitTypes,
    institutionTypes: w.institutionTypes,
    unitsAttended: ({ period, units, types, people }) => say(w.unitsAttended, 'text', units, { period, units, types }, { people }),
    unitsWithMinors: (share) => sentence(w.unitsWithMinors, { share }),
    statesAttending: (states, list) => plainPart(say(w.statesAttending, 'text', states.length, { list })),
    mostAttendedIn: (share, state) => sentence(w.mostAttendedIn, { share, state }),
    caseFilesAndVictims: ({ period, cases, victims }) => say(w.caseFilesAndVictims, 'text', cases, { period, cases }, { victims }),
    peopleBySex: ({ period, people, men, women, others: rest }) => {
      // "m hombres, w mujeres, i con sexo intersexual y u con sexo no registrado": a list joined by commas and a last "y".
      const phrases = [{ men }, { women }, ...others(rest)].map((entry) => {
        const [name, figure] = Object.entries(entry)[0]!;
        return sentence(w.peopleBySex[`${name}_${plural(figure)}` as keyof typeof w.peopleBySex], { [name]: figure });
      });
      const bySex = phrases.flatMap((phrase, i) => (i === 0 ? phrase : [i === phrases.length - 1 ? ` ${w.and} ` : ', ', ...phrase]));
      return say(w.peopleBySex, 'text', people, { period, people, bySex });
    },
    nationalitiesLead: (majority) => (majority ? w.nationalitiesLead.majority : w.nationalitiesLead.main),
    nationalities: ({ lead, main, rest }) => sentence(rest ? w.nationalities.withRest : w.nationalities.text, { lead, main, rest: rest ?? '' }),
    casesAttended: ({ period, cases, events, attendees }) =>
      events && attendees ? say(w.casesAttended, 'withOutreach', cases, { period, cases }, { attendees, events }) : say(w.casesAttended, 'text', cases, { period, cases }),
    outreach: ({ period, events, attendees }) => say(w.outreach, 'text', events, { period, events }, { attendees }),
    reunifications: ({ period, reunifications }) => say(w.reunifications, 'text', reunifications, { period, reunifications }),
    unitsByStateTitle: w.unitsByStateTitle,
    stateColumn: w.stateColumn,
    unitsColumn: w.unitsColumn,
    byAgeAndSexTitle: w.byAgeAndSexTitle,
    ageGroupColumn: w.ageGroupColumn,
    outreachByTopicTitle: w.outreachByTopicTitle,
    topicColumn: w.topicColumn,
    eventsColumn: w.eventsColumn,
    attendeesColumn: w.attendeesColumn,
    screeningsTitle: w.screeningsTitle,
    instrumentColumn: w.instrumentColumn,
    screeningsColumn: w.screeningsColumn,
    flagsColumn: w.flagsColumn,
    referralsColumn: w.referralsColumn,
    acceptedColumn: w.acceptedColumn,
    total: w.total,
    byNationalityChart: w.byNationalityChart,
    chartNote: w.chartNote,
    empty: (period) => fill(w.empty, { period }),
    notes: (minCell) => w.notes.map((note) => fill(note, { minCell })),
    generated: w.generated,
    letterheadDate: w.letterheadDate,
    logo: w.logo,
  };
}

export const reportMessages: Record<Lang, ReportMessages> = { es: messages('es'), en: messages('en') };
