/**
 * Progress with an ETA for long command-line runs (bench data generation, catch-up runs,
 * imports): "label: 4,000/10,000 (40%), 1,234/s, ETA 5s" on stderr, rewritten in place on a
 * terminal and one line at most every `everyMs` otherwise (logs stay short).
 */
import { performance } from 'node:perf_hooks';

/** "12s", "3m05s", "1h02m": for ETAs. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressOptions {
  /** Where to write; stderr by default. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** At most one line this often when the stream is not a terminal; default 1000 ms. */
  everyMs?: number;
}

export class Progress {
  readonly #label: string;
  readonly #total: number;
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly #everyMs: number;
  readonly #t0 = performance.now();
  #last = Number.NEGATIVE_INFINITY;

  constructor(label: string, total: number, opts: ProgressOptions = {}) {
    this.#label = label;
    this.#total = total;
    this.#stream = opts.stream ?? process.stderr;
    this.#everyMs = opts.everyMs ?? 1000;
  }

  /** The line for `done` units after `elapsedMs`. */
  static line(label: string, done: number, total: number, elapsedMs: number): string {
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    const eta = done > 0 ? ((total - done) * elapsedMs) / done : Number.NaN;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    return `  ${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${pct}%), ${Math.round(rate).toLocaleString('en-US')}/s, ETA ${Number.isFinite(eta) ? formatDuration(eta) : '?'}`;
  }

  /** Reports `done` units so far (absolute, not an increment). */
  update(done: number, elapsedMs = performance.now() - this.#t0): void {

    const now = performance.now();
    if (!this.#stream.isTTY && now - this.#last < this.#everyMs && done < this.#total) return;
    this.#last = now;
    const line = Progress.line(this.#label, done, this.#total, elapsedMs);
    this.#stream.write(this.#stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }

  /** Ends the line; returns the elapsed milliseconds. */
  end(): number {
    const ms = performance.now() - this.#t0;
    if (this.#stream.isTTY) this.#stream.write('\r\x1b[K');
    return ms;
  }
}
