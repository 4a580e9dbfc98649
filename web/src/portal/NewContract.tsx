/**
 * A new contract from the portal (API.md `new-contract`) for an account without a paid contract:
 * settings → payment procedure (the quote as the API computed it, the payment method) → completed,
 * placed and paid like the other orders (`useOrderSteps`, `PaymentStep`, `OrderDone`).
 *
 * The settings follow the catalog: the plan; the term where the plan is sold for several
 * (ebook5: 1, 3, 6, 12 months); how many accounts where the plan is sold in licenses (teamspace
 * Starter: in steps of 100, one license first); whether the contract renews or returns to the free
 * plan where the product lets the customer choose (teamspace; the catalog's default first); the
 * payment methods the catalog allows for the plan on that term (B7: invoice payment only on
 * Business 10 or higher for 12 months). The contract starts today: there is no date to choose.
 *
 * Used by its own screen (`/portal/new-contract`: teamspace, ebook5) and by premium settings on the
 * free plan (reference 001: after the validity ends, "apply for a plan again"; SPEC P2).
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { fieldMessage, toProblem } from '../shared/api.js';
import type { I18n } from '../shared/i18n.js';
import { useI18n } from '../shared/i18n.js';
import { Button, Card, Facts, Field, ProblemAlert, Steps } from '../shared/ui.js';
import { formProblem, readableProblem } from '../shared/validate.js';
import { usePortal } from './PortalApp.js';
import type { CatalogPlan, CatalogProduct } from './types.js';
import { OrderDone, PaymentStep, useOrderSteps } from './checkout.js';
import { checkSeats, featureLabel, limitLabel, limitValue, methodLabel, seatsText, termLabel } from './parts.js';

/** The settings' fields: a refusal naming one of them on the payment step goes back to the settings, under it. */
const SETTINGS_FIELDS = ['planId', 'term', 'quantity', 'renewal', 'startDate'] as const;
/** The fields the settings show a message under (the start date has none: it is today). */
const SHOWN_FIELDS = ['planId', 'term', 'quantity', 'renewal', 'paymentMethod'] as const;

/**
 * Whether the portal takes a new contract for the product on its own screen: every product with a
 * paid plan, except those whose plans expire to the free plan (premium), applied for again on the
 * premium settings page.
 */
export function newContractOffered(product: CatalogProduct): boolean {
  return product.renewal.mode !== 'expire-to-free' && product.plans.some((p) => !p.free);
}

/** The payment methods the catalog allows for a plan on a term (B7). */
function methodsFor(plan: CatalogPlan | undefined, term: string): string[] {
  return (plan?.paymentMethods ?? []).filter((m) => !m.terms || m.terms.includes(term)).map((m) => m.method);
}

/** The method kept when the plan or term changes: the one chosen if still allowed, else card, else the first. */
function keep(methods: string[], current: string): string {
  return methods.includes(current) ? current : methods.includes('card') ? 'card' : (methods[0] ?? 'card');
}

/**
 * Under the payment method: the methods of the product that this plan and term do not offer, and
 * where they are offered ("Invoice payment can be chosen only for Business 10 or Business 30 on a
 * term of 12 months."), from the catalog. Null when every method is offered.
 */
function restrictedMethods(i18n: I18n, product: CatalogProduct, plan: CatalogPlan | undefined, term: string): string | null {
  const { t, lang } = i18n;
  const allowed = methodsFor(plan, term);
  const paid = product.plans.filter((p) => !p.free).sort((a, b) => a.rank - b.rank);
  const all = [...new Set(paid.flatMap((p) => p.paymentMethods.map((m) => m.method)))];
  const or = lang === 'ja' ? '・' : ' or ';
  const texts = all
    .filter((m) => !allowed.includes(m))
    .map((m) => {
      const rules = paid.flatMap((p) => p.paymentMethods.filter((r) => r.method === m).map((r) => ({ plan: p, terms: r.terms ?? null })));
      const plans = [...new Set(rules.map((r) => r.plan.name))].join(or);
      const terms = rules.every((r) => r.terms === null) ? null : [...new Set(rules.flatMap((r) => r.terms ?? r.plan.terms))].map((tm) => termLabel(i18n, tm)).join(or);
      const method = methodLabel(i18n, m);
      return terms
        ? t({ ja: '{method}は{plans}の{terms}契約でのみお選びいただけます。', en: '{method} can be chosen only for {plans} on a term of {terms}.' }, { method, plans, terms })
        : t({ ja: '{method}は{plans}でのみお選びいただけます。', en: '{method} can be chosen only for {plans}.' }, { method, plans });
    });
  return texts.length ? texts.join(lang === 'ja' ? '' : ' ') : null;
}

/** A plan in the plan list: its name and limits (a licensed limit in its steps), features. */
function planOption(i18n: I18n, p: CatalogPlan): string {
  const limits = Object.entries(p.limits).map(([k, v]) =>
    p.license?.limit === k ? i18n.t({ ja: '1ライセンス{size}アカウント', en: '{size} accounts per license' }, { size: p.license.size.toLocaleString('en-US') }) : `${limitLabel(i18n, k)} ${limitValue(i18n, k, v)}`,
  );
  return `${p.name} — ${[...limits, ...p.features.map((f) => featureLabel(i18n, f))].join(', ')}`;
}

/**
 * `onPlaced`: the order is placed (the page keeps this form, now its completion, on screen while the
 * state reloads). `standalone`: on its own screen, whose title already says what it is (the settings
 * card is then titled by its step, like the other orders' screens).
 */
export function NewContract(props: { onPlaced?(): void; standalone?: boolean }) {
  const i18n = useI18n();
  const { t, date, period } = i18n;
  const { accountId, state, product } = usePortal();
  const plans = product.plans.filter((p) => !p.free).sort((a, b) => a.rank - b.rank);
  const [planId, setPlanId] = useState(plans[0]?.id ?? '');
  const plan = plans.find((p) => p.id === planId);
  const [term, setTerm] = useState(plan?.terms[0] ?? 'P1Y');
  const size = plan?.license?.size ?? null;
  const [seats, setSeats] = useState(size ? String(size) : '');
  const mode = product.renewal.mode;
  // Renew or return to the free plan: asked where the product lets the customer choose (teamspace).
  const asksRenewal = mode === 'renew-or-free';
  const [renewal, setRenewal] = useState(product.renewal.default === 'to-free' ? 'to-free' : 'renew');
  const methods = methodsFor(plan, term);
  const today = state.date;
  // Premium's plans are valid for a year (SPEC P1); the others run for a contract period.
  const periodLabel = mode === 'expire-to-free' ? { ja: '有効期間', en: 'Validity' } : { ja: '契約期間', en: 'Contract period' };

  /** What to enter or choose, field by field (the form's own checks, and the API's invalid_request). */
  const texts: Record<string, string> = {
    planId: t({ ja: 'プランを選んでください。', en: 'Choose a plan.' }),
    term: t({ ja: '契約単位を選んでください。', en: 'Choose a contract term.' }),
    quantity: seatsText(i18n, size ?? 1),
    renewal: t({ ja: '契約期間の終了後について選んでください。', en: 'Choose what happens at the end of the term.' }),
    paymentMethod: t({ ja: 'お支払い方法を選んでください。', en: 'Choose a payment method.' }),
  };

  const flow = useOrderSteps({
    body: (m) => ({
      type: 'new-contract',
      accountId,
      planId,
      term,
      // The contract starts today: the order placed is the one quoted.
      startDate: today,
      ...(size ? { quantity: Number(seats.trim()) } : {}),
      paymentMethod: m,
      ...(asksRenewal ? { renewal } : {}),
    }),
    check: () => formProblem({ quantity: size ? checkSeats(i18n, seats, size, { adding: false }) : undefined }, i18n),
    readable: (err) => readableProblem(toProblem(err), texts, i18n),
    settingsFields: SETTINGS_FIELDS,
    initialMethod: keep(methods, 'card'),
    placed: () => props.onPlaced?.(),
  });
  const { step, problem, busy, form, order } = flow;

  function choosePlan(id: string) {
    const next = plans.find((p) => p.id === id);
    const nextTerm = next && !next.terms.includes(term) ? (next.terms[0] ?? term) : term;
    setPlanId(id);
    setTerm(nextTerm);
    if (next?.license) setSeats(String(next.license.size));
    flow.chooseMethod(keep(methodsFor(next, nextTerm), flow.method));
  }
  function chooseTerm(tm: string) {
    setTerm(tm);
    flow.chooseMethod(keep(methodsFor(plan, tm), flow.method));
  }

  const renewLabel = mode === 'renew-same-term' ? t({ ja: '同じ契約期間で自動更新する', en: 'Renew automatically for the same term' }) : t({ ja: '自動更新する', en: 'Renew automatically' });
  const afterText =
    mode === 'expire-to-free'
      ? t({ ja: 'フリープランに戻る（自動更新なし）', en: 'Returns to the free plan (no automatic renewal)' })
      : asksRenewal && renewal === 'to-free'
        ? t({ ja: 'フリープランに戻る（自動更新なし）', en: 'Returns to the free plan (no automatic renewal)' })
        : mode === 'renew-same-term'
          ? t({ ja: '同じ契約期間で自動更新', en: 'Renews automatically for the same term' })
          : t({ ja: '自動更新', en: 'Renews automatically' });
  // What was chosen, on the payment step and the completion.
  const chosen: Array<[string, ReactNode]> = [
    [t('plan'), <span data-testid="chosen-plan">{plan?.name ?? ''}</span>],
    ...(size ? ([[t({ ja: 'アカウント数', en: 'Accounts' }), <span data-testid="chosen-seats">{limitValue(i18n, 'seats', Number(seats))}</span>]] as Array<[string, ReactNode]>) : []),
    [t({ ja: '契約単位', en: 'Contract term' }), termLabel(i18n, term)],
    [t({ ja: '期間終了後', en: 'After the period' }), <span data-testid="chosen-renewal">{afterText}</span>],
  ];

  const steps = [t({ ja: '設定', en: 'Settings' }), t({ ja: 'お支払い手続き', en: 'Payment procedure' }), t({ ja: '手続き完了', en: 'Procedure completed' })];
  const renewalError = fieldMessage(problem, 'renewal');
  const restricted = restrictedMethods(i18n, product, plan, term);
  return (
    <div data-testid="new-contract-flow">
      <Steps steps={steps} current={step} />
      {step === 0 ? (
        <Card title={props.standalone ? steps[0] : t({ ja: '有料プランのお申し込み', en: 'Apply for a paid plan' })} testId="new-contract">
          <form
            ref={form}
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void flow.toPayment();
            }}
          >
            <Field label={t('plan')} name="planId" problem={problem}>
              {({ id, describedBy, invalid }) => (
                // As wide as its plans read (limits and features), at least as the other fields, at most the card.
                <select
                  id={id}
                  value={planId}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  onChange={(e) => choosePlan(e.target.value)}
                  style={{ width: 'auto', alignSelf: 'flex-start', minWidth: 'min(24rem, 100%)', maxWidth: '100%' }}
                >
                  {plans.map((p) => (
                    <option key={p.id} value={p.id}>
                      {planOption(i18n, p)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {plan && plan.terms.length > 1 ? (
              <Field label={t({ ja: '契約単位', en: 'Contract term' })} name="term" problem={problem} hint={t({ ja: '契約期間ごとに前払いでご請求します。', en: 'Each term is billed in advance.' })}>
                {({ id, describedBy, invalid }) => (
                  <select id={id} value={term} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => chooseTerm(e.target.value)}>
                    {plan.terms.map((tm) => (
                      <option key={tm} value={tm}>
                        {termLabel(i18n, tm)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            {size ? (
              <Field
                label={t({ ja: 'アカウント数', en: 'Number of accounts' })}
                name="quantity"
                problem={problem}
                hint={t({ ja: '{size}アカウント単位（1ライセンス = {size}アカウント）', en: 'In steps of {size} accounts (1 license = {size} accounts)' }, { size: size.toLocaleString('en-US') })}
              >
                {({ id, describedBy, invalid }) => (
                  <input id={id} type="number" inputMode="numeric" min={size} step={size} value={seats} onChange={(e) => setSeats(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
                )}
              </Field>
            ) : null}
            {asksRenewal ? (
              <fieldset className="k-field" style={{ border: 0, padding: 0 }} data-field="renewal" data-testid="new-contract-renewal">
                <legend style={{ fontWeight: 600 }}>{t({ ja: '契約期間の終了後', en: 'At the end of the term' })}</legend>
                <div className="k-radio-list">
                  <label>
                    <input type="radio" name="renewal" value="renew" checked={renewal === 'renew'} onChange={() => setRenewal('renew')} aria-invalid={!!renewalError} />
                    {renewLabel}
                  </label>
                  <label>
                    <input type="radio" name="renewal" value="to-free" checked={renewal === 'to-free'} onChange={() => setRenewal('to-free')} aria-invalid={!!renewalError} />
                    {t({ ja: 'フリープランに戻る', en: 'Return to the free plan' })}
                  </label>
                </div>
                <span className="k-hint">{t({ ja: 'ご契約後も、契約情報の画面で変更できます。', en: 'You can change this later on Contract information.' })}</span>
                {renewalError ? (
                  <span className="k-field-error" role="alert" data-testid="error-renewal">
                    {renewalError}
                  </span>
                ) : null}
              </fieldset>
            ) : null}
            <Field label={t('paymentMethod')} name="paymentMethod" problem={problem} {...(restricted ? { hint: restricted } : {})}>
              {({ id, describedBy, invalid }) => (
                <select id={id} value={flow.method} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => flow.chooseMethod(e.target.value)}>
                  {methods.map((m) => (
                    <option key={m} value={m}>
                      {methodLabel(i18n, m)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Facts
              testId="new-contract-facts"
              items={[
                ...(plan && plan.terms.length === 1 ? ([[t({ ja: '契約単位', en: 'Contract term' }), termLabel(i18n, plan.terms[0]!)]] as Array<[string, ReactNode]>) : []),
                [t({ ja: '開始日', en: 'Start date' }), <span data-testid="new-contract-start">{t({ ja: '本日（{today}）', en: 'Today ({today})' }, { today: date(today) })}</span>],
                ...(mode === 'renew-same-term' ? ([[t({ ja: '期間終了後', en: 'After the period' }), afterText]] as Array<[string, ReactNode]>) : []),
              ]}
            />
            <ProblemAlert problem={problem} fields={SHOWN_FIELDS} />
            <div className="k-actions">
              <Button type="submit" busy={busy}>
                {t({ ja: '内容を確認する', en: 'Review' })}
              </Button>
            </div>
          </form>
        </Card>
      ) : null}

      {step === 1 ? <PaymentStep flow={flow} title={steps[1]!} testId="new-contract-quote" periodLabel={periodLabel} methods={methods} items={chosen} /> : null}

      {step === 2 && order ? (
        <OrderDone
          flow={flow}
          title={steps[2]!}
          testId="new-contract-done"
          message={
            mode === 'expire-to-free'
              ? t({ ja: '{plan}のお申し込みが完了しました。有効期間は{period}です。', en: 'You are on {plan}, valid {period}.' }, { plan: plan?.name ?? '', period: period(order.period.start, order.period.end) })
              : t({ ja: '{plan}のお申し込みが完了しました。契約期間は{period}です。', en: 'You are on {plan}, contract period {period}.' }, { plan: plan?.name ?? '', period: period(order.period.start, order.period.end) })
          }
          items={chosen}
          periodLabel={periodLabel}
        />
      ) : null}
    </div>
  );
}
