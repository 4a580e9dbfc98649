/**
 * License addition (SPEC S6): settings (accounts to add, the date the licenses take effect) →
 * payment procedure (the quote: the remaining months of the main term, tax, period, the seat
 * limit it raises; payment method) → completed, paid like a spot order (checkout.tsx). The form
 * checks what was typed (whole licenses in the plan's steps, a real date) and says what to enter;
 * every rule beyond that is the API's: the settings are previewed, and a refusal is shown at its
 * field.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import type { I18n } from '../shared/i18n.js';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Card, Field, ProblemAlert, Steps } from '../shared/ui.js';
import { formProblem, isRealDate, readableProblem } from '../shared/validate.js';
import { usePortal } from './PortalApp.js';
import { OrderDone, PaymentStep, useOrderSteps } from './checkout.js';
import { checkSeats, limitValue, seatsText } from './parts.js';

const SETTINGS_FIELDS = ['seats', 'effectiveDate'] as const;
const PERIOD_LABEL = { ja: 'ご請求の対象期間', en: 'Period billed' };

/** The form's words for each field: what to enter (shown for its own checks and for the API's invalid_request). */
function fieldTexts(i18n: I18n, size: number): Record<string, string> {
  const { t } = i18n;
  return {
    seats: seatsText(i18n, size),
    effectiveDate: t({ ja: 'ライセンスの追加日を正しい日付で入力してください（例: 2026年12月1日）。', en: 'Enter the effective date as a real date (for example December 1, 2026).' }),
    paymentMethod: t({ ja: 'お支払い方法を選んでください。', en: 'Choose a payment method.' }),
  };
}

export function LicenseAddition() {
  const i18n = useI18n();
  const { t, date, period } = i18n;
  const { accountId, state, product, navigate } = usePortal();
  const plan = product.plans.find((p) => p.id === state.plan?.id);
  const size = plan?.license?.size ?? 100;
  const contract = state.contract;

  const [seats, setSeats] = useState(String(size));
  const [effectiveDate, setEffectiveDate] = useState(state.date);

  /**
   * The API's refusal in the portal's words. Its validation text is replaced by the form's own; a
   * date after the end of the contract period (`effective_after_term_end`) is said with the end as
   * the portal writes dates.
   */
  function readable(err: unknown): Problem {
    const p = readableProblem(toProblem(err), fieldTexts(i18n, size), i18n);
    if (p.code !== 'effective_after_term_end' || !contract) return p;
    const text = t(
      { ja: 'ライセンスの追加日は、契約期間の終了日（{end}）までの日付を指定してください。', en: 'Choose an effective date no later than the end of the contract period ({end}).' },
      { end: date(contract.end) },
    );
    return { ...p, detail: text, errors: [{ path: 'effectiveDate', message: text }] };
  }

  /** The settings' own checks: accounts in the plan's steps, a real date. Whether the date fits the term is the API's to say. */
  function check(): Problem | null {
    return formProblem(
      {
        seats: checkSeats(i18n, seats, size),
        effectiveDate:
          effectiveDate.trim() === '' ? t({ ja: 'ライセンスの追加日を入力してください。', en: 'Enter the effective date.' }) : isRealDate(effectiveDate) ? undefined : fieldTexts(i18n, size).effectiveDate,
      },
      i18n,
    );
  }

  const flow = useOrderSteps({
    body: (m) => ({ type: 'license-addition', accountId, seats: Number(seats.trim()), effectiveDate: effectiveDate.trim(), paymentMethod: m }),
    check,
    readable,
    settingsFields: SETTINGS_FIELDS,
  });
  const { step, problem, busy, form, order } = flow;

  const steps = [t({ ja: '設定', en: 'Settings' }), t({ ja: 'お支払い手続き', en: 'Payment procedure' }), t({ ja: '手続き完了', en: 'Procedure completed' })];
  if (!contract) {
    return (
      <Alert kind="info" testId="licenses-unavailable">
        {t({ ja: 'ライセンス追加は有料プランのご契約期間中にご利用いただけます。', en: 'License additions are available during a paid plan’s contract period.' })}
      </Alert>
    );
  }
  const limit = order?.effects.find((e) => e.code === 'limit_changed' && e.limit === 'seats');
  return (
    <div data-testid="license-addition">
      <Steps steps={steps} current={step} />
      {step === 0 ? (
        <Card title={steps[0]} testId="license-settings">
          <p data-testid="license-vs-spot">
            {t({ ja: 'ライセンス追加は、契約が終わるまでアカウント数の上限を恒久的に増やします。', en: 'A license addition raises your seat limit for good, until the contract ends. ' })}
            <a
              href="/portal/spot"
              onClick={(e) => {
                e.preventDefault();
                navigate('/portal/spot');
              }}
            >
              {t({ ja: 'スポット追加', en: 'A spot order' })}
            </a>
            {t({ ja: 'は、決まった期間だけ一時的に増やします。', en: ' adds seats for a set period only.' })}
          </p>
          <p className="k-muted">
            {t(
              {
                ja: '主契約 {plan}（{period}）にライセンスを追加します。ご請求額は「ライセンス月額 × ライセンス数 × 契約期間の残りの月数」です（始まった月も1か月と数えます）。',
                en: 'Adds licenses to your main contract {plan} ({period}). The amount is the monthly license price × licenses × the months left in the term (a month already started counts whole).',
              },
              { plan: state.plan?.name ?? '', period: period(contract.start, contract.end) },
            )}
            {i18n.lang === 'ja' ? '' : ' '}
            {contract.renewal === 'renew'
              ? t({ ja: '追加したライセンスは契約の更新後も引き継がれ、更新時のご請求に含まれます。', en: 'When the contract renews, the licenses added are carried into it and billed with the renewal.' })
              : t({ ja: 'フリープランに戻る設定のため、追加したライセンスは契約期間の終了日まで有効です。', en: 'As the contract returns to the free plan, the licenses added end with the contract period.' })}
          </p>
          <form
            ref={form}
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void flow.toPayment();
            }}
          >
            <Field
              label={t({ ja: '追加するアカウント数', en: 'Accounts to add' })}
              name="seats"
              problem={problem}
              hint={t({ ja: '{size}アカウント単位（1ライセンス = {size}アカウント）', en: 'In steps of {size} accounts (1 license = {size} accounts)' }, { size })}
            >
              {({ id, describedBy, invalid }) => (
                <input id={id} type="number" inputMode="numeric" min={size} step={size} value={seats} onChange={(e) => setSeats(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
              )}
            </Field>
            <Field
              label={t({ ja: 'ライセンス追加日', en: 'Effective date' })}
              name="effectiveDate"
              problem={problem}
              hint={t({ ja: '本日（{today}）から契約期間の終了日（{end}）まで', en: 'From today ({today}) to the end of the contract period ({end})' }, { today: date(state.date), end: date(contract.end) })}
            >
              {({ id, describedBy, invalid }) => (
                <input id={id} type="date" min={state.date} max={contract.end} value={effectiveDate} onChange={(e) => setEffectiveDate(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
              )}
            </Field>
            <ProblemAlert problem={problem} fields={SETTINGS_FIELDS} />
            <div className="k-actions">
              <Button type="submit" busy={busy}>
                {t({ ja: 'お支払い手続きへ', en: 'Go to payment procedure' })}
              </Button>
            </div>
          </form>
        </Card>
      ) : null}

      {step === 1 ? <PaymentStep flow={flow} title={steps[1]!} testId="license-payment" periodLabel={PERIOD_LABEL} /> : null}

      {step === 2 ? (
        <OrderDone
          flow={flow}
          title={steps[2]!}
          testId="license-done"
          message={t({ ja: 'ライセンス追加の手続きが完了しました。', en: 'Your license addition is complete.' })}
          items={[
            [t({ ja: '追加アカウント数', en: 'Accounts added' }), limitValue(i18n, 'seats', Number(seats))],
            ...(limit
              ? ([
                  [
                    t({ ja: 'アカウント数の上限', en: 'Seat limit' }),
                    <span data-testid="done-limit">
                      {limitValue(i18n, 'seats', Number(limit.from))} → {limitValue(i18n, 'seats', Number(limit.to))}
                      {order && order.period.start > state.date ? t({ ja: '（{date}から）', en: ' (from {date})' }, { date: date(order.period.start) }) : null}
                    </span>,
                  ],
                ] as Array<[string, ReactNode]>)
              : []),
          ]}
          periodLabel={PERIOD_LABEL}
        />
      ) : null}
    </div>
  );
}
