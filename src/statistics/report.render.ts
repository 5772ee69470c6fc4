import { html, type Html } from '../platform/html.ts';
import { PAGE, PdfDocument, textWidth, wrap } from '../platform/pdf.ts';
import { reportMessages } from './report.messages.ts';
import type { Chart, Letterhead, Part, Report, ReportTable } from './report.ts';

/** The report as a web page (figures link to their queries, charts as SVG) and as a PDF (pdfkit). */

export const plainText = (parts: Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

/** Initials of an institution's name for the logo's place ("Secretaría de Salud" -> "SS"). */
const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter((w) => /^\p{Lu}/u.test(w))
    .slice(0, 4)
    .map((w) => w[0])
    .join('') || name.slice(0, 3).toUpperCase();

// ---- HTML ----

const CHART = { width: 640, label: 180, bar: 18, gap: 8, valueRoom: 60 };

/** A horizontal bar chart in SVG; every bar carries its label and value as text, so nothing is in the bars' length alone. */
function chartSvg(chart: Chart, id: string): Html {
  const max = Math.max(1, ...chart.bars.map((b) => b.value));
  const room = CHART.width - CHART.label - CHART.valueRoom;
  const height = chart.bars.length * (CHART.bar + CHART.gap) + CHART.gap;
  const bars = chart.bars.map((b, i) => {
    const y = CHART.gap + i * (CHART.bar + CHART.gap);
    const w = Math.max(1, (room * b.value) / max);
    return html`<g><text x="${CHART.label - 8}" y="${y + CHART.bar * 0.72}" text-anchor="end">${b.label}</text><rect x="${CHART.label}" y="${y}" width="${w.toFixed(1)}" height="${CHART.bar}" fill="#1f5f99"></rect><text x="${(CHART.label + w + 6).toFixed(1)}" y="${y + CHART.bar * 0.72}">${b.text}</text></g>`;
  });
  return html`<figure class="chart"><svg role="img" aria-labelledby="${id}" viewBox="0 0 ${CHART.width} ${height}" width="100%" font-size="13" font-family="system-ui, sans-serif" fill="#1a1a1a"><title id="${id}">${chart.title}</title>${bars}</svg><figcaption><a href="${chart.href}">${chart.title}</a></figcaption></figure>`;
}

function letterheadHtml(l: Letterhead, label: { date: string; logo: string }): Html {
  return html`<header class="letterhead"><div class="logo" role="img" aria-label="${label.logo}: ${l.institution}">${initials(l.institution)}</div><div><p class="institution">${l.institution}</p><p>${l.type}</p><p>${label.date}: ${l.date}</p></div></header>`;
}

const paragraphHtml = (parts: Part[]) => html`<p>${parts.map((p) => (typeof p === 'string' ? p : html`<a class="figure" href="${p.href}">${p.text}</a>`))}</p>`;
const tableHtml = (t: ReportTable) =>
  html`<div class="table-wrap"><table><caption><a href="${t.href}">${t.title}</a></caption><thead><tr>${t.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead><tbody>${t.rows.map(
    (r) => html`<tr><th scope="row">${r.label}</th>${r.cells.map((c) => html`<td>${c.text}</td>`)}</tr>`,
  )}</tbody></table></div>`;

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}a.figure{font-weight:600;color:#0b4f8a}' +
  '.letterhead{display:flex;gap:1rem;align-items:center;border-bottom:2px solid #1f5f99;padding-bottom:.75rem;margin-bottom:1rem}.letterhead p{margin:0}.letterhead .institution{font-weight:700;font-size:1.15em}' +
  '.logo{flex:none;width:4.5rem;height:4.5rem;border:2px solid #1f5f99;display:flex;align-items:center;justify-content:center;font-weight:700;color:#1f5f99}' +
  '.table-wrap{overflow-x:auto}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #bbb;padding:.25rem .6rem}td{text-align:right}caption{text-align:left;font-weight:600}' +
  '.chart{margin:1rem 0}.chart figcaption{font-weight:600}.notes{font-size:.9em;color:#444}';

export function renderReportHtml(report: Report): string {
  const m = reportMessages[report.lang];
  const body = report.empty
    ? html`<p class="empty">${m.empty(report.periodText)}</p>`
    : report.sections.map(
        (s, n) => html`<section><h2>${s.heading}</h2>${s.paragraphs.map(paragraphHtml)}${s.tables.map(tableHtml)}${s.charts.map((c, i) => chartSvg(c, `chart-${n}-${i}`))}${s.charts.length ? html`<p class="notes">${m.chartNote}</p>` : ''}</section>\n`,
      );
  return html`<!doctype html>
<html lang="${report.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${report.title}</title>
<style>${STYLE}</style>
</head><body>${letterheadHtml(report.letterhead, { date: m.letterheadDate, logo: m.logo })}<main><h1>${report.title}</h1>
${body}</main>
<footer class="notes">${report.notes.map((n) => html`<p>${n}</p>`)}<p>${m.generated}: <time datetime="${report.generatedAt}">${report.generatedText}</time></p></footer>
</body></html>`.toString();
}

// ---- PDF ----

/** Writes top to bottom, starting a page when the next block does not fit. */
class Flow {
  readonly width = PAGE.width - 2 * PAGE.margin;
  y = PAGE.height - PAGE.margin;
  constructor(readonly doc: PdfDocument) {}

  need(h: number): void {
    if (this.y - h < PAGE.margin) {
      this.doc.addPage();
      this.y = PAGE.height - PAGE.margin;
    }
  }

  para(text: string, size = 10, bold = false): void {
    for (const line of wrap(text, size, this.width, { bold })) {
      this.need(size * 1.4);
      this.doc.text(PAGE.margin, this.y - size, line, { size, bold });
      this.y -= size * 1.4;
    }
    this.y -= size * 0.6;
  }

  /** Institution name, type and date beside a box holding the logo's place. */
  letterhead(l: Letterhead, dateLabel: string): void {
    const { doc } = this;
    const x = PAGE.margin;
    const top = this.y;
    const box = 56;
    const blue: [number, number, number] = [0.12, 0.37, 0.6];
    doc.line(x, top, x + box, top, 1.5, 0.35);
    doc.line(x, top - box, x + box, top - box, 1.5, 0.35);
    doc.line(x, top, x, top - box, 1.5, 0.35);
    doc.line(x + box, top, x + box, top - box, 1.5, 0.35);
    const mark = initials(l.institution);
    doc.text(x + (box - textWidth(mark, 14, { bold: true })) / 2, top - box / 2 - 5, mark, { size: 14, bold: true });
    const tx = x + box + 14;
    const lines = wrap(l.institution, 13, this.width - box - 14, { bold: true });
    let y = top - 14;
    for (const line of lines) {
      doc.text(tx, y, line, { size: 13, bold: true });
      y -= 16;
    }
    doc.text(tx, y, l.type, { size: 10, gray: 0.25 });
    doc.text(tx, y - 14, `${dateLabel}: ${l.date}`, { size: 10, gray: 0.25 });
    this.y = Math.min(top - box, y - 14) - 10;
    doc.rect(x, this.y, this.width, 2, blue);
    this.y -= 18;
  }

  table(t: ReportTable): void {
    const { doc, width } = this;
    const x = PAGE.margin;
    this.need(30);
    this.para(t.title, 10, true);
    const colWidth = Math.min(90, (width - 150) / Math.max(1, t.columns.length - 1));
    const row = (label: string, cells: string[], bold = false) => {
      this.need(14);
      doc.text(x, this.y - 10, label.slice(0, 32), { size: 9, bold });
      cells.forEach((c, i) => doc.text(x + 150 + (i + 1) * colWidth - textWidth(c, 9, { bold }) - 4, this.y - 10, c, { size: 9, bold }));
      doc.line(x, this.y - 13, x + 150 + cells.length * colWidth, this.y - 13);
      this.y -= 14;
    };
    row(t.columns[0]!, t.columns.slice(1), true);
    for (const r of t.rows) row(r.label, r.cells.map((c) => c.text));
    this.y -= 8;
  }

  /** The same bars as the web page's SVG: label, bar, value. */
  chart(c: Chart): void {
    if (!c.bars.length) return;
    const { doc, width } = this;
    const x = PAGE.margin;
    const label = 130;
    const room = width - label - 50;
    const max = Math.max(1, ...c.bars.map((b) => b.value));
    this.need(24 + c.bars.length * 16);
    this.para(c.title, 10, true);
    for (const bar of c.bars) {
      const text = bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label;
      doc.text(x + label - 6 - textWidth(text, 8), this.y - 9, text, { size: 8 });
      const w = Math.max(1, (room * bar.value) / max);
      doc.rect(x + label, this.y - 11, w, 11, [0.12, 0.37, 0.6]);
      doc.text(x + label + w + 4, this.y - 9, bar.text, { size: 8 });
      this.y -= 16;
    }
    this.y -= 8;
  }
}

export function renderReportPdf(report: Report): Buffer {
  const m = reportMessages[report.lang];
  const doc = new PdfDocument({ title: report.title, createdAt: new Date(report.generatedAt) });
  const flow = new Flow(doc);
  flow.letterhead(report.letterhead, m.letterheadDate);
  flow.para(report.title, 16, true);
  if (report.empty) flow.para(m.empty(report.periodText));
  for (const s of report.sections) {
    flow.need(60);
    flow.para(s.heading, 12, true);
    for (const p of s.paragraphs) flow.para(plainText(p));
    for (const t of s.tables) flow.table(t);
    for (const c of s.charts) flow.chart(c);
  }
  for (const n of report.notes) flow.para(n, 8);
  flow.para(`${m.generated}: ${report.generatedText}`, 8);
  return doc.toBuffer();
}
