/** Contract information: plan, period, limits and usage, seats, spot contracts, invoices, notices. */
import { useAction } from '../shared/use-action.js';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { ApiProblem, toProblem } from '../shared/api.js';
import { chargeInvoice } from './checkout.js';
import { Alert, Button, Card, Facts, ProblemAlert, Table } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Invoice, Notice, Order } from './types.js';
import { RenewalChoice } from './RenewalChoice.js';
import { PendingOrders } from './PendingOrders.js';
import { newContractOffered } from './NewContract.js';
import { PdfButton, planLabel, lineText, featureLabel, invoiceStatusLabel, limitLabel, limitValue, methodLabel, termLabel } from './parts.js';

export function ContractInfo() {
  const i18n = useI18n();
  const { t, yen, date, period, lang } = i18n;
  const { api, accountId, state, product, navigate, refresh } = usePortal();
  const [invoices, setInvoices] = useState<Invoice[] | null>(null);
  const [notices, setNotices] = useState<Notice[] | null>(null);
  /** Orders awaiting acceptance (B9), loaded with the invoices and notices. */
  const [pending, setPending] = useState<Order[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    void refresh();
  }, []);
  /** Bumped when an order awaiting acceptance was accepted or withdrawn: the invoices and notices load again. */
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all([
      api.get<{ invoices: Invoice[] }>(`/v1/accounts/${accountId}/invoices`),
      api.get<{ notices: Notice[] }>(`/v1/accounts/${accountId}/notices`),
      api.get<{ orders: Order[] }>(`/v1/orders?status=placed&accountId=${encodeURIComponent(accountId)}&limit=50`),
    ]).then(
      ([inv, ntc, ord]) => {
        if (!live) return;
        setInvoices(inv.invoices);
        setNotices(ntc.notices);
        setPending(ord.orders);
      },
      (err: unknown) => live && setProblem(toProblem(err)),
    );
    return () => {
      live = false;
    };
  }, [api, accountId, version]);

  // Invoices past their due date with something still to pay (SPEC §6): said first, with the sum.
  const overdue = (invoices ?? []).filter((i) => i.kind === 'invoice' && i.status === 'overdue' && (i.balance ?? i.amount.total) > 0);
  const overdueSum = overdue.reduce((sum, i) => sum + (i.balance ?? i.amount.total), 0);
  const c = state.contract;
  const planName = state.plan ? planLabel(i18n, product, state.plan) : t({ ja: 'プランなし', en: 'No plan' });
  const limitKeys = Object.keys(state.limits);
  return (
    <div data-testid="contract-info">
      <ProblemAlert problem={problem} />
      {overdue.length > 0 ? (
        <Alert kind="error" testId="overdue-banner">
          {t(
            {
              ja: 'お支払期限を過ぎた請求書が{count}件あります（未入金額 合計 {sum}）。下の「請求書」からお支払いください（銀行振込の振込先は請求書PDFに記載しています）。',
              en: '{count} invoice(s) are past their due date ({sum} still to pay). Pay them under "Invoices" below (bank transfer details are on the invoice PDF).',
            },
            { count: overdue.length, sum: yen(overdueSum) },
          )}
        </Alert>
      ) : null}
      <PendingOrders orders={pending} onChanged={() => setVersion((v) => v + 1)} />
      <Card title={t({ ja: 'ご契約中のプラン', en: 'Your plan' })} testId="plan-card">
        <Facts
          testId="plan-facts"
          items={[
            [t('plan'), <span data-testid="plan-name">{planName}</span>],
            ...(c
              ? ([
                  [t({ ja: '契約期間', en: 'Contract period' }), <span data-testid="contract-period">{period(c.start, c.end)}</span>],
                  [t({ ja: '契約単位', en: 'Contract term' }), termLabel(i18n, c.term)],
                  [
                    t({ ja: '期間終了後', en: 'After the period' }),
                    c.renewal === 'renew' ? t({ ja: '自動更新', en: 'Renews automatically' }) : t({ ja: 'フリープランに戻る（自動更新なし）', en: 'Returns to the free plan (no automatic renewal)' }),
                  ],
                  [t('paymentMethod'), methodLabel(i18n, c.paymentMethod)],
                ] as Array<[string, ReactNode]>)
              : ([[t('period'), t({ ja: '有料プランのご契約はありません', en: 'No paid contract' })]] as Array<[string, ReactNode]>)),
            [t({ ja: '機能', en: 'Features' }), state.features.length ? state.features.map((f) => featureLabel(i18n, f)).join(', ') : t('none')],
          ]}
        />
        <RenewalChoice />
        <div className="k-actions">
          {newContractOffered(product) && !c ? (
            <Button onClick={() => navigate('/portal/new-contract')} data-testid="apply-paid-plan">
              {t({ ja: '有料プランに申し込む', en: 'Apply for a paid plan' })}
            </Button>
          ) : null}
          {product.orderTypes.includes('spot') && c ? <Button onClick={() => navigate('/portal/spot')}>{t({ ja: 'スポット追加注文', en: 'Add spot order' })}</Button> : null}
          {product.orderTypes.includes('license-addition') && c ? <Button onClick={() => navigate('/portal/licenses')}>{t({ ja: 'ライセンス追加', en: 'Add licenses' })}</Button> : null}
          {product.renewal.mode === 'expire-to-free' ? <Button onClick={() => navigate('/portal/premium')}>{t({ ja: 'プレミアム設定', en: 'Premium settings' })}</Button> : null}
          {product.orderTypes.includes('plan-change') && c ? <Button onClick={() => navigate('/portal/plan-change')}>{t({ ja: 'アップグレードを申し込む', en: 'Apply for an upgrade' })}</Button> : null}
          {state.seats ? (
            <Button variant="secondary" onClick={() => navigate('/portal/members')}>
              {t({ ja: 'メンバー管理', en: 'Manage members' })}
            </Button>
          ) : null}
        </div>
      </Card>

      {state.renewalWindow?.open ? (
        <Alert kind="info" testId="renewal-banner-home">
          {t({ ja: 'お得な継続プランをご用意しています。', en: 'A good-value continuation plan is available.' })}{' '}
          <a
            href="/portal/premium/renewal"
            onClick={(e) => {
              e.preventDefault();
              navigate('/portal/premium/renewal');
            }}
          >
            {t({ ja: 'プランの選択はこちら', en: 'Choose a plan here' })}
          </a>
        </Alert>
      ) : null}

      <Card title={t({ ja: '上限とご利用状況', en: 'Limits and usage' })} testId="limits-card">
        <Table
          testId="limits"
          rows={limitKeys}
          rowKey={(k) => k}
          empty={t('none')}
          columns={[
            { header: t({ ja: '項目', en: 'Item' }), cell: (k) => limitLabel(i18n, k) },
            // Seats: today's limit, spot contracts and license additions included (S8).
            { header: t({ ja: '上限', en: 'Limit' }), cell: (k) => limitValue(i18n, k, k === 'seats' && state.seats ? state.seats.limit : (state.limits[k] ?? 0)), numeric: true },
            {
              header: t({ ja: 'ご利用中', en: 'In use' }),
              cell: (k) => {
                const used = k === 'seats' ? state.seats?.active : state.usage[k];
                if (used === undefined) return '—';
                const over = used > (k === 'seats' && state.seats ? state.seats.limit : (state.limits[k] ?? Infinity));
                return (
                  <span>
                    {limitValue(i18n, k, used)} {over ? <span className="k-badge" data-kind="warn">{t({ ja: '上限超過', en: 'Over the limit' })}</span> : null}
                  </span>
                );
              },
              numeric: true,
            },
          ]}
        />
      </Card>

      {state.seats ? (
        <Card title={t({ ja: 'アカウント数', en: 'Seats' })} testId="seats-card">
          <Facts
            testId="seats"
            items={[
              [t({ ja: '主契約', en: 'Main contract' }), limitValue(i18n, 'seats', state.seats.base)],
              [t({ ja: 'ライセンス追加', en: 'License additions' }), limitValue(i18n, 'seats', state.seats.additions)],
              [t({ ja: 'スポット契約', en: 'Spot contracts' }), limitValue(i18n, 'seats', state.seats.spot)],
              [t({ ja: '上限（本日）', en: 'Limit today' }), <span data-testid="seat-limit">{limitValue(i18n, 'seats', state.seats.limit)}</span>],
              [t({ ja: '有効なメンバー', en: 'Active members' }), limitValue(i18n, 'seats', state.seats.active)],
            ]}
          />
        </Card>
      ) : null}

      {product.spot ? (
        <Card title={t({ ja: 'スポット契約', en: 'Spot contracts' })} testId="spots-card">
          <Table
            testId="spots"
            rows={state.spots}
            rowKey={(s) => s.id}
            empty={t({ ja: '本日有効なスポット契約はありません。', en: 'No spot contract in force today.' })}
            columns={[
              { header: t({ ja: '追加アカウント数', en: 'Accounts added' }), cell: (s) => limitValue(i18n, 'seats', s.seats), numeric: true },
              { header: t('period'), cell: (s) => period(s.start, s.end) },
            ]}
          />
        </Card>
      ) : null}

      <Card title={t({ ja: '請求書', en: 'Invoices' })} testId="invoices-card">
        {invoices === null ? (
          <p role="status">{t('loading')}</p>
        ) : (
          <Table
            testId="invoices"
            rows={invoices}
            rowKey={(inv) => inv.id}
            empty={t({ ja: '請求書はまだありません。', en: 'No invoices yet.' })}
            columns={[
              { header: t({ ja: '番号', en: 'Number' }), cell: (inv) => (inv.kind === 'credit-note' ? `${inv.number} (${t({ ja: '返金', en: 'credit note' })})` : inv.number) },
              { header: t({ ja: '発行日', en: 'Issued' }), cell: (inv) => date(inv.issuedOn) },
              { header: t({ ja: '内容', en: 'Contents' }), cell: (inv) => inv.lines.map((l) => lineText(l, lang)).join(' / ') },
              { header: t('amount'), cell: (inv) => yen(inv.amount.total), numeric: true },
              { header: t({ ja: 'お支払期限', en: 'Due' }), cell: (inv) => date(inv.dueOn) },
              { header: t('status'), cell: (inv) => invoiceStatusLabel(i18n, inv.status) },
              { header: t({ ja: 'お支払い', en: 'Payment' }), cell: (inv) => <PayButton invoice={inv} onPaid={(paid) => setInvoices((list) => (list ?? []).map((i) => (i.id === paid.id ? { ...i, ...paid } : i)))} /> },
              {
                header: 'PDF',
                cell: (inv) => (
                  <div className="k-row-buttons">
                    <PdfButton api={api} path={`/v1/invoices/${inv.id}/pdf${lang === 'en' ? '?lang=en' : ''}`} filename={`${inv.number}.pdf`} label={`PDF ${inv.number}`} />
                    {inv.kind === 'invoice' && inv.status === 'paid' ? (
                      <PdfButton
                        api={api}
                        path={`/v1/invoices/${inv.id}/receipt${lang === 'en' ? '?lang=en' : ''}`}
                        filename={`${inv.number.replace(/^INV-/, 'RC-')}.pdf`}
                        label={`${t({ ja: '領収書', en: 'Receipt' })} ${inv.number}`}
                        text={t({ ja: '領収書', en: 'Receipt' })}
                        testId={`receipt-${inv.number}`}
                      />
                    ) : null}
                  </div>
                ),
              },
            ]}
          />
        )}
      </Card>

      <Card title={t({ ja: 'お知らせ', en: 'Notices' })} testId="notices-card">
        {notices === null ? (
          <p role="status">{t('loading')}</p>
        ) : notices.length === 0 ? (
          <p className="k-muted">{t({ ja: 'お知らせはありません。', en: 'No notices.' })}</p>
        ) : (
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="notices">
            {notices.map((n) => (
              <li key={n.id} style={{ borderBottom: '1px solid var(--line)', padding: '.4rem 0' }}>
                <details>
                  <summary>
                    <span className="k-muted">{i18n.instant(n.sentAt)}</span> {n.subject}
                  </summary>
                  <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: '.5rem 0' }}>{n.body}</pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

/**
 * Card and PayPal invoices can be paid here through the payment provider (SPEC §6): the balance
 * is charged and the invoice reads paid; a decline shows the API's message next to the button.
 * Bank-transfer and invoice-payment invoices are paid by transfer to the account on the PDF.
 */
function PayButton(props: { invoice: Invoice; onPaid(invoice: Invoice): void }) {
  const i18n = useI18n();
  const { t, yen } = i18n;
  const { api } = usePortal();
  const { busy, problem, run } = useAction();
  const inv = props.invoice;
  const payable = inv.kind === 'invoice' && (inv.status === 'open' || inv.status === 'overdue');
  if (!payable) return null;
  const method = inv.paymentMethod === 'paypal' ? 'paypal' : inv.paymentMethod === 'card' ? 'card' : null;
  // Bank transfer, or invoice payment (paid by transfer too): said as the invoice's method.
  if (!method) return <span className="k-muted">{inv.paymentMethod === 'invoice' ? methodLabel(i18n, 'invoice') : t({ ja: '銀行振込', en: 'Bank transfer' })}</span>;
  // The same call as an order's pay button (checkout.tsx): a declined card is not replayed on the next try, and two tries never charge twice.
  const pay = () =>
    run(async () => {
      const outcome = await chargeInvoice(api, inv.id, method, inv.balance ?? inv.amount.total);
      if (outcome.invoice) props.onPaid(outcome.invoice);
      if (outcome.problem) throw new ApiProblem(outcome.problem);
    });
  const amount = yen(inv.balance ?? inv.amount.total);
  return (
    <div>
      <Button
        variant="secondary"
        busy={busy}
        onClick={() => void pay()}
        data-testid={`pay-${inv.number}`}
        aria-label={method === 'paypal' ? t({ ja: `${inv.number} の ${amount} をPayPalで支払う`, en: `Pay ${amount} of ${inv.number} with PayPal` }) : t({ ja: `${inv.number} の ${amount} をカードで支払う`, en: `Pay ${amount} of ${inv.number} by card` })}
      >
        {method === 'paypal' ? t({ ja: 'PayPalで支払う', en: 'Pay with PayPal' }) : t({ ja: 'カードで支払う', en: 'Pay by card' })}
      </Button>
      <ProblemAlert problem={problem} />
    </div>
  );
}
