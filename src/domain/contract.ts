/**
 * A contract as a timeline of facts, and the account's state on a date as a pure fold over them
 * (DESIGN: contracts are timelines of facts, not mutable rows).
 */
import { Temporal } from 'temporal-polyfill';
import type { PaymentMethod, PlainDate, Term } from './calendar.js';
import { nthPeriod, termMonths as termMonthsOf } from './calendar.js';
import type { Catalog, LimitKey, Limits, Product } from './catalog.js';
import { freePlan } from './catalog.js';

export type RenewalChoice = 'renew' | 'to-free';

/**
 * One term of a contract: what was sold, for when. Keeps the plan's name, limits, features and
 * prices as sold (SPEC §2: a catalog edit does not reprice an existing contract).
 */
export interface ContractTerm {
  readonly id: string;
  readonly contractId: string;
  readonly seq: number;
  readonly planId: string;
  readonly planName: string;
  readonly rank: number;
  /** Limits of one license (or of the plan when it has no licenses). */
  readonly limits: Limits;
  readonly features: readonly string[];
  readonly license: { readonly limit: LimitKey; readonly size: number } | null;
  readonly licenses: number;
  /** Tax-excluded price of one license per month (SPEC S4, S6 use it). */
  readonly monthlyUnitPrice: number;
  /** Tax-excluded price of the whole term, all licenses. */
  readonly termPrice: number;
  readonly term: Term;
  readonly start: PlainDate;
  /** Inclusive end (G1). */
  readonly end: PlainDate;
  /**
   * Start of the billed period when it differs from `start` (B3: a plan change applies at once,
   * is billed from the 1st of next month); renewals count their periods from it (G1).
   */
  readonly periodStart?: PlainDate | undefined;
  readonly paymentMethod: PaymentMethod;
  readonly orderId: string;
}

/** Seats granted on top of a main contract for a period: a spot contract (S5) or a license addition (S6). */
export interface SeatGrant {
  readonly id: string;
  readonly contractId: string;
  readonly kind: 'spot' | 'addition';
  readonly seats: number;
  readonly start: PlainDate;
  /** Inclusive end (G1). */
  readonly end: PlainDate;
  readonly orderId: string;
}

export interface Contract {
  readonly id: string;
  readonly accountId: string;
  readonly productId: string;
  readonly renewal: RenewalChoice;
  readonly terms: readonly ContractTerm[];
  readonly grants: readonly SeatGrant[];
  /** From this date on the contract no longer applies (cancellation, P5). */
  readonly cancelledFrom: PlainDate | null;
}

export interface SeatSummary {
  base: number;
  additions: number;
  spot: number;
  limit: number;
  active: number;
}

export interface RenewalWindow {
  opens: PlainDate;
  open: boolean;
  eligiblePlans: string[];
}

/** The account on a date (API.md `GET /v1/accounts/{id}/state`). */
export interface AccountState {
  date: PlainDate;
  plan: { id: string; name: string; rank: number } | null;
  contract: { id: string; termId: string; start: PlainDate; end: PlainDate; term: Term; renewal: RenewalChoice; paymentMethod: PaymentMethod } | null;
  limits: Limits;
  features: string[];
  seats: SeatSummary | null;
  /** Spot contracts running on the date or later (S5). */
  spots: SeatGrant[];
  usage: Record<string, number>;
  renewalWindow: RenewalWindow | null;
}

const cmp = Temporal.PlainDate.compare;

/**
 * The contract term in force on `date`, if any (start ≤ date ≤ end and not cancelled). Where terms
 * overlap, the later one wins: an upgrade or upgrade renewal appends a successor term from its
 * day on and never edits the term it replaces (DESIGN 8).
 */
export function termOn(contracts: readonly Contract[], date: PlainDate): { contract: Contract; term: ContractTerm } | undefined {
  for (const contract of contracts) {
    if (contract.cancelledFrom && cmp(date, contract.cancelledFrom) >= 0) continue;
    for (let i = contract.terms.length - 1; i >= 0; i--) {
      const term = contract.terms[i]!;
      if (cmp(term.start, date) <= 0 && cmp(date, term.end) <= 0) return { contract, term };
    }
  }
  return undefined;
}

/** The first day of the account's next contract that has not started by `date`, if any (not cancelled). */
export function upcomingStart(contracts: readonly Contract[], date: PlainDate): PlainDate | undefined {
  return contracts
    .filter((c) => !c.cancelledFrom && c.terms[0] && cmp(c.terms[0].start, date) > 0)
    .map((c) => c.terms[0]!.start)
    .sort(cmp)[0];
}

/** The last day a contract applies: its last term's end, or the day before its cancellation. */
export function contractEnd(contract: Contract): PlainDate | undefined {
  const last = contract.terms.at(-1);
  if (!last) return undefined;
  if (contract.cancelledFrom && cmp(contract.cancelledFrom, last.end) <= 0) return contract.cancelledFrom.subtract({ days: 1 });
  return last.end;
}

/**
 * The period of the term that would follow `terms` (their last one) on renewal: the next period
 * of the run of same-length, back-to-back terms, counted from that run's first start (G1: never
 * chained, so 2024-02-29 + 12 months ends 2025-02-28 and the next term 2026-02-28).
 */
export function nextTermPeriod(terms: readonly ContractTerm[]): { start: PlainDate; end: PlainDate } {
  const last = terms.at(-1);
  if (!last) throw new Error('a contract without terms has no next term');
  // The billed period's start when it is later than the term's (a plan change, B3); a renewal
  // written before 2026-11-27 may still carry its plan change's earlier one: its own start counts.
  const startOf = (t: ContractTerm) => (t.periodStart && Temporal.PlainDate.compare(t.periodStart, t.start) > 0 ? t.periodStart : t.start);
  let i = terms.length - 1;
  while (i > 0 && terms[i - 1]!.term === last.term && terms[i - 1]!.end.add({ days: 1 }).equals(startOf(terms[i]!))) i--;
  return nthPeriod(startOf(terms[i]!), termMonthsOf(last.term), terms.length - i);
}

/** Whether a contract renews by itself at its term's end (teamspace, ebook5 set to renew; never premium's P2). */
export function renewsByItself(product: Product, contract: Contract): boolean {
  return contract.renewal === 'renew' && product.renewal.mode !== 'expire-to-free';
}

/**
 * The term that renews `terms` (their last one): the next period (G1, `nextTermPeriod`), the same
 * plan and prices as sold, and the license additions running to the last term's end carried into
 * it (S6). Its billing starts with it: a plan change's later billing start (B3) is not carried.
 */
export function renewedTerm(contract: Contract, terms: readonly ContractTerm[], id: string): ContractTerm {
  const last = terms.at(-1);
  if (!last) throw new Error('a contract without terms has no renewal');
  const period = nextTermPeriod(terms);
  const added = contract.grants.filter((g) => g.kind === 'addition' && g.end.equals(last.end)).reduce((n, g) => n + g.seats, 0);
  const licenses = last.licenses + (last.license ? added / last.license.size : 0);
  return { ...last, id, seq: last.seq + 1, start: period.start, end: period.end, periodStart: undefined, orderId: last.orderId, licenses, termPrice: (last.termPrice / last.licenses) * licenses };
}

/**
 * The term a contract set to renew will be in on `date`, after its last term and before the
 * scheduler has renewed it (a date ahead, or the minutes after midnight before the run): the
 * state of a date to come shows the plan and the spots sold into it (S3, S8), not the free plan.
 */
function projectedTermOn(product: Product, contracts: readonly Contract[], date: PlainDate): { contract: Contract; term: ContractTerm } | undefined {
  for (const contract of contracts) {
    if (!renewsByItself(product, contract) || contract.cancelledFrom) continue;
    const terms = [...contract.terms];
    if (terms.length === 0 || cmp(date, terms.at(-1)!.end) <= 0) continue;
    // A date a century ahead is 1,200 monthly renewals: enough; the loop stops there regardless.
    for (let k = 1; k <= 1200; k++) {
      const last = terms.at(-1)!;
      const next = renewedTerm(contract, terms, `${last.id}+${k}`);
      if (cmp(next.start, last.end) <= 0 || cmp(next.start, date) > 0) break;
      if (cmp(date, next.end) <= 0) return { contract, term: next };
      terms.push(next);
    }
  }
  return undefined;
}

/** Limits of a term: per-license limits multiplied by the number of licenses (Starter 200 = 200 seats). */
export function termLimits(term: ContractTerm): Limits {
  const limits: Limits = { ...term.limits };
  if (term.license) {
    const per = term.limits[term.license.limit] ?? 0;
    limits[term.license.limit] = per * term.licenses;
  }
  return limits;
}

/**
 * The upgrade renewal window of a term (SPEC P3): opens when the remaining validity is `months`
 * or less, i.e. on `endExclusive − months` (end 2022-12-31 → opens 2022-11-01).
 */
export function renewalWindowOpens(end: PlainDate, months: number): PlainDate {
  return end.add({ days: 1 }).subtract({ months });
}

export interface StateInput {
  product: Product;
  contracts: readonly Contract[];
  date: PlainDate;
  activeMembers: number;
  usage: Record<string, number>;
}

/**
 * The account's state on a date: the term in force, or the product's free plan (or no plan)
 * when none is (SPEC §2, P2).
 *
 * @example
 * accountState({ product, contracts, date: parseDate('2022-06-01'), activeMembers: 0, usage: {} }).plan?.id // 'plan-10'
 */
export function accountState(input: StateInput): AccountState {
  const { product, contracts, date } = input;
  const current = termOn(contracts, date) ?? projectedTermOn(product, contracts, date);
  const free = freePlan(product);
  const plan = current
    ? { id: current.term.planId, name: current.term.planName, rank: current.term.rank }
    : free
      ? { id: free.id, name: free.name, rank: free.rank }
      : null;
  const limits = current ? termLimits(current.term) : { ...(free?.limits ?? {}) };
  const features = current ? [...current.term.features] : [...(free?.features ?? [])];
  const grants = current ? current.contract.grants : [];
  const on = (g: SeatGrant) => cmp(g.start, date) <= 0 && cmp(date, g.end) <= 0;
  const sum = (kind: SeatGrant['kind']) => grants.filter((g) => g.kind === kind && on(g)).reduce((n, g) => n + g.seats, 0);
  // S8: seat limit on a date = main contract seats + license additions + spots active that date.
  const seats =
    limits.seats === undefined
      ? null
      : { base: limits.seats, additions: sum('addition'), spot: sum('spot'), limit: limits.seats + sum('addition') + sum('spot'), active: input.activeMembers };
  const spots = grants.filter((g) => g.kind === 'spot' && cmp(g.end, date) >= 0);
  let renewalWindow: RenewalWindow | null = null;
  if (current && product.renewal.mode === 'expire-to-free' && product.renewal.upgradeWindow) {
    const months = Number(product.renewal.upgradeWindow.slice(1, -1));
    const opens = renewalWindowOpens(current.term.end, months);
    const open = cmp(date, opens) >= 0;
    renewalWindow = {
      opens,
      open,
      eligiblePlans: open ? product.plans.filter((p) => !p.free && p.rank >= current.term.rank).map((p) => p.id) : [],
    };
  }
  return {
    date,
    plan,
    contract: current
      ? {
          id: current.contract.id,
          termId: current.term.id,
          start: current.term.start,
          end: current.term.end,
          term: current.term.term,
          renewal: current.contract.renewal,
          paymentMethod: current.term.paymentMethod,
        }
      : null,
    limits,
    features,
    seats,
    spots,
    usage: { ...input.usage },
    renewalWindow,
  };
}

/** The catalog's product of an account, or throws: an account's product always exists. */
export function productOf(catalog: Catalog, productId: string): Product {
  const product = catalog.product(productId);
  if (!product) throw new Error(`Catalog has no product ${productId}: the catalog lost a product accounts use`);
  return product;
}
