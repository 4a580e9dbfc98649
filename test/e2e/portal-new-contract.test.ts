// A new contract from the portal (API.md `new-contract`; docs/portal.md "/portal/new-contract"): an
// account without a paid contract applies for a paid plan on its own screen — teamspace free →
// Starter in whole licenses, renewing or returning to the free plan; ebook5 → a plan for a term,
// invoice payment only where the catalog allows it (B7) — settings → payment procedure (the quote
// as the API computed it) → completed and paid (card, PayPal) or to pay by transfer; Contract
// information then shows the new plan and its invoice.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, fieldError, screenshot, startE2E, noOverflow } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

/** Counts the order requests (preview and place) the page sends. */
function orderRequests(page: Page): { n: number } {
  const c = { n: 0 };
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.startsWith('/v1/orders')) c.n++;
  });
  return c;
}

/** The values of a select's options. */
async function options(page: Page, label: string): Promise<string[]> {
  return page.getByLabel(label, { exact: true }).locator('option').evaluateAll((list) => list.map((o) => (o as HTMLOptionElement).value));
}

describe('portal: a new contract', () => {
  it('S1, §2: a free teamspace account applies for Starter 200 accounts by card, renewing: 2 licenses × 5,000 × 12 months = 132,000円（税込）, paid once; Contract information shows Starter, the limit 200, the invoice', async () => {
    const accountId = await e.newAccount('teamspace');
    // §2: Starter is 5,000 yen per license (100 accounts) per month, for a 12-month term billed
    // upfront. 200 accounts = 2 licenses: 2 × 5,000 × 12 = 120,000 yen + 10 % tax 12,000 =
    // 132,000 yen (tax included), for 2026-07-01 〜 2027-06-30 (G1).
    const subtotal = 2 * 5_000 * 12;
    expect(subtotal).toBe(120_000);
    const body = { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', startDate: '2026-07-01', quantity: 200, paymentMethod: 'card', renewal: 'renew' };
    const preview = await e.ok('POST', '/v1/orders/preview', body);
    expect(preview.amount).toMatchObject({ subtotal: 120_000, tax: 12_000, total: 132_000 });
    expect(preview.lines).toEqual([expect.objectContaining({ description: 'Starter 200 (12 months)', quantity: 2, unitPrice: 60_000, amount: 120_000 })]);
    expect(preview.period).toEqual({ start: '2026-07-01', end: '2027-06-30' });

    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await expectText(page.getByTestId('plan-name'), 'フリープラン');
    await expectText(page.getByTestId('seat-limit'), '10名');
    await page.getByRole('button', { name: '有料プランに申し込む' }).click();
    await page.getByTestId('new-contract').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/new-contract');
    await expectText(page.locator('h1'), '有料プランのお申し込み');
    // The defaults: Starter, one license, renewing (the catalog's renewal.default), card; the term
    // is the plan's only one, and the contract starts today (no date to choose).
    expect(await page.getByLabel('プラン', { exact: true }).inputValue()).toBe('starter');
    expect(await page.getByLabel('アカウント数', { exact: true }).inputValue()).toBe('100');
    expect(await page.getByLabel('自動更新する').isChecked()).toBe(true);
    expect(await page.getByLabel('フリープランに戻る').isChecked()).toBe(false);
    expect(await page.getByLabel('お支払い方法', { exact: true }).inputValue()).toBe('card');
    expect(await options(page, 'お支払い方法')).toEqual(['bank-transfer', 'card', 'paypal']);
    await expectText(page.getByTestId('new-contract-facts'), containing('12か月'));
    await expectText(page.getByTestId('new-contract-start'), '本日（2026年7月1日）');
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    await screenshot(page, 'new-contract-1-settings');

    await page.getByLabel('アカウント数', { exact: true }).fill('200');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    const payment = page.getByTestId('new-contract-quote');
    await payment.waitFor();
    await expectText(payment.getByTestId('quote'), containing('Starter 200（12か月）'));
    await expectText(payment.getByTestId('quote'), containing('120,000円'));
    await expectText(page.getByTestId('quote-total'), '132,000円（税込）');
    await expectText(page.getByTestId('quote-period'), '2026年7月1日 〜 2027年6月30日');
    await expectText(page.getByTestId('quote-effects'), containing('プラン: フリープラン → Starter'));
    await expectText(page.getByTestId('quote-effects'), containing('アカウント数: 10名 → 200名'));
    await expectText(page.getByTestId('chosen-seats'), '200名');
    await expectText(page.getByTestId('chosen-renewal'), '自動更新');
    expect(await page.getByLabel('クレジットカード').isChecked()).toBe(true);
    await screenshot(page, 'new-contract-2-quote');

    await expectText(page.getByTestId('place-order'), '132,000円（税込）を支払う（注文を確定）');
    await page.getByTestId('place-order').click();
    await page.getByTestId('new-contract-done').waitFor();
    await expectText(page.getByTestId('new-contract-done-message'), 'Starterのお申し込みが完了しました。契約期間は2026年7月1日 〜 2027年6月30日です。');
    await expectText(page.getByTestId('done-total'), '132,000円（税込）');
    expect(await page.getByTestId('payment-status').getAttribute('data-status')).toBe('paid');
    await expectText(page.getByTestId('payment-message'), 'クレジットカードで132,000円（税込）のお支払いが完了しました。');
    await page.getByTestId('invoice-number').waitFor();
    await screenshot(page, 'new-contract-3-completed');

    // One order, its invoice paid once.
    const { orders } = await e.ok('GET', `/v1/orders?accountId=${accountId}`);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ type: 'new-contract', status: 'completed', amount: { total: 132_000 }, period: { start: '2026-07-01', end: '2027-06-30' } });
    const invoice = await e.ok('GET', `/v1/invoices/${orders[0].invoiceId}`);
    expect(invoice).toMatchObject({ status: 'paid', balance: 0, paymentMethod: 'card' });
    expect(invoice.payments).toHaveLength(1);
    const state = await e.ok('GET', `/v1/accounts/${accountId}/state`);
    expect(state).toMatchObject({ plan: { id: 'starter' }, contract: { renewal: 'renew' }, seats: { limit: 200 } });

    // S8: the limit is the main contract's 200; the invoice is listed, paid.
    await page.getByRole('button', { name: '契約情報へ' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('plan-name'), 'Starter');
    await expectText(page.getByTestId('contract-period'), '2026年7月1日 〜 2027年6月30日');
    await expectText(page.getByTestId('plan-facts'), containing('自動更新'));
    await expectText(page.getByTestId('seat-limit'), '200名');
    const row = page.getByTestId('invoices').locator('tr', { hasText: 'Starter 200（12か月）' });
    await expectText(row, containing('132,000円（税込）'));
    await expectText(row, containing('支払済み'));
    // Now on a paid contract: no more "Apply for a paid plan"; license additions instead.
    expect(await page.getByRole('button', { name: '有料プランに申し込む' }).count()).toBe(0);
    expect(await page.locator('nav').innerText()).not.toContain('有料プランに申し込む');
    expect(await page.locator('nav').innerText()).toContain('ライセンス追加');
    await screenshot(page, 'new-contract-4-contract-after');
    await page.goto(`${e.url}/portal/new-contract`);
    await expectText(page.getByTestId('not-offered'), containing('このアカウントには有料プランのご契約があります。'));
    expect(await page.getByTestId('new-contract').count()).toBe(0);
  });

  it('B7, B8: ebook5 without a plan → Business 10 for 12 months by invoice payment, due at the end of next month; invoice payment is not offered, and refused, on 1 month', async () => {
    const accountId = await e.newAccount('ebook5');
    // B7: invoice payment only for Business 10 or higher on a 12-month term; the API refuses it on 1 month.
    const refused = await e.api('POST', '/v1/orders/preview', { type: 'new-contract', accountId, planId: 'business-10', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'invoice' }, { lang: 'ja' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('payment_method_not_allowed');
    // §2: 9,000 yen per month × 12 = 108,000 + 10,800 tax = 118,800 yen; B8: invoice payment is
    // due at the end of the month after the order (2026-07-01 → 2026-08-31).
    const preview = await e.ok('POST', '/v1/orders/preview', { type: 'new-contract', accountId, planId: 'business-10', term: 'P12M', startDate: '2026-07-01', paymentMethod: 'invoice' });
    expect(preview).toMatchObject({ amount: { subtotal: 108_000, tax: 10_800, total: 118_800 }, period: { start: '2026-07-01', end: '2027-06-30' }, dueOn: '2026-08-31' });

    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await expectText(page.getByTestId('plan-name'), 'プランなし');
    await page.getByRole('button', { name: '有料プランに申し込む' }).click();
    await page.getByTestId('new-contract').waitFor();
    // ebook5 has no free plan to return to: no renewal question; it renews for the same term.
    expect(await page.getByTestId('new-contract-renewal').count()).toBe(0);
    await expectText(page.getByTestId('new-contract-facts'), containing('同じ契約期間で自動更新'));
    await page.getByLabel('プラン', { exact: true }).selectOption('business-10');
    expect(await options(page, '契約単位')).toEqual(['P1M', 'P3M', 'P6M', 'P12M']);
    expect(await page.getByLabel('契約単位', { exact: true }).inputValue()).toBe('P1M');
    // On 1 month invoice payment is not offered, and the field says where it is.
    expect(await options(page, 'お支払い方法')).toEqual(['bank-transfer', 'card', 'paypal']);
    await expectText(page.locator('[data-field="paymentMethod"] .k-hint'), '請求書払いはBusiness 10・Business 30の12か月契約でのみお選びいただけます。');
    await screenshot(page, 'new-contract-5-ebook5-one-month');

    // Sent anyway (an older or tampered page): the API's refusal stands under the payment method.
    await page.route('**/v1/orders/preview', (route) => {
      const sent = JSON.parse(route.request().postData() ?? '{}');
      void route.continue({ postData: JSON.stringify({ ...sent, paymentMethod: 'invoice' }) });
    });
    await page.getByRole('button', { name: '内容を確認する' }).click();
    expect(await fieldError(page, 'paymentMethod', 'お支払い方法')).toBe(refused.body.detail);
    expect(await page.getByTestId('new-contract-quote').count()).toBe(0);
    await page.unroute('**/v1/orders/preview');

    await page.getByLabel('契約単位', { exact: true }).selectOption('P12M');
    expect(await options(page, 'お支払い方法')).toEqual(['bank-transfer', 'card', 'paypal', 'invoice']);
    expect(await page.locator('[data-field="paymentMethod"] .k-hint').count()).toBe(0);
    await page.getByLabel('お支払い方法', { exact: true }).selectOption('invoice');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    await page.getByTestId('new-contract-quote').waitFor();
    await expectText(page.getByTestId('quote'), containing('Business 10（12か月）'));
    await expectText(page.getByTestId('quote-total'), '118,800円（税込）');
    await expectText(page.getByTestId('quote-period'), '2026年7月1日 〜 2027年6月30日');
    await expectText(page.getByTestId('quote'), containing('お支払期限2026年8月31日'));
    // No plan before (ebook5 has no free plan): said as such, not as the API's placeholder.
    await expectText(page.getByTestId('quote-effects'), containing('プラン: プランなし → Business 10'));
    await expectText(page.getByTestId('quote-effects'), containing('使えるようになる機能: ヒートマップ分析'));
    expect(await page.getByLabel('請求書払い').isChecked()).toBe(true);
    await screenshot(page, 'new-contract-6-ebook5-quote');

    await expectText(page.getByTestId('place-order'), '注文を確定する');
    await page.getByTestId('place-order').click();
    await page.getByTestId('new-contract-done').waitFor();
    await expectText(page.getByTestId('new-contract-done-message'), 'Business 10のお申し込みが完了しました。契約期間は2026年7月1日 〜 2027年6月30日です。');
    expect(await page.getByTestId('payment-status').getAttribute('data-status')).toBe('transfer');
    await expectText(
      page.getByTestId('payment-message'),
      'お支払い方法: 請求書払い。2026年8月31日までに、請求書（PDF）に記載の振込先口座へ118,800円（税込）をお振り込みください（振込手数料はお客様のご負担です）。',
    );
    await expectText(page.getByTestId('payment-due'), '2026年8月31日');
    await page.getByRole('button', { name: '請求書PDF' }).waitFor();
    await screenshot(page, 'new-contract-7-ebook5-completed');
    const { invoices } = await e.ok('GET', `/v1/accounts/${accountId}/invoices`);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: 'open', paymentMethod: 'invoice', dueOn: '2026-08-31', amount: { total: 118_800 } });

    await page.getByRole('button', { name: '契約情報へ' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('plan-name'), 'Business 10');
    await expectText(page.getByTestId('plan-facts'), containing('12か月'));
    await expectText(page.getByTestId('plan-facts'), containing('請求書払い'));
    const row = page.getByTestId('invoices').locator('tr', { hasText: 'Business 10（12か月）' });
    await expectText(row, containing('118,800円（税込）'));
    await expectText(row, containing('2026年8月31日'));
    await expectText(row, containing('未払い'));
    await expectText(row, containing('請求書払い'));
    await screenshot(page, 'new-contract-8-ebook5-contract-after');
  });

  it('S1: the form\'s own checks — empty, 0 and 150 accounts — are said under the field and nothing is sent; accounts not in steps sent anyway are refused at the field (invalid_quantity)', async () => {
    const accountId = await e.newAccount('teamspace');
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.goto(`${e.url}/portal/new-contract`);
    await page.getByTestId('new-contract').waitFor();
    const sent = orderRequests(page);
    const submit = page.getByRole('button', { name: '内容を確認する' });
    const seats = page.getByLabel('アカウント数', { exact: true });

    await seats.fill('');
    await submit.click();
    expect(await fieldError(page, 'quantity', 'アカウント数')).toBe('アカウント数を入力してください（100アカウント単位）。');
    // The focus goes to the field to correct.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('number');
    await seats.fill('0');
    await submit.click();
    await expectText(page.getByTestId('error-quantity'), '100以上の整数でアカウント数を入力してください（100アカウント単位）。');
    await seats.fill('150');
    await submit.click();
    await expectText(page.getByTestId('error-quantity'), 'アカウント数は100単位（100、200、…）で入力してください。');
    expect(await page.getByTestId('problem').count()).toBe(0);
    await screenshot(page, 'new-contract-9-checks');
    expect(sent.n).toBe(0);

    // 150 sent anyway: the API's refusal (S1, whole licenses) under the accounts.
    await seats.fill('100');
    await page.route('**/v1/orders/preview', (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      void route.continue({ postData: JSON.stringify({ ...body, quantity: 150 }) });
    });
    await submit.click();
    expect(await fieldError(page, 'quantity', 'アカウント数')).toBe('数量は 100 の倍数（販売単位 100）で指定してください。150 は指定できません。');
    await page.unroute('**/v1/orders/preview');
    expect(sent.n).toBe(1);
    await submit.click();
    await page.getByTestId('new-contract-quote').waitFor();
    expect(sent.n).toBe(2);
    // Nothing was placed.
    const { orders } = await e.ok('GET', `/v1/orders?accountId=${accountId}`);
    expect(orders).toHaveLength(0);
  });

  it('S3, S7: in English on a 390 px phone: Starter 300 returning to the free plan, by bank transfer — how and by when to pay; nothing wider than the screen', async () => {
    const accountId = await e.newAccount('teamspace');
    const page = await e.openPortal(accountId, { locale: 'en-US', mobile: true });
    await expectText(page.getByTestId('plan-name'), 'Free');
    await noOverflow(page);
    await screenshot(page, 'new-contract-en-1-contract-phone');
    await page.getByRole('button', { name: 'Apply for a paid plan' }).click();
    await page.getByTestId('new-contract').waitFor();
    await expectText(page.getByTestId('new-contract-start'), 'Today (July 1, 2026)');
    await page.getByLabel('Number of accounts', { exact: true }).fill('300');
    await page.getByLabel('Return to the free plan').check();
    await page.getByLabel('Payment method', { exact: true }).selectOption('bank-transfer');
    await noOverflow(page);
    await screenshot(page, 'new-contract-en-2-settings-phone');

    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('new-contract-quote').waitFor();
    // 3 licenses × 5,000 × 12 months = 180,000 + 18,000 tax.
    await expectText(page.getByTestId('quote'), containing('Starter 300 (12 months)'));
    await expectText(page.getByTestId('quote-total'), '¥198,000 (tax incl.)');
    await expectText(page.getByTestId('quote-period'), 'July 1, 2026 – June 30, 2027');
    await expectText(page.getByTestId('quote-effects'), containing('Accounts (seats): 10 → 300'));
    await expectText(page.getByTestId('chosen-renewal'), 'Returns to the free plan (no automatic renewal)');
    expect(await page.getByLabel('Bank transfer').isChecked()).toBe(true);
    await noOverflow(page);
    await screenshot(page, 'new-contract-en-3-quote-phone');

    await expectText(page.getByTestId('place-order'), 'Place the order');
    await page.getByTestId('place-order').click();
    await page.getByTestId('new-contract-done').waitFor();
    await expectText(page.getByTestId('new-contract-done-message'), 'You are on Starter, contract period July 1, 2026 – June 30, 2027.');
    expect(await page.getByTestId('payment-status').getAttribute('data-status')).toBe('transfer');
    // B8: bank transfer is due at the end of the month of the order.
    await expectText(
      page.getByTestId('payment-message'),
      'Payment method: Bank transfer. Please transfer ¥198,000 (tax incl.) by July 31, 2026 to the bank account shown on the invoice (PDF); transfer fees are yours.',
    );
    await noOverflow(page);
    await screenshot(page, 'new-contract-en-4-completed-phone');

    await page.getByRole('button', { name: 'To contract information' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('plan-name'), 'Starter');
    await expectText(page.getByTestId('plan-facts'), containing('Returns to the free plan (no automatic renewal)'));
    await expectText(page.getByTestId('seat-limit'), '300');
    await expectText(page.getByTestId('invoices').locator('tr', { hasText: 'Starter 300 (12 months)' }), containing('¥198,000 (tax incl.)'));
    await noOverflow(page);
    await screenshot(page, 'new-contract-en-5-contract-after-phone');
    const state = await e.ok('GET', `/v1/accounts/${accountId}/state`);
    expect(state).toMatchObject({ plan: { id: 'starter' }, contract: { renewal: 'to-free', paymentMethod: 'bank-transfer' } });

    // ebook5's longer plans and the payment method's note fit the phone too.
    const ebook = await e.openPortal(await e.newAccount('ebook5'), { locale: 'en-US', mobile: true });
    await ebook.getByRole('button', { name: 'Apply for a paid plan' }).click();
    await ebook.getByLabel('Plan', { exact: true }).selectOption('business-30');
    await expectText(ebook.locator('[data-field="paymentMethod"] .k-hint'), 'Invoice payment can be chosen only for Business 10 or Business 30 on a term of 12 months.');
    await noOverflow(ebook);
    await screenshot(ebook, 'new-contract-en-6-ebook5-settings-phone');
  });

  it('P2: premium applies for a paid plan on its premium settings page: no "Apply for a paid plan" on Contract information, and the address points there', async () => {
    const accountId = await e.newAccount('premium');
    const page = await e.openPortal(accountId, { locale: 'en-US' });
    expect(await page.getByRole('button', { name: 'Apply for a paid plan' }).count()).toBe(0);
    expect(await page.locator('nav').innerText()).not.toContain('Apply for a paid plan');
    await page.goto(`${e.url}/portal/new-contract`);
    await expectText(page.getByTestId('not-offered'), 'Apply for a paid plan on the Premium settings page.');
    await page.getByTestId('not-offered-link').click();
    await page.getByTestId('premium-settings').waitFor();
    await page.getByTestId('new-contract').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/premium');
  });
});
