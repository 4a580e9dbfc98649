/**
 * Test harness: a real Keiyaku (real database: PGlite in memory, or a fresh database on the
 * PostgreSQL server named by KEIYAKU_TEST_DATABASE_URL), called in-process over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import type { Running } from '../../src/boot.js';
import { start } from '../../src/boot.js';
import { loadConfig } from '../../src/config.js';

export const OPERATOR_KEY = 'test-operator-key-0123456789';
export const DB_KIND = process.env.KEIYAKU_TEST_DATABASE_URL ? 'postgres' : 'pglite';

let snapshot: Blob | undefined;
/** The migrated empty database of test/support/global-setup.ts, read once a test file (PGlite only). */
export function memorySnapshot(): Blob | undefined {
  const file = inject('memorySnapshot');
  if (!file) return undefined;
  return (snapshot ??= new Blob([readFileSync(file)]));
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface TestServer {
  running: Running;
  /** Calls the API as the operator unless `token` says otherwise (`null`: no credential). */
  api(method: string, path: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string>; raw?: string }): Promise<ApiResponse>;
  stop(): Promise<void>;
  databaseUrl: string | undefined;
}

/** A fresh database on the PostgreSQL server for one test file; dropped by `stop()`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = process.env.KEIYAKU_TEST_DATABASE_URL;
  if (!admin) return undefined;
  const name = `keiyaku_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function startTestServer(env: Record<string, string> = {}, existing?: { url: string; drop(): Promise<void> } | null): Promise<TestServer> {
  const database = existing === undefined ? await createTestDatabase() : (existing ?? undefined);
  const config = loadConfig({
    KEIYAKU_DATA: 'memory',
    KEIYAKU_OPERATOR_KEY: OPERATOR_KEY,
    KEIYAKU_SEED: 'none',
    KEIYAKU_LOG: 'silent',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const running = await start(config, { listen: false, snapshot: memorySnapshot() });
  return {
    running,
    databaseUrl: database?.url,
    async api(method, path, body, opts = {}) {
      const token = opts.token === undefined ? OPERATOR_KEY : opts.token;
      const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.headers ?? {}) };
      if (body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
      const res = await running.server.inject({ method: method as 'GET', url: path, headers, ...(opts.raw !== undefined ? { payload: opts.raw } : body !== undefined ? { payload: JSON.stringify(body) } : {}) });
      let parsed: unknown = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async stop() {
      await running.stop();
      if (existing === undefined) await database?.drop();
    },
  };
}

let counter = 0;
/** A unique email for a test account. */
export function email(tag = 'user'): string {
  counter++;
  return `${tag}.${counter}.${randomBytes(3).toString('hex')}@example.jp`;
}

/** Creates an account and returns its id (fails the test loudly otherwise). */
export async function newAccount(t: TestServer, product: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api('POST', '/v1/accounts', { email: email(product), name: `${product} customer`, product, ...extra });
  if (res.status !== 201) throw new Error(`POST /v1/accounts ${product} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Places an order and expects success. */
export async function order(t: TestServer, body: Record<string, unknown>): Promise<any> {
  const res = await t.api('POST', '/v1/orders', body);
  if (res.status !== 201) throw new Error(`POST /v1/orders ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
