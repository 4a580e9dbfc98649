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
  #total: number;
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

  /** The line for `done` units after `elapsedMs` (a total below `done` is taken as `done`: never "9/8 (112%)"). */
  static line(label: string, done: number, total: number, elapsedMs: number): string {
    total = Math.max(total, done);
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    const eta = done > 0 ? ((total - done) * elapsedMs) / done : Number.NaN;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    return `  ${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${pct}%), ${Math.round(rate).toLocaleString('en-US')}/s, ETA ${Number.isFinite(eta) ? formatDuration(eta) : '?'}`;
  }

  /** The units there are in all, when a run finds it has more (or fewer) to do than it first counted. */
  set total(total: number) {
    this.#total = total;
  }
  get total(): number {
    return this.#total;
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

/**
 * The progress of running due effects, whose work grows as it goes: a renewal it runs schedules
 * the next term's effects, and those that are due by then run in the same catch-up. The first
 * count is only what was due at the start, so each time the work done reaches the total, the total
 * is counted again — done so far plus what is due now (`due`) — and the line shows nothing until
 * it is: the count never passes the total and the ETA is of what is really left. `finish` takes
 * the run's own figure, and its last line is exact (`63/63 (100%)`).
 */
export class GrowingProgress {
  readonly #label: string;
  readonly #due: () => Promise<number>;
  readonly #minTotal: number;
  readonly #opts: ProgressOptions;
  readonly #t0 = performance.now();
  #progress: Progress | undefined;
  /** The first report: the rate is measured from it (the run's start is not seen, only its batches' ends). */
  #first: { done: number; at: number } | undefined;
  #done = 0;
  #recount: Promise<void> | undefined;

  /** `minTotal`: no line at all unless the first count is at least this (npm start shows only long catch-ups). */
  constructor(label: string, due: () => Promise<number>, opts: ProgressOptions & { minTotal?: number } = {}) {
    this.#label = label;
    this.#due = due;
    this.#minTotal = opts.minTotal ?? 1;
    this.#opts = opts;
  }

  /** `done` effects so far of `total` counted (the scheduler's figure: what was due at its start, or more). */
  update(done: number, total = 0): void {
    this.#done = done;
    if (!this.#progress) {
      if (Math.max(total, done) < this.#minTotal) return;
      this.#progress = new Progress(this.#label, Math.max(total, done), this.#opts);
    }
    const progress = this.#progress;
    progress.total = Math.max(progress.total, total);
    if (done < progress.total) return progress.update(done, this.#elapsed(done));
    // The count reached the total: count what is due now before saying how much is left.
    this.#recount ??= this.#due()
      .then(
        (due) => void (progress.total = Math.max(progress.total, done + due)),
        () => undefined,
      )
      .finally(() => {
        this.#recount = undefined;
        if (this.#done < progress.total) progress.update(this.#done, this.#elapsed(this.#done));
      });
  }

  /**
   * The time that makes the line's rate (done ÷ time) the rate measured since the first report,
   * and so its ETA that of what is left at that rate; NaN (rate and ETA "?") until there is one.
   */
  #elapsed(done: number): number {
    const now = performance.now();
    this.#first ??= { done, at: now };
    const counted = done - this.#first.done;
    const ms = now - this.#first.at;
    return counted > 0 && ms > 0 ? (done * ms) / counted : Number.NaN;
  }

  /** The run is over, `done` effects run in all: the last line says so exactly; ends the line. */
  async finish(done: number): Promise<void> {
    await this.#recount;
    if (!this.#progress) return;
    this.#progress.total = done;
    const elapsed = this.#elapsed(done);
    this.#progress.update(done, Number.isNaN(elapsed) ? performance.now() - this.#t0 : elapsed);
    this.#progress.end();
  }
}
