/**
 * Asking for a new sign-in link (docs/portal.md "Signing in again"): the customer whose link
 * expired, or who signed out, types the email the account is registered with; Keiyaku mails a new
 * link to that address (`POST /v1/portal-links`, no credential). The answer is the same whether or
 * not an account has the address, so the form says "if an account uses it".
 */
import { useMemo, useRef, useState } from 'react';
import { createApiClient } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Card, Field, ProblemAlert } from '../shared/ui.js';
import { focusFirstInvalid, formProblem, looksLikeEmail, readableProblem } from '../shared/validate.js';
import { useAction } from '../shared/use-action.js';

export function RequestLink() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const api = useMemo(() => createApiClient({ token: () => null, lang: () => lang }), [lang]);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const texts = { email: t({ ja: 'メールアドレスを taro@example.jp の形で入力してください。', en: 'Enter an email address such as taro@example.jp.' }) };
  const { busy, problem, run, fail } = useAction((p) => readableProblem(p, texts, i18n));

  async function send() {
    const typed = email.trim();
    const own = formProblem({ email: typed === '' ? t({ ja: 'ご登録のメールアドレスを入力してください。', en: 'Enter the email address your account is registered with.' }) : looksLikeEmail(typed) ? undefined : texts.email }, i18n);
    fail(own);
    setSent(null);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    if (busy) return;
    await run(async () => {
      setSent((await api.post<{ email: string; message: string }>('/v1/portal-links', { email: typed })).message);
    });
    focusFirstInvalid(form.current);
  }

  return (
    <Card title={t({ ja: 'ログイン用リンクを受け取る', en: 'Get a sign-in link' })} testId="request-link">
      <p className="k-muted">
        {t({
          ja: 'ご登録のメールアドレスを入力すると、ログイン用の新しいリンクをそのアドレスにお送りします。',
          en: 'Enter the email address your account is registered with, and we will email a new sign-in link to it.',
        })}
      </p>
      {sent ? (
        <Alert kind="success" testId="request-link-sent">
          {sent}
        </Alert>
      ) : null}
      <form
        ref={form}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <Field label={t('email')} name="email" problem={problem}>
          {({ id, describedBy, invalid }) => <input id={id} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} data-testid="request-link-email" />}
        </Field>
        <ProblemAlert problem={problem} fields={['email']} />
        <div className="k-actions">
          <Button type="submit" busy={busy}>
            {t({ ja: 'ログイン用リンクを送る', en: 'Email me a sign-in link' })}
          </Button>
        </div>
      </form>
    </Card>
  );
}
