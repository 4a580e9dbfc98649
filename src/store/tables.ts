/** Row types of the tables (DESIGN 10: table rows are not domain types; mappers sit beside the queries). */
import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;
type Instant = ColumnType<Date, string, string>;
type Int8 = ColumnType<string | number, number, number>;

export interface AccountsTable {
  account_id: string;
  email: string;
  name: string;
  product_id: string;
  options: Json;
  created_at: Instant;
}
export interface AccountEmailsTable {
  email: string;
  account_id: string;
}
export interface ContractsTable {
  account_id: string;
  id: string;
  product_id: string;
  renewal: string;
  cancelled_from: string | null;
  cancellation: ColumnType<unknown, string | null, string | null>;
  created_at: Instant;
}
export interface ContractTermsTable {
  account_id: string;
  id: string;
  contract_id: string;
  seq: number;
  plan_id: string;
  plan_name: string;
  rank: number;
  limits: Json;
  features: Json;
  license: ColumnType<unknown, string | null, string | null>;
  licenses: number;
  monthly_unit_price: Int8;
  term_price: Int8;
  term: string;
  start_date: string;
  end_date: string;
  payment_method: string;
  order_id: string;
  period_start: string | null;
}
export interface OrdersTable {
  account_id: string;
  id: string;
  type: string;
  status: string;
  request: Json;
  quote: Json;
  subtotal: Int8;
  tax: Int8;
  total: Int8;
  period_start: string;
  period_end: string;
  payment_method: string;
  invoice_id: string | null;
  due_on: string | null;
  actor: string;
  placed_at: Instant;
  completed_at: ColumnType<Date | null, string | null, string | null>;
  cancelled_at: ColumnType<Date | null, string | null | undefined, string | null>;
  cancel_reason: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface InvoicesTable {
  account_id: string;
  id: string;
  number: string;
  order_id: string | null;
  issued_on: string;
  due_on: string;
  status: string;
  payment_method: string;
  customer_name: string;
  issuer_name: string;
  registration_number: string;
  lines: Json;
  subtotal: Int8;
  tax: Int8;
  total: Int8;
  tax_breakdown: Json;
  period_start: string | null;
  period_end: string | null;
  created_at: Instant;
  kind: Generated<string>;
  contract_id: string | null;
  bank_account: string | null;
  corrects: string | null;
}
export interface DocumentCountersTable {
  series: string;
  last_value: Int8;
}
export interface EventsTable {
  account_id: string;
  seq: Generated<number>;
  at: Instant;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
}
export interface EffectsTable {
  account_id: string;
  id: Generated<number>;
  kind: string;
  due_at: Instant;
  payload: Json;
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  done_at: ColumnType<Date | null, string | null, string | null>;
  created_at: Instant;
}
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  result: ColumnType<unknown, string | null, string | null>;
  created_at: Instant;
}
export interface PortalSessionsTable {
  account_id: string;
  token_hash: string;
  expires_at: Instant;
  created_at: Instant;
}
export interface EmailChangesTable {
  account_id: string;
  code_hash: string;
  old_email: string;
  new_email: string;
  expires_at: Instant;
  created_at: Instant;
}
export interface SettingsTable {
  key: string;
  value: Json;
}
export interface NoticesTable {
  account_id: string;
  id: string;
  kind: string;
  lang: string;
  to_email: string;
  subject: string;
  body: string;
  params: Json;
  dedupe_key: string | null;
  sent_at: Instant;
  seq: Generated<number>;
  delivery_status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: ColumnType<Date | null, string | null, string | null>;
  delivered_at: ColumnType<Date | null, string | null, string | null>;
  sent_via: string | null;
  message_id: string | null;
  attachment_document_id: string | null;
}
export interface MembersTable {
  account_id: string;
  id: string;
  email: string;
  email_key: string;
  name: string;
  role: string;
  status: string;
  groups: Json;
  registered_at: Instant;
  seq: Generated<number>;
}
export interface SeatGrantsTable {
  account_id: string;
  id: string;
  contract_id: string;
  kind: string;
  seats: number;
  start_date: string;
  end_date: string;
  order_id: string;
}
export interface UsageGaugesTable {
  account_id: string;
  resource: string;
  value: Int8;
  updated_at: Instant;
}
export interface DocumentFilesTable {
  account_id: string;
  document_id: string;
  lang: string;
  pdf: Buffer;
  created_at: Instant;
}
export interface PaymentsTable {
  account_id: string;
  id: string;
  invoice_id: string;
  transfer_id: string;
  amount: ColumnType<string | number, number, number>;
  bank_fee: ColumnType<string | number, number, number>;
  method: string;
  paid_on: ColumnType<string, string, string>;
  reference: string | null;
  provider: string | null;
  provider_ref: string | null;
  actor: string;
  created_at: ColumnType<Date, string, string>;
  seq: Generated<string | number>;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Instant;
}

export interface Database {
  accounts: AccountsTable;
  account_emails: AccountEmailsTable;
  contracts: ContractsTable;
  contract_terms: ContractTermsTable;
  orders: OrdersTable;
  invoices: InvoicesTable;
  document_counters: DocumentCountersTable;
  events: EventsTable;
  effects: EffectsTable;
  idempotency_keys: IdempotencyKeysTable;
  portal_sessions: PortalSessionsTable;
  email_changes: EmailChangesTable;
  settings: SettingsTable;
  notices: NoticesTable;
  schema_migrations: SchemaMigrationsTable;
  members: MembersTable;
  seat_grants: SeatGrantsTable;
  usage_gauges: UsageGaugesTable;
  document_files: DocumentFilesTable;
  payments: PaymentsTable;
}
