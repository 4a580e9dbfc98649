/**
 * Asking for a new sign-in link (docs/portal.md "Signing in again"): the customer whose link
 * expired, or who signed out, types the email the account is registered with; Keiyaku mails a new
 * link to that address (`POST /v1/portal-links`, no credential). The answer is the same whether or
 * not an account has the address, so the form says "if an account uses it".
 */
import { useMemo } from 'react';
import { createApiClient } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';
import { Card } from '../shared/ui.js';
import { EmailForm } from './EmailForm.js';

export function RequestLink() {
  const { t, lang } = useI18n();
  const api = useMemo(() => createApiClient({ token: () => null, lang: () => lang }), [lang]);
  return (
    <Card title={t({ ja: 'ログイン用リンクを受け取る', en: 'Get a sign-in link' })} testId="request-link">
      <p className="k-muted">
        {t({
          ja: 'ご登録のメールアドレスを入力すると、ログイン用の新しいリンクをそのアドレスにお送りします。',
          en: 'Enter the email address your account is registered with, and we will email a new sign-in link to it.',
        })}
      </p>
      <EmailForm
        label="email"
        empty={{ ja: 'ご登録のメールアドレスを入力してください。', en: 'Enter the email address your account is registered with.' }}
        malformed={{ ja: 'メールアドレスを taro@example.jp の形で入力してください。', en: 'Enter an email address such as taro@example.jp.' }}
        button={{ ja: 'ログイン用リンクを送る', en: 'Email me a sign-in link' }}
        inputTestId="request-link-email"
        sentTestId="request-link-sent"
        submit={async (email) => (await api.post<{ email: string; message: string }>('/v1/portal-links', { email })).message}
      />
    </Card>
  );
}
