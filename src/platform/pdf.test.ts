import { describe, expect, it } from 'vitest';
import { pdfText } from '../../test/pdf-text.ts';
import { PdfDocument, renderTextPdf, textWidth, wrap } from './pdf.ts';

describe('the PDF writer', () => {
  it('writes text in Latin, Arabic, Cyrillic and Chinese script that reads back as written, and paginates', async () => {
    const lines = ['Acuse (prueba) \\ con acentos: áéíóú ñ ¿“sí”?', 'بلال علاء محمد عبد الله', 'Иван Петров', '王小明'];
    const pdf = renderTextPdf([...lines.map((text) => ({ text, bold: text.startsWith('Acuse') })), { text: 'palabra '.repeat(3000) }, { text: 'a3f9'.repeat(16), mono: true }], { title: 'Prueba 王小明', createdAt: new Date('2019-05-01T00:00:00Z') });
    const { pages, text, title } = await pdfText(pdf);
    // PDF.js joins right-to-left words drawn apart without the space (it infers spaces from gaps only
    // left to right): letters, ligatures and the order of the words are what is checked there.
    const unspaced = text.replace(/\s+/g, '');
    for (const line of lines) expect(unspaced).toContain(line.replace(/\s+/g, ''));
    expect(text).toContain(lines[0]);
    expect(text).toContain('a3f9'.repeat(16));
    expect(pages.length).toBeGreaterThan(1); // long text paginates
    expect(title).toBe('Prueba 王小明');
  });

  it('measures and wraps text to the width it is drawn at', () => {
    expect(textWidth('MMMM', 10)).toBeGreaterThan(textWidth('iiii', 10));
    expect(textWidth('abc', 10, { mono: true })).toBeCloseTo(18);
    const lines = wrap('palabra '.repeat(40), 10, 200);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(textWidth(line, 10)).toBeLessThanOrEqual(200);
    expect(wrap('x'.repeat(400), 10, 100).every((line) => textWidth(line, 10) <= 100)).toBe(true);
  });

  it('draws lines and boxes (the statistics report) and keeps every page', async () => {
    const doc = new PdfDocument({ title: 'Informe' });
    doc.text(50, 780, 'Tabla', { size: 12, bold: true });
    doc.line(50, 770, 300, 770);
    doc.rect(50, 700, 120, 9);
    doc.addPage();
    doc.text(50, 780, 'Segunda página');
    const { pages } = await pdfText(doc.toBuffer());
    expect(pages).toHaveLength(2);
    expect(pages[1]).toContain('Segunda página');
  });
});
