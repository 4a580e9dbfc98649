// Premium settings (reference 001, SPEC P3, P4): the mid-term upgrade with the difference price,
// and, once the window is open, the banner → the continuation page → "remaining days + 1 year".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { screenshot, containing, expectText, startE2E } from './support.js';

describe('portal: premium settings', () => {
  let e: E2E;
  let upgrader: string;
  let renewer: string;
  beforeAll(async () => {
    e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
    upgrader = await e.newAccount('premium');
    renewer = await e.newAccount('premium');
    for (const accountId of [upgrader, renewer]) {
      await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    }
  });
  afterAll(async () => {
    await e?.close();
  });

  it('P4: higher plans show the difference; applying for Plan 20 upgrades until the same end', async () => {
    const page = await e.openPortal(upgrader, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'プレミアム設定' }).click();
    await page.getByTestId('premium-settings').waitFor();
    await expectText(page.getByTestId('current-plan-name'), 'Plan 10');
    await expectText(page.getByTestId('validity'), '2026年7月1日 〜 2027年6月30日');
    // The window is not open yet: no banner, and the page says when it opens.
    expect(await page.getByTestId('renewal-banner').count()).toBe(0);
    await expectText(page.getByTestId('renewal-opens'), containing('2027年5月1日'));
    // Plan 5 is lower: not offered. Differences: 9,000 − 5,000 and 12,000 − 5,000, tax included.
    const table = page.getByTestId('higher-plan-table');
    expect(await table.textContent()).not.toContain('Plan 5');
    await expectText(page.getByTestId('difference-plan-20'), '4,400円（税込）');
    await expectText(page.getByTestId('difference-plan-30'), '7,700円（税込）');
    await screenshot(page, 'premium-1-settings');

    await page.getByRole('button', { name: '申し込む: Plan 20' }).click();
    await page.getByTestId('upgrade-confirm').getByTestId('quote-total').waitFor();
    await expectText(page.getByTestId('quote-period'), '2026年7月1日 〜 2027年6月30日');
    await screenshot(page, 'premium-2-upgrade-confirm');
    await page.getByRole('button', { name: '4,400円（税込）を支払う' }).click();
    await page.getByTestId('upgrade-done').waitFor();
    await expectText(page.getByTestId('upgrade-done-message'), 'Plan 20へのアップグレードが完了しました。有効期限は2027年6月30日です。');
    await screenshot(page, 'premium-3-upgrade-done');

    await page.getByRole('button', { name: '契約情報へ' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('plan-name'), 'Plan 20');
    await page.getByTestId('invoices').getByText('4,400円（税込）').waitFor();
  });

  it('P3: in the window the banner leads to the continuation page; Plan 20 until remaining days + 1 year', async () => {
    await e.setClock('2027-05-10T09:00:00+09:00');
    const page = await e.openPortal(renewer, { locale: 'en-US' });
    await page.getByRole('link', { name: 'Premium settings' }).click();
    const banner = page.getByTestId('renewal-banner');
    await banner.waitFor();
    await expectText(banner, 'A good-value campaign plan is available. Please choose a plan here.');
    await screenshot(page, 'premium-4-banner');

    await banner.getByRole('link', { name: 'here' }).click();
    await page.getByTestId('premium-renewal').waitFor();
    const plans = page.getByTestId('renewal-plans');
    // Only equal or higher plans: Plan 5 cannot be chosen.
    expect(await plans.textContent()).not.toContain('Plan 5');
    await expectText(plans, containing('Plan 10 (current)'));
    await page.getByTestId('price-plan-20').waitFor();
    await expectText(page.getByTestId('price-plan-20'), '¥9,900 (tax incl.)');

    await page.getByRole('button', { name: 'Apply: Plan 20' }).click();
    const message = page.getByTestId('renewal-message');
    await message.waitFor();
    await expectText(message, 'The validity granted by the continuation is the remaining days of the current plan + 1 year: Plan 20 from May 10, 2027 – June 30, 2028.');
    await screenshot(page, 'premium-5-renewal-confirm');

    await page.getByRole('button', { name: 'Pay ¥9,900 (tax incl.)' }).click();
    await page.getByTestId('renewal-done').waitFor();
    await expectText(page.getByTestId('renewal-done-message'), containing('Plan 20 for May 10, 2027 – June 30, 2028'));
    await screenshot(page, 'premium-6-renewal-done');
  });

  it('P1, P2: after the validity ends the account is on the free plan and applies again: one year from today', async () => {
    await e.setClock('2027-07-02T09:00:00+09:00');
    const page = await e.openPortal(upgrader, { locale: 'en-US' });
    await expectText(page.getByTestId('plan-name'), 'Free');
    await page.getByRole('link', { name: 'Premium settings' }).click();
    await expectText(page.getByTestId('free-plan-note'), containing('Your entries are kept'));
    await page.getByLabel('Plan', { exact: true }).selectOption('plan-5');
    await page.getByLabel('Payment method').selectOption('paypal');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('new-contract-quote').waitFor();
    await expectText(page.getByTestId('quote-total'), '¥3,300 (tax incl.)');
    await expectText(page.getByTestId('quote-period'), 'July 2, 2027 – July 1, 2028');
    await screenshot(page, 'premium-7-apply-again');
    await page.getByRole('button', { name: 'Pay ¥3,300 (tax incl.)' }).click();
    await expectText(page.getByTestId('new-contract-done-message'), 'You are on Plan 5, valid July 2, 2027 – July 1, 2028.');
    // Paid with PayPal by the same click, and the page shows the new plan without a refresh to press.
    await expectText(page.getByTestId('payment-message'), 'Paid ¥3,300 (tax incl.) with PayPal.');
    await expectText(page.getByTestId('current-plan-name'), 'Plan 5');
    await expectText(page.getByTestId('validity'), 'July 2, 2027 – July 1, 2028');
    expect(await page.getByTestId('free-plan-note').count()).toBe(0);
    await screenshot(page, 'premium-8-apply-again-done');
    const { invoices } = await e.ok('GET', `/v1/accounts/${upgrader}/invoices`);
    const again = await e.ok('GET', `/v1/invoices/${invoices.find((i: any) => i.amount.total === 3300).id}`);
    expect(again).toMatchObject({ status: 'paid', balance: 0, paymentMethod: 'paypal' });
    expect(again.payments).toHaveLength(1);
  });
});
