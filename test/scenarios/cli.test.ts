/**
 * The `keiyaku` command (docs/operations.md): `catch-up` runs what fell due while nothing was
 * running, with progress on stderr; `effects` only counts. G3: each effect once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/boot.js';
import { createTestDatabase, DB_KIND, newAccount, OPERATOR_KEY, order, startTestServer } from '../support/harness.js';
import { CLI_ARGS, spawnServer } from '../support/process.js';

const run = promisify(execFile);
const START = '2026-04-01T09:00:00+09:00';

describe(`keiyaku catch-up and effects (${DB_KIND})`, () => {
  let folder: string | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let where: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase();
    folder = database ? undefined : mkdtempSync(join(tmpdir(), 'keiyaku-cli-'));
    where = database ? { DATABASE_URL: database.url } : { KEIYAKU_DATA: folder! };
    // Twelve contracts that renew a year later, made while the server ran; then it stops.
    const t = await startTestServer({ KEIYAKU_TEST_CLOCK: START, ...where }, database ? { url: database.url, drop: async () => undefined } : null);
    for (let i = 0; i < 12; i++) {
      const accountId = await newAccount(t, 'teamspace');
      await order(t, { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-04-01', paymentMethod: 'card' });
    }
    await t.stop();
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const keiyaku = (args: string[], env: Record<string, string>) =>
    run(process.execPath, [...CLI_ARGS, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, KEIYAKU_OPERATOR_KEY: 'cli-test-operator-key-0123456789', ...where, ...env } });

  it('effects counts without running anything; catch-up runs each due effect once and reports it', async () => {
    const before = JSON.parse((await keiyaku(['effects'], {})).stdout) as Record<string, number>;
    expect(before.pending).toBe(24); // a term end and an overdue invoice for each contract
    expect(before.done ?? 0).toBe(0);

    const later = { KEIYAKU_TEST_CLOCK: '2027-04-01T00:30:00+09:00' };
    const caught = await keiyaku(['catch-up'], later);
    // What this run did, then the effects by status now.
    expect(caught.stdout).toMatch(/^caught up to 2027-03-31T15:30:00Z in \d+ ms: ran 24 effects, 0 failed; effects now: \{/);
    expect(caught.stderr).toMatch(/running due effects: 24\/24 \(100%\)/);
    const after = JSON.parse((await keiyaku(['effects'], {})).stdout) as Record<string, number>;
    // 12 renewals (their new overdue effects and next term ends are not due yet) and 12 overdue invoices.
    expect(after).toEqual({ done: 24, pending: 24 });

    const again = await keiyaku(['catch-up'], later);
    expect(again.stderr).not.toMatch(/running due effects/);
    expect(JSON.parse((await keiyaku(['effects'], {})).stdout)).toEqual({ done: 24, pending: 24 });
  }, 180_000);

  it('import: a malformed file is refused whole, line by line; then each account is imported or refused with its line, with progress; a second run skips them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keiyaku-import-'));
    try {
      const file = join(dir, 'accounts.jsonl');
      writeFileSync(file, ['{"email":"one@import.example","name":"One","product":"teamspace"}', 'not json', '{"email":"two@import.example","name":"Two","product":"premium","contract":{"planId":"plan-10","term":"P2Y","startDate":"2026-04-01","paymentMethod":"card"}}', ''].join('\n'));
      // A week after the catch-up above: today is 2027-04-08, and the renewal invoices of
      // 2027-04-01 (card: due three business days later, 04-06) turned overdue at 04-07 00:00 —
      // effects due that an import leaves alone.
      const clock = { KEIYAKU_TEST_CLOCK: '2027-04-08T09:00:00+09:00' };
      const malformed = await keiyaku(['import', file], clock).catch((err: { code: number; stderr: string }) => err);
      expect(malformed).toMatchObject({ code: 2 });
      expect((malformed as { stderr: string }).stderr).toContain('has 2 problem(s); nothing was imported');
      expect((malformed as { stderr: string }).stderr).toMatch(/line 2: not JSON/);
      expect((malformed as { stderr: string }).stderr).toMatch(/line 3: contract\.term: Invalid option/);

      writeFileSync(
        file,
        [
          '{"email":"one@import.example","name":"One","product":"teamspace","contract":{"planId":"starter","term":"P12M","startDate":"2027-04-01","paymentMethod":"card"},"members":[{"email":"m@import.example","name":"M"}]}',
          '{"email":"two@import.example","name":"Two","product":"premium","contract":{"planId":"plan-99","term":"P1Y","startDate":"2027-04-01","paymentMethod":"card"}}',
          '',
          '{"email":"three@import.example","name":"Three","product":"ebook5","usage":{"books":2}}',
          // The same email again (case aside): skipped, as one email is one account.
          '{"email":"ONE@import.example","name":"One again","product":"teamspace"}',
        ].join('\n'),
      );
      const dry = await keiyaku(['import', file, '--dry-run'], clock).catch((err: { code: number; stdout: string; stderr: string }) => err);
      expect(dry).toMatchObject({ code: 1 });
      expect((dry as { stdout: string }).stdout).toMatch(/^dry run of 4 account\(s\) in \d+ ms: 2 would be imported, 1 skipped .*, 1 refused; nothing was kept/);
      const imported = await keiyaku(['import', file], clock).catch((err: { code: number; stdout: string; stderr: string }) => err);
      expect(imported).toMatchObject({ code: 1 });
      const { stdout, stderr } = imported as { stdout: string; stderr: string };
      expect(stderr).toMatch(/importing accounts for .*: 4\/4 \(100%\)/);
      expect(stderr).toContain('line 2 (two@import.example): unknown_plan at contract.planId: The product premium has no plan "plan-99"');
      expect(stdout).toMatch(/^4 account\(s\) in \d+ ms: 2 imported, 1 skipped .*, 1 refused/);
      // The file fixed and imported again: the refused account goes in, the others are skipped.
      writeFileSync(file, readFileSync(file, 'utf8').replace('plan-99', 'plan-10'));
      const fixed = await keiyaku(['import', file], clock);
      expect(fixed.stdout).toMatch(/: 1 imported, 3 skipped/);
      // What follows from the contracts is scheduled — Starter's term end; plan-10's term end,
      // renewal offer and expiry reminder — and nothing else (no invoice, so no overdue effect);
      // the effects that fell due are not run by an import (done is still 24): catch-up runs them.
      expect(JSON.parse((await keiyaku(['effects'], {})).stdout)).toEqual({ done: 24, pending: 24 + 1 + 3 });
      // A file of several batches (200 lines each; on PostgreSQL two go at once): each account
      // once, the repeated email skipped.
      const many = join(dir, 'many.jsonl');
      const lines = Array.from({ length: 450 }, (_, i) => JSON.stringify({ email: `bulk${i}@import.example`, name: `Bulk ${i}`, product: i % 2 ? 'teamspace' : 'ebook5' }));
      writeFileSync(many, [...lines, lines[7]].join('\n'));
      const bulk = await keiyaku(['import', many], clock);
      expect(bulk.stdout).toMatch(/^451 account\(s\) in \d+ ms: 450 imported, 1 skipped .*, 0 refused/);
      expect((await keiyaku(['import', many], clock)).stdout).toMatch(/: 0 imported, 451 skipped/);

      const caught = await keiyaku(['catch-up'], clock);
      expect(caught.stdout).toMatch(/: ran \d+ effects?, 0 failed; effects now: /);
      expect(JSON.parse(caught.stdout.split('effects now: ')[1]!).done).toBeGreaterThan(24);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('an unknown command says so and shows the commands', async () => {
    const failed = await keiyaku(['renew-all'], {}).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('unknown command "renew-all"');
    expect((failed as { stderr: string }).stderr).toContain('catch-up');
  });

  it("takes npm start's setting flags over the environment; an unknown flag says so without a stack trace", async () => {
    const expected = (await keiyaku(['effects'], {})).stdout;
    // The environment names an empty folder; the flag names the database the effects are in.
    const empty = mkdtempSync(join(tmpdir(), 'keiyaku-cli-empty-'));
    try {
      const flag = database ? ['--database-url', database.url] : ['--data', folder!];
      const viaFlag = await keiyaku(['effects', ...flag], { DATABASE_URL: '', KEIYAKU_DATA: empty });
      expect(viaFlag.stdout).toBe(expected);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const failed = await keiyaku(['effects', '--verbose'], {}).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 2 });
    const stderr = (failed as { stderr: string }).stderr;
    expect(stderr).toContain("keiyaku: Unknown option '--verbose'");
    expect(stderr).not.toContain('    at ');
  });
});

describe(`keiyaku while the server runs (${DB_KIND})`, () => {
  // PGlite: the running server holds the data folder, so the command goes through its API (the
  // URL from the folder's lock, the operator key from KEIYAKU_OPERATOR_KEY or the folder's
  // operator-key file). PostgreSQL: no lock; the command works on the database beside the server.
  it('G3: effects and catch-up work with the server running — each due effect runs once, and the server sees it', async () => {
    const database = await createTestDatabase();
    const folder = mkdtempSync(join(tmpdir(), 'keiyaku-cli-live-'));
    const where: Record<string, string> = database ? { DATABASE_URL: database.url } : { KEIYAKU_DATA: folder };
    const server = await spawnServer({ KEIYAKU_TEST_CLOCK: START, ...where });
    try {
      for (let i = 0; i < 3; i++) {
        const account = await server.api('POST', '/v1/accounts', { email: `live${i}@cli.example.jp`, name: `Live ${i}`, product: 'teamspace' });
        expect(account.status).toBe(201);
        const placed = await server.api('POST', '/v1/orders', { type: 'new-contract', accountId: account.body.id, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-04-01', paymentMethod: 'card' });
        expect(placed.status).toBe(201);
      }
      // The dev-mode key file a server without KEIYAKU_OPERATOR_KEY keeps (here written by the test).
      if (!database) writeFileSync(join(folder, 'operator-key'), `${OPERATOR_KEY}\n`);
      const { KEIYAKU_OPERATOR_KEY: _noKey, ...inherited } = process.env;
      const env = { ...inherited, ...where };
      const keiyaku = (args: string[], extra: Record<string, string> = {}) => run(process.execPath, [...CLI_ARGS, ...args], { cwd: PROJECT_ROOT, env: { ...env, KEIYAKU_OPERATOR_KEY: OPERATOR_KEY, ...extra } });
      const through = database ? /^(?!.*going through its API)/s : new RegExp(`the data folder is in use by the server at ${server.url.replace(/[.]/g, '\\.')}; going through its API`);

      const counted = await keiyaku(['effects']);
      expect(counted.stderr).toMatch(through);
      expect(JSON.parse(counted.stdout)).toEqual({ pending: 6 });

      const later = { KEIYAKU_TEST_CLOCK: '2027-04-01T00:30:00+09:00' };
      const caught = await keiyaku(['catch-up'], later);
      expect(caught.stderr).toMatch(through);
      expect(caught.stdout).toMatch(/^caught up to 2027-03-31T15:30:00Z in \d+ ms: ran 6 effects, 0 failed; effects now: /);
      expect(caught.stderr).toMatch(/running due effects.*: 6\/6 \(100%\)/);
      expect(JSON.parse(caught.stdout.split('effects now: ')[1]!)).toEqual({ done: 6, pending: 6 });
      // The server sees what ran (on PGlite it ran it), and a second catch-up finds nothing due.
      expect((await server.api('GET', '/v1/effects?limit=1')).body.counts).toEqual({ done: 6, pending: 6 });
      const again = await keiyaku(['catch-up'], later);
      expect(again.stderr).not.toMatch(/running due effects/);
      expect(again.stdout).toMatch(/: ran 0 effects, 0 failed; /);
      expect(JSON.parse(again.stdout.split('effects now: ')[1]!)).toEqual({ done: 6, pending: 6 });

      if (!database) {
        // Without a test clock of its own the command asks the server to run what is due by its
        // clock (POST /v1/effects/run; the server's test clock is where the catch-up left it).
        const byServerClock = await keiyaku(['catch-up']);
        expect(byServerClock.stdout).toMatch(/^caught up to 2027-03-31T15:30:00Z in \d+ ms: ran 0 effects, 0 failed; effects now: /);
        expect(JSON.parse(byServerClock.stdout.split('effects now: ')[1]!)).toEqual({ done: 6, pending: 6 });
        // Without KEIYAKU_OPERATOR_KEY the folder's key file is used; a wrong key is refused with the server's reason.
        const fromFile = await run(process.execPath, [...CLI_ARGS, 'effects'], { cwd: PROJECT_ROOT, env });
        expect(JSON.parse(fromFile.stdout)).toEqual({ done: 6, pending: 6 });
        const refused = await keiyaku(['effects'], { KEIYAKU_OPERATOR_KEY: 'not-the-operator-key-0000' }).catch((err: { code: number; stderr: string }) => err);
        expect(refused).toMatchObject({ code: 2 });
        expect((refused as { stderr: string }).stderr).toMatch(/answered 401 unauthorized/);
        // A server on the system clock refuses to move it: the command says why and ends (status
        // 2) — also while its progress line is polling (the demo's effects fall due by then).
        const systemFolder = mkdtempSync(join(tmpdir(), 'keiyaku-cli-system-'));
        const onSystemClock = await spawnServer({ KEIYAKU_DATA: systemFolder, KEIYAKU_SEED: 'demo' });
        try {
          const serverNow = Date.parse((await onSystemClock.api('GET', '/v1/clock')).body.now as string);
          const twoYearsOn = new Date(serverNow + 2 * 366 * 86_400_000).toISOString();
          const refusedClock = await keiyaku(['catch-up'], { KEIYAKU_DATA: systemFolder, KEIYAKU_TEST_CLOCK: twoYearsOn }).catch((err: { code: number; stderr: string }) => err);
          expect(refusedClock).toMatchObject({ code: 2 });
          expect((refusedClock as { stderr: string }).stderr).toMatch(/answered 409 test_clock_disabled/);
          expect((await onSystemClock.api('GET', '/v1/effects?limit=1')).body.counts.done ?? 0).toBe(0);
        } finally {
          await onSystemClock.kill();
          rmSync(systemFolder, { recursive: true, force: true });
        }
        // A folder whose (live) holder names an address where nothing answers: said so, status 2.
        const orphan = mkdtempSync(join(tmpdir(), 'keiyaku-cli-orphan-'));
        try {
          writeFileSync(join(orphan, 'keiyaku.lock'), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), url: 'http://127.0.0.1:9' }));
          const silent = await keiyaku(['effects'], { KEIYAKU_DATA: orphan }).catch((err: { code: number; stderr: string }) => err);
          expect(silent).toMatchObject({ code: 2 });
          expect((silent as { stderr: string }).stderr).toMatch(/the server at http:\/\/127\.0\.0\.1:9 did not answer \(connect ECONNREFUSED/);
        } finally {
          rmSync(orphan, { recursive: true, force: true });
        }
      }
      // import beside the running server: through its API on PGlite; the server sees the account.
      const dir = mkdtempSync(join(tmpdir(), 'keiyaku-import-live-'));
      try {
        const file = join(dir, 'accounts.jsonl');
        writeFileSync(file, '{"email":"live-import@cli.example.jp","name":"Live import","product":"premium","contract":{"planId":"plan-10","term":"P1Y","startDate":"2027-01-01","paymentMethod":"card"}}\n');
        const imported = await keiyaku(['import', file], later);
        expect(imported.stderr).toMatch(through);
        expect(imported.stdout).toMatch(/: 1 imported, 0 skipped/);
        const found = (await server.api('GET', '/v1/accounts?email=live-import%40cli.example.jp')).body.accounts as Array<{ id: string }>;
        expect(found).toHaveLength(1);
        // (On PostgreSQL the server's own test clock stayed at the start: the state on the command's day.)
        expect((await server.api('GET', `/v1/accounts/${found[0]!.id}/state?at=2027-04-01`)).body.plan.id).toBe('plan-10');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await server.kill();
      await database?.drop();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
