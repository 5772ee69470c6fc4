import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * What a reader gets out of a PDF: each page's text as PDF.js (Firefox's reader) extracts it, lines
 * ended by a line break. For checking that a document says what it should, in whatever script.
 */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; text: string; title: string | undefined }> {
  const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  const { info } = await document.getMetadata();
  await document.destroy();
  return { pages, text: pages.join('\n'), title: (info as { Title?: string }).Title };
}
