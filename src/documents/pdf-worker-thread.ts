/**
 * The body of a PDF pool worker thread (pdf-pool.ts): renders one document at a time with
 * renderDocumentPdf and answers on the parent port. Loaded by pdf-worker.mjs when running from
 * source (tsx, Vitest) and built into build/pdf-worker.mjs for `npm start` (scripts/build-server.mjs).
 */
import { parentPort } from 'node:worker_threads';
import { renderDocumentPdf } from './document-pdf.js';
import type { PdfDocumentInput } from './document-pdf.js';

const port = parentPort;
if (!port) throw new Error('pdf-worker-thread runs as a worker thread of the PDF pool');
port.on('message', async ({ id, doc, lang }: { id: number; doc: PdfDocumentInput; lang: 'ja' | 'en' }) => {
  try {
    const pdf = await renderDocumentPdf(doc, lang);
    port.postMessage({ id, pdf });
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
port.postMessage({ ready: true });
