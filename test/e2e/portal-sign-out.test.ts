/**
 * Signing out of the portal ends the session on the server (the link stops working), and the
 * operator can end every portal session of an account from the console and issue a new link.
 */
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

/** The link's box shows all of it: lines tall enough for the "_" of kyc_…, nothing scrolled out of sight. */
async function expectWholeLink(linkBox: Locator) {
  const box = await linkBox.evaluate((el: HTMLTextAreaElement) => {
    const style = getComputedStyle(el);
    return {
      lineHeight: parseFloat(style.lineHeight),
      fontSize: parseFloat(style.fontSize),
      inner: el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
      hiddenX: el.scrollWidth - el.clientWidth,
      hiddenY: el.scrollHeight - el.clientHeight,
    };
  });
  expect(box.lineHeight / box.fontSize).toBeGreaterThanOrEqual(1.4);
  expect(box.inner).toBeGreaterThanOrEqual(box.lineHeight - 0.5);
  expect(box.hiddenX).toBeLessThanOrEqual(0);
  expect(box.hiddenY).toBeLessThanOrEqual(0);
}

/** The token a portal link carries. */
const tokenOf = (link: string) => decodeURIComponent(link.slice(link.indexOf('#token=') + 7));

describe('portal: signing out', () => {
  it('ログアウト ends the session: the screen says so, and the same link opened again answers that it has expired', async () => {
    const id = await e.newAccount('teamspace');
    const link = await e.portalLink(id);
    const page = await e.newPage({ locale: 'ja-JP' });
    await page.goto(link);
    await page.getByTestId('contract-info').waitFor();
    await page.getByTestId('sign-out').click();
    await expectText(page.getByTestId('no-session'), /^ログアウトしました。お使いになったリンクはもう使えません。/);
    expect((await e.api('GET', '/v1/session', undefined, { token: tokenOf(link) })).status).toBe(401);
    // The link itself (in the mail, in the browser's history) no longer opens the account.
    await page.goto(link);
    await expectText(page.getByTestId('load-error'), 'リンクの有効期限が切れています。下のフォームから新しいリンクを受け取れます。');
    await screenshot(page, 'portal-signed-out-link-expired');
  });
});

describe('console: portal access', () => {
  it('the operator issues a portal link that opens the portal, then ends every session: the customer\'s open portal and both links stop working', async () => {
    const id = await e.newAccount('premium');
    const customer = await e.openPortal(id, { locale: 'en-US' });
    const console = await e.openConsole(`/console/accounts/${id}`);
    const card = console.getByTestId('portal-access');
    await card.getByTestId('new-portal-link').click();
    const linkBox = card.getByRole('textbox', { name: 'ポータルへのリンク' });
    const issued = await linkBox.inputValue();
    expect(issued).toMatch(new RegExp(`^${e.url}/portal#token=kyc_`));
    await expectText(card.getByTestId('portal-link'), /^このリンクは2026年7月2日.*まで有効です。お客様にお送りください。/);
    // The whole link is legible: lines tall enough for "_" (no clipped descenders), nothing scrolled out of sight.
    await expectWholeLink(linkBox);
    // Copy: the link goes to the clipboard and the button says so.
    await console.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e.url });
    await card.getByTestId('copy-portal-link').click();
    await expectText(card.getByTestId('copy-portal-link'), 'コピーしました');
    await expectText(card.getByTestId('copy-status'), 'リンクをクリップボードにコピーしました。');
    expect(await console.evaluate(() => navigator.clipboard.readText())).toBe(issued);
    await screenshot(console, 'console-portal-link-copied');
    const second = await e.newPage({ locale: 'en-US' });
    await second.goto(issued);
    await second.getByTestId('contract-info').waitFor();

    await expect.poll(() => card.getByTestId('portal-session').count()).toBe(2);
    // Ending every session asks first, on the card; "キャンセル" leaves every session live.
    await card.getByTestId('end-portal-sessions').click();
    await expectText(card.getByTestId('confirm-end-portal-sessions'), containing('有効なセッション2件をすべて終了しますか？お客様はログアウトされ、これまでに送ったリンクはすべて使えなくなります。'));
    await screenshot(console, 'console-portal-sessions-confirm');
    await card.getByTestId('confirm-end-portal-sessions-no').click();
    expect(await card.getByTestId('confirm-end-portal-sessions').count()).toBe(0);
    expect((await e.api('GET', '/v1/session', undefined, { token: tokenOf(issued) })).status).toBe(200);
    await expect.poll(() => card.getByTestId('portal-session').count()).toBe(2);
    await card.getByTestId('end-portal-sessions').click();
    await card.getByTestId('confirm-end-portal-sessions-yes').click();
    await expectText(console.getByTestId('portal-sessions-ended'), 'ポータルのセッションを2件終了しました。');
    expect(await card.getByTestId('confirm-end-portal-sessions').count()).toBe(0);
    await card.getByTestId('portal-sessions-table-empty').waitFor();
    await expect.poll(async () => (await console.getByTestId('events-table').getByTestId('event-action').allTextContents())[0]).toBe('portal_session.revoked');
    expect((await e.api('GET', '/v1/session', undefined, { token: tokenOf(issued) })).status).toBe(401);
    // The customer's open portal: its next load says the link has expired.
    await customer.reload();
    await expectText(customer.getByTestId('load-error'), 'This link has expired. Get a new one with the form below.');
    await screenshot(console, 'console-portal-sessions-ended');
  });

  it('the console lists the live sessions, newest first, and ends one: that link stops working, the other goes on', async () => {
    const id = await e.newAccount('teamspace');
    const older = await e.portalLink(id);
    await e.setClock('2026-07-01T10:30:00+09:00');
    const newer = await e.portalLink(id);
    const console = await e.openConsole(`/console/accounts/${id}`);
    const card = console.getByTestId('portal-access');
    await expect.poll(() => card.getByTestId('portal-session').count()).toBe(2);
    await expectText(card.getByTestId('portal-session').first(), /2026年7月1日.*10:30.*2026年7月2日.*10:30.*終了/);
    await screenshot(console, 'console-portal-sessions-listed');
    await card.getByTestId('portal-session').first().getByTestId('end-portal-session').click();
    await expectText(card.getByTestId('portal-sessions-ended'), /^2026年7月1日.*10:30に発行したセッションを終了しました。$/);
    await expect.poll(() => card.getByTestId('portal-session').count()).toBe(1);
    expect((await e.api('GET', '/v1/session', undefined, { token: tokenOf(newer) })).status).toBe(401);
    expect((await e.api('GET', '/v1/session', undefined, { token: tokenOf(older) })).body).toEqual({ kind: 'customer', accountId: id });
  });

  it('where the page cannot write the clipboard, Copy selects the whole link and says how to copy it (a phone)', async () => {
    const id = await e.newAccount('teamspace');
    const phone = await e.newPage({ mobile: true });
    await phone.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
    await phone.goto(`${e.url}/console/accounts/${id}`);
    await phone.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await phone.getByRole('button', { name: 'サインイン' }).click();
    const card = phone.getByTestId('portal-access');
    await card.getByTestId('new-portal-link').click();
    const linkBox = card.getByRole('textbox', { name: 'ポータルへのリンク' });
    const link = await linkBox.inputValue();
    await expectWholeLink(linkBox);
    await card.getByTestId('copy-portal-link').click();
    await expectText(card.getByTestId('copy-status'), 'リンクを選択しました。Ctrl+C（Macでは⌘C）でコピーしてください。');
    expect(await linkBox.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd, document.activeElement === el])).toEqual([0, link.length, true]);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await card.scrollIntoViewIfNeeded();
    await screenshot(phone, 'console-portal-link-selected-phone');
  });
});
