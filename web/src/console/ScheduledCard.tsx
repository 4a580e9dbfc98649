/** What the scheduler will do to the account next (GET /v1/effects?accountId=…&status=pending), soonest first; and any of its effects that failed. */
import { Card } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { ConsoleLink, DataTable, LoadProblem, Loading } from './parts.js';
import type { Effect } from './types.js';

export function ScheduledCard(props: { accountId: string; version: number }) {
  const { api, timeZone } = useConsole();
  const { ct, label, lang } = useTexts();
  const loaded = useLoad(async () => {
    const id = encodeURIComponent(props.accountId);
    const [pending, failed] = await Promise.all([
      api.get<{ effects: Effect[] }>(`/v1/effects?accountId=${id}&status=pending&limit=50`),
      api.get<{ effects: Effect[] }>(`/v1/effects?accountId=${id}&status=failed&limit=50`),
    ]);
    return [...failed.effects, ...pending.effects];
  }, [api, props.accountId, props.version]);
  return (
    <Card title={ct('scheduledTitle')} testId="scheduled">
      <LoadProblem problem={loaded.problem} onRetry={() => void loaded.reload()} />
      <Loading when={loaded.loading && !loaded.data} />
      {loaded.data ? (
        <DataTable
          testId="scheduled-table"
          rows={loaded.data}
          rowKey={(e) => String(e.id)}
          rowTestId={(e) => `scheduled-${e.kind}`}
          empty={ct('noPending')}
          columns={[
            { header: ct('effectDue'), cell: (e) => formatInstant(e.dueAt, timeZone, lang) },
            { header: ct('effectKind'), cell: (e) => <span className="kc-nowrap">{label('effect', e.kind)}</span> },
            {
              header: ct('effectStatus'),
              cell: (e) =>
                e.status === 'failed' ? <ConsoleLink to="/console/scheduler">{ct('effectFailedSee')}</ConsoleLink> : ct('effectsPending'),
            },
          ]}
        />
      ) : null}
    </Card>
  );
}
