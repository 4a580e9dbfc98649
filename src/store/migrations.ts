/**
 * Schema migrations, forward only. Every account-owned table carries `account_id`, leads its
 * primary key with it and is queried by it, so the schema can be distributed by account
 * (docs/scaling.md). Only SQL that PostgreSQL 15 has (the CI server), though PGlite is 18.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'foundation',
    sql: `
create table accounts (
  account_id text primary key,
  email text not null,
  name text not null,
  product_id text not null,
  options jsonb not null default '{}',
  created_at timestamptz not null
);
-- One email, one account (SPEC B11). Global on purpose: a reference table under Citus.
create table account_emails (
  email text primary key,
  account_id text not null
);
create table contracts (
  account_id text not null references accounts (account_id),
  id text not null,
  product_id text not null,
  renewal text not null,
  cancelled_from date,
  created_at timestamptz not null,
  primary key (account_id, id)
);
create table contract_terms (
  account_id text not null,
  id text not null,
  contract_id text not null,
  seq integer not null,
  plan_id text not null,
  plan_name text not null,
  rank integer not null,
  limits jsonb not null,
  features jsonb not null,
  license jsonb,
  licenses integer not null,
  monthly_unit_price bigint not null,
  term_price bigint not null,
  term text not null,
  start_date date not null,
  end_date date not null,
  payment_method text not null,
  order_id text not null,
  primary key (account_id, id),
  unique (account_id, contract_id, seq),
  foreign key (account_id, contract_id) references contracts (account_id, id)
);
create table orders (
  account_id text not null references accounts (account_id),
  id text not null,
  type text not null,
  status text not null,
  request jsonb not null,
  quote jsonb not null,
  subtotal bigint not null,
  tax bigint not null,
  total bigint not null,
  period_start date not null,
  period_end date not null,
  payment_method text not null,
  invoice_id text,
  due_on date,
  actor text not null,
  placed_at timestamptz not null,
  completed_at timestamptz,
  primary key (account_id, id)
);
create table invoices (
  account_id text not null references accounts (account_id),
  id text not null,
  number text not null,
  order_id text,
  issued_on date not null,
  due_on date not null,
  status text not null,
  payment_method text not null,
  customer_name text not null,
  issuer_name text not null,
  registration_number text not null,
  lines jsonb not null,
  subtotal bigint not null,
  tax bigint not null,
  total bigint not null,
  tax_breakdown jsonb not null,
  period_start date,
  period_end date,
  created_at timestamptz not null,
  primary key (account_id, id),
  unique (account_id, number)
);
-- Gapless document numbers: one counter row per series, locked by the issuing transaction.
create table document_counters (
  series text primary key,
  last_value bigint not null
);
insert into document_counters (series, last_value) values ('invoice', 0), ('quote', 0), ('credit-note', 0);
-- The audit trail (G5): who, when, what, before and after; written with the change it records.
create table events (
  account_id text not null,
  seq bigint generated always as identity,
  at timestamptz not null,
  actor text not null,
  action text not null,
  subject_type text not null,
  subject_id text not null,
  before jsonb,
  after jsonb,
  primary key (account_id, seq)
);
-- Scheduled effects (G3): each runs once, in the transaction that marks it done.
create table effects (
  account_id text not null,
  id bigint generated always as identity,
  kind text not null,
  due_at timestamptz not null,
  payload jsonb not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  last_error text,
  done_at timestamptz,
  created_at timestamptz not null,
  primary key (account_id, id)
);
create index effects_due on effects (due_at, id) where status = 'pending';
-- G6: the first result of a request is kept with its key and returned to every retry.
create table idempotency_keys (
  scope text not null,
  key text not null,
  fingerprint text not null,
  result jsonb,
  created_at timestamptz not null,
  primary key (scope, key)
);
create table portal_sessions (
  account_id text not null references accounts (account_id),
  token_hash text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null,
  primary key (account_id, token_hash)
);
create index portal_sessions_token on portal_sessions (token_hash);
create table settings (
  key text primary key,
  value jsonb not null
);
`,
  },
  {
    version: 2,
    name: 'notices',
    sql: `
-- The notice outbox (SPEC §6): every email with its rendered text, kept once written. A notice
-- is "sent" when its row is written; a transport delivers it. The dedupe key makes a retried
-- effect send a notice once only (NULL keys never conflict).
create table notices (
  account_id text not null references accounts (account_id),
  id text not null,
  kind text not null,
  lang text not null,
  to_email text not null,
  subject text not null,
  body text not null,
  params jsonb not null,
  dedupe_key text,
  sent_at timestamptz not null,
  seq bigint generated always as identity,
  primary key (account_id, id),
  unique (account_id, dedupe_key)
);
`,
  },
  {
    version: 3,
    name: 'cancellations and credit notes',
    sql: `
-- P5: who cancelled, why, and what was refunded, kept with the contract.
alter table contracts add column cancellation jsonb;
-- Documents: invoices and credit notes (適格返還請求書) share the table; each knows its contract.
alter table invoices add column kind text not null default 'invoice';
alter table invoices add column contract_id text;
create index invoices_contract on invoices (account_id, contract_id);
`,
  },
  {
    version: 4,
    name: 'members and seat grants',
    sql: `
-- Account members (SPEC S8-S9): who holds a seat. Never deleted; deactivated members keep their data.
create table members (
  account_id text not null references accounts (account_id),
  id text not null,
  email text not null,
  email_key text not null,
  name text not null,
  role text not null,
  status text not null,
  groups jsonb not null default '[]',
  registered_at timestamptz not null,
  seq bigint generated always as identity,
  primary key (account_id, id),
  unique (account_id, email_key)
);
-- Seats granted on top of the main contract (S5, S6, S8): spot contracts and license additions.
create table seat_grants (
  account_id text not null references accounts (account_id),
  id text not null,
  contract_id text not null,
  kind text not null,
  seats integer not null,
  start_date date not null,
  end_date date not null,
  order_id text not null,
  primary key (account_id, id),
  foreign key (account_id, contract_id) references contracts (account_id, id)
);
`,
  },
  {
    version: 5,
    name: 'usage gauges and billing periods',
    sql: `
-- Usage the vendor's app reports (B4, B5): the latest value of each gauge.
create table usage_gauges (
  account_id text not null references accounts (account_id),
  resource text not null,
  value bigint not null,
  updated_at timestamptz not null,
  primary key (account_id, resource)
);
-- B3: a plan change applies at once but is billed from the 1st of next month; the term's billing
-- period starts there (NULL: the term's start).
alter table contract_terms add column period_start date;
`,
  },
  {
    version: 6,
    name: 'document files',
    sql: `
-- An issued document's PDF, kept once rendered: served byte-identical ever after (SPEC §6).
create table document_files (
  account_id text not null references accounts (account_id),
  document_id text not null,
  lang text not null,
  pdf bytea not null,
  created_at timestamptz not null,
  primary key (account_id, document_id, lang)
);
`,
  },
  {
    version: 7,
    name: 'payments',
    sql: `
-- Payments received against invoices (SPEC §6): one row per invoice a payment settles; one bank
-- transfer paying several invoices shares a transfer_id. Never edited: a mistake is corrected by
-- the operator outside Keiyaku for now (see docs/payments.md).
create table payments (
  account_id text not null references accounts (account_id),
  id text not null,
  invoice_id text not null,
  transfer_id text not null,
  amount bigint not null check (amount >= 0),
  bank_fee bigint not null default 0 check (bank_fee >= 0),
  method text not null,
  paid_on date not null,
  reference text,
  provider text,
  provider_ref text,
  actor text not null,
  created_at timestamptz not null,
  -- The order payments were recorded in (the test clock may give several the same instant).
  seq bigint generated always as identity,
  primary key (account_id, id),
  foreign key (account_id, invoice_id) references invoices (account_id, id)
);
create index payments_invoice on payments (account_id, invoice_id);
-- Where the customer pays by transfer, as it was when the invoice was issued (printed on its PDF).
alter table invoices add column bank_account text;
`,
  },
  {
    version: 8,
    name: 'notice delivery',
    sql: `
-- Delivery of the outbox (SPEC §6, issue 6): each notice's state towards the mail server.
-- not-configured: no transport was set when it was written (the row is the only record);
-- pending: waiting for (another) attempt at next_attempt_at; sent; failed: attempts exhausted.
-- Rows written before this migration were never mailed: not-configured.
alter table notices add column delivery_status text not null default 'not-configured';
alter table notices add column attempts integer not null default 0;
alter table notices add column last_error text;
alter table notices add column next_attempt_at timestamptz;
alter table notices add column delivered_at timestamptz;
alter table notices add column sent_via text;
alter table notices add column message_id text;
-- The issued document the mail carries as a PDF (invoice, quotation), by id.
alter table notices add column attachment_document_id text;
create index notices_delivery_due on notices (next_attempt_at, seq) where delivery_status = 'pending';
create index notices_sent on notices (sent_at, seq);
`,
  },
  {
    version: 9,
    name: 'invoice corrections',
    sql: `
-- A correction (SPEC §6): the credit note that reverses an invoice and the invoice that replaces
-- it both name the invoice they correct; the corrected one is void.
alter table invoices add column corrects text;
`,
  },
  {
    version: 10,
    name: 'documents and orders by id',
    sql: `
-- GET /v1/invoices/{id}, /v1/quotes/{id} and /v1/orders/{id} name a document by its id alone;
-- without these a lookup reads the whole table (issue 8: a million contracts).
create index invoices_id on invoices (id);
create index orders_id on orders (id);
`,
  },
  {
    version: 11,
    name: 'lock_account_facts',
    sql: `
-- Locks an account and returns it with the facts an order is decided on (contracts with their
-- terms and seat grants as JSON, active members, usage), in one call (issue 8, src/store/orders.ts
-- lockAndLoadFacts). In a function the statements' plans are kept by the connection instead of
-- being parsed and planned for each order (~40 % of the database's work for this step), and being
-- VOLATILE, its second statement takes a fresh snapshot once the lock is granted (READ COMMITTED),
-- so it sees every change committed before.
create function lock_account_facts(p_account_id text)
returns table (account_id text, email text, name text, product_id text, options jsonb, created_at timestamptz, contracts json, active_members bigint, usage json)
language plpgsql volatile as $fn$
#variable_conflict use_column
begin
  perform 1 from accounts a where a.account_id = p_account_id for update;
  if not found then
    return;
  end if;
  return query select a.account_id, a.email, a.name, a.product_id, a.options, a.created_at,
      (select json_agg(json_build_object(
          'id', c.id, 'productId', c.product_id, 'renewal', c.renewal, 'cancelledFrom', c.cancelled_from,
          'terms', coalesce((select json_agg(t order by t.seq) from contract_terms t where t.account_id = c.account_id and t.contract_id = c.id), '[]'),
          'grants', coalesce((select json_agg(g order by g.start_date, g.id) from seat_grants g where g.account_id = c.account_id and g.contract_id = c.id), '[]'))
        order by c.created_at, c.id)
        from contracts c where c.account_id = a.account_id),
      (select count(*) from members m where m.account_id = a.account_id and m.status = 'active'),
      (select json_object_agg(u.resource, u.value) from usage_gauges u where u.account_id = a.account_id)
    from accounts a where a.account_id = p_account_id;
end
$fn$;
`,
  },
  {
    version: 12,
    name: 'account_facts',
    sql: `
-- An account with its contracts (terms and seat grants), every member and its usage, in one call
-- and one snapshot: what the state cache keeps (issue 8, src/store/facts.ts loadAccountFacts; was
-- six queries). PL/pgSQL so that the connection keeps the plan.
create function account_facts(p_account_id text)
returns table (account_id text, email text, name text, product_id text, options jsonb, created_at timestamptz, contracts json, members json, usage json)
language plpgsql stable as $fn$
#variable_conflict use_column
begin
  return query select a.account_id, a.email, a.name, a.product_id, a.options, a.created_at,
      (select json_agg(json_build_object(
          'id', c.id, 'productId', c.product_id, 'renewal', c.renewal, 'cancelledFrom', c.cancelled_from,
          'terms', coalesce((select json_agg(t order by t.seq) from contract_terms t where t.account_id = c.account_id and t.contract_id = c.id), '[]'),
          'grants', coalesce((select json_agg(g order by g.start_date, g.id) from seat_grants g where g.account_id = c.account_id and g.contract_id = c.id), '[]'))
        order by c.created_at, c.id)
        from contracts c where c.account_id = a.account_id),
      (select json_agg(json_build_object(
          'account_id', m.account_id, 'id', m.id, 'email', m.email, 'name', m.name, 'role', m.role, 'status', m.status,
          'groups', m.groups, 'registered_at', m.registered_at, 'seq', m.seq)
        order by m.registered_at, m.seq)
        from members m where m.account_id = a.account_id),
      (select json_object_agg(u.resource, u.value) from usage_gauges u where u.account_id = a.account_id)
    from accounts a where a.account_id = p_account_id;
end
$fn$;
`,
  },
];
