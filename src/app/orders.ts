/** Use cases of orders: preview (the quote, nothing saved) and place (the same decision, stored). */
import type { Note } from '../domain/notes.js';
import { NOTES } from '../domain/notes.js';
import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import type { AccountRecord } from '../store/accounts.js';
import { findAccount, lockAccount } from '../store/accounts.js';
import type { CancelReason, OrderRecord } from '../store/orders.js';
import { cancelOrderRows, completeOrderRow, findOrder, listOrders as listOrderRows } from '../store/orders.js';
import { lockAndLoadFacts } from '../store/facts.js';
import { skipEffectsOf } from '../store/effects.js';
import type { Rows } from '../store/row-writes.js';
import { toRow, writeRows } from '../store/row-writes.js';
import type { OrderRequest } from '../domain/orders/decide-order.js';
import { decideOrder } from '../domain/orders/decide-order.js';
import type { PlainDate } from '../domain/calendar.js';
import { parseDate } from '../domain/calendar.js';
import { Temporal } from 'temporal-polyfill';
import { businessDate, startOfDayIso } from '../clock.js';
import type { Quote } from '../domain/orders/quote.js';
import type { ContractTerm, SeatGrant } from '../domain/contract.js';
import { productOf } from '../domain/contract.js';
import type { NoticeKind, NoticeParams } from '../domain/notice-templates.js';
import { renderNotice } from '../domain/notice-templates.js';
import { noticeDeliveryOf, noticeLangOf } from './notices.js';
import type { Refusal } from '../domain/refusals.js';
import { isRefusal, refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { actorName, newId, today, nowIso } from './context.js';
import type { AccountFacts } from './state.js';
import { loadFacts, stateOf } from './state.js';
import type { PlannedDocument } from './invoices.js';
import { DOCUMENT_NUMBER_PLACEHOLDER, commitWithDocument, planDocument, writeDocument } from './invoices.js';
import type { CommandOutcome, IdempotencyRequest } from './run-command.js';
import { runCommitting } from './run-command.js';
import { STATE_CHANNEL, announceChange, stateCacheOf } from './state-cache.js';
import { grantEndEffects, termEndEffects } from './scheduler.js';

function decide(ctx: AppContext, facts: AccountFacts, request: OrderRequest): Quote | Refusal {
  return decideOrder(
    { catalog: ctx.catalog, productId: facts.account.productId, contracts: facts.contracts, today: today(ctx), stateOn: (date) => stateOf(ctx, facts, date), accountOptions: facts.account.options },
    request,
  );
}

/** JSON view of a quote (notes keep their code and facts; messages are rendered at the edge). */
export function quoteView(q: Quote) {
  return {
    type: q.type,
    accountId: q.accountId,
    amount: { ...q.amount },
    lines: q.lines,
    taxBreakdown: q.taxBreakdown,
    period: { start: q.period.start.toString(), end: q.period.end.toString() },
    paymentMethod: q.paymentMethod,
    dueOn: q.dueOn.toString(),
    acceptance: q.acceptance,
    effects: q.effects,
    warnings: q.warnings,
  };
}
export type QuoteView = ReturnType<typeof quoteView>;

/** Previews an order: the same decision as placing it, nothing saved (DESIGN 2). */
export async function previewOrder(ctx: AppContext, request: OrderRequest): Promise<QuoteView | Refusal> {
  const account = await findAccount(ctx.db, request.accountId);
  if (!account) return refuse('account_not_found', { id: request.accountId }, 'accountId');
  const decision = decide(ctx, await loadFacts(ctx.db, account), request);
  return isRefusal(decision) ? decision : quoteView(decision);
}

export function orderView(o: OrderRecord) {
  return {
    id: o.id,
    accountId: o.accountId,
    type: o.type,
    status: o.status,
    amount: { ...o.amount, currency: 'JPY' as const },
    period: o.period,
    paymentMethod: o.paymentMethod,
    lines: o.quote.lines,
    taxBreakdown: o.quote.taxBreakdown,
    effects: o.quote.effects,
    warnings: o.quote.warnings,
    acceptance: o.quote.acceptance,
    quoteId: o.quote.quoteId ?? null,
    invoiceId: o.invoiceId,
    dueOn: o.dueOn,
    placedAt: o.placedAt,
    completedAt: o.completedAt,
    /** B9: the last day a statement or quotation can be accepted as stated (null when the order needed no acceptance). */
    validUntil: o.quote.acceptance === 'none' ? null : (o.quote.validUntil ?? null),
    cancelledAt: o.cancelledAt ?? null,
    cancelReason: o.cancelReason ?? null,
  };
}
export type OrderView = ReturnType<typeof orderView>;

/** B9: a statement holds to the end of the month it was placed in (the period moves with the month, B3). */
function statementValidUntil(placedOn: PlainDate): PlainDate {
  return placedOn.with({ day: placedOn.daysInMonth });
}

/** The order with its statement's last day known (orders placed before it was kept: from the day placed, vendor time). */
function withValidity(ctx: AppContext, o: OrderRecord): OrderRecord {
  if (o.quote.acceptance === 'none' || o.quote.validUntil) return o;
  const placedOn = businessDate(Temporal.Instant.from(o.placedAt), ctx.settings.timeZone);
  return { ...o, quote: { ...o.quote, validUntil: statementValidUntil(placedOn).toString() } };
}

/**
 * What the `order.placed` audit event keeps of an order (G5): which order, what it costs, for
 * which period and how it is paid. The order's quote (lines, tax, effects, warnings) is kept with
 * the order as placed and never changed; its status changes through events of their own.
 * docs/decisions.md, "What an audit event keeps".
 */
export function orderPlaced(o: OrderRecord) {
  return {
    id: o.id,
    type: o.type,
    status: o.status,
    amount: { ...o.amount, currency: 'JPY' as const },
    period: o.period,
    paymentMethod: o.paymentMethod,
    acceptance: o.quote.acceptance,
    quoteId: o.quote.quoteId ?? null,
  };
}

/**
 * What an order writes, planned while it is decided (pure: the end effects of its grant or term
 * too) and written at the end (issue 8): every row that does not show a document number, then —
 * last before COMMIT — the document numbered from its gapless series with the rows that show its
 * number (the database functions `write_rows` and `write_numbered_document`; the latter also
 * writes the other rows first when given them). The series' counter row is then locked for that
 * last call and the commit only. For `POST /v1/orders` the one call, the idempotency result, the
 * NOTIFY and the COMMIT go as one message (`placeOrderAlone`).
 */
export class OrderWrites {
  readonly rows: Required<Pick<Rows, 'contracts' | 'contract_terms' | 'seat_grants' | 'effects' | 'events' | 'notices'>> = { contracts: [], contract_terms: [], seat_grants: [], effects: [], events: [], notices: [] };
  /** The order's row, in its final state (placed, or completed with its invoice). */
  order: OrderRecord | undefined;
  /** The quotation or invoice the order issues, if any. */
  document: PlannedDocument | undefined;

  constructor(
    readonly ctx: AppContext,
    readonly actor: Actor,
    readonly account: AccountRecord,
  ) {}

  /** G5: the audit event of a change (the state caches drop the account at flush). */
  audit(e: { action: string; subjectType: string; subjectId: string; before?: unknown; after?: unknown }): void {
    this.rows.events.push(this.#event(e));
  }

  /** An audit event that follows the document's (it is written in the same, last statement). */
  auditAfterDocument(e: { action: string; subjectType: string; subjectId: string; before?: unknown; after?: unknown }): void {
    this.document?.numbered.events.push({ ...this.#event(e), number_key: null });
  }

  /** A notice to the account (as `sendNotice`); `numberParam` names the param that shows the document's number. */
  notice<K extends NoticeKind>(kind: K, params: NoticeParams[K], opts: { dedupeKey: string; attachDocumentId?: string | undefined; numberParam?: keyof NoticeParams[K] & string }): void {
    const lang = noticeLangOf(this.account);
    const shown = opts.numberParam ? { ...params, [opts.numberParam]: DOCUMENT_NUMBER_PLACEHOLDER } : params;
    const { subject, body } = renderNotice(kind, lang, shown, { recipientName: this.account.name, senderName: this.ctx.settings.issuerName });
    const now = nowIso(this.ctx);
    const row = toRow.notice({
      accountId: this.account.id,
      id: newId('ntc'),
      kind,
      lang,
      toEmail: this.account.email,
      subject,
      body,
      params: { ...shown },
      dedupeKey: opts.dedupeKey,
      sentAt: now,
      attachmentDocumentId: opts.attachDocumentId ?? null,
      delivery: noticeDeliveryOf(this.ctx) ? { status: 'pending', nextAttemptAt: now } : { status: 'not-configured', nextAttemptAt: null },
    });
    if (opts.numberParam && this.document) this.document.numbered.notices.push({ ...row, number_key: opts.numberParam });
    else this.rows.notices.push(row);
  }

  /**
   * Writes everything planned. With `commit` (and a document to number) the writes, `commit.also`
   * and the COMMIT go in one message (`commitWithDocument`): returns true, and the transaction
   * must write nothing more.
   */
  async flush(trx: Transaction<Database>, commit?: { also: ReadonlyArray<RawBuilder<unknown>> }): Promise<boolean> {
    const rows = this.allRows();
    let notices: number;
    if (this.document && commit) {
      // The notification for other processes' state caches goes in the message; this process's
      // cache drops the account now that the COMMIT is done (as `announceChange` has it dropped).
      await commitWithDocument(trx, this.document, { rows, also: commit.also, notify: [[STATE_CHANNEL, this.account.id]] });
      stateCacheOf(this.ctx)?.invalidate(this.account.id);
      // Whether a dedupe key held a notice back is not read: the worker looks and finds nothing.
      notices = rows.notices!.length + this.document.numbered.notices.length;
    } else {
      await announceChange(trx, this.account.id);
      notices = (await writeRows(trx, rows)).notices;
      if (this.document) notices += (await writeDocument(trx, this.document)).notices;
    }
    if (notices > 0) noticeDeliveryOf(this.ctx)?.wake?.();
    return Boolean(this.document && commit);
  }

  /** Every row planned but the document's own and those that show its number. */
  allRows(): Rows {
    return { ...this.rows, orders: this.order ? [toRow.order(this.order)] : [] };
  }

  /** How many notices are planned (those a dedupe key holds back included). */
  get noticeCount(): number {
    return this.rows.notices.length + (this.document?.numbered.notices.length ?? 0);
  }

  #event(e: { action: string; subjectType: string; subjectId: string; before?: unknown; after?: unknown }) {
    return toRow.event({ accountId: this.account.id, at: nowIso(this.ctx), actor: actorName(this.actor), before: null, after: null, ...e });
  }
}

/** Places an order: decides it on the locked account, stores its change, invoice, events and effects. */
export async function placeOrder(ctx: AppContext, trx: Transaction<Database>, actor: Actor, request: OrderRequest): Promise<OrderView | Refusal> {
  return (await place(ctx, trx, actor, request)).value;
}

/**
 * An order placed alone (`runPlaceOrder` in order-groups.ts places concurrent ones in groups):
 * in one transaction with its Idempotency-Key (G6), as
 * `runCommand` runs any command — the first result is stored with the key in the same transaction —
 * except that when the order issues a document, the statement that takes its number also stores
 * the result and is sent with the COMMIT (`writeDocumentAndCommit`): the series' counter row is
 * locked for that one message, not while this process gets round to sending the COMMIT.
 */
export async function placeOrderAlone(ctx: AppContext, idem: IdempotencyRequest | undefined, actor: Actor, request: OrderRequest): Promise<CommandOutcome<OrderView | Refusal>> {
  return runCommitting<OrderView | Refusal>(ctx, idem, (trx, storeResult) => place(ctx, trx, actor, request, storeResult));
}

/**
 * Places the order; with `commitWith`, an order that issues a document is committed by its last
 * statement, which also runs the statements `commitWith` gives for the result (as stored JSON).
 */
async function place(
  ctx: AppContext,
  trx: Transaction<Database>,
  actor: Actor,
  request: OrderRequest,
  commitWith?: (stored: unknown) => ReadonlyArray<RawBuilder<unknown>>,
): Promise<{ value: OrderView | Refusal; committed: boolean }> {
  const value = await decideAndPlan(ctx, trx, actor, request);
  if (!('writes' in value)) return { value, committed: false };
  const view = orderView(value.writes.order!);
  const also = commitWith?.(JSON.parse(JSON.stringify(view)));
  const committed = await value.writes.flush(trx, also ? { also } : undefined);
  return { value: view, committed };
}

async function decideAndPlan(ctx: AppContext, trx: Transaction<Database>, actor: Actor, request: OrderRequest): Promise<Refusal | { writes: OrderWrites }> {
  return planOrder(ctx, actor, await lockAndLoadFacts(trx, request.accountId), request);
}

/**
 * Decides an order on its account's locked facts and plans what it writes (nothing written yet):
 * a refusal, or the writes with the order in its final state (`OrderWrites.order`).
 */
export function planOrder(ctx: AppContext, actor: Actor, facts: AccountFacts | undefined, request: OrderRequest): Refusal | { writes: OrderWrites } {
  if (!facts) return refuse('account_not_found', { id: request.accountId }, 'accountId');
  const { account } = facts;
  const quote = decide(ctx, facts, request);
  if (isRefusal(quote)) return quote;
  const now = nowIso(ctx);
  const view = quoteView(quote);
  const order: OrderRecord = {
    id: newId('ord'),
    accountId: account.id,
    type: quote.type,
    status: 'placed',
    request: JSON.parse(JSON.stringify(request)) as Record<string, unknown>,
    quote: { lines: view.lines, effects: view.effects, warnings: view.warnings, taxBreakdown: view.taxBreakdown, acceptance: view.acceptance },
    amount: { subtotal: quote.amount.subtotal, tax: quote.amount.tax, total: quote.amount.total },
    period: view.period,
    paymentMethod: quote.paymentMethod,
    invoiceId: null,
    dueOn: null,
    actor: actor.kind,
    placedAt: now,
    completedAt: null,
  };
  const w = new OrderWrites(ctx, actor, account);
  if (quote.acceptance === 'quotation') {
    // B9: invoice payment gets a quotation before acceptance.
    w.document = planDocument(ctx, actor, {
      account,
      contractId: quote.change.kind === 'new-contract' ? null : quote.change.contractId,
      orderId: order.id,
      lines: quote.lines,
      paymentMethod: quote.paymentMethod,
      issuedOn: today(ctx),
      period: order.period,
      quotation: true,
    });
    order.quote.quoteId = w.document.invoice.id;
  }
  w.audit({ action: 'order.placed', subjectType: 'order', subjectId: order.id, after: orderPlaced(order) });
  if (quote.acceptance !== 'none') {
    // B9: the statement, or the quotation with its PDF, goes to the customer. It holds to the end
    // of this month: accepted later, the period moves (B3) and acceptance answers order_lapsed;
    // at 00:00 on the day after, the order lapses (cancelled, docs/decisions.md).
    const validUntil = statementValidUntil(today(ctx));
    order.quote.validUntil = validUntil.toString();
    w.rows.effects.push(toRow.effect({ accountId: account.id, kind: 'order-lapse', dueAt: startOfDayIso(validUntil.add({ days: 1 }), ctx.settings.timeZone), payload: { orderId: order.id }, createdAt: now }));
    const params = {
      orderId: order.id,
      planName: quote.change.kind === 'seat-grant' ? quote.change.planName : quote.change.term.planName,
      ...order.amount,
      periodStart: order.period.start,
      periodEnd: order.period.end,
      validUntil: validUntil.toString(),
    };
    const dedupeKey = `order-placed:${order.id}`;
    if (w.document) w.notice('quotation-issued', { ...params, quoteNumber: '' }, { dedupeKey, attachDocumentId: w.document.invoice.id, numberParam: 'quoteNumber' });
    else w.notice('statement-issued', params, { dedupeKey });
  }
  w.order = quote.acceptance === 'none' ? completeOrder(ctx, w, facts, order, quote) : order;
  return { writes: w };
}

/** Completes an order (planned into `w`): its change takes effect, its invoice is issued (SPEC B2, B8). */
function completeOrder(ctx: AppContext, w: OrderWrites, facts: AccountFacts, order: OrderRecord, quote: Quote): OrderRecord {
  const { account } = facts;
  const change = quote.change;
  let contractId: string;
  if (change.kind === 'new-contract') {
    contractId = newId('con');
    w.rows.contracts.push(toRow.contract({ id: contractId, accountId: account.id, productId: change.productId, renewal: change.renewal, createdAt: nowIso(ctx) }));
    const term: ContractTerm = { ...change.term, id: newId('trm'), contractId, seq: 0, orderId: order.id };
    w.rows.contract_terms.push(toRow.term(account.id, term));
    w.rows.effects.push(...termEndEffects(ctx, account.id, contractId, term, change.renewal, productOf(ctx.catalog, account.productId)).map(toRow.effect));
    w.audit({
      action: 'contract.created',
      subjectType: 'contract',
      subjectId: contractId,
      after: { planId: term.planId, licenses: term.licenses, start: term.start.toString(), end: term.end.toString(), renewal: change.renewal, paymentMethod: term.paymentMethod },
    });
  } else if (change.kind === 'seat-grant') {
    contractId = change.contractId;
    const grant: SeatGrant = { ...change.grant, id: newId('grt'), contractId, orderId: order.id };
    w.rows.seat_grants.push(toRow.grant(account.id, grant));
    w.rows.effects.push(...grantEndEffects(ctx, account.id, grant).map(toRow.effect));
    w.audit({
      action: grant.kind === 'spot' ? 'contract.spot_added' : 'contract.license_added',
      subjectType: 'contract',
      subjectId: contractId,
      after: { grantId: grant.id, kind: grant.kind, seats: grant.seats, start: grant.start.toString(), end: grant.end.toString(), orderId: order.id },
    });
  } else {
    const contract = facts.contracts.find((c) => c.id === change.contractId);
    const last = contract?.terms.at(-1);
    if (!contract || !last) throw new Error(`successor term for a contract without terms: ${change.contractId}`);
    contractId = contract.id;
    const term: ContractTerm = { ...change.term, id: newId('trm'), contractId: contract.id, seq: last.seq + 1, orderId: order.id };
    w.rows.contract_terms.push(toRow.term(account.id, term));
    w.rows.effects.push(...termEndEffects(ctx, account.id, contract.id, term, contract.renewal, productOf(ctx.catalog, account.productId)).map(toRow.effect));
    w.audit({
      action: 'contract.term_replaced',
      subjectType: 'contract',
      subjectId: contract.id,
      before: { termId: last.id, planId: last.planId, start: last.start.toString(), end: last.end.toString() },
      after: { termId: term.id, planId: term.planId, start: term.start.toString(), end: term.end.toString(), orderType: order.type },
    });
  }
  const planned = planDocument(ctx, w.actor, {
    account,
    contractId,
    orderId: order.id,
    lines: quote.lines,
    paymentMethod: quote.paymentMethod,
    issuedOn: today(ctx),
    period: order.period,
  });
  w.document = planned;
  const invoice = planned.invoice;
  const completed: OrderRecord = { ...order, status: 'completed', invoiceId: invoice.id, dueOn: invoice.dueOn, completedAt: nowIso(ctx) };
  const planName = change.kind === 'seat-grant' ? change.planName : change.term.planName;
  const dedupeKey = `order-completed:${order.id}`;
  if (order.type === 'plan-change' && change.kind === 'successor-term') {
    const before = facts.contracts.find((c) => c.id === change.contractId)?.terms.at(-1);
    w.notice(
      'plan-change-completed',
      {
        fromPlan: before?.planName ?? '-',
        planName,
        total: invoice.amount.total,
        dueOn: invoice.dueOn,
        billedFrom: order.period.start,
        reupload: quote.warnings.some((x) => x.code === 'reupload_required'),
        invoiceNumber: '',
      },
      { dedupeKey, attachDocumentId: invoice.id, numberParam: 'invoiceNumber' },
    );
  } else w.notice('order-completed', { planName, total: invoice.amount.total, dueOn: invoice.dueOn, invoiceNumber: '' }, { dedupeKey, attachDocumentId: invoice.id, numberParam: 'invoiceNumber' });
  w.auditAfterDocument({ action: 'order.completed', subjectType: 'order', subjectId: order.id, before: { status: order.status }, after: { status: 'completed', invoiceId: invoice.id, dueOn: invoice.dueOn } });
  return completed;
}

/** Parses the date fields of a stored order request back into business dates. */
function storedRequest(order: OrderRecord): OrderRequest {
  const r = { ...order.request } as Record<string, unknown>;
  for (const key of ['startDate', 'effectiveDate']) if (typeof r[key] === 'string') r[key] = parseDate(r[key]);
  return r as unknown as OrderRequest;
}

/**
 * The customer accepts the statement or quotation (B9): the order is decided again on today's
 * facts and completes — its change takes effect (B2) and its invoice is issued (B8). A statement
 * that no longer holds (another month, usage grown past the new limit) is refused.
 */
export async function acceptOrder(ctx: AppContext, trx: Transaction<Database>, actor: Actor, orderId: string, scope?: string): Promise<OrderView | Refusal> {
  const found = await findOrder(trx, orderId, scope);
  if (!found) return refuse('order_not_found', { id: orderId });
  const facts: AccountFacts | undefined = await lockAndLoadFacts(trx, found.accountId);
  const order = await findOrder(trx, orderId, found.accountId);
  if (!facts || !order) return refuse('order_not_found', { id: orderId });
  if (order.status !== 'placed') return refuse('order_not_awaiting_acceptance', { id: order.id, status: order.status });
  const validUntil = withValidity(ctx, order).quote.validUntil;
  if (validUntil && today(ctx).toString() > validUntil) return refuse('order_lapsed', { id: order.id, validUntil });
  const { account } = facts;
  const quote = decide(ctx, facts, storedRequest(order));
  if (isRefusal(quote)) return quote;
  const view = quoteView(quote);
  if (quote.amount.total !== order.amount.total || view.period.start !== order.period.start || view.period.end !== order.period.end) {
    return refuse('quote_expired', { id: order.id, total: quote.amount.total, start: view.period.start, end: view.period.end });
  }
  // What the customer accepts is what the statement said it would do: the same change from the
  // same contract. Another order completed since (a second tab, the operator) makes it another
  // change — Business 30 → 10 where Business 5 → 10 was shown — and would bill the period again.
  const outdated = firstDifference(order.quote.effects as Note[], quote.effects);
  if (outdated) return refuse('order_outdated', { id: order.id, ...outdated });
  if (canonical(order.quote.lines) !== canonical(view.lines)) return refuse('quote_expired', { id: order.id, total: quote.amount.total, start: view.period.start, end: view.period.end });
  const w = new OrderWrites(ctx, actor, account);
  const completed = completeOrder(ctx, w, facts, order, quote);
  await completeOrderRow(trx, completed);
  await skipEffectsOf(trx, account.id, ['order-lapse'], { orderId: order.id }, nowIso(ctx));
  await w.flush(trx);
  return orderView(completed);
}

export async function getOrder(ctx: AppContext, id: string, accountId?: string): Promise<OrderView | Refusal> {
  const o = await findOrder(ctx.db, id, accountId);
  return o ? orderView(withValidity(ctx, o)) : refuse('order_not_found', { id });
}

/** Orders newest first: across accounts for the operator (e.g. those waiting for acceptance), or one account's. */
export async function listOrders(ctx: AppContext, opts: { status?: OrderRecord['status'] | undefined; accountId?: string | undefined; limit: number }): Promise<OrderView[]> {
  return (await listOrderRows(ctx.db, opts)).map((o) => orderView(withValidity(ctx, o)));
}

/**
 * A placed order will not be accepted (B9): the customer withdraws it, or the operator cancels it
 * on the customer's behalf. It becomes `cancelled` (nothing was billed; a quotation issued for it
 * stays on file as issued), audited, and the customer is told. An order already completed,
 * cancelled or lapsed is 409 `order_not_awaiting_acceptance`.
 */
export async function cancelOrder(ctx: AppContext, trx: Transaction<Database>, actor: Actor, orderId: string, scope?: string, note?: string): Promise<OrderView | Refusal> {
  const found = await findOrder(trx, orderId, scope);
  if (!found) return refuse('order_not_found', { id: orderId });
  // The account's lock orders this against an acceptance of the same order (one of the two wins).
  const account = await lockAccount(trx, found.accountId);
  const order = await findOrder(trx, orderId, found.accountId);
  if (!account || !order) return refuse('order_not_found', { id: orderId });
  if (order.status !== 'placed') return refuse('order_not_awaiting_acceptance', { id: order.id, status: order.status });
  const reason: CancelReason = actor.kind === 'operator' ? 'operator' : 'withdrawn';
  const at = nowIso(ctx);
  await cancelOrderRows(trx, [{ accountId: account.id, id: order.id, at, reason }]);
  await skipEffectsOf(trx, account.id, ['order-lapse'], { orderId: order.id }, at);
  const w = new OrderWrites(ctx, actor, account);
  w.audit({ action: 'order.cancelled', subjectType: 'order', subjectId: order.id, before: { status: 'placed' }, after: { status: 'cancelled', reason, ...(note ? { note } : {}) } });
  w.notice('order-cancelled', { orderId: order.id, orderType: order.type, total: order.amount.total, placedOn: businessDate(Temporal.Instant.from(order.placedAt), ctx.settings.timeZone).toString(), byOperator: reason === 'operator' }, { dedupeKey: `order-cancelled:${order.id}` });
  await w.flush(trx);
  return orderView(withValidity(ctx, { ...order, status: 'cancelled', cancelledAt: at, cancelReason: reason }));
}

/** The first effect an order's statement showed that deciding it again no longer gives (or gives differently), as params of `order_outdated`. */
function firstDifference(shown: readonly Note[], now: readonly Note[]): { then: string; now: string; thenJa: string; nowJa: string } | undefined {
  const key = (n: Note | undefined) => (n ? canonical([n.code, n.params]) : '');
  for (let i = 0; i < Math.max(shown.length, now.length); i++) {
    if (key(shown[i]) === key(now[i])) continue;
    const text = (n: Note | undefined, lang: 'en' | 'ja') => (n && n.code in NOTES ? NOTES[n.code][lang](n.params) : lang === 'ja' ? '（なし）' : '(nothing)');
    return { then: text(shown[i], 'en'), now: text(now[i], 'en'), thenJa: text(shown[i], 'ja'), nowJa: text(now[i], 'ja') };
  }
  return undefined;
}

/** JSON with every object's keys sorted: a value read back from `jsonb` (which reorders keys) compares equal to the one written. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
