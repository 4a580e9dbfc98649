/**
 * Add spot order (reference 000, SPEC S10): settings (accounts to add, start date, duration,
 * "I agree to the Terms of Use") → payment procedure (contents, payment method) → completed.
 * The form checks what was typed (a whole number of accounts in the plan's steps, a real date)
 * and says what to enter; every rule beyond that is the API's: the settings are previewed, and a
 * refusal is shown at its field.
 */
import { useId, useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { fieldMessage, toProblem } from '../shared/api.js';
import { Alert, Button, Card, Field, ProblemAlert, Steps } from '../shared/ui.js';
import type { I18n } from '../shared/i18n.js';
import { checkWhole, formProblem, isRealDate, readableProblem } from '../shared/validate.js';
import { usePortal } from './PortalApp.js';
import { OrderDone, PaymentStep, useOrderSteps } from './checkout.js';
import { checkSeats, seatsText } from './parts.js';

const SETTINGS_FIELDS = ['seats', 'startDate', 'months', 'agreeToTerms', 'type'] as const;

/** The form's words for each field: what to enter (shown for its own checks and for the API's invalid_request). */
function fieldTexts(i18n: I18n, size: number): Record<string, string> {
  const { t } = i18n;
  return {
    seats: seatsText(i18n, size),
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
  const { t, period } = i18n;
  const { accountId, state, product } = usePortal();
  const plan = product.plans.find((p) => p.id === state.plan?.id);
  const size = plan?.license?.size ?? 100;

  const [seats, setSeats] = useState(String(size));
  const [startDate, setStartDate] = useState(state.date);
  const [months, setMonths] = useState('1');
  const [agree, setAgree] = useState(false);
  const agreeId = useId();

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
    return formProblem(
      {
        seats: checkSeats(i18n, seats, size),
        startDate: startDate.trim() === '' ? t({ ja: '開始日を入力してください。', en: 'Enter the start date.' }) : isRealDate(startDate) ? undefined : texts.startDate,
        months: checkWhole(months, { min: 1, max: 24 }) ? texts.months : undefined,
      },
      i18n,
    );
  }

  const flow = useOrderSteps({
    body: (m) => ({ type: 'spot', accountId, seats: Number(seats.trim()), startDate: startDate.trim(), months: Number(months), agreeToTerms: agree, paymentMethod: m }),
    check,
    readable,
    settingsFields: ['seats', 'startDate', 'months', 'agreeToTerms'],
  });
  const { step, problem, busy, form } = flow;

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
              void flow.toPayment();
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

      {step === 1 ? <PaymentStep flow={flow} title={steps[1]!} testId="spot-payment" periodLabel={{ ja: 'スポット契約期間', en: 'Spot period' }} /> : null}

      {step === 2 ? (
        <OrderDone
          flow={flow}
          title={steps[2]!}
          testId="spot-done"
          message={t({ ja: 'スポット追加注文の手続きが完了しました。', en: 'Your spot order is complete.' })}
          items={[[t({ ja: '追加アカウント数', en: 'Accounts added' }), String(Number(seats))]]}
          periodLabel={{ ja: 'スポット契約期間', en: 'Spot period' }}
        />
      ) : null}
    </div>
  );
}
