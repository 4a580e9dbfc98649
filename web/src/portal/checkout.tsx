/**
 * Placing an order and paying it (docs/portal.md, "Paying an order"): for card and PayPal, the
 * button that places the order also charges its invoice, through the same call as the "Pay by
 * card" button of Contract information (`POST /v1/invoices/{id}/pay`); for bank transfer and
 * invoice payment the button only places the order, and the completion screen says how and by
 * when to pay. One order and one charge per click, even on a double click or a retry.
 */
import { useCallback, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ApiClient, Problem } from '../shared/api.js';
import { newKey, toProblem } from '../shared/api.js';
import type { I18n } from '../shared/i18n.js';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Facts, ProblemAlert } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Invoice, Order } from './types.js';
import { PdfButton, methodLabel } from './parts.js';

export type ChargeMethod = 'card' | 'paypal';

/** The methods the portal charges through the payment provider; the others are paid by transfer. */
export function chargeMethod(method: string | null | undefined): ChargeMethod | null {
  return method === 'card' || method === 'paypal' ? method : null;
}

/**
 * The label of the button that places an order: "Pay ¥…" when it also charges (card, PayPal),
 * "Place the order" when the invoice is paid by transfer later. `placing`: add "(place the order)"
 * to the pay label, as the spot order's payment step does.
 */
export function placeLabel(i18n: I18n, method: string | null | undefined, total: number, opts: { placing?: boolean } = {}): string {
  const amount = i18n.yen(total);
  if (!chargeMethod(method)) return i18n.t({ ja: '注文を確定する', en: 'Place the order' });
  return opts.placing ? i18n.t({ ja: '{amount}を支払う（注文を確定）', en: 'Pay {amount} (place the order)' }, { amount }) : i18n.t({ ja: '{amount}を支払う', en: 'Pay {amount}' }, { amount });
}

/** What became of an order's payment. */
export interface Payment {
  /** paid: charged now (or already paid); unpaid: a charge was refused or failed; transfer: to be paid by transfer; none: nothing to pay. */
  status: 'paid' | 'unpaid' | 'transfer' | 'none';
  invoice: Invoice | null;
  /** Why the charge did not go through (the API's words). */
  problem: Problem | null;
}

export interface Checkout {
  order: Order;
  payment: Payment;
}

const inFlight = new Set<string>();

/**
 * Charges an invoice's balance by card or PayPal. A fresh idempotency key per attempt: a
 * refused charge (a declined card) is not replayed when the customer tries again, and two
 * attempts never charge twice (the API locks the invoice: the second answers invoice_not_payable,
 * and the invoice, read again, is paid).
 */
export async function chargeInvoice(api: ApiClient, invoiceId: string, method: ChargeMethod, balance: number): Promise<Payment> {
  if (inFlight.has(invoiceId)) return { status: 'unpaid', invoice: null, problem: null };
  inFlight.add(invoiceId);
  try {
    const paid = await api.post<{ invoice: Invoice }>(`/v1/invoices/${invoiceId}/pay`, { method }, { idempotencyKey: `pay-${invoiceId}-${balance}-${newKey()}` });
    return { status: paid.invoice.status === 'paid' ? 'paid' : 'unpaid', invoice: paid.invoice, problem: null };
  } catch (err) {
    const problem = toProblem(err);
    const invoice = await api.get<Invoice>(`/v1/invoices/${invoiceId}`).catch(() => null);
    if (invoice?.status === 'paid') return { status: 'paid', invoice, problem: null };
    return { status: 'unpaid', invoice, problem };
  } finally {
    inFlight.delete(invoiceId);
  }
}

/** After an order is placed: charge its invoice (card, PayPal) or read it (transfer). */
async function settle(api: ApiClient, order: Order): Promise<Payment> {
  if (order.status !== 'completed' || !order.invoiceId) return { status: 'none', invoice: null, problem: null };
  const method = chargeMethod(order.paymentMethod);
  if (method) return chargeInvoice(api, order.invoiceId, method, order.amount.total);
  const invoice = await api.get<Invoice>(`/v1/invoices/${order.invoiceId}`).catch(() => null);
  return { status: invoice?.status === 'paid' ? 'paid' : 'transfer', invoice, problem: null };
}

/**
 * Places an order and pays it. `place(body)` sends the order once (a second click while it runs
 * does nothing and answers null; a retry after a lost answer reuses the idempotency key, so the
 * order is placed once), then charges or reads its invoice; it answers the result, or the API's
 * refusal of the order (also kept in `problem`, reworded by `readable`). `payAgain()` charges the
 * invoice again after a refused or failed charge.
 */
export function useCheckout(readable?: (problem: Problem) => Problem) {
  const { api } = usePortal();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<Checkout | null>(null);
  const running = useRef(false);
  // The key of the last order sent, kept while its answer is unknown (network error) and the body is the same.
  const pending = useRef<{ key: string; body: string } | null>(null);
  const reword = useRef(readable);
  reword.current = readable;

  const place = useCallback(
    async (body: Record<string, unknown>): Promise<{ done: Checkout } | { refused: Problem } | null> => {
      if (running.current) return null;
      running.current = true;
      setBusy(true);
      setProblem(null);
      try {
        const json = JSON.stringify(body);
        if (pending.current?.body !== json) pending.current = { key: newKey(), body: json };
        let order: Order;
        try {
          order = await api.post<Order>('/v1/orders', body, { idempotencyKey: pending.current.key });
        } catch (err) {
          const p = toProblem(err);
          // Answered (refused): the next click is a new request. No answer: the same key, never placed twice.
          if (p.status !== 0) pending.current = null;
          setProblem(reword.current ? reword.current(p) : p);
          return { refused: p };
        }
        pending.current = null;
        const done = { order, payment: await settle(api, order) };
        setResult(done);
        return { done };
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [api],
  );

  const payAgain = useCallback(async () => {
    const current = result;
    const method = chargeMethod(current?.order.paymentMethod);
    if (!current || !method || !current.order.invoiceId || running.current) return;
    running.current = true;
    setBusy(true);
    try {
      const payment = await chargeInvoice(api, current.order.invoiceId, method, current.payment.invoice?.balance ?? current.order.amount.total);
      setResult({ ...current, payment });
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, [api, result]);

  return { busy, problem, setProblem, result, place, payAgain };
}

/**
 * What the completion screen says about the payment: paid; or placed but still to be paid, with
 * the pay button right there; or how and by when to pay by transfer.
 */
/** `details: false` when the screen already shows the payment method and due date. */
export function PaymentStatus(props: { checkout: Checkout; busy: boolean; onPayAgain(): void; details?: boolean }) {
  const i18n = useI18n();
  const { t, yen, date, lang } = i18n;
  const { api } = usePortal();
  const { order, payment } = props.checkout;
  const inv = payment.invoice;
  const amount = yen(inv?.amount.total ?? order.amount.total);
  const due = date(inv?.dueOn ?? order.dueOn);
  const method = methodLabel(i18n, order.paymentMethod);
  const pdf = inv ? (
    <PdfButton api={api} path={`/v1/invoices/${inv.id}/pdf${lang === 'en' ? '?lang=en' : ''}`} filename={`${inv.number}.pdf`} label={t({ ja: '請求書PDF', en: 'Invoice PDF' })} />
  ) : null;
  const facts = (
    <Facts
      testId="payment-facts"
      items={[
        ...(inv ? ([[t({ ja: '請求書番号', en: 'Invoice number' }), <span data-testid="invoice-number">{inv.number}</span>]] as Array<[string, ReactNode]>) : []),
        ...(props.details === false
          ? []
          : ([
              [t('paymentMethod'), method],
              [t({ ja: 'お支払期限', en: 'Payment due' }), <span data-testid="payment-due">{due}</span>],
            ] as Array<[string, ReactNode]>)),
        ...(pdf ? ([[t({ ja: '請求書（PDF）', en: 'Invoice (PDF)' }), pdf]] as Array<[string, ReactNode]>) : []),
      ]}
    />
  );
  if (payment.status === 'none') return null;
  if (payment.status === 'paid') {
    return (
      <div data-testid="payment-status" data-status="paid">
        <Alert kind="success" testId="payment-message">
          {order.paymentMethod === 'paypal'
            ? t({ ja: '{method}で{amount}のお支払いが完了しました。', en: 'Paid {amount} with PayPal.' }, { method, amount })
            : t({ ja: '{method}で{amount}のお支払いが完了しました。', en: 'Paid {amount} by credit card.' }, { method, amount })}
        </Alert>
        {inv ? (
          <Facts
            testId="payment-facts"
            items={[
              [t({ ja: '請求書番号', en: 'Invoice number' }), <span data-testid="invoice-number">{inv.number}</span>],
              ...(pdf ? ([[t({ ja: '請求書（PDF）', en: 'Invoice (PDF)' }), pdf]] as Array<[string, ReactNode]>) : []),
            ]}
          />
        ) : null}
      </div>
    );
  }
  if (payment.status === 'unpaid') {
    const paypal = order.paymentMethod === 'paypal';
    return (
      <div data-testid="payment-status" data-status="unpaid">
        <Alert kind="error" testId="payment-message">
          {t(
            { ja: 'ご注文は確定しましたが、お支払いはまだ完了していません。{amount}を{due}までにお支払いください。', en: 'Your order is placed, but it is not paid yet: {amount} is still to be paid by {due}.' },
            { amount, due },
          )}
        </Alert>
        <ProblemAlert problem={payment.problem} />
        {facts}
        <div className="k-actions">
          <Button onClick={props.onPayAgain} busy={props.busy} data-testid="pay-again">
            {paypal ? t({ ja: '{amount}をPayPalで支払う', en: 'Pay {amount} with PayPal' }, { amount }) : t({ ja: '{amount}をカードで支払う', en: 'Pay {amount} by card' }, { amount })}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div data-testid="payment-status" data-status="transfer">
      <Alert kind="info" testId="payment-message">
        {t(
          {
            ja: 'お支払い方法: {method}。{due}までに、請求書（PDF）に記載の振込先口座へ{amount}をお振り込みください（振込手数料はお客様のご負担です）。',
            en: 'Payment method: {method}. Please transfer {amount} by {due} to the bank account shown on the invoice (PDF); transfer fees are yours.',
          },
          { method, amount, due },
        )}
      </Alert>
      {facts}
    </div>
  );
}

/**
 * The end of a completion screen: what became of the payment (with "pay again" when a charge was
 * refused), then the way back to Contract information — secondary while something is still to pay.
 */
export function CheckoutDone(props: { checkout: ReturnType<typeof useCheckout>; details?: boolean }) {
  const { t } = useI18n();
  const { navigate } = usePortal();
  const { result, busy, payAgain } = props.checkout;
  return (
    <>
      {result ? <PaymentStatus checkout={result} busy={busy} onPayAgain={() => void payAgain()} {...(props.details === false ? { details: false } : {})} /> : null}
      <div className="k-actions">
        <Button variant={result?.payment.status === 'unpaid' ? 'secondary' : 'primary'} onClick={() => navigate('/portal')}>
          {t({ ja: '契約情報へ', en: 'To contract information' })}
        </Button>
      </div>
    </>
  );
}
