/**
 * Orders on a running one-year plan (SPEC §4): the upgrade renewal (P3) and the mid-term upgrade
 * (P4). Both append a successor term from today; the plan they replace is never edited.
 */
import { jaPeriod } from '../line-text.js';
import { Temporal } from 'temporal-polyfill';
import type { PaymentMethod, PlainDate } from '../calendar.js';
import { periodEnd, termMonths } from '../calendar.js';
import { dueDateOf } from './due-dates.js';
import type { Catalog, Plan, Product } from '../catalog.js';
import { allowedPaymentMethods, orderTypesOffered, termPrice } from '../catalog.js';
import type { AccountState, Contract, ContractTerm } from '../contract.js';
import { productOf, renewalWindowOpens, termLimits, termOn, upcomingStart } from '../contract.js';
import { STANDARD_RATE, computeTax, formatTaxIncluded, money } from '../money.js';
import type { Note } from '../notes.js';
import { note } from '../notes.js';
import type { Decision, Refusal } from '../refusals.js';
import { isRefusal, refuse } from '../refusals.js';
import { limitEffects } from './limit-effects.js';
import type { Quote, QuoteLine } from './quote.js';
import { termFact } from './term-fact.js';

export interface PremiumOrderInput {
  catalog: Catalog;
  productId: string;
  contracts: readonly Contract[];
  today: PlainDate;
  stateToday: AccountState;
  request: { type: 'renewal' | 'upgrade'; accountId: string; planId: string; paymentMethod?: PaymentMethod | undefined };
}

interface Running {
  product: Product;
  contract: Contract;
  term: ContractTerm;
  plan: Plan;
  windowMonths: number | null;
}

const cmp = Temporal.PlainDate.compare;

function running(input: PremiumOrderInput): Running | Refusal {
  const product = productOf(input.catalog, input.productId);
  const current = termOn(input.contracts, input.today);
  if (!current) return refuse('not_on_paid_plan', { today: input.today.toString(), starts: upcomingStart(input.contracts, input.today)?.toString() });
  const found = input.catalog.plan(input.request.planId);
  if (found && found.product.id !== product.id) return refuse('no_product_for_account', { planId: input.request.planId, planProduct: found.product.id, product: product.id }, 'planId');
  if (!found) return refuse('unknown_plan', { product: product.id, planId: input.request.planId, choices: product.plans.filter((p) => !p.free).map((p) => p.id).join(', ') }, 'planId');
  const window = product.renewal.mode === 'expire-to-free' && product.renewal.upgradeWindow ? Number(product.renewal.upgradeWindow.slice(1, -1)) : null;
  return { product, contract: current.contract, term: current.term, plan: found.plan, windowMonths: window };
}

function paymentMethodFor(r: Running, requested: PaymentMethod | undefined): PaymentMethod | Refusal {
  const method = requested ?? r.term.paymentMethod;
  const term = r.term.term;
  const methods = allowedPaymentMethods(r.plan, term);
  if (!methods.includes(method)) return refuse('payment_method_not_allowed', { method, planName: r.plan.name, term, choices: methods.join(', ') }, 'paymentMethod');
  return method;
}

function priced(line: QuoteLine): { amount: ReturnType<typeof money>; taxBreakdown: ReturnType<typeof computeTax>['breakdown'] } {
  const tax = computeTax([{ amount: line.amount, rate: STANDARD_RATE }]);
  return { amount: money(tax.subtotal, tax.tax), taxBreakdown: tax.breakdown };
}

function effectsOf(r: Running, stateToday: AccountState): Note[] {
  return [note('plan_changed', { from: r.term.planName, to: r.plan.name }), ...limitEffects(stateToday, { limits: termLimits({ ...termFact(r.plan, { term: r.term.term, licenses: r.term.licenses, start: r.term.start, end: r.term.end, paymentMethod: r.term.paymentMethod }), id: '', contractId: '', seq: 0, orderId: '' }), features: r.plan.features })];
}

/** The new end of an upgrade renewal: one year after the current end (P3: 2022-12-31 → 2023-12-31). */
export function renewedEnd(end: PlainDate, months: number): PlainDate {
  return periodEnd(end.add({ days: 1 }), months);
}

/**
 * P3 upgrade renewal: inside the window (remaining validity ≤ 2 months), into an equal or higher
 * plan; the new plan applies from today and runs to the current end + 1 year, at its 1-year price.
 *
 * @example Plan 10 valid 2022-01-01 – 2022-12-31, renewal into plan-20 on 2022-12-01 → 2022-12-01 – 2023-12-31
 */
export function decideRenewal(input: PremiumOrderInput): Decision<Quote> {
  const r = running(input);
  if (isRefusal(r)) return r;
  const { today } = input;
  if (r.windowMonths === null) return refuse('order_type_not_available', { type: 'renewal', product: r.product.id, choices: orderTypesOffered(r.product).join(', ') }, 'type');
  const choices = r.product.plans.filter((p) => !p.free && p.rank >= r.term.rank);
  if (r.plan.free || r.plan.rank < r.term.rank) {
    return refuse('plan_lower_than_current', { planName: r.plan.name, currentName: r.term.planName, choices: choices.map((p) => p.id).join(', ') }, 'planId');
  }
  const opens = renewalWindowOpens(r.term.end, r.windowMonths);
  if (cmp(today, opens) < 0) return refuse('renewal_window_closed', { opens: opens.toString(), months: r.windowMonths, end: r.term.end.toString() });
  const method = paymentMethodFor(r, input.request.paymentMethod);
  if (isRefusal(method)) return method;
  const months = termMonths(r.term.term);
  const end = renewedEnd(r.term.end, months);
  const price = termPrice(r.plan, r.term.term) * r.term.licenses;
  const line: QuoteLine = {
    description: `${r.plan.name} (renewal, ${today.toString()} – ${end.toString()})`,
    descriptionJa: `${r.plan.name}（継続更新 ${jaPeriod(today.toString(), end.toString())}）`,
    quantity: 1, unitPrice: price, amount: price, taxRate: STANDARD_RATE.percent };
  const fact = termFact(r.plan, { term: r.term.term, licenses: r.term.licenses, start: today, end, paymentMethod: method });
  return {
    type: 'renewal',
    accountId: input.request.accountId,
    paymentMethod: method,
    lines: [line],
    ...priced(line),
    period: { start: today, end },
    effects: [...effectsOf(r, input.stateToday), note('validity_extended', { from: r.term.end.toString(), to: end.toString() })],
    warnings: [],
    dueOn: dueDateOf(today, method),
    acceptance: 'none',
    change: { kind: 'successor-term', contractId: r.contract.id, term: fact },
  };
}

/**
 * P4 mid-term upgrade: to a higher plan for the rest of the validity (end unchanged), at the
 * difference between the two plans' prices. Inside the renewal window the quote points to the
 * upgrade renewal instead (a warning).
 */
export function decideUpgrade(input: PremiumOrderInput): Decision<Quote> {
  const r = running(input);
  if (isRefusal(r)) return r;
  const { today } = input;
  // Plan changes of renewing products take effect from the next month (B3): another order type.
  if (r.windowMonths === null) return refuse('order_type_not_available', { type: 'upgrade', product: r.product.id, choices: orderTypesOffered(r.product).join(', ') }, 'type');
  if (r.plan.free || r.plan.rank <= r.term.rank) {
    const higher = r.product.plans.filter((p) => !p.free && p.rank > r.term.rank);
    return refuse('plan_not_higher', { planName: r.plan.name, currentName: r.term.planName, choices: higher.map((p) => p.id).join(', ') || '(none: this is the highest plan)' }, 'planId');
  }
  const method = paymentMethodFor(r, input.request.paymentMethod);
  if (isRefusal(method)) return method;
  const newPrice = termPrice(r.plan, r.term.term) * r.term.licenses;
  // P4: the difference between the two plans' prices; the current plan's price is what it was sold at.
  const difference = Math.max(0, newPrice - r.term.termPrice);
  const line: QuoteLine = {
    description: `${r.term.planName} → ${r.plan.name} (upgrade, ${today.toString()} – ${r.term.end.toString()})`,
    descriptionJa: `${r.term.planName} → ${r.plan.name}（アップグレード ${jaPeriod(today.toString(), r.term.end.toString())}）`,
    quantity: 1, unitPrice: difference, amount: difference, taxRate: STANDARD_RATE.percent };
  const fact = termFact(r.plan, { term: r.term.term, licenses: r.term.licenses, start: today, end: r.term.end, paymentMethod: method });
  const warnings: Note[] = [];
  if (r.windowMonths !== null && cmp(today, renewalWindowOpens(r.term.end, r.windowMonths)) >= 0) {
    const renewalPrice = computeTax([{ amount: newPrice, rate: STANDARD_RATE }]).total;
    warnings.push(note('renewal_offer_better', { planName: r.plan.name, price: formatTaxIncluded(renewalPrice, 'en'), newEnd: renewedEnd(r.term.end, termMonths(r.term.term)).toString() }));
  }
  return {
    type: 'upgrade',
    accountId: input.request.accountId,
    paymentMethod: method,
    lines: [line],
    ...priced(line),
    period: { start: today, end: r.term.end },
    effects: effectsOf(r, input.stateToday),
    warnings,
    dueOn: dueDateOf(today, method),
    acceptance: 'none',
    change: { kind: 'successor-term', contractId: r.contract.id, term: fact },
  };
}
