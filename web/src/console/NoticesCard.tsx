/** Notices sent to the account, newest first: subject and time; the body opens on demand. */
import { Card } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { LoadProblem, Loading } from './parts.js';
import type { Notice } from './types.js';

export function NoticesCard(props: { accountId: string; version: number }) {
  const { api, timeZone } = useConsole();
  const { ct, lang } = useTexts();
  const notices = useLoad(async () => (await api.get<{ notices: Notice[] }>(`/v1/accounts/${props.accountId}/notices`)).notices, [api, props.accountId, props.version]);
  return (
    <Card title={ct('noticesTitle')} testId="notices">
      <LoadProblem problem={notices.problem} onRetry={() => void notices.reload()} />
      <Loading when={notices.loading && !notices.data} />
      {notices.data && notices.data.length === 0 ? <p className="k-muted">{ct('noNotices')}</p> : null}
      {notices.data?.map((n) => (
        <details key={n.id} className="kc-notice" data-testid={`notice-${n.kind}`}>
          <summary>
            <span className="kc-subject">{n.subject}</span>
            <span className="k-muted">
              {formatInstant(n.sentAt, timeZone, lang)} · {n.to}
            </span>
          </summary>
          <pre lang={n.lang}>{n.body}</pre>
        </details>
      ))}
    </Card>
  );
}
