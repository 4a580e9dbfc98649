// Members (SPEC S8, S9): after a spot ends, the excess member is in "Auto Deactivation"; the
// portal shows the API's refusal while no seat is free, and reactivates once one is; the customer
// deactivates a member who left (never the owner-manager).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { email, screenshot, containing, expectText, startE2E } from './support.js';

describe('portal: members', () => {
  let e: E2E;
  let accountId: string;
  beforeAll(async () => {
    e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
    accountId = await e.newAccount('teamspace');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-07-01', paymentMethod: 'bank-transfer', renewal: 'renew' });
    await e.ok('POST', '/v1/orders', { type: 'spot', accountId, seats: 100, startDate: '2026-07-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
    // The owner plus 100 members: one more than the main contract's 100 seats.
    for (let i = 1; i <= 100; i++) await e.ok('POST', `/v1/accounts/${accountId}/members`, { email: email(`m${i}`), name: `メンバー${i}` });
    await e.setClock('2026-08-01T09:00:00+09:00');
  });
  afterAll(async () => {
    await e?.close();
  });

  it('S9: the member over the limit is in Auto Deactivation; reactivation is refused without a seat, then works', async () => {
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'メンバー' }).click();
    await page.getByTestId('deactivated-members').waitFor();
    await expectText(page.getByTestId('members-limit'), '100名');
    await expectText(page.getByTestId('members-active-count'), '100名');
    const rows = page.getByTestId('deactivated-members').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await expectText(rows.first(), containing('Auto Deactivation'));
    await expectText(page.getByTestId('deactivated-card').locator('h2'), '無効化されたメンバー');
    const deactivatedEmail = (await rows.first().locator('td').nth(1).textContent()) ?? '';
    expect(deactivatedEmail).toMatch(/^m\d+\./);

    await page.getByRole('button', { name: `再有効化: ${deactivatedEmail}` }).click();
    const error = page.getByTestId('member-error');
    await error.waitFor();
    // The screen shows the API's own message (409 seat_limit_reached, in Japanese).
    const { members } = await e.ok('GET', `/v1/accounts/${accountId}/members?status=deactivated`);
    const refusal = await e.api('POST', `/v1/accounts/${accountId}/members/${members[0].id}/reactivate`, {}, { lang: 'ja' });
    expect(refusal.status).toBe(409);
    expect(refusal.body.code).toBe('seat_limit_reached');
    await expectText(error, refusal.body.detail);
    await screenshot(page, 'members-1-refused');

    // A free seat: another spot of 100 accounts from today.
    await e.ok('POST', '/v1/orders', { type: 'spot', accountId, seats: 100, startDate: '2026-08-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
    await page.reload();
    await page.getByTestId('deactivated-members').waitFor();
    await page.getByRole('button', { name: `再有効化: ${deactivatedEmail}` }).click();
    await page.getByTestId('members-done').waitFor();
    await expectText(page.getByTestId('members-done'), containing('再有効化しました'));
    await expectText(page.getByTestId('deactivated-card'), containing('無効化されたメンバーはいません'));
    await expectText(page.getByTestId('members-active-count'), '101名');
    await expectText(page.getByTestId('active-members'), containing(deactivatedEmail));
    await screenshot(page, 'members-2-reactivated');

    // Registering: a malformed email is refused next to the email field; a good one is added.
    const register = page.getByTestId('register-card');
    await register.getByLabel('メールアドレス').fill('not-an-email');
    await register.getByLabel('名前').fill('新しいメンバー');
    await register.getByRole('button', { name: '登録する' }).click();
    await page.getByTestId('error-email').waitFor();
    await screenshot(page, 'members-3-register-refused');
    await register.getByLabel('メールアドレス').fill('new.member@example.jp');
    await register.getByRole('button', { name: '登録する' }).click();
    await expectText(page.getByTestId('members-done'), '新しいメンバーさんを登録しました。');
    await expectText(page.getByTestId('members-active-count'), '102名');
    await expectText(page.getByTestId('active-members'), containing('new.member@example.jp'));
  });

  it('S9: in English the card is "Deactivated members" and names the group "Auto Deactivation"', async () => {
    const page = await e.openPortal(accountId, { locale: 'en-US' });
    await page.getByRole('link', { name: 'Members' }).click();
    await expectText(page.getByTestId('deactivated-card').locator('h2'), 'Deactivated members');
    await expectText(page.getByTestId('deactivated-card').locator('p').first(), containing('group "Auto Deactivation"'));
    await screenshot(page, 'members-4-english');
  });

  it('S8, S9: the customer deactivates a member who left, after a confirmation; the seat is free at once; the owner-manager has no such button', async () => {
    const leaving = email('leaving');
    await e.ok('POST', `/v1/accounts/${accountId}/members`, { email: leaving, name: '退職 花子' });
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'メンバー' }).click();
    await page.getByTestId('active-members').waitFor();
    const before = Number((await page.getByTestId('members-active-count').textContent())!.replace(/\D/g, ''));
    const owner = (await e.ok('GET', `/v1/accounts/${accountId}`)).email as string;
    const ownerRow = page.getByTestId('active-members').locator('tbody tr', { hasText: owner });
    await expectText(ownerRow, containing('オーナー管理者'));
    expect(await ownerRow.getByTestId('deactivate-member').count()).toBe(0);

    // Asked, then cancelled: nothing changes.
    await page.getByRole('button', { name: `無効にする: ${leaving}` }).click();
    await expectText(page.getByTestId('deactivate-confirm'), containing(`退職 花子さん（${leaving}）を無効にしますか？`));
    await page.getByTestId('deactivate-confirm').getByRole('button', { name: 'キャンセル' }).click();
    expect((await e.ok('GET', `/v1/accounts/${accountId}/members?status=deactivated`)).members).toEqual([]);

    await page.getByRole('button', { name: `無効にする: ${leaving}` }).click();
    await screenshot(page, 'members-5-deactivate-confirm');
    await page.getByTestId('deactivate-go').click();
    await expectText(page.getByTestId('members-done'), '退職 花子さんを無効にしました。ログインできなくなり、アカウント数の枠が1つ空きました。');
    await expectText(page.getByTestId('members-active-count'), `${before - 1}名`);
    await expectText(page.getByTestId('deactivated-members'), containing(leaving));
    const { members } = await e.ok('GET', `/v1/accounts/${accountId}/members?status=deactivated`);
    expect(members).toEqual([expect.objectContaining({ email: leaving, canLogIn: false, groups: [] })]);
    const events = (await e.ok('GET', `/v1/accounts/${accountId}/events`)).events;
    expect(events.find((ev: { action: string; after: { reason?: string } }) => ev.action === 'member.deactivated' && ev.after.reason === 'by_hand')).toMatchObject({ actor: `customer:${accountId}` });
    await screenshot(page, 'members-6-deactivated');
  });

  it("S8: the customer corrects a member's misspelt email and name (another member's address refused at the field); the owner-manager's email is changed on Account settings", async () => {
    const typo = email('hnako');
    await e.ok('POST', `/v1/accounts/${accountId}/members`, { email: typo, name: '鈴木 花予' });
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'メンバー' }).click();
    await page.getByTestId('active-members').waitFor();
    const count = await page.getByTestId('members-active-count').textContent();
    await page.getByRole('button', { name: `編集: ${typo}` }).click();
    const form = page.getByTestId('edit-member-form');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('鈴木 花予');
    // Another member's address: refused at the field, nothing changed.
    const someone = ((await e.ok('GET', `/v1/accounts/${accountId}/members?status=active`)).members as Array<{ email: string; role: string }>).find((m) => m.role === 'member' && m.email !== typo)!.email;
    await form.getByLabel('メールアドレス').fill(someone);
    await form.getByRole('button', { name: '保存する' }).click();
    await expectText(page.getByTestId('error-email'), containing(someone));
    const right = email('hanako');
    await form.getByLabel('メールアドレス').fill(right);
    await form.getByLabel('名前').fill('鈴木 花子');
    await screenshot(page, 'members-7-edit');
    await form.getByRole('button', { name: '保存する' }).click();
    await expectText(page.getByTestId('members-done'), `鈴木 花子さん（${right}）の登録内容を修正しました。`);
    await expectText(page.getByTestId('active-members'), containing(right));
    expect(await page.getByTestId('active-members').textContent()).not.toContain(typo);
    await expectText(page.getByTestId('members-active-count'), count!);

    // The owner-manager: its name here, its email on Account settings.
    const owner = (await e.ok('GET', `/v1/accounts/${accountId}`)).email as string;
    await page.getByRole('button', { name: `編集: ${owner}` }).click();
    await expectText(page.getByTestId('edit-member-form'), containing('オーナー管理者のメールアドレスはアカウントのメールアドレスです。'));
    expect(await page.getByTestId('edit-member-form').getByLabel('メールアドレス').count()).toBe(0);
    await page.getByRole('link', { name: 'アカウント設定で変更できます。' }).click();
    await page.getByTestId('settings-email-card').waitFor();
    const events = (await e.ok('GET', `/v1/accounts/${accountId}/events`)).events as Array<{ action: string; actor: string; after: { email?: string } }>;
    expect(events.filter((ev) => ev.action === 'member.updated').map((ev) => [ev.actor, ev.after.email])).toEqual([[`customer:${accountId}`, right]]);
  });
});
