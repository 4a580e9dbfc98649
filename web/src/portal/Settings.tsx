/**
 * Account settings: the customer changes its own name (the addressee of its next documents; those
 * issued keep theirs, §6) and the language of its notices. The email is how the vendor reaches and
 * identifies the account (B11): shown, changed by the vendor (the API answers 422 changed_by_vendor).
 */
import { useRef, useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Card, Facts, Field, ProblemAlert } from '../shared/ui.js';
import { focusFirstInvalid, formProblem, readableProblem } from '../shared/validate.js';
import { useAction } from '../shared/use-action.js';
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
      <Card title={t({ ja: 'ご登録のメールアドレス', en: 'Your email address' })} testId="settings-email-card">
        <Facts items={[[t('email'), <span data-testid="settings-email">{account.email}</span>]]} />
        <p className="k-muted">
          {t({
            ja: 'お知らせと請求書はこのアドレスに届きます。メールアドレスの変更は、サービス提供者にお問い合わせください。',
            en: 'Notices and invoices are sent to this address. To change it, contact your service provider.',
          })}
        </p>
      </Card>
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
