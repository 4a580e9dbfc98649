/** The test clock (SPEC G3, API.md `/v1/clock`): read it, move it forward and run what fell due. */
import { Temporal } from 'temporal-polyfill';
import { TestClock } from '../clock.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import { writeSetting } from '../store/settings.js';
import type { AppContext } from './context.js';
import type { RunReport } from './scheduler.js';
import { runDueEffects } from './scheduler.js';

export const TEST_CLOCK_SETTING = 'test_clock_now';

export function clockView(ctx: AppContext) {
  return { now: ctx.clock.now().toString(), mode: ctx.clock.mode, timeZone: ctx.settings.timeZone };
}

/** Sets the test clock forward and runs every effect due up to then, exactly once. */
export async function setTestClock(ctx: AppContext, to: Temporal.Instant): Promise<(ReturnType<typeof clockView> & { effects: RunReport }) | Refusal> {
  const clock = ctx.clock;
  if (!(clock instanceof TestClock)) return refuse('test_clock_disabled');
  if (Temporal.Instant.compare(to, clock.now()) < 0) return refuse('clock_backwards', { now: clock.now().toString(), to: to.toString() }, 'now');
  clock.set(to);
  await writeSetting(ctx.db, TEST_CLOCK_SETTING, to.toString());
  const effects = await runDueEffects(ctx, to);
  return { ...clockView(ctx), effects };
}
