/**
 * Plan change application (reference 004, SPEC B1–B10): plan, term and payment method in one
 * order → the billing statement (bank transfer, card, PayPal) or the quotation PDF (invoice
 * payment) → accept → completed, with the re-upload notice where B10 applies.
 *
 * The step is in the address (`?step=1`…`?step=4`) and what was entered in the history entry's
 * state, so Back and Forward move between the steps with the entries kept, and a reload stays on
 * its step. An order placed and not yet accepted is found again — from the history entry, this
 * tab's sessionStorage (per account), or the account's orders awaiting acceptance
 * (`GET /v1/orders?status=placed`) — and shown with "Accept" and "Start over", which withdraws it
 * (`POST /v1/orders/{id}/cancel`).
 */
import { useAction } from '../shared/use-action.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { ApiClient } from '../shared/api.js';
import { ApiProblem } from '../shared/api.js';
import { Alert, Button, Card, Facts, Field, ProblemAlert, Steps } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Order, Quote } from './types.js';
import { PdfButton, QuoteView, featureLabel, limitLabel, limitValue, methodLabel, termLabel } from './parts.js';
import { formProblem, readableProblem } from '../shared/validate.js';
import { PaymentStatus, acceptLabel, useAcceptedPayment } from './checkout.js';

const FIELDS = ['planId', 'term', 'paymentMethod'] as const;
type Step = 0 | 1 | 2 | 3;

/** What a history entry keeps of the plan change: the entries, and the order placed (if any). */
interface Saved {
  planId: string;
  term: string;
  method: string;
  orderId?: string;
}
const HISTORY_KEY = 'keiyakuPlanChange';

function savedInHistory(): Saved | null {
  const s = window.history.state as Record<string, unknown> | null;
  const v = s && typeof s === 'object' ? (s[HISTORY_KEY] as Saved | undefined) : undefined;
  return v && typeof v.planId === 'string' && typeof v.term === 'string' && typeof v.method === 'string' ? v : null;
}
function stepInAddress(): Step | null {
  const n = Number(new URLSearchParams(window.location.search).get('step'));
  return n >= 1 && n <= 4 ? ((n - 1) as Step) : null;
}
/** Writes the step into the address and what was entered into the entry's state. */
function writeHistory(mode: 'push' | 'replace', step: Step | null, saved: Saved): void {
  const search = new URLSearchParams(window.location.search);
  if (step === null) search.delete('step');
  else search.set('step', String(step + 1));
  const q = search.toString();
  const url = `${window.location.pathname}${q ? `?${q}` : ''}`;
  const state = { ...((window.history.state as object | null) ?? {}), [HISTORY_KEY]: saved };
  if (mode === 'push') window.history.pushState(state, '', url);
  else window.history.replaceState(state, '', url);
}

/** This tab's record of the account's order awaiting acceptance, and of those the customer started over from. */
const pendingKey = (accountId: string) => `keiyaku.portal.planChange.${accountId}`;
function readStored<T>(key: string): T | null {
  try {
    const v = sessionStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}
function writeStored(key: string, value: unknown): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage off: the history entry still has it */
  }
}

/**
 * The account's plan-change order awaiting acceptance, if any: the one this tab knows, else the
 * newest placed plan change. A statement holds until the end of the month it was placed in (its
 * new term starts on the 1st of the next month, B3; the order lapses after it): older ones are not
 * offered.
 */
async function findPending(api: ApiClient, accountId: string, today: string, known: string | undefined): Promise<Order | null> {
  const usable = (o: Order | null | undefined): o is Order => !!o && o.type === 'plan-change' && o.status === 'placed' && (o.validUntil ?? o.period.start) >= today && o.period.start > today;
  const placed = await api
    .get<{ orders: Order[] }>(`/v1/orders?status=placed&accountId=${encodeURIComponent(accountId)}&limit=20`)
    .then((r) => r.orders)
    .catch(() => []);
  return placed.find((o) => o.id === known && usable(o)) ?? placed.find(usable) ?? null;
}

/** Withdraws an order awaiting acceptance; one already completed, withdrawn or lapsed is left as it is. */
async function withdraw(api: ApiClient, id: string): Promise<void> {
  await api.post(`/v1/orders/${id}/cancel`, {}).catch((err: unknown) => {
    if (!(err instanceof ApiProblem && err.problem.code === 'order_not_awaiting_acceptance')) throw err;
  });
}

export function PlanChange() {
  const i18n = useI18n();
  const { t, yen, date, period, lang } = i18n;
  const { api, accountId, state, product, refresh, navigate } = usePortal();
  const plans = product.plans.filter((p) => !p.free).sort((a, b) => a.rank - b.rank);
  const allTerms = [...new Set(plans.flatMap((p) => p.terms))];
  const allMethods = [...new Set(plans.flatMap((p) => p.paymentMethods.map((m) => m.method)))];

  const initial = useRef(savedInHistory());
  const [planId, setPlanId] = useState(initial.current?.planId ?? state.plan?.id ?? plans[0]?.id ?? '');
  const [term, setTerm] = useState(initial.current?.term ?? state.contract?.term ?? allTerms[0] ?? 'P1M');
  const [method, setMethod] = useState(initial.current?.method ?? state.contract?.paymentMethod ?? 'card');
  const [step, setStep] = useState<Step>(0);
  const [quote, setQuote] = useState<{ quote: Quote; key: string } | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  /** The order awaiting acceptance, and what was entered for it (unknown when found in the audit trail). */
  const [pending, setPending] = useState<{ order: Order; entries?: Saved | undefined } | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [startedOver, setStartedOver] = useState(false);
  // What to choose, field by field: for an empty choice and for the API's invalid_request.
  const texts = {
    planId: t({ ja: 'プランを選んでください。', en: 'Choose a plan.' }),
    term: t({ ja: '契約期間を選んでください。', en: 'Choose a contract term.' }),
    paymentMethod: t({ ja: 'お支払い方法を選んでください。', en: 'Choose a payment method.' }),
  };
  const { busy, problem, run, fail } = useAction((p) => readableProblem(p, texts, i18n));
  const paid = useAcceptedPayment();
  const entries: Saved = { planId, term, method };
  const keyOf = (e: Saved) => JSON.stringify([e.planId, e.term, e.method]);
  const body = (e: Saved) => ({ type: 'plan-change', accountId, planId: e.planId, term: e.term, paymentMethod: e.method });
  const placing = useRef(false);

  // What is entered is kept in the current history entry: a reload or Back finds it there.
  useEffect(() => {
    if (restoring) return;
    const saved = savedInHistory();
    writeHistory('replace', stepInAddress(), { ...(saved ?? {}), planId, term, method });
  }, [planId, term, method, restoring]);

  /** Shows the step `at` of a history entry (opening, reload, Back, Forward), restoring what it needs. */
  const show = useCallback(
    async (at: Step | null, saved: Saved | null) => {
      const e: Saved = saved ?? { planId, term, method };
      if (saved) {
        setPlanId(saved.planId);
        setTerm(saved.term);
        setMethod(saved.method);
      }
      fail(null);
      const stored = readStored<Saved>(pendingKey(accountId));
      const known = saved?.orderId ?? stored?.orderId;
      if (at === 3 && saved?.orderId) {
        const done = await api.get<Order>(`/v1/orders/${saved.orderId}`).catch(() => null);
        if (done?.status === 'completed') {
          setOrder(done);
          setStep(3);
          await paid.settle(done, { charge: false });
          return;
        }
      }
      const found = await findPending(api, accountId, state.date, known);
      const foundEntries = found ? (stored?.orderId === found.id ? stored : saved?.orderId === found.id ? saved : undefined) : undefined;
      setPending(found ? { order: found, entries: foundEntries } : null);
      if (!found && stored) writeStored(pendingKey(accountId), null);
      if (found && at !== 0 && at !== 1) {
        // Opened afresh, reloaded or back at the statement: the order awaiting acceptance, with Accept.
        setOrder(found);
        setStep(2);
        if (at !== 2) writeHistory('replace', 2, { ...(foundEntries ?? e), orderId: found.id });
        return;
      }
      if (at === 1) {
        if (quote?.key === keyOf(e)) {
          setStep(1);
          return;
        }
        let previewed = false;
        await run(async () => {
          setQuote({ quote: await api.post<Quote>('/v1/orders/preview', body(e)), key: keyOf(e) });
          setStep(1);
          previewed = true;
        });
        if (!previewed) {
          setStep(0);
          writeHistory('replace', 0, e);
        }
        return;
      }
      setOrder(null);
      setStep(0);
      if (at !== null && at !== 0) writeHistory('replace', 0, e);
    },
    [api, accountId, state.date, planId, term, method, quote],
  );

  // On opening (or reloading) the screen: the address's step, or the order awaiting acceptance.
  useEffect(() => {
    void show(stepInAddress(), initial.current).finally(() => setRestoring(false));
  }, []);
  // Back and Forward between the steps.
  const showRef = useRef(show);
  showRef.current = show;
  useEffect(() => {
    const onPop = () => {
      if (window.location.pathname.replace(/\/+$/, '') !== '/portal/plan-change') return;
      void showRef.current(stepInAddress(), savedInHistory());
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const preview = () => {
    const own = formProblem({ planId: planId ? undefined : texts.planId, term: term ? undefined : texts.term, paymentMethod: method ? undefined : texts.paymentMethod }, i18n);
    if (own) return fail(own);
    return run(async () => {
      setQuote({ quote: await api.post<Quote>('/v1/orders/preview', body(entries)), key: keyOf(entries) });
      setStep(1);
      writeHistory('push', 1, entries);
    });
  };
  /** The order awaiting acceptance was placed from these same entries: "Apply" shows it instead of placing a second one. */
  const samePending = pending?.entries && keyOf(pending.entries) === keyOf(entries) ? pending : null;
  const toStatement = (o: Order, e: Saved) => {
    setOrder(o);
    setStep(2);
    writeHistory('push', 2, { ...e, orderId: o.id });
  };
  const apply = async () => {
    if (samePending) return toStatement(samePending.order, entries);
    if (placing.current) return;
    placing.current = true;
    try {
      await run(async () => {
        const placed = await api.post<Order>('/v1/orders', body(entries));
        // The new application takes the place of the one awaiting acceptance: that one is withdrawn
        // (after, so a refused application leaves it as it was; if withdrawing fails, it lapses).
        if (pending) await withdraw(api, pending.order.id).catch(() => undefined);
        const saved = { ...entries, orderId: placed.id };
        writeStored(pendingKey(accountId), saved);
        setPending({ order: placed, entries: saved });
        setStartedOver(false);
        toStatement(placed, entries);
      });
    } finally {
      placing.current = false;
    }
  };
  const accept = () =>
    run(async () => {
      if (!order) return;
      const done = await api.post<Order>(`/v1/orders/${order.id}/accept`, {});
      writeStored(pendingKey(accountId), null);
      setPending(null);
      setOrder(done);
      setStep(3);
      writeHistory('push', 3, { ...entries, orderId: done.id });
      // Accepted: paid by card or PayPal at once (the button said so), as an order placed is.
      await Promise.all([paid.settle(done), refresh()]);
    });
  /** Start over: the order awaiting acceptance is withdrawn (nothing is billed) and the form shows again. */
  const startOver = () =>
    run(async () => {
      const id = pending?.order.id ?? order?.id;
      if (id) await withdraw(api, id);
      writeStored(pendingKey(accountId), null);
      showForm();
    });
  const showForm = () => {
    setPending(null);
    setOrder(null);
    setQuote(null);
    setStartedOver(true);
    fail(null);
    setStep(0);
    writeHistory('push', 0, entries);
    // The contract may have changed meanwhile (another tab, the operator): the form says how it is now.
    void refresh();
  };

  const steps = [t({ ja: '申し込み内容', en: 'Application' }), t({ ja: '確認', en: 'Review' }), t({ ja: '明細書・見積書の承諾', en: 'Accept the statement or quotation' }), t({ ja: '変更完了', en: 'Completed' })];
  if (!state.contract) {
    return <Alert kind="info">{t({ ja: '変更できるご契約がありません。', en: 'There is no contract to change.' })}</Alert>;
  }
  if (restoring) {
    return <p role="status">{t('loading')}</p>;
  }
  const reupload = (order ?? quote?.quote)?.warnings.find((w) => w.code === 'reupload_required');
  const quotation = order?.acceptance === 'quotation';
  const pendingBanner =
    pending && step < 2 ? (
      <Alert kind="info" testId="pending-order">
        {t(
          { ja: '承諾待ちのお申し込みがあります（{amount}、新しい契約期間 {period}）。内容を承諾すると変更が完了します。', en: 'An application awaits your acceptance ({amount}, new term {period}). The change completes when you accept it.' },
          { amount: yen(pending.order.amount.total), period: period(pending.order.period.start, pending.order.period.end) },
        )}{' '}
        <button type="button" className="k-linkbutton" data-testid="show-pending" onClick={() => toStatement(pending.order, pending.entries ?? entries)}>
          {quotation || pending.order.acceptance === 'quotation' ? t({ ja: '見積書を確認する', en: 'Show the quotation' }) : t({ ja: '明細書を確認する', en: 'Show the statement' })}
        </button>
      </Alert>
    ) : null;
  return (
    <div data-testid="plan-change">
      <Steps steps={steps} current={step} />
      {pendingBanner}
      {step === 0 && startedOver ? (
        <Alert kind="info" testId="started-over">
          {t({
            ja: '先のお申し込みを取り消しました（ご請求は発生しません）。新しくお申し込みいただけます。',
            en: 'The earlier application was withdrawn (nothing is billed). You can apply again.',
          })}
        </Alert>
      ) : null}
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
          <QuoteView quote={quote.quote} periodLabel={{ ja: '新しい契約期間', en: 'New term' }} />
          <p className="k-muted">
            {quote.quote.acceptance === 'quotation'
              ? t({ ja: 'お申し込み後、見積書（PDF）をお送りします。内容をご承諾いただくと変更が完了します。', en: 'After you apply, you get a quotation (PDF). The change completes when you accept it.' })
              : t({ ja: 'お申し込み後、ご請求明細をお送りします。内容をご承諾いただくと変更が完了します。', en: 'After you apply, you get a billing statement. The change completes when you accept it.' })}
          </p>
          <ProblemAlert problem={problem} />
          <div className="k-actions">
            <Button
              variant="secondary"
              onClick={() => {
                fail(null);
                setStep(0);
                writeHistory('push', 0, entries);
              }}
            >
              {t('back')}
            </Button>
            <Button onClick={() => void apply()} busy={busy} data-testid="apply">
              {samePending ? t({ ja: '承諾待ちのお申し込みを表示する', en: 'Show the application awaiting acceptance' }) : t({ ja: '申し込む', en: 'Apply' })}
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
            <Button variant="secondary" onClick={startOver} data-testid="start-over">
              {t({ ja: '申し込み内容をやり直す', en: 'Start over' })}
            </Button>
            <Button onClick={() => void accept()} busy={busy}>
              {acceptLabel(i18n, order, { ja: '内容を承諾する', en: 'Accept' }, { ja: '内容を承諾して{amount}を支払う', en: 'Accept and pay {amount}' })}
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
          {paid.checkout?.order.id === order.id ? <PaymentStatus checkout={paid.checkout} busy={paid.busy} onPayAgain={() => void paid.payAgain()} details={false} /> : <p role="status">{t('loading')}</p>}
          <div className="k-actions">
            <Button variant={paid.checkout?.payment.status === 'unpaid' ? 'secondary' : 'primary'} onClick={() => navigate('/portal')}>
              {t({ ja: '契約情報へ', en: 'To contract information' })}
            </Button>
          </div>
        </Card>
      ) : null}
    </div>
  );
}
