/** Console: invoices across accounts — a transfer found by its amount and recorded, the overdue ones, a month's sums. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: invoices across accounts', () => {
  it('§6, B8: the unpaid invoices oldest due first; a transfer of 5,500 yen found by its amount and recorded from the list; later the overdue one with its days over; a month with its sums', async () => {
    const starter = await e.newAccount('teamspace', { name: '株式会社 振込商事' });
    const so = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: starter, planId: 'starter', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'bank-transfer' });
    const premium = await e.newAccount('premium', { name: 'プレミアム 太郎' });
    const po = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: premium, planId: 'plan-10', term: 'P1Y', startDate: '2026-04-01', paymentMethod: 'bank-transfer' });
    const ebook = await e.newAccount('ebook5', { name: 'カード出版' });
    const eo = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: ebook, planId: 'business-5', term: 'P3M', startDate: '2026-04-01', paymentMethod: 'card' });
    await e.ok('POST', `/v1/invoices/${eo.invoiceId}/payments`, { amount: 16500, method: 'card', paidOn: '2026-04-01' });
    const number = async (id: string) => (await e.ok('GET', `/v1/invoices/${id}`)).number as string;
    const [sn, pn, en] = [await number(so.invoiceId), await number(po.invoiceId), await number(eo.invoiceId)];

    const page = await e.newPage();
    await page.goto(`${e.url}/console`);
    await page.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByRole('link', { name: '請求書' }).click();
    const rows = page.getByTestId('invoices-list').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await rows.nth(0).locator('td').first().textContent()).toBe(sn);
    expect(await rows.nth(1).locator('td').first().textContent()).toBe(pn);
    await expectText(page.getByTestId('invoices-totals'), '2件　請求額 71,500円（税込）　返金 0円（税込）　未入金残高 71,500円（税込）');
    expect(await page.getByTestId(`invoice-${sn}`).locator('td').allTextContents()).toEqual([sn, '株式会社 振込商事', '2026年4月1日', '2026年4月30日', '66,000円', '66,000円', '未払い銀行振込', 'PDF入金を記録督促メール']);
    await screenshot(page, 'console-invoices-unpaid');

    // A transfer of 5,500 yen arrived: its amount finds the invoice, and it is recorded from the list.
    await page.getByTestId('invoices-q').fill('5,500');
    await page.getByRole('button', { name: '表示する' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(page.url()).toContain('/console/invoices?view=unpaid&q=5%2C500');
    await page.getByTestId(`pay-${pn}`).click();
    await expectText(page.getByTestId('paying-account'), containing('プレミアム 太郎'));
    expect(await page.getByTestId('payment-amount').inputValue()).toBe('5500');
    await page.getByTestId('payment-reference').fill('ﾌﾟﾚﾐｱﾑ ﾀﾛｳ');
    await page.getByTestId('save-payment').click();
    await expectText(page.getByTestId('invoices-payment-done'), containing(`${pn}に5,500円の入金を記録しました。`));
    await page.getByTestId('invoices-list-empty').waitFor();
    expect((await e.ok('GET', `/v1/invoices/${po.invoiceId}`)).status).toBe('paid');

    // A reload keeps the filter from the address.
    await page.reload();
    expect(await page.getByTestId('invoices-q').inputValue()).toBe('5,500');
    await page.getByTestId('invoices-list-empty').waitFor();

    // May 2: the Starter invoice is overdue, two days past its due date.
    await e.setClock('2026-05-02T09:00:00+09:00');
    await page.goto(`${e.url}/console/invoices?view=overdue`);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await expectText(page.getByTestId(`invoice-${sn}`).getByTestId('days-over'), '2日超過');
    await expectText(page.getByTestId(`invoice-${sn}`).getByTestId('invoice-status'), '支払期限超過');
    // A reminder by mail (督促), once a day: sent, then refused until tomorrow.
    await page.getByTestId(`remind-${sn}`).click();
    await expectText(page.getByTestId('invoices-payment-done'), containing(`${sn}のお支払いのお願い（未入金額 66,000円（税込））を`));
    const reminder = (await e.ok('GET', `/v1/accounts/${starter}/notices`)).notices[0];
    expect(reminder).toMatchObject({ kind: 'payment-reminder', subject: `【再度のお願い】請求書 ${sn} のお支払いについて` });
    await page.getByTestId(`remind-${sn}`).click();
    await expectText(page.getByRole('alert').filter({ hasText: '送信済み' }), containing('本日（2026-05-02）すでに送信済みです'));

    // April's invoices, whatever their status, with their sums.
    await page.getByTestId('invoices-view').selectOption('all');
    await page.getByTestId('invoices-month').fill('2026-04');
    await page.getByRole('button', { name: '表示する' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    expect(await rows.locator('td:first-child').allTextContents()).toEqual([en, pn, sn].sort().reverse());
    await expectText(page.getByTestId('invoices-totals'), '3件　請求額 88,000円（税込）　返金 0円（税込）　未入金残高 66,000円（税込）');
    await screenshot(page, 'console-invoices-month');
    // The same month as CSV for accounting: a heading and its three documents.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('invoices-csv').click()]);
    expect(download.suggestedFilename()).toBe('invoices-2026-04.csv');
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]!.startsWith('番号,種類,発行日,支払期限,状態,')).toBe(true);
    expect(csv.slice(1, -1).map((l) => l.split(',')[0])).toEqual([sn, pn, en]);

    // The account's name leads to its screen.
    await page.getByTestId(`invoice-${sn}`).getByRole('link', { name: '株式会社 振込商事' }).click();
    await page.getByTestId('contract-facts').waitFor();

    // In English, on a phone: the same list fits the screen.
    const phone = await e.newPage({ mobile: true, locale: 'en-US' });
    await phone.goto(`${e.url}/console/invoices?view=all&month=2026-04`);
    await phone.getByLabel('Operator key').fill(OPERATOR_KEY);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await expectText(phone.getByTestId('invoices-totals'), '3 document(s) · invoiced ¥88,000 (tax incl.) · credited ¥0 (tax incl.) · still owed ¥66,000 (tax incl.)');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'console-invoices-phone');
  });

  it('§6: reminders for every overdue invoice shown, after a confirmation — each sent once, none again the same day', async () => {
    // June 1: the Starter invoice of the test above (due April 30) and a May one (due May 31) are overdue.
    const late = await e.newAccount('teamspace', { name: '遅延工業' });
    const lo = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: late, planId: 'starter', term: 'P12M', startDate: '2026-05-02', paymentMethod: 'bank-transfer' });
    await e.setClock('2026-06-01T09:00:00+09:00');
    const overdue = (await e.ok('GET', '/v1/invoices?status=overdue')).invoices as Array<{ id: string; accountId: string }>;
    expect(overdue.map((i) => i.id)).toContain(lo.invoiceId);
    const page = await e.openConsole('/console/invoices?view=overdue');
    const rows = page.getByTestId('invoices-list').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(overdue.length);
    const start = page.getByTestId('remind-all-start');
    await expectText(start, `表示中の期限超過${overdue.length}件に督促メールを送る`);
    // Asked first; Cancel sends nothing.
    await start.click();
    await expectText(page.getByTestId('remind-all'), containing(`${overdue.length}件の請求書の宛先に、お支払いのお願いを1通ずつ送ります`));
    await page.getByTestId('remind-all').getByRole('button', { name: 'やめる' }).click();
    expect((await e.ok('GET', `/v1/accounts/${late}/notices`)).notices.filter((n: any) => n.kind === 'payment-reminder')).toHaveLength(0);
    await start.click();
    await page.getByTestId('remind-all-go').click();
    await expectText(page.getByTestId('invoices-payment-done'), `督促メールを${overdue.length}件送りました（本日送信済みのため送らなかったもの 0件）。`);
    await screenshot(page, 'console-invoices-remind-all');
    for (const i of overdue) {
      const reminders = (await e.ok('GET', `/v1/accounts/${i.accountId}/notices`)).notices.filter((n: any) => n.kind === 'payment-reminder' && n.sentAt.startsWith('2026-06-01'));
      expect(reminders).toHaveLength(1);
    }
    // Again the same day: nothing more is sent.
    await start.click();
    await page.getByTestId('remind-all-go').click();
    await expectText(page.getByTestId('invoices-payment-done'), `督促メールを0件送りました（本日送信済みのため送らなかったもの ${overdue.length}件）。`);
    expect((await e.ok('GET', `/v1/accounts/${late}/notices`)).notices.filter((n: any) => n.kind === 'payment-reminder')).toHaveLength(1);
  });
});
