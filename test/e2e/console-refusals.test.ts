/** Console: every refusal shows the API's own message next to the field it concerns. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { expectText, fieldError, OPERATOR_KEY, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: refusals next to their fields', () => {
  it('cancellation: a missing reason and a refund of money never received; payment: more than the balance, a date after today', async () => {
    const id = await e.newAccount('premium');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'bank-transfer' });
    const number = (await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).number as string;
    const page = await e.openConsole(`/console/accounts/${id}`);

    // Cancellation without a reason: the API's 400 names `reason`.
    await page.getByRole('button', { name: '契約を解約する' }).click();
    await page.getByRole('button', { name: '解約を確定' }).click();
    expect(await fieldError(page, 'reason', '解約理由')).not.toBe('');
    // A refund while nothing was paid: the API's 422 refund_exceeds_paid, in Japanese, at the refund field.
    await page.getByLabel('解約理由').fill('重複契約');
    await page.getByLabel('返金額（税込・円）').fill('9000');
    await page.getByRole('button', { name: '解約を確定' }).click();
    await expect.poll(() => page.getByTestId('error-refund.amount').textContent()).toBe('この契約で返金できる入金はありません（返金は受け取った代金の返還です）。返金なしで解約してください。');
    expect(await fieldError(page, 'refund.amount', '返金額（税込・円）')).toContain('返金なしで解約');
    expect(await page.getByTestId('error-reason').count()).toBe(0);
    // Nothing happened: the contract still runs.
    await expectText(page.getByTestId('plan-name'), 'Plan 10');
    await screenshot(page, 'console-refusal-refund');
    await page.getByRole('button', { name: '閉じる' }).click();

    // A payment above the balance: 409 payment_exceeds_balance at the amount.
    await page.getByRole('button', { name: `${number}の入金を記録` }).click();
    await page.getByLabel('入金額（円）').fill('6000');
    await page.getByRole('button', { name: '入金を記録する' }).click();
    expect(await fieldError(page, 'amount', '入金額（円）')).toBe(`6000円は ${number} の未払残高 5500円を超えています。5500円以下で記録し、超過分は返金するか、この振込で支払われた他の請求書も指定してください。`);
    // A date after today (2026-07-01 on the test clock): 422 paid_on_in_future at the date.
    await page.getByLabel('入金額（円）').fill('5500');
    await page.getByLabel('入金日').fill('2026-07-02');
    await page.getByRole('button', { name: '入金を記録する' }).click();
    expect(await fieldError(page, 'paidOn', '入金日')).toContain('入金日 2026-07-02 が今日（2026-07-01）より後です');
    expect(await page.getByTestId('error-amount').count()).toBe(0);
    const row = page.getByTestId(`invoice-${number}`);
    await expectText(row.getByTestId('invoice-status'), '未払い');
    await screenshot(page, 'console-refusal-payment');

    // The same on a phone: the message sits under its field.
    const phone = await e.newPage({ mobile: true });
    await phone.goto(`${e.url}/console/accounts/${id}`);
    await phone.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await phone.getByRole('button', { name: 'サインイン' }).click();
    await phone.getByRole('button', { name: `${number}の入金を記録` }).click();
    await phone.getByLabel('入金額（円）').fill('6000');
    await phone.getByRole('button', { name: '入金を記録する' }).click();
    await fieldError(phone, 'amount', '入金額（円）');
    await phone.getByTestId('error-amount').scrollIntoViewIfNeeded();
    await screenshot(phone, 'console-refusal-payment-phone');
  });
});
