/**
 * A form's action: runs it with the button busy, and keeps the API's refusal (problem+json) to
 * show next to its fields — the same few lines every screen would otherwise repeat.
 */
import { useCallback, useRef, useState } from 'react';
import type { Problem } from './api.js';
import { toProblem } from './api.js';

export interface Action {
  busy: boolean;
  problem: Problem | null;
  /** Runs `action`; a thrown API problem (or any error) becomes `problem`. */
  run(action: () => Promise<void>): Promise<void>;
  /** Shows the form's own problem (its checks before sending), or clears it with null. */
  fail(problem: Problem | null): void;
}

/** `readable`: turns the API's problem into the form's words (validation texts → the form's messages) before it is shown. */
export function useAction(readable?: (problem: Problem) => Problem): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The latest wording (the language may change between renders).
  const reword = useRef(readable);
  reword.current = readable;
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      const p = toProblem(err);
      setProblem(reword.current ? reword.current(p) : p);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, run, fail: setProblem };
}
