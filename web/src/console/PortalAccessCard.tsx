/**
 * The account's customer portal access: its live portal sessions (when each link was made, until
 * when it works), a new portal link to send the customer (shown in full, with a Copy button), and
 * ending one session or — after an inline confirmation — every one at once (a link sent to the
 * wrong person, the customer's staff gone). Ended sessions' links answer "expired"; a new link
 * works again.
 */
import { useEffect, useRef, useState } from 'react';
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
  // Ending every session signs the customer out everywhere: asked once more, on the card itself.
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState<'copied' | 'selected' | null>(null);
  const linkInput = useRef<HTMLTextAreaElement>(null);
  const path = `/v1/accounts/${encodeURIComponent(props.accountId)}/portal-sessions`;
  const sessions = useLoad(() => api.get<{ sessions: PortalSession[] }>(path), [api, path, version]);

  async function act(which: 'link' | 'end-all' | PortalSession) {
    setBusy(typeof which === 'string' ? which : which.id);
    setProblem(null);
    setOutcome(null);
    setConfirming(false);
    try {
      if (which === 'link') {
        const session = await api.post<{ token: string; expiresAt: string }>(path);
        setCopied(null);
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

  /** Copies the link; where the browser does not let the page write the clipboard, selects it for Ctrl+C / ⌘C. */
  async function copy() {
    if (!link) return;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link.url);
      setCopied('copied');
    } catch {
      linkInput.current?.focus();
      linkInput.current?.select();
      setCopied('selected');
    }
  }

  const live = sessions.data?.sessions.length;
  return (
    <Card title={ct('portalAccess')} testId="portal-access">
      <p className="k-muted">{ct('portalAccessIntro')}</p>
      <ProblemAlert problem={problem} />
      {outcome ? <Outcome testId="portal-sessions-ended">{outcome}</Outcome> : null}
      {link ? (
        <div data-testid="portal-link" className="kc-link">
          <p>{ct('portalLinkValidUntil', { at: formatInstant(link.expiresAt, timeZone, lang) })}</p>
          <div className="kc-link-row">
            {/* A read-only text area, not an input: on a narrow screen the link wraps and stays whole on the screen. */}
            <textarea ref={linkInput} className="kc-link-input" readOnly rows={2} value={link.url} aria-label={ct('portalLink')} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
            <Button variant="secondary" onClick={() => void copy()} data-testid="copy-portal-link">
              {copied === 'copied' ? ct('copied') : ct('copy')}
            </Button>
          </div>
          <span role="status" className="k-muted" data-testid="copy-status">
            {copied === 'copied' ? ct('linkCopied') : copied === 'selected' ? ct('linkSelected') : ''}
          </span>
        </div>
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
        <Button variant="danger" busy={busy === 'end-all'} disabled={busy !== null || confirming} onClick={() => setConfirming(true)} data-testid="end-portal-sessions" aria-expanded={confirming}>
          {ct('endPortalSessions')}
        </Button>
      </div>
      {confirming ? <ConfirmEndAll live={live} onConfirm={() => void act('end-all')} onCancel={() => setConfirming(false)} /> : null}
    </Card>
  );
}

/** The inline confirmation of "End all portal sessions": what it does, then End all or Cancel. Focus moves to it. */
function ConfirmEndAll(props: { live: number | undefined; onConfirm: () => void; onCancel: () => void }) {
  const { ct, t } = useTexts();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div ref={ref} tabIndex={-1} className="k-alert kc-confirm" data-kind="error" role="alertdialog" aria-labelledby="kc-confirm-end-all" data-testid="confirm-end-portal-sessions">
      <p id="kc-confirm-end-all" style={{ margin: 0 }}>
        {props.live === undefined ? ct('confirmEndPortalSessionsUnknown') : ct('confirmEndPortalSessions', { count: props.live })}
      </p>
      <div className="k-actions">
        <Button variant="danger" onClick={props.onConfirm} data-testid="confirm-end-portal-sessions-yes">
          {ct('confirmEndPortalSessionsYes')}
        </Button>
        <Button variant="secondary" onClick={props.onCancel} data-testid="confirm-end-portal-sessions-no">
          {t('cancel')}
        </Button>
      </div>
    </div>
  );
}
