import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, startTestServer } from '../support/harness.js';
import type { SendNoticeInput } from '../../src/app/notices.js';
import { sendNotice } from '../../src/app/notices.js';
import type { NoticeKind } from '../../src/domain/notice-templates.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-06-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

/** No feature sends notices yet: send one directly, in a transaction of its own, as an effect would. */
function send<K extends NoticeKind>(input: SendNoticeInput<K>): Promise<boolean> {
  const ctx = t.running.ctx;
  return ctx.db.transaction().execute((trx) => sendNotice(ctx, trx, input));
}

const setClock = async (now: string) => expect((await t.api('POST', '/v1/clock', { now })).status).toBe(200);
const notices = async (id: string, token?: string | null) => t.api('GET', `/v1/accounts/${id}/notices`, undefined, token === undefined ? {} : { token });

describe(`SPEC §6 notice outbox (${DB_KIND})`, () => {
  it('lists what was sent, newest first, rendered in Japanese by default, to the account email', async () => {
    const id = await newAccount(t, 'premium');
    const address = (await t.api('GET', `/v1/accounts/${id}`)).body.email as string;
    expect((await notices(id)).body).toEqual({ notices: [] });

    await setClock('2026-06-01T01:00:00Z');
    expect(await send({ accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2026-07-01' } })).toBe(true);
    await setClock('2026-06-01T02:00:00Z');
    expect(await send({ accountId: id, kind: 'order-completed', params: { planName: 'Plan 20', total: 5500, dueOn: '2026-06-30' } })).toBe(true);
    await setClock('2026-06-01T03:00:00Z');
    expect(await send({ accountId: id, kind: 'contract-expired', params: { planName: 'Plan 10', end: '2026-05-31', freePlanName: 'Free' } })).toBe(true);

    const res = await notices(id);
    expect(res.status).toBe(200);
    const list = res.body.notices as any[];
    expect(list.map((n) => n.kind)).toEqual(['contract-expired', 'order-completed', 'expiry-reminder']);
    expect(list.map((n) => n.sentAt)).toEqual(['2026-06-01T03:00:00.000Z', '2026-06-01T02:00:00.000Z', '2026-06-01T01:00:00.000Z']);
    for (const n of list) {
      expect(Object.keys(n).sort()).toEqual(['body', 'id', 'kind', 'lang', 'sentAt', 'subject', 'to']);
      expect(n).toMatchObject({ lang: 'ja', to: address });
      expect(n.id).toMatch(/^ntc_/);
      expect(n.body).toMatch(/ます。/);
    }
    expect(list[2].subject).toContain('2026年7月1日');
    expect(list[1].body).toContain('5,500円（税込）');
    expect(list[1].body).toContain('2026年6月30日');
    expect(list[0].body).toContain('「Free」');
    // Addressed by the account's name.
    expect(list[0].body.startsWith('premium customer 様')).toBe(true);

    const one = await t.api('GET', `/v1/accounts/${id}/notices?limit=1`);
    expect(one.body.notices.map((n: any) => n.kind)).toEqual(['contract-expired']);
  });

  it('a dedupe key sends a notice once only, per account', async () => {
    const id = await newAccount(t, 'premium');
    const other = await newAccount(t, 'premium');
    const input = { accountId: id, kind: 'renewal-offer-open' as const, params: { planName: 'Plan 10', end: '2026-12-31', opens: '2026-11-01' }, dedupeKey: 'renewal-offer:ctr_1:2026-11-01' };
    expect(await send(input)).toBe(true);
    expect(await send(input)).toBe(false);
    expect(await send({ ...input, params: { ...input.params, planName: 'Plan 20' } })).toBe(false);
    const list = (await notices(id)).body.notices as any[];
    expect(list).toHaveLength(1);
    expect(list[0].body).toContain('2027年12月31日');
    // The key is the account's own: another account with the same key gets its notice.
    expect(await send({ ...input, accountId: other })).toBe(true);
    // Without a key every send is a notice.
    expect(await send({ accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2026-12-31' } })).toBe(true);
    expect(await send({ accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2026-12-31' } })).toBe(true);
    expect((await notices(id)).body.notices).toHaveLength(3);
  });

  it("is written in the caller's transaction: rolled back with it", async () => {
    const id = await newAccount(t, 'premium');
    const ctx = t.running.ctx;
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await sendNotice(ctx, trx, { accountId: id, kind: 'members-will-be-deactivated', params: { count: 2, on: '2026-07-01' } });
        throw new Error('the effect failed');
      }),
    ).rejects.toThrow('the effect failed');
    expect((await notices(id)).body.notices).toEqual([]);
    await expect(send({ accountId: 'acc_nope', kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2026-12-31' } })).rejects.toThrow(/no account/);
  });

  it('an account whose language is English gets English notices', async () => {
    const id = await newAccount(t, 'premium');
    // No product defines a `lang` option yet: set it directly, as a future option would.
    await t.running.ctx.db.updateTable('accounts').set({ options: JSON.stringify({ lang: 'en' }) }).where('account_id', '=', id).execute();
    await send({ accountId: id, kind: 'members-will-be-deactivated', params: { count: 2, on: '2026-07-01' } });
    const [n] = (await notices(id)).body.notices as any[];
    expect(n).toMatchObject({ lang: 'en', kind: 'members-will-be-deactivated' });
    expect(n.subject).toBe('Important: 2 members will be deactivated on 1 July 2026');
  });

  it('a customer token sees its own notices and 404 for another account; unknown account 404; bad limit 400', async () => {
    const mine = await newAccount(t, 'premium');
    const other = await newAccount(t, 'premium');
    await send({ accountId: mine, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2026-12-31' } });
    await send({ accountId: other, kind: 'expiry-reminder', params: { planName: 'Plan 20', end: '2026-12-31' } });
    const token = (await t.api('POST', `/v1/accounts/${mine}/portal-sessions`, {})).body.token as string;

    const own = await notices(mine, token);
    expect(own.status).toBe(200);
    expect(own.body.notices).toHaveLength(1);
    expect(own.body.notices[0].subject).toContain('Plan 10');
    const theirs = await notices(other, token);
    expect(theirs.status).toBe(404);
    expect(theirs.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(theirs.body)).not.toContain('Plan 20');

    const unknown = await notices('acc_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('account_not_found');
    expect((await notices(mine, null)).status).toBe(401);
    for (const limit of ['0', '501', 'many']) {
      const bad = await t.api('GET', `/v1/accounts/${mine}/notices?limit=${limit}`);
      expect(bad.status, limit).toBe(400);
      expect(bad.body.errors[0].path).toBe('querystring.limit');
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.api('GET', '/openapi.json', undefined, { token: null })).body;
    expect(doc.paths['/v1/accounts/{id}/notices'].get).toBeDefined();
  });
});
