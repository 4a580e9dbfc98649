/** Rendered PDFs of issued documents, kept once written (never re-rendered). */
import type { Db } from './db.js';

export async function readDocumentFile(db: Db, accountId: string, documentId: string, lang: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('document_files').select('pdf').where('account_id', '=', accountId).where('document_id', '=', documentId).where('lang', '=', lang).executeTakeFirst();
  return row?.pdf;
}

/** Keeps the first rendering: a concurrent second one is dropped. */
export async function saveDocumentFile(db: Db, f: { accountId: string; documentId: string; lang: string; pdf: Buffer; createdAt: string }): Promise<void> {
  await db
    .insertInto('document_files')
    .values({ account_id: f.accountId, document_id: f.documentId, lang: f.lang, pdf: f.pdf, created_at: f.createdAt })
    .onConflict((oc) => oc.columns(['account_id', 'document_id', 'lang']).doNothing())
    .execute();
}
