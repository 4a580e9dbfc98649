/**
 * Signing out of the portal ends the session on the server (the link stops working), and the
 * operator can end every portal session of an account from the console and issue a new link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

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
    await expectText(page.getByTestId('load-error'), 'リンクの有効期限が切れています。新しいリンクを発行してもらってください。');
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
    const issued = await card.getByRole('textbox', { name: 'ポータルへのリンク' }).inputValue();
    expect(issued).toMatch(new RegExp(`^${e.url}/portal#token=kyc_`));
    await expectText(card.getByTestId('portal-link'), /^このリンクは2026年7月2日.*まで有効です。お客様にお送りください。/);
    const second = await e.newPage({ locale: 'en-US' });
    await second.goto(issued);
    await second.getByTestId('contract-info').waitFor();

    await expect.poll(() => card.getByTestId('portal-session').count()).toBe(2);
    await card.getByTestId('end-portal-sessions').click();
    await expectText(console.getByTestId('portal-sessions-ended'), 'ポータルのセッションを2件終了しました。');
    await card.getByTestId('portal-sessions-table-empty').waitFor();
    await expect.poll(async () => (await console.getByTestId('events-table').getByTestId('event-action').allTextContents())[0]).toBe('portal_session.revoked');
    expect((await e.api('GET', '/v1/session', undefined, { token: tokenOf(issued) })).status).toBe(401);
    // The customer's open portal: its next load says the link has expired.
    await customer.reload();
    await expectText(customer.getByTestId('load-error'), 'This link has expired. Ask for a new portal link.');
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
});
