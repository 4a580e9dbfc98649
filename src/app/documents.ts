/**
 * The PDF of an issued document (SPEC §6): rendered on first request and kept, so the PDF served
 * later is byte-identical; what was issued is never re-rendered from changed code or settings.
 * The rendering runs in a worker thread (documents/pdf-pool.ts), off the event loop.
 */
import { findInvoice } from '../store/invoices.js';
import type { InvoiceRecord } from '../store/invoices.js';
import { readDocumentFile, saveDocumentFile } from '../store/document-files.js';
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
