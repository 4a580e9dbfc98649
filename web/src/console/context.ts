/** What every console screen needs: the API as the operator, the vendor's time zone, navigation. */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ApiClient, Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import type { Text } from '../shared/i18n.js';
import { common, useI18n } from '../shared/i18n.js';
import type { TextKey } from './texts.js';
import { tx } from './texts.js';

export interface Console {
  api: ApiClient;
  /** The vendor's time zone (from GET /v1/clock): instants are shown in it. */
  timeZone: string;
  /** Today in the vendor's time zone (YYYY-MM-DD) by the server's clock; null until it is read. */
  today: string | null;
  /** The test clock is on: the clock screen is shown. */
  testClock: boolean;
  navigate(path: string): void;
  /** Reads the clock again (after it moved). */
  refreshClock(): Promise<void>;
}

export const ConsoleContext = createContext<Console | null>(null);

export function useConsole(): Console {
  const c = useContext(ConsoleContext);
  if (!c) throw new Error('useConsole outside the console');
  return c;
}

/** The console's words: `ct('reason')`, or a key built from data (`status.paid`) with a fallback. */
export function useTexts() {
  const i18n = useI18n();
  const ct = useCallback((key: TextKey | Text, params?: Record<string, string | number>) => i18n.t(typeof key === 'string' ? tx[key] : key, params), [i18n]);
  /** A label for a code from the API (`status.open`, `pm.card`); the code itself when there is no label. */
  const label = useCallback(
    (prefix: string, code: string) => {
      const key = `${prefix}.${code}`;
      if (key in tx) return i18n.t(tx[key as TextKey]);
      return key in common ? i18n.t(common[key as keyof typeof common]) : code;
    },
    [i18n],
  );
  return { ...i18n, ct, label };
}

/** An instant on the vendor's wall clock (shared with the portal). */
export { formatInstant } from '../shared/i18n.js';

/** The wall-clock date and time of an instant in a time zone: `{ date: 'YYYY-MM-DD', time: 'HH:MM' }`. */
export function wallClock(instant: string, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(Date.parse(instant))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * The RFC 3339 instant of a wall-clock date and time in a time zone, with its offset
 * ("2022-11-01T00:00:00+09:00"): the offset is the zone's at that moment (Intl "longOffset").
 */
export function instantOf(date: string, time: string, timeZone: string): string {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(guess).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  const offset = m ? `${m[1]}:${m[2] ?? '00'}` : 'Z';
  return `${date}T${time}:00${offset === '+00:00' ? 'Z' : offset}`;
}

export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
  reload(): Promise<void>;
}

/** Loads `fn` when the deps (and the language: messages come back in it) change. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const { lang } = useI18n();
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  const run = useCallback(fn, [...deps, lang]);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await run());
      setProblem(null);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, problem, loading, reload };
}
