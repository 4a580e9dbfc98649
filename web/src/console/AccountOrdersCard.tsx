/**
 * The account's orders, newest first (GET /v1/orders?accountId=…): when placed, what, for which
 * period and amount, and where each stands — completed, awaiting acceptance until its last day
 * (with Cancel, as on the orders screen), or cancelled and why (withdrawn by the customer,
 * cancelled by the operator, lapsed).
 */
import { useState } from 'react';
import { Button, Card } from '../shared/ui.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { DataTable, LoadProblem, Loading, Outcome } from './parts.js';
import { CancelOrder } from './OrdersScreen.js';
import { PlaceOrderForm } from './PlaceOrderForm.js';
import type { Account, Order } from './types.js';

export function AccountOrdersCard(props: { account: Account; version: number; onChanged: () => void }) {
  const accountId = props.account.id;
  const { api, timeZone } = useConsole();
  const { ct, t, label, yen, period, date, lang } = useTexts();
  const [confirming, setConfirming] = useState<Order | null>(null);
  const [done, setDone] = useState<{ message: string; testId: string } | null>(null);
  const [ordering, setOrdering] = useState(false);
  const orders = useLoad(async () => (await api.get<{ orders: Order[] }>(`/v1/orders?accountId=${encodeURIComponent(accountId)}&limit=50`)).orders, [api, accountId, props.version]);
  const where = (o: Order) => {
    if (o.status === 'placed') return `${label('orderStatus', 'placed')}（${ct('acceptBy')} ${o.validUntil ? date(o.validUntil) : '—'}）`;
    if (o.status === 'cancelled') return `${label('orderStatus', 'cancelled')}（${label('cancelReason', o.cancelReason ?? 'operator')}）`;
    return label('orderStatus', o.status);
  };
  return (
    <Card title={ct('accountOrdersTitle')} testId="account-orders">
      <LoadProblem problem={orders.problem} onRetry={() => void orders.reload()} />
      <Loading when={orders.loading && !orders.data} />
      {done ? <Outcome testId={done.testId}>{done.message}</Outcome> : null}
      {orders.data ? (
        <DataTable
          testId="account-orders-table"
          rows={orders.data}
          rowKey={(o) => o.id}
          rowTestId={(o) => `account-order-${o.id}`}
          empty={ct('noAccountOrders')}
          columns={[
            { header: ct('placedAt'), cell: (o) => formatInstant(o.placedAt, timeZone, lang) },
            { header: ct('orderType'), cell: (o) => <span className="kc-nowrap">{label('order', o.type)}</span> },
            { header: t('period'), cell: (o) => period(o.period.start, o.period.end) },
            { header: t('total'), cell: (o) => yen(o.amount.total), numeric: true },
            { header: t('status'), cell: (o) => <span data-testid="account-order-status">{where(o)}</span> },
            {
              header: ct('action'),
              cell: (o) =>
                o.status === 'placed' ? (
                  <Button variant="secondary" style={{ whiteSpace: 'nowrap' }} onClick={() => setConfirming(o)} data-testid="cancel-order" aria-expanded={confirming?.id === o.id}>
                    {ct('cancelOrder')}
                  </Button>
                ) : null,
            },
          ]}
        />
      ) : null}
      {confirming ? (
        <CancelOrder
          key={confirming.id}
          order={{ ...confirming, accountName: props.account.name }}
          onClose={() => setConfirming(null)}
          onCancelled={() => {
            setConfirming(null);
            setDone({ message: ct('orderCancelled', { id: confirming.id }), testId: 'account-order-cancelled' });
            props.onChanged();
          }}
        />
      ) : null}
      {ordering ? (
        <PlaceOrderForm
          account={props.account}
          onClose={() => setOrdering(false)}
          onDone={(message) => {
            setOrdering(false);
            setDone({ message, testId: 'account-order-placed' });
            props.onChanged();
          }}
        />
      ) : (
        <div className="k-actions">
          <Button
            onClick={() => {
              setDone(null);
              setOrdering(true);
            }}
            data-testid="place-order"
          >
            {ct('poOpen')}
          </Button>
        </div>
      )}
    </Card>
  );
}
