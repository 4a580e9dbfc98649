/**
 * Renders documents in worker threads, one a core, so PDF rendering (CPU-bound, ~6 ms a document)
 * neither blocks the server's event loop nor leaves the other cores idle (docs/performance.md §5).
 * Each worker keeps its own parsed font (document-font.ts); the bytes do not depend on the worker.
 *
 * Workers start on demand (the first when the first PDF is asked for, another when all are busy)
 * and stay. An idle worker does not keep the process alive (unref), a busy one does (ref), so a
 * process that awaits a rendering does not exit under it.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PdfDocumentInput } from './document-pdf.js';

type Lang = 'ja' | 'en';
interface Task {
  id: number;
  doc: PdfDocumentInput;
  lang: Lang;
  resolve: (pdf: Buffer) => void;
  reject: (error: Error) => void;
}
interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
}
type Reply = { ready: true } | { id: number; pdf: Uint8Array } | { id: number; error: string };

const WORKER_FILE = new URL('./pdf-worker.mjs', import.meta.url);
/**
 * One worker a core (the main thread's HTTP and database work is light next to rendering); the
 * server processes of one start (KEIYAKU_PROCESSES) share the cores: `sharePdfPool`.
 */
let poolSize = Math.max(1, availableParallelism());

/** This process is one of `processes` server processes on this machine: its share of the cores' workers (at least one). */
export function sharePdfPool(processes: number): void {
  poolSize = Math.max(1, Math.ceil(availableParallelism() / Math.max(1, processes)));
}

const slots: Slot[] = [];
const queue: Task[] = [];
let nextId = 1;

/** The PDF of `doc`, rendered by renderDocumentPdf in a worker thread: the same bytes. */
export function renderDocumentPdfInPool(doc: PdfDocumentInput, lang: Lang): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    queue.push({ id: nextId++, doc, lang, resolve, reject });
    dispatch();
  });
}

function dispatch(): void {
  while (queue.length > 0) {
    const slot = slots.find((s) => s.ready && s.task === null);
    if (!slot) {
      // Start another worker if every one is busy (a starting one counts as busy: it takes the next task when ready).
      const starting = slots.filter((s) => !s.ready).length;
      if (starting < queue.length && slots.length < poolSize) slots.push(startWorker());
      return;
    }
    const task = queue.shift()!;
    slot.task = task;
    slot.worker.ref();
    slot.worker.postMessage({ id: task.id, doc: task.doc, lang: task.lang });
  }
}

function startWorker(): Slot {
  // execArgv: [] — the worker registers tsx itself; a loader inherited from `tsx …` would load it twice.
  const worker = new Worker(WORKER_FILE, { execArgv: [] });
  const slot: Slot = { worker, ready: false, task: null };
  worker.on('message', (reply: Reply) => {
    if ('ready' in reply) {
      slot.ready = true;
    } else {
      const task = slot.task;
      slot.task = null;
      if (task && task.id === reply.id) {
        if ('pdf' in reply) task.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
        else task.reject(new Error(`PDF rendering failed in a worker: ${reply.error}`));
      }
    }
    if (slot.task === null) worker.unref();
    dispatch();
  });
  const fail = (error: Error) => {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    const task = slot.task;
    slot.task = null;
    if (task) task.reject(error);
    else if (!slot.ready) {
      // A worker that cannot start fails what waits for it, rather than being restarted forever.
      for (const waiting of queue.splice(0)) waiting.reject(error);
    }
    dispatch();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`PDF worker exited (code ${code})`)));
  worker.ref();
  return slot;
}
