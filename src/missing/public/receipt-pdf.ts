import { dateTimeInWords } from '../../platform/dates.ts';
import { renderTextPdf, type PdfLine } from '../../platform/pdf.ts';
import { formatReceipt } from '../../platform/receipts.ts';
import type { Strings } from './strings.ts';

/**
 * The family's printable receipt: folio and access code, whom they are looking for, what happens next
 * and where to follow the search (an absolute address), in the language of the page they used. The
 * name is printed as the family wrote it, in whatever script (pdf.ts embeds the fonts).
 */
export function familyReceiptPdf(
  t: Strings,
  report: { folio: string; name: string; reportedAt: Date; receivedBy: string },
  code: string,
  options: { followUrl: string; zone: string },
): Buffer {
  const lines: PdfLine[] = [
    { text: t.pdfTitle, size: 16, bold: true },
    ...(report.name ? [{ text: `${t.pdfPerson}: ${report.name}`, size: 12, gapBefore: 10 }] : []),
    { text: `${t.folioLabel}: ${report.folio}`, size: 14, bold: true, gapBefore: 12 },
    { text: `${t.codeLabel}: ${formatReceipt(code)}`, size: 14, bold: true, gapBefore: 4 },
    { text: t.pdfKeep, size: 9, gapBefore: 4 },
    { text: `${t.pdfReportedAt}: ${dateTimeInWords(report.reportedAt, t.lang, options.zone)}`, gapBefore: 12 },
    { text: `${t.receivedBy}: ${report.receivedBy}`, gapBefore: 2 },
    { text: t.pdfNextTitle, size: 12, bold: true, gapBefore: 14 },
    { text: t.receiptNext, gapBefore: 4 },
    { text: t.pdfFollowTitle, size: 12, bold: true, gapBefore: 14 },
    { text: t.pdfFollowHow, gapBefore: 4 },
    { text: options.followUrl, size: 11, bold: true, gapBefore: 4 },
  ];
  return renderTextPdf(lines, { title: `${t.pdfTitle} ${report.folio}`, createdAt: new Date() });
}
