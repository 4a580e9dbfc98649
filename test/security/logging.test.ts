/**
 * Issue 9: the operator key and customer tokens never reach the logs — neither the in-process
 * request log at the most verbose levels nor a real `npm start` process's output.
 */
import { describe, expect, it } from 'vitest';
import { start } from '../../src/boot.js';
import { loadConfig } from '../../src/config.js';
import { DB_KIND, OPERATOR_KEY, createTestDatabase, email } from '../support/harness.js';
import { spawnServer } from '../support/process.js';

/** Everything a client could send that is a secret, or looks like one. */
async function exercise(call: (method: string, path: string, token: string | null, body?: unknown) => Promise<{ status: number; body: any }>) {
  const created = await call('POST', '/v1/accounts', OPERATOR_KEY, { email: email('log'), name: 'Log test', product: 'teamspace' });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const session = await call('POST', `/v1/accounts/${id}/portal-sessions`, OPERATOR_KEY);
  expect(session.status).toBe(201);
  const token = session.body.token as string;
  const secrets = [OPERATOR_KEY, token];
  expect((await call('GET', `/v1/accounts/${id}`, token)).status).toBe(200);
  expect((await call('GET', `/v1/accounts/${id}/state`, token)).status).toBe(200);
  expect((await call('POST', `/v1/accounts/${id}/members`, token, { email: email('m'), name: 'M' })).status).toBe(201);
  // Refused requests log too: a wrong key close to the real one, a customer token on operator ground, a bad body.
  const nearMiss = `${OPERATOR_KEY}x`;
  secrets.push(nearMiss);
  expect((await call('GET', '/v1/accounts', nearMiss)).status).toBe(401);
  expect((await call('GET', '/v1/accounts', token)).status).toBe(403);
  expect((await call('POST', '/v1/orders', token, { type: 'nonsense' })).status).toBe(400);
  expect((await call('GET', '/v1/nothing-here', OPERATOR_KEY)).status).toBe(404);
  return secrets;
}

function expectNoSecrets(log: string, secrets: string[]) {
  for (const secret of secrets) expect(log.includes(secret), `a secret (${secret.slice(0, 6)}…) is in the log`).toBe(false);
  // Not even the last part of a token (a log line cut short, a hash-free prefix) is there.
  for (const secret of secrets) expect(log.includes(secret.slice(-16)), 'the end of a secret is in the log').toBe(false);
}

describe(`credentials are never logged (${DB_KIND})`, () => {
  it('KEIYAKU_LOG=debug in-process: every request is logged, no key or token is', async () => {
    const lines: string[] = [];
    const database = await createTestDatabase();
    const config = loadConfig({
      KEIYAKU_DATA: 'memory',
      KEIYAKU_OPERATOR_KEY: OPERATOR_KEY,
      KEIYAKU_SEED: 'none',
      KEIYAKU_LOG: 'debug',
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    const running = await start(config, { listen: false, logStream: { write: (line) => void lines.push(line) } });
    try {
      const secrets = await exercise(async (method, url, token, body) => {
        const res = await running.server.inject({
          method: method as 'GET',
          url,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
        });
        return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
      });
      const log = lines.join('');
      // The log is really on: it has the requests, with their URLs and statuses.
      expect(lines.length).toBeGreaterThan(10);
      expect(log).toContain('"url":"/v1/accounts"');
      expect(log).toContain('"statusCode":403');
      expectNoSecrets(log, secrets);
    } finally {
      await running.stop();
      await database?.drop();
    }
  });

  it('KEIYAKU_LOG=info in a real process: neither its output nor its log holds a key or token', async () => {
    const database = await createTestDatabase();
    const server = await spawnServer({ KEIYAKU_DATA: 'memory', KEIYAKU_LOG: 'info', ...(database ? { DATABASE_URL: database.url } : {}) });
    try {
      const secrets = await exercise(async (method, path, token, body) => {
        const res = await fetch(server.url + path, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      });
      await server.kill();
      const out = server.stdout();
      expect(out).toContain('Operator key: from KEIYAKU_OPERATOR_KEY');
      expect(out).toContain('"statusCode":201');
      expectNoSecrets(out, secrets);
    } finally {
      await server.kill();
      await database?.drop();
    }
  });
});
