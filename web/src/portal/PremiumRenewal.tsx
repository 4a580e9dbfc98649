/**
 * Continuation plan application (reference 001 steps 2–3, SPEC P3): only plans equal to or
 * higher than the current one; choosing one shows "remaining days + 1 year" and the pay button.
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Alert, Button, Card, Facts, ProblemAlert, Table } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { CatalogPlan, Quote } from './types.js';
import { CheckoutDone, placeLabel, useCheckout } from './checkout.js';
import { QuoteView, limitLabel, limitValue } from './parts.js';

export function PremiumRenewal() {
  const i18n = useI18n();
  const { t, yen, date, period } = i18n;
  const { api, accountId, state, product, refresh } = usePortal();
  const [chosen, setChosen] = useState<CatalogPlan | null>(null);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const checkout = useCheckout();
  const order = checkout.result?.order ?? null;
  const win = state.renewalWindow;
  const eligible = new Set((win?.eligiblePlans ?? []).map((p) => (typeof p === 'string' ? p : p.id)));
  const plans = product.plans.filter((p) => eligible.has(p.id)).sort((a, b) => a.rank - b.rank);
  const [prices, setPrices] = useState<Record<string, Quote | Problem>>({});
  const planIds = plans.map((p) => p.id).join(',');
  useEffect(() => {
    if (!planIds) return;
    let live = true;
    // Prices come from the API's preview (tax computed there, SPEC G2), never from the browser.
    void Promise.all(
      planIds.split(',').map(async (planId) => {
        try {
          return [planId, await api.post<Quote>('/v1/orders/preview', { type: 'renewal', accountId, planId })] as const;
        } catch (err) {
          return [planId, toProblem(err)] as const;
        }
      }),
    ).then((entries) => live && setPrices(Object.fromEntries(entries)));
    return () => {
      live = false;
    };
  }, [api, accountId, planIds]);

  async function choose(p: CatalogPlan) {
    setChosen(p);
    setQuote(null);
    setProblem(null);
    try {
      setQuote(await api.post<Quote>('/v1/orders/preview', { type: 'renewal', accountId, planId: p.id }));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  async function pay() {
    if (!chosen) return;
    setProblem(null);
    const placed = await checkout.place({ type: 'renewal', accountId, planId: chosen.id });
    if (!placed) return;
    if ('refused' in placed) return setProblem(placed.refused);
    await refresh();
  }

  if (order && checkout.result) {
    return (
      <Card title={t({ ja: 'お手続き完了', en: 'Procedure completed' })} testId="renewal-done" focus>
        <Alert kind="success" testId="renewal-done-message">
          {t({ ja: '継続のお手続きが完了しました。{plan}を{period}までご利用いただけます。', en: 'Your continuation is complete: {plan} for {period}.' }, { plan: chosen?.name ?? '', period: period(order.period.start, order.period.end) })}
        </Alert>
        <Facts items={[[t({ ja: 'ご請求金額', en: 'Amount billed' }), <span data-testid="done-total">{yen(order.amount.total)}</span>]]} />
        <CheckoutDone checkout={checkout} />
      </Card>
    );
  }
  if (!state.contract || !win?.open) {
    return (
      <Alert kind="info" testId="renewal-closed">
        {win && state.contract
          ? t({
              ja: '継続プランは、残りの有効期間が2か月以内になる{opens}からお申し込みいただけます。それより前の継続はサポートまでお問い合わせください（有効期間は契約日から1年となります）。',
              en: 'The continuation plan opens on {opens}, when 2 months or less of validity remain. To continue earlier, contact support (the validity is then one year from the new contract date).',
            }, { opens: date(win.opens) })
          : t({ ja: '継続できる有料プランのご契約がありません。', en: 'There is no paid plan to continue.' })}
      </Alert>
    );
  }
  return (
    <div data-testid="premium-renewal">
      <p>
        {t({
          ja: '現在の{plan}（{period}）を、同じか上位のプランで継続できます。新しいプランは本日から適用され、有効期間は「残りの日数 + 1年」になります。',
          en: 'Continue your {plan} ({period}) with an equal or higher plan. The new plan applies from today, and the validity becomes “remaining days + 1 year”.',
        }, { plan: state.plan?.name ?? '', period: period(state.contract.start, state.contract.end) })}
      </p>
      <Card title={t({ ja: '継続プランを選ぶ', en: 'Choose the plan to continue with' })}>
        <Table
          testId="renewal-plans"
          rows={plans}
          rowKey={(p) => p.id}
          columns={[
            { header: t('plan'), cell: (p) => p.name + (p.id === state.plan?.id ? ` (${t({ ja: 'ご利用中', en: 'current' })})` : '') },
            { header: limitLabel(i18n, 'connections'), cell: (p) => limitValue(i18n, 'connections', p.limits.connections ?? 0), numeric: true },
            { header: t({ ja: '1年間の料金', en: 'Price for 1 year' }), numeric: true,
              cell: (p) => {
                const q = prices[p.id];
                if (!q) return '…';
                return 'amount' in q ? <span data-testid={`price-${p.id}`}>{yen(q.amount.total)}</span> : <span className="k-field-error">{q.detail}</span>;
              },
            },
            {
              header: '',
              cell: (p) => (
                <Button variant="secondary" onClick={() => void choose(p)} aria-label={`${t({ ja: '申し込む', en: 'Apply' })}: ${p.name}`}>
                  {t({ ja: '申し込む', en: 'Apply' })}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <ProblemAlert problem={problem} />
      {chosen && quote ? (
        <Card title={t({ ja: '{plan}で継続', en: 'Continue with {plan}' }, { plan: chosen.name })} testId="renewal-confirm" focus>
          <Alert kind="info" testId="renewal-message">
            {t({
              ja: '継続による有効期間は、現在のプランの残り日数 + 1年です。{plan}を{period}までご利用いただけます。',
              en: 'The validity granted by the continuation is the remaining days of the current plan + 1 year: {plan} from {period}.',
            }, { plan: chosen.name, period: period(quote.period.start, quote.period.end) })}
          </Alert>
          <QuoteView quote={quote} periodLabel={{ ja: '有効期間', en: 'Validity' }} />
          <div className="k-actions">
            <Button variant="secondary" onClick={() => setChosen(null)}>
              {t('cancel')}
            </Button>
            <Button onClick={() => void pay()} busy={checkout.busy} data-testid="place-order">
              {placeLabel(i18n, quote.paymentMethod ?? state.contract.paymentMethod, quote.amount.total)}
            </Button>
          </div>
        </Card>
      ) : null}
    </div>
  );
}
