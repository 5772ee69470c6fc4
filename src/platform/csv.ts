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

/** The bytes of a streamed file are not UTF-8. */
export class CsvEncodingError extends Error {
  constructor() {
    super('not UTF-8');
  }
}

/**
 * The records of a CSV file read as a stream of byte chunks (a file of any size, in constant memory
 * beyond one record): decodes UTF-8 strictly (CsvEncodingError), drops a byte-order mark, detects the
 * delimiter on the header line, and yields the same records, with the same line numbers, as parseCsv
 * on the whole text. Records are cut at the last line feed outside quotes of what has been read, so
 * a quoted field may span chunks. Returns the delimiter it detected.
 */
export async function* parseCsvStream(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<CsvRecord, ',' | ';' | null> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let delimiter: ',' | ';' | null = null;
  let pending = '';
  let line = 0;
  const lines = (text: string) => {
    let n = 0;
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) n++;
    return n;
  };
  function* flush(text: string): Generator<CsvRecord> {
    for (const record of parseCsv(text, delimiter!)) yield { fields: record.fields, line: record.line + line };
    line += lines(text);
  }
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new CsvEncodingError();
    }
  };
  for await (const chunk of chunks) {
    pending += decode(chunk);
    if (delimiter === null) {
      pending = stripBom(pending);
      if (!/[\r\n]/.test(pending)) continue;
      delimiter = detectDelimiter(pending);
    }
    // The last line feed outside quotes: everything before it is whole records.
    let quoted = false;
    let cut = -1;
    for (let i = 0; i < pending.length; i++) {
      const c = pending.charCodeAt(i);
      if (c === 34) quoted = !quoted;
      else if (c === 10 && !quoted) cut = i;
    }
    if (cut < 0) continue;
    yield* flush(pending.slice(0, cut + 1));
    pending = pending.slice(cut + 1);
  }
  pending += decode();
  if (delimiter === null) {
    pending = stripBom(pending);
    if (pending === '') return null;
    delimiter = detectDelimiter(pending);
  }
  if (pending !== '') yield* flush(pending);
  return delimiter;
}
