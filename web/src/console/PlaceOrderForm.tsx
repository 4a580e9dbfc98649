/**
 * An order placed on the customer's behalf (SPEC B1: "the operator may place it for them — phone or
 * inquiry form"): the order types the account's product offers (from the catalog), their fields,
 * the quote (`POST /v1/orders/preview`: amount, period, due date, effects, warnings, whether the
 * customer must accept it), then the order (`POST /v1/orders`, one idempotency key per quote).
 * The form checks what was typed (whole numbers, real dates, a plan where one is needed); every
 * rule beyond that is the API's, and its refusal is shown at the field it names.
 */
import { useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { Problem } from '../shared/api.js';
import { newKey, toProblem } from '../shared/api.js';
import { Alert, Button, Facts, Field, ProblemAlert, Table } from '../shared/ui.js';
import { useConsole, useLoad, useTexts } from './context.js';
import type { TextKey } from './texts.js';
import { LoadProblem, Loading } from './parts.js';
import type { Account, AccountState, CatalogPlan, CatalogProduct, Invoice, Order, Quote, QuoteNote } from './types.js';
import { checkWhole, focusFirstInvalid, formProblem, isRealDate, readableProblem } from '../shared/validate.js';

type OrderType = 'new-contract' | 'spot' | 'license-addition' | 'plan-change' | 'upgrade' | 'renewal';

/** Every field the form has, as the API names them in `errors[].path`. */
const FIELDS = ['type', 'planId', 'term', 'quantity', 'startDate', 'effectiveDate', 'seats', 'months', 'agreeToTerms', 'renewal', 'paymentMethod'] as const;
type FieldName = (typeof FIELDS)[number];
const CHECKS: Record<FieldName, TextKey> = {
  type: 'poCheckType',
  planId: 'poCheckPlan',
  term: 'poCheckTerm',
  quantity: 'poCheckQuantity',
  startDate: 'poCheckDate',
  effectiveDate: 'poCheckDate',
  seats: 'poCheckSeats',
  months: 'poCheckMonths',
  agreeToTerms: 'poCheckTerms',
  renewal: 'poCheckRenewal',
  paymentMethod: 'poCheckMethod',
};
const MAX_MONTHS = 24;

interface Loaded {
  product: CatalogProduct;
  state: AccountState;
}

export function PlaceOrderForm(props: { account: Account; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useConsole();
  const loaded = useLoad(async (): Promise<Loaded> => {
    const [catalog, state] = await Promise.all([
      api.get<{ products: CatalogProduct[] }>('/v1/catalog'),
      api.get<AccountState>(`/v1/accounts/${encodeURIComponent(props.account.id)}/state`),
    ]);
    const product = catalog.products.find((p) => p.id === props.account.product);
    if (!product) throw new Error(`product ${props.account.product} is not in the catalog`);
    return { product, state };
  }, [api, props.account.id, props.account.product]);
  if (!loaded.data) {
    return (
      <div className="kc-form" data-testid="place-order-form">
        <LoadProblem problem={loaded.problem} onRetry={() => void loaded.reload()} />
        <Loading when={loaded.loading} />
      </div>
    );
  }
  return <OrderForm {...props} product={loaded.data.product} state={loaded.data.state} />;
}

function OrderForm(props: { account: Account; product: CatalogProduct; state: AccountState; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useConsole();
  const i18n = useTexts();
  const { ct, t, label, yen, yenPlain, date, period, lang } = i18n;
  const { product, state } = props;
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const agreeId = useId();

  const types: OrderType[] = product.orderTypes;
  const paidPlans = product.plans.filter((p) => !p.free);
  const current = product.plans.find((p) => p.id === state.plan?.id && !p.free) ?? null;
  const hasContract = state.contract !== null;
  const [type, setType] = useState<OrderType>(hasContract ? (types.find((x) => x !== 'new-contract') ?? 'new-contract') : 'new-contract');
  const [planId, setPlanId] = useState('');
  const [term, setTerm] = useState('');
  const [quantity, setQuantity] = useState('');
  const [startDate, setStartDate] = useState(state.date);
  const [effectiveDate, setEffectiveDate] = useState(state.date);
  const [seats, setSeats] = useState(String(current?.license?.size ?? ''));
  const [months, setMonths] = useState('1');
  const [agree, setAgree] = useState(false);
  const [renewal, setRenewal] = useState(product.renewal.default ?? 'renew');
  const [method, setMethod] = useState('');
  const [quote, setQuote] = useState<{ quote: Quote; key: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  // What is chosen: the plan the order is for (the chosen one, else the current), its terms and methods.
  const needsPlan = type === 'new-contract' || type === 'upgrade' || type === 'renewal';
  const plan: CatalogPlan | null = product.plans.find((p) => p.id === planId) ?? (type === 'new-contract' ? null : current);
  const terms = plan?.terms ?? [];
  const methods = (plan ?? current)?.paymentMethods.map((m) => m.method) ?? ['bank-transfer', 'card', 'paypal'];
  const methodOptional = type === 'plan-change' || type === 'upgrade' || type === 'renewal';
  const chosenMethod = method !== '' && methods.includes(method) ? method : methodOptional ? '' : (methods.includes(state.contract?.paymentMethod ?? '') ? state.contract!.paymentMethod : (methods[0] ?? 'card'));
  const chosenTerm = term !== '' && terms.includes(term) ? term : type === 'new-contract' ? (terms[0] ?? '') : '';

  /** Any change to what is ordered makes the quote stale: it is asked again, with a new key. */
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setQuote(null);
    setProblem(null);
  };

  function body(): Record<string, unknown> {
    const accountId = props.account.id;
    const pm = chosenMethod !== '' ? { paymentMethod: chosenMethod } : {};
    switch (type) {
      case 'new-contract':
        return {
          type,
          accountId,
          planId,
          term: chosenTerm,
          startDate: startDate.trim(),
          ...(plan?.license && quantity.trim() !== '' ? { quantity: Number(quantity.trim()) } : {}),
          ...(product.renewal.mode === 'renew-or-free' ? { renewal } : {}),
          ...pm,
        };
      case 'spot':
        return { type, accountId, seats: Number(seats.trim()), startDate: startDate.trim(), months: Number(months), agreeToTerms: agree, ...pm };
      case 'license-addition':
        return { type, accountId, seats: Number(seats.trim()), effectiveDate: effectiveDate.trim(), ...pm };
      case 'plan-change':
        return { type, accountId, ...(planId !== '' ? { planId } : {}), ...(chosenTerm !== '' ? { term: chosenTerm } : {}), ...pm };
      case 'upgrade':
      case 'renewal':
        return { type, accountId, planId, ...pm };
    }
  }

  const texts = Object.fromEntries(FIELDS.map((f) => [f, ct(CHECKS[f])])) as Record<FieldName, string>;
  function ownChecks(): Problem | null {
    const seatTypes = type === 'spot' || type === 'license-addition';
    return formProblem(
      {
        planId: needsPlan && planId === '' ? texts.planId : undefined,
        term: type === 'new-contract' && chosenTerm === '' ? texts.term : undefined,
        quantity: type === 'new-contract' && plan?.license && checkWhole(quantity, { min: 1, max: 1_000_000, optional: true }) ? texts.quantity : undefined,
        startDate: (type === 'new-contract' || type === 'spot') && !isRealDate(startDate) ? texts.startDate : undefined,
        effectiveDate: type === 'license-addition' && !isRealDate(effectiveDate) ? texts.effectiveDate : undefined,
        seats: seatTypes && checkWhole(seats, { min: 1, max: 1_000_000 }) ? texts.seats : undefined,
        months: type === 'spot' && checkWhole(months, { min: 1, max: MAX_MONTHS }) ? texts.months : undefined,
        agreeToTerms: type === 'spot' && !agree ? texts.agreeToTerms : undefined,
      },
      i18n,
    );
  }

  async function preview(e: FormEvent) {
    e.preventDefault();
    const own = ownChecks();
    setProblem(own);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      setQuote({ quote: await api.post<Quote>('/v1/orders/preview', body()), key: newKey() });
    } catch (err) {
      setProblem(readableProblem(toProblem(err), texts, i18n));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  async function place() {
    if (!quote) return;
    setBusy(true);
    setProblem(null);
    try {
      const order = await api.post<Order & { dueOn: string | null }>('/v1/orders', body(), { idempotencyKey: quote.key });
      const kind = label('order', order.type);
      if (order.status === 'placed') {
        props.onDone(ct('poPlacedAwaiting', { type: kind, total: yen(order.amount.total), date: order.validUntil ? date(order.validUntil) : '—' }));
      } else {
        const invoice = order.invoiceId ? await api.get<Invoice>(`/v1/invoices/${encodeURIComponent(order.invoiceId)}`).catch(() => null) : null;
        props.onDone(
          invoice
            ? ct('poCompletedInvoice', { type: kind, number: invoice.number, total: yen(invoice.amount.total), due: date(invoice.dueOn) })
            : ct('poCompleted', { type: kind, total: yen(order.amount.total) }),
        );
      }
    } catch (err) {
      setQuote(null);
      setProblem(readableProblem(toProblem(err), texts, i18n));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  const aria = (invalid: boolean, describedBy: string | undefined) => ({ 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined });
  const planOptions = (placeholder: TextKey) => [
    <option key="" value="">
      {ct(placeholder)}
    </option>,
    ...paidPlans.map((p) => (
      <option key={p.id} value={p.id}>
        {p.name}
        {p.id === current?.id ? ct('poCurrentSuffix') : ''}
      </option>
    )),
  ];
  const fields: ReactNode[] = [];
  const planField = (placeholder: TextKey) => (
    <Field key="planId" label={t('plan')} name="planId" problem={problem}>
      {({ id, describedBy, invalid }) => (
        <select id={id} value={planId} onChange={(e) => edit(setPlanId)(e.target.value)} {...aria(invalid, describedBy)} data-testid="po-plan">
          {planOptions(placeholder)}
        </select>
      )}
    </Field>
  );
  const termField = (optional: boolean) => (
    <Field key="term" label={ct('term')} name="term" problem={problem}>
      {({ id, describedBy, invalid }) => (
        <select id={id} value={chosenTerm} onChange={(e) => edit(setTerm)(e.target.value)} {...aria(invalid, describedBy)} data-testid="po-term">
          {optional ? <option value="">{ct('poKeepTerm', { term: state.contract ? label('term', state.contract.term) : '—' })}</option> : null}
          {terms.map((x) => (
            <option key={x} value={x}>
              {label('term', x)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const dateField = (name: 'startDate' | 'effectiveDate', value: string, set: (v: string) => void) => (
    <Field key={name} label={ct(name === 'startDate' ? 'poStartDate' : 'poEffectiveDate')} name={name} problem={problem}>
      {({ id, describedBy, invalid }) => <input id={id} type="date" value={value} onChange={(e) => edit(set)(e.target.value)} {...aria(invalid, describedBy)} data-testid={`po-${name}`} />}
    </Field>
  );
  const seatsField = (
    <Field key="seats" label={ct('poSeats')} name="seats" hint={current?.license ? ct('poSeatsHint', { size: current.license.size }) : undefined} problem={problem}>
      {({ id, describedBy, invalid }) => (
        <input id={id} type="number" inputMode="numeric" min={1} step={current?.license?.size ?? 1} value={seats} onChange={(e) => edit(setSeats)(e.target.value)} {...aria(invalid, describedBy)} data-testid="po-seats" />
      )}
    </Field>
  );

  if (type === 'new-contract') {
    fields.push(planField('poChoosePlan'), termField(false));
    if (plan?.license)
      fields.push(
        <Field key="quantity" label={ct('poQuantity')} name="quantity" hint={ct('poQuantityHint', { size: plan.license.size })} problem={problem}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="number" inputMode="numeric" min={1} step={1} value={quantity} onChange={(e) => edit(setQuantity)(e.target.value)} {...aria(invalid, describedBy)} data-testid="po-quantity" />
          )}
        </Field>,
      );
    fields.push(dateField('startDate', startDate, setStartDate));
    if (product.renewal.mode === 'renew-or-free')
      fields.push(
        <Field key="renewal" label={ct('renewal')} name="renewal" problem={problem}>
          {({ id, describedBy, invalid }) => (
            <select id={id} value={renewal} onChange={(e) => edit(setRenewal)(e.target.value)} {...aria(invalid, describedBy)} data-testid="po-renewal">
              <option value="renew">{label('renewal', 'renew')}</option>
              <option value="to-free">{label('renewal', 'to-free')}</option>
            </select>
          )}
        </Field>,
      );
  } else if (type === 'spot') {
    fields.push(seatsField, dateField('startDate', startDate, setStartDate));
    fields.push(
      <Field key="months" label={ct('poMonths')} name="months" problem={problem}>
        {({ id, describedBy, invalid }) => (
          <select id={id} value={months} onChange={(e) => edit(setMonths)(e.target.value)} {...aria(invalid, describedBy)} data-testid="po-months">
            {Array.from({ length: MAX_MONTHS }, (_, k) => String(k + 1)).map((m) => (
              <option key={m} value={m}>
                {ct('poMonthsValue', { n: m })}
              </option>
            ))}
          </select>
        )}
      </Field>,
    );
  } else if (type === 'license-addition') {
    fields.push(seatsField, dateField('effectiveDate', effectiveDate, setEffectiveDate));
  } else if (type === 'plan-change') {
    fields.push(planField('poKeepPlan'), termField(true));
  } else {
    fields.push(planField('poChoosePlan'));
  }
  fields.push(
    <Field key="paymentMethod" label={t('paymentMethod')} name="paymentMethod" problem={problem}>
      {({ id, describedBy, invalid }) => (
        <select id={id} value={chosenMethod} onChange={(e) => edit(setMethod)(e.target.value)} {...aria(invalid, describedBy)} data-testid="po-method">
          {methodOptional ? <option value="">{ct('poKeepMethod', { method: state.contract ? label('pm', state.contract.paymentMethod) : '—' })}</option> : null}
          {methods.map((m) => (
            <option key={m} value={m}>
              {label('pm', m)}
            </option>
          ))}
        </select>
      )}
    </Field>,
  );

  /** A quote's effect in the console's words where it has labels for it (limits, the free plan); the API's message otherwise. */
  const noteText = (n: QuoteNote) => {
    const planName = (v: unknown) => (lang === 'ja' && product.plans.some((p) => p.free && p.name === v) ? 'フリープラン' : String(v ?? ''));
    if (n.code === 'limit_changed' && typeof n.limit === 'string') return `${label('limit', n.limit)}: ${String(n.from)} → ${String(n.to)}`;
    if (n.code === 'plan_changed') return `${t('plan')}: ${planName(n.from)} → ${planName(n.to)}`;
    return n.message;
  };
  const q = quote?.quote;
  return (
    <form ref={form} className="kc-form" onSubmit={preview} noValidate aria-labelledby={headingId} data-testid="place-order-form">
      <h3 id={headingId}>{ct('poTitle')}</h3>
      <p className="k-muted">{ct('poIntro')}</p>
      <ProblemAlert problem={problem} fields={FIELDS} />
      <div className="kc-grid">
        <Field label={ct('orderType')} name="type" problem={problem}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              value={type}
              onChange={(e) => {
                edit(setType)(e.target.value as OrderType);
                setPlanId('');
                setTerm('');
                setMethod('');
              }}
              {...aria(invalid, describedBy)}
              autoFocus
              data-testid="po-type"
            >
              {types.map((x) => (
                <option key={x} value={x}>
                  {label('order', x)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {fields}
      </div>
      {type === 'spot' ? (
        <div className="k-field" data-field="agreeToTerms" data-invalid={problem?.errors.some((e) => e.path.replace(/^body\./, '') === 'agreeToTerms') ? 'true' : undefined}>
          <label className="k-check" htmlFor={agreeId}>
            <input
              id={agreeId}
              type="checkbox"
              checked={agree}
              onChange={(e) => edit(setAgree)(e.target.checked)}
              aria-invalid={problem?.errors.some((e) => e.path.replace(/^body\./, '') === 'agreeToTerms') || undefined}
              data-testid="po-agree"
            />
            {ct('poAgree')}
          </label>
          {problem?.errors.filter((e) => e.path.replace(/^body\./, '') === 'agreeToTerms').map((e, k) => (
            <span key={k} className="k-field-error" role="alert" data-testid="error-agreeToTerms">
              {e.message}
            </span>
          ))}
        </div>
      ) : null}
      {q ? (
        <div className="kc-quote" data-testid="po-quote">
          <h4>{ct('poQuoteTitle')}</h4>
          <Table
            rows={q.lines}
            rowKey={(l) => `${l.description}-${l.amount}`}
            columns={[
              { header: ct('poLine'), cell: (l) => (lang === 'ja' ? (l.descriptionJa ?? l.description) : l.description) },
              { header: ct('poQty'), cell: (l) => l.quantity, numeric: true },
              { header: ct('poAmountExcl'), cell: (l) => yenPlain(l.amount), numeric: true },
            ]}
          />
          <Facts
            testId="po-quote-facts"
            items={[
              [t('subtotal'), yenPlain(q.amount.subtotal)],
              [t('tax'), yenPlain(q.amount.tax)],
              [t('total'), <strong data-testid="po-quote-total">{yen(q.amount.total)}</strong>],
              [t('period'), period(q.period.start, q.period.end)],
              [t('paymentMethod'), label('pm', q.paymentMethod)],
              [ct('poDueOn'), date(q.dueOn)],
            ]}
          />
          {q.effects.length + q.warnings.length > 0 ? (
            <ul data-testid="po-quote-notes">
              {q.effects.map((n, k) => (
                <li key={`e${k}`} data-code={n.code}>
                  {noteText(n)}
                </li>
              ))}
              {q.warnings.map((n, k) => (
                <li key={`w${k}`} data-code={n.code}>
                  <strong>{n.message}</strong>
                </li>
              ))}
            </ul>
          ) : null}
          <Alert kind="info" testId="po-acceptance">
            {q.acceptance === 'statement' ? ct('poNeedsStatement') : q.acceptance === 'quotation' ? ct('poNeedsQuotation') : ct('poCompletesAtOnce')}
          </Alert>
        </div>
      ) : null}
      <div className="k-actions">
        {q ? (
          <Button type="button" busy={busy} onClick={() => void place()} data-testid="po-place">
            {q.acceptance === 'statement' || q.acceptance === 'quotation' ? ct('poPlaceForAcceptance') : ct('poPlace')}
          </Button>
        ) : (
          <Button type="submit" busy={busy} data-testid="po-preview">
            {ct('poPreview')}
          </Button>
        )}
        <Button variant="secondary" onClick={props.onClose}>
          {t('close')}
        </Button>
      </div>
    </form>
  );
}
