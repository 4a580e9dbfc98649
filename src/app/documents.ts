/**
 * The PDF of an issued document (SPEC §6): rendered on first request and kept, so the PDF served
 * later is byte-identical; what was issued is never re-rendered from changed code or settings.
 * The rendering runs in a worker thread (documents/pdf-pool.ts), off the event loop.
 */
import { findInvoice } from '../store/invoices.js';
import type { InvoiceRecord } from '../store/invoices.js';
import { readDocumentFile, saveDocumentFile } from '../store/document-files.js';
import { paymentsOfInvoice } from '../store/payments.js';
import { renderDocumentPdfInPool } from '../documents/pdf-pool.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { AppContext } from './context.js';
import { nowIso } from './context.js';

export async function documentPdf(ctx: AppContext, id: string, kinds: ReadonlyArray<InvoiceRecord['kind']>, lang: 'ja' | 'en', accountId?: string): Promise<Buffer | Refusal> {
  const doc = await findInvoice(ctx.db, id, accountId, kinds);
  if (!doc) return refuse(kinds.includes('quotation') ? 'quote_not_found' : 'invoice_not_found', { id });
  const kept = await readDocumentFile(ctx.db, doc.accountId, doc.id, lang);
  if (kept) return kept;
  const pdf = await renderDocumentPdfInPool(doc, lang);
  await saveDocumentFile(ctx.db, { accountId: doc.accountId, documentId: doc.id, lang, pdf, createdAt: nowIso(ctx) });
  return (await readDocumentFile(ctx.db, doc.accountId, doc.id, lang)) ?? pdf;
}

/**
 * The receipt (領収書) of a paid invoice, as a PDF: the amount received with the invoice's items,
 * per-rate totals and tax, issuer and registration number (so a business customer can keep it as
 * a qualified invoice), the day it was paid in full and how. Numbered after the invoice (INV-000123
 * → RC-000123: one receipt an invoice), rendered on first request and kept like the other
 * documents, so every download is the same document. Refused (409 `receipt_not_available`)
 * until the invoice is paid. docs/decisions.md "Receipts".
 */
export async function receiptPdf(ctx: AppContext, id: string, lang: 'ja' | 'en', accountId?: string): Promise<Buffer | Refusal> {
  const invoice = await findInvoice(ctx.db, id, accountId, ['invoice']);
  if (!invoice) return refuse('invoice_not_found', { id });
  if (invoice.status !== 'paid') return refuse('receipt_not_available', { number: invoice.number, status: invoice.status });
  const documentId = `${invoice.id}/receipt`;
  const kept = await readDocumentFile(ctx.db, invoice.accountId, documentId, lang);
  if (kept) return kept;
  const payments = await paymentsOfInvoice(ctx.db, invoice.accountId, invoice.id);
  const paidOn = payments.map((p) => p.paidOn).reduce((a, b) => (b > a ? b : a), invoice.issuedOn);
  const receipt = {
    invoiceNumber: invoice.number,
    paidOn,
    methods: [...new Set(payments.map((p) => p.method))],
    received: payments.reduce((sum, p) => sum + p.amount, 0),
    bankFee: payments.reduce((sum, p) => sum + p.bankFee, 0),
  };
  const doc = { ...invoice, kind: 'receipt' as const, number: invoice.number.replace(/^[A-Z]+-/, 'RC-'), issuedOn: paidOn, bankAccount: null, receipt };
  const pdf = await renderDocumentPdfInPool(doc, lang);
  await saveDocumentFile(ctx.db, { accountId: invoice.accountId, documentId, lang, pdf, createdAt: nowIso(ctx) });
  return (await readDocumentFile(ctx.db, invoice.accountId, documentId, lang)) ?? pdf;
}
