/** A new contract (API.md `new-contract`): a paid plan for one term from a start date. */
import { Temporal } from 'temporal-polyfill';
import type { PaymentMethod, PlainDate, Term } from '../calendar.js';
import { periodEnd, termMonths } from '../calendar.js';
import { dueDateOf } from './due-dates.js';
import type { Catalog } from '../catalog.js';
import { allowedPaymentMethods, termPrice } from '../catalog.js';
import type { AccountState, Contract, RenewalChoice } from '../contract.js';
import { contractEnd, productOf, termLimits } from '../contract.js';
import { STANDARD_RATE, computeTax, money } from '../money.js';
import { note } from '../notes.js';
import type { Decision } from '../refusals.js';
import { refuse } from '../refusals.js';
import { limitEffects } from './limit-effects.js';
import { termLine } from '../term-line.js';
import { termFact } from './term-fact.js';
import type { Quote } from './quote.js';

export interface NewContractRequest {
  accountId: string;
  planId: string;
  term: Term;
  startDate: PlainDate;
  quantity?: number | undefined;
  paymentMethod: PaymentMethod;
  renewal?: RenewalChoice | undefined;
}

export interface NewContractInput {
  catalog: Catalog;
  productId: string;
  contracts: readonly Contract[];
  /** The account's state on the start date before this order. */
  stateAtStart: AccountState;
  today: PlainDate;
  request: NewContractRequest;
}

const cmp = Temporal.PlainDate.compare;

/** Renewal choices a product offers: `to-free` means "do not renew" (SPEC §2, P2). */
export function renewalChoices(mode: 'renew-or-free' | 'expire-to-free' | 'renew-same-term'): RenewalChoice[] {
  return mode === 'expire-to-free' ? ['to-free'] : ['renew', 'to-free'];
}

/**
 * Decides a new contract: the quote, or the first rule it breaks.
 *
 * @example
 * decideNewContract({ ..., request: { planId: 'plan-10', term: 'P1Y', startDate: parseDate('2022-01-01'), ... } })
 * // period 2022-01-01 – 2022-12-31 (SPEC P1), amount 5,000 + 500 tax
 */
export function decideNewContract(input: NewContractInput): Decision<Quote> {
  const { catalog, request: req, today } = input;
  const product = productOf(catalog, input.productId);
  const found = catalog.plan(req.planId);
  if (found && found.product.id !== product.id) {
    return refuse('no_product_for_account', { planId: req.planId, planProduct: found.product.id, product: product.id }, 'planId');
  }
  if (!found) {
    return refuse('unknown_plan', { product: product.id, planId: req.planId, choices: product.plans.filter((p) => !p.free).map((p) => p.id).join(', ') }, 'planId');
  }
  const plan = found.plan;
  if (plan.free) return refuse('plan_is_free', { planName: plan.name }, 'planId');
  const terms = plan.terms ?? [];
  if (!terms.includes(req.term)) return refuse('term_not_offered', { planName: plan.name, term: req.term, choices: terms.join(', ') }, 'term');
  const size = plan.license?.size ?? 1;
  const quantity = req.quantity ?? size;
  // A plan without licenses is bought once; a licensed plan in whole licenses (Starter: 100s).
  if (!Number.isSafeInteger(quantity) || quantity <= 0 || quantity % size !== 0 || (!plan.license && quantity !== 1)) {
    return refuse('invalid_quantity', { quantity, size }, 'quantity');
  }
  const methods = allowedPaymentMethods(plan, req.term);
  if (!methods.includes(req.paymentMethod)) {
    return refuse('payment_method_not_allowed', { method: req.paymentMethod, planName: plan.name, term: req.term, choices: methods.join(', ') }, 'paymentMethod');
  }
  const choices = renewalChoices(product.renewal.mode);
  const renewal = req.renewal ?? ('default' in product.renewal ? product.renewal.default : 'to-free');
  if (!choices.includes(renewal)) return refuse('renewal_not_offered', { product: product.id, renewal, choices: choices.join(', ') }, 'renewal');
  if (cmp(req.startDate, today) < 0) return refuse('start_date_in_past', { startDate: req.startDate.toString(), today: today.toString() }, 'startDate');

  const months = termMonths(req.term);
  const start = req.startDate;
  const end = periodEnd(start, months);
  for (const contract of input.contracts) {
    const first = contract.terms[0];
    const last = contractEnd(contract);
    if (!first || !last) continue;
    // A contract set to renew runs on past its current end (SPEC §2 renewal policies).
    const openEnded = contract.renewal === 'renew' && product.renewal.mode !== 'expire-to-free' && !contract.cancelledFrom;
    if (cmp(first.start, end) <= 0 && (openEnded || cmp(start, last) <= 0)) {
      const current = contract.terms.at(-1)!;
      return refuse('contract_exists', { planName: current.planName, start: first.start.toString(), end: last.toString() }, 'startDate');
    }
  }

  const licenses = quantity / size;
  const unit = termPrice(plan, req.term);
  const amount = unit * licenses;
  const tax = computeTax([{ amount, rate: STANDARD_RATE }]);
  const fact = termFact(plan, { term: req.term, licenses, start, end, paymentMethod: req.paymentMethod });

  const before = input.stateAtStart;
  const effects = [
    note('plan_changed', { ...(before.plan ? { from: before.plan.name } : {}), to: plan.name }),
    ...limitEffects(before, { limits: termLimits({ ...fact, id: '', contractId: '', seq: 0, orderId: '' }), features: plan.features }),
  ];
  const warnings = cmp(start, today) > 0 ? [note('starts_later', { start: start.toString(), current: before.plan?.name ?? '-' })] : [];
  return {
    type: 'new-contract',
    accountId: req.accountId,
    paymentMethod: req.paymentMethod,
    lines: [termLine({ planName: plan.name, license: plan.license ?? null, licenses, term: req.term, unitPrice: unit, yearly: plan.price?.per === 'P1Y' })],
    amount: money(tax.subtotal, tax.tax),
    taxBreakdown: tax.breakdown,
    period: { start, end },
    effects,
    warnings,
    dueOn: dueDateOf(today, req.paymentMethod),
    acceptance: 'none',
    change: { kind: 'new-contract', productId: product.id, renewal, term: fact },
  };
}
