/**
 * A tiny load generator: `concurrency` workers loop over tasks `0, 1, 2, …` until `count` tasks
 * were started or `durationMs` has passed, whichever comes first, and record each task's latency
 * with `performance.now()`. A task that throws counts as an error (its latency is not recorded).
 */
import { performance } from 'node:perf_hooks';
import { Progress } from '../src/cli/progress.js';

export interface LoadOptions {
  concurrency: number;
  /** Stop after this many tasks (bound in count). */
  count?: number;
  /** Stop starting new tasks after this long (bound in time). */
  durationMs: number;
  /** Tasks run before the measurement (same indices are not reused: they come first). */
  warmup?: number;
  task: (i: number) => Promise<void>;
  /** Called about once a second while running. */
  onProgress?: (done: number, elapsedMs: number) => void;
}

export interface LoadResult {
  count: number;
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const limit = opts.count ?? Number.POSITIVE_INFINITY;
  let next = 0;
  if (opts.warmup) {
    const warm = Math.min(opts.warmup, limit);
    await Promise.all(
      Array.from({ length: Math.min(opts.concurrency, warm) }, async () => {
        while (next < warm) await opts.task(next++).catch(() => undefined);
      }),
    );
  }
  const measuredLimit = limit === Number.POSITIVE_INFINITY ? limit : limit - next;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.durationMs;
  let lastReport = t0;
  const worker = async () => {
    while (started < measuredLimit && performance.now() < deadline) {
      started++;
      const i = next++;
      const s = performance.now();
      try {
        await opts.task(i);
        latencies.push(performance.now() - s);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      if (opts.onProgress && performance.now() - lastReport > 1000) {
        lastReport = performance.now();
        opts.onProgress(latencies.length + errors, lastReport - t0);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
  };
}

export { formatDuration } from '../src/cli/progress.js';

/** A progress line with an ETA (src/cli/progress.ts), for `runLoad`'s `onProgress`. */
export function progress(label: string, total: number): (done: number, elapsedMs: number) => void {
  const p = new Progress(label, total, { everyMs: 0 });
  return (done, elapsedMs) => p.update(done, elapsedMs);
}

export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}
