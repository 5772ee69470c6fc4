import { describe, expect, it } from 'vitest';
import { periodPhrase, periodShape, type Report } from './report.ts';
import { reportMessages, type Figure } from './report.messages.ts';
import { plainText, renderReportHtml, renderReportPdf } from './report.render.ts';
import { pdfText } from '../../test/pdf-text.ts';

/** The report's words: agreement with the figures, periods as ranges, and both writers' letterhead and charts. */
const fig = (value: number | null, text = String(value)): Figure => ({ kind: 'figure', text, value, href: '/q' });

describe('report phrases', () => {
  it('agrees with one and with many, in both languages', () => {
    const { es, en } = reportMessages;
    const types = [fig(100, '100%'), ' unidades ambulatorias'];
    expect(plainText(es.unitsAttended({ period: 'En 2019', units: fig(1), types, people: fig(25) }))).toBe('En 2019, 1 unidad (100% unidades ambulatorias) brindó atención a 25 migrantes.');
    expect(plainText(es.unitsAttended({ period: 'En 2019', units: fig(12), types, people: fig(1) }))).toBe('En 2019, 12 unidades (100% unidades ambulatorias) brindaron atención a 1 migrante.');
    // A withheld figure reads as a plural: "menos de 5 unidades".
    expect(plainText(es.unitsAttended({ period: 'En 2019', units: fig(null, 'menos de 5'), types, people: fig(25) }))).toContain('menos de 5 unidades (');
    expect(plainText(es.reunifications({ period: 'En 2019', reunifications: fig(1) }))).toBe('En 2019 se realizó 1 reunificación familiar de niñas, niños y adolescentes en contexto de migración.');
    expect(plainText(es.caseFilesAndVictims({ period: 'En 2019', cases: fig(1), victims: fig(2) }))).toBe('En 2019 se registró 1 expediente, en el que se atendió a 2 víctimas directas e indirectas.');
    expect(plainText(en.outreach({ period: 'In 2019', events: fig(1), attendees: fig(1) }))).toBe('In 2019, 1 outreach event was held, attended by 1 person.');
    expect(es.statesAttending(['Chiapas'], 'Chiapas')).toBe(' El estado que brindó atención es Chiapas.');
  });

  it('says periods as ranges', () => {
    expect(periodPhrase({ from: '2018-06-01', to: '2019-05-31' }, 'es')).toBe('De junio de 2018 a mayo de 2019');
    expect(reportMessages.es.period(periodShape({ from: '2018-06-01', to: '2019-05-31' }))).toBe('de junio de 2018 a mayo de 2019');
    expect(periodPhrase({ from: '2019-01-01', to: '2019-12-31' }, 'es')).toBe('En 2019');
    expect(periodPhrase({ from: '2019-02-01', to: '2019-02-28' }, 'es')).toBe('En febrero de 2019');
    expect(periodPhrase({ from: '2019-02-03', to: '2019-03-15' }, 'es')).toBe('Del 3 de febrero de 2019 al 15 de marzo de 2019');
    expect(periodPhrase({ from: '2018-06-01', to: '2019-05-31' }, 'en')).toBe('From June 2018 to May 2019');
    expect(reportMessages.en.title(reportMessages.en.period(periodShape({ from: '2019-03-01', to: '2019-03-31' })))).toBe('Statistical report: March 2019');
  });
});

const report: Report = {
  lang: 'es',
  title: 'Informe estadístico: 2019',
  period: { from: '2019-01-01', to: '2019-12-31' },
  periodText: 'En 2019',
  minCell: 5,
  generatedAt: '2026-12-05T23:18:55.997Z',
  generatedText: '5 de diciembre de 2026, 5:18 p.m. (hora estándar central)',
  letterhead: { institution: 'Albergue <Belén> & Casa', code: 'BELEN', type: 'Albergue', date: '5 de diciembre de 2026' },
  sections: [
    {
      programme: 'shelter',
      heading: 'Albergue: Albergue <Belén> & Casa',
      organisation: { code: 'BELEN', name: 'Albergue <Belén> & Casa' },
      paragraphs: [['En 2019 se atendieron ', fig(40), ' personas migrantes.']],
      tables: [],
      charts: [{ title: 'Personas atendidas por nacionalidad', href: '/q?by=nationality', bars: [{ label: 'Honduras', value: 30, text: '30' }, { label: 'Guatemala', value: 10, text: '10' }] }],
    },
  ],
  empty: false,
  notes: ['Nota.'],
};

describe('report writers', () => {
  it('writes HTML with the letterhead, an SVG chart and every value escaped once', () => {
    const page = renderReportHtml(report);
    expect(page).toContain('<p class="institution">Albergue &lt;Belén&gt; &amp; Casa</p>');
    expect(page).not.toContain('<Belén>');
    expect(page).toMatch(/<svg role="img" aria-labelledby="chart-0-0"[^>]*><title id="chart-0-0">Personas atendidas por nacionalidad<\/title>/);
    expect(page).toContain('>Honduras</text>');
    expect(page).toContain('>30</text>');
    // The longest bar fills the room; the other is a third of it.
    const widths = [...page.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]! / widths[1]!).toBeCloseTo(3, 1);
    expect(page).toContain('Generado: <time datetime="2026-12-05T23:18:55.997Z">5 de diciembre de 2026, 5:18 p.m. (hora estándar central)</time>');
  });

  it('draws the letterhead and the chart in the PDF', async () => {
    const { text } = await pdfText(renderReportPdf(report));
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Albergue <Belén> & Casa');
    expect(flat).toContain('Fecha: 5 de diciembre de 2026');
    expect(flat).toMatch(/Personas atendidas por nacionalidad Honduras\s*30\s*Guatemala\s*10/);
    expect(flat).toContain('Generado: 5 de diciembre de 2026, 5:18 p.m.');
  });
});
