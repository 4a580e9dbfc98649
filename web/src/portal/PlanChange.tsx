/**
 * Plan change application (reference 004, SPEC B1–B10): plan, term and payment method in one
 * order → the billing statement (bank transfer, card, PayPal) or the quotation PDF (invoice
 * payment) → accept → completed, with the re-upload notice where B10 applies.
 */
import { useAction } from '../shared/use-action.js';
import { useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Card, Facts, Field, ProblemAlert, Steps } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Order, Quote } from './types.js';
import { PdfButton, QuoteView, featureLabel, limitLabel, limitValue, methodLabel, termLabel } from './parts.js';
import { formProblem, readableProblem } from '../shared/validate.js';

const FIELDS = ['planId', 'term', 'paymentMethod'] as const;

export function PlanChange() {
  const i18n = useI18n();
  const { t, yen, date, period, lang } = i18n;
  const { api, accountId, state, product, refresh, navigate } = usePortal();
  const plans = product.plans.filter((p) => !p.free).sort((a, b) => a.rank - b.rank);
  const allTerms = [...new Set(plans.flatMap((p) => p.terms))];
  const allMethods = [...new Set(plans.flatMap((p) => p.paymentMethods.map((m) => m.method)))];

  const [planId, setPlanId] = useState(state.plan?.id ?? plans[0]?.id ?? '');
  const [term, setTerm] = useState(state.contract?.term ?? allTerms[0] ?? 'P1M');
  const [method, setMethod] = useState(state.contract?.paymentMethod ?? 'card');
  const [step, setStep] = useState<0 | 1 | 2 | 3>(0);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  // What to choose, field by field: for an empty choice and for the API's invalid_request.
  const texts = {
    planId: t({ ja: 'プランを選んでください。', en: 'Choose a plan.' }),
    term: t({ ja: '契約期間を選んでください。', en: 'Choose a contract term.' }),
    paymentMethod: t({ ja: 'お支払い方法を選んでください。', en: 'Choose a payment method.' }),
  };
  const { busy, problem, run, fail } = useAction((p) => readableProblem(p, texts, i18n));
  const body = { type: 'plan-change', accountId, planId, term, paymentMethod: method };

  const preview = () => {
    const own = formProblem({ planId: planId ? undefined : texts.planId, term: term ? undefined : texts.term, paymentMethod: method ? undefined : texts.paymentMethod }, i18n);
    if (own) return fail(own);
    return run(async () => {
      setQuote(await api.post<Quote>('/v1/orders/preview', body));
      setStep(1);
    });
  };
  const apply = () =>
    run(async () => {
      setOrder(await api.post<Order>('/v1/orders', body));
      setStep(2);
    });
  const accept = () =>
    run(async () => {
      if (!order) return;
      setOrder(await api.post<Order>(`/v1/orders/${order.id}/accept`, {}));
      setStep(3);
      await refresh();
    });

  const steps = [t({ ja: '申し込み内容', en: 'Application' }), t({ ja: '確認', en: 'Review' }), t({ ja: '明細書・見積書の承諾', en: 'Accept the statement or quotation' }), t({ ja: '変更完了', en: 'Completed' })];
  if (!state.contract) {
    return <Alert kind="info">{t({ ja: '変更できるご契約がありません。', en: 'There is no contract to change.' })}</Alert>;
  }
  const reupload = (order ?? quote)?.warnings.find((w) => w.code === 'reupload_required');
  const quotation = order?.acceptance === 'quotation';
  return (
    <div data-testid="plan-change">
      <Steps steps={steps} current={step} />
      {step === 0 ? (
        <Card title={t({ ja: 'アップグレードを申し込む', en: 'Apply for an upgrade' })} testId="plan-change-form">
          <p className="k-muted">
            {t({
              ja: '現在のご契約: {plan}・{term}・{method}（{period}）。契約期間の変更やダウングレードもこちらからお申し込みいただけます。新しいプランの上限はお手続き完了時から使え、料金はお申し込みの翌月1日からの契約期間分を請求します（現在の期間の返金・精算はありません）。',
              en: 'Current contract: {plan}, {term}, {method} ({period}). Term changes and downgrades are applied for here too. The new limits apply once the procedure is complete; the new plan is billed from the 1st of next month (no refund or settlement of the current term).',
            }, { plan: state.plan?.name ?? '', term: termLabel(i18n, state.contract.term), method: methodLabel(i18n, state.contract.paymentMethod), period: period(state.contract.start, state.contract.end) })}
          </p>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void preview();
            }}
          >
            <Field label={t('plan')} name="planId" problem={problem}>
              {({ id, describedBy, invalid }) => (
                <select id={id} value={planId} onChange={(e) => setPlanId(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid}>
                  {plans.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                      {' — '}
                      {Object.entries(p.limits)
                        .map(([k, v]) => `${limitLabel(i18n, k)} ${limitValue(i18n, k, v)}`)
                        .join(', ')}
                      {p.features.length ? `, ${p.features.map((f) => featureLabel(i18n, f)).join(', ')}` : ''}
                      {p.id === state.plan?.id ? ` (${t({ ja: 'ご利用中', en: 'current' })})` : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t({ ja: '契約期間', en: 'Contract term' })} name="term" problem={problem}>
              {({ id, describedBy, invalid }) => (
                <select id={id} value={term} onChange={(e) => setTerm(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid}>
                  {allTerms.map((tm) => (
                    <option key={tm} value={tm}>
                      {termLabel(i18n, tm)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label={t('paymentMethod')}
              name="paymentMethod"
              problem={problem}
              hint={t({ ja: '請求書払いは Business 10 以上・12か月契約のみご利用いただけます。', en: 'Invoice payment is for Business 10 or higher on a 12-month term only.' })}
            >
              {({ id, describedBy, invalid }) => (
                <select id={id} value={method} onChange={(e) => setMethod(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid}>
                  {allMethods.map((m) => (
                    <option key={m} value={m}>
                      {methodLabel(i18n, m)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <ProblemAlert problem={problem} fields={FIELDS} />
            <div className="k-actions">
              <Button type="submit" busy={busy}>
                {t({ ja: '内容を確認する', en: 'Review' })}
              </Button>
            </div>
          </form>
        </Card>
      ) : null}

      {step === 1 && quote ? (
        <Card title={t({ ja: '変更内容の確認', en: 'Review the change' })} testId="plan-change-review" focus>
          <QuoteView quote={quote} periodLabel={{ ja: '新しい契約期間', en: 'New term' }} />
          <p className="k-muted">
            {quote.acceptance === 'quotation'
              ? t({ ja: 'お申し込み後、見積書（PDF）をお送りします。内容をご承諾いただくと変更が完了します。', en: 'After you apply, you get a quotation (PDF). The change completes when you accept it.' })
              : t({ ja: 'お申し込み後、ご請求明細をお送りします。内容をご承諾いただくと変更が完了します。', en: 'After you apply, you get a billing statement. The change completes when you accept it.' })}
          </p>
          <ProblemAlert problem={problem} />
          <div className="k-actions">
            <Button variant="secondary" onClick={() => setStep(0)}>
              {t('back')}
            </Button>
            <Button onClick={() => void apply()} busy={busy}>
              {t({ ja: '申し込む', en: 'Apply' })}
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 2 && order ? (
        <Card title={quotation ? t({ ja: '見積書', en: 'Quotation' }) : t({ ja: 'ご請求明細', en: 'Billing statement' })} testId="plan-change-statement" focus>
          <Alert kind="info" testId="statement-message">
            {quotation
              ? t({ ja: '見積書を発行しました。内容をご確認のうえ、承諾してください。', en: 'Your quotation is ready. Check it and accept it.' })
              : t({ ja: 'ご請求明細です。内容をご確認のうえ、承諾してください。', en: 'This is your billing statement. Check it and accept it.' })}
          </Alert>
          <QuoteView quote={order} periodLabel={{ ja: '新しい契約期間', en: 'New term' }} />
          {quotation && order.quoteId ? (
            <p>
              {t({ ja: '見積書（PDF）', en: 'Quotation (PDF)' })}{' '}
              <PdfButton api={api} path={`/v1/quotes/${order.quoteId}/pdf${lang === 'en' ? '?lang=en' : ''}`} filename={`quotation-${order.id}.pdf`} label={t({ ja: '見積書PDF', en: 'Quotation PDF' })} />
            </p>
          ) : null}
          <ProblemAlert problem={problem} />
          <div className="k-actions">
            <Button onClick={() => void accept()} busy={busy}>
              {t({ ja: '内容を承諾する', en: 'Accept' })}
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 3 && order ? (
        <Card title={t({ ja: 'プラン変更完了', en: 'Plan change completed' })} testId="plan-change-done" focus>
          <Alert kind="success" testId="plan-change-done-message">
            {t({ ja: 'プラン変更の手続きが完了しました。新しいプランの上限は本日からご利用いただけます。', en: 'Your plan change is complete. The new limits apply from today.' })}
          </Alert>
          {reupload ? (
            <Alert kind="info" testId="reupload-notice">
              {reupload.message}
            </Alert>
          ) : null}
          <Facts
            items={[
              [t({ ja: 'ご請求金額', en: 'Amount billed' }), <span data-testid="done-total">{yen(order.amount.total)}</span>],
              [t({ ja: '新しい契約期間', en: 'New term' }), period(order.period.start, order.period.end)],
              [t('paymentMethod'), methodLabel(i18n, order.paymentMethod)],
              [t({ ja: 'お支払期限', en: 'Payment due' }), <span data-testid="done-due">{date(order.dueOn)}</span>],
            ]}
          />
          {order.invoiceId ? (
            <p>
              {t({ ja: '請求書（PDF）', en: 'Invoice (PDF)' })}{' '}
              <PdfButton api={api} path={`/v1/invoices/${order.invoiceId}/pdf${lang === 'en' ? '?lang=en' : ''}`} filename={`invoice-${order.id}.pdf`} label={t({ ja: '請求書PDF', en: 'Invoice PDF' })} />
            </p>
          ) : null}
          <div className="k-actions">
            <Button onClick={() => navigate('/portal')}>{t({ ja: '契約情報へ', en: 'To contract information' })}</Button>
          </div>
        </Card>
      ) : null}
    </div>
  );
}
