// Contract information, the language choice, and use by keyboard on a phone-sized screen.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { screenshot, containing, expectText, startE2E } from './support.js';

describe('portal: contract information and languages', () => {
  let e: E2E;
  let accountId: string;
  beforeAll(async () => {
    e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
    accountId = await e.newAccount('teamspace');
    // Starter 200 (2 licenses) for 12 months: 10,000 × 12 = 120,000 + 12,000 tax.
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', quantity: 200, startDate: '2026-07-01', paymentMethod: 'bank-transfer', renewal: 'renew' });
    await e.ok('POST', '/v1/orders', { type: 'spot', accountId, seats: 100, startDate: '2026-07-01', months: 2, agreeToTerms: true, paymentMethod: 'card' });
    // A spot past the current end (allowed while the contract renews, S3).
    await e.ok('POST', '/v1/orders', { type: 'spot', accountId, seats: 100, startDate: '2027-06-01', months: 2, agreeToTerms: true, paymentMethod: 'card' });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('shows plan, period, limits and usage, seats, spots, invoices with their PDFs, and notices', async () => {
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await expectText(page.getByTestId('plan-name'), 'Starter');
    await expectText(page.getByTestId('contract-period'), '2026年7月1日 〜 2027年6月30日');
    await expectText(page.getByTestId('plan-facts'), containing('自動更新'));
    await expectText(page.getByTestId('limits'), containing('300名'));
    await expectText(page.getByTestId('seat-limit'), '300名');
    await expectText(page.getByTestId('seats'), containing('200名'));
    await expectText(page.getByTestId('spots'), containing('2026年7月1日 〜 2026年8月31日'));
    const invoices = page.getByTestId('invoices');
    await expectText(invoices, containing('132,000円（税込）'));
    await expectText(invoices, containing('11,000円（税込）'));
    await expectText(invoices, containing('INV-'));
    const [download] = await Promise.all([page.waitForEvent('download'), invoices.getByRole('button', { name: /^PDF INV-/ }).first().click()]);
    expect(download.suggestedFilename()).toMatch(/^INV-\d+\.pdf$/);
    expect(readFileSync(await download.path()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const notices = page.getByTestId('notices');
    await expectText(notices, containing('ご注文完了'));
    await notices.locator('summary').first().click();
    await expectText(notices, containing('ご請求金額'));
    await screenshot(page, 'contract-1-information');
  });

  it('English by default from an English browser; 日本語 when chosen, kept on reload; refusals in the chosen language', async () => {
    const page = await e.openPortal(accountId, { locale: 'en-US' });
    await expectText(page.locator('h1'), 'Contract information');
    await expectText(page.getByTestId('contract-period'), 'July 1, 2026 – June 30, 2027');
    await expectText(page.getByTestId('invoices'), containing('¥132,000 (tax incl.)'));
    await screenshot(page, 'language-1-english');

    await page.getByTestId('language').selectOption('ja');
    await expectText(page.locator('h1'), '契約情報');
    await expectText(page.getByTestId('contract-period'), '2026年7月1日 〜 2027年6月30日');
    await expectText(page.getByTestId('invoices'), containing('132,000円（税込）'));
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await page.reload();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.locator('h1'), '契約情報');

    // The API answers in the chosen language (Accept-Language): Japanese, then English.
    await page.getByRole('link', { name: 'スポット追加' }).click();
    await page.getByRole('button', { name: 'お支払い手続きへ' }).click();
    await expectText(page.getByTestId('error-agreeToTerms'), containing('利用規約への同意が必要です'));
    await screenshot(page, 'language-2-japanese-refusal');
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('button', { name: 'Go to payment procedure' }).click();
    await page.getByTestId('error-agreeToTerms').getByText(/Terms of Use|terms/i).waitFor();
    await screenshot(page, 'language-3-english-refusal');
  });

  it('on a phone, by keyboard only: the spot settings reach the payment screen, nothing wider than the screen', async () => {
    const page = await e.openPortal(accountId, { locale: 'ja-JP', mobile: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'mobile-1-contract-info');

    // From the top of the page, Tab reaches the navigation; Enter follows a link.
    const spotLink = page.getByRole('link', { name: 'スポット追加' });
    for (let i = 0; i < 12 && !(await spotLink.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await spotLink.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const seats = page.getByLabel('スポット追加希望アカウント数');
    await seats.waitFor();
    for (let i = 0; i < 12 && !(await seats.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('100');
    // On through the start date (Tab also walks its year, month and day) and the duration.
    const terms = page.getByLabel('利用規約に同意する');
    for (let i = 0; i < 8 && !(await terms.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await terms.isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('spot-payment').waitFor();
    await expectText(page.getByTestId('quote-total'), '5,500円（税込）');
    const overflowPayment = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflowPayment).toBeLessThanOrEqual(0);
    await screenshot(page, 'mobile-2-spot-payment');
  });

  it('S7: on the free plan the portal says there is no paid contract, and the spot order is not offered', async () => {
    const free = await e.newAccount('teamspace');
    const page = await e.openPortal(free, { locale: 'en-US' });
    await expectText(page.getByTestId('plan-name'), 'Free');
    await expectText(page.getByTestId('plan-facts'), containing('No paid contract'));
    expect(await page.getByRole('button', { name: 'Add spot order' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Add spot' }).click();
    await expectText(page.getByTestId('spot-unavailable'), containing('paid plan'));
    await screenshot(page, 'contract-2-free-plan');
  });

  it('S7: returning to the free plan is refused while a spot runs past the end, with the API message next to the choice; allowed otherwise', async () => {
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    const choice = page.getByTestId('renewal-choice');
    await choice.getByLabel('フリープランに戻る').check();
    await choice.getByRole('button', { name: '更新方法を保存' }).click();
    const error = page.getByTestId('error-renewal');
    await error.waitFor();
    const contractId = (await e.ok('GET', `/v1/accounts/${accountId}/state`)).contract.id;
    const refusal = await e.api('POST', `/v1/accounts/${accountId}/contracts/${contractId}/renewal`, { renewal: 'to-free' }, { lang: 'ja' });
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    await expectText(error, refusal.body.detail);
    await screenshot(page, 'contract-3-renewal-refused');

    const other = await e.newAccount('teamspace');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: other, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-07-01', paymentMethod: 'card', renewal: 'renew' });
    const page2 = await e.openPortal(other, { locale: 'ja-JP' });
    await page2.getByTestId('renewal-choice').getByLabel('フリープランに戻る').check();
    await page2.getByRole('button', { name: '更新方法を保存' }).click();
    await page2.getByTestId('renewal-saved').waitFor();
    await page2.getByTestId('plan-facts').getByText('フリープランに戻る（自動更新なし）').waitFor();
    await screenshot(page2, 'contract-4-renewal-saved');
  });
});
