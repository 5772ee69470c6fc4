import { describe, expect, it } from 'vitest';
import { familyReceiptPdf } from '../missing/public/receipt-pdf.ts';
import { stringsFor } from '../missing/public/strings.ts';
import { pdfText } from '../../test/pdf-text.ts';

/**
 * The families' printable receipt in the languages with accents Spanish does not have: the embedded
 * font (Noto Sans, src/platform/pdf.ts) must carry ç, è, ò, ã, õ, ê so that the words read as written.
 */
describe('receipts in French, Haitian Creole and Portuguese', () => {
  it.each([
    ['fr', ['Reçu de signalement d’une personne disparue', 'Code d’accès', 'Gardez ce papier en lieu sûr']],
    ['ht', ['Resi pou siyalman yon moun ki disparèt', 'Kòd aksè', 'Sa ki pral pase apre']],
    ['pt', ['Comprovante de relato de pessoa desaparecida', 'Código de acesso', 'Próximos passos']],
  ] as const)('%s: the text of the PDF is the text of the locale', async (lang, phrases) => {
    const pdf = familyReceiptPdf(stringsFor(lang), { folio: 'B-2026-7K3M-9PXW', name: 'Jean-Baptiste Pierre Louis', reportedAt: new Date('2026-11-30T15:00:00Z'), receivedBy: 'Comisión de Búsqueda' }, '1234567812345678', { followUrl: 'https://amparo.example.org/familias/busqueda/seguimiento', zone: 'America/Mexico_City' });
    const text = (await pdfText(pdf)).text.replace(/\s+/g, ' ');
    for (const phrase of phrases) expect(text).toContain(phrase);
  });
});
