/** SPEC §5 plan changes of ebook5 over HTTP, on the test clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

/** An ebook5 account on business-5, one month from today, paid by card. */
async function ebook(s: TestServer, options: Record<string, string> = {}) {
  const id = await newAccount(s, 'ebook5', { options });
  const today = (await s.api('GET', `/v1/accounts/${id}/state`)).body.date;
  await order(s, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: today, paymentMethod: 'card' });
  return id;
}
const change = (accountId: string, fields: Record<string, unknown>) => ({ type: 'plan-change', accountId, ...fields });

describe(`SPEC §5 plan changes (${DB_KIND})`, () => {
  it('B1, B3, B6, B9, B10: plan, term and payment method in one order — the quotation, then acceptance', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
    try {
      const id = await ebook(s, { externalPublishing: 'developer' });
      await s.api('POST', '/v1/clock', { now: '2026-04-10T10:00:00+09:00' });
      const body = change(id, { planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' });
      const preview = await s.api('POST', '/v1/orders/preview', body);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        type: 'plan-change',
        period: { start: '2026-05-01', end: '2027-04-30' }, // B3: from the 1st of next month
        amount: { subtotal: 108000, tax: 10800, total: 118800 },
        paymentMethod: 'invoice',
        acceptance: 'quotation',
        dueOn: '2026-05-31', // B8: invoice payment — end of the next month
      });
      const codes = (list: Array<{ code: string }>) => list.map((n) => n.code);
      expect(preview.body.effects).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'limit_changed', limit: 'books', from: 5, to: 10 }),
          expect.objectContaining({ code: 'limit_changed', limit: 'storageMb', from: 500, to: 1000 }),
          expect.objectContaining({ code: 'feature_gained', feature: 'heatmap' }),
        ]),
      );
      expect(codes(preview.body.warnings)).toEqual(['change_takes_effect', 'reupload_required']); // B10
      const placed = await s.api('POST', '/v1/orders', body);
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ status: 'placed', acceptance: 'quotation', invoiceId: null });
      // B9: a quotation before acceptance; the contract is unchanged until then (B2).
      const quotation = (await s.api('GET', `/v1/quotes/${placed.body.quoteId}`)).body;
      expect(quotation).toMatchObject({ kind: 'quotation', status: 'issued', amount: { total: 118800 }, registrationNumber: 'T1234567890123' });
      expect(quotation.number).toMatch(/^QT-\d{6}$/);
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('business-5');
      expect((await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toHaveLength(1);
      await s.api('POST', '/v1/clock', { now: '2026-04-13T15:00:00+09:00' });
      const accepted = await s.api('POST', `/v1/orders/${placed.body.id}/accept`, {});
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'completed', dueOn: '2026-05-31' });
      // B2: the new limits apply at once.
      const state = (await s.api('GET', `/v1/accounts/${id}/state`)).body;
      expect(state.plan.id).toBe('business-10');
      expect(state.limits).toEqual({ books: 10, storageMb: 1000 });
      expect(state.features).toEqual(['heatmap']);
      const invoice = (await s.api('GET', `/v1/invoices/${accepted.body.invoiceId}`)).body;
      expect(invoice).toMatchObject({ kind: 'invoice', period: { start: '2026-05-01', end: '2027-04-30' }, dueOn: '2026-05-31', paymentMethod: 'invoice', amount: { total: 118800 } });
      // B9, B10: the completion notice, with the re-upload instruction.
      const notice = (await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices[0];
      expect(notice.kind).toBe('plan-change-completed');
      expect(notice.subject).toContain('Business 10');
      expect(notice.body).toContain('書籍ファイルを再度ダウンロード');
      const again = await s.api('POST', `/v1/orders/${placed.body.id}/accept`, {});
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('order_not_awaiting_acceptance');
      // B3: the old term is neither refunded nor renewed; the new term renews for 12 months.
      await s.api('POST', '/v1/clock', { now: '2027-05-02T00:00:00+09:00' });
      const invoices = (await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
      expect(invoices.map((i: { period: { start: string; end: string }; amount: { total: number } }) => [i.period.start, i.period.end, i.amount.total])).toEqual([
        ['2027-05-01', '2028-04-30', 118800],
        ['2026-05-01', '2027-04-30', 118800],
        ['2026-04-01', '2026-04-30', 5500],
      ]);
    } finally {
      await s.stop();
    }
  });

  it('B8, B9: card gets a statement (no quotation) and is due 3 business days after completion, across Golden Week; one not accepted in its month lapses', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
    try {
      const id = await ebook(s);
      const placed = await order(s, change(id, { planId: 'business-30' }));
      expect(placed).toMatchObject({ status: 'placed', acceptance: 'statement', quoteId: null, period: { start: '2026-05-01', end: '2026-05-31' }, amount: { total: 22000 } });
      await s.api('POST', '/v1/clock', { now: '2026-04-30T12:00:00+09:00' });
      const accepted = await s.api('POST', `/v1/orders/${placed.id}/accept`, {});
      expect(accepted.body).toMatchObject({ status: 'completed', dueOn: '2026-05-08' });
      // Not accepted in its month, a statement lapses at 00:00 after the month's last day.
      const late = await order(s, change(id, { planId: 'business-10' }));
      expect(late.validUntil).toBe('2026-04-30');
      await s.api('POST', '/v1/clock', { now: '2026-05-01T12:00:00+09:00' });
      const expired = await s.api('POST', `/v1/orders/${late.id}/accept`, {});
      expect(expired.status).toBe(409);
      expect(expired.body.code).toBe('order_not_awaiting_acceptance');
      expect((await s.api('GET', `/v1/orders/${late.id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: 'lapsed' });
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('business-30');
    } finally {
      await s.stop();
    }
  });

  it('B4: a downgrade below the books in use is refused with how many to remove; B5: below the storage in use it goes through and growth is refused', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
    try {
      const id = await newAccount(s, 'ebook5');
      await order(s, { type: 'new-contract', accountId: id, planId: 'business-10', term: 'P1M', startDate: '2026-04-01', paymentMethod: 'card' });
      expect((await s.api('PUT', `/v1/accounts/${id}/usage`, { books: 7, storageMb: 700 })).status).toBe(200);
      const refused = await s.api('POST', '/v1/orders', change(id, { planId: 'business-5' }));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'usage_over_new_limit', errors: [{ path: 'planId' }] });
      expect(refused.body.detail).toContain('Remove 2 books');
      await s.api('PUT', `/v1/accounts/${id}/usage`, { books: 5 });
      const placed = await order(s, change(id, { planId: 'business-5' }));
      expect(placed.warnings.map((w: { code: string }) => w.code)).toEqual(['change_takes_effect', 'storage_over_limit']);
      expect(placed.effects).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'feature_lost', feature: 'heatmap' })]));
      await s.api('POST', `/v1/orders/${placed.id}/accept`, {});
      // The content stays; growth is refused until usage is under the limit.
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.usage).toEqual({ books: 5, storageMb: 700 });
      const grow = (await s.api('POST', `/v1/accounts/${id}/entitlements/check`, { resource: 'storageMb', increment: 1 })).body;
      expect(grow).toMatchObject({ allowed: false, code: 'over_limit', limit: 500, usage: 700 });
      expect((await s.api('POST', `/v1/accounts/${id}/entitlements/check`, { resource: 'books', increment: 1 })).body).toMatchObject({ allowed: false, code: 'limit_reached', limit: 5, usage: 5 });
      expect((await s.api('POST', `/v1/accounts/${id}/entitlements/check`, { feature: 'heatmap' })).body.allowed).toBe(false);
    } finally {
      await s.stop();
    }
  });

  it('SPEC §2 Decision: an ebook5 contract renews for the same term, each renewal invoiced and due in business days (B8, year-end closing)', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
    try {
      const id = await newAccount(s, 'ebook5');
      await order(s, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P3M', startDate: '2026-04-01', paymentMethod: 'card' });
      await s.api('POST', '/v1/clock', { now: '2027-01-02T12:00:00+09:00' });
      const invoices = (await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
      expect(invoices.map((i: { issuedOn: string; period: { end: string }; dueOn: string; amount: { total: number } }) => [i.issuedOn, i.period.end, i.dueOn, i.amount.total])).toEqual([
        ['2027-01-01', '2027-03-31', '2027-01-06', 16500], // 01-01…01-03 closed: 01-04, 01-05, 01-06
        ['2026-10-01', '2026-12-31', '2026-10-06', 16500],
        ['2026-07-01', '2026-09-30', '2026-07-06', 16500],
        ['2026-04-01', '2026-06-30', '2026-04-06', 16500],
      ]);
      // Set to end with the term: no renewal after 2027-03-31, and no plan afterwards (ebook5 has no free plan).
      const contractId = (await s.api('GET', `/v1/accounts/${id}/state`)).body.contract.id;
      await s.api('POST', `/v1/accounts/${id}/contracts/${contractId}/renewal`, { renewal: 'to-free' });
      await s.api('POST', '/v1/clock', { now: '2027-04-02T00:00:00+09:00' });
      expect((await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toHaveLength(4);
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.plan).toBeNull();
    } finally {
      await s.stop();
    }
  });

  it('B3, G1, G3: after a plan change the contract renews period after period, each billed once (it used to renew into the same period for ever)', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2022-01-01T09:00:00+09:00' });
    try {
      const monthly = await newAccount(s, 'ebook5');
      await order(s, { type: 'new-contract', accountId: monthly, planId: 'business-10', term: 'P1M', startDate: '2022-01-01', paymentMethod: 'card' });
      const yearly = await newAccount(s, 'ebook5');
      await order(s, { type: 'new-contract', accountId: yearly, planId: 'business-5', term: 'P1M', startDate: '2022-01-01', paymentMethod: 'card' });
      await s.api('POST', '/v1/clock', { now: '2022-01-15T10:00:00+09:00' });
      for (const [id, fields] of [[monthly, { planId: 'business-5' }], [yearly, { planId: 'business-10', term: 'P12M' }]] as const) {
        const placed = await order(s, change(id, fields));
        if (placed.status === 'placed') expect((await s.api('POST', `/v1/orders/${placed.id}/accept`, {})).status).toBe(200);
      }
      for (const now of ['2022-02-01T00:00:00+09:00', '2022-03-01T00:00:00+09:00', '2022-04-01T00:00:00+09:00', '2022-05-01T00:00:00+09:00', '2023-02-01T00:00:00+09:00', '2024-02-01T00:00:00+09:00']) {
        const moved = await s.api('POST', '/v1/clock', { now });
        expect(moved.status, now).toBe(200);
        expect(moved.body.effects.failed, now).toBe(0);
      }
      const periods = async (id: string) =>
        ((await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as Array<{ period: { start: string; end: string } }>).map((i) => `${i.period.start}..${i.period.end}`).reverse();
      const months = ['2022-03-01..2022-03-31', '2022-04-01..2022-04-30', '2022-05-01..2022-05-31', '2022-06-01..2022-06-30'];
      expect((await periods(monthly)).slice(0, 6)).toEqual(['2022-01-01..2022-01-31', '2022-02-01..2022-02-28', ...months]);
      expect(await periods(monthly)).toHaveLength(2 + 24); // 2022-03 … 2024-02, once each
      expect(await periods(yearly)).toEqual(['2022-01-01..2022-01-31', '2022-02-01..2023-01-31', '2023-02-01..2024-01-31', '2024-02-01..2025-01-31']);
      expect((await s.api('GET', `/v1/accounts/${monthly}/state?at=2024-02-01`)).body.contract).toMatchObject({ start: '2024-02-01', end: '2024-02-29' });
    } finally {
      await s.stop();
    }
  });

  it('B1, B9: an order whose contract changed since it was placed (another tab accepted another change) is refused at acceptance — nothing billed twice', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
    try {
      const id = await ebook(s);
      await s.api('POST', '/v1/clock', { now: '2026-04-10T10:00:00+09:00' });
      // Tab A: Business 10 on 12 months by invoice — a quotation, left awaiting acceptance.
      const a = await order(s, change(id, { planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' }));
      expect(a.status).toBe('placed');
      // Tab B: Business 30 on 12 months by card, accepted.
      const b = await order(s, change(id, { planId: 'business-30', term: 'P12M', paymentMethod: 'card' }));
      expect((await s.api('POST', `/v1/orders/${b.id}/accept`, {})).status).toBe(200);
      const invoicesBefore = (await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
      const eventsBefore = (await s.api('GET', `/v1/accounts/${id}/events`)).body.events;
      const late = await s.api('POST', `/v1/orders/${a.id}/accept`, {}, { headers: { 'accept-language': 'ja' } });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('order_outdated');
      expect(late.body.detail).toBe(`注文 ${a.id} の申し込み後に契約が変わりました（明細では「プラン: Business 5 → Business 10」でしたが、現在は「プラン: Business 30 → Business 10」になります）。何も変更していません。現在の契約でもう一度見積もりを確認して申し込んでください。`);
      const en = await s.api('POST', `/v1/orders/${a.id}/accept`, {});
      expect(en.body.detail).toContain('its statement said "Plan: Business 5 → Business 10", it would now be "Plan: Business 30 → Business 10"');
      // Nothing changed: still Business 30, one invoice for the new term, the order still awaiting.
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('business-30');
      expect((await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toEqual(invoicesBefore);
      expect((await s.api('GET', `/v1/accounts/${id}/events`)).body.events).toEqual(eventsBefore);
      expect((await s.api('GET', `/v1/orders/${a.id}`)).body.status).toBe('placed');
    } finally {
      await s.stop();
    }
  });

  it('B1: a plan change before the contract has started says when it starts, not to buy a contract', async () => {
    const id = await newAccount(t, 'ebook5');
    await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-05-01', paymentMethod: 'card' });
    const early = await t.api('POST', '/v1/orders/preview', change(id, { planId: 'business-10' }));
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'not_on_paid_plan', detail: "The account's paid plan starts on 2026-05-01; on 2026-04-01 there is none to change yet. Place this order from 2026-05-01 on." });
    const none = await t.api('POST', '/v1/orders/preview', change(await newAccount(t, 'ebook5'), { planId: 'business-10' }));
    expect(none.body.detail).toBe('The account has no paid plan on 2026-04-01. Buy a contract first (a new-contract order).');
  });

  it('B7: invoice payment only for Business 10 or higher on 12 months; a change that would leave it ineligible must choose another method', async () => {
    const id = await ebook(t);
    const refused = async (fields: Record<string, unknown>) => {
      const res = await t.api('POST', '/v1/orders/preview', change(id, fields));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'payment_method_not_allowed', errors: [{ path: 'paymentMethod' }] });
    };
    await refused({ paymentMethod: 'invoice' });
    await refused({ planId: 'business-10', term: 'P6M', paymentMethod: 'invoice' });
    await refused({ planId: 'personal-1', term: 'P12M', paymentMethod: 'invoice' });
    expect((await t.api('POST', '/v1/orders/preview', change(id, { planId: 'business-30', term: 'P12M', paymentMethod: 'invoice' }))).status).toBe(200);
  });

  it('B1: an order that changes nothing, or names a plan of another product, is refused; customers may place it themselves', async () => {
    const id = await ebook(t);
    const same = await t.api('POST', '/v1/orders/preview', change(id, { planId: 'business-5', term: 'P1M', paymentMethod: 'card' }));
    expect(same.body.code).toBe('nothing_to_change');
    expect((await t.api('POST', '/v1/orders/preview', change(id, { planId: 'starter' }))).body.code).toBe('no_product_for_account');
    expect((await t.api('POST', '/v1/orders/preview', change(id, { term: 'P2M' }))).status).toBe(400);
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token;
    const mine = await t.api('POST', '/v1/orders', change(id, { term: 'P3M' }), { token });
    expect(mine.status).toBe(201);
    expect((await t.api('POST', `/v1/orders/${mine.body.id}/accept`, {}, { token })).body.status).toBe('completed');
    const free = await newAccount(t, 'ebook5');
    expect((await t.api('POST', '/v1/orders/preview', change(free, { planId: 'business-10' }))).body.code).toBe('not_on_paid_plan');
  });

  it('B11: one email, one account — a second account with its own email has its own books and billing', async () => {
    const first = await ebook(t);
    const second = await ebook(t);
    const a = (await t.api('GET', `/v1/accounts/${first}`)).body;
    const b = (await t.api('GET', `/v1/accounts/${second}`)).body;
    expect(a.email).not.toBe(b.email);
    expect((await t.api('GET', `/v1/accounts/${first}/invoices`)).body.invoices).toHaveLength(1);
    expect((await t.api('GET', `/v1/accounts/${second}/invoices`)).body.invoices).toHaveLength(1);
    const dup = await t.api('POST', '/v1/accounts', { email: a.email, name: 'second', product: 'ebook5' });
    expect(dup.body.code).toBe('email_taken');
  });
});
