/**
 * Console forms check their own fields before sending (record a payment, cancel with a refund,
 * the test clock's date) and say what to enter under the field; the API's validation texts never
 * reach the screen. And the account's seat limit reads the same in the seats row and the limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, fieldError, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

const RAW = /Invalid|Too big|Too small|expected|ISO|無効な|小さすぎる|大きすぎる|整数を指定|文字以上|body\./;

describe('console: form checks', () => {
  it('record a payment: an empty amount, a fraction, an empty date and a negative fee are said in words; nothing is recorded', async () => {
    const id = await e.newAccount('premium');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'bank-transfer' });
    const number = (await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).number as string;
    const page = await e.openConsole(`/console/accounts/${id}`);
    await page.getByRole('button', { name: `${number}の入金を記録` }).click();
    await page.getByLabel('入金額（円）').fill('');
    await page.getByLabel('入金日').fill('');
    await page.getByLabel('振込手数料（円・当社負担）').fill('-5');
    await page.getByRole('button', { name: '入金を記録する' }).click();
    expect(await fieldError(page, 'amount', '入金額（円）')).toBe('入金額を1円以上の整数（円）で入力してください。');
    expect(await fieldError(page, 'paidOn', '入金日')).toBe('入金日を入力してください。');
    expect(await fieldError(page, 'bankFee', '振込手数料（円・当社負担）')).toBe('振込手数料は0円以上の整数（円）で入力するか、空欄にしてください。');
    await page.getByLabel('入金額（円）').fill('5500.5');
    await page.getByRole('button', { name: '入金を記録する' }).click();
    await expectText(page.getByTestId('error-amount'), '入金額を1円以上の整数（円）で入力してください。');
    await screenshot(page, 'console-validation-payment');
    expect(await page.locator('main').innerText()).not.toMatch(RAW);
    await expectText(page.getByTestId(`invoice-${number}`).getByTestId('invoice-status'), '未払い');

    // Right: recorded.
    await page.getByLabel('入金額（円）').fill('5500');
    await page.getByLabel('入金日').fill('2026-07-01');
    await page.getByLabel('振込手数料（円・当社負担）').fill('');
    await page.getByRole('button', { name: '入金を記録する' }).click();
    await expectText(page.getByTestId('payment-done'), `${number}に5,500円の入金を記録しました。状態: 支払済`);
  });

  it('cancel: no reason and a fractional refund, in English; an invalid_request from the API reads as the field\'s message', async () => {
    const id = await e.newAccount('premium');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await e.openConsole(`/console/accounts/${id}`);
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('button', { name: 'Cancel the contract' }).click();
    await page.getByLabel('Refund (yen, tax included)').fill('12.5');
    await page.getByRole('button', { name: 'Confirm cancellation' }).click();
    expect(await fieldError(page, 'reason', 'Reason')).toBe('Enter the reason for the cancellation (up to 1,000 characters).');
    expect(await fieldError(page, 'refund.amount', 'Refund (yen, tax included)')).toBe('Enter the refund in whole yen (0 or more), or leave it empty for no refund.');

    // Past the form (as an older page might send it): the API's 400 shows as the form's message.
    await page.route('**/cancel', (route) => void route.continue({ postData: JSON.stringify({ reason: 'Duplicate', refund: { amount: -1 } }) }));
    await page.getByLabel('Reason').fill('Duplicate');
    await page.getByLabel('Refund (yen, tax included)').fill('100');
    await page.getByRole('button', { name: 'Confirm cancellation' }).click();
    await expectText(page.getByTestId('error-refund.amount'), 'Enter the refund in whole yen (0 or more), or leave it empty for no refund.');
    expect(await page.getByTestId('error-reason').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toMatch(RAW);
    await screenshot(page, 'console-validation-cancel');
    await expectText(page.getByTestId('plan-name'), 'Plan 10');
  });

  it('test clock: an emptied date says what to enter and the clock does not move', async () => {
    const page = await e.openConsole('/console/clock');
    await expectText(page.getByTestId('clock-now'), '2026年7月1日 09:00');
    await page.getByLabel('日付').fill('');
    await page.getByRole('button', { name: '時計を進める' }).click();
    expect(await fieldError(page, 'now', '日付')).toBe('進める先の日付を入力してください。');
    expect(await page.getByTestId('clock-done').count()).toBe(0);
    await expectText(page.getByTestId('clock-now'), '2026年7月1日 09:00');
    await screenshot(page, 'console-validation-clock');
    await page.getByLabel('日付').fill('2026-07-03');
    await page.getByRole('button', { name: '時計を進める' }).click();
    await expectText(page.getByTestId('clock-now'), '2026年7月3日 09:00');
    expect(await page.getByTestId('error-now').count()).toBe(0);
  });
});

describe('console: seat limit', () => {
  it('with a spot of 200 on Starter 100, the seats row and the limits row both say 300, the limits row with where it comes from', async () => {
    const id = await e.newAccount('teamspace');
    const today = (await e.ok('GET', `/v1/accounts/${id}/state`)).date as string;
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: 100, startDate: today, paymentMethod: 'card', renewal: 'renew' });
    await e.ok('POST', '/v1/orders', { type: 'spot', accountId: id, seats: 200, startDate: today, months: 1, agreeToTerms: true, paymentMethod: 'card' });
    const page = await e.openConsole(`/console/accounts/${id}`);
    const facts = page.getByTestId('contract-facts');
    await expectText(facts, containing('1 / 300席使用中'));
    await expectText(facts, containing('席（本日）: 300（プラン 100 + スポット 200）'));
    expect(await facts.innerText()).not.toMatch(/席: 100/);
    await screenshot(page, 'console-seat-limit');
    await page.getByTestId('language').selectOption('en');
    await expectText(facts, containing('seats today: 300 (plan 100 + spots 200)'));
  });
});
