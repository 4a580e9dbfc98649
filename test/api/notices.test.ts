import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, order, startTestServer } from '../support/harness.js';
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
      expect(Object.keys(n).sort()).toEqual(['attachment', 'body', 'delivery', 'id', 'kind', 'lang', 'sentAt', 'subject', 'to']);
      // No SMTP_URL here: the outbox row is the only record, and says so.
      expect(n).toMatchObject({ lang: 'ja', to: address, attachment: null, delivery: { status: 'not-configured', deliveredAt: null } });
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
    const id = await newAccount(t, 'premium', { options: { lang: 'en' } });
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
    expect(doc.paths['/v1/notices'].get).toBeDefined();
  });
});

describe(`the account option lang (${DB_KIND})`, () => {
  it('every product accepts lang ja or en at creation; it is kept, and absent means Japanese', async () => {
    for (const product of ['teamspace', 'premium', 'ebook5']) {
      const res = await t.api('POST', '/v1/accounts', { email: email(product), name: 'Lang Ltd', product, options: { lang: 'en' } });
      expect(res.status, product).toBe(201);
      expect(res.body.options.lang).toBe('en');
      expect((await t.api('GET', `/v1/accounts/${res.body.id}`)).body.options.lang).toBe('en');
    }
    // With the product's own options beside it.
    const both = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'ebook5', options: { lang: 'ja', externalPublishing: 'developer' } });
    expect(both.body.options).toEqual({ lang: 'ja', externalPublishing: 'developer' });
    // Not chosen: not stored (the account reads Japanese notices).
    const plain = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'premium' });
    expect(plain.body.options).toEqual({});
  });

  it('any other language, or an option no product has, is 422 invalid_option naming the field', async () => {
    for (const options of [{ lang: 'fr' }, { lang: 'EN' }, { lang: '' }, { constructor: 'x' }, { toString: 'ja' }]) {
      const res = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'premium', options });
      expect(res.status, JSON.stringify(options)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'invalid_option', errors: [{ path: `options.${Object.keys(options)[0]}` }] });
    }
    const ok = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'premium', options: { lang: 'ja' } });
    expect(ok.status).toBe(201);
    expect(ok.body.options).toEqual({ lang: 'ja' });
  });
});

describe(`B9 notices of orders (${DB_KIND})`, () => {
  /** An ebook5 account on business-5 for a month, paid by card. */
  async function ebook(lang?: 'ja' | 'en') {
    const id = await newAccount(t, 'ebook5', lang ? { options: { lang } } : {});
    const today = (await t.api('GET', `/v1/accounts/${id}/state`)).body.date as string;
    await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: today, paymentMethod: 'card' });
    return id;
  }

  it('a completed order: order-completed with its invoice attached (by id) and named', async () => {
    const id = await ebook();
    const [completed] = (await notices(id)).body.notices as any[];
    const invoices = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as any[];
    expect(completed).toMatchObject({ kind: 'order-completed', attachment: { documentId: invoices[0].id } });
    expect(completed.body).toContain(`請求書（${invoices[0].number}）のPDFを添付`);
  });

  it('a plan change by card waits for acceptance: the statement of the amounts, in English for an English account', async () => {
    const id = await ebook('en');
    const placed = await order(t, { type: 'plan-change', accountId: id, planId: 'business-10' });
    expect(placed.status).toBe('placed');
    const [statement] = (await notices(id)).body.notices as any[];
    expect(statement).toMatchObject({ kind: 'statement-issued', lang: 'en', attachment: null });
    expect(statement.subject).toBe('Statement: your order of Business 10');
    for (const fact of [placed.id, `Subtotal: ${placed.amount.subtotal.toLocaleString('en')} yen`, `Amount: ${placed.amount.total.toLocaleString('en')} yen (tax included)`, 'accept the order']) expect(statement.body).toContain(fact);
    // Accepting completes it: plan-change-completed with the invoice attached.
    const accepted = (await t.api('POST', `/v1/orders/${placed.id}/accept`, {})).body;
    const [done] = (await notices(id)).body.notices as any[];
    expect(done).toMatchObject({ kind: 'plan-change-completed', lang: 'en', attachment: { documentId: accepted.invoiceId } });
  });

  it('a plan change paid by invoice: the quotation notice with number, amount and validity, its PDF attached', async () => {
    const id = await ebook();
    const placed = await order(t, { type: 'plan-change', accountId: id, planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' });
    const quote = (await t.api('GET', `/v1/quotes/${placed.quoteId}`)).body;
    const [n] = (await notices(id)).body.notices as any[];
    expect(n).toMatchObject({ kind: 'quotation-issued', lang: 'ja', attachment: { documentId: placed.quoteId } });
    expect(n.subject).toContain(quote.number);
    expect(n.body).toContain(`見積番号: ${quote.number}`);
    expect(n.body).toContain('118,800円（税込）');
    // The clock is in June 2026: valid to the end of the month (accepted later, the period moves, B3).
    expect(n.body).toContain('有効期限: 2026年6月30日');
    expect(n.body).toContain('2026年7月1日〜2027年6月30日');
  });
});

describe(`GET /v1/notices, the operator's outbox (${DB_KIND})`, () => {
  it('lists every account’s notices newest first with account, delivery and attachment; filters by account, kind and status', async () => {
    const a = await newAccount(t, 'premium');
    const b = await newAccount(t, 'premium', { options: { lang: 'en' } });
    await send({ accountId: a, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2026-12-31' } });
    await send({ accountId: b, kind: 'invoice-overdue', params: { invoiceId: 'inv_x', invoiceNumber: 'INV-999999', total: 5500, balance: 5500, dueOn: '2026-05-31' } });
    await send({ accountId: a, kind: 'payment-received', params: { invoiceId: 'inv_y', invoiceNumber: 'INV-999998', amount: 5500, paidOn: '2026-06-01', balance: 0 } });

    const all = await t.api('GET', '/v1/notices?limit=500');
    expect(all.status).toBe(200);
    const list = all.body.notices as any[];
    const mine = list.filter((n) => n.accountId === a || n.accountId === b);
    expect(mine.map((n) => n.kind)).toEqual(['payment-received', 'invoice-overdue', 'expiry-reminder']);
    const sentAts = list.map((n) => n.sentAt);
    expect([...sentAts].sort().reverse()).toEqual(sentAts);
    expect(mine[1]).toMatchObject({
      accountId: b,
      lang: 'en',
      subject: 'Payment overdue: invoice INV-999999',
      attachment: null,
      delivery: { status: 'not-configured', attempts: 0, lastError: null, nextAttemptAt: null, deliveredAt: null, via: null, messageId: null },
    });
    expect(mine[1].to).toMatch(/@example\.jp$/);

    const ofA = (await t.api('GET', `/v1/notices?accountId=${a}`)).body.notices as any[];
    expect(ofA.map((n) => n.kind)).toEqual(['payment-received', 'expiry-reminder']);
    const overdue = (await t.api('GET', '/v1/notices?kind=invoice-overdue')).body.notices as any[];
    expect(overdue.length).toBeGreaterThanOrEqual(1);
    expect(overdue.every((n) => n.kind === 'invoice-overdue')).toBe(true);
    expect((await t.api('GET', `/v1/notices?accountId=${a}&status=sent`)).body.notices).toEqual([]);
    expect((await t.api('GET', `/v1/notices?accountId=${a}&status=not-configured&limit=1`)).body.notices.map((n: any) => n.kind)).toEqual(['payment-received']);
  });

  it('is for the operator: a customer token gets 403 forbidden, no credential 401, a bad filter 400', async () => {
    const id = await newAccount(t, 'premium');
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token as string;
    const customer = await t.api('GET', `/v1/notices?accountId=${id}`, undefined, { token });
    expect(customer.status).toBe(403);
    expect(customer.body.code).toBe('forbidden');
    expect((await t.api('GET', '/v1/notices', undefined, { token: null })).status).toBe(401);
    for (const query of ['status=delivered', 'limit=0', 'limit=501']) {
      const bad = await t.api('GET', `/v1/notices?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.code).toBe('invalid_request');
    }
  });
});
