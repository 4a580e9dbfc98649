/** Use cases of orders: preview (the quote, nothing saved) and place (the same decision, stored). */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { findAccount, lockAccount } from '../store/accounts.js';
import { insertContract, insertGrant, insertTerm } from '../store/contracts.js';
import type { OrderRecord } from '../store/orders.js';
import { findOrder, insertOrder, listOrders as listOrderRows } from '../store/orders.js';
import type { OrderRequest } from '../domain/orders/decide-order.js';
import { decideOrder } from '../domain/orders/decide-order.js';
import { parseDate } from '../domain/calendar.js';
import type { Quote } from '../domain/orders/quote.js';
import type { ContractTerm, SeatGrant } from '../domain/contract.js';
import { productOf } from '../domain/contract.js';
import { sendNotice } from './notices.js';
import type { Refusal } from '../domain/refusals.js';
import { isRefusal, refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { newId, today, nowIso } from './context.js';
import type { AccountFacts } from './state.js';
import { loadFacts, stateOf } from './state.js';
import { audit } from './audit.js';
import { issueInvoice } from './invoices.js';
import { scheduleGrantEnd, scheduleTermEnd } from './scheduler.js';

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
  };
}
export type OrderView = ReturnType<typeof orderView>;

/** Places an order: decides it on the locked account, stores its change, invoice, events and effects. */
export async function placeOrder(ctx: AppContext, trx: Transaction<Database>, actor: Actor, request: OrderRequest): Promise<OrderView | Refusal> {
  const account = await lockAccount(trx, request.accountId);
  if (!account) return refuse('account_not_found', { id: request.accountId }, 'accountId');
  const facts = await loadFacts(trx, account);
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
  let quoteNumber: string | undefined;
  if (quote.acceptance === 'quotation') {
    // B9: invoice payment gets a quotation before acceptance.
    const quotation = await issueInvoice(ctx, trx, actor, {
      account,
      contractId: quote.change.kind === 'new-contract' ? null : quote.change.contractId,
      orderId: order.id,
      lines: quote.lines,
      paymentMethod: quote.paymentMethod,
      issuedOn: today(ctx),
      period: order.period,
      quotation: true,
    });
    order.quote.quoteId = quotation.id;
    quoteNumber = quotation.number;
  }
  await insertOrder(trx, order);
  await audit(ctx, trx, actor, { accountId: account.id, action: 'order.placed', subjectType: 'order', subjectId: order.id, after: orderView(order) });
  if (quote.acceptance !== 'none') {
    // B9: the statement, or the quotation with its PDF, goes to the customer. It holds to the end
    // of this month: accepted later, the period moves (B3) and acceptance answers quote_expired.
    const day = today(ctx);
    const params = {
      orderId: order.id,
      planName: quote.change.kind === 'seat-grant' ? quote.change.planName : quote.change.term.planName,
      ...order.amount,
      periodStart: order.period.start,
      periodEnd: order.period.end,
      validUntil: day.with({ day: day.daysInMonth }).toString(),
    };
    const dedupeKey = `order-placed:${order.id}`;
    if (quoteNumber) await sendNotice(ctx, trx, { accountId: account.id, kind: 'quotation-issued', params: { ...params, quoteNumber }, dedupeKey, attachDocumentId: order.quote.quoteId ?? undefined });
    else await sendNotice(ctx, trx, { accountId: account.id, kind: 'statement-issued', params, dedupeKey });
  }
  const completed = quote.acceptance === 'none' ? await completeOrder(ctx, trx, actor, facts, order, quote) : order;
  return orderView(completed);
}

/** Completes an order: its change takes effect, its invoice is issued (SPEC B2, B8). */
async function completeOrder(ctx: AppContext, trx: Transaction<Database>, actor: Actor, facts: AccountFacts, order: OrderRecord, quote: Quote): Promise<OrderRecord> {
  const { account } = facts;
  const change = quote.change;
  let contractId: string;
  if (change.kind === 'new-contract') {
    contractId = newId('con');
    await insertContract(trx, { id: contractId, accountId: account.id, productId: change.productId, renewal: change.renewal, createdAt: nowIso(ctx) });
    const term: ContractTerm = { ...change.term, id: newId('trm'), contractId, seq: 0, orderId: order.id };
    await insertTerm(trx, account.id, term);
    await scheduleTermEnd(ctx, trx, account.id, contractId, term, change.renewal, productOf(ctx.catalog, account.productId));
    await audit(ctx, trx, actor, {
      accountId: account.id,
      action: 'contract.created',
      subjectType: 'contract',
      subjectId: contractId,
      after: { planId: term.planId, licenses: term.licenses, start: term.start.toString(), end: term.end.toString(), renewal: change.renewal, paymentMethod: term.paymentMethod },
    });
  } else if (change.kind === 'seat-grant') {
    contractId = change.contractId;
    const grant: SeatGrant = { ...change.grant, id: newId('grt'), contractId, orderId: order.id };
    await insertGrant(trx, account.id, grant);
    await scheduleGrantEnd(ctx, trx, account.id, grant);
    await audit(ctx, trx, actor, {
      accountId: account.id,
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
    await insertTerm(trx, account.id, term);
    await scheduleTermEnd(ctx, trx, account.id, contract.id, term, contract.renewal, productOf(ctx.catalog, account.productId));
    await audit(ctx, trx, actor, {
      accountId: account.id,
      action: 'contract.term_replaced',
      subjectType: 'contract',
      subjectId: contract.id,
      before: { termId: last.id, planId: last.planId, start: last.start.toString(), end: last.end.toString() },
      after: { termId: term.id, planId: term.planId, start: term.start.toString(), end: term.end.toString(), orderType: order.type },
    });
  }
  const invoice = await issueInvoice(ctx, trx, actor, {
    account,
    contractId,
    orderId: order.id,
    lines: quote.lines,
    paymentMethod: quote.paymentMethod,
    issuedOn: today(ctx),
    period: order.period,
  });
  const completed: OrderRecord = { ...order, status: 'completed', invoiceId: invoice.id, dueOn: invoice.dueOn, completedAt: nowIso(ctx) };
  await trx
    .updateTable('orders')
    .set({ status: 'completed', invoice_id: invoice.id, due_on: invoice.dueOn, completed_at: completed.completedAt })
    .where('account_id', '=', account.id)
    .where('id', '=', order.id)
    .execute();
  const planName = change.kind === 'seat-grant' ? change.planName : change.term.planName;
  if (order.type === 'plan-change' && change.kind === 'successor-term') {
    const before = facts.contracts.find((c) => c.id === change.contractId)?.terms.at(-1);
    await sendNotice(ctx, trx, {
      accountId: account.id,
      kind: 'plan-change-completed',
      params: {
        fromPlan: before?.planName ?? '-',
        planName,
        total: invoice.amount.total,
        dueOn: invoice.dueOn,
        billedFrom: order.period.start,
        reupload: quote.warnings.some((w) => w.code === 'reupload_required'),
        invoiceNumber: invoice.number,
      },
      dedupeKey: `order-completed:${order.id}`,
      attachDocumentId: invoice.id,
    });
  } else
    await sendNotice(ctx, trx, {
      accountId: account.id,
      kind: 'order-completed',
      params: { planName, total: invoice.amount.total, dueOn: invoice.dueOn, invoiceNumber: invoice.number },
      dedupeKey: `order-completed:${order.id}`,
      attachDocumentId: invoice.id,
    });
  await audit(ctx, trx, actor, { accountId: account.id, action: 'order.completed', subjectType: 'order', subjectId: order.id, before: { status: order.status }, after: { status: 'completed', invoiceId: invoice.id, dueOn: invoice.dueOn } });
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
  const account = await lockAccount(trx, found.accountId);
  const order = await findOrder(trx, orderId, found.accountId);
  if (!account || !order) return refuse('order_not_found', { id: orderId });
  if (order.status !== 'placed') return refuse('order_not_awaiting_acceptance', { id: order.id, status: order.status });
  const facts = await loadFacts(trx, account);
  const quote = decide(ctx, facts, storedRequest(order));
  if (isRefusal(quote)) return quote;
  const view = quoteView(quote);
  if (quote.amount.total !== order.amount.total || view.period.start !== order.period.start || view.period.end !== order.period.end) {
    return refuse('quote_expired', { id: order.id, why: `it now reads ${quote.amount.total} yen for ${view.period.start} – ${view.period.end}` });
  }
  return orderView(await completeOrder(ctx, trx, actor, facts, order, quote));
}

export async function getOrder(ctx: AppContext, id: string, accountId?: string): Promise<OrderView | Refusal> {
  const o = await findOrder(ctx.db, id, accountId);
  return o ? orderView(o) : refuse('order_not_found', { id });
}

/** Orders across accounts for the operator (e.g. those waiting for acceptance), newest first. */
export async function listOrders(ctx: AppContext, opts: { status?: OrderRecord['status'] | undefined; accountId?: string | undefined; limit: number }): Promise<OrderView[]> {
  return (await listOrderRows(ctx.db, opts)).map(orderView);
}
