/**
 * B9: an order awaiting acceptance that will not be accepted — withdrawn by the customer
 * (POST /v1/orders/{id}/cancel with a portal session), cancelled by the operator on the customer's
 * behalf, or lapsed at 00:00 after its statement's last day (the end of the month it was placed in).
 */
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-10T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

/** An ebook5 account on business-5 (by card, three months unless `change.term` says), with a plan change to business-10 (and `change`) awaiting acceptance. */
async function waiting(change: Record<string, string> = {}) {
  const id = await newAccount(t, 'ebook5');
  const now = Temporal.Instant.from((await t.api('GET', '/v1/clock')).body.now as string);
  const today = now.toZonedDateTimeISO('Asia/Tokyo').toPlainDate().toString(); // the vendor's day
  await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: change.term ?? 'P3M', startDate: today, paymentMethod: 'card' });
  const placed = await order(t, { type: 'plan-change', accountId: id, planId: 'business-10', ...change });
  const endOfMonth = { '2026-04': '2026-04-30', '2026-05': '2026-05-31' }[today.slice(0, 7)];
  expect(placed).toMatchObject({ status: 'placed', validUntil: endOfMonth, cancelledAt: null, cancelReason: null });
  const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token as string;
  return { id, placed, token };
}

async function invoicesOf(id: string) {
  return (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as Array<{ orderId: string | null; kind?: string }>;
}

describe(`cancelling an order awaiting acceptance (${DB_KIND})`, () => {
  it('B9: the customer withdraws a placed plan change — cancelled, contract and invoices unchanged, told by notice, audited; it can no longer be accepted', async () => {
    const { id, placed, token } = await waiting();
    const before = (await invoicesOf(id)).length;
    const res = await t.api('POST', `/v1/orders/${placed.id}/cancel`, {}, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: placed.id, status: 'cancelled', cancelReason: 'withdrawn', invoiceId: null });
    expect(res.body.cancelledAt).toMatch(/^2026-04-10T00:00:00/);
    expect((await t.api('GET', `/v1/orders/${placed.id}`, undefined, { token })).body).toEqual(res.body);

    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan.id).toBe('business-5');
    expect(await invoicesOf(id)).toHaveLength(before);

    const notices = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string; subject: string; body: string }>;
    const told = notices.find((n) => n.kind === 'order-cancelled');
    expect(told?.subject).toContain(placed.id);
    expect(told?.body).toContain('取り消しを承りました');
    expect(told?.body).toContain('ご請求も発生しません');

    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; actor: string; subjectId: string; after: unknown }>;
    const cancelled = events.find((e) => e.action === 'order.cancelled');
    expect(cancelled).toMatchObject({ actor: `customer:${id}`, subjectId: placed.id, after: { status: 'cancelled', reason: 'withdrawn' } });

    // Its lapse would do nothing now: set aside, not listed as coming.
    const lapses = async (status: string) =>
      ((await t.api('GET', `/v1/effects?accountId=${id}&status=${status}`)).body.effects as Array<{ kind: string; payload: { orderId?: string } }>).filter((e) => e.kind === 'order-lapse' && e.payload.orderId === placed.id).length;
    expect([await lapses('pending'), await lapses('skipped')]).toEqual([0, 1]);

    const accept = await t.api('POST', `/v1/orders/${placed.id}/accept`, undefined, { token });
    expect(accept.status).toBe(409);
    expect(accept.body.code).toBe('order_not_awaiting_acceptance');
    const again = await t.api('POST', `/v1/orders/${placed.id}/cancel`, {}, { token });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('order_not_awaiting_acceptance');
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('business-5');
  });

  it('the operator cancels on the customer\'s behalf with a note; the notice says it was at the customer\'s request', async () => {
    const { id, placed } = await waiting({ term: 'P12M', paymentMethod: 'invoice' }); // invoice payment: Business 10 yearly
    expect(placed.quoteId).toMatch(/^qt_/); // a quotation was issued (B9)
    const res = await t.api('POST', `/v1/orders/${placed.id}/cancel`, { note: 'Customer called: wrong plan' }, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'operator' });
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; actor: string; after: unknown }>;
    expect(events.find((e) => e.action === 'order.cancelled')).toMatchObject({ actor: 'operator', after: { reason: 'operator', note: 'Customer called: wrong plan' } });
    const notice = ((await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string; body: string }>).find((n) => n.kind === 'order-cancelled');
    expect(notice?.body).toContain('お客様のご依頼により取り消しました');
    // The quotation stays on file as issued; no invoice was issued for the order.
    expect((await t.api('GET', `/v1/quotes/${placed.quoteId}/pdf`)).status).toBe(200);
    expect((await invoicesOf(id)).filter((i) => i.orderId === placed.id && i.kind === 'invoice')).toEqual([]);
  });

  it('refused: a completed order (409, nothing changes), another account\'s order for a customer (404), an unknown order (404), a bad note (400)', async () => {
    const { id, placed, token } = await waiting();
    const completed = (await t.api('GET', `/v1/orders?accountId=${id}&status=completed`)).body.orders[0];
    const res = await t.api('POST', `/v1/orders/${completed.id}/cancel`, {});
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('order_not_awaiting_acceptance');
    expect((await t.api('GET', `/v1/orders/${completed.id}`)).body.status).toBe('completed');

    const other = await waiting();
    const foreign = await t.api('POST', `/v1/orders/${other.placed.id}/cancel`, {}, { token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('order_not_found');
    expect((await t.api('GET', `/v1/orders/${other.placed.id}`)).body.status).toBe('placed');

    expect((await t.api('POST', '/v1/orders/ord_nothing/cancel', {})).body.code).toBe('order_not_found');
    const bad = await t.api('POST', `/v1/orders/${placed.id}/cancel`, { note: 'x'.repeat(501) });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('body.note');
    expect((await t.api('GET', `/v1/orders/${placed.id}`)).body.status).toBe('placed');
  });

  it('B9: accepting and withdrawing the same order at once — exactly one wins, and the outcome is consistent', async () => {
    for (let round = 0; round < 3; round++) {
      const { id, placed, token } = await waiting();
      const [accept, cancel] = await Promise.all([t.api('POST', `/v1/orders/${placed.id}/accept`, undefined, { token }), t.api('POST', `/v1/orders/${placed.id}/cancel`, {}, { token })]);
      expect([accept.status, cancel.status].sort()).toEqual([200, 409]);
      const final = (await t.api('GET', `/v1/orders/${placed.id}`)).body;
      const plan = (await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id;
      const billed = (await invoicesOf(id)).filter((i) => i.orderId === placed.id);
      if (accept.status === 200) {
        expect(final.status).toBe('completed');
        expect(plan).toBe('business-10');
        expect(billed).toHaveLength(1);
      } else {
        expect(final.status).toBe('cancelled');
        expect(plan).toBe('business-5');
        expect(billed).toHaveLength(0);
      }
    }
  });
});

describe(`an order's statement lapses (${DB_KIND})`, () => {
  it('B9: at 00:00 after the end of the month it was placed in, a placed order lapses — cancelled, audited by the scheduler, no notice; the queue no longer lists it', async () => {
    const { id, placed } = await waiting();
    const accepted = await waiting(); // accepted in time: its lapse does nothing
    expect((await t.api('POST', `/v1/orders/${accepted.placed.id}/accept`, undefined, { token: accepted.token })).status).toBe(200);
    const pendingLapse = async (accountId: string) => ((await t.api('GET', `/v1/effects?accountId=${accountId}&status=pending`)).body.effects as Array<{ kind: string }>).filter((e) => e.kind === 'order-lapse').length;
    expect(await pendingLapse(accepted.id)).toBe(0); // accepted: its lapse is skipped
    expect(await pendingLapse(id)).toBe(1);

    expect((await t.api('POST', '/v1/clock', { now: '2026-04-30T23:59:00+09:00' })).status).toBe(200);
    expect((await t.api('GET', `/v1/orders/${placed.id}`)).body.status).toBe('placed');
    expect((await t.api('POST', '/v1/clock', { now: '2026-05-01T00:00:00+09:00' })).status).toBe(200);

    const lapsed = (await t.api('GET', `/v1/orders/${placed.id}`)).body;
    expect(lapsed).toMatchObject({ status: 'cancelled', cancelReason: 'lapsed', validUntil: '2026-04-30' });
    expect(lapsed.cancelledAt).toBe('2026-04-30T15:00:00.000Z');
    expect((await t.api('GET', `/v1/orders/${accepted.placed.id}`)).body.status).toBe('completed');
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; actor: string; after: unknown }>;
    expect(events.find((e) => e.action === 'order.lapsed')).toMatchObject({ actor: 'system:scheduler', after: { reason: 'lapsed', validUntil: '2026-04-30' } });
    const kinds = ((await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string }>).map((n) => n.kind);
    expect(kinds).not.toContain('order-cancelled');
    const queue = (await t.api('GET', '/v1/orders?status=placed&limit=500')).body.orders.map((o: { id: string }) => o.id);
    expect(queue).not.toContain(placed.id);
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('business-5');
  });

  it('B9: an order placed before lapses were scheduled (no lapse effect) is refused at acceptance after its last day with 409 order_lapsed, and can still be withdrawn', async () => {
    const { id, placed } = await waiting();
    // As an order placed by an earlier version has it: no lapse scheduled, no validity kept.
    await sql`delete from effects where account_id = ${id} and kind = 'order-lapse'`.execute(t.running.ctx.db);
    await sql`update orders set quote = quote - 'validUntil' where account_id = ${id} and id = ${placed.id}`.execute(t.running.ctx.db);
    expect((await t.api('GET', `/v1/orders/${placed.id}`)).body.validUntil).toBe('2026-05-31'); // derived from the day placed
    expect((await t.api('POST', '/v1/clock', { now: '2026-06-01T09:00:00+09:00' })).status).toBe(200);
    expect((await t.api('GET', `/v1/orders/${placed.id}`)).body.status).toBe('placed');
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token as string; // a new link: the first expired
    const res = await t.api('POST', `/v1/orders/${placed.id}/accept`, undefined, { token, headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('order_lapsed');
    expect(res.body.detail).toContain('until 2026-05-31');
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('business-5');
    expect((await t.api('POST', `/v1/orders/${placed.id}/cancel`, {}, { token })).body.status).toBe('cancelled');
  });
});
