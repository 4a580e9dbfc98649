/**
 * Several server processes of one `npm start` (KEIYAKU_PROCESSES, src/cluster.ts; issue 8): on
 * PostgreSQL they share one port, one dev-mode operator key, the rate limit's counters and the
 * test clock; the first alone seeds; a process that dies is replaced; SIGTERM stops them all.
 * Requests go over fresh connections (no keep-alive), which the primary hands to the processes in
 * turn, so consecutive requests meet different processes.
 *
 * The embedded database is one process: more than one is refused at start, `auto` is one.
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KIND, createTestDatabase } from '../support/harness.js';
import { runToExit, spawnServer } from '../support/process.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** One request on a connection of its own (agent: false), so the primary hands it to the next process. */
function fresh(url: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url + path, { method, agent: false, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The live child processes of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`several server processes (KEIYAKU_PROCESSES, ${DB_KIND})`, () => {
  if (DB_KIND === 'postgres') {
    it('two processes share the port, the dev-mode key, the rate limit and the test clock; one seeds; a dead one is replaced; SIGTERM stops all', { timeout: 120_000 }, async () => {
      const database = await createTestDatabase();
      if (database) cleanups.push(() => database.drop());
      const server = await spawnServer({
        DATABASE_URL: database!.url,
        KEIYAKU_PROCESSES: '2',
        KEIYAKU_OPERATOR_KEY: '', // dev mode: a generated key
        KEIYAKU_SEED: 'demo',
        KEIYAKU_RATE_LIMIT: '5',
        KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00',
      });
      cleanups.push(() => server.kill('SIGKILL'));
      await until('both processes', () => /2 server processes \(KEIYAKU_PROCESSES\) serve/.test(server.stdout()));
      const primary = server.child.pid!;
      expect(childrenOf(primary)).toHaveLength(2);
      const out = server.stdout();
      const key = /Operator key \(dev mode, generated\): (kyo_\S+)/.exec(out)![1]!;
      const customer = /owner@teamspace\.example\s+\S+#token=(kyc_\S+)/.exec(out)![1]!;
      const ownerAccount = /(acc_\w+)\s+teamspace\s+owner@teamspace\.example/.exec(out)![1]!;

      // The generated key works on every process (each would otherwise have made its own).
      const keyed = await Promise.all(Array.from({ length: 6 }, () => fresh(server.url, 'GET', '/v1/clock', key)));
      expect(keyed.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      // The lead alone seeded: the four demo accounts, once.
      const accounts = (await fresh(server.url, 'GET', '/v1/accounts?limit=100', key)).body.accounts as Array<{ email: string }>;
      expect(accounts.map((a) => a.email).sort()).toEqual(['editor@ebook5.example', 'free@teamspace.example', 'hanako@premium.example', 'owner@teamspace.example']);

      // One limit for the token across both processes: 5 a minute, then 429 (each process alone would have allowed 7).
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fresh(server.url, 'GET', `/v1/accounts/${ownerAccount}/state`, customer)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      // Asked at once (each process sends the counts of an event-loop turn in one message): still 5.
      const hanako = /hanako@premium\.example\s+\S+#token=(kyc_\S+)/.exec(out)![1]!;
      const hanakoAccount = /(acc_\w+)\s+premium\s+hanako@premium\.example/.exec(out)![1]!;
      const atOnce = await Promise.all(Array.from({ length: 12 }, () => fresh(server.url, 'GET', `/v1/accounts/${hanakoAccount}/state`, hanako)));
      const counted = atOnce.map((r) => r.status).sort();
      expect(counted).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);

      // The test clock moved through one process is the clock of all.
      const moved = await fresh(server.url, 'POST', '/v1/clock', key, { now: '2026-05-01T09:00:00+09:00' });
      expect(moved.status).toBe(200);
      const clocks = await Promise.all(Array.from({ length: 4 }, () => fresh(server.url, 'GET', '/v1/clock', key)));
      expect(clocks.map((r) => r.body.now)).toEqual(Array(4).fill('2026-05-01T00:00:00Z'));
      const dates = await Promise.all(Array.from({ length: 4 }, () => fresh(server.url, 'GET', `/v1/accounts/${ownerAccount}/state`, key)));
      expect(dates.map((r) => r.body.date)).toEqual(Array(4).fill('2026-05-01'));

      // A process killed is replaced, and its replacement serves with the same key and clock.
      const [first] = childrenOf(primary);
      process.kill(first!, 'SIGKILL');
      await until('a replacement', () => /server process \d \(pid \d+\) exited \(SIGKILL\); starting another/.test(server.stdout()));
      await until('two processes again', () => childrenOf(primary).length === 2 && !childrenOf(primary).includes(first!));
      await until('the replacement serving', async () => /Keiyaku is serving[\s\S]*Keiyaku is serving/.test(server.stdout()));
      const after = await Promise.all(Array.from({ length: 4 }, () => fresh(server.url, 'GET', '/v1/clock', key)));
      expect(after.map((r) => [r.status, r.body.now])).toEqual(Array(4).fill([200, '2026-05-01T00:00:00Z']));

      // SIGTERM to the primary stops every process; the exit is clean.
      const children = childrenOf(primary);
      await server.kill('SIGTERM');
      expect(server.child.exitCode).toBe(0);
      for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
    });

    it('SIGTERM while the processes start (the first serving, the second still starting) stops them all; the exit is clean', { timeout: 60_000 }, async () => {
      const database = await createTestDatabase();
      if (database) cleanups.push(() => database.drop());
      const server = await spawnServer({ DATABASE_URL: database!.url, KEIYAKU_PROCESSES: '2', KEIYAKU_SEED: 'none' });
      cleanups.push(() => server.kill('SIGKILL'));
      // Started as soon as the first process says it serves: the second is not serving yet.
      expect(server.stdout()).not.toMatch(/2 server processes \(KEIYAKU_PROCESSES\) serve/);
      const children = childrenOf(server.child.pid!);
      await server.kill('SIGTERM');
      // Before: the primary had no handler yet and died of the signal, the second process with a stack trace (EPIPE).
      expect([server.child.exitCode, server.child.signalCode]).toEqual([0, null]);
      expect(server.stdout()).not.toMatch(/Error|EPIPE|exited before it served/);
      for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
    });

    it('S1–S6, SPEC §6: two processes placing orders in groups at once, two orders an account — each placed once, none lost, the invoice series gapless, both processes seeing every order', { timeout: 120_000 }, async () => {
      const database = await createTestDatabase();
      if (database) cleanups.push(() => database.drop());
      const key = 'test-operator-key-processes-0123456789';
      const server = await spawnServer({ DATABASE_URL: database!.url, KEIYAKU_PROCESSES: '2', KEIYAKU_OPERATOR_KEY: key, KEIYAKU_SEED: 'none', KEIYAKU_TEST_CLOCK: '2026-06-01T10:00:00+09:00' });
      cleanups.push(() => server.kill('SIGKILL'));
      await until('both processes', () => /2 server processes \(KEIYAKU_PROCESSES\) serve/.test(server.stdout()));
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const created = await fresh(server.url, 'POST', '/v1/accounts', key, { email: `groups.${i}@example.jp`, name: `グループ${i}`, product: 'teamspace' });
        expect(created.status).toBe(201);
        const bought = await fresh(server.url, 'POST', '/v1/orders', key, { type: 'new-contract', accountId: created.body.id, planId: 'starter', term: 'P12M', startDate: '2026-06-01', paymentMethod: 'bank-transfer' });
        expect(bought.status).toBe(201);
        ids.push(created.body.id as string);
      }
      // Both processes hold each account's state in their caches (reads on fresh connections go to
      // either): a group's commit must reach the other process's cache (its NOTIFY) as well.
      const limits = async (id: string) => Promise.all(Array.from({ length: 4 }, async () => (await fresh(server.url, 'GET', `/v1/accounts/${id}/state`, key)).body.seats.limit as number));
      for (const id of ids) expect(await limits(id)).toEqual([100, 100, 100, 100]);
      // Each request on a connection of its own: the primary hands them to the two processes in
      // turn, so an account's two orders are mostly placed by different processes at once.
      const spot = (accountId: string) => fresh(server.url, 'POST', '/v1/orders', key, { type: 'spot', accountId, seats: 100, startDate: '2026-06-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
      const answers = await Promise.all([...ids, ...ids].map(spot));
      expect(answers.map((a) => a.status)).toEqual(Array(60).fill(201));
      expect(new Set(answers.map((a) => a.body.invoiceId)).size).toBe(60);
      await until('every process sees every order', async () => {
        for (const id of ids) if ((await limits(id)).some((l) => l !== 300)) return undefined;
        return true;
      }, 5_000);
      const numbers: number[] = [];
      for (const id of ids) {
        const invoices = (await fresh(server.url, 'GET', `/v1/accounts/${id}/invoices`, key)).body.invoices as Array<{ number: string }>;
        expect(invoices).toHaveLength(3);
        numbers.push(...invoices.map((i) => Number(i.number.split('-')[1])));
      }
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
      await server.kill('SIGTERM');
    });
  } else {
    it('more than one process on the embedded database is refused with what to set; auto is one', { timeout: 60_000 }, async () => {
      const folder = mkdtempSync(join(tmpdir(), 'keiyaku-processes-'));
      cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
      const refused = await runToExit({ KEIYAKU_DATA: folder, KEIYAKU_PROCESSES: '2' });
      expect(refused.code).toBe(2);
      expect(refused.output).toContain('KEIYAKU_PROCESSES: more than one server process needs PostgreSQL (DATABASE_URL)');
      const server = await spawnServer({ KEIYAKU_DATA: folder, KEIYAKU_PROCESSES: 'auto' });
      cleanups.push(() => server.kill('SIGKILL'));
      expect(childrenOf(server.child.pid!)).toHaveLength(0);
      expect((await server.api('GET', '/v1/clock')).status).toBe(200);
      await server.kill();
    });
  }
});
