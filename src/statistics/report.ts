import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { programmes } from '../cases/vocabularies.ts';
import { ageBands, DEFAULT_AGE_BANDS, type DimensionKey, type Lang } from './dimensions.ts';
import { mxStates, countries } from './geography.ts';
import { indicatorByKey } from './indicators.ts';
import { auditStatisticsQuery, buildTable, DEFAULT_MIN_CELL, resolvePeriod, scopeOf, subtree, type Cell, type Filters, type Period, type StatisticsTable } from './query.ts';
import { localDateTimeWords, localDateWords } from '../platform/dates.ts';
import { formatNumber, reportMessages, type Figure, type Part, type PeriodShape, type ReportMessages } from './report.messages.ts';
import { resourceSections } from './report.resources.ts';

/**
 * A report for a period: one section per programme and reporting organisation (the top institution
 * of a tree: CEAV, a state health service with its units, a foreign ministry with its consulates...),
 * with sentences generated from the figures in the style of the 2019 country report, and tables.
 * Every figure carries the query URL that reproduces it.
 */
export type { Figure, Part };
export type { Chart, ReportSection, ReportTable } from './report-section.ts';
import type { Chart, ReportSection, ReportTable } from './report-section.ts';
/** Who issues the report: the reader's institution, as the head of each page says. */
export type Letterhead = { institution: string; type: string; code: string; date: string };
export type Report = {
  lang: Lang;
  title: string;
  period: Period;
  periodText: string;
  minCell: number;
  generatedAt: string;
  /** `generatedAt` for people: local date and time in AMPARO_TIME_ZONE, in words. */
  generatedText: string;
  letterhead: Letterhead;
  sections: ReportSection[];
  empty: boolean;
  notes: string[];
};

export { formatNumber };

function isMonthEnd(d: string): boolean {
  const next = new Date(`${d}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
}

/** Which of the catalogue's period shapes a period is: a whole year, whole months, or days. */
export function periodShape({ from, to }: Period): PeriodShape {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  if (fd === 1 && isMonthEnd(to)) {
    if (fy === ty && fm === 1 && tm === 12) return { kind: 'year', year: fy };
    if (fy === ty && fm === tm) return { kind: 'month', month: fm, year: fy };
    return { kind: 'months', from: { month: fm, year: fy }, to: { month: tm, year: ty } };
  }
  return { kind: 'days', from: { day: fd, month: fm, year: fy }, to: { day: td, month: tm, year: ty } };
}

/** The period opening a sentence: "De junio de 2018 a mayo de 2019", "En 2019". */
export const periodPhrase = (period: Period, lang: Lang): string => reportMessages[lang].periodOpening(periodShape(period));

const joinList = (items: string[], m: ReportMessages) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${m.and} ${items.at(-1)}`);
const pct = (part: number, whole: number) => Math.round((part / whole) * 100);

type Ctx = { db: Db; period: Period; lang: Lang; m: ReportMessages; minCell: number; filters: Filters; programme: string; code: string };

function href(ctx: Ctx, indicator: string, by: DimensionKey[] = []): string {
  const params = new URLSearchParams({ indicator, from: ctx.period.from, to: ctx.period.to, programme: ctx.programme, institution: ctx.code });
  if (by.length) params.set('by', by.join(','));
  params.set('lang', ctx.lang);
  return `/api/v1/statistics/query?${params.toString()}`;
}

async function table(ctx: Ctx, indicator: string, by: DimensionKey[] = []): Promise<StatisticsTable> {
  return buildTable(ctx.db, indicatorByKey.get(indicator)!, by, ageBands(DEFAULT_AGE_BANDS), ctx.period, null, ctx.filters, ctx.minCell, ctx.lang);
}

function figure(ctx: Ctx, cell: Cell | undefined, indicator: string, by: DimensionKey[] = []): Figure {
  const hidden = cell?.suppressed ?? false;
  const value = cell ? cell.value : 0;
  const text = hidden ? (cell?.suppression === 'primary' ? ctx.m.fewerThan(ctx.minCell) : ctx.m.withheld) : formatNumber(value ?? 0);
  return { kind: 'figure', text, value: hidden ? null : value, href: href(ctx, indicator, by) };
}
const pctFigure = (ctx: Ctx, value: number, indicator: string, by: DimensionKey[]): Figure => ({ kind: 'figure', text: `${value}%`, value, href: href(ctx, indicator, by) });
const cellOf = (t: StatisticsTable, key: Record<string, string>) => t.cells.find((c) => Object.entries(key).every(([k, v]) => c.key[k] === v) && Object.keys(c.key).every((k) => k in key));
const values = (t: StatisticsTable, d: DimensionKey) => t.cells.filter((c) => c.key[d] !== null).map((c) => ({ value: c.key[d]!, cell: c }));
/** A total as a count for deciding what to say: a withheld total still means "some". */
const count = (t: StatisticsTable) => t.total.value ?? (t.total.suppressed ? 1 : 0);

/** What every section starts from: the period in words and the section's headline tables. */
type Basis = {
  P: string;
  cases: StatisticsTable;
  victims: StatisticsTable;
  peopleBySex: StatisticsTable;
  events: StatisticsTable;
  attendees: StatisticsTable;
  reunifications: StatisticsTable;
  units: StatisticsTable;
  screenings: StatisticsTable;
};
type Content = { paragraphs: Part[][]; tables: ReportTable[]; charts: Chart[] };

/**
 * A part of a section: when it applies and what it adds. The first lead that applies opens the
 * section (units of a health network, case files with victims, people by sex, or cases); the
 * others follow it when their figures exist.
 */
type Builder = { name: string; applies: (b: Basis) => boolean; build: (ctx: Ctx, b: Basis, out: Content) => Promise<void> };

const unitsLead: Builder = {
  name: 'units',
  applies: (b) => count(b.units) > 0,
  async build(ctx, b, out) {
    const { m } = ctx;
    const [minors, unitsByState, peopleByState] = await Promise.all([table(ctx, 'units_attending_minors'), table(ctx, 'units_attending', ['state']), table(ctx, 'people_attended', ['state'])]);
    const totalUnits = b.units.total.value ?? 0;
    const types = values(b.units, 'unit_type')
      .filter((v) => v.value in m.unitTypes)
      .sort((x, y) => (y.cell.value ?? 0) - (x.cell.value ?? 0));
    const typeParts: Part[] = [];
    types.forEach((t, i) => {
      if (i > 0) typeParts.push(i === types.length - 1 ? ` ${m.and} ` : ', ');
      typeParts.push(pctFigure(ctx, pct(t.cell.value ?? 0, totalUnits), 'units_attending', ['unit_type']), ` ${m.unitTypes[t.value]}`);
    });
    out.paragraphs.push(m.unitsAttended({ period: b.P, units: figure(ctx, b.units.total, 'units_attending'), types: typeParts, people: figure(ctx, b.peopleBySex.total, 'people_attended') }));
    const sentence = m.unitsWithMinors(pctFigure(ctx, pct(minors.total.value ?? 0, totalUnits), 'units_attending_minors', []));
    const states = values(unitsByState, 'state')
      .sort((x, y) => (y.cell.value ?? 0) - (x.cell.value ?? 0) || x.value.localeCompare(y.value))
      .map((s) => mxStates[s.value] ?? m.outsideMexico);
    sentence.push(m.statesAttending(states, joinList(states, m)));
    const topState = values(peopleByState, 'state').sort((x, y) => (y.cell.value ?? 0) - (x.cell.value ?? 0))[0];
    const totalPeople = peopleByState.total.value ?? 0;
    if (topState && topState.cell.value && totalPeople && topState.cell.value / totalPeople >= 0.5) {
      sentence.push(...m.mostAttendedIn(pctFigure(ctx, pct(topState.cell.value, totalPeople), 'people_attended', ['state']), mxStates[topState.value] ?? topState.value));
    }
    out.paragraphs.push(sentence);
    out.tables.push({
      title: m.unitsByStateTitle,
      href: href(ctx, 'units_attending', ['state']),
      columns: [m.stateColumn, m.unitsColumn],
      rows: values(unitsByState, 'state').map((s) => ({ label: mxStates[s.value] ?? s.value, cells: [{ text: formatNumber(s.cell.value ?? 0), value: s.cell.value }] })),
    });
  },
};

/** A part that is one paragraph, present when the table it speaks of has figures. */
const paragraph = (name: string, source: (b: Basis) => StatisticsTable, write: (ctx: Ctx, b: Basis) => Part[]): Builder => ({
  name,
  applies: (b) => count(source(b)) > 0,
  async build(ctx, b, out) {
    out.paragraphs.push(write(ctx, b));
  },
});

const victimsLead = paragraph('victims', (b) => b.victims, (ctx, b) =>
  ctx.m.caseFilesAndVictims({ period: b.P, cases: figure(ctx, b.cases.total, 'case_files_opened'), victims: figure(ctx, b.victims.total, 'victims_in_case_files') }),
);

const peopleLead: Builder = {
  name: 'people',
  applies: (b) => count(b.peopleBySex) > 0,
  async build(ctx, b, out) {
    const { m, lang } = ctx;
    const [men, women] = ['male', 'female'].map((s) => figure(ctx, cellOf(b.peopleBySex, { sex: s }), 'people_attended', ['sex'])) as [Figure, Figure];
    const others = values(b.peopleBySex, 'sex')
      .filter((v) => v.value !== 'male' && v.value !== 'female')
      .map((o) => ({ figure: figure(ctx, o.cell, 'people_attended', ['sex']), sex: o.value }));
    const parts = m.peopleBySex({ period: b.P, people: figure(ctx, b.peopleBySex.total, 'people_attended'), men, women, others });
    const byNationality = await table(ctx, 'people_attended', ['nationality']);
    const total = byNationality.total.value ?? 0;
    const ranked = values(byNationality, 'nationality')
      .filter((v) => v.value !== 'ZZZ' && !v.cell.suppressed && (v.cell.value ?? 0) >= ctx.minCell)
      .sort((x, y) => (y.cell.value ?? 0) - (x.cell.value ?? 0) || x.value.localeCompare(y.value));
    const name = (code: string) => countries[code]?.[lang] ?? code;
    const main = ranked.filter((r) => total && (r.cell.value ?? 0) / total >= 0.1);
    const rest = ranked.filter((r) => !main.includes(r));
    if (main.length) {
      const majority = main.reduce((s, r) => s + (r.cell.value ?? 0), 0) / total > 0.5;
      const lead: Figure = { kind: 'figure', text: m.nationalitiesLead(majority), value: null, href: href(ctx, 'people_attended', ['nationality']) };
      parts.push(...m.nationalities({ lead, main: joinList(main.map((r) => name(r.value)), m), rest: rest.length ? joinList(rest.map((r) => name(r.value)), m) : null }));
    }
    out.paragraphs.push(parts);
    if (ranked.length) out.charts.push({ title: m.byNationalityChart, href: href(ctx, 'people_attended', ['nationality']), bars: ranked.slice(0, 12).map((r) => ({ label: name(r.value), value: r.cell.value ?? 0, text: formatNumber(r.cell.value ?? 0) })) });
  },
};

const casesLead: Builder = {
  name: 'cases',
  applies: (b) => count(b.cases) > 0,
  async build(ctx, b, out) {
    const withEvents = count(b.events) > 0;
    out.paragraphs.push(
      ctx.m.casesAttended({
        period: b.P,
        cases: figure(ctx, b.cases.total, 'case_files_opened'),
        events: withEvents ? figure(ctx, b.events.total, 'outreach_events') : null,
        attendees: withEvents ? figure(ctx, b.attendees.total, 'outreach_attendees') : null,
      }),
    );
  },
};

const outreach = paragraph('outreach', (b) => b.events, (ctx, b) =>
  ctx.m.outreach({ period: b.P, events: figure(ctx, b.events.total, 'outreach_events'), attendees: figure(ctx, b.attendees.total, 'outreach_attendees') }),
);

const reunifications = paragraph('reunifications', (b) => b.reunifications, (ctx, b) =>
  ctx.m.reunifications({ period: b.P, reunifications: figure(ctx, b.reunifications.total, 'family_reunifications') }),
);

/** A table cell as published: withheld when suppressed, zero when the cell is absent. */
const publishedCell = (ctx: Ctx, c: Cell | undefined) => ({ text: !c ? '0' : c.suppressed ? ctx.m.withheldShort : formatNumber(c.value ?? 0), value: c?.value ?? 0 });

const ageAndSexTable: Builder = {
  name: 'age_and_sex',
  applies: (b) => count(b.peopleBySex) > 0,
  async build(ctx, _b, out) {
    const { m } = ctx;
    const bySexAge = await table(ctx, 'people_attended', ['age_group', 'sex']);
    const sexesPresent = bySexAge.dimensions.find((d) => d.key === 'sex')!.values;
    const ages = bySexAge.dimensions.find((d) => d.key === 'age_group')!.values;
    const show = (c: Cell | undefined) => publishedCell(ctx, c);
    const find = (age: string | null, sex: string | null) => [...bySexAge.cells, bySexAge.total].find((c) => c.key.age_group === age && c.key.sex === sex);
    out.tables.push({
      title: m.byAgeAndSexTitle,
      href: href(ctx, 'people_attended', ['age_group', 'sex']),
      columns: [m.ageGroupColumn, ...sexesPresent.map((s) => s.label), m.total],
      rows: [
        ...ages.map((a) => ({ label: a.label, cells: [...sexesPresent.map((s) => show(find(a.value, s.value))), show(find(a.value, null))] })),
        { label: m.total, cells: [...sexesPresent.map((s) => show(find(null, s.value))), show(find(null, null))] },
      ],
    });
  },
};

/** One row per value of a dimension, one column per indicator: each cell as published. */
async function indicatorsByValue(ctx: Ctx, columns: { indicator: string; label: string }[], dimension: DimensionKey, title: string, firstColumn: string): Promise<ReportTable> {
  const tables = await Promise.all(columns.map((c) => table(ctx, c.indicator, [dimension])));
  const rowsOf = new Map<string, string>();
  for (const t of tables) for (const v of t.dimensions[0]!.values) rowsOf.set(v.value, v.label);
  const show = (c: Cell | undefined) => publishedCell(ctx, c);
  return {
    title,
    href: href(ctx, columns[0]!.indicator, [dimension]),
    columns: [firstColumn, ...columns.map((c) => c.label)],
    rows: [
      ...[...rowsOf].map(([value, label]) => ({ label, cells: tables.map((t) => show(cellOf(t, { [dimension]: value }))) })),
      { label: ctx.m.total, cells: tables.map((t) => show(t.total)) },
    ],
  };
}

/** Outreach by topic: events as counted, attendance as published (disclosure control). */
const outreachByTopic: Builder = {
  name: 'outreach_by_topic',
  applies: (b) => count(b.events) > 0,
  async build(ctx, _b, out) {
    const { m } = ctx;
    out.tables.push(await indicatorsByValue(ctx, [{ indicator: 'outreach_events', label: m.eventsColumn }, { indicator: 'outreach_attendees', label: m.attendeesColumn }], 'topic', m.outreachByTopicTitle, m.topicColumn));
  },
};

/** Screenings by instrument: given, flags raised, referrals made and accepted. */
const screeningsTable: Builder = {
  name: 'screenings',
  applies: (b) => count(b.screenings) > 0,
  async build(ctx, _b, out) {
    const { m } = ctx;
    const columns = [
      { indicator: 'screenings_given', label: m.screeningsColumn },
      { indicator: 'screening_flags', label: m.flagsColumn },
      { indicator: 'screening_referrals', label: m.referralsColumn },
      { indicator: 'screening_referrals_accepted', label: m.acceptedColumn },
    ];
    out.tables.push(await indicatorsByValue(ctx, columns, 'instrument', m.screeningsTitle, m.instrumentColumn));
  },
};

/** The section's opening paragraph: the first of these that applies. */
const LEADS: Builder[] = [unitsLead, victimsLead, peopleLead, casesLead];
/** What follows the opening, in order; `saidBy` names the leads whose sentence already says it. */
const FOLLOWERS: (Builder & { saidBy?: string[] })[] = [{ ...outreach, saidBy: ['cases'] }, reunifications, ageAndSexTable, outreachByTopic, screeningsTable];

async function section(ctx: Ctx, organisation: { code: string; name: string }): Promise<ReportSection | null> {
  const [cases, victims, peopleBySex, events, attendees, reunificationsTable, units, screenings] = await Promise.all([
    table(ctx, 'case_files_opened'),
    table(ctx, 'victims_in_case_files'),
    table(ctx, 'people_attended', ['sex']),
    table(ctx, 'outreach_events'),
    table(ctx, 'outreach_attendees'),
    table(ctx, 'family_reunifications'),
    table(ctx, 'units_attending', ['unit_type']),
    table(ctx, 'screenings_given'),
  ]);
  const basis: Basis = { P: periodPhrase(ctx.period, ctx.lang), cases, victims, peopleBySex, events, attendees, reunifications: reunificationsTable, units, screenings };
  if (!count(cases) && !count(peopleBySex) && !count(events) && !count(reunificationsTable) && !count(screenings)) return null;
  const out: Content = { paragraphs: [], tables: [], charts: [] };
  const lead = LEADS.find((b) => b.applies(basis));
  if (lead) await lead.build(ctx, basis, out);
  for (const follower of FOLLOWERS) {
    if (follower.applies(basis) && !(lead && follower.saidBy?.includes(lead.name))) await follower.build(ctx, basis, out);
  }
  const programmeLabel = programmes[ctx.programme as keyof typeof programmes]?.[ctx.lang] ?? ctx.programme;
  return { programme: ctx.programme, heading: `${programmeLabel}: ${organisation.name}`, organisation, ...out };
}

export async function buildReport(db: Db, actor: Actor, input: { from?: string | undefined; to?: string | undefined; period?: string | undefined; min_cell?: number | undefined }, options: { lang: Lang; format: string }): Promise<Report> {
  requireCapability(actor, 'statistics.read');
  const period = resolvePeriod(input);
  const minCell = input.min_cell ?? DEFAULT_MIN_CELL;
  if (minCell < DEFAULT_MIN_CELL) throw new AppError('statistics_min_cell_too_low', { min: DEFAULT_MIN_CELL });
  const scope = await scopeOf(db, actor);
  const inScope = (id: string) => !scope.institutionIds || scope.institutionIds.includes(id);
  const { from, to } = period;
  const m = reportMessages[options.lang];

  // Which (institution, programme) pairs have records in the period. Services are read from the
  // monthly aggregate (whole months: a superset at the edges; a section without data is dropped).
  const pairs = await sql<{ institution_id: string; programme: string }>`
    select institution_id, programme from cases where opened_on between ${from} and ${to}
    union select institution_id, programme from stat_services_monthly where month between date_trunc('month', ${from}::date)::date and ${to}
    union select institution_id, programme from outreach_events where held_on between ${from} and ${to} and deleted_at is null
    union select s.institution_id, c.programme from screenings s join cases c on c.id = s.case_id where s.status = 'completed' and s.completed_at >= ${from}::date - 1 and s.completed_at < ${to}::date + 2
    union select r.institution_id, c.programme from child_reunifications r join cases c on c.id = r.case_id where r.reunified_on between ${from} and ${to}`.execute(db);
  const institutions = await db.selectFrom('institutions').select(['id', 'code', 'name', 'type', 'parent_id']).execute();
  const byId = new Map(institutions.map((i) => [i.id, i]));
  const rootOf = (id: string) => {
    let current = byId.get(id)!;
    while (current.parent_id && byId.has(current.parent_id) && inScope(current.parent_id)) current = byId.get(current.parent_id)!;
    return current;
  };
  const groups = new Map<string, { programme: string; root: { id: string; code: string; name: string } }>();
  for (const p of pairs.rows) {
    if (!inScope(p.institution_id)) continue;
    const root = rootOf(p.institution_id);
    groups.set(`${p.programme}|${root.id}`, { programme: p.programme, root });
  }
  const order = Object.keys(programmes);
  const sorted = [...groups.values()].sort((a, b) => (order.indexOf(a.programme) - order.indexOf(b.programme)) || a.root.name.localeCompare(b.root.name));

  // Two sections at a time (each runs its tables concurrently too): the queries are short, and
  // overlapping them keeps both cores of a small server busy. Sections keep their order.
  const built: (ReportSection | null)[] = new Array(sorted.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < sorted.length) {
      const index = next++;
      const g = sorted[index]!;
      const tree = (await subtree(db, g.root.id)).filter(inScope);
      const filters: Filters = { programme: g.programme, institutionCode: g.root.code, institutionIds: tree };
      built[index] = await section({ db, period, lang: options.lang, m, minCell, filters, programme: g.programme, code: g.root.code }, { code: g.root.code, name: g.root.name });
    }
  };
  await Promise.all([worker(), worker()]);
  const sections = built.filter((s): s is ReportSection => s !== null);
  // Figures of no case programme (resources, rescues, persons found, files opened through consulates).
  sections.push(...(await resourceSections({ db, period, lang: options.lang, minCell, periodText: periodPhrase(period, options.lang), inScope, rootOf })));
  await auditStatisticsQuery(db, actor, { indicator: 'report', dimensions: [], from, to, format: options.format, sections: sections.length });
  const own = byId.get(actor.institutionId);
  const generated = new Date();
  return {
    lang: options.lang,
    title: m.title(m.period(periodShape(period))),
    period,
    periodText: periodPhrase(period, options.lang),
    minCell,
    generatedAt: generated.toISOString(),
    generatedText: localDateTimeWords(generated, options.lang),
    letterhead: { institution: own?.name ?? '', code: own?.code ?? '', type: (own && m.institutionTypes[own.type]) ?? '', date: localDateWords(generated, options.lang) },
    sections,
    empty: sections.length === 0,
    notes: m.notes(minCell),
  };
}
