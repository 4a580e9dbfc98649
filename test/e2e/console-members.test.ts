/** Console: the operator reactivates a deactivated member, registers one and deactivates one who left, for a customer who calls (SPEC S8, S9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { join } from 'node:path';
import { SCREENSHOTS, containing, expectText, fieldError, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: members', () => {
  it('S8, S9: after a spot ends, a deactivated member is refused reactivation while no seat is free, and reactivated once licenses are added; a member registered from the console', async () => {
    const id = await e.newAccount('teamspace', { name: '席数テスト商事' });
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'card' });
    await e.ok('POST', '/v1/orders', { type: 'spot', accountId: id, seats: 100, startDate: '2026-04-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
    for (let i = 1; i <= 101; i++) await e.ok('POST', `/v1/accounts/${id}/members`, { email: `m${i}.${id}@example.jp`, name: `メンバー ${i}` });
    // The spot ends: 102 members on 100 seats, the two registered last are deactivated.
    await e.setClock('2026-05-01T09:00:00+09:00');
    const deactivated = (await e.ok('GET', `/v1/accounts/${id}/members?status=deactivated`)).members.map((m: { email: string }) => m.email);
    expect(deactivated).toHaveLength(2);

    const page = await e.openConsole(`/console/accounts/${id}`);
    const row = page.getByTestId(`member-${deactivated[0]}`);
    await row.waitFor();
    await row.getByTestId('reactivate-member').click();
    await expectText(row.getByTestId('member-refused'), containing('100 席すべてが使用中です'));
    // Registering is refused the same way while no seat is free.
    await page.getByTestId('register-member').click();
    await page.getByTestId('save-member').click();
    expect(await fieldError(page, 'email', 'メールアドレス')).toBe('メールアドレスを正しく入力してください（例: taro@example.jp）。');
    await page.getByTestId('member-email').fill(`new.${id}@example.jp`);
    await page.getByTestId('member-name').fill('新人 太郎');
    await page.getByTestId('save-member').click();
    await expectText(page.getByTestId('register-member-form').locator('[role="alert"]').first(), containing('100 席すべてが使用中です'));
    await page.getByTestId('members').locator('tbody tr').last().scrollIntoViewIfNeeded();
    await page.getByTestId('members').screenshot({ path: join(SCREENSHOTS, 'console-members-refused-card.png') });

    // 100 more seats (a license addition placed from the console's own order form).
    await page.getByTestId('place-order').click();
    await page.getByTestId('po-type').selectOption('license-addition');
    await page.getByTestId('po-preview').click();
    await page.getByTestId('po-place').click();
    await expectText(page.getByTestId('account-order-placed'), containing('ライセンス追加の注文が完了しました。'));

    await row.getByTestId('reactivate-member').click();
    await expectText(page.getByTestId('member-done'), `${deactivated[0]} を再有効化しました（ログインできます）。`);
    await expectText(row, containing('有効'));
    expect((await e.ok('GET', `/v1/accounts/${id}/members?status=deactivated`)).members.map((m: { email: string }) => m.email)).toEqual([deactivated[1]]);

    // The registration form refused before is still open with its entries: sent again, it is done.
    expect(await page.getByTestId('member-email').inputValue()).toBe(`new.${id}@example.jp`);
    await page.getByTestId('save-member').click();
    await expectText(page.getByTestId('member-done'), `new.${id}@example.jp をメンバーとして登録しました。`);
    await page.getByTestId(`member-new.${id}@example.jp`).waitFor();
    const events = (await e.ok('GET', `/v1/accounts/${id}/events`)).events;
    expect(events.find((ev: { action: string }) => ev.action === 'member.reactivated')).toMatchObject({ actor: 'operator' });
    await screenshot(page, 'console-members');
  });

  it('S9: the operator deactivates a member who left, after a confirmation; the owner-manager has no such button; the seat is free at once', async () => {
    const id = await e.newAccount('teamspace', { name: '退職処理商事' });
    const leaving = `leaving.${id}@example.jp`;
    await e.ok('POST', `/v1/accounts/${id}/members`, { email: leaving, name: '退職 花子' });
    const owner = (await e.ok('GET', `/v1/accounts/${id}`)).email as string;
    const page = await e.openConsole(`/console/accounts/${id}`);
    const row = page.getByTestId(`member-${leaving}`);
    await row.waitFor();
    expect(await page.getByTestId(`member-${owner}`).getByTestId('deactivate-member').count()).toBe(0);
    // Cancelled: nothing changes.
    await row.getByTestId('deactivate-member').click();
    await expectText(page.getByTestId('deactivate-confirm'), containing(`${leaving} を無効にします。このメンバーはログインできなくなり`));
    await page.getByTestId('deactivate-confirm').getByRole('button', { name: 'キャンセル' }).click();
    await row.getByTestId('deactivate-member').waitFor();
    expect((await e.ok('GET', `/v1/accounts/${id}/members?status=deactivated`)).members).toEqual([]);

    await row.getByTestId('deactivate-member').click();
    await page.getByTestId('deactivate-go').click();
    await expectText(page.getByTestId('member-done'), `${leaving} を無効にしました（ログインできません）。アカウント数の枠が1つ空きました。`);
    await expectText(row, containing('無効化'));
    await row.getByTestId('reactivate-member').waitFor();
    const member = (await e.ok('GET', `/v1/accounts/${id}/members?status=deactivated`)).members[0];
    expect(member).toMatchObject({ email: leaving, canLogIn: false, groups: [] });
    expect((await e.ok('GET', `/v1/accounts/${id}/state`)).seats).toMatchObject({ limit: 10, active: 1 });
    const events = (await e.ok('GET', `/v1/accounts/${id}/events`)).events;
    expect(events.find((ev: { action: string }) => ev.action === 'member.deactivated')).toMatchObject({ actor: 'operator', after: { reason: 'by_hand' } });
    await screenshot(page, 'console-member-deactivated');
  });

  it("S8: the operator corrects a member's misspelt email for a customer who calls; the owner-manager's email cannot be changed here", async () => {
    const id = await e.newAccount('teamspace', { name: '訂正商事' });
    const typo = `tarou.${id}@exmaple.jp`;
    await e.ok('POST', `/v1/accounts/${id}/members`, { email: typo, name: '山田 太郎' });
    const page = await e.openConsole(`/console/accounts/${id}`);
    const row = page.getByTestId(`member-${typo}`);
    await row.waitFor();
    await row.getByTestId('edit-member').click();
    const form = page.getByTestId('register-member-form');
    await expectText(form.locator('h3'), `${typo} を編集`);
    const right = `taro.${id}@example.jp`;
    await page.getByTestId('member-email').fill(right);
    await page.getByTestId('save-member').click();
    await expectText(page.getByTestId('member-done'), `山田 太郎（${right}）の登録内容を修正しました。`);
    await page.getByTestId(`member-${right}`).waitFor();
    expect((await e.ok('GET', `/v1/accounts/${id}/members?status=active`)).members.map((m: { email: string }) => m.email)).toContain(right);
    const owner = (await e.ok('GET', `/v1/accounts/${id}`)).email as string;
    await page.getByTestId(`member-${owner}`).getByTestId('edit-member').click();
    expect(await page.getByTestId('member-email').getAttribute('readonly')).not.toBeNull();
    const events = (await e.ok('GET', `/v1/accounts/${id}/events`)).events as Array<{ action: string; actor: string }>;
    expect(events.filter((ev) => ev.action === 'member.updated').map((ev) => ev.actor)).toEqual(['operator']);
  });
});
