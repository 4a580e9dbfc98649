/**
 * Schema migrations, forward only. Every account-owned table carries `account_id`, leads its
 * primary key with it and is queried by it, so the schema can be distributed by account
 * (docs/scaling.md). Only SQL that PostgreSQL 15 has (the CI server), though PGlite is 18.
 */
/**
 * The account's columns and its contracts (terms and seat grants) as JSON, as the facts functions
 * of migrations 11 and 12 select them (`a` is the account). Part of applied migrations: never
 * edit it; a change is a new migration that replaces the functions.
 */
const ACCOUNT_WITH_CONTRACTS = `select a.account_id, a.email, a.name, a.product_id, a.options, a.created_at,
      (select json_agg(json_build_object(
          'id', c.id, 'productId', c.product_id, 'renewal', c.renewal, 'cancelledFrom', c.cancelled_from,
          'terms', coalesce((select json_agg(t order by t.seq) from contract_terms t where t.account_id = c.account_id and t.contract_id = c.id), '[]'),
          'grants', coalesce((select json_agg(g order by g.start_date, g.id) from seat_grants g where g.account_id = c.account_id and g.contract_id = c.id), '[]'))
        order by c.created_at, c.id)
        from contracts c where c.account_id = a.account_id),`;

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
  return query ${ACCOUNT_WITH_CONTRACTS}
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
  return query ${ACCOUNT_WITH_CONTRACTS}
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
  {
    version: 13,
    name: 'write_rows and write_numbered_document',
    sql: `
-- The writes of a use case or a scheduler batch (issue 8, src/store/row-writes.ts): each table's
-- new rows as a JSON array in one argument, inserted in the order given (events get their seq in
-- that order); contracts before their terms and grants (foreign keys are checked per statement).
-- A PL/pgSQL function keeps its statements' plans on the connection: as data-modifying CTEs sent
-- as text, an order's writes were parsed, analysed and planned every time (about a third of the
-- database's CPU for an order). The column lists are src/store/row-writes.ts COLUMNS';
-- test/unit/store-functions.test.ts fails when one of those is missing here.
create function write_rows(p jsonb) returns integer
language plpgsql volatile as $fn$
declare
  written integer := 0;
begin
  if p ? 'orders' then
    insert into orders ("account_id", "id", "type", "status", "request", "quote", "subtotal", "tax", "total", "period_start", "period_end", "payment_method", "invoice_id", "due_on", "actor", "placed_at", "completed_at")
      select x."account_id", x."id", x."type", x."status", x."request", x."quote", x."subtotal", x."tax", x."total", x."period_start", x."period_end", x."payment_method", x."invoice_id", x."due_on", x."actor", x."placed_at", x."completed_at"
      from rows from (jsonb_to_recordset(p->'orders') as ("account_id" text, "id" text, "type" text, "status" text, "request" jsonb, "quote" jsonb, "subtotal" bigint, "tax" bigint, "total" bigint, "period_start" date, "period_end" date, "payment_method" text, "invoice_id" text, "due_on" date, "actor" text, "placed_at" timestamptz, "completed_at" timestamptz)) with ordinality as x("account_id", "id", "type", "status", "request", "quote", "subtotal", "tax", "total", "period_start", "period_end", "payment_method", "invoice_id", "due_on", "actor", "placed_at", "completed_at", ord) order by x.ord;
  end if;
  if p ? 'contracts' then
    insert into contracts ("account_id", "id", "product_id", "renewal", "cancelled_from", "cancellation", "created_at")
      select x."account_id", x."id", x."product_id", x."renewal", x."cancelled_from", x."cancellation", x."created_at"
      from rows from (jsonb_to_recordset(p->'contracts') as ("account_id" text, "id" text, "product_id" text, "renewal" text, "cancelled_from" date, "cancellation" jsonb, "created_at" timestamptz)) with ordinality as x("account_id", "id", "product_id", "renewal", "cancelled_from", "cancellation", "created_at", ord) order by x.ord;
  end if;
  if p ? 'contract_terms' then
    insert into contract_terms ("account_id", "id", "contract_id", "seq", "plan_id", "plan_name", "rank", "limits", "features", "license", "licenses", "monthly_unit_price", "term_price", "term", "start_date", "end_date", "payment_method", "order_id", "period_start")
      select x."account_id", x."id", x."contract_id", x."seq", x."plan_id", x."plan_name", x."rank", x."limits", x."features", x."license", x."licenses", x."monthly_unit_price", x."term_price", x."term", x."start_date", x."end_date", x."payment_method", x."order_id", x."period_start"
      from rows from (jsonb_to_recordset(p->'contract_terms') as ("account_id" text, "id" text, "contract_id" text, "seq" integer, "plan_id" text, "plan_name" text, "rank" integer, "limits" jsonb, "features" jsonb, "license" jsonb, "licenses" integer, "monthly_unit_price" bigint, "term_price" bigint, "term" text, "start_date" date, "end_date" date, "payment_method" text, "order_id" text, "period_start" date)) with ordinality as x("account_id", "id", "contract_id", "seq", "plan_id", "plan_name", "rank", "limits", "features", "license", "licenses", "monthly_unit_price", "term_price", "term", "start_date", "end_date", "payment_method", "order_id", "period_start", ord) order by x.ord;
  end if;
  if p ? 'seat_grants' then
    insert into seat_grants ("account_id", "id", "contract_id", "kind", "seats", "start_date", "end_date", "order_id")
      select x."account_id", x."id", x."contract_id", x."kind", x."seats", x."start_date", x."end_date", x."order_id"
      from rows from (jsonb_to_recordset(p->'seat_grants') as ("account_id" text, "id" text, "contract_id" text, "kind" text, "seats" integer, "start_date" date, "end_date" date, "order_id" text)) with ordinality as x("account_id", "id", "contract_id", "kind", "seats", "start_date", "end_date", "order_id", ord) order by x.ord;
  end if;
  if p ? 'effects' then
    insert into effects ("account_id", "kind", "due_at", "payload", "created_at")
      select x."account_id", x."kind", x."due_at", x."payload", x."created_at"
      from rows from (jsonb_to_recordset(p->'effects') as ("account_id" text, "kind" text, "due_at" timestamptz, "payload" jsonb, "created_at" timestamptz)) with ordinality as x("account_id", "kind", "due_at", "payload", "created_at", ord) order by x.ord;
  end if;
  if p ? 'events' then
    insert into events ("account_id", "at", "actor", "action", "subject_type", "subject_id", "before", "after")
      select x."account_id", x."at", x."actor", x."action", x."subject_type", x."subject_id", x."before", x."after"
      from rows from (jsonb_to_recordset(p->'events') as ("account_id" text, "at" timestamptz, "actor" text, "action" text, "subject_type" text, "subject_id" text, "before" jsonb, "after" jsonb)) with ordinality as x("account_id", "at", "actor", "action", "subject_type", "subject_id", "before", "after", ord) order by x.ord;
  end if;
  if p ? 'invoices' then
    insert into invoices ("account_id", "id", "order_id", "issued_on", "due_on", "status", "payment_method", "customer_name", "issuer_name", "registration_number", "bank_account", "corrects", "lines", "subtotal", "tax", "total", "tax_breakdown", "period_start", "period_end", "created_at", "kind", "contract_id", "number")
      select x."account_id", x."id", x."order_id", x."issued_on", x."due_on", x."status", x."payment_method", x."customer_name", x."issuer_name", x."registration_number", x."bank_account", x."corrects", x."lines", x."subtotal", x."tax", x."total", x."tax_breakdown", x."period_start", x."period_end", x."created_at", x."kind", x."contract_id", x."number"
      from rows from (jsonb_to_recordset(p->'invoices') as ("account_id" text, "id" text, "order_id" text, "issued_on" date, "due_on" date, "status" text, "payment_method" text, "customer_name" text, "issuer_name" text, "registration_number" text, "bank_account" text, "corrects" text, "lines" jsonb, "subtotal" bigint, "tax" bigint, "total" bigint, "tax_breakdown" jsonb, "period_start" date, "period_end" date, "created_at" timestamptz, "kind" text, "contract_id" text, "number" text)) with ordinality as x("account_id", "id", "order_id", "issued_on", "due_on", "status", "payment_method", "customer_name", "issuer_name", "registration_number", "bank_account", "corrects", "lines", "subtotal", "tax", "total", "tax_breakdown", "period_start", "period_end", "created_at", "kind", "contract_id", "number", ord) order by x.ord;
  end if;
  if p ? 'notices' then
    insert into notices ("account_id", "id", "kind", "lang", "to_email", "subject", "body", "params", "dedupe_key", "sent_at", "attachment_document_id", "delivery_status", "next_attempt_at")
      select x."account_id", x."id", x."kind", x."lang", x."to_email", x."subject", x."body", x."params", x."dedupe_key", x."sent_at", x."attachment_document_id", x."delivery_status", x."next_attempt_at"
      from rows from (jsonb_to_recordset(p->'notices') as ("account_id" text, "id" text, "kind" text, "lang" text, "to_email" text, "subject" text, "body" text, "params" jsonb, "dedupe_key" text, "sent_at" timestamptz, "attachment_document_id" text, "delivery_status" text, "next_attempt_at" timestamptz)) with ordinality as x("account_id", "id", "kind", "lang", "to_email", "subject", "body", "params", "dedupe_key", "sent_at", "attachment_document_id", "delivery_status", "next_attempt_at", ord) order by x.ord
      on conflict (account_id, dedupe_key) do nothing;
    get diagnostics written = row_count;
  end if;
  return written;
end
$fn$;

-- Takes the next number of the document's series (SPEC §6: gapless; the counter row stays locked
-- to the end of the transaction, so this is the transaction's last write), writes \`p_rows\` first,
-- then the document with its number and the rows that show it: events whose \`after\` gets it at
-- their \`number_key\`, notices whose subject and body show it for \`p_doc.placeholder\` and whose
-- params get it at their \`number_key\`. Answers the number and how many notices were written
-- (a notice whose account already has its dedupe key is skipped). No row: no such series.
create function write_numbered_document(p_doc jsonb, p_numbered jsonb, p_rows jsonb) returns table (doc_number text, notices_written integer)
language plpgsql volatile as $fn$
declare
  v_number text;
  v_notices integer;
  c integer;
begin
  v_notices := write_rows(p_rows);
  update document_counters set last_value = last_value + 1 where series = p_doc->>'series'
    returning (p_doc->>'prefix') || lpad(last_value::text, greatest((p_doc->>'width')::int, length(last_value::text)), '0') into v_number;
  if v_number is null then
    return;
  end if;
  insert into invoices ("account_id", "id", "order_id", "issued_on", "due_on", "status", "payment_method", "customer_name", "issuer_name", "registration_number", "bank_account", "corrects", "lines", "subtotal", "tax", "total", "tax_breakdown", "period_start", "period_end", "created_at", "kind", "contract_id", "number")
    select x."account_id", x."id", x."order_id", x."issued_on", x."due_on", x."status", x."payment_method", x."customer_name", x."issuer_name", x."registration_number", x."bank_account", x."corrects", x."lines", x."subtotal", x."tax", x."total", x."tax_breakdown", x."period_start", x."period_end", x."created_at", x."kind", x."contract_id", v_number
    from jsonb_to_recordset(jsonb_build_array(p_doc->'invoice')) as x("account_id" text, "id" text, "order_id" text, "issued_on" date, "due_on" date, "status" text, "payment_method" text, "customer_name" text, "issuer_name" text, "registration_number" text, "bank_account" text, "corrects" text, "lines" jsonb, "subtotal" bigint, "tax" bigint, "total" bigint, "tax_breakdown" jsonb, "period_start" date, "period_end" date, "created_at" timestamptz, "kind" text, "contract_id" text);
  insert into events ("account_id", "at", "actor", "action", "subject_type", "subject_id", "before", "after")
    select x."account_id", x."at", x."actor", x."action", x."subject_type", x."subject_id", x."before", case when x.number_key is null then x."after" else jsonb_set(x."after", array[x.number_key], to_jsonb(v_number)) end
    from rows from (jsonb_to_recordset(coalesce(p_numbered->'events', '[]')) as ("account_id" text, "at" timestamptz, "actor" text, "action" text, "subject_type" text, "subject_id" text, "before" jsonb, "after" jsonb, number_key text)) with ordinality as x("account_id", "at", "actor", "action", "subject_type", "subject_id", "before", "after", number_key, ord) order by x.ord;
  insert into notices ("account_id", "id", "kind", "lang", "to_email", "subject", "body", "params", "dedupe_key", "sent_at", "attachment_document_id", "delivery_status", "next_attempt_at")
    select x."account_id", x."id", x."kind", x."lang", x."to_email", replace(x."subject", p_doc->>'placeholder', v_number), replace(x."body", p_doc->>'placeholder', v_number), case when x.number_key is null then x."params" else jsonb_set(x."params", array[x.number_key], to_jsonb(v_number)) end, x."dedupe_key", x."sent_at", x."attachment_document_id", x."delivery_status", x."next_attempt_at"
    from rows from (jsonb_to_recordset(coalesce(p_numbered->'notices', '[]')) as ("account_id" text, "id" text, "kind" text, "lang" text, "to_email" text, "subject" text, "body" text, "params" jsonb, "dedupe_key" text, "sent_at" timestamptz, "attachment_document_id" text, "delivery_status" text, "next_attempt_at" timestamptz, number_key text)) with ordinality as x("account_id", "id", "kind", "lang", "to_email", "subject", "body", "params", "dedupe_key", "sent_at", "attachment_document_id", "delivery_status", "next_attempt_at", number_key, ord) order by x.ord
    on conflict (account_id, dedupe_key) do nothing;
  get diagnostics c = row_count;
  return query select v_number, v_notices + c;
end
$fn$;
`,
  },
  {
    version: 14,
    name: 'failed effects index',
    sql: `
-- The operator's list of failed effects (GET /v1/effects?status=failed, the console's scheduler
-- screen) reads them through this index instead of scanning every effect ever run; failed ones
-- are few, so it costs the scheduler's writes next to nothing.
create index effects_failed on effects (due_at, id) where status = 'failed';
`,
  },
  {
    version: 15,
    name: 'write_numbered_documents',
    sql: `
-- The writes of a group of orders (issue 8, src/app/order-groups.ts): \`p_rows\` first (as
-- write_rows), then the documents — each \`{"doc", "numbered"}\` as write_numbered_document takes
-- them — numbered in the order given, one counter update a series (series in name order, so two
-- callers never wait for each other in a circle; SPEC §6: gapless, the counter rows stay locked to
-- the end of the transaction, so this is the transaction's last write), and inserted with the rows
-- that show their numbers in one statement a table. Answers how many notices were written.
create function write_numbered_documents(p_docs jsonb, p_rows jsonb) returns integer
language plpgsql volatile as $fn$
declare
  v_notices integer;
  v_bases jsonb := '{}';
  v_docs jsonb;
  v_base bigint;
  s record;
  c integer;
begin
  v_notices := write_rows(p_rows);
  for s in select d->'doc'->>'series' as series, count(*) as n from jsonb_array_elements(p_docs) as d group by 1 order by 1 loop
    update document_counters set last_value = last_value + s.n where series = s.series returning last_value - s.n into v_base;
    if v_base is null then
      raise exception 'no document counter for the series %', s.series;
    end if;
    v_bases := v_bases || jsonb_build_object(s.series, v_base);
  end loop;
  -- Each document with its number: the series' base + its place among the series' documents.
  select coalesce(jsonb_agg(jsonb_build_object('doc', n.d->'doc', 'numbered', n.d->'numbered', 'number',
      (n.d->'doc'->>'prefix') || lpad(n.v::text, greatest((n.d->'doc'->>'width')::int, length(n.v::text)), '0')) order by n.ord), '[]')
    into v_docs
    from (select d, ord, (v_bases->>(d->'doc'->>'series'))::bigint + row_number() over (partition by d->'doc'->>'series' order by ord) as v
          from jsonb_array_elements(p_docs) with ordinality as e(d, ord)) as n;
  insert into invoices ("account_id", "id", "order_id", "issued_on", "due_on", "status", "payment_method", "customer_name", "issuer_name", "registration_number", "bank_account", "corrects", "lines", "subtotal", "tax", "total", "tax_breakdown", "period_start", "period_end", "created_at", "kind", "contract_id", "number")
    select x."account_id", x."id", x."order_id", x."issued_on", x."due_on", x."status", x."payment_method", x."customer_name", x."issuer_name", x."registration_number", x."bank_account", x."corrects", x."lines", x."subtotal", x."tax", x."total", x."tax_breakdown", x."period_start", x."period_end", x."created_at", x."kind", x."contract_id", e.d->>'number'
    from jsonb_array_elements(v_docs) with ordinality as e(d, ord)
    cross join lateral jsonb_to_record(e.d->'doc'->'invoice') as x("account_id" text, "id" text, "order_id" text, "issued_on" date, "due_on" date, "status" text, "payment_method" text, "customer_name" text, "issuer_name" text, "registration_number" text, "bank_account" text, "corrects" text, "lines" jsonb, "subtotal" bigint, "tax" bigint, "total" bigint, "tax_breakdown" jsonb, "period_start" date, "period_end" date, "created_at" timestamptz, "kind" text, "contract_id" text)
    order by e.ord;
  insert into events ("account_id", "at", "actor", "action", "subject_type", "subject_id", "before", "after")
    select x."account_id", x."at", x."actor", x."action", x."subject_type", x."subject_id", x."before", case when x.number_key is null then x."after" else jsonb_set(x."after", array[x.number_key], to_jsonb(e.d->>'number')) end
    from jsonb_array_elements(v_docs) with ordinality as e(d, ord)
    cross join lateral rows from (jsonb_to_recordset(coalesce(e.d->'numbered'->'events', '[]')) as ("account_id" text, "at" timestamptz, "actor" text, "action" text, "subject_type" text, "subject_id" text, "before" jsonb, "after" jsonb, number_key text)) with ordinality as x("account_id", "at", "actor", "action", "subject_type", "subject_id", "before", "after", number_key, ord)
    order by e.ord, x.ord;
  insert into notices ("account_id", "id", "kind", "lang", "to_email", "subject", "body", "params", "dedupe_key", "sent_at", "attachment_document_id", "delivery_status", "next_attempt_at")
    select x."account_id", x."id", x."kind", x."lang", x."to_email", replace(x."subject", e.d->'doc'->>'placeholder', e.d->>'number'), replace(x."body", e.d->'doc'->>'placeholder', e.d->>'number'), case when x.number_key is null then x."params" else jsonb_set(x."params", array[x.number_key], to_jsonb(e.d->>'number')) end, x."dedupe_key", x."sent_at", x."attachment_document_id", x."delivery_status", x."next_attempt_at"
    from jsonb_array_elements(v_docs) with ordinality as e(d, ord)
    cross join lateral rows from (jsonb_to_recordset(coalesce(e.d->'numbered'->'notices', '[]')) as ("account_id" text, "id" text, "kind" text, "lang" text, "to_email" text, "subject" text, "body" text, "params" jsonb, "dedupe_key" text, "sent_at" timestamptz, "attachment_document_id" text, "delivery_status" text, "next_attempt_at" timestamptz, number_key text)) with ordinality as x("account_id", "id", "kind", "lang", "to_email", "subject", "body", "params", "dedupe_key", "sent_at", "attachment_document_id", "delivery_status", "next_attempt_at", number_key, ord)
    order by e.ord, x.ord
    on conflict (account_id, dedupe_key) do nothing;
  get diagnostics c = row_count;
  return v_notices + c;
end
$fn$;
`,
  },
  {
    version: 16,
    name: 'orders withdrawn or lapsed',
    sql: `
-- A placed order that will not be accepted: withdrawn by the customer, cancelled by the operator,
-- or lapsed at the end of its statement's validity (B9; docs/decisions.md). Its status becomes
-- 'cancelled'; these say when and why.
alter table orders add column cancelled_at timestamptz, add column cancel_reason text;
`,
  },
  {
    version: 17,
    name: 'email changes awaiting confirmation',
    sql: `
-- A customer's new email, waiting for the link mailed to it to be opened (docs/decisions.md "The
-- customer's own email"); the code only as its SHA-256 hash, as portal tokens.
create table email_changes (
  account_id text not null references accounts (account_id),
  code_hash text not null,
  old_email text not null,
  new_email text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null,
  primary key (account_id, code_hash)
);
create index email_changes_code on email_changes (code_hash);
`,
  },
];
