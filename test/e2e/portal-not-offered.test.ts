/**
 * Screens opened by their address on an account whose product does not offer them say so in
 * plain words, with a way back to the contract information; an unknown address says the page does
 * not exist and keeps the address as typed.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

/** Opens the portal link straight at `path` (a bookmark, a typed address). */
async function openAt(accountId: string, path: string, locale: string): Promise<Page> {
  const page = await e.newPage({ locale });
  const link = await e.portalLink(accountId);
  await page.goto(link.replace('/portal#', `${path}#`));
  return page;
}

describe('portal: screens outside the account\'s product', () => {
  it('ebook5 in English: premium settings and spot orders say the plan has none, and lead back to the contract information', async () => {
    const id = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });

    const page = await openAt(id, '/portal/premium', 'en-US');
    await expectText(page.getByTestId('not-offered'), 'This account’s plan has no premium settings.');
    await expectText(page.locator('h1'), 'Premium settings');
    // Nothing of the premium screen: no connections, no upgrade refusals.
    expect(await page.locator('main').innerText()).not.toMatch(/Connections|not available/);
    await screenshot(page, 'portal-not-offered-premium');
    await page.getByTestId('back-to-contract').click();
    await page.getByTestId('contract-info').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal');

    await page.goto(`${e.url}/portal/spot`);
    await expectText(page.getByTestId('not-offered'), 'This account’s plan has no spot orders.');
    expect(await page.getByTestId('spot-settings').count()).toBe(0);
    await page.goto(`${e.url}/portal/premium/renewal`);
    await expectText(page.getByTestId('not-offered'), 'This account’s plan has no continuation plans.');
    await page.goto(`${e.url}/portal/members`);
    await expectText(page.getByTestId('not-offered'), 'This account’s plan has no member management.');
    // Its own screen still opens.
    await page.goto(`${e.url}/portal/plan-change`);
    await page.getByTestId('plan-change-form').waitFor();
  });

  it('premium in Japanese: spot orders and plan change are not offered; the unknown /portal/xyz says the page does not exist', async () => {
    const id = await e.newAccount('premium');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });

    const page = await openAt(id, '/portal/spot', 'ja-JP');
    await expectText(page.getByTestId('not-offered'), 'このアカウントのプランにはスポット追加注文はありません。');
    await expectText(page.getByTestId('back-to-contract'), '契約情報へ戻る');
    await page.goto(`${e.url}/portal/plan-change`);
    await expectText(page.getByTestId('not-offered'), 'このアカウントのプランではプラン変更のお申し込みはできません。');

    await page.goto(`${e.url}/portal/xyz`);
    await expectText(page.getByTestId('not-found'), 'このアドレスのページはありません。アドレスをご確認ください。');
    await expectText(page.locator('h1'), 'ページが見つかりません');
    expect(await page.getByTestId('contract-info').count()).toBe(0);
    // The address stays as typed, and no menu item claims to be the current page.
    expect(new URL(page.url()).pathname).toBe('/portal/xyz');
    expect(await page.locator('nav [aria-current="page"]').count()).toBe(0);
    await screenshot(page, 'portal-not-found');
    await page.getByTestId('back-to-contract').click();
    await expectText(page.locator('h1'), '契約情報');
    expect(new URL(page.url()).pathname).toBe('/portal');
  });
});
