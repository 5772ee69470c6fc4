import type { Part } from './report.messages.ts';

/** A report's section and its parts (src/statistics/report.ts builds them; report.resources.ts adds the sections of programme resources). */
export type ReportTable = { title: string; href: string; columns: string[]; rows: { label: string; cells: { text: string; value: number | null }[] }[] };
/** A bar chart repeating figures of the section (drawn as SVG in HTML and with pdfkit in the PDF). */
export type Chart = { title: string; href: string; bars: { label: string; value: number; text: string }[] };
export type ReportSection = { programme: string; heading: string; organisation: { code: string; name: string }; paragraphs: Part[][]; tables: ReportTable[]; charts: Chart[] };
