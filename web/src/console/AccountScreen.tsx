/** One account: who it is, its contract today, its orders, invoices and payments, members, notices, what is scheduled, audit trail. */
import { useState } from 'react';
import { Button, Card, Facts } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { LoadProblem, Loading, Outcome } from './parts.js';
import { AccountForm } from './AccountForm.js';
import type { Account } from './types.js';
import { ContractCard } from './ContractCard.js';
import { InvoicesCard } from './InvoicesCard.js';
import { AccountOrdersCard } from './AccountOrdersCard.js';
import { MembersCard } from './MembersCard.js';
import { NoticesCard } from './NoticesCard.js';
import { EventsCard } from './EventsCard.js';
import { ScheduledCard } from './ScheduledCard.js';
import { PortalAccessCard } from './PortalAccessCard.js';

export function AccountScreen(props: { accountId: string }) {
  const { api, navigate, timeZone } = useConsole();
  const { ct, t, label, lang } = useTexts();
  // Bumped after an action (cancellation, payment): every card reloads what it shows.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const account = useLoad(() => api.get<Account>(`/v1/accounts/${encodeURIComponent(props.accountId)}`), [api, props.accountId, version]);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  return (
    <>
      <p>
        <a
          href="/console"
          onClick={(e) => {
            e.preventDefault();
            navigate('/console');
          }}
        >
          {ct('toAccounts')}
        </a>
      </p>
      <LoadProblem problem={account.problem} onRetry={() => void account.reload()} />
      <Loading when={account.loading && !account.data} />
      {account.data ? (
        <>
          <Card title={account.data.name} testId="account-facts">
            {saved ? <Outcome testId="account-saved">{ct('accountSaved')}</Outcome> : null}
            {editing ? (
              <AccountForm
                account={account.data}
                onClose={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  setSaved(true);
                  changed();
                }}
              />
            ) : null}
            <Facts
              items={[
                [t('email'), account.data.email],
                [ct('product'), account.data.product],
                [ct('accountId'), <span className="kc-code">{account.data.id}</span>],
                [ct('created'), formatInstant(account.data.createdAt, timeZone, lang)],
                ...(account.data.options.lang ? ([[ct('newAccountLang'), label('newAccountLang', account.data.options.lang)]] as Array<[string, string]>) : []),
              ]}
            />
            {editing ? null : (
              <div className="k-actions">
                <Button
                  variant="secondary"
                  onClick={() => {
                    setSaved(false);
                    setEditing(true);
                  }}
                  data-testid="edit-account"
                >
                  {ct('editAccount')}
                </Button>
              </div>
            )}
          </Card>
          <ContractCard account={account.data} version={version} onChanged={changed} />
          <AccountOrdersCard account={account.data} version={version} onChanged={changed} />
          <InvoicesCard accountId={account.data.id} version={version} onChanged={changed} />
          <MembersCard accountId={account.data.id} version={version} onChanged={changed} />
          <NoticesCard accountId={account.data.id} version={version} />
          <ScheduledCard accountId={account.data.id} version={version} />
          <PortalAccessCard accountId={account.data.id} onChanged={changed} />
          <EventsCard accountId={account.data.id} version={version} />
        </>
      ) : null}
    </>
  );
}
