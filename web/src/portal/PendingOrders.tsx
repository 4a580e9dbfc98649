/**
 * Orders awaiting the customer's acceptance (SPEC B9), on Contract information: each with what it
 * orders, its amount and the last day its statement or quotation holds, to accept or to withdraw
 * (`GET /v1/orders?status=placed`, loaded with the page's invoices and notices; `POST
 * /v1/orders/{id}/accept`, `POST /v1/orders/{id}/cancel`).
 * Shown only when there is one. Withdrawing asks first; nothing is billed for a withdrawn order.
 * Accepting an order paid by card or PayPal also pays it (the button says so), as placing one does.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { I18n } from '../shared/i18n.js';
import { useAction } from '../shared/use-action.js';
import { Alert, Button, Card, ProblemAlert, Table } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Order } from './types.js';
import { PdfButton, lineText, methodLabel } from './parts.js';
import { PaymentStatus, acceptLabel, useAcceptedPayment } from './checkout.js';

function orderTypeLabel(i18n: I18n, type: string): string {
  const labels: Record<string, { ja: string; en: string }> = {
    'new-contract': { ja: '新規契約', en: 'New contract' },
    spot: { ja: 'スポット契約', en: 'Spot contract' },
    'license-addition': { ja: 'ライセンス追加', en: 'License addition' },
    'plan-change': { ja: 'プラン変更', en: 'Plan change' },
    upgrade: { ja: 'アップグレード', en: 'Upgrade' },
    renewal: { ja: '更新', en: 'Renewal' },
  };
  return labels[type] ? i18n.t(labels[type]) : type;
}

/**
 * `orders`: the account's orders awaiting acceptance, loaded by Contract information with its
 * invoices and notices (null while loading); `onChanged` runs after one was accepted (a new
 * invoice) or withdrawn, and loads them all again.
 */
export function PendingOrders(props: { orders: Order[] | null; onChanged(): void }) {
  const i18n = useI18n();
  const { t, yen, date, period, lang } = i18n;
  const { api, refresh } = usePortal();
  const [done, setDone] = useState<{ order: Order; accepted: boolean } | null>(null);
  const paid = useAcceptedPayment();
  const orders = props.orders;

  const changed = async (order: Order, accepted: boolean) => {
    setDone({ order, accepted });
    paid.reset();
    await Promise.all([accepted ? paid.settle(order) : undefined, refresh()]);
    props.onChanged();
  };

  if (!done && (orders === null || orders.length === 0)) return null;
  return (
    <Card title={t({ ja: '承認待ちのご注文', en: 'Orders awaiting your acceptance' })} testId="pending-orders-card">
      {done ? (
        <Alert kind="success" testId="pending-order-done">
          {done.accepted
            ? t({ ja: `ご注文（${orderTypeLabel(i18n, done.order.type)}）を承認しました。ご注文は完了し、請求書を発行しました。`, en: `You accepted the ${orderTypeLabel(i18n, done.order.type).toLowerCase()} order. It is complete and its invoice is issued.` })
            : t({ ja: `ご注文（${orderTypeLabel(i18n, done.order.type)}）を取り消しました。ご請求は発生しません。`, en: `The ${orderTypeLabel(i18n, done.order.type).toLowerCase()} order was withdrawn. Nothing is billed.` })}
        </Alert>
      ) : null}
      {done?.accepted && paid.checkout?.order.id === done.order.id ? <PaymentStatus checkout={paid.checkout} busy={paid.busy} onPayAgain={() => void paid.payAgain()} /> : null}
      {orders && orders.length > 0 ? (
        <>
          <p className="k-muted">
            {t({
              ja: 'ご注文は承認いただいた日に完了します。承認期限を過ぎたご注文は無効になります。',
              en: 'An order completes on the day you accept it. An order not accepted by its last day lapses.',
            })}
          </p>
          <Table
            testId="pending-orders"
            rows={orders}
            rowKey={(o) => o.id}
            empty={t('none')}
            columns={[
              { header: t({ ja: 'ご注文', en: 'Order' }), cell: (o) => orderTypeLabel(i18n, o.type) },
              { header: t({ ja: '内容', en: 'Contents' }), cell: (o) => o.lines.map((l) => lineText(l, lang)).join(' / ') },
              { header: t('period'), cell: (o) => period(o.period.start, o.period.end) },
              { header: t('paymentMethod'), cell: (o) => methodLabel(i18n, o.paymentMethod) },
              { header: t('amount'), cell: (o) => yen(o.amount.total), numeric: true },
              { header: t({ ja: '承認期限', en: 'Accept by' }), cell: (o) => (o.validUntil ? date(o.validUntil) : '—') },
              { header: '', cell: (o) => <OrderActions order={o} onDone={(accepted, order) => void changed(order, accepted)} quotePdf={o.quoteId ? <PdfButton api={api} path={`/v1/quotes/${o.quoteId}/pdf${lang === 'en' ? '?lang=en' : ''}`} filename={`${o.quoteId}.pdf`} label={t({ ja: '見積書PDF', en: 'Quotation PDF' })} /> : null} /> },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

/** Accept, or withdraw after a confirmation; a refusal (the statement no longer holds, say) shows under the buttons. */
function OrderActions(props: { order: Order; onDone(accepted: boolean, order: Order): void; quotePdf: ReactNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = usePortal();
  const { busy, problem, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  const o = props.order;
  const accept = () =>
    run(async () => {
      props.onDone(true, await api.post<Order>(`/v1/orders/${o.id}/accept`, {}));
    });
  const withdraw = () =>
    run(async () => {
      props.onDone(false, await api.post<Order>(`/v1/orders/${o.id}/cancel`, {}));
    });
  return (
    <div className="k-actions" style={{ marginTop: 0, gap: '.5rem' }} data-testid={`pending-order-${o.id}`}>
      {props.quotePdf}
      {confirming ? (
        <>
          <span>{t({ ja: 'このご注文を取り消しますか？', en: 'Withdraw this order?' })}</span>
          <Button variant="danger" busy={busy} onClick={() => void withdraw()} data-testid="confirm-withdraw">
            {t({ ja: '取り消す', en: 'Withdraw' })}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
            {t({ ja: 'やめる', en: 'Keep it' })}
          </Button>
        </>
      ) : (
        <>
          <Button busy={busy} onClick={() => void accept()} data-testid="accept-order">
            {acceptLabel(i18n, o, { ja: '承認する', en: 'Accept' }, { ja: '承認して{amount}を支払う', en: 'Accept and pay {amount}' })}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={() => setConfirming(true)} data-testid="withdraw-order">
            {t({ ja: '取り消す', en: 'Withdraw' })}
          </Button>
        </>
      )}
      <ProblemAlert problem={problem} />
    </div>
  );
}
