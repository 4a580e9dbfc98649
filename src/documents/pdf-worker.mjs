/**
 * A worker thread of the PDF pool (pdf-pool.ts): renders one document at a time with
 * renderDocumentPdf. Plain JavaScript because it loads the TypeScript renderer itself: the project
 * runs TypeScript through tsx, and a worker thread does not get tsx's loader under every runner
 * (vitest), so it registers tsx here, scoped to this import (tsx's documented `tsx/esm/api`).
 */
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const tsx = register({ namespace: 'keiyaku-pdf-worker' });
const { renderDocumentPdf } = await tsx.import('./document-pdf.ts', import.meta.url);

parentPort.on('message', async ({ id, doc, lang }) => {
  try {
    const pdf = await renderDocumentPdf(doc, lang);
    parentPort.postMessage({ id, pdf });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
parentPort.postMessage({ ready: true });
