/** Starting Keiyaku as `npm start` does: the data folder lock, a bad catalog, bad settings, restarts. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPERATOR_KEY } from '../support/harness.js';
import { runToExit, spawnServer } from '../support/process.js';

const folders: string[] = [];
function folder(tag: string): string {
  const f = mkdtempSync(join(tmpdir(), `keiyaku-${tag}-`));
  folders.push(f);
  return f;
}
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('the embedded database folder', () => {
  it('a second process on the same folder stops with a message naming the running one; the first keeps serving', { timeout: 120_000 }, async () => {
    const data = folder('lock');
    const first = await spawnServer({ KEIYAKU_DATA: data, KEIYAKU_SEED: 'demo' });
    try {
      const second = await runToExit({ KEIYAKU_DATA: data });
      expect(second.code).toBe(2);
      expect(second.output).toContain(`pid ${first.child.pid}`);
      expect(second.output).toContain(first.url);
      expect(second.output).toContain('in use by another Keiyaku process');
      expect((await first.api('GET', '/health')).body).toEqual({ status: 'ok' });
      // Demo accounts were created on first start.
      const demo = (await first.api('GET', '/v1/accounts')).body.accounts as Array<{ id: string; email: string }>;
      expect(demo.length).toBeGreaterThanOrEqual(3);
      // Their invoices render as PDFs in this process's render workers (build/pdf-worker.mjs).
      const owner = demo.find((a) => a.email === 'owner@teamspace.example')!;
      const invoice = (await first.api('GET', `/v1/accounts/${owner.id}/invoices`)).body.invoices[0];
      const pdf = await fetch(`${first.url}/v1/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(5_000);
    } finally {
      await first.kill();
    }
    // After a clean stop the folder is free again, the data is kept and no demo is added twice.
    const again = await spawnServer({ KEIYAKU_DATA: data, KEIYAKU_SEED: 'demo' });
    try {
      const accounts = (await again.api('GET', '/v1/accounts')).body.accounts;
      expect(accounts.map((a: { email: string }) => a.email).sort()).toEqual(['editor@ebook5.example', 'free@teamspace.example', 'hanako@premium.example', 'owner@teamspace.example']);
    } finally {
      await again.kill('SIGKILL');
    }
    // A holder killed with SIGKILL leaves its lock behind; the next start takes it over.
    const third = await spawnServer({ KEIYAKU_DATA: data });
    expect((await third.api('GET', '/health')).status).toBe(200);
    await third.kill();
  });

  it('dev mode generates an operator key, prints it and keeps it in the data folder', { timeout: 60_000 }, async () => {
    const data = folder('key');
    const server = await spawnServer({ KEIYAKU_DATA: data, KEIYAKU_OPERATOR_KEY: '' });
    try {
      const key = readFileSync(join(data, 'operator-key'), 'utf8').trim();
      expect(server.stdout()).toContain(key);
      const res = await fetch(`${server.url}/v1/accounts`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
    } finally {
      await server.kill();
    }
  });
});

describe('start-up refuses bad configuration with the field to fix', () => {
  it('§2: an invalid catalog stops the start and names the bad field', { timeout: 60_000 }, async () => {
    const dir = folder('catalog');
    const catalog = JSON.parse(readFileSync(join(process.cwd(), 'catalog', 'sample.json'), 'utf8'));
    catalog.products[0].plans[1].price.amount = -5;
    catalog.products[2].plans[0].terms = ['P2M'];
    const file = join(dir, 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    const result = await runToExit({ KEIYAKU_DATA: 'memory', KEIYAKU_CATALOG: file });
    expect(result.code).toBe(2);
    expect(result.output).toContain('products.0.plans.1.price.amount');
    expect(result.output).toContain('products.2.plans.0.terms.0');
  });

  it('bad settings stop the start with what to fix', { timeout: 60_000 }, async () => {
    const result = await runToExit({ KEIYAKU_DATA: 'memory', KEIYAKU_REGISTRATION_NUMBER: 'T123', KEIYAKU_TEST_CLOCK: 'yesterday', KEIYAKU_PROCESSES: 'many', KEIYAKU_DB_POOL: '1', KEIYAKU_ORDER_LANES: '0' });
    expect(result.code).toBe(2);
    expect(result.output).toContain('KEIYAKU_REGISTRATION_NUMBER: T followed by 13 digits');
    expect(result.output).toContain('KEIYAKU_TEST_CLOCK');
    expect(result.output).toContain('KEIYAKU_PROCESSES: a number of processes from 1 to 64, or auto');
    expect(result.output).toContain('KEIYAKU_DB_POOL: at least 2 connections');
    expect(result.output).toContain('KEIYAKU_ORDER_LANES: a number of groups from 1 to 16, or auto');
    // A test clock past the holiday data stops the start with the range, not a stack trace from the demo seed.
    const far = await runToExit({ KEIYAKU_DATA: 'memory', KEIYAKU_TEST_CLOCK: '2051-01-01T00:00:00Z' });
    expect(far.code).toBe(2);
    expect(far.output).toContain('KEIYAKU_TEST_CLOCK: a real instant from 1970-01-01T00:00:00+09:00 to 2050-11-30T23:59:59+09:00');
    expect(far.output).not.toContain('RangeError');
  });

  it('flags mirror the settings and win over the environment; --help lists them; an unknown flag stops the start', { timeout: 90_000 }, async () => {
    const help = await runToExit({ KEIYAKU_DATA: 'memory' }, 60_000, ['--help']);
    expect(help.code).toBe(0);
    expect(help.output).not.toContain('Keiyaku is serving');
    expect(help.output).toMatch(/--data <value> +KEIYAKU_DATA +\.\/data/);
    expect(help.output).toMatch(/--database-url <value> +DATABASE_URL/);
    expect(help.output).toMatch(/--port <value> +PORT +3000/);

    const unknown = await runToExit({ KEIYAKU_DATA: 'memory' }, 60_000, ['--verbose']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain("Unknown option '--verbose'");
    expect(unknown.output).toContain('npm start -- --help');
    const bad = await runToExit({ KEIYAKU_DATA: 'memory' }, 60_000, ['--db-pool', '1']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('KEIYAKU_DB_POOL: at least 2 connections');

    // The environment names a folder, the flag says memory: the flag wins, the folder stays empty.
    const data = folder('flags');
    const server = await spawnServer({ KEIYAKU_DATA: data }, 60_000, ['--data', 'memory', '--seed=demo']);
    try {
      expect(server.stdout()).toContain('in-memory embedded database');
      const accounts = (await server.api('GET', '/v1/accounts')).body.accounts;
      expect(accounts.length).toBe(4);
    } finally {
      await server.kill();
    }
    expect(readdirSync(data)).toEqual([]);
  });
});
