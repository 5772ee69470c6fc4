import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyReceiptPdf } from '../missing/public/receipt-pdf.ts';
import { stringsFor } from '../missing/public/strings.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { updateSettings } from '../complaints/settings.service.ts';
import { baseFields, complaintForm, postForm, readReceiptPage } from '../complaints/testing/fixtures.ts';
import { escapeHtml } from '../platform/html.ts';
import { fill, locales, PUBLIC_LANGUAGES } from './i18n.ts';

/**
 * The receipts of the public side in each of the five languages: the complaint's receipt page and its
 * acuse (PDF), the family's receipt page and its printable receipt (PDF), each in the language the
 * person filed in, with that language's own words, each page under 50 KB.
 */
describe('receipts in French, Haitian Creole and Portuguese', () => {
  it.each([
    ['fr', ['Reçu de signalement d’une personne disparue', 'Code d’accès', 'Gardez ce papier en lieu sûr']],
    ['ht', ['Resi pou siyalman yon moun ki disparèt', 'Kòd aksè', 'Sa ki pral pase apre']],
    ['pt', ['Comprovante de relato de pessoa desaparecida', 'Código de acesso', 'Próximos passos']],
  ] as const)('%s: the text of the PDF is the text of the locale (the font carries its accents)', async (lang, phrases) => {
    const pdf = familyReceiptPdf(stringsFor(lang), { folio: 'B-2026-7K3M-9PXW', name: 'Jean-Baptiste Pierre Louis', reportedAt: new Date('2026-11-30T15:00:00Z'), receivedBy: 'Comisión de Búsqueda' }, '1234567812345678', { followUrl: 'https://amparo.example.org/familias/busqueda/seguimiento', zone: 'America/Mexico_City' });
    const text = (await pdfText(pdf)).text.replace(/\s+/g, ' ');
    for (const phrase of phrases) expect(text).toContain(phrase);
  });
});

describe('every receipt of the public side, in all five languages', () => {
  let server: TestServer;
  const words = (text: string) => text.replace(/\s+/g, ' ');

  beforeAll(async () => {
    server = await startTestServer({ matchingWorker: false });
    const unit = await makeInstitution(server.db, { name: 'Órgano Interno de Control (idiomas)' });
    await makeUser(server.db, unit.id, 'complaint_handler');
    await updateSettings(server.db, null, { default_unit: unit.id });
    const commission = await makeInstitution(server.db, { name: 'Comisión de Búsqueda (idiomas)', type: 'state_agency' });
    await sql`update missing_settings set public_institution_id = ${commission.id}`.execute(server.db);
  }, 60_000);
  afterAll(async () => server?.close());

  it.each(PUBLIC_LANGUAGES)('%s: the complaint’s receipt page and its acuse', async (lang) => {
    const c = locales[lang].complaints;
    const kind = c.labels.kinds.grievance.toLowerCase();
    const sent = await postForm(server.baseUrl, `/quejas?lang=${lang}`, complaintForm(baseFields({ narrative: `Queja presentada en ${lang}.` })));
    expect(sent.status).toBe(200);
    expect(sent.text).toContain(`<html lang="${lang}">`);
    expect(sent.text).toContain(`<h1>${escapeHtml(fill(c.receiptTitle, { kind }))}</h1>`);
    expect(sent.text).toContain(escapeHtml(c.receiptWarning));
    expect(Buffer.byteLength(sent.text)).toBeLessThan(50 * 1024);

    const { token } = readReceiptPage(sent.text);
    const acuse = await postForm(server.baseUrl, `/quejas/acuse?lang=${lang}`, new URLSearchParams({ token }));
    expect(acuse.headers.get('content-type')).toBe('application/pdf');
    const text = words((await pdfText(acuse.bytes)).text);
    for (const phrase of [fill(c.acuse.title, { kind }), c.acuse.intro, c.labels.kinds.grievance, fill(c.acuse.noReceipt, { kind }).split(':')[0]!]) expect(text, lang).toContain(words(phrase));
  });

  it.each(PUBLIC_LANGUAGES)('%s: the family’s receipt page and its printable receipt', async (lang) => {
    const m = locales[lang].missing;
    const form = complaintForm({ given_names: 'Jean', surname1: 'Pierre', sex: 'male', reporter_name: 'Marie Pierre', reporter_relationship: 'sibling', reporter_phone: '+509 3700 0000', dna_reference_taken: 'no' });
    const filed = await postForm(server.baseUrl, `/familias/busqueda/reportar?lang=${lang}`, form);
    expect(filed.status).toBe(200);
    expect(filed.text).toContain(`<html lang="${lang}">`);
    expect(filed.text).toContain(`<h1>${escapeHtml(m.receiptTitle)}</h1>`);
    expect(filed.text).toContain(escapeHtml(m.pdfButton));
    expect(Buffer.byteLength(filed.text)).toBeLessThan(50 * 1024);

    const folio = /id="folio">([^<]+)</.exec(filed.text)![1]!;
    const code = (/id="code">(.*?)<\/p>/.exec(filed.text)![1] ?? '').replace(/<[^>]*>|\s/g, '');
    const pdf = await postForm(server.baseUrl, `/familias/busqueda/comprobante?lang=${lang}`, new URLSearchParams({ folio, code }));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = words((await pdfText(pdf.bytes)).text);
    for (const phrase of [m.pdfTitle, m.pdfPerson, m.pdfNextTitle, m.pdfFollowTitle, folio, 'Jean Pierre']) expect(text, lang).toContain(words(phrase));
  });
});
