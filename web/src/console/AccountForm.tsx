/**
 * An account's own facts in a form: created for a customer who applied by phone (the accounts
 * screen: POST /v1/accounts) or corrected later (the account's screen: PATCH /v1/accounts/{id} —
 * the product stays). Name, email, the notices' language and the product's own options. The form
 * checks what was typed; the API decides the rest (one email, one account), and its refusal shows
 * next to the field it names.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { newKey, toProblem } from '../shared/api.js';
import { Button, Field, ProblemAlert } from '../shared/ui.js';
import { focusFirstInvalid, formProblem, looksLikeEmail, readableProblem } from '../shared/validate.js';
import { useConsole, useLoad, useTexts } from './context.js';
import { LoadProblem } from './parts.js';
import type { Account, CatalogProduct } from './types.js';


/** The options every account takes whatever its product (src/domain/catalog.ts ACCOUNT_OPTIONS): the notices' language. */
const LANG_OPTION = { values: ['ja', 'en'], default: 'ja' };

/**
 * Without `account`: creates one (POST /v1/accounts, operator only), then opens its screen. One
 * idempotency key per filled form: a double click, or sending again after a lost answer, creates
 * one account; changed entries are a new request with a new key. With `account`: corrects it
 * (PATCH, which is idempotent by itself) and hands the account back to `onSaved`.
 */
export function AccountForm(props: { onClose: () => void; account?: Account; onSaved?: (account: Account) => void }) {
  const editing = props.account;
  const { api, navigate } = useConsole();
  const i18n = useTexts();
  const { ct, t, label, lang } = i18n;
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const catalog = useLoad(() => api.get<{ products: CatalogProduct[] }>('/v1/catalog'), [api]);
  const [name, setName] = useState(editing?.name ?? '');
  const [email, setEmail] = useState(editing?.email ?? '');
  const [productId, setProductId] = useState(editing?.product ?? '');
  const [noticeLang, setNoticeLang] = useState(editing?.options.lang ?? LANG_OPTION.default);
  const [options, setOptions] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(editing?.options ?? {}).filter(([key]) => key !== 'lang')));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  // The body last sent and its key; a request in flight (a second submit waits for its answer).
  const sent = useRef<{ body: string; key: string } | null>(null);
  const sending = useRef(false);
  // Once the messages are on the screen, the focus goes to the first field to fix. (Set after the
  // API's answer, the problem renders later than focusFirstInvalid's timer would look for it.)
  useEffect(() => {
    if (problem) focusFirstInvalid(form.current);
  }, [problem]);

  const products = catalog.data?.products ?? [];
  const product = products.find((p) => p.id === productId);
  // A product's own option of the same name wins over the account's (as the API has it).
  const langOption = product?.options?.lang ?? LANG_OPTION;
  const ownOptions = Object.entries(product?.options ?? {}).filter(([key]) => key !== 'lang');
  const fields = ['name', 'email', 'product', 'options.lang', ...ownOptions.map(([key]) => `options.${key}`)];

  function chooseProduct(id: string) {
    setProductId(id);
    const chosen = products.find((p) => p.id === id);
    setOptions(Object.fromEntries(Object.entries(chosen?.options ?? {}).filter(([key]) => key !== 'lang').map(([key, def]) => [key, def.default])));
    const langDef = chosen?.options?.lang ?? LANG_OPTION;
    if (!langDef.values.includes(noticeLang)) setNoticeLang(langDef.default);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (sending.current) return;
    // What to enter, field by field: for the form's own checks and for the API's invalid_request.
    const texts: Record<string, string> = {
      name: ct('newAccountCheckName'),
      email: ct('newAccountCheckEmail'),
      product: ct('newAccountCheckProduct'),
      ...Object.fromEntries(['lang', ...ownOptions.map(([key]) => key)].map((key) => [`options.${key}`, ct('newAccountCheckOption')])),
    };
    const typedName = name.trim();
    const typedEmail = email.trim();
    const own = formProblem(
      {
        name: typedName === '' ? texts.name : typedName.length > 200 ? ct('newAccountCheckNameLength', { count: typedName.length }) : undefined,
        email: typedEmail === '' ? ct('newAccountCheckEmailEmpty') : looksLikeEmail(typedEmail) && typedEmail.length <= 254 ? undefined : texts.email,
        product: product ? undefined : texts.product,
      },
      i18n,
    );
    setProblem(own);
    if (own) return;
    if (editing) {
      sending.current = true;
      setBusy(true);
      try {
        const saved = await api.patch<Account>(`/v1/accounts/${encodeURIComponent(editing.id)}`, { email: typedEmail, name: typedName, options: { lang: noticeLang, ...options } });
        props.onSaved?.(saved);
      } catch (err) {
        setProblem(readableProblem(toProblem(err), texts, i18n));
      } finally {
        sending.current = false;
        setBusy(false);
      }
      return;
    }
    const body = { email: typedEmail, name: typedName, product: productId, options: { lang: noticeLang, ...options } };
    const print = JSON.stringify(body);
    if (sent.current?.body !== print) sent.current = { body: print, key: newKey() };
    sending.current = true;
    setBusy(true);
    try {
      const account = await api.post<Account>('/v1/accounts', body, { idempotencyKey: sent.current.key });
      navigate(`/console/accounts/${encodeURIComponent(account.id)}`);
      // The form is gone: the keyboard continues from the top of the new account's screen.
      document.getElementById('main')?.focus();
    } catch (err) {
      const p = toProblem(err);
      setProblem(p.code === 'network_error' ? { ...p, detail: ct('newAccountNetwork') } : readableProblem(p, texts, i18n));
      sending.current = false;
      setBusy(false);
    }
  }

  const field = (invalid: boolean, describedBy: string | undefined) => ({ 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined });
  const choice = (def: { default: string }, value: string, text: string) => (value === def.default && def.default !== '' ? ct('newAccountDefault', { value: text }) : text);
  return (
    // Ruled off below too: the list of accounts (or the account's facts) follows it in the same card.
    <form
      ref={form}
      className="kc-form"
      style={{ borderBottom: '1px solid var(--line)', paddingBottom: '1rem', marginBottom: '1rem' }}
      onSubmit={submit}
      noValidate
      aria-labelledby={headingId}
      data-testid={editing ? 'edit-account-form' : 'new-account-form'}
    >
      <h3 id={headingId}>{ct(editing ? 'editAccountTitle' : 'newAccountTitle')}</h3>
      <p className="k-muted">{ct(editing ? 'editAccountIntro' : 'newAccountIntro')}</p>
      <ProblemAlert problem={problem} fields={fields} />
      <LoadProblem problem={catalog.problem} onRetry={() => void catalog.reload()} />
      <div className="kc-grid">
        <Field label={ct('newAccountName')} name="name" problem={problem}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="text" autoComplete="organization" value={name} onChange={(e) => setName(e.target.value)} {...field(invalid, describedBy)} autoFocus data-testid="new-account-name" />
          )}
        </Field>
        <Field label={t('email')} name="email" hint={ct('newAccountEmailHint')} problem={problem}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="email" autoComplete="email" inputMode="email" spellCheck={false} value={email} onChange={(e) => setEmail(e.target.value)} {...field(invalid, describedBy)} data-testid="new-account-email" />
          )}
        </Field>
        {editing ? null : (
        <Field label={ct('product')} name="product" problem={problem}>
          {({ id, describedBy, invalid }) => (
            <select id={id} value={productId} onChange={(e) => chooseProduct(e.target.value)} {...field(invalid, describedBy)} aria-busy={catalog.loading || undefined} data-testid="new-account-product">
              <option value="">{catalog.loading && !catalog.data ? t('loading') : ct('newAccountChooseProduct')}</option>
              {products.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.names?.[lang] ?? p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        )}
        <Field label={ct('newAccountLang')} name="options.lang" hint={ct('newAccountLangHint')} problem={problem}>
          {({ id, describedBy, invalid }) => (
            <select id={id} value={noticeLang} onChange={(e) => setNoticeLang(e.target.value)} {...field(invalid, describedBy)} data-testid="new-account-lang">
              {langOption.values.map((v) => (
                <option key={v} value={v}>
                  {label('newAccountLang', v)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {ownOptions.map(([key, def]) => (
          <Field key={`${productId}.${key}`} label={label('newAccountOption', key)} name={`options.${key}`} problem={problem}>
            {({ id, describedBy, invalid }) => (
              <select id={id} value={options[key] ?? def.default} onChange={(e) => setOptions((o) => ({ ...o, [key]: e.target.value }))} {...field(invalid, describedBy)} data-testid={`new-account-option-${key}`}>
                {def.values.map((v) => (
                  <option key={v} value={v}>
                    {choice(def, v, label(`newAccountOption.${key}`, v))}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
      </div>
      <div className="k-actions">
        <Button type="submit" busy={busy} data-testid={editing ? 'save-account' : 'create-account'}>
          {ct(editing ? 'editAccountSave' : 'newAccountCreate')}
        </Button>
        <Button variant="secondary" onClick={props.onClose} data-testid="close-new-account">
          {t('close')}
        </Button>
      </div>
    </form>
  );
}
