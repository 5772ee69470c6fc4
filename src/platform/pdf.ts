import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFKit from 'pdfkit';

/**
 * The one PDF writer (the complaint acuse, the statistics report): pdfkit, with Noto Sans fonts from
 * npm packages embedded as subsets, so that a name in Arabic, Cyrillic or Chinese characters prints as
 * written (the standard PDF fonts cover Latin-1 only). Coordinates are PDF's: from the bottom-left
 * corner of an A4 page, `y` at the text's baseline.
 */
export const PAGE = { width: 595, height: 842, margin: 50 };

type Face = { name: string; font: fontkit.Font; rightToLeft?: boolean };
type Faces = { regular: Face; bold: Face; fallbacks: Face[] };

const require = createRequire(import.meta.url);

function face(name: string, path: string): Face {
  return { name, font: fontkit.create(fs.readFileSync(require.resolve(path))) as fontkit.Font };
}

/**
 * Glyphs of a right-to-left run come out of the layout in visual order, and readers that extract text
 * reverse such a run to reading order. A ligature (lam-alef, the name of God) stands for several
 * characters in reading order, which that reversal would turn around: they are listed backwards here
 * so that the reversal puts them right. (pdfkit takes any object with `layout` as a font.)
 */
function readableRightToLeft(font: fontkit.Font): fontkit.Font {
  const layout: fontkit.Font['layout'] = (text, ...rest) => {
    const run = font.layout(text, ...rest);
    if (run.direction !== 'rtl') return run;
    const glyphs = run.glyphs.map((glyph) => (glyph.codePoints.length > 1 ? Object.create(glyph, { codePoints: { value: [...glyph.codePoints].reverse() } }) : glyph));
    return Object.assign(Object.create(run), { glyphs });
  };
  return new Proxy(font, { get: (target, key, receiver) => (key === 'layout' ? layout : Reflect.get(target, key, receiver)) });
}

let loaded: Faces | undefined;

/** Read once, on the first document: the Chinese font alone is 10 MB. */
function faces(): Faces {
  loaded ??= {
    regular: face('sans', '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: face('sans-bold', '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
    // Scripts Noto Sans lacks, tried in order (Latin, Greek and Cyrillic are in Noto Sans itself).
    // Cairo for Arabic: Noto's Arabic fonts draw dots as separate glyphs with no character behind
    // them, which a PDF reader then extracts as garbage; Cairo's glyphs each stand for characters.
    fallbacks: [{ ...face('arabic', '@expo-google-fonts/cairo/400Regular/Cairo_400Regular.ttf'), rightToLeft: true }, face('han', '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')],
  };
  return loaded;
}

/** Hexadecimal fingerprints and the like: Courier, one of PDF's standard fonts (ASCII only). */
const MONO = 'Courier';
const MONO_ADVANCE = 0.6;

export type TextStyle = { size?: number; bold?: boolean; mono?: boolean; gray?: number };

type Run = { face: Face; text: string; rtl: boolean };

const NEUTRAL = /[\s\p{P}\p{N}]/u;
const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;

/**
 * Splits text into runs of one font each: a character goes to the first font that has it; spaces,
 * digits and punctuation stay with the run they are in, except at the end of a right-to-left run
 * (they belong to the text that follows it).
 */
function runs(text: string, bold: boolean): Run[] {
  const { regular, bold: boldFace, fallbacks } = faces();
  const main = bold ? boldFace : regular;
  const out: Run[] = [];
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    const last = out.at(-1);
    const chosen = last && NEUTRAL.test(ch) && last.face.font.hasGlyphForCodePoint(code) ? last.face : ([main, ...fallbacks].find((f) => f.font.hasGlyphForCodePoint(code)) ?? main);
    if (last && last.face === chosen) last.text += ch;
    else out.push({ face: chosen, text: ch, rtl: false });
  }
  return out.flatMap((run) => {
    if (!RIGHT_TO_LEFT.test(run.text)) return [run];
    const trailing = /[\s\p{P}\p{N}]*$/u.exec(run.text)![0];
    const own = { ...run, text: run.text.slice(0, run.text.length - trailing.length), rtl: true };
    return trailing ? [own, { face: main, text: trailing, rtl: false }] : [own];
  });
}

const runWidth = (run: Run, size: number) => (run.face.font.layout(run.text).advanceWidth * size) / run.face.font.unitsPerEm;

/** The width of a line of text as it will be drawn. */
export function textWidth(text: string, size: number, style: { bold?: boolean; mono?: boolean } = {}): number {
  if (style.mono) return [...text].length * size * MONO_ADVANCE;
  return runs(text, style.bold ?? false).reduce((sum, run) => sum + runWidth(run, size), 0);
}

/** Lines of at most `width`, broken at spaces (a word longer than a line is cut). */
export function wrap(text: string, size: number, width: number, style: { bold?: boolean; mono?: boolean } = {}): string[] {
  const measure = (t: string) => textWidth(t, size, style);
  const space = measure(' ');
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      let wordWidth = measure(word);
      if (line && lineWidth + space + wordWidth <= width) {
        line += ` ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line) lines.push(line);
      // A word wider than the line: cut where it fits (binary search on its characters).
      while (wordWidth > width && [...word].length > 1) {
        const chars = [...word];
        let fits = 1;
        let fails = chars.length;
        while (fails - fits > 1) {
          const middle = (fits + fails) >> 1;
          if (measure(chars.slice(0, middle).join('')) <= width) fits = middle;
          else fails = middle;
        }
        lines.push(chars.slice(0, fits).join(''));
        word = chars.slice(fits).join('');
        wordWidth = measure(word);
      }
      line = word;
      lineWidth = wordWidth;
    }
    lines.push(line);
  }
  return lines;
}

export class PdfDocument {
  private readonly doc: PDFKit.PDFDocument;

  constructor(info: { title: string; createdAt?: Date }) {
    this.doc = new PDFKit({ pdfVersion: '1.4', size: [PAGE.width, PAGE.height], margin: 0, autoFirstPage: true, info: { Title: info.title, Producer: 'Amparo', Creator: 'Amparo', CreationDate: info.createdAt ?? new Date() } });
    const { regular, bold, fallbacks } = faces();
    for (const f of [regular, bold, ...fallbacks]) this.doc.registerFont(f.name, (f.rightToLeft ? readableRightToLeft(f.font) : f.font) as never);
  }

  addPage(): void {
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
  }

  /** Text on one line from (x, y), y at the baseline. */
  text(x: number, y: number, text: string, style: TextStyle = {}): void {
    const size = style.size ?? 10;
    const gray = Math.round((style.gray ?? 0) * 255);
    this.doc.fillColor([gray, gray, gray]).fontSize(size);
    const top = PAGE.height - y;
    if (style.mono) {
      this.doc.font(MONO).text(text, x, top, { lineBreak: false, baseline: 'alphabetic' });
      return;
    }
    let at = x;
    for (const run of runs(text, style.bold ?? false)) {
      if (run.rtl) this.rightToLeft(run, at, top, size);
      else this.doc.font(run.face.name).text(run.text, at, top, { lineBreak: false, baseline: 'alphabetic' });
      at += runWidth(run, size);
    }
  }

  /**
   * A right-to-left run, word by word from its right end, in reading order: the page shows the words
   * right to left, and a reader extracting the text gets them in the order they were written.
   */
  private rightToLeft(run: Run, left: number, top: number, size: number): void {
    let right = left + runWidth(run, size);
    const words = run.text.split(' ');
    for (const [n, word] of words.entries()) {
      // Each word with the space after it (drawn to its left): PDF.js keeps a space inside a piece of
      // text, and drops one drawn alone, which would run the words together.
      const piece = n < words.length - 1 ? `${word} ` : word;
      const width = runWidth({ ...run, text: piece }, size);
      right -= width;
      if (piece) this.doc.font(run.face.name).text(piece, right, top, { lineBreak: false, baseline: 'alphabetic' });
    }
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, gray = 0.6): void {
    const g = Math.round(gray * 255);
    this.doc.save().moveTo(x1, PAGE.height - y1).lineTo(x2, PAGE.height - y2).lineWidth(width).strokeColor([g, g, g]).stroke().restore();
  }

  /** A filled rectangle whose lower-left corner is (x, y). */
  rect(x: number, y: number, w: number, h: number, rgb: [number, number, number] = [0.2, 0.4, 0.6]): void {
    const color = rgb.map((c) => Math.round(c * 255)) as [number, number, number];
    this.doc.save().rect(x, PAGE.height - y - h, w, h).fill(color).restore();
  }

  /** The finished file. pdfkit writes synchronously into its stream's buffer, which this drains. */
  toBuffer(): Buffer {
    const chunks: Buffer[] = [];
    this.doc.end();
    for (let chunk = this.doc.read() as Buffer | null; chunk !== null; chunk = this.doc.read() as Buffer | null) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
}

/** One paragraph of a flowing document. */
export type PdfLine = { text: string; size?: number; bold?: boolean; gapBefore?: number; mono?: boolean };

/** A document of paragraphs, wrapped and paginated (the acuse). */
export function renderTextPdf(lines: PdfLine[], info: { title: string; createdAt: Date }): Buffer {
  const doc = new PdfDocument(info);
  const width = PAGE.width - 2 * PAGE.margin;
  let y = PAGE.height - PAGE.margin;
  for (const line of lines) {
    const size = line.size ?? 10;
    const style = { size, bold: line.bold ?? false, mono: line.mono ?? false };
    y -= line.gapBefore ?? 0;
    for (const piece of wrap(line.text, size, width, style)) {
      if (y - size * 1.3 < PAGE.margin) {
        doc.addPage();
        y = PAGE.height - PAGE.margin;
      }
      y -= size * 1.3;
      doc.text(PAGE.margin, y, piece, style);
    }
  }
  return doc.toBuffer();
}
