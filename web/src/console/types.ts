/** The API's shapes as far as the console reads them (see GET /openapi.json). */

export interface Money {
  subtotal: number;
  tax: number;
  total: number;
  currency: 'JPY';
}

export interface Account {
  id: string;
  email: string;
  name: string;
  product: string;
  options: Record<string, string>;
  createdAt: string;
}

export interface AccountState {
  date: string;
  plan: { id: string; name: string } | null;
  contract: { id: string; start: string; end: string; term: string; renewal: string; paymentMethod: string } | null;
  limits: Record<string, number | null>;
  features: string[];
  seats: { base: number; additions: number; spot: number; limit: number; active: number } | null;
  spots: Array<{ id: string; seats: number; start: string; end: string }>;
  usage: Record<string, number>;
  renewalWindow: { opens: string; open: boolean; eligiblePlans: string[] } | null;
}

export type InvoiceStatus = 'open' | 'paid' | 'overdue' | 'void' | 'issued';

export interface Invoice {
  id: string;
  kind: 'invoice' | 'credit-note' | 'quotation';
  number: string;
  orderId: string | null;
  issuedOn: string;
  dueOn: string;
  status: InvoiceStatus;
  paymentMethod: string;
  amount: Money;
  period: { start: string; end: string } | null;
  paidAmount?: number;
  balance?: number;
}

export interface Member {
  id: string;
  email: string;
  name?: string;
  role?: string;
  status: 'active' | 'deactivated';
  groups: string[];
  registeredAt: string;
}

export interface Notice {
  id: string;
  kind: string;
  lang: 'ja' | 'en';
  to: string;
  subject: string;
  body: string;
  sentAt: string;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
}

export interface Order {
  id: string;
  accountId: string;
  type: string;
  status: 'placed' | 'completed' | 'cancelled';
  amount: Money;
  period: { start: string; end: string };
  paymentMethod: string;
  acceptance: string;
  quoteId: string | null;
  invoiceId: string | null;
  placedAt: string;
  /** B9: the last day the statement or quotation can be accepted (null when none was needed). */
  validUntil: string | null;
  cancelledAt: string | null;
  cancelReason: 'withdrawn' | 'operator' | 'lapsed' | null;
}

export interface Clock {
  now: string;
  mode: 'system' | 'test';
  timeZone: string;
}

/** A scheduled effect (GET /v1/effects). */
export interface Effect {
  accountId: string;
  id: number;
  kind: string;
  dueAt: string;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  lastError: string | null;
  doneAt: string | null;
}

export type { CatalogPlan, CatalogProduct } from '../shared/catalog.js';

/** An effect or warning of a quote: a stable code, a message for people, and the code's own fields (`limit`, `from`, `to` …). */
export interface QuoteNote {
  code: string;
  message: string;
  [field: string]: unknown;
}

/** POST /v1/orders/preview: what an order would do, nothing saved. */
export interface Quote {
  type: string;
  amount: Money;
  lines: Array<{ description: string; descriptionJa?: string; quantity: number; unitPrice: number; amount: number; taxRate?: number }>;
  period: { start: string; end: string };
  paymentMethod: string;
  dueOn: string;
  effects: QuoteNote[];
  warnings: QuoteNote[];
  acceptance?: 'none' | 'statement' | 'quotation';
}
