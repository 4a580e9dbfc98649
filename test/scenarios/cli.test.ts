/**
 * The `keiyaku` command (docs/operations.md): `catch-up` runs what fell due while nothing was
 * running, with progress on stderr; `effects` only counts. G3: each effect once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/boot.js';
import { createTestDatabase, DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';
import { CLI_ARGS } from '../support/process.js';

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
    expect(caught.stdout).toMatch(/^caught up to 2027-03-31T15:30:00Z in \d+ ms; effects: /);
    expect(caught.stderr).toMatch(/running due effects: 24\/24 \(100%\)/);
    const after = JSON.parse((await keiyaku(['effects'], {})).stdout) as Record<string, number>;
    // 12 renewals (their new overdue effects and next term ends are not due yet) and 12 overdue invoices.
    expect(after).toEqual({ done: 24, pending: 24 });

    const again = await keiyaku(['catch-up'], later);
    expect(again.stderr).not.toMatch(/running due effects/);
    expect(JSON.parse((await keiyaku(['effects'], {})).stdout)).toEqual({ done: 24, pending: 24 });
  }, 180_000);

  it('an unknown command says so and shows the commands', async () => {
    const failed = await keiyaku(['renew-all'], {}).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('unknown command "renew-all"');
    expect((failed as { stderr: string }).stderr).toContain('catch-up');
  });
});
