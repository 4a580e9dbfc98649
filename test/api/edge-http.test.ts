/**
 * The edge's answers to what is not a JSON request (docs/errors.md): what Node refuses before
 * routing (a 20 KB Authorization header, a broken request line, a timeout) is a problem with a
 * code, not Fastify's own JSON; a body sent as text/plain is 415 saying to send JSON, while the
 * POSTs that take no body still take none; a body key that could reach a prototype
 * (`__proto__`, `constructor.prototype`) is 400 invalid_request naming it, never "not valid JSON"
 * nor silently dropped.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/boot.js';
import type { Running } from '../../src/boot.js';
import { loadConfig } from '../../src/config.js';
import type { ApiResponse, TestServer } from '../support/harness.js';
import { DB_KIND, OPERATOR_KEY, email, memorySnapshot, newAccount, startTestServer } from '../support/harness.js';

function expectProblem(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
}

/** Sends `request` as raw bytes and reads the whole answer until the server closes the connection. */
function rawExchange(url: string, request: string | Buffer): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    socket.on('close', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const bodyText = rest.join('\r\n\r\n');
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: bodyText ? JSON.parse(bodyText) : undefined });
    });
    socket.write(request);
  });
}

describe("what Node refuses before routing is a problem too", () => {
  let running: Running;
  beforeAll(async () => {
    const config = loadConfig({ KEIYAKU_DATA: 'memory', KEIYAKU_OPERATOR_KEY: OPERATOR_KEY, KEIYAKU_SEED: 'none', KEIYAKU_LOG: 'silent', PORT: '0' });
    running = await start(config, { snapshot: memorySnapshot(), background: false });
  });
  afterAll(async () => running?.stop());

  it('a 20 KB Authorization header is 431 headers_too_large, problem+json, and the connection closes (was Fastify\'s {"error":…} as application/json)', async () => {
    const res = await rawExchange(running.url, `GET /v1/accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers.connection).toBe('close');
    expect(res.body).toMatchObject({ status: 431, code: 'headers_too_large', title: 'headers too large' });
    expect(res.body.detail).toContain('Authorization');
    // fetch sees the same.
    const viaFetch = await fetch(`${running.url}/v1/accounts`, { headers: { authorization: `Bearer ${'a'.repeat(20_000)}` } });
    expect(viaFetch.status).toBe(431);
    expect(viaFetch.headers.get('content-type')).toBe('application/problem+json');
    expect(((await viaFetch.json()) as { code: string }).code).toBe('headers_too_large');
  });

  it('a request that is not HTTP is 400 malformed_request; a bad header line too', async () => {
    for (const request of ['GARBAGE\r\n\r\n', 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n']) {
      const res = await rawExchange(running.url, request);
      expect(res.status, request).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, code: 'malformed_request' });
    }
  });

  it('chunk extensions over 16 KB are 413 payload_too_large as a problem (Node refuses them before the body is read)', async () => {
    const head = `POST /v1/accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${OPERATOR_KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const res = await rawExchange(running.url, `${head}2;${'x'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('a request that came too slowly is 408 request_timeout as a problem (Node decides it after headersTimeout)', () => {
    // Node times a request out only after a minute: its clientError is what the handler answers.
    let written = '';
    let destroyed = false;
    const socket = { writable: true, destroyed: false, write: (s: string) => void (written += s), destroy: () => void (destroyed = true) };
    running.server.server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    expect(written).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(written).toContain('Content-Type: application/problem+json\r\n');
    expect(JSON.parse(written.split('\r\n\r\n')[1]!)).toMatchObject({ status: 408, code: 'request_timeout' });
    expect(destroyed).toBe(true);
  });
});

describe(`bodies the API does not read (${DB_KIND})`, () => {
  let t: TestServer;
  let accountId: string;
  beforeAll(async () => {
    t = await startTestServer();
    accountId = await newAccount(t, 'teamspace');
  });
  afterAll(async () => t?.stop());

  const countAccounts = async () => ((await t.api('GET', '/v1/accounts?limit=500')).body.accounts as unknown[]).length;

  it('a valid JSON object sent as text/plain is 415 unsupported_media_type saying to send Content-Type: application/json (was 400 "expected object, received string")', async () => {
    const before = await countAccounts();
    const body = JSON.stringify({ email: email(), name: 'Plain', product: 'teamspace' });
    const plain = await t.api('POST', '/v1/accounts', undefined, { raw: body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expectProblem(plain, 415, 'unsupported_media_type');
    expect(plain.body.detail).toContain('Content-Type: application/json');
    // No content type at all, with a body: the same.
    const none = await t.running.server.inject({ method: 'POST', url: '/v1/accounts', headers: { authorization: `Bearer ${OPERATOR_KEY}` }, payload: body });
    expect(none.statusCode).toBe(415);
    expect(none.json()).toMatchObject({ code: 'unsupported_media_type' });
    // In Japanese too.
    const ja = await t.api('POST', '/v1/accounts', undefined, { raw: body, headers: { 'content-type': 'text/plain', 'accept-language': 'ja' } });
    expect(ja.body.detail).toContain('Content-Type: application/json');
    expect(await countAccounts()).toBe(before);
    // As JSON it goes in.
    expect((await t.api('POST', '/v1/accounts', JSON.parse(body))).status).toBe(201);
  });

  it('POSTs that take no body keep working with none: no content type, or an empty JSON or text/plain body', async () => {
    const post = (url: string, headers: Record<string, string> = {}, payload?: string) =>
      t.running.server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${OPERATOR_KEY}`, ...headers }, ...(payload !== undefined ? { payload } : {}) });
    for (const [headers, payload] of [[{}, undefined], [{ 'content-type': 'application/json' }, ''], [{ 'content-type': 'text/plain' }, '']] as Array<[Record<string, string>, string | undefined]>) {
      const run = await post('/v1/effects/run', headers, payload);
      expect(run.statusCode, JSON.stringify(headers)).toBe(200);
      const session = await post(`/v1/accounts/${accountId}/portal-sessions`, headers, payload);
      expect(session.statusCode, JSON.stringify(headers)).toBe(201);
      expect(session.json().token).toMatch(/^kyc_/);
    }
  });

  it('a key "__proto__" or "constructor" holding "prototype", anywhere in a body, is 400 invalid_request naming it; nothing is created (was: malformed_json "not valid JSON")', async () => {
    const before = await countAccounts();
    const cases: Array<[string, string]> = [
      [`{"email":"${email()}","name":"P","product":"teamspace","__proto__":{"polluted":1}}`, 'body.__proto__'],
      [`{"email":"${email()}","name":"P","product":"teamspace","options":{"__proto__":null}}`, 'body.options.__proto__'],
      [`{"email":"${email()}","name":"P","product":"teamspace","constructor":{"prototype":{"polluted":1}}}`, 'body.constructor.prototype'],
      [`{"email":"${email()}","name":"P","product":"teamspace","options":{"a":[{"constructor":{"prototype":{}}}]}}`, 'body.options.a.0.constructor.prototype'],
      // Escaped as JSON allows: the same key.
      [`{"email":"${email()}","name":"P","product":"teamspace","\\u005f_proto__":{"polluted":1}}`, 'body.__proto__'],
    ];
    for (const [raw, path] of cases) {
      const res = await t.api('POST', '/v1/accounts', undefined, { raw });
      expectProblem(res, 400, 'invalid_request');
      expect(res.body.errors).toEqual([{ path, message: expect.stringContaining('is not allowed') }]);
    }
    const ja = await t.api('POST', '/v1/accounts', undefined, { raw: cases[0]![0], headers: { 'accept-language': 'ja' } });
    expect(ja.body.errors[0].message).toContain('使えません');
    expect(await countAccounts()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Invalid JSON is still malformed_json.
    expectProblem(await t.api('POST', '/v1/accounts', undefined, { raw: '{"__proto__":' }), 400, 'malformed_json');
  });
});

describe(`a known path with a method it does not take (${DB_KIND})`, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.stop());

  it('is 405 method_not_allowed with an Allow header listing the methods it takes (was 404 route_not_found); nothing is done', async () => {
    const id = await newAccount(t, 'teamspace');
    const del = await t.api('DELETE', `/v1/accounts/${id}`);
    expectProblem(del, 405, 'method_not_allowed');
    expect(del.headers.allow).toBe('GET, HEAD, PATCH');
    expect(del.body.detail).toBe('DELETE is not allowed on this path. Use one of: GET, HEAD, PATCH.');
    expect((await t.api('GET', `/v1/accounts/${id}`)).status).toBe(200);

    const put = await t.api('PUT', '/v1/orders', { accountId: id }, { headers: { 'accept-language': 'ja' } });
    expectProblem(put, 405, 'method_not_allowed');
    expect(put.headers.allow).toBe('GET, HEAD, POST');
    expect(put.body.detail).toBe('PUT はこのパスでは使えません。使えるメソッド: GET, HEAD, POST。');
    expect((await t.api('GET', `/v1/orders?accountId=${id}`)).body.orders).toEqual([]);

    const accept = await t.api('GET', '/v1/orders/ord_x/accept');
    expectProblem(accept, 405, 'method_not_allowed');
    expect(accept.headers.allow).toBe('POST');
  });

  it('an unknown path is still 404 route_not_found, whatever the method', async () => {
    expectProblem(await t.api('DELETE', '/v1/nothing-here'), 404, 'route_not_found');
    expectProblem(await t.api('GET', '/v1/orders/ord_x/nothing'), 404, 'route_not_found');
  });
});
