import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { programmes } from '../cases/vocabularies.ts';
import { ageBands, DEFAULT_AGE_BANDS, type DimensionKey, type Lang } from './dimensions.ts';
import { mxStates, countries } from './geography.ts';
import { indicatorByKey } from './indicators.ts';
import { buildTable, DEFAULT_MIN_CELL, resolvePeriod, scopeOf, subtree, type Cell, type Filters, type Period, type StatisticsTable } from './query.ts';
import { PAGE, PdfDocument, textWidth, wrap } from '../platform/pdf.ts';

/**
 * A report for a period: one section per programme and reporting organisation (the top institution
 * of a tree: CEAV, a state health service with its units, a foreign ministry with its consulates...),
 * with sentences generated from the figures in the style of the 2019 country report, and tables.
 * Every figure carries the query URL that reproduces it.
 */
export type Figure = { kind: 'figure'; text: string; value: number | null; href: string };
export type Part = string | Figure;
export type ReportTable = { title: string; href: string; columns: string[]; rows: { label: string; cells: { text: string; value: number | null }[] }[] };
export type ReportSection = { programme: string; heading: string; organisation: { code: string; name: string }; paragraphs: Part[][]; tables: ReportTable[]; chart: { title: string; bars: { label: string; value: number }[] } | null };
export type Report = { lang: Lang; title: string; period: Period; periodText: string; minCell: number; generatedAt: string; sections: ReportSection[]; empty: boolean; notes: string[] };

const MONTHS = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** 1017 -> "1,017" (Mexican usage, and English). */
export const formatNumber = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function isMonthEnd(d: string): boolean {
  const next = new Date(`${d}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
}

export function periodPhrase({ from, to }: Period, lang: Lang): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const month = (m: number) => MONTHS[lang][m - 1]!;
  if (fd === 1 && isMonthEnd(to)) {
    if (fy === ty && fm === 1 && tm === 12) return lang === 'es' ? `En ${fy}` : `In ${fy}`;
    if (fy === ty && fm === tm) return lang === 'es' ? `En ${month(fm)} de ${fy}` : `In ${month(fm)} ${fy}`;
    return lang === 'es' ? `Entre ${month(fm)} de ${fy} y ${month(tm)} de ${ty}` : `Between ${month(fm)} ${fy} and ${month(tm)} ${ty}`;
  }
  return lang === 'es' ? `Del ${fd} de ${month(fm)} de ${fy} al ${td} de ${month(tm)} de ${ty}` : `From ${fd} ${month(fm)} ${fy} to ${td} ${month(tm)} ${ty}`;
}

const joinList = (items: string[], lang: Lang) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${lang === 'es' ? 'y' : 'and'} ${items.at(-1)}`);
const pct = (part: number, whole: number) => Math.round((part / whole) * 100);

type Ctx = { db: Db; period: Period; lang: Lang; minCell: number; filters: Filters; programme: string; code: string };

function href(ctx: Ctx, indicator: string, by: DimensionKey[] = []): string {
  const params = new URLSearchParams({ indicator, from: ctx.period.from, to: ctx.period.to, programme: ctx.programme, institution: ctx.code });
  if (by.length) params.set('by', by.join(','));
  params.set('lang', ctx.lang);
  return `/api/v1/statistics/query?${params.toString()}`;
}

async function table(ctx: Ctx, indicator: string, by: DimensionKey[] = []): Promise<StatisticsTable> {
  return buildTable(ctx.db, indicatorByKey.get(indicator)!, by, ageBands(DEFAULT_AGE_BANDS), ctx.period, null, ctx.filters, ctx.minCell, ctx.lang);
}

function figure(ctx: Ctx, cell: Cell | undefined, indicator: string, by: DimensionKey[] = [], suffix = ''): Figure {
  const hidden = cell?.suppressed ?? false;
  const value = cell ? cell.value : 0;
  const text = hidden
    ? cell?.suppression === 'primary'
      ? ctx.lang === 'es' ? `menos de ${ctx.minCell}` : `fewer than ${ctx.minCell}`
      : ctx.lang === 'es' ? 'una cifra reservada' : 'a withheld number'
    : `${formatNumber(value ?? 0)}${suffix}`;
  return { kind: 'figure', text, value: hidden ? null : value, href: href(ctx, indicator, by) };
}
const pctFigure = (ctx: Ctx, value: number, indicator: string, by: DimensionKey[]): Figure => ({ kind: 'figure', text: `${value}%`, value, href: href(ctx, indicator, by) });
const cellOf = (t: StatisticsTable, key: Record<string, string>) => t.cells.find((c) => Object.entries(key).every(([k, v]) => c.key[k] === v) && Object.keys(c.key).every((k) => k in key));
const values = (t: StatisticsTable, d: DimensionKey) => t.cells.filter((c) => c.key[d] !== null).map((c) => ({ value: c.key[d]!, cell: c }));

const unitPlural: Record<string, { es: string; en: string }> = {
  outpatient: { es: 'unidades ambulatorias', en: 'outpatient units' },
  residential: { es: 'centros residenciales', en: 'residential centres' },
  mobile: { es: 'unidades móviles', en: 'mobile units' },
  office: { es: 'oficinas', en: 'offices' },
};

async function section(ctx: Ctx, organisation: { code: string; name: string }): Promise<ReportSection | null> {
  const { lang } = ctx;
  const es = lang === 'es';
  const P = periodPhrase(ctx.period, lang);
  const [cases, victims, peopleBySex, events, attendees, reunifications, units] = await Promise.all([
    table(ctx, 'case_files_opened'),
    table(ctx, 'victims_in_case_files'),
    table(ctx, 'people_attended', ['sex']),
    table(ctx, 'outreach_events'),
    table(ctx, 'outreach_attendees'),
    table(ctx, 'family_reunifications'),
    table(ctx, 'units_attending', ['unit_type']),
  ]);
  const n = (t: StatisticsTable) => t.total.value ?? (t.total.suppressed ? 1 : 0);
  if (!n(cases) && !n(peopleBySex) && !n(events) && !n(reunifications)) return null;

  const paragraphs: Part[][] = [];
  const tables: ReportTable[] = [];
  let chart: ReportSection['chart'] = null;
  const people = figure(ctx, peopleBySex.total, 'people_attended');

  if (n(units) > 0) {
    const [minors, unitsByState, peopleByState] = await Promise.all([table(ctx, 'units_attending_minors'), table(ctx, 'units_attending', ['state']), table(ctx, 'people_attended', ['state'])]);
    const totalUnits = units.total.value ?? 0;
    const types = values(units, 'unit_type').filter((v) => v.value in unitPlural).sort((a, b) => (b.cell.value ?? 0) - (a.cell.value ?? 0));
    const typeParts: Part[] = [];
    types.forEach((t, i) => {
      if (i > 0) typeParts.push(i === types.length - 1 ? (es ? ' y ' : ' and ') : ', ');
      typeParts.push(pctFigure(ctx, pct(t.cell.value ?? 0, totalUnits), 'units_attending', ['unit_type']), ` ${unitPlural[t.value]![lang]}`);
    });
    paragraphs.push([
      `${P}, `,
      figure(ctx, units.total, 'units_attending'),
      es ? ' unidades (' : ' units (',
      ...typeParts,
      es ? ') brindaron atención a ' : ') attended ',
      people,
      es ? ' migrantes.' : ' migrants.',
    ]);
    const sentence: Part[] = [pctFigure(ctx, pct(minors.total.value ?? 0, totalUnits), 'units_attending_minors', []), es ? ' de las unidades atendieron a migrantes menores de 18 años.' : ' of the units attended migrants under 18.'];
    const states = values(unitsByState, 'state')
      .sort((a, b) => (b.cell.value ?? 0) - (a.cell.value ?? 0) || a.value.localeCompare(b.value))
      .map((s) => mxStates[s.value] ?? (es ? 'fuera de México' : 'outside Mexico'));
    sentence.push(es ? ` Los estados que brindaron atención son los siguientes: ${joinList(states, lang)}.` : ` The states that provided care are: ${joinList(states, lang)}.`);
    const topState = values(peopleByState, 'state').sort((a, b) => (b.cell.value ?? 0) - (a.cell.value ?? 0))[0];
    const totalPeople = peopleByState.total.value ?? 0;
    if (topState && topState.cell.value && totalPeople && topState.cell.value / totalPeople >= 0.5) {
      const name = mxStates[topState.value] ?? topState.value;
      sentence.push(es ? ' El ' : ' ', pctFigure(ctx, pct(topState.cell.value, totalPeople), 'people_attended', ['state']), es ? ` de la población fue atendida en ${name}.` : ` of the people were attended in ${name}.`);
    }
    paragraphs.push(sentence);
    tables.push({
      title: es ? 'Unidades que brindaron atención, por entidad' : 'Units that attended migrants, by state',
      href: href(ctx, 'units_attending', ['state']),
      columns: [es ? 'Entidad' : 'State', es ? 'Unidades' : 'Units'],
      rows: values(unitsByState, 'state').map((s) => ({ label: mxStates[s.value] ?? s.value, cells: [{ text: formatNumber(s.cell.value ?? 0), value: s.cell.value }] })),
    });
  } else if (n(victims) > 0) {
    paragraphs.push([
      `${P} ${es ? 'se registraron' : ''}`.trimEnd() + ' ',
      figure(ctx, cases.total, 'case_files_opened'),
      es ? ' expedientes, de los cuales se atendieron a ' : ' case files were registered, in which ',
      figure(ctx, victims.total, 'victims_in_case_files'),
      es ? ' víctimas directas e indirectas.' : ' direct and indirect victims were attended.',
    ]);
  } else if (n(peopleBySex) > 0) {
    const sexes = ['male', 'female'].map((s) => cellOf(peopleBySex, { sex: s }));
    const others = values(peopleBySex, 'sex').filter((v) => v.value !== 'male' && v.value !== 'female');
    const parts: Part[] = [
      `${P} ${es ? 'se atendieron' : ''}`.trimEnd() + ' ',
      people,
      es ? ' personas migrantes, ' : ' migrants were attended, ',
      figure(ctx, sexes[0], 'people_attended', ['sex']),
      es ? ' hombres' : ' men',
    ];
    if (others.length) parts.push(', ', figure(ctx, sexes[1], 'people_attended', ['sex']), es ? ' mujeres' : ' women');
    else parts.push(es ? ' y ' : ' and ', figure(ctx, sexes[1], 'people_attended', ['sex']), es ? ' mujeres' : ' women');
    others.forEach((o, i) => parts.push(i === others.length - 1 ? (es ? ' y ' : ' and ') : ', ', figure(ctx, o.cell, 'people_attended', ['sex']), es ? ` con sexo ${o.value === 'intersex' ? 'intersexual' : 'no registrado'}` : ` ${o.value === 'intersex' ? 'intersex' : 'with sex not recorded'}`));
    parts.push('.');
    const byNationality = await table(ctx, 'people_attended', ['nationality']);
    const total = byNationality.total.value ?? 0;
    const ranked = values(byNationality, 'nationality')
      .filter((v) => v.value !== 'ZZZ' && !v.cell.suppressed && (v.cell.value ?? 0) >= ctx.minCell)
      .sort((a, b) => (b.cell.value ?? 0) - (a.cell.value ?? 0) || a.value.localeCompare(b.value));
    const name = (code: string) => countries[code]?.[lang] ?? code;
    const main = ranked.filter((r) => total && (r.cell.value ?? 0) / total >= 0.1);
    const rest = ranked.filter((r) => !main.includes(r));
    if (main.length) {
      const majority = main.reduce((s, r) => s + (r.cell.value ?? 0), 0) / total > 0.5;
      parts.push(
        ' ',
        { kind: 'figure', text: es ? (majority ? 'La mayoría provenían de' : 'Las principales nacionalidades fueron las de') : majority ? 'Most came from' : 'The main nationalities were', value: null, href: href(ctx, 'people_attended', ['nationality']) },
        ` ${joinList(main.map((r) => name(r.value)), lang)}`,
      );
      parts.push(rest.length ? (es ? `, aunque también se atendió a personas provenientes de ${joinList(rest.map((r) => name(r.value)), lang)}.` : `, although people from ${joinList(rest.map((r) => name(r.value)), lang)} were also attended.`) : '.');
    }
    paragraphs.push(parts);
    chart = { title: es ? 'Personas atendidas por nacionalidad' : 'People attended by nationality', bars: ranked.slice(0, 12).map((r) => ({ label: name(r.value), value: r.cell.value ?? 0 })) };
  } else if (n(cases) > 0) {
    const parts: Part[] = [`${P} ${es ? 'se atendieron' : ''}`.trimEnd() + ' ', figure(ctx, cases.total, 'case_files_opened'), es ? ' casos' : ' cases were attended'];
    if (n(events) > 0) parts.push(es ? ' y se realizaron ' : ' and ', figure(ctx, events.total, 'outreach_events'), es ? ' eventos de difusión a los que asistieron ' : ' outreach events were held, attended by ', figure(ctx, attendees.total, 'outreach_attendees'), es ? ' personas.' : ' people.');
    else parts.push('.');
    paragraphs.push(parts);
  }
  if (n(events) > 0 && !(n(units) === 0 && n(victims) === 0 && n(peopleBySex) === 0 && n(cases) > 0)) {
    paragraphs.push([`${P}${es ? ' se realizaron ' : ', '}`, figure(ctx, events.total, 'outreach_events'), es ? ' eventos de difusión a los que asistieron ' : ' outreach events were held, attended by ', figure(ctx, attendees.total, 'outreach_attendees'), es ? ' personas.' : ' people.']);
  }
  if (n(reunifications) > 0) {
    paragraphs.push([`${P}${es ? ' se realizaron ' : ', '}`, figure(ctx, reunifications.total, 'family_reunifications'), es ? ' reunificaciones familiares de niñas, niños y adolescentes en contexto de migración.' : ' family reunifications of migrant children took place.']);
  }

  if (n(peopleBySex) > 0) {
    const bySexAge = await table(ctx, 'people_attended', ['age_group', 'sex']);
    const sexesPresent = bySexAge.dimensions.find((d) => d.key === 'sex')!.values;
    const ages = bySexAge.dimensions.find((d) => d.key === 'age_group')!.values;
    const show = (c: Cell | undefined) => ({ text: !c ? '0' : c.suppressed ? (es ? 'res.' : 'w/h') : formatNumber(c.value ?? 0), value: c?.value ?? 0 });
    const find = (age: string | null, sex: string | null) => [...bySexAge.cells, bySexAge.total].find((c) => c.key.age_group === age && c.key.sex === sex);
    tables.push({
      title: es ? 'Personas atendidas por grupo de edad y sexo' : 'People attended by age group and sex',
      href: href(ctx, 'people_attended', ['age_group', 'sex']),
      columns: [es ? 'Grupo de edad' : 'Age group', ...sexesPresent.map((s) => s.label), 'Total'],
      rows: [...ages.map((a) => ({ label: a.label, cells: [...sexesPresent.map((s) => show(find(a.value, s.value))), show(find(a.value, null))] })), { label: 'Total', cells: [...sexesPresent.map((s) => show(find(null, s.value))), show(find(null, null))] }],
    });
  }
  const programmeLabel = programmes[ctx.programme as keyof typeof programmes]?.[lang] ?? ctx.programme;
  return { programme: ctx.programme, heading: `${programmeLabel}: ${organisation.name}`, organisation, paragraphs, tables, chart };
}

export async function buildReport(db: Db, actor: Actor, input: { from?: string | undefined; to?: string | undefined; period?: string | undefined; min_cell?: number | undefined }, options: { lang: Lang; format: string }): Promise<Report> {
  requireCapability(actor, 'statistics.read');
  const period = resolvePeriod(input);
  const minCell = input.min_cell ?? DEFAULT_MIN_CELL;
  if (minCell < DEFAULT_MIN_CELL) throw new AppError('statistics_min_cell_too_low', { min: DEFAULT_MIN_CELL });
  const scope = await scopeOf(db, actor);
  const inScope = (id: string) => !scope.institutionIds || scope.institutionIds.includes(id);
  const { from, to } = period;

  // Which (institution, programme) pairs have records in the period. Services are read from the
  // monthly aggregate (whole months: a superset at the edges; a section without data is dropped).
  const pairs = await sql<{ institution_id: string; programme: string }>`
    select institution_id, programme from cases where opened_on between ${from} and ${to}
    union select institution_id, programme from stat_services_monthly where month between date_trunc('month', ${from}::date)::date and ${to}
    union select institution_id, programme from outreach_events where held_on between ${from} and ${to}
    union select r.institution_id, c.programme from reunifications r join cases c on c.id = r.case_id where r.reunified_on between ${from} and ${to}`.execute(db);
  const institutions = await db.selectFrom('institutions').select(['id', 'code', 'name', 'parent_id']).execute();
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
      built[index] = await section({ db, period, lang: options.lang, minCell, filters, programme: g.programme, code: g.root.code }, { code: g.root.code, name: g.root.name });
    }
  };
  await Promise.all([worker(), worker()]);
  const sections = built.filter((s): s is ReportSection => s !== null);
  await appendAudit(db, {
    institutionId: actor.institutionId,
    actorUserId: actor.userId,
    action: 'statistics.queried',
    recordType: 'statistics',
    ip: actor.ip,
    detail: { indicator: 'report', dimensions: [], from, to, format: options.format, sections: sections.length },
  });
  const es = options.lang === 'es';
  const periodText = periodPhrase(period, options.lang);
  return {
    lang: options.lang,
    title: es ? `Informe estadístico: ${periodText.replace(/^En |^Entre |^Del /, '').replace(/^In |^Between |^From /, '')}` : `Statistical report: ${periodText.replace(/^In |^Between |^From /, '')}`,
    period,
    periodText,
    minCell,
    generatedAt: new Date().toISOString(),
    sections,
    empty: sections.length === 0,
    notes: [
      es
        ? `Cifras calculadas a partir de los registros, sin captura manual de totales. Las personas se cuentan una vez por periodo y programa aunque hayan recibido varios servicios. Las celdas con menos de ${minCell} casos y las que permitirían deducirlas se reservan.`
        : `Figures computed from the records; no total is typed. People are counted once per period and programme however many services they received. Cells below ${minCell} and those that would reveal them are withheld.`,
      es ? 'Indicadores alineados con el Objetivo 1 del Pacto Mundial para la Migración Segura, Ordenada y Regular (datos exactos y desglosados).' : 'Indicators aligned with Objective 1 of the Global Compact for Safe, Orderly and Regular Migration (accurate and disaggregated data).',
    ],
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
export const plainText = (parts: Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

export function renderReportHtml(report: Report): string {
  const es = report.lang === 'es';
  const paragraph = (parts: Part[]) => `<p>${parts.map((p) => (typeof p === 'string' ? esc(p) : `<a class="figure" href="${esc(p.href)}">${esc(p.text)}</a>`)).join('')}</p>`;
  const tableHtml = (t: ReportTable) =>
    `<table><caption><a href="${esc(t.href)}">${esc(t.title)}</a></caption><thead><tr>${t.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>${t.rows
      .map((r) => `<tr><th scope="row">${esc(r.label)}</th>${r.cells.map((c) => `<td>${esc(c.text)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const body = report.empty
    ? `<p class="empty">${es ? `${report.periodText} no hay registros que contar en su ámbito: este informe no contiene cifras.` : `${report.periodText} there are no records to count in your scope: this report has no figures.`}</p>`
    : report.sections.map((s) => `<section><h2>${esc(s.heading)}</h2>${s.paragraphs.map(paragraph).join('')}${s.tables.map(tableHtml).join('')}</section>`).join('\n');
  return `<!doctype html>
<html lang="${report.lang}"><head><meta charset="utf-8"><title>${esc(report.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}a.figure{font-weight:600;color:#0b4f8a}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #bbb;padding:.25rem .6rem}td{text-align:right}caption{text-align:left;font-weight:600}.notes{font-size:.9em;color:#444}</style>
</head><body><h1>${esc(report.title)}</h1>
${body}
<footer class="notes">${report.notes.map((n) => `<p>${esc(n)}</p>`).join('')}<p>${es ? 'Generado' : 'Generated'}: ${esc(report.generatedAt)}</p></footer>
</body></html>`;
}

export function renderReportPdf(report: Report): Buffer {
  const es = report.lang === 'es';
  const doc = new PdfDocument({ title: report.title });
  const { margin, width, height } = PAGE;
  const contentWidth = width - 2 * margin;
  let y = height - margin;
  const need = (h: number) => {
    if (y - h < margin) {
      doc.addPage();
      y = height - margin;
    }
  };
  const para = (text: string, size = 10, bold = false) => {
    for (const line of wrap(text, size, contentWidth, { bold })) {
      need(size * 1.4);
      doc.text(margin, y - size, line, { size, bold });
      y -= size * 1.4;
    }
    y -= size * 0.6;
  };
  para(report.title, 16, true);
  if (report.empty) para(es ? `${report.periodText} no hay registros que contar en su ámbito: este informe no contiene cifras.` : `${report.periodText} there are no records to count in your scope: this report has no figures.`);
  for (const s of report.sections) {
    need(60);
    para(s.heading, 12, true);
    for (const p of s.paragraphs) para(plainText(p));
    for (const t of s.tables) {
      need(30);
      para(t.title, 10, true);
      const colWidth = Math.min(90, (contentWidth - 150) / Math.max(1, t.columns.length - 1));
      const row = (label: string, cells: string[], bold = false) => {
        need(14);
        doc.text(margin, y - 10, label.slice(0, 32), { size: 9, bold });
        cells.forEach((c, i) => doc.text(margin + 150 + (i + 1) * colWidth - textWidth(c, 9, { bold }) - 4, y - 10, c, { size: 9, bold }));
        doc.line(margin, y - 13, margin + 150 + cells.length * colWidth, y - 13);
        y -= 14;
      };
      row(t.columns[0]!, t.columns.slice(1), true);
      for (const r of t.rows) row(r.label, r.cells.map((c) => c.text));
      y -= 8;
    }
    if (s.chart && s.chart.bars.length) {
      const max = Math.max(...s.chart.bars.map((b) => b.value));
      need(20 + s.chart.bars.length * 14);
      para(s.chart.title, 10, true);
      for (const bar of s.chart.bars) {
        doc.text(margin, y - 9, bar.label.slice(0, 24), { size: 8 });
        const w = max ? ((contentWidth - 160) * bar.value) / max : 0;
        doc.rect(margin + 120, y - 10, Math.max(1, w), 9);
        doc.text(margin + 124 + w, y - 9, formatNumber(bar.value), { size: 8 });
        y -= 14;
      }
      y -= 8;
    }
  }
  for (const n of report.notes) para(n, 8);
  return doc.toBuffer();
}
