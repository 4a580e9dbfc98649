/**
 * Issue 9, the edge: the body size limit, and the malformed requests the fuzz test found answering
 * 500 or a non-problem (each fixed, each pinned here so it stays fixed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse, TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, startTestServer } from '../support/harness.js';

let t: TestServer;
let accountId: string;
beforeAll(async () => {
  t = await startTestServer();
  accountId = await newAccount(t, 'teamspace');
});
afterAll(async () => t?.stop());

function expectProblem(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
}

describe(`the edge refuses what it cannot take, as problems (${DB_KIND})`, () => {
  it('a body over 1 MB is 413 payload_too_large, and nothing is created', async () => {
    const before = (await t.api('GET', `/v1/accounts/${accountId}/members`)).body.members.length;
    const res = await t.api('POST', `/v1/accounts/${accountId}/members`, { email: email(), name: 'x'.repeat(1024 * 1024) });
    expectProblem(res, 413, 'payload_too_large');
    expect(res.body.detail).toContain('1 MB');
    expect((await t.api('GET', `/v1/accounts/${accountId}/members`)).body.members.length).toBe(before);
    // Just under the limit is read (and refused by the schema for its long name, not for its size).
    const under = await t.api('POST', `/v1/accounts/${accountId}/members`, { email: email(), name: 'x'.repeat(1000 * 1000) });
    expectProblem(under, 400, 'invalid_request');
  });

  it('a NUL character (U+0000) in a path id, a query or a body field is 400 invalid_request naming it (was 500: PostgreSQL text cannot hold it)', async () => {
    expectProblem(await t.api('GET', '/v1/orders/%00'), 400, 'invalid_request');
    expectProblem(await t.api('GET', `/v1/invoices/inv_%00x`), 400, 'invalid_request');
    const query = await t.api('GET', '/v1/accounts?email=a%00b');
    expectProblem(query, 400, 'invalid_request');
    expect(query.body.errors).toEqual([{ path: 'querystring.email', message: expect.stringContaining('NUL') }]);
    const body = await t.api('POST', `/v1/accounts/${accountId}/members`, { email: email(), name: 'Ta\u0000ro' });
    expectProblem(body, 400, 'invalid_request');
    expect(body.body.errors).toEqual([{ path: 'body.name', message: expect.stringContaining('NUL') }]);
    const key = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'teamspace', options: { 'a\u0000': 'b' } });
    expectProblem(key, 400, 'invalid_request');
  });

  it('a lone surrogate ("\\ud800") in a body field is 400 invalid_request naming it, also with an Idempotency-Key (was 500 on PostgreSQL: the refusal could not be stored)', async () => {
    const res = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: '\ud800' }, { headers: { 'idempotency-key': 'lone-surrogate' } });
    expectProblem(res, 400, 'invalid_request');
    expect(res.body.errors).toEqual([{ path: 'body.product', message: expect.stringContaining('surrogate') }]);
    // A pair is a character: accepted as text (and refused only as an unknown product).
    const pair = await t.api('POST', '/v1/accounts', { email: email(), name: '𠮷野家', product: 'teamspace' });
    expect(pair.status).toBe(201);
  });

  it('a path parameter over 100 characters and a broken %-escape are 400 invalid_request (were bare JSON from the router: 414, 400)', async () => {
    const long = await t.api('GET', `/v1/invoices/${'a'.repeat(101)}`);
    expectProblem(long, 400, 'invalid_request');
    expect(long.body.errors).toEqual([{ path: 'url', message: expect.stringContaining('100 characters') }]);
    expectProblem(await t.api('GET', `/v1/accounts/${accountId}%E0%A4%A`), 400, 'invalid_request');
    // 100 characters is still a well-formed id: an unknown one.
    expectProblem(await t.api('GET', `/v1/invoices/${'a'.repeat(100)}`), 404, 'invoice_not_found');
  });

  it('a deeply nested body with an Idempotency-Key, on an endpoint that takes no body, is ignored (was 500: the fingerprint overflowed the stack)', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await t.api('POST', '/v1/orders/ord_doesnotexist/accept', undefined, { raw: deep, headers: { 'idempotency-key': 'deep-1' } });
    expectProblem(res, 404, 'order_not_found');
    // The body is no part of the request there: the same key with another body is the same request.
    const again = await t.api('POST', '/v1/orders/ord_doesnotexist/accept', { something: 'else' }, { headers: { 'idempotency-key': 'deep-1' } });
    expectProblem(again, 404, 'order_not_found');
    expect(again.headers['idempotent-replayed']).toBe('true');
    // Where a body is read, the schema refuses the nesting before anything else looks at it.
    expectProblem(await t.api('POST', `/v1/accounts/${accountId}/members`, undefined, { raw: deep, headers: { 'idempotency-key': 'deep-2' } }), 400, 'invalid_request');
  });

  it('a customer token on an operator-only endpoint is 403 forbidden whatever its body (it learns nothing of the schema)', async () => {
    const token = (await t.api('POST', `/v1/accounts/${accountId}/portal-sessions`, {})).body.token;
    const invalid = await t.api('POST', '/v1/accounts', { email: 'not-an-email' }, { token });
    expectProblem(invalid, 403, 'forbidden');
    expectProblem(await t.api('POST', '/v1/payments', { invoiceIds: 'nope' }, { token }), 403, 'forbidden');
    expectProblem(await t.api('GET', '/v1/effects?status=nope', undefined, { token }), 403, 'forbidden');
    // The operator with the same invalid body is told what to fix.
    expectProblem(await t.api('POST', '/v1/accounts', { email: 'not-an-email' }), 400, 'invalid_request');
  });

  it('invalid JSON is 400 malformed_json, another content type 415, both problems', async () => {
    expectProblem(await t.api('POST', '/v1/accounts', undefined, { raw: '{"email":' }), 400, 'malformed_json');
    expectProblem(await t.api('POST', '/v1/accounts', undefined, { raw: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
  });
});
