/** SPEC §6: an unpaid invoice becomes overdue the day after its due date, exactly once, with a notice. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-10T10:00:00+09:00' });
});
afterAll(async () => t?.stop());

async function invoiceFor(method: string) {
  const accountId = await newAccount(t, 'teamspace');
  const placed = await order(t, { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', startDate: '2026-04-10', paymentMethod: method });
  return { accountId, invoice: (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body };
}
const statusOf = async (id: string) => (await t.api('GET', `/v1/invoices/${id}`)).body.status;
const overdueNotices = async (accountId: string) => ((await t.api('GET', `/v1/accounts/${accountId}/notices`)).body.notices as any[]).filter((n) => n.kind === 'invoice-overdue');

describe(`overdue invoices (${DB_KIND})`, () => {
  it('SPEC §6, B8: unpaid at the end of its due date → overdue at 00:00 the next day, once, with a notice; paid or fully settled invoices are not', async () => {
    const unpaid = await invoiceFor('bank-transfer');
    const paid = await invoiceFor('bank-transfer');
    const partly = await invoiceFor('bank-transfer');
    expect(unpaid.invoice.dueOn).toBe('2026-04-30');
    await t.api('POST', `/v1/invoices/${paid.invoice.id}/payments`, { amount: paid.invoice.amount.total, method: 'bank-transfer', paidOn: '2026-04-10' });
    await t.api('POST', `/v1/invoices/${partly.invoice.id}/payments`, { amount: 1000, method: 'bank-transfer', paidOn: '2026-04-10' });

    await t.api('POST', '/v1/clock', { now: '2026-04-30T23:59:59+09:00' });
    expect(await statusOf(unpaid.invoice.id)).toBe('open');
    await t.api('POST', '/v1/clock', { now: '2026-05-01T00:00:00+09:00' });
    expect(await statusOf(unpaid.invoice.id)).toBe('overdue');
    expect(await statusOf(partly.invoice.id)).toBe('overdue');
    expect(await statusOf(paid.invoice.id)).toBe('paid');

    const [notice] = await overdueNotices(unpaid.accountId);
    expect(notice.subject).toContain(unpaid.invoice.number);
    expect(notice.body).toContain(unpaid.invoice.amount.total.toLocaleString('en-US'));
    expect(await overdueNotices(paid.accountId)).toHaveLength(0);
    const partlyNotice = (await overdueNotices(partly.accountId))[0];
    expect(partlyNotice.body).toContain((partly.invoice.amount.total - 1000).toLocaleString('en-US'));
    const events = (await t.api('GET', `/v1/accounts/${unpaid.accountId}/events`)).body.events as any[];
    expect(events.filter((e) => e.action === 'invoice.overdue')).toMatchObject([{ actor: 'system:scheduler', before: { status: 'open' }, after: { status: 'overdue', dueOn: '2026-04-30' } }]);

    // Later days add nothing; paying an overdue invoice settles it.
    await t.api('POST', '/v1/clock', { now: '2026-05-20T10:00:00+09:00' });
    expect(await overdueNotices(unpaid.accountId)).toHaveLength(1);
    const res = await t.api('POST', `/v1/invoices/${unpaid.invoice.id}/payments`, { amount: unpaid.invoice.amount.total, method: 'bank-transfer', paidOn: '2026-05-20' });
    expect(res.body.invoice).toMatchObject({ status: 'paid', balance: 0 });
    const rest = await t.api('POST', `/v1/invoices/${partly.invoice.id}/payments`, { amount: 500, method: 'bank-transfer', paidOn: '2026-05-20' });
    expect(rest.body.invoice).toMatchObject({ status: 'overdue', balance: partly.invoice.amount.total - 1500 });
  });

  it('B8: a card invoice is due 3 business days later and is overdue the day after', async () => {
    // The first test left the clock at 2026-05-20 (a Wednesday).
    const accountId = await newAccount(t, 'teamspace');
    const today = (await t.api('GET', `/v1/accounts/${accountId}/state`)).body.date as string;
    const placed = await order(t, { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', startDate: today, paymentMethod: 'card' });
    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
    expect(invoice.dueOn).toBe('2026-05-25'); // Wed 20 → Thu 21, Fri 22, Mon 25
    await t.api('POST', '/v1/clock', { now: '2026-05-25T23:00:00+09:00' });
    expect(await statusOf(invoice.id)).toBe('open');
    await t.api('POST', '/v1/clock', { now: '2026-05-26T00:00:01+09:00' });
    expect(await statusOf(invoice.id)).toBe('overdue');
    expect(await overdueNotices(accountId)).toHaveLength(1);
  });
});
