/**
 * The font is parsed once per process (or worker) and shared by every document
 * (src/documents/document-font.ts). What a document shows and how its text extracts must still
 * depend on that document alone, whatever was rendered before it and in whichever worker.
 */
import { describe, expect, it } from 'vitest';
import { renderDocumentPdf } from '../../src/documents/document-pdf.js';
import type { PdfDocumentInput } from '../../src/documents/document-pdf.js';
import { renderDocumentPdfInPool } from '../../src/documents/pdf-pool.js';
import { pdfText } from '../support/pdf-text.js';

const invoice: PdfDocumentInput = {
  kind: 'invoice',
  number: 'INV-000123',
  issuedOn: '2026-04-01',
  dueOn: '2026-04-30',
  customerName: '株式会社サンプル',
  issuerName: 'ケイヤク株式会社',
  registrationNumber: 'T1234567890123',
  period: { start: '2026-04-01', end: '2026-04-30' },
  paymentMethod: 'bank-transfer',
  bankAccount: 'みずほ銀行 本店 普通 1234567',
  lines: [{ description: 'Business plan', descriptionJa: 'ビジネスプラン', quantity: 1, unitPrice: 30000, amount: 30000, taxRate: 10 }],
  amount: { subtotal: 30000, tax: 3000, total: 33000 },
  taxBreakdown: [{ rate: 10, taxable: 30000, tax: 3000 }],
};
// Noto Sans JP draws U+2027 (hyphenation point) and U+30FB (katakana middle dot) with one glyph,
// and pdfkit writes a glyph's code points into the PDF's ToUnicode map.
const withHyphenationPoint = { ...invoice, customerName: 'サンプル\u2027テスト' };
const withMiddleDot = { ...invoice, customerName: 'サンプル\u30fbテスト' };

describe('PDF rendering with one parsed font for all documents', () => {
  it('a document extracts as its own text, whatever was rendered before it in the process', async () => {
    const first = await pdfText(await renderDocumentPdf(withHyphenationPoint, 'ja'));
    expect(first.text).toContain('サンプル\u2027テスト 御中');
    const afterIt = await renderDocumentPdf(withMiddleDot, 'ja');
    const text = (await pdfText(afterIt)).text;
    expect(text).toContain('サンプル\u30fbテスト 御中');
    expect(text).not.toContain('\u2027');
    // and the bytes are the same when it is rendered again, after other documents
    await renderDocumentPdf(invoice, 'en');
    expect((await renderDocumentPdf(withMiddleDot, 'ja')).equals(afterIt)).toBe(true);
  });

  it('the worker pool renders the same bytes as rendering in this thread, in ja and en, several at a time', async () => {
    const inputs = [withHyphenationPoint, withMiddleDot, invoice, { ...invoice, kind: 'quotation' as const, number: 'Q-000009' }, { ...invoice, kind: 'credit-note' as const, period: null }];
    const jobs = inputs.flatMap((doc) => (['ja', 'en'] as const).map((lang) => ({ doc, lang })));
    const pooled = await Promise.all(jobs.map(({ doc, lang }) => renderDocumentPdfInPool(doc, lang)));
    for (const [i, { doc, lang }] of jobs.entries()) expect(pooled[i]!.equals(await renderDocumentPdf(doc, lang)), `${doc.customerName} ${lang}`).toBe(true);
    const ja = (await pdfText(pooled[4]!)).text; // the invoice, ja
    expect(ja).toContain('請求書');
    expect(ja).toContain('株式会社サンプル 御中');
    expect(ja).toContain('登録番号: T1234567890123');
    expect(ja).toContain('33,000円');
    const en = (await pdfText(pooled[5]!)).text;
    expect(en).toContain('Invoice');
    expect(en).toContain('To: 株式会社サンプル');
  });
});
