-- An experiment, not the product (docs/performance.md, the section of 2026-11-27 07:55): the rows
-- of the benchmark's day written set-based, as a design that planned the day in SQL would write
-- them — the same tables, indexes and row sizes as Keiyaku's, approximate texts. It bounds from
-- below what any code writing these rows takes on a machine. Run on a copy of a kept day
-- (`npm run bench -- --daily-data keep --sizes 100000`), the two halves of the accounts at once:
--   createdb -h 127.0.0.1 -U postgres -T keiyaku_bench_keep_day_100000 -S FILE_COPY sb && psql … -d sb -c analyze
--   psql … -d sb -v half=0 -f bench/experiments/day-set-based.sql & psql … -d sb -v half=1 -f … & wait
-- (one half: the accounts with abs(hashtext(account_id)) % 2 = :half). Drop the copy afterwards.
-- With -v slim=1, the rows "What is left" names as candidates are left out: the invoice's overdue
-- effect, the `invoice.issued` event, the notices' rendered bodies (to weigh them, not a design).
\if :{?slim}
\else
\set slim 0
\endif
\timing on
begin;
create temp table due on commit drop as
  with c as (update effects set status = 'done', done_at = now(), attempts = attempts + 1
             where status = 'pending' and due_at <= '2027-04-01T00:30:00+09:00' and abs(hashtext(account_id)) % 2 = :half
             returning account_id, id, kind, payload)
  select * from c;
select count(*) from (select 1 from accounts a join (select distinct account_id from due) d using (account_id) order by a.account_id for update of a) x;
create temp table last on commit drop as
  select t.*, (c.renewal = 'renew' and t.plan_id <> 'plan-10') as renews, c.id as cid
  from due d join contract_terms t on t.account_id = d.account_id and t.id = d.payload->>'termId'
  join contracts c on c.account_id = t.account_id and c.id = t.contract_id
  where d.kind = 'term-end';
-- renewals: the next term, its invoice (numbered from the counter), two effects, two events, a notice
create temp table nt on commit drop as
  select l.account_id, 'trm_' || md5(random()::text) as tid, 'inv_' || md5(random()::text) as iid, l.contract_id, l.seq, l.plan_id, l.plan_name, l.rank, l.limits, l.features, l.license, l.licenses,
         l.monthly_unit_price, l.term_price, l.term, (l.end_date + 1) as s, (l.end_date + 1 + (l.end_date - l.start_date)) as e, l.payment_method, l.order_id, l.period_start,
         row_number() over (order by l.account_id) as k
  from last l where l.renews;
insert into contract_terms (account_id, id, contract_id, seq, plan_id, plan_name, rank, limits, features, license, licenses, monthly_unit_price, term_price, term, start_date, end_date, payment_method, order_id, period_start)
  select account_id, tid, contract_id, seq + 1, plan_id, plan_name, rank, limits, features, license, licenses, monthly_unit_price, term_price, term, s, e, payment_method, order_id, period_start from nt;
insert into effects (account_id, kind, due_at, payload, created_at)
  select account_id, 'term-end', (e + 1)::timestamptz, jsonb_build_object('contractId', contract_id, 'termId', tid), now() from nt
  union all select account_id, 'invoice-overdue', (s + 6)::timestamptz, jsonb_build_object('invoiceId', iid), now() from nt where :slim = 0;
insert into events (account_id, at, actor, action, subject_type, subject_id, before, after)
  select account_id, now(), 'system:scheduler', 'contract.renewed', 'contract', contract_id, jsonb_build_object('termId', 'trm_x', 'end', s - 1),
         jsonb_build_object('termId', tid, 'start', s, 'end', e, 'invoiceId', iid) from nt;
-- expiries: an event and a notice
insert into events (account_id, at, actor, action, subject_type, subject_id, before, after)
  select account_id, now(), 'system:scheduler', 'contract.ended', 'contract', contract_id, jsonb_build_object('planId', plan_id, 'end', end_date), jsonb_build_object('planId', 'free') from last where not renews;
insert into notices (account_id, id, kind, lang, to_email, subject, body, params, dedupe_key, sent_at)
  select l.account_id, 'ntc_' || md5(random()::text), 'contract-expired', 'ja', a.email, '【Keiyaku】' || l.plan_name || ' のご契約が終了しました',
         case when :slim = 1 then '' else a.name || ' 様' || E'\n\n' || repeat('ご契約（' || l.plan_name || '）は ' || l.end_date || ' で終了し、無料プランに戻りました。データはそのまま残っています。' || E'\n', 4) || E'\n' || 'Keiyaku デモ株式会社' end,
         jsonb_build_object('planName', l.plan_name, 'end', l.end_date, 'freePlanName', 'Free'), 'contract-expired:' || l.account_id, now()
  from last l join accounts a on a.account_id = l.account_id where not l.renews;
-- deactivations: the latest members over the limit (2 an expiring teamspace account, 4 a spot's end), each with its event
create temp table deact on commit drop as
  with over as (select account_id, 2 as n from last where not renews and plan_id = 'starter' union all select account_id, 4 from due where kind = 'seat-limit-drop'),
  chosen as (select m.account_id, m.id from over o cross join lateral (select account_id, id from members m where m.account_id = o.account_id and m.status = 'active' order by registered_at desc, seq desc limit o.n) m)
  select * from chosen;
analyze deact; -- a temporary table has no statistics: without them the update scans every member
update members m set status = 'deactivated' from deact d where m.account_id = d.account_id and m.id = d.id;
insert into events (account_id, at, actor, action, subject_type, subject_id, before, after)
  select account_id, now(), 'system:scheduler', 'member.deactivated', 'member', id, jsonb_build_object('status', 'active'), jsonb_build_object('status', 'deactivated', 'reason', 'seat-limit', 'limit', 10) from deact;
-- last: the numbered documents and the rows that show their numbers (the counter locked from here to COMMIT)
with n as (update document_counters set last_value = last_value + (select count(*) from nt) where series = 'invoice' returning last_value - (select count(*) from nt) as base)
insert into invoices (account_id, id, number, order_id, issued_on, due_on, status, payment_method, customer_name, issuer_name, registration_number, lines, subtotal, tax, total, tax_breakdown, period_start, period_end, created_at, kind, contract_id, bank_account)
  select nt.account_id, nt.iid, 'INV-' || lpad((n.base + nt.k)::text, 8, '0'), null, nt.s, nt.s + 5, 'open', nt.payment_method, a.name, 'Keiyaku デモ株式会社', 'T1234567890123',
         jsonb_build_array(jsonb_build_object('description', nt.plan_name || ' (12 months)', 'descriptionJa', nt.plan_name || '（12か月）', 'quantity', 1, 'unitPrice', nt.term_price, 'amount', nt.term_price, 'taxRate', 10)),
         nt.term_price, nt.term_price / 10, nt.term_price + nt.term_price / 10, jsonb_build_array(jsonb_build_object('rate', 10, 'taxable', nt.term_price, 'tax', nt.term_price / 10)), nt.s, nt.e, now(), 'invoice', nt.contract_id, 'みずほ銀行 本店 普通 1234567'
  from nt cross join n join accounts a on a.account_id = nt.account_id;
insert into events (account_id, at, actor, action, subject_type, subject_id, before, after)
  select account_id, now(), 'system:scheduler', 'invoice.issued', 'invoice', iid, null,
         jsonb_build_object('id', iid, 'kind', 'invoice', 'number', 'INV-00000000', 'orderId', null, 'contractId', contract_id, 'issuedOn', s, 'dueOn', s + 5, 'status', 'open', 'paymentMethod', payment_method, 'amount', jsonb_build_object('subtotal', term_price, 'tax', term_price / 10, 'total', term_price + term_price / 10, 'currency', 'JPY'))
  from nt where :slim = 0;
insert into notices (account_id, id, kind, lang, to_email, subject, body, params, dedupe_key, sent_at, attachment_document_id)
  select nt.account_id, 'ntc_' || md5(random()::text), 'contract-renewed', 'ja', a.email, '【Keiyaku】' || nt.plan_name || ' のご契約を更新しました',
         case when :slim = 1 then '' else a.name || ' 様' || E'\n\n' || 'いつもご利用いただきありがとうございます。' || nt.plan_name || ' のご契約を ' || nt.s || ' から ' || nt.e || ' まで更新しました。' || E'\n\n' || repeat('ご請求金額: ' || (nt.term_price * 11 / 10) || ' 円（税込）、お支払期日: ' || (nt.s + 5) || '、請求書番号: INV-00000000。' || E'\n', 4) || '請求書（PDF）を添付しています。' || E'\n\n' || 'Keiyaku デモ株式会社' end,
         jsonb_build_object('planName', nt.plan_name, 'start', nt.s, 'end', nt.e, 'total', nt.term_price * 11 / 10, 'dueOn', nt.s + 5, 'invoiceNumber', 'INV-00000000'), 'contract-renewed:' || nt.account_id, now(), nt.iid
  from nt join accounts a on a.account_id = nt.account_id;
select pg_notify('keiyaku_state', account_id) from (select distinct account_id from due) x;
commit;
