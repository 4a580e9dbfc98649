/**
 * A worker thread of the PDF pool (pdf-pool.ts) when running from source: the worker's body is
 * TypeScript (pdf-worker-thread.ts), and a worker thread does not get tsx's loader under every
 * runner (Vitest), so this registers tsx, scoped to this import (tsx's documented `tsx/esm/api`).
 * The server build (scripts/build-server.mjs) has its own build/pdf-worker.mjs, plain JavaScript.
 */
import { register } from 'tsx/esm/api';

const tsx = register({ namespace: 'keiyaku-pdf-worker' });
await tsx.import('./pdf-worker-thread.ts', import.meta.url);
