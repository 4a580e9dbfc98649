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
import { ApiProblem, fieldMessage, newKey, problemHasField, toProblem } from '../shared/api.js';
import type { I18n, Text } from '../shared/i18n.js';
import { useI18n } from '../shared/i18n.js';
import { focusFirstInvalid } from '../shared/validate.js';
import { Alert, Button, Card, Facts, ProblemAlert } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Invoice, Order, Quote } from './types.js';
import { PdfButton, QuoteView, methodLabel } from './parts.js';

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

/**
 * After an order is placed or accepted: charge its invoice (card, PayPal) or read it (transfer).
 * `charge: false` only reads it — a completion screen reloaded says what became of the payment
 * (paid, still to pay with the pay button, or to transfer) without charging on its own.
 */
export async function settleOrder(api: ApiClient, order: Order, opts: { charge?: boolean } = {}): Promise<Payment> {
  if (order.status !== 'completed' || !order.invoiceId) return { status: 'none', invoice: null, problem: null };
  const method = chargeMethod(order.paymentMethod);
  if (method && opts.charge !== false && order.amount.total > 0) return chargeInvoice(api, order.invoiceId, method, order.amount.total);
  const invoice = await api.get<Invoice>(`/v1/invoices/${order.invoiceId}`).catch(() => null);
  return { status: invoice?.status === 'paid' ? 'paid' : method ? 'unpaid' : 'transfer', invoice, problem: null };
}

/**
 * The payment of an order accepted on a screen (a plan change's statement, an order awaiting
 * acceptance): `settle(order)` charges it (card, PayPal) or reads it, `payAgain()` after a refused
 * charge; one charge at a time.
 */
export function useAcceptedPayment() {
  const { api } = usePortal();
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [busy, setBusy] = useState(false);
  const settle = useCallback(
    async (order: Order, opts: { charge?: boolean } = {}) => {
      setBusy(true);
      try {
        setCheckout({ order, payment: await settleOrder(api, order, opts) });
      } finally {
        setBusy(false);
      }
    },
    [api],
  );
  const payAgain = useCallback(async () => {
    const method = chargeMethod(checkout?.order.paymentMethod);
    if (!checkout || !method || !checkout.order.invoiceId || busy) return;
    setBusy(true);
    try {
      setCheckout({ ...checkout, payment: await chargeInvoice(api, checkout.order.invoiceId, method, checkout.payment.invoice?.balance ?? checkout.order.amount.total) });
    } finally {
      setBusy(false);
    }
  }, [api, checkout, busy]);
  return { checkout, busy, settle, payAgain, reset: () => setCheckout(null) };
}

/** The label of a button that accepts an order: it also pays when the order is paid by card or PayPal. */
export function acceptLabel(i18n: I18n, order: { paymentMethod?: string | null | undefined; amount: { total: number } }, plain: Text, paying: Text = { ja: '承諾して{amount}を支払う', en: 'Accept and pay {amount}' }): string {
  if (!chargeMethod(order.paymentMethod) || order.amount.total === 0) return i18n.t(plain);
  return i18n.t(paying, { amount: i18n.yen(order.amount.total) });
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
        const done = { order, payment: await settleOrder(api, order) };
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
              [
                t({ ja: '領収書（PDF）', en: 'Receipt (PDF)' }),
                <PdfButton
                  api={api}
                  path={`/v1/invoices/${inv.id}/receipt${lang === 'en' ? '?lang=en' : ''}`}
                  filename={`${inv.number.replace(/^INV-/, 'RC-')}.pdf`}
                  label={t({ ja: '領収書PDF', en: 'Receipt PDF' })}
                  testId="receipt-pdf"
                />,
              ],
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

/**
 * The methods an order of the account's plan may be paid by (the catalog's), and the one chosen
 * first: the contract's when the plan allows it.
 */
export function planMethods(portal: { product: { plans: Array<{ id: string; paymentMethods: Array<{ method: string }> }> }; state: { plan: { id: string } | null; contract: { paymentMethod: string } | null } }): {
  methods: string[];
  initial: string;
} {
  const plan = portal.product.plans.find((p) => p.id === portal.state.plan?.id);
  const methods = plan?.paymentMethods.map((m) => m.method) ?? ['bank-transfer', 'card', 'paypal'];
  const current = portal.state.contract?.paymentMethod;
  return { methods, initial: current && methods.includes(current) ? current : (methods[0] ?? 'card') };
}

export interface OrderStepsOptions {
  /** The order's body (`POST /v1/orders/preview` and `/v1/orders`) with a payment method. */
  body(method: string): Record<string, unknown>;
  /** The settings' own checks: a problem when something typed is not right (nothing is sent then). */
  check(): Problem | null;
  /** The API's refusal in the form's words. */
  readable(err: unknown): Problem;
  /** The settings' fields: a refusal naming one of them on the payment step goes back to the settings, under it. */
  settingsFields: readonly string[];
  /** The payment method chosen first (default: the contract's, when the account's plan allows it). */
  initialMethod?: string;
  /** Called once the order is placed, before the account's state reloads. */
  placed?(order: Order): void;
}

/**
 * An order placed in three steps — settings → payment procedure → completed — as the spot order
 * and the license addition take it: the settings are checked, then previewed (the quote is the
 * API's); the payment method can be changed on the quote (previewed again); the order is placed
 * and paid once (`useCheckout`), and the account's state reloads.
 */
export function useOrderSteps(o: OrderStepsOptions) {
  const portal = usePortal();
  const [step, setStep] = useState<0 | 1 | 2>(0);
  const [method, setMethod] = useState(() => o.initialMethod ?? planMethods(portal).initial);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const checkout = useCheckout();

  async function toPayment() {
    const own = o.check();
    setProblem(own);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      setQuote(await portal.api.post<Quote>('/v1/orders/preview', o.body(method)));
      setStep(1);
    } catch (err) {
      setProblem(o.readable(err));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }
  /** A refusal on the payment step: one about the settings (a date now past) goes back to them, under its field. */
  function refusedOnPayment(err: unknown) {
    const p = o.readable(err);
    setProblem(p);
    if (problemHasField(p, o.settingsFields)) setStep(0);
  }
  async function changeMethod(m: string) {
    setMethod(m);
    setProblem(null);
    try {
      setQuote(await portal.api.post<Quote>('/v1/orders/preview', o.body(m)));
    } catch (err) {
      refusedOnPayment(err);
    }
  }
  async function pay() {
    setProblem(null);
    const placed = await checkout.place(o.body(method));
    if (!placed) return;
    if ('refused' in placed) return refusedOnPayment(new ApiProblem(placed.refused));
    o.placed?.(placed.done.order);
    setStep(2);
    void portal.refresh();
  }
  /** The method chosen on the settings (nothing previewed: the next step does). */
  function chooseMethod(m: string) {
    setMethod(m);
    setProblem(null);
  }
  return { step, setStep, method, chooseMethod, quote, problem, busy, form, checkout, order: checkout.result?.order ?? null, toPayment, changeMethod, pay };
}

export type OrderSteps = ReturnType<typeof useOrderSteps>;

/**
 * The payment procedure of a three-step order: the quote as the API computed it, the plan's
 * payment methods (a change is previewed again), and Back / the button that places (and pays) it.
 * `methods`: the methods offered (default: the account's plan's); `items`: what was chosen, shown
 * above the quote.
 */
export function PaymentStep(props: { flow: OrderSteps; title: string; testId: string; periodLabel: Text; methods?: readonly string[]; items?: Array<[string, ReactNode]> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const planDefault = planMethods(usePortal()).methods;
  const methods = props.methods ?? planDefault;
  const { flow } = props;
  if (!flow.quote) return null;
  const error = fieldMessage(flow.problem, 'paymentMethod');
  return (
    <Card title={props.title} testId={props.testId} focus>
      <h3>{t({ ja: 'ご注文内容', en: 'Order contents' })}</h3>
      {props.items?.length ? (
        <div style={{ marginBottom: '1rem' }}>
          <Facts testId="order-items" items={props.items} />
        </div>
      ) : null}
      <QuoteView quote={flow.quote} periodLabel={props.periodLabel} />
      <fieldset className="k-field" style={{ border: 0, padding: 0 }} data-field="paymentMethod">
        <legend style={{ fontWeight: 600 }}>{t('paymentMethod')}</legend>
        <div className="k-radio-list">
          {methods.map((m) => (
            <label key={m}>
              <input type="radio" name="paymentMethod" value={m} checked={flow.method === m} onChange={() => void flow.changeMethod(m)} />
              {methodLabel(i18n, m)}
            </label>
          ))}
        </div>
        {error ? (
          <span className="k-field-error" role="alert" data-testid="error-paymentMethod">
            {error}
          </span>
        ) : null}
      </fieldset>
      <ProblemAlert problem={flow.problem} fields={['paymentMethod']} />
      <div className="k-actions">
        <Button variant="secondary" onClick={() => flow.setStep(0)}>
          {t('back')}
        </Button>
        <Button onClick={() => void flow.pay()} busy={flow.busy || flow.checkout.busy} data-testid="place-order">
          {placeLabel(i18n, flow.method, flow.quote.amount.total, { placing: true })}
        </Button>
      </div>
    </Card>
  );
}

/**
 * The completion of a three-step order: what was done (`message`, then the screen's own `items`),
 * its period, amount, payment method and — while unpaid — due date, then what became of the
 * payment and the way back (`CheckoutDone`).
 */
export function OrderDone(props: { flow: OrderSteps; title: string; testId: string; message: ReactNode; items: Array<[string, ReactNode]>; periodLabel: Text }) {
  const i18n = useI18n();
  const { t, yen, period } = i18n;
  const { order, checkout } = props.flow;
  if (!order) return null;
  return (
    <Card title={props.title} testId={props.testId} focus>
      <Alert kind="success" testId={`${props.testId}-message`}>
        {props.message}
      </Alert>
      <div style={{ marginBottom: '1rem' }}>
        <Facts
          items={[
            ...props.items,
            [t(props.periodLabel), <span data-testid="done-period">{period(order.period.start, order.period.end)}</span>],
            [t({ ja: 'ご請求金額', en: 'Amount billed' }), <span data-testid="done-total">{yen(order.amount.total)}</span>],
            [t('paymentMethod'), methodLabel(i18n, order.paymentMethod)],
            ...(order.dueOn && checkout.result?.payment.status !== 'paid' ? ([[t({ ja: 'お支払期限', en: 'Payment due' }), <span data-testid="payment-due">{i18n.date(order.dueOn)}</span>]] as Array<[string, ReactNode]>) : []),
          ]}
        />
      </div>
      <CheckoutDone checkout={checkout} details={false} />
    </Card>
  );
}
