/**
 * Orders awaiting the customer's acceptance (GET /v1/orders?status=placed), across accounts: when
 * each statement or quotation holds to (B9; a lapsed one is marked until the scheduler cancels it),
 * and Cancel — on the customer's behalf, after an inline confirmation with an optional note for the
 * audit trail (POST /v1/orders/{id}/cancel; the customer is told by notice).
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, ProblemAlert } from '../shared/ui.js';
import { useAction } from '../shared/use-action.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { ConsoleLink, DataTable, LoadProblem, Loading } from './parts.js';
import type { Account, Order } from './types.js';

export function OrdersScreen() {
  const { api, timeZone, today } = useConsole();
  const { ct, t, label, yen, period, date, lang } = useTexts();
  const [cancelled, setCancelled] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<(Order & { accountName: string }) | null>(null);
  const loaded = useLoad(async () => {
    const [orders, accounts] = await Promise.all([api.get<{ orders: Order[] }>('/v1/orders?status=placed&limit=200'), api.get<{ accounts: Account[] }>('/v1/accounts?limit=500')]);
    const names = new Map(accounts.accounts.map((a) => [a.id, a.name]));
    return orders.orders.map((o) => ({ ...o, accountName: names.get(o.accountId) ?? o.accountId }));
  }, [api]);
  return (
    <Card testId="orders">
      <p>{ct('ordersIntro')}</p>
      {cancelled ? (
        <Alert kind="success" testId="order-cancelled">
          {ct('orderCancelled', { id: cancelled })}
        </Alert>
      ) : null}
      <LoadProblem problem={loaded.problem} onRetry={() => void loaded.reload()} />
      <Loading when={loaded.loading && !loaded.data} />
      {loaded.data ? (
        <DataTable
          testId="orders-table"
          rows={loaded.data}
          rowKey={(o) => o.id}
          rowTestId={(o) => `order-${o.id}`}
          empty={ct('noOrders')}
          columns={[
            { header: ct('placedAt'), cell: (o) => formatInstant(o.placedAt, timeZone, lang) },
            {
              header: ct('account'),
              cell: (o) => <ConsoleLink to={`/console/accounts/${o.accountId}`}>{o.accountName}</ConsoleLink>,
            },
            { header: ct('orderType'), cell: (o) => <span className="kc-nowrap">{label('order', o.type)}</span> },
            { header: t('period'), cell: (o) => period(o.period.start, o.period.end) },
            { header: t('paymentMethod'), cell: (o) => <span className="kc-nowrap">{label('pm', o.paymentMethod)}</span> },
            { header: ct('acceptance'), cell: (o) => <span className="kc-nowrap">{label('acceptance', o.acceptance)}</span> },
            { header: t('total'), cell: (o) => yen(o.amount.total), numeric: true },
            {
              header: ct('acceptBy'),
              cell: (o) =>
                o.validUntil ? (
                  <span className="kc-nowrap">
                    {date(o.validUntil)}
                    {today && o.validUntil < today ? (
                      <span className="k-badge" data-kind="warn" style={{ marginLeft: '.4rem' }}>
                        {ct('lapsed')}
                      </span>
                    ) : null}
                  </span>
                ) : (
                  '—'
                ),
            },
            {
              header: ct('action'),
              cell: (o) => (
                <Button variant="secondary" style={{ whiteSpace: 'nowrap' }} onClick={() => setConfirming(o)} data-testid="cancel-order" aria-expanded={confirming?.id === o.id}>
                  {ct('cancelOrder')}
                </Button>
              ),
            },
          ]}
        />
      ) : null}
      {confirming ? (
        <CancelOrder
          key={confirming.id}
          order={confirming}
          onClose={() => setConfirming(null)}
          onCancelled={() => {
            setConfirming(null);
            setCancelled(confirming.id);
            void loaded.reload();
          }}
        />
      ) : null}
    </Card>
  );
}

/** Cancel on the customer's behalf: a confirmation under the list (focus moves to it) naming the order, with an optional note for the audit trail. */
export function CancelOrder(props: { order: Order & { accountName: string }; onClose(): void; onCancelled(): void }) {
  const { ct, label, yen } = useTexts();
  const { api } = useConsole();
  const { busy, problem, run } = useAction();
  const [note, setNote] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const o = props.order;
  const cancel = () =>
    run(async () => {
      await api.post(`/v1/orders/${o.id}/cancel`, note.trim() ? { note: note.trim() } : {});
      props.onCancelled();
    });
  return (
    <div ref={ref} tabIndex={-1} className="k-alert kc-confirm" data-kind="error" role="alertdialog" aria-labelledby="kc-cancel-order" data-testid="confirm-cancel-order" style={{ marginTop: '1rem' }}>
      <p id="kc-cancel-order" style={{ margin: 0 }}>
        {ct('confirmCancelOrder', { account: o.accountName, type: label('order', o.type), total: yen(o.amount.total) })}
      </p>
      <label style={{ display: 'block', marginTop: '.75rem' }}>
        {ct('cancelOrderNote')}
        <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} data-testid="cancel-order-note" style={{ display: 'block', width: '100%', maxWidth: '40rem' }} />
      </label>
      <div className="k-actions">
        <Button variant="danger" busy={busy} onClick={() => void cancel()} data-testid="confirm-cancel-order-yes">
          {ct('cancelOrderYes')}
        </Button>
        <Button variant="secondary" disabled={busy} onClick={props.onClose} data-testid="confirm-cancel-order-no">
          {ct('keepOrder')}
        </Button>
      </div>
      <ProblemAlert problem={problem} />
    </div>
  );
}
