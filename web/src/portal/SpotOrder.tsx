/**
 * Add spot order (reference 000, SPEC S10): settings (accounts to add, start date, duration,
 * "I agree to the Terms of Use") → payment procedure (contents, payment method) → completed.
 * Every check is the API's: the settings are previewed, and a refusal is shown at its field.
 */
import { useId, useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { fieldMessage, toProblem } from '../shared/api.js';
import { Alert, Button, Card, Facts, Field, ProblemAlert, Steps } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Order, Quote } from './types.js';
import { QuoteView, methodLabel } from './parts.js';

const SETTINGS_FIELDS = ['seats', 'startDate', 'months', 'agreeToTerms', 'type'] as const;

export function SpotOrder() {
  const i18n = useI18n();
  const { t, yen, period } = i18n;
  const { api, accountId, state, product, navigate, refresh } = usePortal();
  const plan = product.plans.find((p) => p.id === state.plan?.id);
  const size = plan?.license?.size ?? 100;
  const methods = plan?.paymentMethods.map((m) => m.method) ?? ['bank-transfer', 'card', 'paypal'];

  const [step, setStep] = useState<0 | 1 | 2>(0);
  const [seats, setSeats] = useState(String(size));
  const [startDate, setStartDate] = useState(state.date);
  const [months, setMonths] = useState('1');
  const [agree, setAgree] = useState(false);
  const [method, setMethod] = useState(state.contract?.paymentMethod && methods.includes(state.contract.paymentMethod) ? state.contract.paymentMethod : (methods[0] ?? 'card'));
  const [quote, setQuote] = useState<Quote | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const agreeId = useId();

  const body = (m: string) => ({ type: 'spot', accountId, seats: seats.trim() === '' ? null : Number(seats), startDate, months: Number(months), agreeToTerms: agree, paymentMethod: m });

  async function toPayment() {
    setBusy(true);
    setProblem(null);
    try {
      setQuote(await api.post<Quote>('/v1/orders/preview', body(method)));
      setStep(1);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }
  async function changeMethod(m: string) {
    setMethod(m);
    setProblem(null);
    try {
      setQuote(await api.post<Quote>('/v1/orders/preview', body(m)));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  async function pay() {
    setBusy(true);
    setProblem(null);
    try {
      setOrder(await api.post<Order>('/v1/orders', body(method)));
      setStep(2);
      void refresh();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const steps = [t({ ja: '設定', en: 'Settings' }), t({ ja: 'お支払い手続き', en: 'Payment procedure' }), t({ ja: '手続き完了', en: 'Procedure completed' })];
  if (!state.contract) {
    return (
      <Alert kind="info" testId="spot-unavailable">
        {t({ ja: 'スポット追加注文は有料プランのご契約期間中にご利用いただけます。', en: 'Spot orders are available during a paid plan’s contract period.' })}
      </Alert>
    );
  }
  return (
    <div data-testid="spot-order">
      <Steps steps={steps} current={step} />
      {step === 0 ? (
        <Card title={steps[0]} testId="spot-settings">
          <p className="k-muted">
            {t({
              ja: '主契約 {plan}（{period}）の期間中、一時的にアカウント数を追加します。ご請求額は「主契約のライセンス月額 × ライセンス数 × 月数」です。',
              en: 'Temporarily adds accounts to your main contract {plan} ({period}). The amount is the main contract’s monthly license price × licenses × months.',
            }, { plan: state.plan?.name ?? '', period: period(state.contract.start, state.contract.end) })}
          </p>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void toPayment();
            }}
          >
            <Field label={t({ ja: 'スポット追加希望アカウント数', en: 'Accounts to add' })} name="seats" problem={problem} hint={t({ ja: '{size}アカウント単位', en: 'In steps of {size} accounts' }, { size })}>
              {({ id, describedBy, invalid }) => (
                <input id={id} type="number" inputMode="numeric" min={size} step={size} value={seats} onChange={(e) => setSeats(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
              )}
            </Field>
            <Field label={t({ ja: 'スポット追加開始日', en: 'Start date' })} name="startDate" problem={problem}>
              {({ id, describedBy, invalid }) => <input id={id} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
            <Field label={t({ ja: 'スポット追加期間', en: 'Duration' })} name="months" problem={problem}>
              {({ id, describedBy, invalid }) => (
                <select id={id} value={months} onChange={(e) => setMonths(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid}>
                  {Array.from({ length: 24 }, (_, i) => i + 1).map((m) => (
                    <option key={m} value={m}>
                      {i18n.lang === 'ja' ? `${m}か月` : `${m} month${m > 1 ? 's' : ''}`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <div className="k-field" data-invalid={fieldMessage(problem, 'agreeToTerms') ? 'true' : undefined}>
              <label className="k-check" htmlFor={agreeId}>
                <input id={agreeId} type="checkbox" checked={agree} onChange={(e) => setAgree(e.target.checked)} aria-describedby={fieldMessage(problem, 'agreeToTerms') ? `${agreeId}-error` : undefined} />
                {t({ ja: '利用規約に同意する', en: 'I agree to the Terms of Use' })}
              </label>
              {fieldMessage(problem, 'agreeToTerms') ? (
                <span className="k-field-error" id={`${agreeId}-error`} role="alert" data-testid="error-agreeToTerms">
                  {fieldMessage(problem, 'agreeToTerms')}
                </span>
              ) : null}
            </div>
            <ProblemAlert problem={problem} fields={SETTINGS_FIELDS} />
            <div className="k-actions">
              <Button type="submit" busy={busy}>
                {t({ ja: 'お支払い手続きへ', en: 'Go to payment procedure' })}
              </Button>
            </div>
          </form>
        </Card>
      ) : null}

      {step === 1 && quote ? (
        <Card title={steps[1]} testId="spot-payment" focus>
          <h3>{t({ ja: 'ご注文内容', en: 'Order contents' })}</h3>
          <QuoteView quote={quote} periodLabel={{ ja: 'スポット契約期間', en: 'Spot period' }} />
          <fieldset className="k-field" style={{ border: 0, padding: 0 }} data-field="paymentMethod">
            <legend style={{ fontWeight: 600 }}>{t('paymentMethod')}</legend>
            <div className="k-radio-list">
              {methods.map((m) => (
                <label key={m}>
                  <input type="radio" name="paymentMethod" value={m} checked={method === m} onChange={() => void changeMethod(m)} />
                  {methodLabel(i18n, m)}
                </label>
              ))}
            </div>
            {fieldMessage(problem, 'paymentMethod') ? (
              <span className="k-field-error" role="alert" data-testid="error-paymentMethod">
                {fieldMessage(problem, 'paymentMethod')}
              </span>
            ) : null}
          </fieldset>
          <ProblemAlert problem={problem} fields={['paymentMethod']} />
          <div className="k-actions">
            <Button variant="secondary" onClick={() => setStep(0)}>
              {t('back')}
            </Button>
            <Button onClick={() => void pay()} busy={busy}>
              {t({ ja: '{amount}を支払う（注文を確定）', en: 'Pay {amount} (place the order)' }, { amount: yen(quote.amount.total) })}
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 2 && order ? (
        <Card title={steps[2]} testId="spot-done" focus>
          <Alert kind="success" testId="spot-done-message">
            {t({ ja: 'スポット追加注文の手続きが完了しました。', en: 'Your spot order is complete.' })}
          </Alert>
          <Facts
            items={[
              [t({ ja: '追加アカウント数', en: 'Accounts added' }), String(Number(seats))],
              [t({ ja: 'スポット契約期間', en: 'Spot period' }), <span data-testid="done-period">{period(order.period.start, order.period.end)}</span>],
              [t({ ja: 'ご請求金額', en: 'Amount billed' }), <span data-testid="done-total">{yen(order.amount.total)}</span>],
              [t('paymentMethod'), methodLabel(i18n, order.paymentMethod)],
              ...(order.dueOn ? ([[t({ ja: 'お支払期限', en: 'Payment due' }), i18n.date(order.dueOn)]] as Array<[string, string]>) : []),
            ]}
          />
          <div className="k-actions">
            <Button onClick={() => navigate('/portal')}>{t({ ja: '契約情報へ', en: 'To contract information' })}</Button>
          </div>
        </Card>
      ) : null}
    </div>
  );
}
