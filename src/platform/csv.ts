/**
 * CSV as RFC 4180 describes it, for imports and exports: fields separated by a delimiter (',' or ';',
 * detected on the header line), records by CRLF or LF, a field in double quotes may hold delimiters,
 * line breaks and doubled quotes (""). UTF-8, with or without a byte-order mark.
 *
 * Spreadsheets that start a cell with = + - or @ run it as a formula. `csvField` writes such a value
 * with a leading apostrophe (the usual defence) and `unprotectFormula` takes it off again on import,
 * so that an exported file imports back to the same values.
 */

export type CsvRecord = {
  fields: string[];
  /** The physical line (1-based) the record starts on: a quoted field may span several. */
  line: number;
};

export class CsvSyntaxError extends Error {
  constructor(
    readonly reason: 'unclosed_quote' | 'text_after_quote',
    readonly line: number,
  ) {
    super(`${reason} at line ${line}`);
  }
}

/** Decodes UTF-8 strictly (null when the bytes are not UTF-8) and drops a byte-order mark. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** ';' when the header line has more semicolons than commas outside quotes (as spreadsheets in Spanish write), else ','. */
export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * The records of a CSV text, one at a time. A line with nothing on it yields a record with one empty
 * field (callers skip blank records). Throws CsvSyntaxError on a quote left open or text after a
 * closing quote; a quote inside an unquoted field is kept as a character.
 */
export function* parseCsv(text: string, delimiter: ',' | ';'): Generator<CsvRecord> {
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          const close = text.indexOf('"', i);
          if (close < 0) throw new CsvSyntaxError('unclosed_quote', opened);
          const chunk = text.slice(i, close);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          value += chunk;
          if (text[close + 1] === '"') {
            value += '"';
            i = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        const next = text[i];
        if (i < n && next !== delimiter && next !== '\n' && next !== '\r') throw new CsvSyntaxError('text_after_quote', line);
      } else {
        let j = i;
        while (j < n) {
          const c = text[j];
          if (c === delimiter || c === '\n' || c === '\r') break;
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i >= n) break;
      const c = text[i];
      if (c === delimiter) {
        i++;
        if (i >= n) {
          fields.push('');
          break;
        }
        continue;
      }
      // End of record: CRLF, LF or a lone CR.
      i++;
      if (c === '\r' && text[i] === '\n') i++;
      line++;
      break;
    }
    yield { fields, line: start };
  }
}

const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * One field as written to a file: quoted when needed, formula-like text behind an apostrophe. A number
 * is written as it is: a spreadsheet reads -3 as minus three, never as a formula.
 */
export function csvField(value: string | number | boolean | null | undefined, delimiter: ',' | ';' = ','): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Undoes the apostrophe `csvField` puts before a formula-like value. */
export const unprotectFormula = (value: string) => (value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value);

export function toCsvLine(values: (string | number | boolean | null | undefined)[], delimiter: ',' | ';' = ','): string {
  return values.map((v) => csvField(v, delimiter)).join(delimiter);
}
