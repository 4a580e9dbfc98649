/** Accounts, newest first, searched by email or name; each opens its detail. A new account is created here too. */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { newKey, toProblem } from '../shared/api.js';
import { Button, Card, Field, ProblemAlert } from '../shared/ui.js';
import { focusFirstInvalid, formProblem, looksLikeEmail, readableProblem } from '../shared/validate.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { ConsoleLink, DataTable, LoadProblem, Loading } from './parts.js';
import type { Account } from './types.js';

/** How many accounts the list loads; the search looks the email up on the server beyond them. */
const PAGE = 500;

export function AccountsScreen() {
  const { api, timeZone } = useConsole();
  const { ct, t, lang } = useTexts();
  const initial = new URLSearchParams(window.location.search).get('q') ?? '';
  const [typed, setTyped] = useState(initial);
  const [query, setQuery] = useState(initial);
  const [creating, setCreating] = useState(false);
  // Closing the form gives the focus back to the button that opened it.
  const searchRow = useRef<HTMLDivElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (creating || !refocus.current) return;
    refocus.current = false;
    searchRow.current?.querySelector<HTMLButtonElement>('[data-testid="new-account"]')?.focus();
  }, [creating]);
  const loaded = useLoad(async () => {
    const list = (await api.get<{ accounts: Account[] }>(`/v1/accounts?limit=${PAGE}`)).accounts;
    const q = query.trim().toLowerCase();
    if (!q) return list;
    const hits = list.filter((a) => a.email.toLowerCase().includes(q) || a.name.toLowerCase().includes(q) || a.id === q);
    if (hits.length > 0 || !q.includes('@')) return hits;
    // Beyond the first page: the server finds an exact email.
    return (await api.get<{ accounts: Account[] }>(`/v1/accounts?email=${encodeURIComponent(q)}&limit=10`)).accounts;
  }, [api, query]);

  function search(e: FormEvent) {
    e.preventDefault();
    setQuery(typed);
    window.history.replaceState(null, '', typed.trim() ? `/console?q=${encodeURIComponent(typed.trim())}` : '/console');
  }

  const rows = loaded.data ?? [];
  return (
    <Card testId="accounts">
      {/* The search (its button next to the field) on the left, "New account" at the right end; on a phone each takes its own line. */}
      <div ref={searchRow} style={{ display: 'flex', gap: '.75rem', alignItems: 'flex-end', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <form className="kc-search" style={{ flex: '1 1 24rem', maxWidth: '30rem' }} onSubmit={search} role="search">
          <Field label={ct('search')} name="q">
            {({ id }) => <input id={id} type="search" className="kc-input" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="account-search" />}
          </Field>
          <Button type="submit">{ct('searchButton')}</Button>
        </form>
        {!creating ? (
          <Button variant="secondary" onClick={() => setCreating(true)} data-testid="new-account">
            {ct('newAccount')}
          </Button>
        ) : null}
      </div>
      {creating ? (
        <NewAccountForm
          onClose={() => {
            refocus.current = true;
            setCreating(false);
          }}
        />
      ) : null}
      <LoadProblem problem={loaded.problem} onRetry={() => void loaded.reload()} />
      <Loading when={loaded.loading && !loaded.data} />
      {loaded.data ? (
        <>
          <p className="k-muted">{ct('shownCount', { count: rows.length })}</p>
          <DataTable
            testId="accounts-table"
            rows={rows}
            rowKey={(a) => a.id}
            rowTestId={(a) => `account-${a.id}`}
            empty={ct('noAccounts')}
            columns={[
              {
                header: ct('account'),
                cell: (a) => <ConsoleLink to={`/console/accounts/${a.id}`}>{a.name}</ConsoleLink>,
              },
              { header: t('email'), cell: (a) => a.email },
              { header: ct('product'), cell: (a) => a.product },
              { header: ct('created'), cell: (a) => formatInstant(a.createdAt, timeZone, lang) },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

/** A product of GET /v1/catalog, as far as the form reads it. */
interface CatalogProduct {
  id: string;
  name: string;
  names?: { ja: string; en: string };
  options?: Record<string, { values: string[]; default: string }>;
}

/** The options every account takes whatever its product (src/domain/catalog.ts ACCOUNT_OPTIONS): the notices' language. */
const LANG_OPTION = { values: ['ja', 'en'], default: 'ja' };

/**
 * Create an account for a customer who applied by phone (POST /v1/accounts, operator only): name,
 * email, product (from the catalog), the notices' language and the product's own options. The form
 * checks what was typed; the API decides the rest (one email, one account), and its refusal shows
 * next to the field it names. One idempotency key per filled form: a double click, or sending again
 * after a lost answer, creates one account; changed entries are a new request with a new key.
 */
function NewAccountForm(props: { onClose: () => void }) {
  const { api, navigate } = useConsole();
  const i18n = useTexts();
  const { ct, t, label, lang } = i18n;
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const catalog = useLoad(() => api.get<{ products: CatalogProduct[] }>('/v1/catalog'), [api]);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [productId, setProductId] = useState('');
  const [noticeLang, setNoticeLang] = useState(LANG_OPTION.default);
  const [options, setOptions] = useState<Record<string, string>>({});
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
    // Ruled off below too: the list of accounts follows it in the same card.
    <form ref={form} className="kc-form" style={{ borderBottom: '1px solid var(--line)', paddingBottom: '1rem', marginBottom: '1rem' }} onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="new-account-form">
      <h3 id={headingId}>{ct('newAccountTitle')}</h3>
      <p className="k-muted">{ct('newAccountIntro')}</p>
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
        <Button type="submit" busy={busy} data-testid="create-account">
          {ct('newAccountCreate')}
        </Button>
        <Button variant="secondary" onClick={props.onClose} data-testid="close-new-account">
          {t('close')}
        </Button>
      </div>
    </form>
  );
}
