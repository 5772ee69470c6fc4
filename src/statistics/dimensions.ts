import { sql, type RawBuilder } from 'kysely';
import { programmes, serviceTypes, sexes, vulnerabilities } from '../cases/vocabularies.ts';
import { countries, mxStates, regions } from './geography.ts';
import { attendanceAgeBands, eventKinds, eventTopics } from '../outreach/vocabularies.ts';
import { shippedDefinitions } from '../screenings/instrument.service.ts';
import { list, text } from './labels.ts';
import { fill } from '../platform/i18n/catalogue.ts';

/**
 * The ways a figure can be broken down. Each dimension is an SQL expression over the indicator's base
 * rows (alias `b`) and the institution that holds the record (alias `i`), a label for each value, and
 * an HXL hashtag (a column of its own) or HXL attributes (added to the value column when pivoted).
 */
export type Lang = 'es' | 'en';
type Labels = { es: string; en: string };

/**
 * Ages are stored floored to these cut points (the aggregates cannot keep exact ages at national
 * scale); an age band must start at cut points. Same list as the migration 0005 (a test checks).
 */
export const AGE_CUT_POINTS = [0, 1, 5, 10, 12, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80] as const;
export const DEFAULT_AGE_BANDS = [0, 12, 18, 30, 60];

export type AgeBand = { from: number; to: number | null; label: string };

/** Lower bounds (ascending, first 0, each a cut point) to bands: [0,12,18] -> 0-11, 12-17, 18+. */
export function ageBands(lowerBounds: number[]): AgeBand[] {
  return lowerBounds.map((from, index) => {
    const next = lowerBounds[index + 1];
    return { from, to: next === undefined ? null : next - 1, label: next === undefined ? `${from}+` : `${from}-${next - 1}` };
  });
}

export function validAgeBounds(bounds: number[]): boolean {
  return (
    bounds.length >= 1 &&
    bounds.length <= 20 &&
    bounds[0] === 0 &&
    bounds.every((b, i) => (AGE_CUT_POINTS as readonly number[]).includes(b) && (i === 0 || b > bounds[i - 1]!))
  );
}

/** The age in years of the event, floored to a cut point, of a person (as amparo_age_on + amparo_age_floor). */
export function ageFloor(age: number | null): number {
  if (age === null || age < 0) return -1;
  let floor = 0;
  for (const cut of AGE_CUT_POINTS) if (age >= cut) floor = cut;
  return floor;
}

export const dimensionKeys = [
  'sex',
  'age_group',
  'age_children',
  'nationality',
  'region',
  'state',
  'institution',
  'institution_type',
  'unit_type',
  'programme',
  'service_type',
  'vulnerability',
  'event_kind',
  'accompaniment',
  'notification_time',
  'best_interests',
  'topic',
  'month',
  'attendance_age',
  'instrument',
  'flag',
  'consulate',
  'transfer_mode',
  'opened_through',
] as const;
export type DimensionKey = (typeof dimensionKeys)[number];

/** Base-row columns a dimension needs; an indicator supports a dimension when its base rows have them. */
export type BaseColumn = 'sex' | 'age' | 'nationality' | 'programme' | 'service_type' | 'vulnerabilities' | 'event_kind' | 'accompaniment' | 'notification_time' | 'best_interests' | 'topic' | 'month' | 'attendance_age' | 'instrument' | 'flag' | 'consulate' | 'transfer_mode' | 'opened_through';

export const institutionTypeLabels: Record<string, Labels> = list('institutionTypeLabels');
export const unitTypeLabels: Record<string, Labels> = list('unitTypeLabels');
export const eventKindLabels: Record<string, Labels> = eventKinds;
export const accompanimentLabels: Record<string, Labels> = list('accompanimentLabels');
export const notificationTimeLabels: Record<string, Labels> = list('notificationTimeLabels');
export const bestInterestsLabels: Record<string, Labels> = list('bestInterestsLabels');
/** The shipped instruments' titles and flag labels (an instrument added later shows its code). */
let screeningLabels: { instruments: Record<string, Labels>; flags: Record<string, Labels> } | undefined;
function screeningLabel(kind: 'instruments' | 'flags', value: string, lang: Lang): string {
  screeningLabels ??= (() => {
    const definitions = shippedDefinitions();
    return {
      instruments: Object.fromEntries(definitions.map((d) => [d.code, { es: d.title.es ?? d.code, en: d.title.en ?? d.code }])),
      flags: Object.fromEntries(definitions.flatMap((d) => d.flags.map((f) => [`${d.code}:${f.id}`, { es: f.label.es ?? f.id, en: f.label.en ?? f.id }]))),
    };
  })();
  return screeningLabels[kind][value]?.[lang] ?? value;
}
const monthLabel = (value: string, lang: Lang) =>
  /^\d{4}-\d{2}$/.test(value) ? new Intl.DateTimeFormat(lang === 'es' ? 'es-MX' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${value}-01T12:00:00Z`)) : value;

export const transferModeLabels: Record<string, Labels> = list('transferModeLabels');
export const openedThroughLabels: Record<string, Labels> = list('openedThroughLabels');
const unknownLabel: Labels = text('unknownLabel');
const noneVulnerability: Labels = text('noneVulnerability');
const noState: Labels = text('noState');
const ageBandWords = list('ageBands');
/** "0-11" reads "0 a 11 años", "60+" "60 años y más". */
function ageBandLabel(value: string, lang: Lang): string {
  const range = /^(\d+)-(\d+)$/.exec(value);
  if (range) return fill(ageBandWords.range[lang], { from: range[1]!, to: range[2]! });
  const over = /^(\d+)\+$/.exec(value);
  return over ? fill(ageBandWords.over[lang], { from: over[1]! }) : value;
}

export type Dimension = {
  key: DimensionKey;
  label: Labels;
  needs: BaseColumn[];
  /** SQL over `b` (base row) and `i` (institution); `bands` for the age group (bound as parameters). */
  sql: (bands: AgeBand[]) => RawBuilder<unknown>;
  /** Dimensions with several values per record (a person with two conditions is in both cells). */
  multiValued?: boolean;
  /** Value labels; institutions are looked up by code at query time. */
  valueLabel: (value: string, lang: Lang) => string;
  /** HXL: either a column hashtag, or attributes for the value column when the dimension is pivoted. */
  hxl: { column: string } | { attribute: (value: string) => string };
};

const lbl = (table: Record<string, Labels>) => (value: string, lang: Lang) => (table[value] ?? (value === 'unknown' ? unknownLabel : undefined))?.[lang] ?? value;
function regionCase(): RawBuilder<unknown> {
  const byRegion = new Map<string, string[]>();
  for (const [code, c] of Object.entries(countries)) if (c.region !== 'other' && c.region !== 'unknown') byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), code]);
  const branches = [...byRegion].map(([region, codes]) => sql`when b.nationality = any(${codes}::text[]) then ${region}::text`);
  return sql`case ${sql.join(branches, sql` `)} when b.nationality = 'ZZZ' then 'unknown' else 'other' end`;
}

export const dimensions: Record<DimensionKey, Dimension> = {
  sex: {
    key: 'sex',
    label: text('dimensions.sex.label'),
    needs: ['sex'],
    sql: () => sql`b.sex`,
    valueLabel: lbl(sexes),
    hxl: { attribute: (v) => ({ female: '+f', male: '+m', intersex: '+i' })[v] ?? '+sex_unknown' },
  },
  age_group: {
    key: 'age_group',
    label: text('dimensions.age_group.label'),
    needs: ['age'],
    sql: (bands) => sql`case when b.age < 0 then 'unknown' ${sql.join([...bands].reverse().map((band) => sql`when b.age >= ${band.from}::int then ${band.label}::text`), sql` `)} end`,
    valueLabel: (v, lang) => (v === 'unknown' ? unknownLabel[lang] : ageBandLabel(v, lang)),
    hxl: { attribute: (v) => (v === 'unknown' ? '+age_unknown' : `+age${v.replace('-', '_').replace('+', 'plus')}`) },
  },
  age_children: {
    key: 'age_children',
    label: text('dimensions.age_children.label'),
    needs: ['age'],
    sql: () => sql`case when b.age < 0 then 'unknown' when b.age < 18 then 'children' else 'adults' end`,
    valueLabel: lbl(list('dimensions.age_children.valueLabel')),
    hxl: { attribute: (v) => ({ children: '+children', adults: '+adults' })[v] ?? '+age_unknown' },
  },
  nationality: {
    key: 'nationality',
    label: text('dimensions.nationality.label'),
    needs: ['nationality'],
    sql: () => sql`b.nationality`,
    valueLabel: (v, lang) => countries[v]?.[lang] ?? v,
    hxl: { column: '#country +code +nationality' },
  },
  region: {
    key: 'region',
    label: text('dimensions.region.label'),
    needs: ['nationality'],
    sql: regionCase,
    valueLabel: lbl(regions),
    hxl: { column: '#region +origin +code' },
  },
  state: {
    key: 'state',
    label: text('dimensions.state.label'),
    needs: [],
    sql: () => sql`coalesce(i.state_code::text, 'none')`,
    valueLabel: (v, lang) => mxStates[v] ?? noState[lang],
    hxl: { column: '#adm1 +code' },
  },
  institution: {
    key: 'institution',
    label: text('dimensions.institution.label'),
    needs: [],
    sql: () => sql`i.code`,
    valueLabel: (v) => v,
    hxl: { column: '#org +code' },
  },
  institution_type: {
    key: 'institution_type',
    label: text('dimensions.institution_type.label'),
    needs: [],
    sql: () => sql`i.type`,
    valueLabel: lbl(institutionTypeLabels),
    hxl: { column: '#org +type' },
  },
  unit_type: {
    key: 'unit_type',
    label: text('dimensions.unit_type.label'),
    needs: [],
    sql: () => sql`coalesce(i.unit_type, 'none')`,
    valueLabel: lbl(unitTypeLabels),
    hxl: { column: '#org +unit_type' },
  },
  programme: {
    key: 'programme',
    label: text('dimensions.programme.label'),
    needs: ['programme'],
    sql: () => sql`b.programme`,
    valueLabel: lbl(programmes),
    hxl: { column: '#sector +code' },
  },
  service_type: {
    key: 'service_type',
    label: text('dimensions.service_type.label'),
    needs: ['service_type'],
    sql: () => sql`b.service_type`,
    valueLabel: lbl(serviceTypes),
    hxl: { column: '#activity +code' },
  },
  vulnerability: {
    key: 'vulnerability',
    label: text('dimensions.vulnerability.label'),
    needs: ['vulnerabilities'],
    sql: () => sql`v.flag`,
    multiValued: true,
    valueLabel: (v, lang) => (v === 'none' ? noneVulnerability[lang] : lbl(vulnerabilities)(v, lang)),
    hxl: { column: '#group +vulnerability +code' },
  },
  event_kind: {
    key: 'event_kind',
    label: text('dimensions.event_kind.label'),
    needs: ['event_kind'],
    sql: () => sql`b.event_kind`,
    valueLabel: lbl(eventKindLabels),
    hxl: { column: '#activity +type' },
  },
  // Child protection (src/children): how the child travelled, how long the Procuraduría took to be
  // notified after she was identified, and whether a best-interests determination has decided.
  accompaniment: {
    key: 'accompaniment',
    label: text('dimensions.accompaniment.label'),
    needs: ['accompaniment'],
    sql: () => sql`b.accompaniment`,
    valueLabel: lbl(accompanimentLabels),
    hxl: { column: '#group +accompaniment +code' },
  },
  notification_time: {
    key: 'notification_time',
    label: text('dimensions.notification_time.label'),
    needs: ['notification_time'],
    sql: () => sql`b.notification_time`,
    valueLabel: lbl(notificationTimeLabels),
    hxl: { column: '#indicator +notification_time +code' },
  },
  // Outreach (src/outreach): the event's topic and month, and the age band the attendance was recorded in.
  topic: {
    key: 'topic',
    label: text('dimensions.topic.label'),
    needs: ['topic'],
    sql: () => sql`b.topic`,
    valueLabel: lbl(eventTopics),
    hxl: { column: '#sector +topic +code' },
  },
  month: {
    key: 'month',
    label: text('dimensions.month.label'),
    needs: ['month'],
    sql: () => sql`b.month`,
    valueLabel: monthLabel,
    hxl: { column: '#date +month' },
  },
  attendance_age: {
    key: 'attendance_age',
    label: text('dimensions.attendance_age.label'),
    needs: ['attendance_age'],
    sql: () => sql`b.attendance_age`,
    valueLabel: lbl(attendanceAgeBands),
    hxl: { attribute: (v) => (v === 'unknown' ? '+age_unknown' : `+age${v.replace('-', '_').replace('+', 'plus')}`) },
  },
  // Screenings (src/screenings): the instrument, and the flag (instrument:flag) it raised.
  instrument: {
    key: 'instrument',
    label: text('dimensions.instrument.label'),
    needs: ['instrument'],
    sql: () => sql`b.instrument`,
    valueLabel: (v, lang) => screeningLabel('instruments', v, lang),
    hxl: { column: '#indicator +instrument +code' },
  },
  flag: {
    key: 'flag',
    label: text('dimensions.flag.label'),
    needs: ['flag'],
    sql: () => sql`b.flag`,
    valueLabel: (v, lang) => screeningLabel('flags', v, lang),
    hxl: { column: '#indicator +flag +code' },
  },
  // Case files by the consulate they came through (held there, or referred from there).
  consulate: {
    key: 'consulate',
    label: text('dimensions.consulate.label'),
    needs: ['consulate'],
    sql: () => sql`b.consulate`,
    valueLabel: (v, lang) => (v === 'none' ? text('dimensions.consulate.valueLabel')[lang] : v),
    hxl: { column: '#org +consulate +code' },
  },
  best_interests: {
    key: 'best_interests',
    label: text('dimensions.best_interests.label'),
    needs: ['best_interests'],
    sql: () => sql`b.best_interests`,
    valueLabel: lbl(bestInterestsLabels),
    hxl: { column: '#indicator +best_interests +code' },
  },
  // Programme operations (src/resources) and case files opened from abroad (src/cases).
  transfer_mode: {
    key: 'transfer_mode',
    label: text('dimensions.transfer_mode.label'),
    needs: ['transfer_mode'],
    sql: () => sql`b.transfer_mode`,
    valueLabel: lbl(transferModeLabels),
    hxl: { column: '#activity +transfer_mode +code' },
  },
  opened_through: {
    key: 'opened_through',
    label: text('dimensions.opened_through.label'),
    needs: ['opened_through'],
    sql: () => sql`b.opened_through`,
    valueLabel: lbl(openedThroughLabels),
    hxl: { column: '#indicator +opened_through +code' },
  },
};
