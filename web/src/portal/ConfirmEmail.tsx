/**
 * Confirming a new email (`/portal/confirm-email#code=kye_…`, the link mailed to the new address):
 * works without a portal session (the link is often opened elsewhere). The code is moved out of
 * the address bar at once; the change is made only when the button is pressed (a mail scanner that
 * opens links changes nothing) — `POST /v1/email-changes/confirm`.
 */
import { useMemo, useState } from 'react';
import { createApiClient } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';
import { useAction } from '../shared/use-action.js';
import { Alert, Button, Card, ProblemAlert } from '../shared/ui.js';

function readCode(): string {
  const code = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('code') ?? '';
  if (code) window.history.replaceState(null, '', window.location.pathname);
  return code;
}

export function ConfirmEmail() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const api = useMemo(() => createApiClient({ token: () => null, lang: () => lang }), [lang]);
  const [code] = useState(readCode);
  const [moved, setMoved] = useState<string | null>(null);
  const { busy, problem, run } = useAction();
  const confirm = () =>
    run(async () => {
      setMoved((await api.post<{ email: string }>('/v1/email-changes/confirm', { code })).email);
    });

  return (
    <Card title={t({ ja: 'メールアドレス変更の確定', en: 'Confirm your new email address' })} testId="confirm-email">
      {moved ? (
        <>
          <Alert kind="success" testId="confirm-email-done">
            {t({ ja: 'メールアドレスを {email} に変更しました。今後のお知らせと請求書はこのアドレスに届きます。', en: 'The email address is now {email}. Notices and invoices go there from now on.' }, { email: moved })}
          </Alert>
          <p>
            <a href="/portal">{t({ ja: 'マイページへ', en: 'To your portal' })}</a>
          </p>
        </>
      ) : code ? (
        <>
          <p>{t({ ja: 'ボタンを押すと、ご登録のメールアドレスがこのメールを受け取ったアドレスに変わります。', en: 'Press the button to move the account to the address that received this link.' })}</p>
          <ProblemAlert problem={problem} />
          <div className="k-actions">
            <Button busy={busy} onClick={() => void confirm()} data-testid="confirm-email-go">
              {t({ ja: '変更を確定する', en: 'Confirm the change' })}
            </Button>
          </div>
        </>
      ) : (
        <Alert kind="error" testId="confirm-email-no-code">
          {t({ ja: 'このリンクには確認コードがありません。メールに記載のリンクをそのまま開いてください。', en: 'This link has no confirmation code: open the link from the email as it is.' })}
        </Alert>
      )}
    </Card>
  );
}
