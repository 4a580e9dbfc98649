/**
 * Applying for a paid plan again from the free plan (reference 001: after the validity expires,
 * "apply for a plan again"; SPEC P2): plan and payment method → the quote → pay → completed.
 */
import { useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Card, Field, ProblemAlert } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Quote } from './types.js';
import { CheckoutDone, placeLabel, useCheckout } from './checkout.js';
import { QuoteView, limitLabel, limitValue, methodLabel } from './parts.js';
import { readableProblem } from '../shared/validate.js';
import { useAction } from '../shared/use-action.js';
import type { Problem } from '../shared/api.js';

/** `onPlaced`: the order is placed (the page keeps this form, now its completion, on screen while the state reloads). */
export function NewContract(props: { onPlaced?(): void }) {
  const i18n = useI18n();
  const { t, period } = i18n;
  const { api, accountId, state, product, refresh } = usePortal();
  const plans = product.plans.filter((p) => !p.free).sort((a, b) => a.rank - b.rank);
  const [planId, setPlanId] = useState(plans[0]?.id ?? '');
  const plan = plans.find((p) => p.id === planId);
  const methods = plan?.paymentMethods.map((m) => m.method) ?? [];
  const [method, setMethod] = useState('card');
  const [quote, setQuote] = useState<Quote | null>(null);
  const readable = (p: Problem) =>
    readableProblem(p, { planId: t({ ja: 'プランを選んでください。', en: 'Choose a plan.' }), paymentMethod: t({ ja: 'お支払い方法を選んでください。', en: 'Choose a payment method.' }) }, i18n);
  const { busy, problem, run, fail } = useAction(readable);
  const checkout = useCheckout(readable);
  // The start date is fixed when the quote is shown: the order placed is the one quoted.
  const [startDate, setStartDate] = useState(state.date);
  const body = () => ({ type: 'new-contract', accountId, planId, term: plan?.terms[0] ?? 'P1Y', startDate, paymentMethod: method });
  const order = checkout.result?.order;
  const shown = problem ?? checkout.problem;

  async function place() {
    fail(null);
    const placed = await checkout.place(body());
    if (!placed || 'refused' in placed) return;
    props.onPlaced?.();
    // The page shows the new plan at once (no "refresh" for the customer to press).
    await refresh();
  }

  if (order && checkout.result) {
    return (
      <Card title={t({ ja: 'お手続き完了', en: 'Procedure completed' })} testId="new-contract-done" focus>
        <Alert kind="success" testId="new-contract-done-message">
          {t({ ja: '{plan}のお申し込みが完了しました。有効期間は{period}です。', en: 'You are on {plan}, valid {period}.' }, { plan: plan?.name ?? '', period: period(order.period.start, order.period.end) })}
        </Alert>
        <CheckoutDone checkout={checkout} />
      </Card>
    );
  }
  return (
    <Card title={t({ ja: '有料プランのお申し込み', en: 'Apply for a paid plan' })} testId="new-contract">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          checkout.setProblem(null);
          void run(async () => {
            setStartDate(state.date);
            setQuote(await api.post<Quote>('/v1/orders/preview', { ...body(), startDate: state.date }));
          });
        }}
      >
        <Field label={t('plan')} name="planId" problem={shown}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              value={planId}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => {
                setPlanId(e.target.value);
                setQuote(null);
              }}
            >
              {plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} — {Object.entries(p.limits).map(([k, v]) => `${limitLabel(i18n, k)} ${limitValue(i18n, k, v)}`).join(', ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('paymentMethod')} name="paymentMethod" problem={shown}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              value={method}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => {
                setMethod(e.target.value);
                setQuote(null);
              }}
            >
              {methods.map((m) => (
                <option key={m} value={m}>
                  {methodLabel(i18n, m)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ProblemAlert problem={shown} fields={['planId', 'paymentMethod']} />
        {!quote ? (
          <div className="k-actions">
            <Button type="submit" busy={busy}>
              {t({ ja: '内容を確認する', en: 'Review' })}
            </Button>
          </div>
        ) : null}
      </form>
      {quote ? (
        <div data-testid="new-contract-quote">
          <QuoteView quote={quote} periodLabel={{ ja: '有効期間', en: 'Validity' }} />
          <div className="k-actions">
            <Button onClick={() => void place()} busy={busy || checkout.busy} data-testid="place-order">
              {placeLabel(i18n, method, quote.amount.total)}
            </Button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}
