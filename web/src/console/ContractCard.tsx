/** The account's contract today (GET /v1/accounts/{id}/state) and its cancellation by the operator. */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Card, Facts } from '../shared/ui.js';
import { useConsole, useLoad, useTexts } from './context.js';
import { LoadProblem, Loading, Outcome } from './parts.js';
import type { Account, AccountState } from './types.js';
import { CancelContractForm } from './CancelContractForm.js';

type Row = [string, ReactNode];

export function ContractCard(props: { account: Account; version: number; onChanged: () => void }) {
  const { api } = useConsole();
  const { ct, t, label, date, period, lang } = useTexts();
  const [cancelling, setCancelling] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const state = useLoad(() => api.get<AccountState>(`/v1/accounts/${props.account.id}/state`), [api, props.account.id, props.version]);
  const s = state.data;

  const n = (v: number) => v.toLocaleString('en-US');
  // Seats: the state's `limits.seats` is the plan's figure, `seats.limit` today's limit with spot
  // contracts and license additions (S8). The limits row shows today's limit, as the seats row
  // does, with where it comes from ("plan 100 + spots 200") when it is more than the plan's.
  const seatLimit = (seats: NonNullable<AccountState['seats']>) => {
    const parts = [ct('seatsFromPlan', { n: n(seats.base) }), ...(seats.additions ? [ct('seatsFromAdditions', { n: n(seats.additions) })] : []), ...(seats.spot ? [ct('seatsFromSpots', { n: n(seats.spot) })] : [])];
    return `${ct('limitSeatsToday')}: ${n(seats.limit)}${parts.length > 1 ? ct('seatsBreakdown', { parts: parts.join(' + ') }) : ''}`;
  };
  const limits = s
    ? Object.entries(s.limits).map(([k, v]) => (k === 'seats' && s.seats ? seatLimit(s.seats) : `${label('limit', k)}: ${v === null ? ct('unlimited') : n(v)}`))
    : [];
  const usage = s ? Object.entries(s.usage).map(([k, v]) => `${label('limit', k)}: ${v.toLocaleString('en-US')}`) : [];
  const items: Row[] = s
    ? [
        [t('plan'), <span data-testid="plan-name">{s.plan ? (s.contract === null && lang === 'ja' ? 'フリープラン' : s.plan.name) : ct('noPlan')}</span>],
        ...(s.contract
          ? ([
              [ct('contractPeriod'), <span data-testid="contract-period">{period(s.contract.start, s.contract.end)}</span>],
              [ct('term'), label('term', s.contract.term)],
              [ct('renewal'), label('renewal', s.contract.renewal)],
              [t('paymentMethod'), label('pm', s.contract.paymentMethod)],
            ] as Row[])
          : ([[ct('contractPeriod'), <span data-testid="contract-period">{ct('noContract')}</span>]] as Row[])),
        ...(s.seats ? ([[ct('seats'), ct('seatsValue', { active: s.seats.active, limit: s.seats.limit })]] as Row[]) : []),
        ...(limits.length ? ([[ct('limits'), limits.join(' / ')]] as Row[]) : []),
        ...(s.features.length ? ([[ct('features'), s.features.join(', ')]] as Row[]) : []),
        ...(usage.length ? ([[ct('usage'), usage.join(' / ')]] as Row[]) : []),
        ...(s.renewalWindow
          ? ([[ct('renewalWindow'), s.renewalWindow.open ? ct('windowOpen', { date: date(s.renewalWindow.opens) }) : ct('windowOpens', { date: date(s.renewalWindow.opens) })]] as Row[])
          : []),
      ]
    : [];

  return (
    <Card title={s ? ct('contractAsOf', { date: date(s.date) }) : ct('contractTitle')} testId="contract">
      <LoadProblem problem={state.problem} onRetry={() => void state.reload()} />
      <Loading when={state.loading && !s} />
      {done ? (
        <Outcome testId="cancel-done">
          {done}
        </Outcome>
      ) : null}
      {s ? <Facts items={items} testId="contract-facts" /> : null}
      {s?.contract && !cancelling ? (
        <div className="k-actions">
          <Button variant="danger" onClick={() => setCancelling(true)} data-testid="cancel-contract">
            {ct('cancelContract')}
          </Button>
        </div>
      ) : null}
      {s?.contract && cancelling ? (
        <CancelContractForm
          accountId={props.account.id}
          contractId={s.contract.id}
          onClose={() => setCancelling(false)}
          onDone={(message) => {
            setCancelling(false);
            setDone(message);
            props.onChanged();
          }}
        />
      ) : null}
    </Card>
  );
}
