/** Dispatches an order request to the rules of its type (one module per type). */
import type { PaymentMethod, PlainDate, Term } from '../calendar.js';
import type { Catalog } from '../catalog.js';
import { orderTypesOffered } from '../catalog.js';
import type { AccountState, Contract, RenewalChoice } from '../contract.js';
import type { Decision } from '../refusals.js';
import { refuse } from '../refusals.js';
import { decideNewContract } from './new-contract.js';
import { decideRenewal, decideUpgrade } from './premium-orders.js';
import { decideLicenseAddition, decideSpot } from './seat-orders.js';
import { decidePlanChange } from './plan-change.js';
import type { OrderType, Quote } from './quote.js';

export type OrderRequest =
  | { type: 'new-contract'; accountId: string; planId: string; term: Term; startDate: PlainDate; quantity?: number | undefined; paymentMethod: PaymentMethod; renewal?: RenewalChoice | undefined }
  | { type: Exclude<OrderType, 'new-contract'>; accountId: string; [field: string]: unknown };

export interface OrderFacts {
  catalog: Catalog;
  productId: string;
  contracts: readonly Contract[];
  today: PlainDate;
  /** The state on a date, before the order. */
  stateOn: (date: PlainDate) => AccountState;
  accountOptions: Record<string, string>;
}

/** The decision on an order: the quote to show or store, or the rule it breaks. */
export function decideOrder(facts: OrderFacts, request: OrderRequest): Decision<Quote> {
  const product = facts.catalog.product(facts.productId);
  const offered: readonly string[] = product ? orderTypesOffered(product) : [];
  if (product && !offered.includes(request.type)) return refuse('order_type_not_available', { type: request.type, product: product.id, choices: offered.join(', ') }, 'type');
  switch (request.type) {
    case 'new-contract':
      return decideNewContract({
        catalog: facts.catalog,
        productId: facts.productId,
        contracts: facts.contracts,
        stateAtStart: facts.stateOn(request.startDate),
        today: facts.today,
        request,
      });
    case 'spot':
      return decideSpot(facts, {
        accountId: request.accountId,
        seats: Number(request.seats),
        startDate: request.startDate as PlainDate,
        months: Number(request.months),
        agreeToTerms: request.agreeToTerms as boolean | undefined,
        paymentMethod: request.paymentMethod as PaymentMethod,
      });
    case 'license-addition':
      return decideLicenseAddition(facts, {
        accountId: request.accountId,
        seats: Number(request.seats),
        effectiveDate: request.effectiveDate as PlainDate,
        paymentMethod: request.paymentMethod as PaymentMethod,
      });
    case 'plan-change':
      return decidePlanChange({
        catalog: facts.catalog,
        productId: facts.productId,
        contracts: facts.contracts,
        today: facts.today,
        stateToday: facts.stateOn(facts.today),
        accountOptions: facts.accountOptions,
        request: { accountId: request.accountId, planId: request.planId as string | undefined, term: request.term as Term | undefined, paymentMethod: request.paymentMethod as PaymentMethod | undefined },
      });
    case 'renewal':
    case 'upgrade': {
      const input = {
        catalog: facts.catalog,
        productId: facts.productId,
        contracts: facts.contracts,
        today: facts.today,
        stateToday: facts.stateOn(facts.today),
        request: { type: request.type, accountId: request.accountId, planId: String(request.planId), paymentMethod: request.paymentMethod as PaymentMethod | undefined },
      };
      return request.type === 'renewal' ? decideRenewal(input) : decideUpgrade(input);
    }
    default: {
      // Every order type of API.md is handled above; the schema at the edge admits no other.
      const unknown: { type: string } = request;
      return refuse('order_type_not_available', { type: unknown.type, product: facts.productId, choices: offered.join(', ') }, 'type');
    }
  }
}
