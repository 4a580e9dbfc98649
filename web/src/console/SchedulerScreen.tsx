/**
 * The scheduler (docs/operations.md, "The scheduler"): how many effects are pending, due now, done
 * and failed; the failed ones with their error and a button to run each again once its bug is
 * fixed (POST /v1/effects/{id}/retry); running what is due now (POST /v1/effects/run); and what
 * comes next.
 */
import { useState } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button, Card, Facts, ProblemAlert } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { ConsoleLink, DataTable, LoadProblem, Loading, Outcome } from './parts.js';
import type { Account, Effect } from './types.js';

interface Overview {
  counts: Partial<Record<'pending' | 'done' | 'failed' | 'skipped', number>>;
  due: number;
  effects: Effect[];
}

export function SchedulerScreen() {
  const { api, timeZone } = useConsole();
  const { ct, label, lang } = useTexts();
  const loaded = useLoad(async () => {
    const [failed, next] = await Promise.all([api.get<Overview>('/v1/effects?status=failed&limit=100'), api.get<Overview>('/v1/effects?status=pending&limit=20')]);
    // The accounts' names (the few shown here, each asked once).
    const ids = [...new Set([...failed.effects, ...next.effects].map((e) => e.accountId))];
    const accounts = await Promise.all(ids.map((id) => api.get<Account>(`/v1/accounts/${encodeURIComponent(id)}`).catch(() => undefined)));
    const names = new Map(accounts.filter((a): a is Account => !!a).map((a) => [a.id, a.name]));
    return { counts: failed.counts, due: failed.due, failed: failed.effects, next: next.effects, names };
  }, [api]);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const d = loaded.data;

  async function act(key: string, call: () => Promise<string>) {
    setBusy(key);
    setDone(null);
    try {
      setDone(await call());
      setProblem(null);
      await loaded.reload();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
    }
  }

  const runNow = () =>
    act('run', async () => {
      const ran = await api.post<{ effects: { ran: number; failed: number } }>('/v1/effects/run', undefined);
      return ct('effectsRan', { ran: ran.effects.ran, failed: ran.effects.failed });
    });
  const retry = (e: Effect) =>
    act(`retry-${e.id}`, async () => {
      // Named as the server holds it now (a fix may have changed it since the list was loaded).
      const pending = await api.post<Effect>(`/v1/effects/${e.id}/retry`, undefined);
      return ct('effectRetried', { id: pending.id, kind: label('effect', pending.kind) });
    });

  const accountLink = (e: Effect) => <ConsoleLink to={`/console/accounts/${e.accountId}`}>{d?.names.get(e.accountId) ?? e.accountId}</ConsoleLink>;

  return (
    <>
      <Card testId="scheduler">
        <p>{ct('schedulerIntro')}</p>
        <LoadProblem problem={loaded.problem} onRetry={() => void loaded.reload()} />
        <Loading when={loaded.loading && !d} />
        {done ? <Outcome testId="scheduler-done">{done}</Outcome> : null}
        <ProblemAlert problem={problem} />
        {d ? (
          <>
            <Facts
              testId="scheduler-counts"
              items={[
                [ct('effectsDue'), <span data-testid="count-due">{d.due}</span>],
                [ct('effectsPending'), <span data-testid="count-pending">{d.counts.pending ?? 0}</span>],
                [ct('effectsFailed'), <span data-testid="count-failed">{d.counts.failed ?? 0}</span>],
                [ct('effectsDone'), <span data-testid="count-done">{d.counts.done ?? 0}</span>],
                [ct('effectsSkipped'), <span data-testid="count-skipped">{d.counts.skipped ?? 0}</span>],
              ]}
            />
            <Button busy={busy === 'run'} disabled={busy !== null && busy !== 'run'} onClick={() => void runNow()} data-testid="run-due">
              {ct('runDueNow')}
            </Button>
          </>
        ) : null}
      </Card>
      {d ? (
        <Card title={ct('failedEffects')} testId="failed-effects">
          <p>{ct('failedIntro')}</p>
          <DataTable
            testId="failed-table"
            rows={d.failed}
            rowKey={(e) => String(e.id)}
            rowTestId={(e) => `failed-${e.id}`}
            empty={ct('noFailed')}
            columns={[
              { header: ct('effectDue'), cell: (e) => formatInstant(e.dueAt, timeZone, lang) },
              { header: ct('effectKind'), cell: (e) => <span className="kc-nowrap">{label('effect', e.kind)}</span> },
              { header: ct('account'), cell: accountLink },
              { header: ct('effectAttempts'), cell: (e) => e.attempts, numeric: true },
              {
                header: ct('effectError'),
                cell: (e) => (
                  <details>
                    <summary>{(e.lastError ?? '').split('\n')[0]}</summary>
                    <pre className="kc-pre">{e.lastError}</pre>
                  </details>
                ),
              },
              {
                header: '',
                cell: (e) => (
                  <span className="kc-nowrap">
                    <Button variant="secondary" busy={busy === `retry-${e.id}`} disabled={busy !== null && busy !== `retry-${e.id}`} onClick={() => void retry(e)} data-testid={`retry-${e.id}`}>
                      {ct('retryEffect')}
                    </Button>
                  </span>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      {d ? (
        <Card title={ct('nextEffects')} testId="next-effects">
          <DataTable
            testId="next-table"
            rows={d.next}
            rowKey={(e) => String(e.id)}
            empty={ct('noPending')}
            columns={[
              { header: ct('effectDue'), cell: (e) => formatInstant(e.dueAt, timeZone, lang) },
              { header: ct('effectKind'), cell: (e) => <span className="kc-nowrap">{label('effect', e.kind)}</span> },
              { header: ct('account'), cell: accountLink },
            ]}
          />
        </Card>
      ) : null}
    </>
  );
}
