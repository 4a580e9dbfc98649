/**
 * Account settings: the customer changes its own name (the addressee of its next documents; those
 * issued keep theirs, §6) and the language of its notices; its email with a confirmation mailed to
 * the new address (B11: one email, one account); its signed-in sessions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatInstant, useI18n } from '../shared/i18n.js';
import { Alert, Button, Card, Facts, Field, ProblemAlert, Table } from '../shared/ui.js';
import { toProblem } from '../shared/api.js';
import type { Problem } from '../shared/api.js';
import { clearSession } from './session.js';
import { focusFirstInvalid, formProblem, readableProblem } from '../shared/validate.js';
import { useAction } from '../shared/use-action.js';
import { EmailForm } from './EmailForm.js';
import { usePortal } from './PortalApp.js';
import type { Account } from './types.js';

/** The notices' language when the account has chosen none (src/domain/catalog.ts ACCOUNT_OPTIONS). */
const DEFAULT_NOTICE_LANG = 'ja';

export function Settings() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, account, refresh } = usePortal();
  const [name, setName] = useState(account.name);
  const [noticeLang, setNoticeLang] = useState(account.options.lang ?? DEFAULT_NOTICE_LANG);
  const [done, setDone] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const texts = {
    name: t({ ja: 'お名前または会社名を入力してください（200文字以内）。', en: 'Enter your name or company name (200 characters or fewer).' }),
    'options.lang': t({ ja: '通知の言語を選んでください。', en: 'Choose the language of your notices.' }),
  };
  const { busy, problem, run, fail } = useAction((p) => readableProblem(p, texts, i18n));

  async function save() {
    const typed = name.trim();
    const own = formProblem({ name: typed === '' || typed.length > 200 ? texts.name : undefined }, i18n);
    fail(own);
    setDone(null);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    if (typed === account.name && noticeLang === (account.options.lang ?? DEFAULT_NOTICE_LANG)) {
      setDone(t({ ja: '変更はありません。', en: 'Nothing has changed.' }));
      return;
    }
    await run(async () => {
      const saved = await api.patch<Account>(`/v1/accounts/${encodeURIComponent(account.id)}`, { name: typed, options: { lang: noticeLang } });
      setName(saved.name);
      setDone(t({ ja: '保存しました。次に発行する書類とお知らせから反映されます。', en: 'Saved. Documents and notices from now on use it.' }));
      await refresh();
    });
    // A refusal is shown at its field: the focus goes there (nothing to find after a success).
    focusFirstInvalid(form.current);
  }

  return (
    <div data-testid="settings">
      {done ? (
        <Alert kind="success" testId="settings-done">
          {done}
        </Alert>
      ) : null}
      <EmailCard />
      <SessionsCard />
      <Card title={t({ ja: '名前と通知の言語', en: 'Name and notices' })} testId="settings-card">
        <form
          ref={form}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Field
            label={t({ ja: 'お名前・会社名（請求書の宛名）', en: 'Name or company name (on invoices)' })}
            name="name"
            hint={t({ ja: '発行済みの請求書の宛名は変わりません。', en: 'Invoices already issued keep the name they were issued to.' })}
            problem={problem}
          >
            {({ id, describedBy, invalid }) => <input id={id} type="text" autoComplete="organization" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} data-testid="settings-name" />}
          </Field>
          <Field label={t({ ja: '通知の言語', en: 'Language of notices' })} name="options.lang" hint={t({ ja: 'メールでのお知らせと請求書のご案内の言語です。', en: 'The language of the emails we send you.' })} problem={problem}>
            {({ id, describedBy, invalid }) => (
              <select id={id} value={noticeLang} onChange={(e) => setNoticeLang(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} data-testid="settings-lang">
                <option value="ja">日本語</option>
                <option value="en">English</option>
              </select>
            )}
          </Field>
          <ProblemAlert problem={problem} fields={['name', 'options.lang']} />
          <div className="k-actions">
            <Button type="submit" busy={busy}>
              {t({ ja: '保存する', en: 'Save' })}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}

interface PortalSession {
  id: string;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/**
 * The account's signed-in sessions (each portal link opened and still working): this one marked,
 * another ended by its row (a link forwarded, a shared computer), or every one at once — this one
 * too, which ends on the signed-out screen (`GET`/`DELETE /v1/accounts/{id}/portal-sessions`).
 */
function SessionsCard() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, account } = usePortal();
  const [sessions, setSessions] = useState<PortalSession[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const path = `/v1/accounts/${encodeURIComponent(account.id)}/portal-sessions`;
  const load = useCallback(async () => {
    try {
      setSessions((await api.get<{ sessions: PortalSession[] }>(path)).sessions);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, path]);
  useEffect(() => {
    void load();
  }, [load]);

  async function end(what: string, action: () => Promise<void>) {
    setBusy(what);
    setProblem(null);
    setDone(null);
    try {
      await action();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
    }
  }
  const endOne = (s: PortalSession) =>
    end(s.id, async () => {
      await api.delete(`${path}/${s.id}`);
      setDone(t({ ja: 'セッションを終了しました。そのリンクはもう使えません。', en: 'The session has ended: its link no longer works.' }));
      await load();
    });
  const endAll = () =>
    end('all', async () => {
      await api.delete(path);
      clearSession();
      window.location.assign('/portal?signed-out');
    });

  return (
    <Card title={t({ ja: 'ログイン中のセッション', en: 'Signed-in sessions' })} testId="sessions-card">
      <p className="k-muted">
        {t({
          ja: 'ポータルへのリンクを開いた端末です。心当たりのないものや、転送したリンクのものは終了できます。',
          en: 'Each device where a portal link was opened. End any you do not recognise, or a link you forwarded.',
        })}
      </p>
      {done ? (
        <Alert kind="success" testId="sessions-done">
          {done}
        </Alert>
      ) : null}
      <ProblemAlert problem={problem} />
      {sessions === null ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <Table
          testId="sessions"
          rows={sessions}
          rowKey={(s) => s.id}
          columns={[
            // On the vendor's wall clock (Asia/Tokyo), as the rest of the portal's dates.
            { header: t({ ja: 'ログイン日時', en: 'Signed in' }), cell: (s) => formatInstant(s.createdAt, 'Asia/Tokyo', i18n.lang) },
            { header: t({ ja: '有効期限', en: 'Works until' }), cell: (s) => formatInstant(s.expiresAt, 'Asia/Tokyo', i18n.lang) },
            {
              header: '',
              cell: (s) =>
                s.current ? (
                  <strong data-testid="session-current">{t({ ja: 'この端末', en: 'This device' })}</strong>
                ) : (
                  <Button variant="secondary" busy={busy === s.id} onClick={() => void endOne(s)} data-testid="end-session">
                    {t({ ja: '終了する', en: 'End' })}
                  </Button>
                ),
            },
          ]}
        />
      )}
      <div className="k-actions">
        {confirming ? (
          <>
            <span>{t({ ja: 'この端末も含め、すべてのリンクが使えなくなります。よろしいですか？', en: 'Every link stops working, this one too. Go ahead?' })}</span>
            <Button variant="danger" busy={busy === 'all'} onClick={() => void endAll()} data-testid="confirm-end-all">
              {t({ ja: 'すべてログアウトする', en: 'Sign out everywhere' })}
            </Button>
            <Button variant="secondary" disabled={busy === 'all'} onClick={() => setConfirming(false)}>
              {t({ ja: 'やめる', en: 'Keep them' })}
            </Button>
          </>
        ) : (
          <Button variant="secondary" onClick={() => setConfirming(true)} data-testid="end-all-sessions">
            {t({ ja: 'すべての端末でログアウト', en: 'Sign out everywhere' })}
          </Button>
        )}
      </div>
    </Card>
  );
}

/**
 * The email the account is registered with, and its change: the new address gets a link, and the
 * change is made only when that link is opened (`POST /v1/accounts/{id}/email-change`; the link
 * opens `/portal/confirm-email`, ConfirmEmail.tsx).
 */
function EmailCard() {
  const { t } = useI18n();
  const { api, account } = usePortal();
  const newAddress = { ja: '新しいメールアドレスを taro@example.jp の形で入力してください。', en: 'Enter the new email address, such as taro@example.jp.' };
  return (
    <Card title={t({ ja: 'ご登録のメールアドレス', en: 'Your email address' })} testId="settings-email-card">
      <Facts items={[[t('email'), <span data-testid="settings-email">{account.email}</span>]]} />
      <p className="k-muted">{t({ ja: 'お知らせと請求書はこのアドレスに届きます。', en: 'Notices and invoices are sent to this address.' })}</p>
      <EmailForm
        label={{ ja: '新しいメールアドレス', en: 'New email address' }}
        hint={{ ja: '新しいアドレスに確認のリンクをお送りします。', en: 'We send a confirmation link to the new address.' }}
        empty={newAddress}
        malformed={newAddress}
        button={{ ja: '確認メールを送る', en: 'Send a confirmation' }}
        variant="secondary"
        inputTestId="new-email"
        sentTestId="email-change-sent"
        clearOnSent
        submit={async (email) => {
          const asked = await api.post<{ email: string }>(`/v1/accounts/${encodeURIComponent(account.id)}/email-change`, { email });
          return t(
            {
              ja: '確認のメールを {email} にお送りしました。メール内のリンクを開き、変更を確定してください（24時間有効）。確定するまで、メールアドレスは変わりません。',
              en: 'A confirmation was sent to {email}. Open the link in it and confirm the change (it works for 24 hours). Until then, the email address stays as it is.',
            },
            { email: asked.email },
          );
        }}
      />
    </Card>
  );
}
