/**
 * The account's customer portal access: its live portal sessions (when each link was made, until
 * when it works), a new portal link to send the customer, and ending one session or every one at
 * once (a link sent to the wrong person, the customer's staff gone). Ended sessions' links answer
 * "expired"; a new link works again.
 */
import { useState } from 'react';
import type { Problem } from '../shared/api.js';
import { portalLink, toProblem } from '../shared/api.js';
import { Button, Card, ProblemAlert } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { DataTable, LoadProblem, Loading, Outcome } from './parts.js';

interface PortalSession {
  id: string;
  createdAt: string;
  expiresAt: string;
}

export function PortalAccessCard(props: { accountId: string; onChanged: () => void }) {
  const { api, timeZone } = useConsole();
  const { ct, lang } = useTexts();
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const path = `/v1/accounts/${encodeURIComponent(props.accountId)}/portal-sessions`;
  const sessions = useLoad(() => api.get<{ sessions: PortalSession[] }>(path), [api, path, version]);

  async function act(which: 'link' | 'end-all' | PortalSession) {
    setBusy(typeof which === 'string' ? which : which.id);
    setProblem(null);
    setOutcome(null);
    try {
      if (which === 'link') {
        const session = await api.post<{ token: string; expiresAt: string }>(path);
        setLink({ url: portalLink(session, window.location.origin), expiresAt: session.expiresAt });
      } else if (which === 'end-all') {
        const ended = await api.delete<{ revoked: number }>(path);
        setLink(null);
        setOutcome(ct('portalSessionsEnded', { count: ended.revoked }));
      } else {
        await api.delete<null>(`${path}/${encodeURIComponent(which.id)}`);
        setOutcome(ct('portalSessionEnded', { at: formatInstant(which.createdAt, timeZone, lang) }));
      }
      props.onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
      setVersion((v) => v + 1);
    }
  }

  return (
    <Card title={ct('portalAccess')} testId="portal-access">
      <p className="k-muted">{ct('portalAccessIntro')}</p>
      <ProblemAlert problem={problem} />
      {outcome ? <Outcome testId="portal-sessions-ended">{outcome}</Outcome> : null}
      {link ? (
        <p data-testid="portal-link">
          {ct('portalLinkValidUntil', { at: formatInstant(link.expiresAt, timeZone, lang) })}
          <br />
          <input className="kc-code" readOnly value={link.url} aria-label={ct('portalLink')} onFocus={(e) => e.currentTarget.select()} style={{ width: '100%' }} />
        </p>
      ) : null}
      <LoadProblem problem={sessions.problem} onRetry={() => void sessions.reload()} />
      <Loading when={sessions.loading && !sessions.data} />
      {sessions.data ? (
        <DataTable
          testId="portal-sessions-table"
          rows={sessions.data.sessions}
          rowKey={(s) => s.id}
          rowTestId={() => 'portal-session'}
          empty={ct('noPortalSessions')}
          columns={[
            { header: ct('portalSessionMade'), cell: (s) => formatInstant(s.createdAt, timeZone, lang) },
            { header: ct('portalSessionUntil'), cell: (s) => formatInstant(s.expiresAt, timeZone, lang) },
            {
              header: '',
              cell: (s) => (
                <Button variant="secondary" busy={busy === s.id} disabled={busy !== null} onClick={() => void act(s)} data-testid="end-portal-session">
                  {ct('endPortalSession')}
                </Button>
              ),
            },
          ]}
        />
      ) : null}
      <div className="k-actions">
        <Button variant="secondary" busy={busy === 'link'} disabled={busy !== null} onClick={() => void act('link')} data-testid="new-portal-link">
          {ct('newPortalLink')}
        </Button>
        <Button variant="danger" busy={busy === 'end-all'} disabled={busy !== null} onClick={() => void act('end-all')} data-testid="end-portal-sessions">
          {ct('endPortalSessions')}
        </Button>
      </div>
    </Card>
  );
}
