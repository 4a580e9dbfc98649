/**
 * The account's customer portal access: a new portal link to send the customer, and ending every
 * portal session of the account at once (a link sent to the wrong person, the customer's staff
 * gone). Ended sessions' links answer "expired"; a new link works again.
 */
import { useState } from 'react';
import type { Problem } from '../shared/api.js';
import { portalLink, toProblem } from '../shared/api.js';
import { Button, Card, ProblemAlert } from '../shared/ui.js';
import { formatInstant, useConsole, useTexts } from './context.js';
import { Outcome } from './parts.js';

export function PortalAccessCard(props: { accountId: string; onChanged: () => void }) {
  const { api, timeZone } = useConsole();
  const { ct, lang } = useTexts();
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<'link' | 'end' | null>(null);
  const path = `/v1/accounts/${encodeURIComponent(props.accountId)}/portal-sessions`;

  async function act(which: 'link' | 'end') {
    setBusy(which);
    setProblem(null);
    setOutcome(null);
    try {
      if (which === 'link') {
        const session = await api.post<{ token: string; expiresAt: string }>(path);
        setLink({ url: portalLink(session, window.location.origin), expiresAt: session.expiresAt });
      } else {
        const ended = await api.delete<{ revoked: number }>(path);
        setLink(null);
        setOutcome(ct('portalSessionsEnded', { count: ended.revoked }));
      }
      props.onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
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
      <div className="k-actions">
        <Button variant="secondary" busy={busy === 'link'} disabled={busy !== null} onClick={() => void act('link')} data-testid="new-portal-link">
          {ct('newPortalLink')}
        </Button>
        <Button variant="danger" busy={busy === 'end'} disabled={busy !== null} onClick={() => void act('end')} data-testid="end-portal-sessions">
          {ct('endPortalSessions')}
        </Button>
      </div>
    </Card>
  );
}
