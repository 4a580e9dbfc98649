/**
 * The test clock (only when the server runs on one): what time it is, and moving it forward to a
 * date and time in the vendor's zone; the server then runs every effect due by then.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button, Card, Facts, Field, ProblemAlert } from '../shared/ui.js';
import { formatInstant, instantOf, useConsole, useLoad, useTexts, wallClock } from './context.js';
import { LoadProblem, Loading, Outcome } from './parts.js';
import { formProblem, isRealDate, isTimeOfDay, readableProblem } from '../shared/validate.js';
import type { Clock } from './types.js';

interface Moved extends Clock {
  effects: { ran: number; failed: number };
}

/** YYYY-MM-DD plus whole days or months (calendar arithmetic on the text, no time zone). */
function addToDate(date: string, days: number, months = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const base = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + 1, 0)).getUTCDate();
  const result = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), Math.min(d, lastDay) + days));
  return result.toISOString().slice(0, 10);
}

export function ClockScreen() {
  const { api, refreshClock } = useConsole();
  const i18n = useTexts();
  const { ct, lang } = i18n;
  const clock = useLoad(() => api.get<Clock>('/v1/clock'), [api]);
  const [date, setDate] = useState<string | null>(null);
  const [time, setTime] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const c = clock.data;
  const wall = c ? wallClock(c.now, c.timeZone) : null;
  // Until the operator types, the fields show the clock's own date and time; emptied, they stay empty.
  const shownDate = date ?? wall?.date ?? '';
  const shownTime = time ?? wall?.time ?? '';

  async function move(toDate: string, toTime: string) {
    if (!c) return;
    // A date and a time to move to: said under the field when one is missing or not real.
    const own = formProblem(
      {
        now: toDate.trim() === '' ? ct('checkClockDateEmpty') : isRealDate(toDate) ? undefined : ct('checkClockDate'),
        time: isTimeOfDay(toTime) ? undefined : ct('checkClockTime'),
      },
      i18n,
    );
    setProblem(own);
    setDone(null);
    if (own) return;
    setBusy(true);
    try {
      const moved = await api.post<Moved>('/v1/clock', { now: instantOf(toDate, toTime, c.timeZone) });
      setProblem(null);
      setDone(ct('clockMoved', { now: formatInstant(moved.now, moved.timeZone, lang), ran: moved.effects.ran, failed: moved.effects.failed }));
      setDate(null);
      setTime(null);
      await Promise.all([clock.reload(), refreshClock()]);
    } catch (err) {
      setProblem(readableProblem(toProblem(err), { now: ct('checkClockRange') }, i18n));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void move(shownDate, shownTime);
  }

  return (
    <Card testId="clock">
      <p>{ct('clockIntro')}</p>
      <LoadProblem problem={clock.problem} onRetry={() => void clock.reload()} />
      <Loading when={clock.loading && !c} />
      {done ? (
        <Outcome testId="clock-done">
          {done}
        </Outcome>
      ) : null}
      {c && wall ? (
        <>
          <Facts
            testId="clock-facts"
            items={[
              [ct('clockNow'), <span data-testid="clock-now">{formatInstant(c.now, c.timeZone, lang)}</span>],
              [ct('timeZone'), c.timeZone],
            ]}
          />
          <form className="kc-form" onSubmit={submit} noValidate>
            <div className="kc-quick">
              <Button variant="secondary" busy={busy} onClick={() => void move(addToDate(wall.date, 1), wall.time)}>
                {ct('plusDay')}
              </Button>
              <Button variant="secondary" busy={busy} onClick={() => void move(addToDate(wall.date, 0, 1), wall.time)}>
                {ct('plusMonth')}
              </Button>
            </div>
            <ProblemAlert problem={problem} fields={['now', 'time']} />
            <div className="kc-grid">
              <Field label={ct('newDate')} name="now" problem={problem}>
                {({ id, describedBy, invalid }) => (
                  <input id={id} type="date" value={shownDate} onChange={(e) => setDate(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="clock-date" />
                )}
              </Field>
              <Field label={ct('newTime')} name="time" problem={problem}>
                {({ id, describedBy, invalid }) => (
                  <input id={id} type="time" value={shownTime} onChange={(e) => setTime(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="clock-time" />
                )}
              </Field>
            </div>
            <Button type="submit" busy={busy} data-testid="move-clock">
              {ct('moveClock')}
            </Button>
          </form>
        </>
      ) : null}
    </Card>
  );
}
