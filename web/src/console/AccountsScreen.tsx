/** Accounts, newest first, searched by email or name; each opens its detail. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Card, Field } from '../shared/ui.js';
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
      <form className="kc-search" onSubmit={search} role="search">
        <Field label={ct('search')} name="q">
          {({ id }) => <input id={id} type="search" className="kc-input" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="account-search" />}
        </Field>
        <Button type="submit">{ct('searchButton')}</Button>
      </form>
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
