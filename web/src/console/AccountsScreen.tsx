/** Accounts, newest first, searched by email or name; each opens its detail. A new account is created here too. */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Card, Field } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { ConsoleLink, DataTable, LoadProblem, Loading } from './parts.js';
import { AccountForm } from './AccountForm.js';
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
        <AccountForm
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
