/**
 * Browser tests: a real Keiyaku server listening on a free port (test clock; PGlite in memory, or
 * a fresh database on KEIYAKU_TEST_DATABASE_URL), the built web app, and Debian's Chromium
 * driven by playwright-core. Screenshots go to test-results/screenshots/<name>.png.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { Running } from '../../src/boot.js';
import { start } from '../../src/boot.js';
import { loadConfig } from '../../src/config.js';
import { expect } from 'vitest';
import { createTestDatabase, email, memorySnapshot } from '../support/harness.js';

export { email };
export const OPERATOR_KEY = 'e2e-operator-key-0123456789';
/** Where screenshots go: KEIYAKU_SCREENSHOTS (relative to the project) or test-results/screenshots. */
export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', process.env.KEIYAKU_SCREENSHOTS ?? join('test-results', 'screenshots'));
export const CHROMIUM = process.env.KEIYAKU_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ApiResult {
  status: number;
  body: any;
}

export interface E2E {
  url: string;
  running: Running;
  browser: Browser;
  /** Calls the API over HTTP as the operator (or with `token`). */
  api(method: string, path: string, body?: unknown, opts?: { token?: string; lang?: 'ja' | 'en' }): Promise<ApiResult>;
  /** Like api() but fails loudly unless the status is 2xx; returns the body. */
  ok(method: string, path: string, body?: unknown): Promise<any>;
  /** Sets the test clock forward (runs the scheduled effects due by then). */
  setClock(instant: string): Promise<void>;
  /** Creates an account (owner email generated) and returns its id. */
  newAccount(product: string, extra?: Record<string, unknown>): Promise<string>;
  /** A portal session for the account, as the link a customer opens. */
  portalLink(accountId: string): Promise<string>;
  /** A fresh browser page (own cookies and storage) in a language and a viewport. */
  newPage(opts?: { locale?: string; mobile?: boolean }): Promise<Page>;
  /** Opens the portal for the account in a fresh page and waits for the contract screen. */
  openPortal(accountId: string, opts?: { locale?: string; mobile?: boolean }): Promise<Page>;
  /** Opens a console page (Japanese browser) straight at `path`, signing in with the operator key on the way. */
  openConsole(path: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Waits until the element's text is `expected` (a string: equal; a RegExp: matching), as a
 * person would wait for the screen to settle; fails with what the screen shows instead.
 */
export async function expectText(locator: Locator, expected: string | RegExp, timeout = 10_000): Promise<void> {
  const deadline = performance.now() + timeout;
  let shown = '';
  for (;;) {
    shown = (await locator.textContent({ timeout }).catch(() => null)) ?? '(not on the screen)';
    if (typeof expected === 'string' ? shown === expected : expected.test(shown)) return;
    if (performance.now() > deadline) throw new Error(`expected ${typeof expected === 'string' ? JSON.stringify(expected) : String(expected)}, but the screen shows ${JSON.stringify(shown)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A RegExp matching text that contains `part` literally. */
export function containing(part: string): RegExp {
  return new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Full-page screenshot kept as a test artifact: test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Starts a server at `clock` (an instant such as 2026-07-01T09:00:00+09:00) and a browser.
 * `seed: true` creates the demo accounts of `npm start`.
 */
export async function startE2E(opts: { clock: string; seed?: boolean }): Promise<E2E> {
  const database = await createTestDatabase();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    KEIYAKU_DATA: 'memory',
    KEIYAKU_OPERATOR_KEY: OPERATOR_KEY,
    KEIYAKU_SEED: opts.seed ? 'demo' : 'none',
    KEIYAKU_LOG: 'silent',
    KEIYAKU_TEST_CLOCK: opts.clock,
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const running = await start(config, { listen: true, snapshot: memorySnapshot() });
  const url = running.url.replace('localhost', '127.0.0.1');
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (err) {
    await running.stop();
    await database?.drop();
    throw new Error(`Cannot launch Chromium at ${CHROMIUM} (apt-get install -y chromium): ${(err as Error).message}`);
  }
  const contexts: BrowserContext[] = [];

  async function api(method: string, path: string, body?: unknown, o: { token?: string; lang?: 'ja' | 'en' } = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? OPERATOR_KEY}`, 'accept-language': o.lang ?? 'en' };
    if (method !== 'GET') headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body ?? {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  }
  async function ok(method: string, path: string, body?: unknown): Promise<any> {
    const res = await api(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path} ${JSON.stringify(body ?? null)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  async function newPage(o: { locale?: string; mobile?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      locale: o.locale ?? 'ja-JP',
      timezoneId: process.env.TZ && process.env.TZ !== 'UTC' ? process.env.TZ : 'UTC',
      viewport: o.mobile ? { width: 390, height: 844 } : { width: 1100, height: 900 },
      deviceScaleFactor: 1,
      isMobile: !!o.mobile,
      hasTouch: !!o.mobile,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // An error in the page fails loudly in the test output rather than as a blank screen.
    page.on('pageerror', (err) => process.stderr.write(`[browser] page error: ${err.message}\n`));
    return page;
  }
  async function portalLink(accountId: string): Promise<string> {
    const session = await ok('POST', `/v1/accounts/${accountId}/portal-sessions`, {});
    return `${url}/portal#token=${encodeURIComponent(session.token)}`;
  }
  return {
    url,
    running,
    browser,
    api,
    ok,
    async setClock(instant) {
      await ok('POST', '/v1/clock', { now: instant });
    },
    async newAccount(product, extra = {}) {
      const account = await ok('POST', '/v1/accounts', { email: email(product), name: `${product} customer`, product, ...extra });
      return account.id as string;
    },
    portalLink,
    newPage,
    async openPortal(accountId, o = {}) {
      const page = await newPage(o);
      await page.goto(await portalLink(accountId));
      try {
        await page.getByTestId('contract-info').waitFor();
      } catch (err) {
        // Say what the screen showed instead (an error message, a blank page).
        const shown = await page.locator('body').innerText().catch(() => '(no page)');
        throw new Error(`the portal did not show the contract information; it shows:\n${shown}\n${(err as Error).message}`);
      }
      return page;
    },
    async openConsole(path) {
      const page = await newPage();
      await page.goto(`${url}${path}`);
      await page.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
      await page.getByRole('button', { name: 'サインイン' }).click();
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await running.stop();
      await database?.drop();
    },
  };
}

/** Nothing is wider than the screen (a phone of 390 px): no sideways scrolling. */
export async function noOverflow(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

/**
 * The error a form shows under a field, waited for, after checking it is tied to the field's
 * control (`aria-describedby`) and marks it invalid (`aria-invalid`): what a screen reader says too.
 */
export async function fieldError(page: Page, name: string, label: string): Promise<string> {
  const error = page.getByTestId(`error-${name}`);
  await error.waitFor();
  const control = page.getByLabel(label, { exact: true });
  expect(((await control.getAttribute('aria-describedby')) ?? '').split(' ')).toContain(await error.getAttribute('id'));
  expect(await control.getAttribute('aria-invalid')).toBe('true');
  return (await error.textContent()) ?? '';
}
