/** The shapes the portal reads from the public API (API.md), only the fields it uses. */

export interface Money {
  subtotal: number;
  tax: number;
  total: number;
  currency: string;
}

export interface Account {
  id: string;
  email: string;
  name: string;
  product: string;
  options: Record<string, string>;
}

export type { CatalogPlan, CatalogProduct } from '../shared/catalog.js';

export interface AccountState {
  date: string;
  plan: { id: string; name: string } | null;
  contract: { id: string; start: string; end: string; term: string; renewal: string; paymentMethod: string } | null;
  limits: Record<string, number>;
  features: string[];
  seats: { base: number; additions: number; spot: number; limit: number; active: number } | null;
  spots: Array<{ id: string; seats: number; start: string; end: string }>;
  usage: Record<string, number>;
  renewalWindow: { opens: string; open: boolean; eligiblePlans: Array<string | { id: string; name?: string }> } | null;
}

export interface Line {
  description: string;
  /** The item in Japanese (documents issued before it was kept have none). */
  descriptionJa?: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxRate?: number;
}

export interface Effect {
  code: string;
  message: string;
  [k: string]: unknown;
}

export interface Quote {
  type: string;
  amount: Money;
  lines: Line[];
  period: { start: string; end: string };
  paymentMethod?: string;
  dueOn?: string;
  effects: Effect[];
  warnings: Effect[];
  acceptance?: 'none' | 'statement' | 'quotation';
}

export interface Order extends Quote {
  id: string;
  status: 'placed' | 'completed' | 'cancelled';
  invoiceId?: string | null;
  quoteId?: string | null;
  placedAt?: string;
  /** B9: the last day the statement or quotation can be accepted (null when none was needed). */
  validUntil?: string | null;
  cancelReason?: 'withdrawn' | 'operator' | 'lapsed' | null;
}

export interface Invoice {
  id: string;
  kind: string;
  number: string;
  issuedOn: string;
  dueOn: string | null;
  status: string;
  paymentMethod: string | null;
  amount: Money;
  lines: Line[];
  period?: { start: string; end: string } | null;
  /** What is still owed (invoices); 0 once paid. */
  balance?: number;
}

export interface Notice {
  id: string;
  kind: string;
  subject: string;
  body: string;
  sentAt: string;
}

export interface Member {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'member';
  status: 'active' | 'deactivated';
  groups: string[];
  registeredAt: string;
  canLogIn: boolean;
}
