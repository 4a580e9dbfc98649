/**
 * Seats on top of a main contract [SPOT]: spot orders (S1–S7, S10) and permanent license
 * additions (S6). Both are seat grants of the main contract for a period.
 */
import { jaMonths } from '../line-text.js';
import { Temporal } from 'temporal-polyfill';
import type { PaymentMethod, PlainDate } from '../calendar.js';
import { nthPeriod, periodEnd, termMonths } from '../calendar.js';
import { dueDateOf } from './due-dates.js';
import type { Catalog, Product } from '../catalog.js';
import { allowedPaymentMethods, orderTypesOffered } from '../catalog.js';
import type { AccountState, Contract, ContractTerm } from '../contract.js';
import { nextTermPeriod, productOf, termOn } from '../contract.js';
import { STANDARD_RATE, computeTax, money } from '../money.js';
import type { Note } from '../notes.js';
import { note } from '../notes.js';
import type { Decision, Refusal } from '../refusals.js';
import { isRefusal, refuse } from '../refusals.js';
import type { Quote, QuoteLine } from './quote.js';

/** Longest spot period offered, in months (S2 bounds it by the main term anyway). */
export const MAX_SPOT_MONTHS = 24;

const cmp = Temporal.PlainDate.compare;

export interface SeatOrderInput {
  catalog: Catalog;
  productId: string;
  contracts: readonly Contract[];
  today: PlainDate;
  stateOn: (date: PlainDate) => AccountState;
}

export interface SpotRequest {
  accountId: string;
  seats: number;
  startDate: PlainDate;
  months: number;
  agreeToTerms?: boolean | undefined;
  paymentMethod: PaymentMethod;
}

export interface LicenseAdditionRequest {
  accountId: string;
  seats: number;
  effectiveDate: PlainDate;
  paymentMethod: PaymentMethod;
}

/** The main contract's term on `date`, or the refusal that says why there is none (S7). */
function mainTermOn(input: SeatOrderInput, date: PlainDate): { contract: Contract; term: ContractTerm } | Refusal {
  const found = termOn(input.contracts, date);
  if (found) return found;
  const upcoming = input.contracts
    .filter((c) => !c.cancelledFrom && c.terms[0] && cmp(c.terms[0].start, date) > 0)
    .map((c) => c.terms[0]!.start)
    .sort(cmp)[0];
  if (upcoming) return refuse('spot_before_paid_start', { paidStart: upcoming.toString(), start: date.toString() }, 'startDate');
  return refuse('not_on_paid_plan', { today: date.toString() });
}

function licensesOf(term: ContractTerm, seats: number): number | Refusal {
  const size = term.license?.size ?? 1;
  // S1: only whole licenses (Starter: multiples of 100).
  if (!Number.isSafeInteger(seats) || seats <= 0 || seats % size !== 0) return refuse('invalid_quantity', { quantity: seats, size }, 'seats');
  return seats / size;
}

function checkMethod(term: ContractTerm, method: PaymentMethod, input: SeatOrderInput): Refusal | undefined {
  const plan = input.catalog.plan(term.planId)?.plan;
  const methods = plan ? allowedPaymentMethods(plan, term.term) : [term.paymentMethod];
  if (!methods.includes(method)) return refuse('payment_method_not_allowed', { method, planName: term.planName, term: term.term, choices: methods.join(', ') }, 'paymentMethod');
  return undefined;
}

function priced(type: Quote['type'], accountId: string, line: QuoteLine, method: PaymentMethod, today: PlainDate) {
  const tax = computeTax([{ amount: line.amount, rate: STANDARD_RATE }]);
  return { type, accountId, paymentMethod: method, lines: [line], amount: money(tax.subtotal, tax.tax), taxBreakdown: tax.breakdown, dueOn: dueDateOf(today, method), acceptance: 'none' as const };
}

const monthsLabel = (n: number) => `${n} month${n === 1 ? '' : 's'}`;

/** S3 bound: the end of the next term while the contract renews, else of the current term. */
export function spotBound(product: Product, contract: Contract, term: ContractTerm): { bound: PlainDate; why: 'renews' | 'returns-to-free' } {
  const renews = contract.renewal === 'renew' && product.renewal.mode !== 'expire-to-free';
  if (!renews) return { bound: term.end, why: 'returns-to-free' };
  return { bound: nextTermPeriod(contract.terms.filter((t) => t.seq <= term.seq)).end, why: 'renews' };
}

/** Members over the limit on `on` (the day after a period), given who is active now (S9 warning). */
function deactivationWarning(input: SeatOrderInput, on: PlainDate, extraSeatsOn: number): Note[] {
  const after = input.stateOn(on).seats;
  if (!after) return [];
  const excess = after.active - (after.limit + extraSeatsOn);
  return excess > 0 ? [note('members_will_be_deactivated', { count: excess, on: on.toString() })] : [];
}

/**
 * A spot order (S1–S7): seats for a whole number of months from its start, within the main
 * term's bound, at the main contract's monthly license price × licenses × months (S4).
 *
 * @example Starter 100, 100 seats for 1 month → "Starter 100 (1 month)", 5,000 + 500 tax (S4)
 */
export function decideSpot(input: SeatOrderInput, req: SpotRequest): Decision<Quote> {
  const product = productOf(input.catalog, input.productId);
  if (!product.spot) return refuse('order_type_not_available', { type: 'spot', product: product.id, choices: orderTypesOffered(product).join(', ') }, 'type');
  if (req.agreeToTerms !== true) return refuse('terms_not_accepted', {}, 'agreeToTerms');
  if (!input.contracts.some((c) => !c.cancelledFrom && c.terms.length > 0) && !termOn(input.contracts, req.startDate)) return refuse('not_on_paid_plan', { today: input.today.toString() });
  if (cmp(req.startDate, input.today) < 0) return refuse('start_date_in_past', { startDate: req.startDate.toString(), today: input.today.toString() }, 'startDate');
  const main = mainTermOn(input, req.startDate);
  if (isRefusal(main)) return main;
  const licenses = licensesOf(main.term, req.seats);
  if (isRefusal(licenses)) return licenses;
  if (!Number.isSafeInteger(req.months) || req.months < 1 || req.months > MAX_SPOT_MONTHS) return refuse('invalid_months', { months: req.months, max: MAX_SPOT_MONTHS }, 'months');
  const start = req.startDate;
  const end = periodEnd(start, req.months);
  const { bound, why } = spotBound(product, main.contract, main.term);
  if (cmp(end, bound) > 0) {
    let maxMonths = 0;
    while (maxMonths < MAX_SPOT_MONTHS && cmp(periodEnd(start, maxMonths + 1), bound) <= 0) maxMonths++;
    return refuse(
      'spot_exceeds_main_term',
      { end: end.toString(), bound: bound.toString(), start: start.toString(), maxMonths, why },
      'months',
    );
  }
  const wrong = checkMethod(main.term, req.paymentMethod, input);
  if (wrong) return wrong;
  const unit = main.term.monthlyUnitPrice * req.months;
  const line: QuoteLine = {
    description: `${main.term.planName} ${req.seats} (${monthsLabel(req.months)})`,
    descriptionJa: `${main.term.planName} スポット ${req.seats}アカウント（${jaMonths(req.months)}）`,
    quantity: licenses, unitPrice: unit, amount: unit * licenses, taxRate: STANDARD_RATE.percent };
  const before = input.stateOn(start).seats?.limit ?? 0;
  return {
    ...priced('spot', req.accountId, line, req.paymentMethod, input.today),
    period: { start, end },
    effects: [note('limit_changed', { limit: 'seats', from: before, to: before + req.seats })],
    warnings: deactivationWarning(input, end.add({ days: 1 }), 0),
    change: { kind: 'seat-grant', contractId: main.contract.id, planName: main.term.planName, grant: { kind: 'spot', seats: req.seats, start, end } },
  };
}

/**
 * A permanent license addition (S6): from its effective date to the end of the main term, billed
 * per remaining month of the term, a started month counting whole (S6 Decision); it is carried
 * into the renewed term.
 */
export function decideLicenseAddition(input: SeatOrderInput, req: LicenseAdditionRequest): Decision<Quote> {
  const product = productOf(input.catalog, input.productId);
  if (!product.licenseAdditions) return refuse('order_type_not_available', { type: 'license-addition', product: product.id, choices: orderTypesOffered(product).join(', ') }, 'type');
  const main = mainTermOn(input, req.effectiveDate);
  if (isRefusal(main)) {
    if (main.code === 'spot_before_paid_start') return refuse('spot_before_paid_start', { ...main.params, order: 'license-addition' }, 'effectiveDate');
    // A contract in force today whose term ends before the date: the date is what to change.
    const today = termOn(input.contracts, input.today);
    if (today && cmp(req.effectiveDate, today.term.end) > 0) return refuse('effective_after_term_end', { effectiveDate: req.effectiveDate.toString(), end: today.term.end.toString(), renews: today.contract.renewal === 'renew' ? 'yes' : '' }, 'effectiveDate');
    return main;
  }
  const licenses = licensesOf(main.term, req.seats);
  if (isRefusal(licenses)) return licenses;
  if (cmp(req.effectiveDate, input.today) < 0) return refuse('start_date_in_past', { startDate: req.effectiveDate.toString(), today: input.today.toString(), order: 'license-addition' }, 'effectiveDate');
  const wrong = checkMethod(main.term, req.paymentMethod, input);
  if (wrong) return wrong;
  const total = termMonths(main.term.term);
  let k = 0;
  while (k < total - 1 && cmp(nthPeriod(main.term.start, 1, k).end, req.effectiveDate) < 0) k++;
  const remaining = total - k;
  const unit = main.term.monthlyUnitPrice * remaining;
  const line: QuoteLine = {
    description: `${main.term.planName} +${req.seats} license addition (${monthsLabel(remaining)})`,
    descriptionJa: `${main.term.planName} ライセンス追加 +${req.seats}アカウント（${jaMonths(remaining)}）`,
    quantity: licenses, unitPrice: unit, amount: unit * licenses, taxRate: STANDARD_RATE.percent };
  const before = input.stateOn(req.effectiveDate).seats?.limit ?? 0;
  return {
    ...priced('license-addition', req.accountId, line, req.paymentMethod, input.today),
    period: { start: req.effectiveDate, end: main.term.end },
    effects: [note('limit_changed', { limit: 'seats', from: before, to: before + req.seats })],
    warnings: [],
    change: { kind: 'seat-grant', contractId: main.contract.id, planName: main.term.planName, grant: { kind: 'addition', seats: req.seats, start: req.effectiveDate, end: main.term.end } },
  };
}
