/**
 * A minimal PDF writer for text documents (the acuse): A4 pages, Helvetica in WinAnsi encoding, lines
 * wrapped and paginated. No library: a PDF of text is a few objects and a cross-reference table.
 */
export type PdfLine = { text: string; size?: number; bold?: boolean; gapBefore?: number; mono?: boolean };

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 56;

/** Characters outside Latin-1 become '?'; WinAnsi and Latin-1 agree on the letters Spanish needs. */
function encodeText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    const byte = code === 0x2019 ? 0x92 : code === 0x201c ? 0x93 : code === 0x201d ? 0x94 : code === 0x2013 ? 0x96 : code === 0x2014 ? 0x97 : code === 0x2022 ? 0x95 : code < 256 && code >= 32 ? code : 0x3f;
    const c = String.fromCharCode(byte);
    out += c === '(' || c === ')' || c === '\\' ? `\\${c}` : c;
  }
  return out;
}

/** Rough Helvetica width: enough to wrap lines without measuring glyphs. */
function wrap(text: string, size: number, mono: boolean): string[] {
  const maxChars = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * (mono ? 0.6 : 0.5)));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let w = word;
      while (w.length > maxChars) {
        if (line) lines.push(line), (line = '');
        lines.push(w.slice(0, maxChars));
        w = w.slice(maxChars);
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= maxChars) line += ` ${w}`;
      else lines.push(line), (line = w);
    }
    lines.push(line);
  }
  return lines;
}

export function renderPdf(lines: PdfLine[], info: { title: string; createdAt: Date }): Buffer {
  const pages: string[] = [];
  let content = '';
  let y = PAGE_HEIGHT - MARGIN;
  const newPage = () => {
    if (content) pages.push(content);
    content = '';
    y = PAGE_HEIGHT - MARGIN;
  };
  for (const line of lines) {
    const size = line.size ?? 10;
    const font = line.mono ? 'F3' : line.bold ? 'F2' : 'F1';
    y -= line.gapBefore ?? 0;
    for (const piece of wrap(line.text, size, line.mono ?? false)) {
      if (y - size * 1.3 < MARGIN) newPage();
      y -= size * 1.3;
      content += `BT /${font} ${size} Tf ${MARGIN} ${y.toFixed(1)} Td (${encodeText(piece)}) Tj ET\n`;
    }
  }
  newPage();

  const objects: string[] = [];
  const add = (body: string) => objects.push(body) ;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  const firstPage = 6;
  const kids = pages.map((_, n) => `${firstPage + n * 2} 0 R`).join(' ');
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>');
  for (const [n, stream] of pages.entries()) {
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents ${firstPage + n * 2 + 1} 0 R >>`);
    add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`);
  }
  const date = info.createdAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  add(`<< /Title (${encodeText(info.title)}) /Producer (Amparo) /CreationDate (D:${date}Z) >>`);
  const infoRef = objects.length;

  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (const [n, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${n + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoRef} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
