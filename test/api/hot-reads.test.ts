/**
 * The hot reads answer with JSON they serialise themselves (src/http/reply.ts `sendSerialized`,
 * issue 8): the route's response schema no longer runs on their answers, so this holds every kind
 * of answer to it — what the OpenAPI document promises a client, no field more and none less.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, order, startTestServer } from '../support/harness.js';
import { answerSchema } from '../../src/http/routes/usage.js';
import { memberSchema } from '../../src/http/routes/members.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const TODAY = '2026-04-01';
const exactly = <S extends z.ZodObject>(schema: S) => z.strictObject(schema.shape);

describe(`the hot reads answer as documented (${DB_KIND})`, () => {
  it('B4, B5: every kind of entitlement answer is the documented check answer, as JSON', async () => {
    const ebook = await newAccount(t, 'ebook5');
    await order(t, { type: 'new-contract', accountId: ebook, planId: 'business-5', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
    expect((await t.api('PUT', `/v1/accounts/${ebook}/usage`, { books: 5, storageMb: 620 })).status).toBe(200);
    const team = await newAccount(t, 'teamspace');
    const check = (id: string, body: unknown) => t.api('POST', `/v1/accounts/${id}/entitlements/check`, body);
    const answers = [
      await check(ebook, { resource: 'books', increment: 0 }), // allowed, with limit and usage
      await check(ebook, { resource: 'books', increment: 1 }), // limit_reached
      await check(ebook, { resource: 'storageMb', increment: 1 }), // over_limit
      await check(ebook, { feature: 'heatmap' }), // feature_not_included
      await check(ebook, { resource: 'seats' }), // not_in_plan
      await check(team, { resource: 'seats', increment: 1 }), // allowed
    ];
    expect(answers.map((a) => a.body.code ?? 'allowed')).toEqual(['allowed', 'limit_reached', 'over_limit', 'feature_not_included', 'not_in_plan', 'allowed']);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(exactly(answerSchema).safeParse(answer.body).error).toBeUndefined();
    }
    // A refusal is still a problem.
    const unknown = await check('acc_nope', { resource: 'books' });
    expect([unknown.status, unknown.body.code, unknown.headers['content-type']]).toEqual([404, 'account_not_found', 'application/problem+json; charset=utf-8']);
  });

  it('S8: a member read is the documented member, as JSON', async () => {
    const team = await newAccount(t, 'teamspace');
    const registered = await t.api('POST', `/v1/accounts/${team}/members`, { email: email('hot'), name: 'Hot Read', groups: ['sales'] });
    expect(registered.status).toBe(201);
    const read = await t.api('GET', `/v1/accounts/${team}/members/${registered.body.id}`);
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(exactly(memberSchema).safeParse(read.body).error).toBeUndefined();
    expect(read.body).toEqual(registered.body);
    const missing = await t.api('GET', `/v1/accounts/${team}/members/mem_nope`);
    expect([missing.status, missing.body.code]).toEqual([404, 'member_not_found']);
  });
});
