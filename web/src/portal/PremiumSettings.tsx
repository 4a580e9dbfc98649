/**
 * Premium settings (reference 001 step 1, SPEC P4): the current plan and the higher plans with
 * the difference price (mid-term upgrade, end unchanged). While the renewal window is open, the
 * banner leads to the continuation page (PremiumRenewal).
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Alert, Button, Card, Facts, Field, ProblemAlert, Table } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { CatalogPlan, Quote } from './types.js';
import { CheckoutDone, placeLabel, useCheckout } from './checkout.js';
import { QuoteView, planLabel, limitLabel, limitValue, methodLabel } from './parts.js';
import { NewContract } from './NewContract.js';

export function RenewalBanner() {
  const { t } = useI18n();
  const { navigate } = usePortal();
  return (
    <Alert kind="info" testId="renewal-banner">
      {t({ ja: 'お得なキャンペーンプランをご用意しています。プランの選択は', en: 'A good-value campaign plan is available. Please choose a plan ' })}
      <a
        href="/portal/premium/renewal"
        onClick={(e) => {
          e.preventDefault();
          navigate('/portal/premium/renewal');
        }}
      >
        {t({ ja: 'こちら', en: 'here' })}
      </a>
      {t({ ja: '。', en: '.' })}
    </Alert>
  );
}

export function PremiumSettings() {
  const i18n = useI18n();
  const { t, yen, period, date } = i18n;
  const { api, accountId, state, product, refresh } = usePortal();
  const current = product.plans.find((p) => p.id === state.plan?.id);
  const higher = product.plans.filter((p) => !p.free && current && p.rank > current.rank).sort((a, b) => a.rank - b.rank);
  const [prices, setPrices] = useState<Record<string, Quote | Problem>>({});
  const [chosen, setChosen] = useState<CatalogPlan | null>(null);
  const [method, setMethod] = useState(state.contract?.paymentMethod ?? 'card');
  const [quote, setQuote] = useState<Quote | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const checkout = useCheckout();
  const order = checkout.result?.order ?? null;
  // Applying for a paid plan again from the free plan: its completion stays on screen while the
  // state reloads (and shows the new plan above it).
  const [appliedAgain, setAppliedAgain] = useState(false);

  const contractId = state.contract?.id;
  useEffect(() => {
    if (!contractId) return;
    let live = true;
    void Promise.all(
      higher.map(async (p) => {
        try {
          return [p.id, await api.post<Quote>('/v1/orders/preview', { type: 'upgrade', accountId, planId: p.id })] as const;
        } catch (err) {
          return [p.id, toProblem(err)] as const;
        }
      }),
    ).then((entries) => live && setPrices(Object.fromEntries(entries)));
    return () => {
      live = false;
    };
    // The plans follow from the state: re-priced when the contract or plan changes.
  }, [api, accountId, contractId, state.plan?.id]);

  async function choose(p: CatalogPlan, m = method) {
    setChosen(p);
    setProblem(null);
    try {
      setQuote(await api.post<Quote>('/v1/orders/preview', { type: 'upgrade', accountId, planId: p.id, paymentMethod: m }));
    } catch (err) {
      setQuote(null);
      setProblem(toProblem(err));
    }
  }
  async function pay() {
    if (!chosen) return;
    setProblem(null);
    const placed = await checkout.place({ type: 'upgrade', accountId, planId: chosen.id, paymentMethod: method });
    if (!placed) return;
    if ('refused' in placed) return setProblem(placed.refused);
    await refresh();
  }

  if (order && checkout.result) {
    return (
      <Card title={t({ ja: 'お手続き完了', en: 'Procedure completed' })} testId="upgrade-done" focus>
        <Alert kind="success" testId="upgrade-done-message">
          {t({ ja: '{plan}へのアップグレードが完了しました。有効期限は{end}です。', en: 'You are now on {plan}, valid until {end}.' }, { plan: chosen?.name ?? '', end: date(order.period.end) })}
        </Alert>
        <Facts items={[[t({ ja: 'ご請求金額', en: 'Amount billed' }), <span data-testid="done-total">{yen(order.amount.total)}</span>]]} />
        <CheckoutDone checkout={checkout} />
      </Card>
    );
  }

  return (
    <div data-testid="premium-settings">
      <Card title={t({ ja: 'ご利用中のプラン', en: 'Your current plan' })} testId="current-plan">
        <Facts
          items={[
            [t('plan'), <span data-testid="current-plan-name">{planLabel(i18n, product, state.plan)}</span>],
            ...(state.contract
              ? ([
                  [t({ ja: '有効期間', en: 'Valid' }), <span data-testid="validity">{period(state.contract.start, state.contract.end)}</span>],
                  [limitLabel(i18n, 'connections'), limitValue(i18n, 'connections', state.limits.connections ?? 0)],
                ] as Array<[string, ReactNode]>)
              : []),
          ]}
        />
        {!state.contract ? (
          <p data-testid="free-plan-note">{t({ ja: 'フリープランをご利用中です。登録したデータはそのまま残っています。有料プランはあらためてお申し込みください。', en: 'You are on the free plan. Your entries are kept; apply for a paid plan again to continue.' })}</p>
        ) : null}
      </Card>
      {!state.contract || appliedAgain ? <NewContract onPlaced={() => setAppliedAgain(true)} /> : null}

      {state.renewalWindow?.open ? <RenewalBanner /> : null}
      {state.renewalWindow && !state.renewalWindow.open ? (
        <p className="k-muted" data-testid="renewal-opens">
          {t({ ja: '継続プランのお申し込みは{opens}から（残りの有効期間が2か月以内になってから）ご利用いただけます。', en: 'The continuation plan can be applied for from {opens} (when 2 months or less of validity remain).' }, { opens: date(state.renewalWindow.opens) })}
        </p>
      ) : null}

      {state.contract ? (
        <Card title={t({ ja: '上位プランへの変更（有効期間中）', en: 'Change to a higher plan (during validity)' })} testId="higher-plans">
          <p className="k-muted">
            {t({
              ja: '表示金額は割引価格ではなく、現在のプランとの差額です。有効期限は変わりません（{end}まで）。',
              en: 'The amounts are not discounted prices: they are the difference from your current plan. The validity does not change (until {end}).',
            }, { end: date(state.contract.end) })}
          </p>
          <Table
            testId="higher-plan-table"
            rows={higher}
            rowKey={(p) => p.id}
            empty={t({ ja: '現在のプランが最上位です。', en: 'You are on the highest plan.' })}
            columns={[
              { header: t('plan'), cell: (p) => p.name },
              { header: limitLabel(i18n, 'connections'), cell: (p) => limitValue(i18n, 'connections', p.limits.connections ?? 0), numeric: true },
              {
                header: t({ ja: '差額', en: 'Difference' }),
                numeric: true,
                cell: (p) => {
                  const q = prices[p.id];
                  if (!q) return '…';
                  return 'amount' in q ? <span data-testid={`difference-${p.id}`}>{yen(q.amount.total)}</span> : <span className="k-field-error">{q.detail}</span>;
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
      ) : null}

      {chosen ? (
        <Card title={t({ ja: '{plan}へのアップグレード', en: 'Upgrade to {plan}' }, { plan: chosen.name })} testId="upgrade-confirm" focus>
          {quote ? <QuoteView quote={quote} periodLabel={{ ja: '適用期間', en: 'Applies' }} /> : null}
          <Field label={t('paymentMethod')} name="paymentMethod" problem={problem}>
            {({ id, describedBy, invalid }) => (
              <select
                id={id}
                value={method}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => {
                  setMethod(e.target.value);
                  void choose(chosen, e.target.value);
                }}
              >
                {chosen.paymentMethods.map((m) => (
                  <option key={m.method} value={m.method}>
                    {methodLabel(i18n, m.method)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ProblemAlert problem={problem} fields={['paymentMethod']} />
          <div className="k-actions">
            <Button variant="secondary" onClick={() => setChosen(null)}>
              {t('cancel')}
            </Button>
            {quote ? (
              <Button onClick={() => void pay()} busy={checkout.busy} data-testid="place-order">
                {placeLabel(i18n, method, quote.amount.total)}
              </Button>
            ) : null}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
