import type { Lang } from './dimensions.ts';

/**
 * Every phrase of the statistics report, in Spanish and English. Sentences are functions of their
 * figures, so that each language keeps its own word order and agreement ("1 unidad brindó",
 * "12 unidades brindaron"). A figure is a number or a withheld cell; a withheld cell reads as a
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

const one = (f: Figure | number | null) => (typeof f === 'number' ? f : f?.value) === 1;
const pick = (f: Figure | number | null, singular: string, plural: string) => (one(f) ? singular : plural);

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

const MONTHS_ES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function periodEs(p: PeriodShape): string {
  const m = (n: number) => MONTHS_ES[n - 1]!;
  switch (p.kind) {
    case 'year':
      return String(p.year);
    case 'month':
      return `${m(p.month)} de ${p.year}`;
    case 'months':
      return `de ${m(p.from.month)} de ${p.from.year} a ${m(p.to.month)} de ${p.to.year}`;
    case 'days':
      return `del ${p.from.day} de ${m(p.from.month)} de ${p.from.year} al ${p.to.day} de ${m(p.to.month)} de ${p.to.year}`;
  }
}

function periodEn(p: PeriodShape): string {
  const m = (n: number) => MONTHS_EN[n - 1]!;
  switch (p.kind) {
    case 'year':
      return String(p.year);
    case 'month':
      return `${m(p.month)} ${p.year}`;
    case 'months':
      return `${m(p.from.month)} ${p.from.year} to ${m(p.to.month)} ${p.to.year}`;
    case 'days':
      return `${p.from.day} ${m(p.from.month)} ${p.from.year} to ${p.to.day} ${m(p.to.month)} ${p.to.year}`;
  }
}

const es: ReportMessages = {
  period: periodEs,
  periodOpening: (p) => (p.kind === 'year' || p.kind === 'month' ? `En ${periodEs(p)}` : capitalise(periodEs(p))),
  title: (period) => `Informe estadístico: ${period}`,
  and: 'y',
  fewerThan: (min) => `menos de ${min}`,
  withheld: 'una cifra reservada',
  withheldShort: 'res.',
  outsideMexico: 'fuera de México',
  unitTypes: { outpatient: 'unidades ambulatorias', residential: 'centros residenciales', mobile: 'unidades móviles', office: 'oficinas' },
  institutionTypes: {
    federal_agency: 'Dependencia federal',
    state_agency: 'Dependencia estatal',
    consulate: 'Representación consular',
    shelter: 'Albergue',
    civil_society: 'Organización de la sociedad civil',
    international_organisation: 'Organismo internacional',
    platform: 'Plataforma nacional',
  },
  unitsAttended: ({ period, units, types, people }) => [`${period}, `, units, pick(units, ' unidad (', ' unidades ('), ...types, pick(units, ') brindó atención a ', ') brindaron atención a '), people, pick(people, ' migrante.', ' migrantes.')],
  unitsWithMinors: (share) => [share, ' de las unidades atendieron a migrantes menores de 18 años.'],
  statesAttending: (states, list) => (states.length === 1 ? ` El estado que brindó atención es ${list}.` : ` Los estados que brindaron atención son los siguientes: ${list}.`),
  mostAttendedIn: (share, state) => [' El ', share, ` de la población fue atendida en ${state}.`],
  caseFilesAndVictims: ({ period, cases, victims }) => [
    `${period} ${pick(cases, 'se registró', 'se registraron')} `,
    cases,
    pick(cases, ' expediente, en el que se atendió a ', ' expedientes, de los cuales se atendieron a '),
    victims,
    pick(victims, ' víctima directa o indirecta.', ' víctimas directas e indirectas.'),
  ],
  peopleBySex: ({ period, people, men, women, others }) => {
    const parts: Part[] = [`${period} ${pick(people, 'se atendió a', 'se atendieron')} `, people, pick(people, ' persona migrante, ', ' personas migrantes, '), men, pick(men, ' hombre', ' hombres')];
    parts.push(others.length ? ', ' : ' y ', women, pick(women, ' mujer', ' mujeres'));
    others.forEach((o, i) => parts.push(i === others.length - 1 ? ' y ' : ', ', o.figure, o.sex === 'intersex' ? ' con sexo intersexual' : ' con sexo no registrado'));
    parts.push('.');
    return parts;
  },
  nationalitiesLead: (majority) => (majority ? 'La mayoría provenían de' : 'Las principales nacionalidades fueron las de'),
  nationalities: ({ lead, main, rest }) => [' ', lead, ` ${main}`, rest ? `, aunque también se atendió a personas provenientes de ${rest}.` : '.'],
  casesAttended: ({ period, cases, events, attendees }) => [
    `${period} ${pick(cases, 'se atendió', 'se atendieron')} `,
    cases,
    pick(cases, ' caso', ' casos'),
    ...(events && attendees ? [pick(events, ' y se realizó ', ' y se realizaron '), events, pick(events, ' evento de difusión al que asistieron ', ' eventos de difusión a los que asistieron '), attendees, pick(attendees, ' persona.', ' personas.')] : ['.']),
  ],
  outreach: ({ period, events, attendees }) => [`${period} ${pick(events, 'se realizó', 'se realizaron')} `, events, pick(events, ' evento de difusión al que asistieron ', ' eventos de difusión a los que asistieron '), attendees, pick(attendees, ' persona.', ' personas.')],
  reunifications: ({ period, reunifications }) => [
    `${period} ${pick(reunifications, 'se realizó', 'se realizaron')} `,
    reunifications,
    pick(reunifications, ' reunificación familiar', ' reunificaciones familiares'),
    ' de niñas, niños y adolescentes en contexto de migración.',
  ],
  unitsByStateTitle: 'Unidades que brindaron atención, por entidad',
  stateColumn: 'Entidad',
  unitsColumn: 'Unidades',
  byAgeAndSexTitle: 'Personas atendidas por grupo de edad y sexo',
  ageGroupColumn: 'Grupo de edad',
  outreachByTopicTitle: 'Eventos de difusión y asistentes por tema',
  topicColumn: 'Tema',
  eventsColumn: 'Eventos',
  attendeesColumn: 'Asistentes',
  screeningsTitle: 'Detecciones por instrumento: alertas y canalizaciones',
  instrumentColumn: 'Instrumento',
  screeningsColumn: 'Detecciones',
  flagsColumn: 'Alertas',
  referralsColumn: 'Canalizaciones',
  acceptedColumn: 'Aceptadas',
  total: 'Total',
  byNationalityChart: 'Personas atendidas por nacionalidad',
  chartNote: 'Las barras repiten las cifras de la tabla y el texto; no se muestran las nacionalidades con cifras reservadas.',
  empty: (period) => `${period} no hay registros que contar en su ámbito: este informe no contiene cifras.`,
  notes: (minCell) => [
    `Cifras calculadas a partir de los registros, sin captura manual de totales. Las personas se cuentan una vez por periodo y programa aunque hayan recibido varios servicios. Las celdas con menos de ${minCell} casos y las que permitirían deducirlas se reservan.`,
    'Indicadores alineados con el Objetivo 1 del Pacto Mundial para la Migración Segura, Ordenada y Regular (datos exactos y desglosados).',
  ],
  generated: 'Generado',
  letterheadDate: 'Fecha',
  logo: 'Logotipo',
};

const en: ReportMessages = {
  period: periodEn,
  periodOpening: (p) => (p.kind === 'year' || p.kind === 'month' ? `In ${periodEn(p)}` : `From ${periodEn(p)}`),
  title: (period) => `Statistical report: ${period}`,
  and: 'and',
  fewerThan: (min) => `fewer than ${min}`,
  withheld: 'a withheld number',
  withheldShort: 'w/h',
  outsideMexico: 'outside Mexico',
  unitTypes: { outpatient: 'outpatient units', residential: 'residential centres', mobile: 'mobile units', office: 'offices' },
  institutionTypes: {
    federal_agency: 'Federal agency',
    state_agency: 'State agency',
    consulate: 'Consulate',
    shelter: 'Shelter',
    civil_society: 'Civil society organisation',
    international_organisation: 'International organisation',
    platform: 'National platform',
  },
  unitsAttended: ({ period, units, types, people }) => [`${period}, `, units, pick(units, ' unit (', ' units ('), ...types, ') attended ', people, pick(people, ' migrant.', ' migrants.')],
  unitsWithMinors: (share) => [share, ' of the units attended migrants under 18.'],
  statesAttending: (states, list) => (states.length === 1 ? ` The state that provided care is ${list}.` : ` The states that provided care are: ${list}.`),
  mostAttendedIn: (share, state) => [' ', share, ` of the people were attended in ${state}.`],
  caseFilesAndVictims: ({ period, cases, victims }) => [
    `${period}, `,
    cases,
    pick(cases, ' case file was registered, in which ', ' case files were registered, in which '),
    victims,
    pick(victims, ' direct or indirect victim was attended.', ' direct and indirect victims were attended.'),
  ],
  peopleBySex: ({ period, people, men, women, others }) => {
    const parts: Part[] = [`${period}, `, people, pick(people, ' migrant was attended, ', ' migrants were attended, '), men, pick(men, ' man', ' men')];
    parts.push(others.length ? ', ' : ' and ', women, pick(women, ' woman', ' women'));
    others.forEach((o, i) => parts.push(i === others.length - 1 ? ' and ' : ', ', o.figure, o.sex === 'intersex' ? ' intersex' : ' with sex not recorded'));
    parts.push('.');
    return parts;
  },
  nationalitiesLead: (majority) => (majority ? 'Most came from' : 'The main nationalities were'),
  nationalities: ({ lead, main, rest }) => [' ', lead, ` ${main}`, rest ? `, although people from ${rest} were also attended.` : '.'],
  casesAttended: ({ period, cases, events, attendees }) => [
    `${period}, `,
    cases,
    pick(cases, ' case was attended', ' cases were attended'),
    ...(events && attendees ? [' and ', events, pick(events, ' outreach event was held, attended by ', ' outreach events were held, attended by '), attendees, pick(attendees, ' person.', ' people.')] : ['.']),
  ],
  outreach: ({ period, events, attendees }) => [`${period}, `, events, pick(events, ' outreach event was held, attended by ', ' outreach events were held, attended by '), attendees, pick(attendees, ' person.', ' people.')],
  reunifications: ({ period, reunifications }) => [`${period}, `, reunifications, pick(reunifications, ' family reunification of a migrant child took place.', ' family reunifications of migrant children took place.')],
  unitsByStateTitle: 'Units that attended migrants, by state',
  stateColumn: 'State',
  unitsColumn: 'Units',
  byAgeAndSexTitle: 'People attended by age group and sex',
  ageGroupColumn: 'Age group',
  outreachByTopicTitle: 'Outreach events and attendees by topic',
  topicColumn: 'Topic',
  eventsColumn: 'Events',
  attendeesColumn: 'Attendees',
  screeningsTitle: 'Screenings by instrument: flags and referrals',
  instrumentColumn: 'Instrument',
  screeningsColumn: 'Screenings',
  flagsColumn: 'Flags',
  referralsColumn: 'Referrals',
  acceptedColumn: 'Accepted',
  total: 'Total',
  byNationalityChart: 'People attended by nationality',
  chartNote: 'The bars repeat the figures of the table and the text; nationalities with withheld figures are not shown.',
  empty: (period) => `${period} there are no records to count in your scope: this report has no figures.`,
  notes: (minCell) => [
    `Figures computed from the records; no total is typed. People are counted once per period and programme however many services they received. Cells below ${minCell} and those that would reveal them are withheld.`,
    'Indicators aligned with Objective 1 of the Global Compact for Safe, Orderly and Regular Migration (accurate and disaggregated data).',
  ],
  generated: 'Generated',
  letterheadDate: 'Date',
  logo: 'Logo',
};

export const reportMessages: Record<Lang, ReportMessages> = { es, en };
