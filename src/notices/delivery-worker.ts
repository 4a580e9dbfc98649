/**
 * The loop that delivers the outbox: runs one delivery pass every `pollMs`, sooner when woken (a
 * notice was just written), drains full batches back to back, and stops cleanly: `stop()` waits
 * for the pass in progress, so no attempt is left half-recorded by a shutdown.
 */

export interface DeliveryWorker {
  /** Run a pass soon (after `wakeMs`): a notice was written and will be committed shortly. */
  wake(): void;
  /** No new pass starts; the one running is aborted (its sends cut, its claims released) and awaited. */
  stop(): Promise<void>;
}

export interface DeliveryWorkerOptions {
  /** One pass: claims, sends and records up to a batch; returns how many it claimed. Aborted by `stop()`. */
  pass: (signal: AbortSignal) => Promise<number>;
  batch: number;
  pollMs: number;
  /** Delay after a wake, so the writing transaction has committed (PostgreSQL) when the pass looks. */
  wakeMs?: number;
  onError: (err: unknown) => void;
}

export function startDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const wakeMs = opts.wakeMs ?? 20;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wokenWhileRunning = false;
  const stopping = new AbortController();

  function arm(ms: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = drain().finally(() => {
        running = undefined;
        const again = wokenWhileRunning;
        wokenWhileRunning = false;
        arm(again ? wakeMs : opts.pollMs);
      });
    }, ms);
    timer.unref();
  }

  async function drain(): Promise<void> {
    try {
      while (!stopped && (await opts.pass(stopping.signal)) >= opts.batch);
    } catch (err) {
      opts.onError(err);
    }
  }

  arm(0);
  return {
    wake() {
      if (stopped) return;
      if (running) wokenWhileRunning = true;
      else arm(wakeMs);
    },
    async stop() {
      stopped = true;
      stopping.abort(new Error('the server is stopping'));
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
