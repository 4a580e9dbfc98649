/**
 * Add spot order (reference 000, SPEC S10): settings (accounts to add, start date, duration,
 * "I agree to the Terms of Use") → payment procedure (contents, payment method) → completed.
 * The form checks what was typed (a whole number of accounts in the plan's steps, a real date)
 * and says what to enter; every rule beyond that is the API's: the settings are previewed, and a
 * refusal is shown at its field.
 */
import { useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { ApiProblem, fieldMessage, problemHasField, toProblem } from '../shared/api.js';
import { Alert, Button, Card, Facts, Field, ProblemAlert, Steps } from '../shared/ui.js';
import type { I18n } from '../shared/i18n.js';
import { checkWhole, focusFirstInvalid, formProblem, isRealDate, readableProblem } from '../shared/validate.js';
import { usePortal } from './PortalApp.js';
import type { Quote } from './types.js';
import { CheckoutDone, placeLabel, useCheckout } from './checkout.js';
import { QuoteView, methodLabel } from './parts.js';

const SETTINGS_FIELDS = ['seats', 'startDate', 'months', 'agreeToTerms', 'type'] as const;
/** The API takes at most this many accounts in one order. */
const MAX_SEATS = 1_000_000;

/** The form's words for each field: what to enter (shown for its own checks and for the API's invalid_request). */
function fieldTexts(i18n: I18n, size: number): Record<string, string> {
  const { t } = i18n;
  const n = (v: number) => v.toLocaleString('en-US');
  return {
    seats: t({ ja: '{size}以上の整数でアカウント数を入力してください（{size}アカウント単位）。', en: 'Enter a whole number of accounts, {size} or more (in steps of {size}).' }, { size: n(size) }),
    startDate: t({ ja: '開始日を正しい日付で入力してください（例: 2026年12月1日）。', en: 'Enter the start date as a real date (for example December 1, 2026).' }),
    months: t({ ja: 'スポット追加期間を選んでください。', en: 'Choose the duration.' }),
    agreeToTerms: termsText(i18n),
    paymentMethod: t({ ja: 'お支払い方法を選んでください。', en: 'Choose a payment method.' }),
  };
}

/** The Terms of Use refusal in the portal's words (the API's English one names its JSON field). */
function termsText(i18n: I18n): string {
  return i18n.t({
    ja: 'スポット契約の申し込みには利用規約への同意が必要です。「利用規約に同意する」にチェックを入れてください。',
    en: 'To place a spot order, agree to the Terms of Use: tick “I agree to the Terms of Use”.',
  });
}

export function SpotOrder() {
  const i18n = useI18n();
  const { t, yen, period } = i18n;
  const { api, accountId, state, product, refresh } = usePortal();
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
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const agreeId = useId();
  const form = useRef<HTMLFormElement>(null);
  const checkout = useCheckout();
  const order = checkout.result?.order ?? null;

  const body = (m: string) => ({ type: 'spot', accountId, seats: Number(seats.trim()), startDate: startDate.trim(), months: Number(months), agreeToTerms: agree, paymentMethod: m });

  /** The API's refusal in the portal's words: its validation text and the Terms of Use refusal are replaced by the form's own. */
  function readable(err: unknown): Problem {
    const p = readableProblem(toProblem(err), fieldTexts(i18n, size), i18n);
    if (p.code !== 'terms_not_accepted') return p;
    const text = termsText(i18n);
    return { ...p, detail: text, errors: [{ path: 'agreeToTerms', message: text }] };
  }

  /** The settings' own checks: accounts, start date, duration. The Terms of Use box is the API's to refuse. */
  function check(): Problem | null {
    const texts = fieldTexts(i18n, size);
    const seatIssue = checkWhole(seats, { min: size, max: MAX_SEATS, step: size });
    const monthsIssue = checkWhole(months, { min: 1, max: 24 });
    return formProblem(
      {
        seats:
          seatIssue === 'empty'
            ? t({ ja: '追加するアカウント数を入力してください（{size}アカウント単位）。', en: 'Enter the number of accounts to add (in steps of {size}).' }, { size: size.toLocaleString('en-US') })
            : seatIssue === 'notStep'
              ? t({ ja: 'アカウント数は{size}単位（{size}、{twice}、…）で入力してください。', en: 'Enter the accounts in steps of {size} ({size}, {twice}, …).' }, { size: size.toLocaleString('en-US'), twice: (size * 2).toLocaleString('en-US') })
              : seatIssue === 'tooBig'
                ? t({ ja: 'アカウント数は{max}以下で入力してください。', en: 'Enter {max} accounts or fewer.' }, { max: MAX_SEATS.toLocaleString('en-US') })
                : seatIssue
                  ? texts.seats
                  : undefined,
        startDate: startDate.trim() === '' ? t({ ja: '開始日を入力してください。', en: 'Enter the start date.' }) : isRealDate(startDate) ? undefined : texts.startDate,
        months: monthsIssue ? texts.months : undefined,
      },
      i18n,
    );
  }

  async function toPayment() {
    const own = check();
    setProblem(own);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      setQuote(await api.post<Quote>('/v1/orders/preview', body(method)));
      setStep(1);
    } catch (err) {
      setProblem(readable(err));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }
  /** A refusal on the payment step: one about the settings (a start date now past) goes back to them, under its field. */
  function refusedOnPayment(err: unknown) {
    const p = readable(err);
    setProblem(p);
    if (problemHasField(p, ['seats', 'startDate', 'months', 'agreeToTerms'])) setStep(0);
  }
  async function changeMethod(m: string) {
    setMethod(m);
    setProblem(null);
    try {
      setQuote(await api.post<Quote>('/v1/orders/preview', body(m)));
    } catch (err) {
      refusedOnPayment(err);
    }
  }
  async function pay() {
    setProblem(null);
    const placed = await checkout.place(body(method));
    if (!placed) return;
    if ('refused' in placed) return refusedOnPayment(new ApiProblem(placed.refused));
    setStep(2);
    void refresh();
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
            ref={form}
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
                <input
                  id={agreeId}
                  type="checkbox"
                  checked={agree}
                  onChange={(e) => setAgree(e.target.checked)}
                  aria-describedby={fieldMessage(problem, 'agreeToTerms') ? `${agreeId}-error` : undefined}
                  aria-invalid={fieldMessage(problem, 'agreeToTerms') ? true : undefined}
                />
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
            <Button onClick={() => void pay()} busy={busy || checkout.busy} data-testid="place-order">
              {placeLabel(i18n, method, quote.amount.total, { placing: true })}
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
              ...(order.dueOn && checkout.result?.payment.status !== 'paid' ? ([[t({ ja: 'お支払期限', en: 'Payment due' }), <span data-testid="payment-due">{i18n.date(order.dueOn)}</span>]] as Array<[string, ReactNode]>) : []),
            ]}
          />
          <CheckoutDone checkout={checkout} details={false} />
        </Card>
      ) : null}
    </div>
  );
}
