/**
 * A credential that stops working while a screen is open: the operator ends the account's portal
 * sessions while the customer uses the portal (the next action, wherever it is, shows "this link
 * has expired" and nothing half-loaded), and the operator key changes while the console is open
 * (the console asks to sign in again, in plain words).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

async function teamspaceStarter(): Promise<string> {
  const id = await e.newAccount('teamspace');
  await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-07-01', paymentMethod: 'card', renewal: 'renew' });
  return id;
}

/** The portal shows only the expired-link message: no developer text, no list left loading. */
async function expectExpired(page: Page, message: string) {
  await expectText(page.getByTestId('load-error'), message);
  const main = (await page.locator('main').innerText()).trim();
  expect(main).not.toMatch(/Authorization|Bearer|認証情報/);
  expect(main).not.toMatch(/読み込み中|Loading/);
  expect(await page.getByRole('status').count()).toBe(0);
  expect(await page.getByTestId('sign-out').count()).toBe(0);
}

describe('portal: sessions ended by the operator while the customer uses the portal', () => {
  it('Japanese: the next click (メンバー) shows that the link has expired, not the API message or spinners', async () => {
    const id = await teamspaceStarter();
    const page = await e.openPortal(id, { locale: 'ja-JP' });
    await expectText(page.getByTestId('plan-name'), 'Starter');
    // The page has loaded all it shows (invoices, notices, orders awaiting acceptance): ended now,
    // the session's end shows at the next click, not in a load still on its way.
    await page.getByTestId('invoices').waitFor();
    expect((await e.ok('DELETE', `/v1/accounts/${id}/portal-sessions`)).revoked).toBe(1);

    await page.getByRole('link', { name: 'メンバー' }).click();
    await expectExpired(page, 'リンクの有効期限が切れています。下のフォームから新しいリンクを受け取れます。');
    await screenshot(page, 'portal-expired-mid-session-ja');
    // Reloading the tab says the same.
    await page.reload();
    await expectExpired(page, 'リンクの有効期限が切れています。下のフォームから新しいリンクを受け取れます。');
  });

  it('English: an order preview on the spot screen, then a PDF download, both end on the expired-link screen', async () => {
    const id = await teamspaceStarter();
    const page = await e.openPortal(id, { locale: 'en-US' });
    await page.getByRole('link', { name: 'Add spot' }).click();
    await page.getByTestId('spot-settings').waitFor();
    await e.ok('DELETE', `/v1/accounts/${id}/portal-sessions`);
    await page.getByLabel('I agree to the Terms of Use').check();
    await page.getByRole('button', { name: 'Go to payment procedure' }).click();
    await expectExpired(page, 'This link has expired. Get a new one with the form below.');
    await screenshot(page, 'portal-expired-mid-session-en');

    // A new link works again; ended once more, the PDF button leads to the same screen.
    const again = await e.openPortal(id, { locale: 'en-US' });
    await again.getByTestId('invoices').getByRole('button', { name: /^PDF / }).first().waitFor();
    await e.ok('DELETE', `/v1/accounts/${id}/portal-sessions`);
    await again.getByTestId('invoices').getByRole('button', { name: /^PDF / }).first().click();
    await expectExpired(again, 'This link has expired. Get a new one with the form below.');
  });
});

describe('console: the operator key stops working while the console is open', () => {
  it('the next request leads to sign-in with a plain message; signing in again returns to the same screen', async () => {
    const id = await teamspaceStarter();
    const page = await e.openConsole(`/console/accounts/${id}`);
    await page.getByTestId('contract-facts').waitFor();
    // The server's key changes (simulated: every API call now answers as the server would to the old key).
    const wrongKey = { status: 401, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'unauthorized', status: 401, code: 'unauthorized', detail: 'Missing or wrong credentials. Send Authorization: Bearer <operator key or customer token>.' }) };
    await page.route('**/v1/**', (route) => route.fulfill(wrongKey));
    await page.getByRole('button', { name: '契約を解約する' }).click();
    await page.getByLabel('解約理由').fill('重複契約');
    await page.getByRole('button', { name: '解約を確定' }).click();

    await page.getByTestId('sign-in').waitFor();
    await expectText(page.getByTestId('error-operatorKey'), 'オペレーターキーが使えなくなりました（サーバーでキーが変更されました）。現在のキーでもう一度サインインしてください。');
    expect(await page.locator('main').innerText()).not.toMatch(/Authorization|Bearer/);
    await screenshot(page, 'console-key-stopped-working');

    await page.unroute('**/v1/**');
    await page.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await expectText(page.getByTestId('plan-name'), 'Starter');
    expect(new URL(page.url()).pathname).toBe(`/console/accounts/${id}`);
  });

  it('sign-in: no key, a wrong key and a customer token are each said in plain words under the field', async () => {
    const page = await e.newPage({ locale: 'en-US' });
    await page.goto(`${e.url}/console`);
    const key = page.getByLabel('Operator key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByTestId('error-operatorKey'), 'Enter the operator key.');
    await key.fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByTestId('error-operatorKey'), 'The operator key is not correct. Check it and enter it again.');
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    const id = await teamspaceStarter();
    const session = await e.ok('POST', `/v1/accounts/${id}/portal-sessions`, {});
    await key.fill(session.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByTestId('error-operatorKey'), containing('This is a customer portal token.'));
    await screenshot(page, 'console-sign-in-customer-token');
  });
});
