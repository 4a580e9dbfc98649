import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

// The test clock stands on 2022-01-01 09:00 in Tokyo: "today" is 2022-01-01 (SPEC P1's example).
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2022-01-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const newContract = (accountId: string, fields: Record<string, unknown>) => ({ type: 'new-contract', accountId, startDate: '2022-01-01', ...fields });

describe(`new-contract orders (${DB_KIND})`, () => {
  it('P1: plan-10 bought on 2022-01-01 runs to 2022-12-31; its state, invoice and events follow', async () => {
    const id = await newAccount(t, 'premium');
    const placed = await order(t, newContract(id, { planId: 'plan-10', term: 'P1Y', paymentMethod: 'bank-transfer' }));
    expect(placed).toMatchObject({
      type: 'new-contract',
      status: 'completed',
      period: { start: '2022-01-01', end: '2022-12-31' },
      amount: { subtotal: 5000, tax: 500, total: 5500, currency: 'JPY' },
      dueOn: '2022-01-31', // B8: bank transfer — end of the month of completion
    });
    const state = (await t.api('GET', `/v1/accounts/${id}/state?at=2022-06-15`)).body;
    expect(state.plan).toEqual({ id: 'plan-10', name: 'Plan 10' });
    expect(state.contract).toMatchObject({ start: '2022-01-01', end: '2022-12-31' });
    expect(state.limits).toEqual({ connections: 10 });
    expect(state.seats).toBeNull();
    // P3 window: present before it opens, opens on 2022-11-01.
    expect(state.renewalWindow).toEqual({ opens: '2022-11-01', open: false, eligiblePlans: [] });
    const lastDay = (await t.api('GET', `/v1/accounts/${id}/state?at=2022-12-31`)).body;
    expect(lastDay.plan.id).toBe('plan-10');
    expect(lastDay.renewalWindow).toEqual({ opens: '2022-11-01', open: true, eligiblePlans: ['plan-10', 'plan-20', 'plan-30'] });
    // P2: from the next day the account is on the free plan.
    const after = (await t.api('GET', `/v1/accounts/${id}/state?at=2023-01-01`)).body;
    expect(after.plan).toEqual({ id: 'premium-free', name: 'Free' });
    expect(after.limits).toEqual({ connections: 3 });
    expect(after.contract).toBeNull();

    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
    expect(invoice).toMatchObject({
      orderId: placed.id,
      issuedOn: '2022-01-01',
      dueOn: '2022-01-31',
      status: 'open',
      paymentMethod: 'bank-transfer',
      registrationNumber: 'T1234567890123',
      lines: [{ description: 'Plan 10 (1 year)', quantity: 1, unitPrice: 5000, amount: 5000 }],
      amount: { subtotal: 5000, tax: 500, total: 5500, currency: 'JPY' },
      taxBreakdown: [{ rate: 10, taxable: 5000, tax: 500 }],
      period: { start: '2022-01-01', end: '2022-12-31' },
    });
    expect(invoice.number).toMatch(/^INV-\d{6}$/);
    const listed = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
    expect(listed.map((i: any) => i.id)).toEqual([placed.invoiceId]);
    const actions = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events.map((e: any) => e.action);
    expect(actions).toEqual(['order.completed', 'invoice.issued', 'contract.created', 'order.placed', 'account.created']);
    expect((await t.api('GET', `/v1/orders/${placed.id}`)).body).toMatchObject({ id: placed.id, status: 'completed', invoiceId: placed.invoiceId, dueOn: '2022-01-31' });
  });

  it('G5: the trail says which order was placed and which invoice issued, for how much, and the documents keep the rest as issued', async () => {
    const id = await newAccount(t, 'premium');
    const placed = await order(t, newContract(id, { planId: 'plan-20', term: 'P1Y', paymentMethod: 'card' }));
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events;
    const orderPlaced = events.find((e: any) => e.action === 'order.placed');
    expect(orderPlaced).toMatchObject({ subjectType: 'order', subjectId: placed.id, before: null });
    expect(orderPlaced.after).toEqual({
      id: placed.id,
      type: 'new-contract',
      status: 'placed',
      amount: placed.amount,
      period: placed.period,
      paymentMethod: 'card',
      acceptance: 'none',
      quoteId: null,
    });
    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
    const issued = events.find((e: any) => e.action === 'invoice.issued');
    expect(issued).toMatchObject({ subjectType: 'invoice', subjectId: invoice.id, before: null });
    expect(issued.after).toEqual({
      id: invoice.id,
      kind: 'invoice',
      number: invoice.number,
      orderId: placed.id,
      contractId: invoice.contractId,
      issuedOn: '2022-01-01',
      dueOn: invoice.dueOn,
      status: 'open',
      paymentMethod: 'card',
      amount: invoice.amount,
    });
    // The lines, tax breakdown and parties are the invoice's and the order's own, never changed after.
    expect(invoice).toMatchObject({ lines: [{ description: 'Plan 20 (1 year)', amount: placed.amount.subtotal }], customerName: expect.any(String), registrationNumber: 'T1234567890123' });
    expect((await t.api('GET', `/v1/orders/${placed.id}`)).body.lines).toEqual(invoice.lines);
  });

  it('teamspace: Starter 200 is 2 licenses — 200 seats, 120,000 yen + 12,000 tax for 12 months', async () => {
    const id = await newAccount(t, 'teamspace');
    const placed = await order(t, newContract(id, { planId: 'starter', term: 'P12M', quantity: 200, paymentMethod: 'card' }));
    expect(placed.amount).toEqual({ subtotal: 120000, tax: 12000, total: 132000, currency: 'JPY' });
    expect(placed.lines).toEqual([{ description: 'Starter 200 (12 months)', descriptionJa: 'Starter 200（12か月）', quantity: 2, unitPrice: 60000, amount: 120000, taxRate: 10 }]);
    expect(placed.period).toEqual({ start: '2022-01-01', end: '2022-12-31' });
    expect(placed.dueOn).toBe('2022-01-06'); // B8: card — 3 business days after 01-01, past the 01-01…01-03 closing days
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan.id).toBe('starter');
    expect(state.seats).toEqual({ base: 200, additions: 0, spot: 0, limit: 200, active: 1 }); // the owner-manager holds a seat
    expect(state.contract.renewal).toBe('renew');
  });

  it('ebook5: Business 10 on 12 months may pay by invoice, due at the end of the next month (B7, B8)', async () => {
    const id = await newAccount(t, 'ebook5');
    const placed = await order(t, newContract(id, { planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' }));
    expect(placed.amount.total).toBe(118800); // 9,000 × 12 = 108,000 + 10,800
    expect(placed.dueOn).toBe('2022-02-28');
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.limits).toEqual({ books: 10, storageMb: 1000 });
    expect(state.features).toEqual(['heatmap']);
    expect(placed.effects).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'feature_gained', feature: 'heatmap' })]));
  });

  it('B7: invoice payment is refused below Business 10 or off the 12-month term, naming the methods to choose', async () => {
    const id = await newAccount(t, 'ebook5');
    for (const body of [newContract(id, { planId: 'business-5', term: 'P12M', paymentMethod: 'invoice' }), newContract(id, { planId: 'business-10', term: 'P3M', paymentMethod: 'invoice' })]) {
      const res = await t.api('POST', '/v1/orders', body);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('payment_method_not_allowed');
      expect(res.body.errors[0].path).toBe('paymentMethod');
      expect(res.body.detail).toContain('bank-transfer');
    }
    // In Japanese, in the words of the screens: terms and methods by name.
    const ja = await t.api('POST', '/v1/orders', newContract(id, { planId: 'business-10', term: 'P3M', paymentMethod: 'invoice' }), { headers: { 'accept-language': 'ja' } });
    expect(ja.body.detail).toBe('Business 10（3か月）では支払方法「請求書払い」は選べません。次から選んでください: 銀行振込、クレジットカード、PayPal');
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toEqual([]);
  });

  it('G1: an ebook5 month from 2022-01-31 ends 2022-02-28 (Civil Code art. 143)', async () => {
    const id = await newAccount(t, 'ebook5');
    const res = await t.api('POST', '/v1/orders/preview', newContract(id, { planId: 'personal-1', term: 'P1M', startDate: '2022-01-31', paymentMethod: 'paypal' }));
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ start: '2022-01-31', end: '2022-02-28' });
    expect(res.body.amount).toEqual({ subtotal: 1500, tax: 150, total: 1650, currency: 'JPY' });
    expect(res.body.warnings.map((w: any) => w.code)).toEqual(['starts_later']);
  });

  it('G4: a preview is the quote and saves nothing', async () => {
    const id = await newAccount(t, 'teamspace');
    const res = await t.api('POST', '/v1/orders/preview', newContract(id, { planId: 'starter', term: 'P12M', quantity: 100, paymentMethod: 'bank-transfer' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'new-contract', amount: { total: 66000 }, period: { start: '2022-01-01', end: '2022-12-31' }, dueOn: '2022-01-31' });
    expect(res.body.effects).toEqual(
      expect.arrayContaining([{ code: 'limit_changed', limit: 'seats', from: 10, to: 100, message: 'seats: 10 → 100' }, expect.objectContaining({ code: 'plan_changed', from: 'Free', to: 'Starter' })]),
    );
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('teamspace-free');
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toEqual([]);
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events;
    expect(events.map((e: any) => e.action)).toEqual(['member.registered', 'account.created']);
  });

  it('G4: every refused rule has its code and changes nothing', async () => {
    const id = await newAccount(t, 'teamspace');
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ planId: 'starter', term: 'P12M', quantity: 150, paymentMethod: 'card' }, 422, 'invalid_quantity', 'quantity'],
      [{ planId: 'starter', term: 'P1M', paymentMethod: 'card' }, 422, 'term_not_offered', 'term'],
      [{ planId: 'teamspace-free', term: 'P12M', paymentMethod: 'card' }, 422, 'plan_is_free', 'planId'],
      [{ planId: 'plan-10', term: 'P1Y', paymentMethod: 'card' }, 422, 'no_product_for_account', 'planId'],
      [{ planId: 'platinum', term: 'P12M', paymentMethod: 'card' }, 422, 'unknown_plan', 'planId'],
      [{ planId: 'starter', term: 'P12M', paymentMethod: 'invoice' }, 422, 'payment_method_not_allowed', 'paymentMethod'],
      [{ planId: 'starter', term: 'P12M', paymentMethod: 'card', startDate: '2021-12-31' }, 422, 'start_date_in_past', 'startDate'],
    ];
    for (const [fields, status, code, path] of cases) {
      for (const url of ['/v1/orders/preview', '/v1/orders']) {
        const res = await t.api('POST', url, newContract(id, fields));
        expect(res.status, `${url} ${code}`).toBe(status);
        expect(res.body.code).toBe(code);
        expect(res.body.errors?.[0]?.path).toBe(path);
      }
    }
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toEqual([]);
    expect((await t.api('GET', `/v1/accounts/${id}/events`)).body.events.length).toBe(2); // account and owner only
  });

  it('premium has no auto-renewal: renewal "renew" is refused', async () => {
    const id = await newAccount(t, 'premium');
    const res = await t.api('POST', '/v1/orders', newContract(id, { planId: 'plan-5', term: 'P1Y', paymentMethod: 'card', renewal: 'renew' }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('renewal_not_offered');
  });

  it('a second overlapping contract is 409 contract_exists; one after a non-renewing contract ends is fine', async () => {
    const id = await newAccount(t, 'premium');
    await order(t, newContract(id, { planId: 'plan-5', term: 'P1Y', paymentMethod: 'card' }));
    const overlap = await t.api('POST', '/v1/orders', newContract(id, { planId: 'plan-20', term: 'P1Y', startDate: '2022-06-01', paymentMethod: 'card' }));
    expect(overlap.status).toBe(409);
    expect(overlap.body.code).toBe('contract_exists');
    const later = await order(t, newContract(id, { planId: 'plan-20', term: 'P1Y', startDate: '2023-01-01', paymentMethod: 'card' }));
    expect(later.period).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    // A teamspace contract set to renew runs on: a later start still overlaps it.
    const team = await newAccount(t, 'teamspace');
    await order(t, newContract(team, { planId: 'starter', term: 'P12M', paymentMethod: 'card' }));
    const next = await t.api('POST', '/v1/orders', newContract(team, { planId: 'starter', term: 'P12M', startDate: '2024-01-01', paymentMethod: 'card' }));
    expect(next.body.code).toBe('contract_exists');
  });

  it('bad input: impossible dates, unknown order type, missing fields, wrong types → 400 with the field', async () => {
    const id = await newAccount(t, 'premium');
    const impossible = await t.api('POST', '/v1/orders', newContract(id, { planId: 'plan-5', term: 'P1Y', startDate: '2026-02-30', paymentMethod: 'card' }));
    expect(impossible.status).toBe(400);
    expect(impossible.body).toMatchObject({ code: 'invalid_request', errors: [{ path: 'body.startDate' }] });
    const type = await t.api('POST', '/v1/orders', { type: 'gift', accountId: id });
    expect(type.status).toBe(400);
    expect(type.body.code).toBe('invalid_request');
    const term = await t.api('POST', '/v1/orders', newContract(id, { planId: 'plan-5', term: 'P2Y', paymentMethod: 'card' }));
    expect(term.status).toBe(400);
    expect(term.body.errors[0].path).toBe('body.term');
    const quantity = await t.api('POST', '/v1/orders', newContract(id, { planId: 'plan-5', term: 'P1Y', paymentMethod: 'card', quantity: 'ten' }));
    expect(quantity.status).toBe(400);
    const unknownAccount = await t.api('POST', '/v1/orders', newContract('acc_missing', { planId: 'plan-5', term: 'P1Y', paymentMethod: 'card' }));
    expect(unknownAccount.status).toBe(404);
    expect(unknownAccount.body.code).toBe('account_not_found');
    const unknownOrder = await t.api('GET', '/v1/orders/ord_missing');
    expect(unknownOrder.status).toBe(404);
    expect(unknownOrder.body.code).toBe('order_not_found');
    const unknownInvoice = await t.api('GET', '/v1/invoices/inv_missing');
    expect(unknownInvoice.body.code).toBe('invoice_not_found');
    const badAt = await t.api('GET', `/v1/accounts/${id}/state?at=2022-13-01`);
    expect(badAt.status).toBe(400);
    expect(badAt.body.errors[0].path).toBe('querystring.at');
  });

  it('dates outside the business calendar\'s years (1970–2050) are 400 naming the field, not a 500, and place nothing', async () => {
    const id = await newAccount(t, 'teamspace');
    const range = 'a date from 1970-01-01 to 2050-12-31 (the years of the Japanese holiday calendar, which due dates need)';
    for (const startDate of ['9999-12-31', '2051-01-01', '1969-12-31', '0001-01-01']) {
      for (const path of ['/v1/orders/preview', '/v1/orders']) {
        const res = await t.api('POST', path, newContract(id, { planId: 'starter', term: 'P12M', startDate, paymentMethod: 'card' }));
        expect(res.status, `${path} ${startDate}`).toBe(400);
        expect(res.body.errors).toEqual([{ path: 'body.startDate', message: range }]);
      }
    }
    const spot = await t.api('POST', '/v1/orders/preview', { type: 'spot', accountId: id, seats: 100, startDate: '9999-01-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
    expect(spot.body.errors).toEqual([{ path: 'body.startDate', message: range }]);
    const addition = await t.api('POST', '/v1/orders/preview', { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2099-01-01', paymentMethod: 'card' });
    expect(addition.body.errors).toEqual([{ path: 'body.effectiveDate', message: range }]);
    expect((await t.api('GET', `/v1/accounts/${id}/state?at=2051-01-01`)).body.errors).toEqual([{ path: 'querystring.at', message: range }]);
    const effects = await t.api('GET', '/v1/effects?dueBy=0000-01-01T00:00:00Z');
    expect(effects.status).toBe(400);
    expect(effects.body.errors[0].path).toBe('querystring.dueBy');
    // The last year of the calendar is fine; the contract's end may lie past it.
    const late = await t.api('POST', '/v1/orders/preview', newContract(id, { planId: 'starter', term: 'P12M', startDate: '2050-12-31', paymentMethod: 'card' }));
    expect(late.status).toBe(200);
    expect(late.body.period).toEqual({ start: '2050-12-31', end: '2051-12-30' });
    expect((await t.api('GET', `/v1/orders?accountId=${id}`)).body.orders).toEqual([]);
  });

  it('order types a product does not sell answer 422 order_type_not_available, not a 500', async () => {
    const id = await newAccount(t, 'teamspace');
    await order(t, newContract(id, { planId: 'starter', term: 'P12M', paymentMethod: 'card' }));
    const res = await t.api('POST', '/v1/orders/preview', { type: 'plan-change', accountId: id, planId: 'starter', term: 'P12M', paymentMethod: 'paypal' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('order_type_not_available');
    // It says which types the product offers, at the field to change — as the catalog lists them.
    expect(res.body.detail).toBe('Orders of type plan-change are not offered for teamspace accounts. Choose one of: new-contract, spot, license-addition.');
    expect(res.body.errors).toEqual([{ path: 'type', message: res.body.detail }]);
    const products = (await t.api('GET', '/v1/catalog')).body.products as Array<{ id: string; orderTypes: string[] }>;
    expect(Object.fromEntries(products.map((p) => [p.id, p.orderTypes]))).toEqual({
      teamspace: ['new-contract', 'spot', 'license-addition'],
      premium: ['new-contract', 'upgrade', 'renewal'],
      ebook5: ['new-contract', 'plan-change'],
    });
    // Before any rule of the order itself: an upgrade of a teamspace account without a contract.
    const free = await newAccount(t, 'teamspace');
    const upgrade = await t.api('POST', '/v1/orders/preview', { type: 'upgrade', accountId: free, planId: 'starter' }, { headers: { 'accept-language': 'ja' } });
    expect(upgrade.body).toMatchObject({ code: 'order_type_not_available', detail: 'teamspace のアカウントでは種類 upgrade の注文は受け付けていません。次のいずれかを選んでください: new-contract, spot, license-addition。' });
  });

  it('a customer token places and reads orders on its own account only', async () => {
    const mine = await newAccount(t, 'ebook5');
    const other = await newAccount(t, 'ebook5');
    const token = (await t.api('POST', `/v1/accounts/${mine}/portal-sessions`, {})).body.token;
    const placed = await t.api('POST', '/v1/orders', newContract(mine, { planId: 'business-5', term: 'P3M', paymentMethod: 'card' }), { token });
    expect(placed.status).toBe(201);
    expect(placed.body.period).toEqual({ start: '2022-01-01', end: '2022-03-31' });
    expect((await t.api('GET', `/v1/orders/${placed.body.id}`, undefined, { token })).status).toBe(200);
    expect((await t.api('GET', `/v1/invoices/${placed.body.invoiceId}`, undefined, { token })).status).toBe(200);
    const theirs = await order(t, newContract(other, { planId: 'business-5', term: 'P1M', paymentMethod: 'card' }));
    expect((await t.api('GET', `/v1/orders/${theirs.id}`, undefined, { token })).status).toBe(404);
    expect((await t.api('GET', `/v1/invoices/${theirs.invoiceId}`, undefined, { token })).status).toBe(404);
    expect((await t.api('POST', '/v1/orders', newContract(other, { planId: 'business-5', term: 'P1M', paymentMethod: 'card' }), { token })).status).toBe(404);
    const events = (await t.api('GET', `/v1/accounts/${mine}/events`)).body.events;
    expect(events.find((e: any) => e.action === 'order.placed').actor).toBe(`customer:${mine}`);
  });
});

describe('G6 idempotency', () => {
  it('the same key and body returns the first order and creates nothing more; another body is 409', async () => {
    const id = await newAccount(t, 'premium');
    const body = newContract(id, { planId: 'plan-20', term: 'P1Y', paymentMethod: 'card' });
    const headers = { 'idempotency-key': `k-${id}` };
    const first = await t.api('POST', '/v1/orders', body, { headers });
    const second = await t.api('POST', '/v1/orders', body, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices.length).toBe(1);
    const reused = await t.api('POST', '/v1/orders', { ...body, planId: 'plan-30' }, { headers });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('concurrent requests with one key make exactly one order', async () => {
    const id = await newAccount(t, 'ebook5');
    const body = newContract(id, { planId: 'business-30', term: 'P6M', paymentMethod: 'card' });
    const results = await Promise.all(Array.from({ length: 8 }, () => t.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': `race-${id}` } })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices.length).toBe(1);
  });

  it('a refused request keeps its refusal for the key, and account creation is idempotent too', async () => {
    const headers = { 'idempotency-key': 'account-once' };
    const body = { email: 'idem.account@example.jp', name: 'Idem', product: 'premium' };
    const a = await t.api('POST', '/v1/accounts', body, { headers });
    const b = await t.api('POST', '/v1/accounts', body, { headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
  });
});

describe('what an order writes in one message', () => {
  it('G5: a customer name and an idempotency key with quotes, backslashes and dollar quotes are stored as given — in the invoice, the notice and the replayed result', async () => {
    const name = "O'Brien \\ $k$ $k0$ $$ 株式会社 $k";
    const id = await newAccount(t, 'premium', { name });
    const key = "key 'with' $k$ and \\ and $k0$";
    const body = newContract(id, { planId: 'plan-5', term: 'P1Y', paymentMethod: 'card' });
    const first = await t.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const invoice = (await t.api('GET', `/v1/invoices/${first.body.invoiceId}`)).body;
    expect(invoice.customerName).toBe(name);
    const notices = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices;
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n: any) => n.body.includes(name))).toBe(true);
    const again = await t.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': key } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });
});

describe('gapless invoice numbers', () => {
  it('concurrent orders on different accounts get consecutive numbers, none reused', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => newAccount(t, 'premium')));
    const placed = await Promise.all(ids.map((id) => order(t, newContract(id, { planId: 'plan-5', term: 'P1Y', paymentMethod: 'card' }))));
    const numbers = await Promise.all(placed.map(async (o) => (await t.api('GET', `/v1/invoices/${o.invoiceId}`)).body.number as string));
    const values = numbers.map((n) => Number(n.slice(4))).sort((a, b) => a - b);
    expect(new Set(values).size).toBe(6);
    expect(values.at(-1)! - values[0]!).toBe(5);
  });
});
