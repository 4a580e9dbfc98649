/** POST /v1/invoices/{id}/reminders: the operator reminds a customer of an unpaid invoice (SPEC §6, 督促). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const remind = (invoiceId: string, opts?: { token?: string | null }) => t.api('POST', `/v1/invoices/${invoiceId}/reminders`, {}, opts);
const clock = (now: string) => t.api('POST', '/v1/clock', { now });

describe(`POST /v1/invoices/{id}/reminders (${DB_KIND})`, () => {
  it('§6, B8: an unpaid invoice is reminded with its PDF attached, once a day; past its due date the reminder says so; a paid one needs none', async () => {
    const id = await newAccount(t, 'teamspace', { name: '督促テスト商事' });
    const bought = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'bank-transfer' });
    const account = (await t.api('GET', `/v1/accounts/${id}`)).body;
    const number = (await t.api('GET', `/v1/invoices/${bought.invoiceId}`)).body.number as string;

    const first = await remind(bought.invoiceId);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ invoiceId: bought.invoiceId, number, status: 'open', balance: 66000, sentTo: account.email, sentOn: '2026-04-01' });
    const notices = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices;
    expect(notices[0]).toMatchObject({ kind: 'payment-reminder', subject: `【お支払いのご案内】請求書 ${number} のお支払期限は2026年4月30日です`, attachment: { documentId: bought.invoiceId } });
    expect(notices[0].body).toContain('未入金額: 66,000円');
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events;
    expect(events[0]).toMatchObject({ action: 'invoice.reminded', actor: 'operator', subjectId: bought.invoiceId, after: { balance: 66000, sentTo: account.email } });

    // Once a day: again today is refused with the day; two at once the next day send one.
    const again = await remind(bought.invoiceId);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'reminder_already_sent' });
    expect(again.body.detail).toContain('2026-04-01');
    await clock('2026-04-02T09:00:00+09:00');
    const both = await Promise.all([remind(bought.invoiceId), remind(bought.invoiceId)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices.filter((n: { kind: string }) => n.kind === 'payment-reminder')).toHaveLength(2);

    // Past the due date: the wording of an overdue invoice.
    await clock('2026-05-07T09:00:00+09:00');
    const late = await remind(bought.invoiceId);
    expect(late.body).toMatchObject({ status: 'overdue', balance: 66000 });
    const latest = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices.find((n: { kind: string }) => n.kind === 'payment-reminder');
    expect(latest.subject).toBe(`【再度のお願い】請求書 ${number} のお支払いについて`);
    expect(latest.body).toContain('お支払期限（2026年4月30日）を過ぎております');

    // Paid: nothing is owed, no reminder.
    expect((await t.api('POST', `/v1/invoices/${bought.invoiceId}/payments`, { amount: 66000, method: 'bank-transfer', paidOn: '2026-05-07' })).status).toBe(201);
    const paid = await remind(bought.invoiceId);
    expect(paid.status).toBe(409);
    expect(paid.body.code).toBe('reminder_not_needed');
  });

  it('in the account\'s language, and for the operator only', async () => {
    const id = await newAccount(t, 'premium', { options: { lang: 'en' } });
    const bought = await order(t, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-05-07', paymentMethod: 'bank-transfer' });
    expect((await remind(bought.invoiceId)).status).toBe(201);
    const notice = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices[0];
    expect(notice.subject).toMatch(/^Reminder: invoice INV-\d+ is due on 31 May 2026$/);
    expect((await remind('inv_missing')).status).toBe(404);
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token as string;
    expect((await remind(bought.invoiceId, { token })).status).toBe(403);
  });
});
