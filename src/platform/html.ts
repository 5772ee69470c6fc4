/**
 * A tagged template that escapes every interpolated value unless it is already markup made by
 * `html` itself. Arrays are joined; null, undefined and false render nothing.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Value = Html | string | number | boolean | null | undefined | Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/**
 * A number written in groups ("1234 5678 9012 3456") that may wrap on a narrow screen only between
 * groups: each group is a span the page's style sheet keeps on one line (`.group{white-space:nowrap}`),
 * so nobody copies a receipt with a group split over two lines.
 */
export function digitGroups(formatted: string): Html {
  return html`${formatted.split(' ').filter(Boolean).map((group, i) => html`${i ? ' ' : ''}<span class="group">${group}</span>`)}`;
}

/** "Este dato es obligatorio." → "este dato es obligatorio." after a field's name (not "DNA ..." → "dNA ..."). */
const afterName = (message: string) => (/^\p{Lu}\p{Ll}/u.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message);

/**
 * The box at the top of a public form that was sent back: what went wrong in general, then each field
 * by its name with its message ("Nombre: este dato es obligatorio"), linked to the field's input.
 * The page puts the focus on the box (`autofocus` on a focusable box, as the pages have no script),
 * so that a screen-reader user hears it first and can follow the links.
 */
export function errorSummary(title: string, general: string[], fields: Array<{ id: string; name: string; message: string }>): Html | '' {
  if (!general.length && !fields.length) return '';
  return html`<div class="box err" role="alert" id="errors" tabindex="-1" autofocus><p><strong>${title}</strong></p><ul>${general.map((m) => html`<li>${m}</li>`)}${fields.map((f) => html`<li><a href="#${f.id}">${f.name}: ${afterName(f.message)}</a></li>`)}</ul></div>`;
}
