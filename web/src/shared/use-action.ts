/**
 * A form's action: runs it with the button busy, and keeps the API's refusal (problem+json) to
 * show next to its fields — the same few lines every screen would otherwise repeat.
 */
import { useCallback, useState } from 'react';
import type { Problem } from './api.js';
import { toProblem } from './api.js';

export interface Action {
  busy: boolean;
  problem: Problem | null;
  /** Runs `action`; a thrown API problem (or any error) becomes `problem`. */
  run(action: () => Promise<void>): Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, run };
}
