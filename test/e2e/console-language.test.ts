/** Console: Japanese and English throughout — labels, amounts, dates, and the API's own messages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: language switch', () => {
  it('switching to English turns labels, amounts ("¥5,500 (tax incl.)"), dates ("July 1, 2026") and refusals to English, and back', async () => {
    const id = await e.newAccount('premium', { name: '株式会社サンプル' });
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await e.newPage({ locale: 'ja-JP' });
    await page.goto(`${e.url}/console/accounts/${id}`);
    await expectText(page.getByRole('heading', { level: 2 }), 'オペレーターとしてサインイン');
    await page.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByTestId('invoices-table').waitFor();
    const invoice = page.getByTestId('invoices-table').locator('tbody tr').first();
    await expectText(invoice.getByTestId('invoice-total'), '5,500円（税込）');

    await page.getByLabel('言語').selectOption('en');
    await expect.poll(() => page.getByRole('navigation').textContent()).toBe('AccountsOrders awaiting acceptanceInvoicesSchedulerTest clock');
    await expectText(page.getByRole('heading', { level: 2, name: /^Contract/ }), 'Contract (as of July 1, 2026)');
    await expectText(page.getByTestId('contract-period'), 'July 1, 2026 – June 30, 2027');
    await expectText(invoice.getByTestId('invoice-total'), '¥5,500 (tax incl.)');
    await expectText(invoice.getByTestId('invoice-status'), 'Open');
    await expectText(page.getByTestId('clock-badge'), 'Test clock: July 1, 2026, 09:00');
    await expectText(page.getByTestId('contract-facts'), containing('Credit card'));

    // The API answers in the language shown: a refund while nothing was paid, in English.
    await page.getByRole('button', { name: 'Cancel the contract' }).click();
    await page.getByLabel('Reason').fill('Duplicate contract');
    await page.getByLabel('Refund (yen, tax included)').fill('9000');
    await page.getByRole('button', { name: 'Confirm cancellation' }).click();
    await expect
      .poll(() => page.getByTestId('error-refund.amount').textContent())
      .toBe('Nothing paid for this contract is left to refund (a refund gives back money received). Cancel without a refund.');
    await screenshot(page, 'console-language-en');

    // The choice is kept: a new page of the same browser opens in English.
    await page.reload();
    await page.getByTestId('invoices-table').waitFor();
    await expectText(page.getByRole('heading', { level: 1 }), 'Account');

    await page.getByLabel('Language').selectOption('ja');
    await expect.poll(() => page.getByTestId('contract-period').textContent()).toBe('2026年7月1日 〜 2027年6月30日');
    await expectText(page.getByRole('heading', { level: 1 }), 'アカウント');
    await screenshot(page, 'console-language-ja');

    // An English browser starts in English.
    const english = await e.newPage({ locale: 'en-US', mobile: true });
    await english.goto(`${e.url}/console`);
    await expectText(english.getByRole('heading', { level: 1 }), 'Operator console');
    await expectText(english.getByRole('heading', { level: 2 }), 'Sign in as the operator');
    await english.getByLabel('Operator key').fill('wrong');
    await english.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => english.getByTestId('error-operatorKey').textContent()).toBe('The operator key is not correct. Check it and enter it again.');
    await screenshot(english, 'console-language-en-phone-sign-in');
  });
});
