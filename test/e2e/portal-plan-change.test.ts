// Plan change application (reference 004, SPEC B1–B10): plan, term and payment method; the
// refusal at its field; the quotation PDF; accept; completion with the re-upload notice (B10).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { screenshot, containing, expectText, startE2E } from './support.js';

async function downloadedBytes(page: Page, click: () => Promise<void>): Promise<{ name: string; head: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), head: readFileSync(path).subarray(0, 5).toString('latin1') };
}

describe('portal: plan change (ebook5)', () => {
  let e: E2E;
  let accountId: string;
  beforeAll(async () => {
    e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
    accountId = await e.newAccount('ebook5', { options: { externalPublishing: 'developer' } });
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });
    await e.ok('PUT', `/v1/accounts/${accountId}/usage`, { books: 3, storageMb: 120 });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('B7–B10: Business 10 on invoice payment: refused on 1 month, quotation on 12 months, accepted, re-upload notice', async () => {
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('button', { name: 'アップグレードを申し込む' }).click();
    await page.getByTestId('plan-change-form').waitFor();
    await page.getByLabel('プラン', { exact: true }).selectOption('business-10');
    await page.getByLabel('契約期間').selectOption('P1M');
    await page.getByLabel('お支払い方法').selectOption('invoice');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    // B7: the API's message, in Japanese, next to the payment method.
    const methodError = page.getByTestId('error-paymentMethod');
    await methodError.waitFor();
    await expectText(methodError, 'Business 10（1か月）では支払方法「請求書払い」は選べません。次から選んでください: 銀行振込、クレジットカード、PayPal');
    await screenshot(page, 'plan-change-1-refused');

    await page.getByLabel('契約期間').selectOption('P12M');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    const review = page.getByTestId('plan-change-review');
    await review.waitFor();
    await expectText(page.getByTestId('quote-total'), '118,800円（税込）');
    await expectText(page.getByTestId('quote-period'), '2026年8月1日 〜 2027年7月31日');
    await expectText(page.getByTestId('quote-effects'), containing('使えるようになる機能: ヒートマップ分析'));
    await expectText(page.getByTestId('quote-effects'), containing('ブック数: 5冊 → 10冊'));
    await expectText(review, containing('見積書（PDF）をお送りします'));
    await screenshot(page, 'plan-change-2-review');

    await page.getByRole('button', { name: '申し込む' }).click();
    await page.getByTestId('plan-change-statement').waitFor();
    const quotation = await downloadedBytes(page, () => page.getByRole('button', { name: '見積書PDF' }).click());
    expect(quotation.head).toBe('%PDF-');
    await screenshot(page, 'plan-change-3-quotation');

    await page.getByRole('button', { name: '内容を承諾する' }).click();
    await page.getByTestId('plan-change-done').waitFor();
    await expectText(page.getByTestId('plan-change-done-message'), containing('プラン変更の手続きが完了しました'));
    await expectText(page.getByTestId('reupload-notice'), containing('アップロードしてください'));
    // B8: invoice payment is due at the end of the next month.
    await expectText(page.getByTestId('done-due'), '2026年8月31日');
    const invoice = await downloadedBytes(page, () => page.getByRole('button', { name: '請求書PDF' }).click());
    expect(invoice.head).toBe('%PDF-');
    await screenshot(page, 'plan-change-4-completed');

    await page.getByRole('button', { name: '契約情報へ' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('plan-name'), 'Business 10');
    await page.getByTestId('notices').getByText('プラン変更完了').waitFor();
  });

  it('B4: a downgrade below the books in use is refused next to the plan, saying how many to remove', async () => {
    await e.ok('PUT', `/v1/accounts/${accountId}/usage`, { books: 8 });
    const page = await e.openPortal(accountId, { locale: 'en-US' });
    await page.getByRole('button', { name: 'Apply for an upgrade' }).click();
    await page.getByLabel('Plan', { exact: true }).selectOption('personal-1');
    await page.getByLabel('Contract term').selectOption('P1M');
    await page.getByLabel('Payment method').selectOption('card');
    await page.getByRole('button', { name: 'Review' }).click();
    const planError = page.getByTestId('error-planId');
    await planError.waitFor();
    await expectText(planError, containing('7'));
    await expectText(planError, /remove/i);
    await screenshot(page, 'plan-change-5-downgrade-refused');
  });
  it('the steps are in the address: Back and Forward keep the entries; a reload or Back at the statement resumes it; another tab finds it, starts over (withdrawing it) and accepts', async () => {
    const other = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: other, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await e.openPortal(other, { locale: 'ja-JP' });
    await page.getByRole('button', { name: 'アップグレードを申し込む' }).click();
    await page.getByTestId('plan-change-form').waitFor();
    await page.getByLabel('プラン', { exact: true }).selectOption('business-10');
    await page.getByLabel('契約期間').selectOption('P3M');
    await page.getByLabel('お支払い方法').selectOption('bank-transfer');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    await page.getByTestId('plan-change-review').waitFor();
    expect(new URL(page.url()).search).toBe('?step=2');

    // Back: the form with what was entered; Forward: the review again.
    await page.goBack();
    await page.getByTestId('plan-change-form').waitFor();
    expect(await page.getByLabel('プラン', { exact: true }).inputValue()).toBe('business-10');
    expect(await page.getByLabel('契約期間').inputValue()).toBe('P3M');
    expect(await page.getByLabel('お支払い方法').inputValue()).toBe('bank-transfer');
    await page.goForward();
    await page.getByTestId('plan-change-review').waitFor();
    await expectText(page.getByTestId('quote-period'), '2026年8月1日 〜 2026年10月31日');

    await page.getByTestId('apply').click();
    await page.getByTestId('plan-change-statement').waitFor();
    expect(new URL(page.url()).search).toBe('?step=3');
    const total = await page.getByTestId('quote-total').textContent();
    // A reload: the same statement, with Accept.
    await page.reload();
    await page.getByTestId('plan-change-statement').waitFor();
    await expectText(page.getByTestId('quote-total'), total ?? '');
    await page.getByRole('button', { name: '内容を承諾する' }).waitFor();
    await screenshot(page, 'plan-change-6-statement-after-reload');
    // Back: the review says an application awaits acceptance, and "Apply" shows it instead of placing another.
    await page.goBack();
    await page.getByTestId('plan-change-review').waitFor();
    await expectText(page.getByTestId('pending-order'), containing('承諾待ちのお申し込みがあります'));
    await expectText(page.getByTestId('apply'), '承諾待ちのお申し込みを表示する');
    await screenshot(page, 'plan-change-7-back-to-review');
    await page.getByTestId('apply').click();
    await page.getByTestId('plan-change-statement').waitFor();
    const placed = (await e.ok('GET', `/v1/orders?accountId=${other}`)).orders.filter((o: any) => o.type === 'plan-change');
    expect(placed).toHaveLength(1);
    expect(placed[0].status).toBe('placed');

    // Another tab (nothing in its storage): the plan change screen shows the order awaiting acceptance.
    const tab = await e.openPortal(other, { locale: 'en-US' });
    await tab.getByRole('link', { name: 'Plan change' }).click();
    await tab.getByTestId('plan-change-statement').waitFor();
    await expectText(tab.getByTestId('statement-message'), 'This is your billing statement. Check it and accept it.');
    await expectText(tab.getByTestId('quote-period'), 'August 1, 2026 – October 31, 2026');
    await screenshot(tab, 'plan-change-8-other-tab-pending');
    // Start over: the form, and a new application, accepted.
    await tab.getByTestId('start-over').click();
    await expectText(tab.getByTestId('started-over'), containing('The earlier application was withdrawn (nothing is billed)'));
    expect((await e.ok('GET', `/v1/orders/${placed[0].id}`)).status).toBe('cancelled');
    await tab.getByLabel('Plan', { exact: true }).selectOption('business-10');
    await tab.getByLabel('Contract term').selectOption('P1M');
    await tab.getByLabel('Payment method').selectOption('card');
    await tab.getByRole('button', { name: 'Review' }).click();
    await expectText(tab.getByTestId('apply'), 'Apply');
    await tab.getByTestId('apply').click();
    await tab.getByTestId('plan-change-statement').waitFor();
    // By card: accepting is paying, and the button says so (as placing a spot order does).
    const cardTotal = (await tab.getByTestId('quote-total').textContent()) ?? '';
    expect(cardTotal).toMatch(/^¥[\d,]+ \(tax incl\.\)$/);
    await expectText(tab.getByRole('button', { name: /^Accept/ }), `Accept and pay ${cardTotal}`);
    await tab.getByRole('button', { name: /^Accept/ }).click();
    await tab.getByTestId('plan-change-done').waitFor();
    expect(await tab.getByTestId('payment-status').getAttribute('data-status')).toBe('paid');
    await expectText(tab.getByTestId('payment-message'), `Paid ${cardTotal} by credit card.`);
    // A reload of the completion keeps it, paid, without charging again.
    await tab.reload();
    await expectText(tab.getByTestId('plan-change-done-message'), containing('Your plan change is complete'));
    await expectText(tab.getByTestId('payment-message'), `Paid ${cardTotal} by credit card.`);
    await screenshot(tab, 'plan-change-9-done-after-reload');
    const orders = (await e.ok('GET', `/v1/orders?accountId=${other}`)).orders.filter((o: any) => o.type === 'plan-change');
    expect(orders.map((o: any) => o.status).sort()).toEqual(['cancelled', 'completed']);
    const accepted = orders.find((o: any) => o.status === 'completed');
    const invoice = await e.ok('GET', `/v1/invoices/${accepted.invoiceId}`);
    expect(invoice).toMatchObject({ status: 'paid', balance: 0, paymentMethod: 'card' });
    expect(invoice.payments).toHaveLength(1);

    // The first tab's statement was withdrawn in the other tab: accepting it says so, and it can start over.
    await page.getByRole('button', { name: '内容を承諾する' }).click();
    await expectText(page.getByTestId('plan-change-statement').getByTestId('problem'), containing('取消済み'));
    await page.getByTestId('start-over').click();
    await page.getByTestId('plan-change-form').waitFor();
    await screenshot(page, 'plan-change-10-outdated-start-over');
  });
});
