/** The account's audit trail, newest first: when, who, what (as people read it, the action's code under it), on which object, and what changed. */
import { Card } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { DataTable, LoadProblem, Loading } from './parts.js';
import type { AuditEvent } from './types.js';

function summary(e: AuditEvent): string {
  const show = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  const before = show(e.before);
  const after = show(e.after);
  return before ? `${before} → ${after}` : after;
}

export function EventsCard(props: { accountId: string; version: number }) {
  const { api, timeZone } = useConsole();
  const { ct, label, lang } = useTexts();
  /** Who acted: the operator, the customer through the portal, or the system (its part, e.g. the scheduler, in the tooltip). */
  const actorLabel = (actor: string) => label('actor', actor.split(':')[0] ?? actor);
  const events = useLoad(async () => (await api.get<{ events: AuditEvent[] }>(`/v1/accounts/${props.accountId}/events?limit=200`)).events, [api, props.accountId, props.version]);
  return (
    <Card title={ct('eventsTitle')} testId="events">
      <LoadProblem problem={events.problem} onRetry={() => void events.reload()} />
      <Loading when={events.loading && !events.data} />
      {events.data ? (
        <DataTable
          testId="events-table"
          rows={events.data}
          rowKey={(e) => String(e.seq)}
          empty={ct('noEvents')}
          columns={[
            { header: ct('at'), cell: (e) => <span className="kc-nowrap">{formatInstant(e.at, timeZone, lang)}</span> },
            { header: ct('actor'), cell: (e) => <span title={e.actor}>{actorLabel(e.actor)}</span> },
            {
              header: ct('action'),
              cell: (e) => (
                <>
                  <span className="kc-nowrap" data-testid="event-action-label">
                    {label('act', e.action)}
                  </span>
                  <br />
                  <span className="kc-code kc-nowrap k-muted" data-testid="event-action">
                    {e.action}
                  </span>
                </>
              ),
            },
            {
              header: ct('details'),
              cell: (e) => (
                <details className="kc-event">
                  <summary>
                    <span className="kc-code" title={e.subjectId}>
                      {e.subjectType} {e.subjectId}
                    </span>
                  </summary>
                  <pre className="kc-json">{summary(e)}</pre>
                </details>
              ),
            },
          ]}
        />
      ) : null}
    </Card>
  );
}
