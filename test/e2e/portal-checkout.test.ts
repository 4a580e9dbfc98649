// Paying an order where it is placed (docs/portal.md, "Paying an order"): for card and PayPal the
// pay button places the order and charges its invoice (once, even on a double click); a declined
// charge leaves the order placed with the invoice still to pay and the pay button right there;
// bank transfer places the order and says how and by when to pay.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, screenshot, startE2E } from './support.js';

describe('portal: paying an order where it is placed', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
  });
  afterAll(async () => {
    await e?.close();
  });

  async function starter(method: string): Promise<string> {
    const accountId = await e.newAccount('teamspace');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-07-01', paymentMethod: method, renewal: 'renew' });
    return accountId;
  }
  /** The account's invoices with their payments, as the API has them. */
  async function invoices(accountId: string): Promise<any[]> {
    const list = (await e.ok('GET', `/v1/accounts/${accountId}/invoices`)).invoices as any[];
    return Promise.all(list.filter((i) => i.kind === 'invoice').map((i) => e.ok('GET', `/v1/invoices/${i.id}`)));
  }
  /** Counts the requests to a path pattern the page sends. */
  function count(page: Page, pattern: RegExp): { n: number } {
    const c = { n: 0 };
    page.on('request', (r) => {
      if (r.method() === 'POST' && pattern.test(new URL(r.url()).pathname)) c.n++;
    });
    return c;
  }
  async function toSpotPayment(page: Page, ja: boolean): Promise<void> {
    await page.getByRole('link', { name: ja ? 'スポット追加' : 'Add spot' }).click();
    await page.getByTestId('spot-settings').waitFor();
    await page.getByLabel(ja ? 'スポット追加希望アカウント数' : 'Accounts to add').fill('100');
    await page.getByLabel(ja ? '利用規約に同意する' : 'I agree to the Terms of Use').check();
    await page.getByRole('button', { name: ja ? 'お支払い手続きへ' : 'Go to payment procedure' }).click();
    await page.getByTestId('spot-payment').waitFor();
  }

  it('spot by card: one double click places one order and charges its invoice once; the completion says it is paid', async () => {
    const accountId = await starter('card');
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await toSpotPayment(page, true);
    await page.getByLabel('クレジットカード').check();
    const orders = count(page, /^\/v1\/orders$/);
    const charges = count(page, /^\/v1\/invoices\/[^/]+\/pay$/);
    const button = page.getByTestId('place-order');
    await expectText(button, '5,500円（税込）を支払う（注文を確定）');
    await button.dblclick();
    await page.getByTestId('spot-done').waitFor();
    await expectText(page.getByTestId('payment-message'), 'クレジットカードで5,500円（税込）のお支払いが完了しました。');
    await page.getByTestId('invoice-number').waitFor();
    // Paid: its receipt is offered on the completion screen.
    await expectText(page.getByTestId('receipt-pdf'), 'PDF');
    await screenshot(page, 'checkout-1-spot-card-paid');
    expect(orders.n).toBe(1);
    expect(charges.n).toBe(1);

    const spotInvoices = (await invoices(accountId)).filter((i) => i.amount.total === 5500);
    expect(spotInvoices).toHaveLength(1);
    expect(spotInvoices[0]).toMatchObject({ status: 'paid', balance: 0 });
    expect(spotInvoices[0].payments).toHaveLength(1);
    expect(spotInvoices[0].payments[0]).toMatchObject({ method: 'card', amount: 5500 });
    const { orders: placed } = await e.ok('GET', `/v1/orders?accountId=${accountId}`);
    expect(placed.filter((o: any) => o.type === 'spot')).toHaveLength(1);

    // Contract information: the invoice is paid, with no second "Pay by card" to press.
    await page.getByRole('button', { name: '契約情報へ' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('invoices'), containing('支払済み'));
    expect(await page.getByTestId(`pay-${spotInvoices[0].number}`).count()).toBe(0);
  });

  it('spot by bank transfer: the button places the order, and the completion says how and by when to pay', async () => {
    const accountId = await starter('bank-transfer');
    const page = await e.openPortal(accountId, { locale: 'en-US' });
    await toSpotPayment(page, false);
    await page.getByLabel('Bank transfer').check();
    const charges = count(page, /^\/v1\/invoices\/[^/]+\/pay$/);
    await expectText(page.getByTestId('place-order'), 'Place the order');
    await page.getByTestId('place-order').click();
    await page.getByTestId('spot-done').waitFor();
    // Bank transfer: due at the end of the month (B8).
    await expectText(
      page.getByTestId('payment-message'),
      'Payment method: Bank transfer. Please transfer ¥5,500 (tax incl.) by July 31, 2026 to the bank account shown on the invoice (PDF); transfer fees are yours.',
    );
    await expectText(page.getByTestId('payment-due'), 'July 31, 2026');
    await page.getByRole('button', { name: 'Invoice PDF' }).waitFor();
    await screenshot(page, 'checkout-2-spot-bank-transfer');
    expect(charges.n).toBe(0);
    const spot = (await invoices(accountId)).filter((i) => i.amount.total === 5500);
    expect(spot).toHaveLength(1);
    expect(spot[0]).toMatchObject({ status: 'open', paymentMethod: 'bank-transfer', dueOn: '2026-07-31' });
  });

  it('premium upgrade by card, declined: the order is placed, the invoice still to pay, and the pay button right there pays it once', async () => {
    const accountId = await e.newAccount('premium');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    // The first charge is made with the sandbox's declining test token, as a refused card would be.
    let declined = 0;
    await page.route(/\/v1\/invoices\/[^/]+\/pay$/, async (route) => {
      if (declined++ > 0) return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      return route.continue({ postData: JSON.stringify({ ...body, token: 'tok_decline' }) });
    });
    await page.getByRole('link', { name: 'プレミアム設定' }).click();
    await page.getByRole('button', { name: '申し込む: Plan 20' }).click();
    await page.getByTestId('upgrade-confirm').getByTestId('quote-total').waitFor();
    await page.getByRole('button', { name: '4,400円（税込）を支払う' }).click();
    await page.getByTestId('upgrade-done').waitFor();
    await expectText(page.getByTestId('upgrade-done-message'), 'Plan 20へのアップグレードが完了しました。有効期限は2027年6月30日です。');
    const status = page.getByTestId('payment-status');
    expect(await status.getAttribute('data-status')).toBe('unpaid');
    // Card: due 3 business days later (B8).
    await expectText(page.getByTestId('payment-message'), 'ご注文は確定しましたが、お支払いはまだ完了していません。4,400円（税込）を2026年7月6日までにお支払いください。');
    await status.getByTestId('problem').waitFor();
    await screenshot(page, 'checkout-3-upgrade-declined');
    let [invoice] = (await invoices(accountId)).filter((i) => i.amount.total === 4400);
    expect(invoice).toMatchObject({ status: 'open', balance: 4400, payments: [] });

    await expectText(page.getByTestId('pay-again'), '4,400円（税込）をカードで支払う');
    await page.getByTestId('pay-again').click();
    await expectText(page.getByTestId('payment-message'), 'クレジットカードで4,400円（税込）のお支払いが完了しました。');
    expect(await page.getByTestId('pay-again').count()).toBe(0);
    await screenshot(page, 'checkout-4-upgrade-paid');
    [invoice] = (await invoices(accountId)).filter((i) => i.amount.total === 4400);
    expect(invoice).toMatchObject({ status: 'paid', balance: 0 });
    expect(invoice.payments).toHaveLength(1);
  });

  it('the free plan is フリープラン in Japanese; applying again by PayPal pays and shows the new plan at once', async () => {
    const accountId = await e.newAccount('premium');
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await expectText(page.getByTestId('plan-name'), 'フリープラン');
    await page.getByRole('link', { name: 'プレミアム設定' }).click();
    await expectText(page.getByTestId('current-plan-name'), 'フリープラン');
    await expectText(page.getByTestId('free-plan-note'), containing('フリープランをご利用中です'));
    await page.getByLabel('プラン', { exact: true }).selectOption('plan-10');
    await page.getByLabel('お支払い方法').selectOption('paypal');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    await page.getByTestId('new-contract-quote').waitFor();
    await expectText(page.getByTestId('quote-effects'), containing('プラン: フリープラン → Plan 10'));
    await page.getByTestId('place-order').click();
    await expectText(page.getByTestId('new-contract-done-message'), 'Plan 10のお申し込みが完了しました。有効期間は2026年7月1日 〜 2027年6月30日です。');
    await expectText(page.getByTestId('payment-message'), containing('PayPalで'));
    // The screen shows the new plan without a "refresh" to press.
    await expectText(page.getByTestId('current-plan-name'), 'Plan 10');
    await expectText(page.getByTestId('validity'), '2026年7月1日 〜 2027年6月30日');
    expect(await page.getByTestId('free-plan-note').count()).toBe(0);
    expect(await page.getByRole('button', { name: '表示を更新' }).count()).toBe(0);
    await screenshot(page, 'checkout-5-apply-again-paypal');
    const list = await invoices(accountId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'paid', paymentMethod: 'paypal' });
    expect(list[0].payments).toHaveLength(1);
  });
});
