/** Console: the scheduler screen — counts, running what is due, a failed effect retried once its bug is fixed (G3). */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: scheduler', () => {
  it('G3: shows what is due and what failed; runs what is due; a failed effect retried after the fix runs once', async () => {
    const id = await e.newAccount('premium');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    const db = e.running.ctx.db;
    // What a bug leaves: an effect the code cannot run, due now.
    await sql`insert into effects (account_id, kind, due_at, payload, created_at) values (${id}, 'no-such-effect', timestamptz '2026-07-01 00:00:00+00', '{}'::jsonb, now())`.execute(db);

    const page = await e.openConsole('/console');
    await page.getByTestId('accounts-table').waitFor();
    await page.getByRole('link', { name: '予定処理' }).click();
    await expectText(page.getByTestId('count-due'), '1');
    await expectText(page.getByTestId('count-failed'), '0');
    await expectText(page.getByTestId('failed-table-empty'), '失敗した処理はありません。');
    // What comes next: the contract's renewal offer, reminder and end, soonest first.
    await expectText(page.getByTestId('next-table'), containing('更新受付開始の通知'));
    await expectText(page.getByTestId('next-table'), containing('契約期間の終了（更新／フリープランへ）'));

    await page.getByTestId('run-due').click();
    await expectText(page.getByTestId('scheduler-done'), '予定処理 0件を実行しました（失敗 1件）。');
    await expectText(page.getByTestId('count-failed'), '1');
    await expectText(page.getByTestId('count-due'), '0');
    const effectId = ((await e.ok('GET', '/v1/effects?status=failed')).effects as Array<{ id: number }>)[0]!.id;
    const row = page.getByTestId(`failed-${effectId}`);
    await expectText(row, containing('No handler for effect kind no-such-effect'));
    await screenshot(page, 'console-scheduler-failed');

    // The account shows what is scheduled for it, its failed effect first, linked back here.
    await row.getByRole('link', { name: 'premium customer' }).click();
    await expectText(page.getByTestId('scheduled-no-such-effect'), containing('失敗（予定処理の画面へ）'));
    await expectText(page.getByTestId('scheduled-term-end'), containing('2027年7月1日 00:00'));
    await page.getByTestId('scheduled-no-such-effect').getByRole('link').click();
    await expectText(page.getByTestId('count-failed'), '1');

    // The fix deployed (here: the effect made one the code runs — the term's expiry reminder).
    const term = (await sql<{ id: string; contract_id: string }>`select id, contract_id from contract_terms where account_id = ${id}`.execute(db)).rows[0]!;
    await sql`update effects set kind = 'expiry-reminder', payload = ${JSON.stringify({ contractId: term.contract_id, termId: term.id })}::jsonb where id = ${effectId}`.execute(db);
    await page.getByTestId(`retry-${effectId}`).click();
    // The message names the effect as it is now, whatever the list showed when it was loaded.
    await expectText(page.getByTestId('scheduler-done'), `処理 ${effectId}（期限前の通知）を再実行の予定に戻しました。`);
    await expectText(page.getByTestId('count-failed'), '0');
    await expectText(page.getByTestId('count-due'), '1');
    await page.getByTestId('run-due').click();
    await expectText(page.getByTestId('scheduler-done'), '予定処理 1件を実行しました（失敗 0件）。');
    await expectText(page.getByTestId('failed-table-empty'), '失敗した処理はありません。');
    await screenshot(page, 'console-scheduler-retried');

    // It ran once: one reminder, and the retry is in the account's audit trail.
    const notices = (await e.ok('GET', `/v1/accounts/${id}/notices`)).notices as Array<{ kind: string }>;
    expect(notices.filter((n) => n.kind === 'expiry-reminder')).toHaveLength(1);
    const events = (await e.ok('GET', `/v1/accounts/${id}/events`)).events as Array<{ action: string; actor: string }>;
    expect(events.filter((ev) => ev.action === 'effect.retried').map((ev) => ev.actor)).toEqual(['operator']);
  });
});
