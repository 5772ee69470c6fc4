import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsvLine, unprotectFormula } from './csv.ts';

describe('the CSV writer', () => {
  it('puts an apostrophe before text a spreadsheet would run as a formula, and takes it off on reading', () => {
    for (const text of ['=HYPERLINK("x")', '+52 55 1234 5678', '-1+1', '@SUM(A1)', '\tindent', "'=already"]) {
      const [record] = [...parseCsv(toCsvLine([text]), ',')];
      expect(record!.fields[0]!.startsWith("'")).toBe(true);
      expect(unprotectFormula(record!.fields[0]!)).toBe(text);
    }
  });

  it('writes numbers as numbers, negative ones too, and leaves plain text alone', () => {
    expect(toCsvLine([-3, 0, 12.5, 'Chiapas', 'c', null])).toBe('-3,0,12.5,Chiapas,c,');
    expect(csvField('-3')).toBe("'-3");
  });

  it('quotes delimiters, quotes and line breaks', () => {
    expect(toCsvLine(['a,b', 'say "hi"', 'two\nlines'])).toBe('"a,b","say ""hi""","two\nlines"');
    expect(toCsvLine(['a;b', 'a,b'], ';')).toBe('"a;b";a,b');
  });
});
