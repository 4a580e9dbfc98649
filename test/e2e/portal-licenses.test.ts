// License additions from the portal (SPEC S6, S8; docs/portal.md): settings → payment procedure
// (the quote for the remaining months of the main term) → completed and paid, the seat limit
// raised on Contract information; the form's own checks; the API's refusals at their field; the
// screen offered only where the product sells license additions and the account has a contract.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, fieldError, screenshot, startE2E, noOverflow } from './support.js';

let e: E2E;
/** Starter 100 from 2026-07-01 for 12 months, paid by card / by bank transfer; renews. */
let byCard: string;
let byTransfer: string;
let forChecks: string;

async function starter(method: string): Promise<string> {
  const accountId = await e.newAccount('teamspace');
  await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-07-01', paymentMethod: method, renewal: 'renew' });
  return accountId;
}

beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
  byCard = await starter('card');
  byTransfer = await starter('bank-transfer');
  forChecks = await starter('card');
  // Two and a half months into the term.
  await e.setClock('2026-09-15T09:00:00+09:00');
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

describe('portal: license additions', () => {
  it('S6, S8: Starter 100 from 2026-07-01, on 2026-09-15 add 100 accounts by card: 10 remaining months, 55,000円（税込）, paid, the limit 200', async () => {
    // S6: billed per remaining month of the main term, a started month counting whole. The term
    // runs 2026-07-01 〜 2027-06-30; on 2026-09-15 July and August are over, September has
    // started: September … June = 10 months. 5,000 yen per license per month × 1 license × 10
    // = 50,000 yen + 10 % tax 5,000 = 55,000 yen (tax included).
    const months = 12 - 2;
    const subtotal = 5_000 * 1 * months;
    expect(subtotal).toBe(50_000);
    const body = { type: 'license-addition', accountId: byCard, seats: 100, effectiveDate: '2026-09-15', paymentMethod: 'card' };
    const preview = await e.ok('POST', '/v1/orders/preview', body);
    expect(preview.amount).toMatchObject({ subtotal: 50_000, tax: 5_000, total: 55_000 });
    expect(preview.lines).toEqual([expect.objectContaining({ description: 'Starter +100 license addition (10 months)', quantity: 1, unitPrice: 50_000, amount: 50_000 })]);
    expect(preview.period).toEqual({ start: '2026-09-15', end: '2027-06-30' });

    const page = await e.openPortal(byCard, { locale: 'ja-JP' });
    await expectText(page.getByTestId('seat-limit'), '100名');
    await page.getByRole('link', { name: 'ライセンス追加' }).click();
    await page.getByTestId('license-settings').waitFor();
    await expectText(page.locator('h1'), 'ライセンス追加');
    await expectText(page.getByTestId('license-vs-spot'), 'ライセンス追加は、契約が終わるまでアカウント数の上限を恒久的に増やします。スポット追加は、決まった期間だけ一時的に増やします。');
    // The defaults: one license, effective today.
    expect(await page.getByLabel('追加するアカウント数', { exact: true }).inputValue()).toBe('100');
    expect(await page.getByLabel('ライセンス追加日', { exact: true }).inputValue()).toBe('2026-09-15');
    await screenshot(page, 'licenses-1-settings');

    await page.getByRole('button', { name: 'お支払い手続きへ' }).click();
    const payment = page.getByTestId('license-payment');
    await payment.waitFor();
    await expectText(payment.getByTestId('quote'), containing('Starter ライセンス追加 +100アカウント（10か月）'));
    await expectText(payment.getByTestId('quote'), containing('50,000円'));
    await expectText(page.getByTestId('quote-total'), '55,000円（税込）');
    await expectText(page.getByTestId('quote-period'), '2026年9月15日 〜 2027年6月30日');
    await expectText(page.getByTestId('quote-effects'), 'アカウント数: 100名 → 200名');
    // The contract's payment method is chosen first.
    expect(await page.getByLabel('クレジットカード').isChecked()).toBe(true);
    await screenshot(page, 'licenses-2-quote');

    await expectText(page.getByTestId('place-order'), '55,000円（税込）を支払う（注文を確定）');
    await page.getByTestId('place-order').click();
    await page.getByTestId('license-done').waitFor();
    await expectText(page.getByTestId('license-done-message'), 'ライセンス追加の手続きが完了しました。');
    await expectText(page.getByTestId('done-total'), '55,000円（税込）');
    await expectText(page.getByTestId('done-period'), '2026年9月15日 〜 2027年6月30日');
    await expectText(page.getByTestId('done-limit'), '100名 → 200名');
    expect(await page.getByTestId('payment-status').getAttribute('data-status')).toBe('paid');
    await expectText(page.getByTestId('payment-message'), 'クレジットカードで55,000円（税込）のお支払いが完了しました。');
    await page.getByTestId('invoice-number').waitFor();
    await screenshot(page, 'licenses-3-completed');

    // One order, its invoice paid once.
    const { orders } = await e.ok('GET', `/v1/orders?accountId=${byCard}`);
    const additions = orders.filter((o: any) => o.type === 'license-addition');
    expect(additions).toHaveLength(1);
    expect(additions[0]).toMatchObject({ status: 'completed', amount: { total: 55_000 }, period: { start: '2026-09-15', end: '2027-06-30' } });
    const invoice = await e.ok('GET', `/v1/invoices/${additions[0].invoiceId}`);
    expect(invoice).toMatchObject({ status: 'paid', balance: 0, paymentMethod: 'card' });
    expect(invoice.payments).toHaveLength(1);

    // S8: the limit is main 100 + additions 100 = 200; the invoice is listed, paid.
    await page.getByRole('button', { name: '契約情報へ' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('seat-limit'), '200名');
    await expectText(page.getByTestId('seats'), containing('ライセンス追加100名'));
    const row = page.getByTestId('invoices').locator('tr', { hasText: 'Starter ライセンス追加 +100アカウント（10か月）' });
    await expectText(row, containing('55,000円（税込）'));
    await expectText(row, containing('支払済み'));
    await screenshot(page, 'licenses-4-contract-after');
  });

  it('S6: in English on a 390 px phone, by bank transfer (the contract\'s method): the quote, then how and by when to pay', async () => {
    const page = await e.openPortal(byTransfer, { locale: 'en-US', mobile: true });
    await page.getByRole('link', { name: 'Add licenses' }).click();
    await page.getByTestId('license-settings').waitFor();
    await expectText(page.getByTestId('license-vs-spot'), 'A license addition raises your seat limit for good, until the contract ends. A spot order adds seats for a set period only.');
    await noOverflow(page);
    await screenshot(page, 'licenses-en-1-settings-phone');
    await page.getByLabel('Accounts to add', { exact: true }).fill('200');
    await page.getByLabel('Effective date', { exact: true }).fill('2026-10-01');
    await page.getByRole('button', { name: 'Go to payment procedure' }).click();
    await page.getByTestId('license-payment').waitFor();
    // From 2026-10-01: October … June = 9 months; 2 licenses × 5,000 × 9 = 90,000 + 9,000 tax.
    await expectText(page.getByTestId('quote'), containing('Starter +200 license addition (9 months)'));
    await expectText(page.getByTestId('quote-total'), '¥99,000 (tax incl.)');
    await expectText(page.getByTestId('quote-period'), 'October 1, 2026 – June 30, 2027');
    await expectText(page.getByTestId('quote-effects'), 'Accounts (seats): 100 → 300');
    expect(await page.getByLabel('Bank transfer').isChecked()).toBe(true);
    await noOverflow(page);
    await screenshot(page, 'licenses-en-2-quote-phone');

    await expectText(page.getByTestId('place-order'), 'Place the order');
    await page.getByTestId('place-order').click();
    await page.getByTestId('license-done').waitFor();
    expect(await page.getByTestId('payment-status').getAttribute('data-status')).toBe('transfer');
    // Bank transfer: due at the end of the month of the order (B8).
    await expectText(
      page.getByTestId('payment-message'),
      'Payment method: Bank transfer. Please transfer ¥99,000 (tax incl.) by September 30, 2026 to the bank account shown on the invoice (PDF); transfer fees are yours.',
    );
    await expectText(page.getByTestId('payment-due'), 'September 30, 2026');
    await expectText(page.getByTestId('done-limit'), '100 → 300 (from October 1, 2026)');
    await page.getByRole('button', { name: 'Invoice PDF' }).waitFor();
    await noOverflow(page);
    await screenshot(page, 'licenses-en-3-completed-phone');
  });

  it('the form\'s own checks: empty, 0 and 150 accounts, an empty date are said under the fields, and nothing is sent', async () => {
    const page = await e.openPortal(forChecks, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'ライセンス追加' }).click();
    await page.getByTestId('license-settings').waitFor();
    const sent = orderRequests(page);
    const submit = page.getByRole('button', { name: 'お支払い手続きへ' });
    const seats = page.getByLabel('追加するアカウント数', { exact: true });
    const date = page.getByLabel('ライセンス追加日', { exact: true });

    await seats.fill('');
    await date.fill('');
    await submit.click();
    expect(await fieldError(page, 'seats', '追加するアカウント数')).toBe('追加するアカウント数を入力してください（100アカウント単位）。');
    expect(await fieldError(page, 'effectiveDate', 'ライセンス追加日')).toBe('ライセンスの追加日を入力してください。');
    // The focus goes to the first field to correct.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('number');
    await screenshot(page, 'licenses-5-checks-empty');

    await seats.fill('0');
    await date.fill('2026-09-15');
    await submit.click();
    await expectText(page.getByTestId('error-seats'), '100以上の整数でアカウント数を入力してください（100アカウント単位）。');
    expect(await page.getByTestId('error-effectiveDate').count()).toBe(0);
    await seats.fill('150');
    await submit.click();
    await expectText(page.getByTestId('error-seats'), 'アカウント数は100単位（100、200、…）で入力してください。');
    expect(sent.n).toBe(0);

    // Right: the API is asked, and the quote shown.
    await seats.fill('100');
    await submit.click();
    await page.getByTestId('license-payment').waitFor();
    expect(sent.n).toBe(1);
  });

  it('S6: the API\'s refusals stand at their field: an effective date after the term\'s end, a date now past, accounts not in steps', async () => {
    const page = await e.openPortal(forChecks, { locale: 'ja-JP' });
    await page.goto(`${e.url}/portal/licenses`);
    await page.getByTestId('license-settings').waitFor();
    const submit = page.getByRole('button', { name: 'お支払い手続きへ' });
    const date = page.getByLabel('ライセンス追加日', { exact: true });

    // After the term's end (2027-06-30): the form sends it (a real date), the API refuses it.
    const refused = await e.api('POST', '/v1/orders/preview', { type: 'license-addition', accountId: forChecks, seats: 100, effectiveDate: '2027-07-01', paymentMethod: 'card' });
    expect(refused.status).toBe(422);
    await date.fill('2027-07-01');
    await submit.click();
    expect(await fieldError(page, 'effectiveDate', 'ライセンス追加日')).toBe('ライセンスの追加日は、契約期間の終了日（2027年6月30日）までの日付を指定してください。');
    expect(await page.getByTestId('problem').count()).toBe(0);
    expect(await page.getByTestId('license-payment').count()).toBe(0);
    await screenshot(page, 'licenses-6-after-term-end');

    // Before today: the API's own words, under the date.
    await date.fill('2026-09-14');
    await submit.click();
    await expectText(page.getByTestId('error-effectiveDate'), 'ライセンスの追加日 2026-09-14 は過去の日付です。今日（2026-09-15）以降の日付を指定してください。');

    // Accounts not in steps, as an older or tampered page might send them: the API's refusal under the accounts.
    await date.fill('2026-09-15');
    await page.route('**/v1/orders/preview', (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      void route.continue({ postData: JSON.stringify({ ...body, seats: 150 }) });
    });
    await submit.click();
    expect(await fieldError(page, 'seats', '追加するアカウント数')).toBe('数量は 100 の倍数（販売単位 100）で指定してください。150 は指定できません。');
    expect(await page.getByTestId('error-effectiveDate').count()).toBe(0);
    await page.unroute('**/v1/orders/preview');
    await submit.click();
    await page.getByTestId('license-payment').waitFor();
  });

  it('not offered: ebook5 and premium have no "Add licenses" and /portal/licenses says so; a free teamspace account is told it needs a paid plan', async () => {
    const ebook = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: ebook, planId: 'business-5', term: 'P1M', startDate: '2026-09-15', paymentMethod: 'card' });
    const premium = await e.newAccount('premium');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: premium, planId: 'plan-10', term: 'P1Y', startDate: '2026-09-15', paymentMethod: 'card' });

    const en = await e.openPortal(ebook, { locale: 'en-US' });
    expect(await en.locator('nav').innerText()).not.toContain('Add licenses');
    expect(await en.getByRole('button', { name: 'Add licenses' }).count()).toBe(0);
    await en.goto(`${e.url}/portal/licenses`);
    await expectText(en.getByTestId('not-offered'), 'This account’s plan has no license additions.');
    await expectText(en.locator('h1'), 'Add licenses');
    expect(await en.getByTestId('license-settings').count()).toBe(0);
    await screenshot(en, 'licenses-7-not-offered-ebook5');

    const ja = await e.openPortal(premium, { locale: 'ja-JP' });
    expect(await ja.locator('nav').innerText()).not.toContain('ライセンス追加');
    await ja.goto(`${e.url}/portal/licenses`);
    await expectText(ja.getByTestId('not-offered'), 'このアカウントのプランにはライセンス追加はありません。');
    await ja.getByTestId('back-to-contract').click();
    await ja.getByTestId('contract-info').waitFor();

    // teamspace sells license additions, but the free plan has no contract to add them to.
    const free = await e.openPortal(await e.newAccount('teamspace'), { locale: 'ja-JP' });
    expect(await free.locator('nav').innerText()).not.toContain('ライセンス追加');
    await free.goto(`${e.url}/portal/licenses`);
    await expectText(free.getByTestId('licenses-unavailable'), 'ライセンス追加は有料プランのご契約期間中にご利用いただけます。');
  });
});
