/** SPEC §4 personal premium over HTTP, on the test clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2022-01-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const setClock = async (now: string) => {
  const res = await t.api('POST', '/v1/clock', { now });
  expect(res.status).toBe(200);
};
/** A premium account with plan `planId` bought today. */
async function premium(planId = 'plan-10', paymentMethod = 'card') {
  const id = await newAccount(t, 'premium');
  const today = (await t.api('GET', `/v1/accounts/${id}/state`)).body.date;
  const placed = await order(t, { type: 'new-contract', accountId: id, planId, term: 'P1Y', startDate: today, paymentMethod });
  return { id, placed };
}

describe(`SPEC §4 premium renewal and upgrades (${DB_KIND})`, () => {
  it('P4: a mid-term upgrade moves to a higher plan for the rest of the validity at the price difference', async () => {
    const { id } = await premium('plan-10');
    await setClock('2022-03-10T10:00:00+09:00');
    const preview = await t.api('POST', '/v1/orders/preview', { type: 'upgrade', accountId: id, planId: 'plan-20' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      type: 'upgrade',
      period: { start: '2022-03-10', end: '2022-12-31' },
      amount: { subtotal: 4000, tax: 400, total: 4400 }, // 9,000 − 5,000
      paymentMethod: 'card',
      warnings: [],
    });
    expect(preview.body.effects).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'limit_changed', limit: 'connections', from: 10, to: 20 })]));
    const placed = await order(t, { type: 'upgrade', accountId: id, planId: 'plan-20' });
    expect(placed.status).toBe('completed');
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan.id).toBe('plan-20');
    expect(state.contract).toMatchObject({ start: '2022-03-10', end: '2022-12-31' });
    expect(state.limits).toEqual({ connections: 20 });
    // The history is kept: on 2022-03-09 the account was on Plan 10.
    expect((await t.api('GET', `/v1/accounts/${id}/state?at=2022-03-09`)).body.plan.id).toBe('plan-10');
    const invoices = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
    expect(invoices[0].amount.total).toBe(4400);
    expect(invoices[0].lines[0].description).toBe('Plan 10 → Plan 20 (upgrade, 2022-03-10 – 2022-12-31)');
  });

  it('P4: an equal or lower plan is refused with plan_not_higher, and nothing changes', async () => {
    const { id } = await premium('plan-20');
    for (const planId of ['plan-20', 'plan-10', 'premium-free']) {
      const res = await t.api('POST', '/v1/orders', { type: 'upgrade', accountId: id, planId });
      expect(res.status, planId).toBe(422);
      expect(res.body.code).toBe('plan_not_higher');
      expect(res.body.detail).toContain('plan-30');
    }
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toHaveLength(1);
  });

  it('P3/P4: no paid plan → not_on_paid_plan for upgrade and renewal', async () => {
    const id = await newAccount(t, 'premium');
    for (const type of ['upgrade', 'renewal']) {
      const res = await t.api('POST', '/v1/orders/preview', { type, accountId: id, planId: 'plan-20' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('not_on_paid_plan');
    }
  });

  it('P3: the seed example — Plan 10 (2022-01-01 – 2022-12-31) renewed into Plan 20 on 2022-12-01 runs to 2023-12-31', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2022-01-01T09:00:00+09:00' });
    try {
      const id = await newAccount(s, 'premium');
      await order(s, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01', paymentMethod: 'bank-transfer' });
      // The day before the window opens: closed, and the refusal says when it opens.
      await s.api('POST', '/v1/clock', { now: '2022-10-31T12:00:00+09:00' });
      const early = await s.api('POST', '/v1/orders', { type: 'renewal', accountId: id, planId: 'plan-20' });
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('renewal_window_closed');
      expect(early.body.detail).toContain('2022-11-01');
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.renewalWindow).toEqual({ opens: '2022-11-01', open: false, eligiblePlans: [] });
      // The day it opens.
      await s.api('POST', '/v1/clock', { now: '2022-11-01T00:00:00+09:00' });
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.renewalWindow).toEqual({ opens: '2022-11-01', open: true, eligiblePlans: ['plan-10', 'plan-20', 'plan-30'] });
      // Inside the window the upgrade preview points to the renewal.
      const upgrade = await s.api('POST', '/v1/orders/preview', { type: 'upgrade', accountId: id, planId: 'plan-20' });
      expect(upgrade.body.warnings).toEqual([expect.objectContaining({ code: 'renewal_offer_better', newEnd: '2023-12-31' })]);
      const lower = await s.api('POST', '/v1/orders', { type: 'renewal', accountId: id, planId: 'plan-5' });
      expect(lower.status).toBe(422);
      expect(lower.body.code).toBe('plan_lower_than_current');
      await s.api('POST', '/v1/clock', { now: '2022-12-01T10:00:00+09:00' });
      const renewal = await s.api('POST', '/v1/orders', { type: 'renewal', accountId: id, planId: 'plan-20' });
      expect(renewal.status).toBe(201);
      expect(renewal.body).toMatchObject({
        type: 'renewal',
        status: 'completed',
        period: { start: '2022-12-01', end: '2023-12-31' },
        amount: { subtotal: 9000, tax: 900, total: 9900 },
        dueOn: '2022-12-31',
      });
      const state = (await s.api('GET', `/v1/accounts/${id}/state`)).body;
      expect(state.plan.id).toBe('plan-20');
      expect(state.contract).toMatchObject({ start: '2022-12-01', end: '2023-12-31' });
      expect(state.renewalWindow.opens).toBe('2023-11-01');
      // Past the old end nothing expires: the old term's end was superseded.
      await s.api('POST', '/v1/clock', { now: '2023-01-02T00:00:00+09:00' });
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('plan-20');
      await s.api('POST', '/v1/clock', { now: '2024-01-01T00:00:00+09:00' });
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('premium-free');
      const actions = (await s.api('GET', `/v1/accounts/${id}/events`)).body.events.map((e: { action: string }) => e.action);
      expect(actions.filter((a: string) => a === 'contract.ended')).toHaveLength(1);
      expect(actions).toContain('contract.term_replaced');
    } finally {
      await s.stop();
    }
  });

  it('P3: renewing into the same plan is allowed (equal or higher) on the last day of validity', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2024-02-29T09:00:00+09:00' });
    try {
      const id = await newAccount(s, 'premium');
      // A leap-day purchase: one year from 2024-02-29 ends 2025-02-28 (G1).
      const first = await order(s, { type: 'new-contract', accountId: id, planId: 'plan-5', term: 'P1Y', startDate: '2024-02-29', paymentMethod: 'card' });
      expect(first.period).toEqual({ start: '2024-02-29', end: '2025-02-28' });
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.renewalWindow.opens).toBe('2025-01-01');
      await s.api('POST', '/v1/clock', { now: '2025-02-28T23:00:00+09:00' });
      const renewal = await order(s, { type: 'renewal', accountId: id, planId: 'plan-5', paymentMethod: 'paypal' });
      expect(renewal.period).toEqual({ start: '2025-02-28', end: '2026-02-28' });
      expect(renewal.amount.total).toBe(3300);
      expect(renewal.paymentMethod).toBe('paypal');
    } finally {
      await s.stop();
    }
  });

  it('notices: offer open (P3), 30 days before expiry, expired (P2) — each once, in Japanese by default', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2022-01-01T09:00:00+09:00' });
    try {
      const id = await newAccount(s, 'premium');
      await order(s, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01', paymentMethod: 'card' });
      // The contract's notices; its invoice is left unpaid here, and its overdue notice is
      // test/api/overdue.test.ts's subject.
      const kinds = async () => (await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices.map((n: { kind: string }) => n.kind).filter((k: string) => k !== 'invoice-overdue');
      expect(await kinds()).toEqual(['order-completed']);
      await s.api('POST', '/v1/clock', { now: '2022-10-31T23:59:00+09:00' });
      expect(await kinds()).toEqual(['order-completed']);
      await s.api('POST', '/v1/clock', { now: '2022-11-01T00:00:00+09:00' });
      const offer = (await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices[0];
      expect(offer.kind).toBe('renewal-offer-open');
      expect(offer.sentAt).toBe('2022-10-31T15:00:00.000Z');
      expect(offer.body).toContain('2022年12月31日');
      // Expiry day is 2023-01-01: the reminder comes 30 days before, on 2022-12-02.
      await s.api('POST', '/v1/clock', { now: '2022-12-02T00:00:00+09:00' });
      expect((await kinds())[0]).toBe('expiry-reminder');
      await s.api('POST', '/v1/clock', { now: '2023-03-01T00:00:00+09:00' });
      expect(await kinds()).toEqual(['contract-expired', 'expiry-reminder', 'renewal-offer-open', 'order-completed']);
      const expired = (await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices[0];
      // Sent when the scheduler caught up (the clock jumped over the expiry day), not back-dated.
      expect(expired.sentAt).toBe('2023-02-28T15:00:00.000Z');
      expect(expired.body).toContain('2022年12月31日');
    } finally {
      await s.stop();
    }
  });

  it('an upgrade renewal in the window cancels the pending reminder and expiry of the old term', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2022-01-01T09:00:00+09:00' });
    try {
      const id = await newAccount(s, 'premium');
      await order(s, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01', paymentMethod: 'card' });
      await s.api('POST', '/v1/clock', { now: '2022-11-15T10:00:00+09:00' });
      await order(s, { type: 'renewal', accountId: id, planId: 'plan-10' });
      await s.api('POST', '/v1/clock', { now: '2023-02-01T00:00:00+09:00' });
      const kinds = (await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices.map((n: { kind: string }) => n.kind).filter((k: string) => k !== 'invoice-overdue');
      expect(kinds).toEqual(['order-completed', 'renewal-offer-open', 'order-completed']);
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.contract).toMatchObject({ start: '2022-11-15', end: '2023-12-31' });
    } finally {
      await s.stop();
    }
  });

  it('P2, P3, G3: a catch-up past the end sends no renewal offer or expiry reminder for a plan that has already ended — only that it ended', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-11-27T09:00:00+09:00' });
    try {
      const late = await newAccount(s, 'premium');
      await order(s, { type: 'new-contract', accountId: late, planId: 'plan-10', term: 'P1Y', startDate: '2026-11-27', paymentMethod: 'card' });
      // Down from 2027-10-01 (the offer's day is 2027-09-27) to after the end (2027-11-26).
      expect((await s.api('POST', '/v1/clock', { now: '2027-11-28T09:00:00+09:00' })).body.effects.failed).toBe(0);
      const kinds = async (id: string) => ((await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string }>).map((n) => n.kind);
      expect(await kinds(late)).not.toContain('renewal-offer-open');
      expect(await kinds(late)).not.toContain('expiry-reminder');
      expect(await kinds(late)).toContain('contract-expired');
      // On time, each is sent on its day.
      const timely = await newAccount(s, 'premium');
      await order(s, { type: 'new-contract', accountId: timely, planId: 'plan-10', term: 'P1Y', startDate: '2027-11-28', paymentMethod: 'card' });
      // The offer on 2028-09-28 (two months before the day after the end), the reminder on 2028-10-29 (30 days before it).
      for (const now of ['2028-09-28T09:00:00+09:00', '2028-10-29T09:00:00+09:00', '2028-11-28T09:00:00+09:00']) await s.api('POST', '/v1/clock', { now });
      expect((await kinds(timely)).filter((k) => ['contract-expired', 'expiry-reminder', 'renewal-offer-open'].includes(k)).sort()).toEqual(['contract-expired', 'expiry-reminder', 'renewal-offer-open']);
    } finally {
      await s.stop();
    }
  });

  it('P5: a contract cancelled before it was paid — with voidUnpaid its invoice is voided by a credit note and never turns overdue; without, it stays due', async () => {
    const { id, placed } = await premium('plan-10', 'card');
    const { id: keptId, placed: kept } = await premium('plan-10', 'card');
    const contractOf = async (accountId: string) => (await t.api('GET', `/v1/accounts/${accountId}/state`)).body.contract.id as string;
    const cancelled = await t.api('POST', `/v1/accounts/${id}/contracts/${await contractOf(id)}/cancel`, { reason: 'ordered by mistake', voidUnpaid: true });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.refund).toBeNull();
    expect(cancelled.body.voided).toEqual([{ invoiceId: placed.invoiceId, number: expect.stringMatching(/^INV-\d{6}$/), creditNoteId: expect.any(String), creditNoteNumber: expect.stringMatching(/^CN-\d{6}$/), total: 5500 }]);
    expect((await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body).toMatchObject({ status: 'void', balance: 0 });
    expect((await t.api('GET', `/v1/invoices/${cancelled.body.voided[0].creditNoteId}`)).body).toMatchObject({ kind: 'credit-note', corrects: placed.invoiceId, amount: { total: 5500 } });
    expect((await t.api('POST', `/v1/accounts/${keptId}/contracts/${await contractOf(keptId)}/cancel`, { reason: 'customer will pay' })).body.voided).toEqual([]);
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; subjectId: string }>;
    expect(events.filter((e) => e.action === 'invoice.voided').map((e) => e.subjectId)).toEqual([placed.invoiceId]);
    // Weeks later: the voided invoice did not turn overdue (no reminder); the kept one did.
    const now = (await t.api('GET', '/v1/clock')).body.now as string;
    await setClock(new Date(Date.parse(now) + 30 * 86_400_000).toISOString());
    expect((await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body.status).toBe('void');
    expect((await t.api('GET', `/v1/invoices/${kept.invoiceId}`)).body.status).toBe('overdue');
    const notices = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string }>;
    expect(notices.map((n) => n.kind)).not.toContain('invoice-overdue');
  });

  it('P5: the operator cancels with a reason and a refund; the customer buys a new one-year contract from today', async () => {
    const { id, placed } = await premium('plan-20', 'bank-transfer');
    await setClock('2022-09-15T11:00:00+09:00');
    const contractId = (await t.api('GET', `/v1/accounts/${id}/state`)).body.contract.id;
    // Not self-service: a customer token may not cancel.
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token;
    expect((await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: 'x' }, { token })).status).toBe(403);
    // Nothing paid yet: no refund (it would give back money never received), and nothing changes.
    const unpaid = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: 'early renewal (P5)', refund: { amount: 3000 } });
    expect(unpaid.status).toBe(422);
    expect(unpaid.body).toMatchObject({ code: 'refund_exceeds_paid', detail: 'Nothing paid for this contract is left to refund (a refund gives back money received). Cancel without a refund.', errors: [{ path: 'refund.amount' }] });
    // Paid by transfer (9,900 yen), a refund above it is refused, and nothing changes.
    expect((await t.api('POST', `/v1/invoices/${placed.invoiceId}/payments`, { amount: 9900, method: 'bank-transfer', paidOn: '2022-09-15' })).status).toBe(201);
    const tooMuch = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: 'early renewal (P5)', refund: { amount: 99999 } }, { headers: { 'accept-language': 'ja' } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'refund_exceeds_paid', detail: '返金額 99,999円（税込） が、この契約で支払われた未返金の額 9,900円（税込） を超えています。9,900円（税込） 以下にしてください。', errors: [{ path: 'refund.amount' }] });
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('plan-20');
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toHaveLength(1);
    const cancelled = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: 'Customer asked to renew early (P5)', refund: { amount: 3000 } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ contractId, cancelledFrom: '2022-09-15', reason: 'Customer asked to renew early (P5)', refund: { amount: { subtotal: 2728, tax: 272, total: 3000 } } });
    expect(cancelled.body.refund.number).toMatch(/^CN-\d{6}$/);
    const note = (await t.api('GET', `/v1/invoices/${cancelled.body.refund.creditNoteId}`)).body;
    expect(note).toMatchObject({ kind: 'credit-note', contractId, amount: { total: 3000 }, taxBreakdown: [{ rate: 10, taxable: 2728, tax: 272 }] });
    // Effective at once: today the account is on the free plan.
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan.id).toBe('premium-free');
    expect((await t.api('GET', `/v1/accounts/${id}/state?at=2022-09-14`)).body.plan.id).toBe('plan-20');
    const again = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('contract_not_active');
    // A new one-year contract from today (remaining days are not carried over).
    const fresh = await order(t, { type: 'new-contract', accountId: id, planId: 'plan-30', term: 'P1Y', startDate: '2022-09-15', paymentMethod: 'card' });
    expect(fresh.period).toEqual({ start: '2022-09-15', end: '2023-09-14' });
    const event = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events.find((e: { action: string }) => e.action === 'contract.cancelled');
    expect(event).toMatchObject({ actor: 'operator', after: { cancelledFrom: '2022-09-15', reason: 'Customer asked to renew early (P5)', by: 'operator', skippedEffects: 3 } });
    // Its term's end and the notices before it are set aside (skipped), not listed as coming.
    const ofContract = async (status: string) =>
      ((await t.api('GET', `/v1/effects?accountId=${id}&status=${status}`)).body.effects as Array<{ kind: string; payload: { contractId?: string } }>).filter((e) => e.payload.contractId === contractId).map((e) => e.kind).sort();
    expect(await ofContract('pending')).toEqual([]);
    expect(await ofContract('skipped')).toEqual(['expiry-reminder', 'renewal-offer-open', 'term-end']);
    // The customer is told, with the credit note of the refund.
    const told = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices.filter((n: { kind: string }) => n.kind === 'contract-cancelled');
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain('2022年9月15日付けで解約');
    expect(told[0].body).toContain(cancelled.body.refund.number);
    expect(told[0].body).toContain('3,000円（税込）');
    expect(placed.invoiceId).toBeTruthy();
    // When their day comes, nothing of the cancelled contract runs.
    await setClock('2023-01-05T00:00:00+09:00');
    const notices = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices.map((n: { kind: string }) => n.kind);
    expect(notices).not.toContain('contract-expired');
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('plan-30');
  });

  it('P5: a cancellation without a refund issues no credit note; unknown contract is 404', async () => {
    const { id } = await premium('plan-5');
    const contractId = (await t.api('GET', `/v1/accounts/${id}/state`)).body.contract.id;
    const res = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: 'moving to another service' });
    expect(res.body.refund).toBeNull();
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices.map((i: { kind: string }) => i.kind)).toEqual(['invoice']);
    const missing = await t.api('POST', `/v1/accounts/${id}/contracts/con_nope/cancel`, { reason: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('contract_not_found');
    const empty = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: '  ' });
    expect(empty.status).toBe(400);
  });

  it('teamspace and ebook5 have no upgrade renewal: renewal and upgrade orders are not available there', async () => {
    const id = await newAccount(t, 'teamspace');
    const today = (await t.api('GET', `/v1/accounts/${id}/state`)).body.date;
    await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: today, paymentMethod: 'card' });
    const res = await t.api('POST', '/v1/orders/preview', { type: 'renewal', accountId: id, planId: 'starter' });
    expect(res.body.code).toBe('order_type_not_available');
  });
});
