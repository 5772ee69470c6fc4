import { html, Html } from '../platform/html.ts';

/**
 * The small markup of information pages and the privacy notice, written by staff in a text box:
 * a blank line between paragraphs, `## ` starts a heading, `- ` a list item, and
 * `[text](/path)` or `[text](https://…)` is a link. Everything else is text, escaped; no HTML passes.
 * Headings render one level under the page's title (`h2`).
 */
export function renderMarkup(source: string): Html {
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return html`${blocks.map((block) => {
    const lines = block.split('\n').map((l) => l.trim());
    const out: Html[] = [];
    let items: string[] = [];
    let paragraph: string[] = [];
    const flush = () => {
      if (items.length) out.push(html`<ul>${items.map((i) => html`<li>${inline(i)}</li>`)}</ul>`);
      if (paragraph.length) out.push(html`<p>${inline(paragraph.join(' '))}</p>`);
      items = [];
      paragraph = [];
    };
    for (const line of lines) {
      if (line.startsWith('## ')) {
        flush();
        out.push(html`<h2>${inline(line.slice(3))}</h2>`);
      } else if (line.startsWith('- ')) {
        if (paragraph.length) flush();
        items.push(line.slice(2));
      } else {
        if (items.length) flush();
        paragraph.push(line);
      }
    }
    flush();
    return out;
  })}`;
}

const LINK = /\[([^\]\n]+)\]\(((?:\/|https:\/\/)[^\s)]*)\)/g;

/** Text with its links; a link's target is a path on this site or an https address. */
function inline(text: string): Html {
  const parts: (string | Html)[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    parts.push(text.slice(last, m.index));
    parts.push(html`<a href="${m[2]!}">${m[1]!}</a>`);
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  return html`${parts}`;
}

/** The page's own links that need the reader's language carried (`/quejas` → `/quejas?lang=ht`). */
export function withLanguage(markup: Html, lang: string): Html {
  if (lang === 'es') return markup;
  return new Html(markup.value.replace(/href="(\/[^"?#]*)(\?[^"#]*)?"/g, (_, path: string, query?: string) => `href="${path}${query ? `${query}&amp;` : '?'}lang=${lang}"`));
}
