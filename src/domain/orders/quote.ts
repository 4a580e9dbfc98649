/** What every order type decides: the quote (amount, period, effects, warnings) and the change to store. */
import type { PaymentMethod, PlainDate } from '../calendar.js';
import type { Money, TaxBreakdownRow, Yen } from '../money.js';
import type { ContractTerm, RenewalChoice, SeatGrant } from '../contract.js';
import type { Note } from '../notes.js';

export type OrderType = 'new-contract' | 'spot' | 'license-addition' | 'plan-change' | 'upgrade' | 'renewal';

export interface QuoteLine {
  description: string;
  /** The same item in Japanese, for Japanese documents and screens. */
  descriptionJa?: string;
  quantity: number;
  unitPrice: Yen;
  amount: Yen;
  taxRate: number;
}

/** A new contract to record (its id and its term's ids are given by the shell). */
export interface NewContractChange {
  kind: 'new-contract';
  productId: string;
  renewal: RenewalChoice;
  term: Omit<ContractTerm, 'id' | 'contractId' | 'seq' | 'orderId'>;
}

/** A successor term of a running contract from a date on (upgrade, upgrade renewal). */
export interface SuccessorTermChange {
  kind: 'successor-term';
  contractId: string;
  term: Omit<ContractTerm, 'id' | 'contractId' | 'seq' | 'orderId'>;
}

/** Seats on top of the main contract for a period (spot S5, license addition S6). */
export interface SeatGrantChange {
  kind: 'seat-grant';
  contractId: string;
  grant: Omit<SeatGrant, 'id' | 'contractId' | 'orderId'>;
  /** The plan of the main contract (its name for notices). */
  planName: string;
}

export type OrderChange = NewContractChange | SuccessorTermChange | SeatGrantChange;

/**
 * The decision on an order: previewing shows it, placing stores it (DESIGN 2: a preview is
 * placing without saving).
 */
export interface Quote {
  type: OrderType;
  accountId: string;
  paymentMethod: PaymentMethod;
  lines: QuoteLine[];
  amount: Money;
  taxBreakdown: TaxBreakdownRow[];
  period: { start: PlainDate; end: PlainDate };
  effects: Note[];
  warnings: Note[];
  /** The payment due date if the order completed today (SPEC B8). */
  dueOn: PlainDate;
  /** `none`: completes when placed; otherwise the document the customer accepts first (SPEC B9). */
  acceptance: 'none' | 'statement' | 'quotation';
  change: OrderChange;
}
