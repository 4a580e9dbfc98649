/**
 * The composition root: config → store → app → http → scheduler. `main.ts` calls it for
 * `npm start`; tests call it in-process.
 */
import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import type { Config } from './config.js';
import { closedDays } from './config.js';
import type { Clock } from './clock.js';
import { SystemClock, TestClock } from './clock.js';
import type { Catalog } from './domain/catalog.js';
import { parseCatalog } from './domain/catalog.js';
import type { Store } from './store/db.js';
import { openStore } from './store/db.js';
import { readSetting } from './store/settings.js';
import { DEFAULT_ORDER_GROUPS } from './app/order-groups.js';
import type { AppContext } from './app/context.js';
import { TEST_CLOCK_SETTING } from './app/clock-control.js';
import type { RunReport } from './app/scheduler.js';
import { runDueEffects } from './app/scheduler.js';
import type { NoticeDelivery } from './app/notices.js';
import { deliverDueNotices, useNoticeDelivery } from './app/notices.js';
import { smtpTransport } from './notices/smtp-transport.js';
import { startDeliveryWorker } from './notices/delivery-worker.js';
import { startStateCache } from './app/state-cache.js';
import { seedDemo } from './app/seed-demo.js';
import { buildServer, closeServer } from './http/server.js';
import type { LogStream } from './http/server.js';

import { PROJECT_ROOT } from './paths.js';
import { DEFAULT_CATALOG } from './start-args.js';
import { generatedOperatorKey, onPrimaryMessage, processCount, processRole, tellPrimary } from './cluster.js';
import { sharePdfPool } from './documents/pdf-pool.js';

export { PROJECT_ROOT };

/** Reads and validates the catalog file; an invalid one stops the start with the bad field's path. */
export function loadCatalogFile(path: string): Catalog {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the catalog ${path}: ${(err as Error).message}`);
  }
  return parseCatalog(data);
}

/**
 * Order groups a process places at once (issue 8): on two cores two groups in all did most
 * (docs/performance.md), so `auto` shares the cores among the server processes; at least one
 * connection of the pool is left to the other requests.
 */
function orderLanes(config: Config): number {
  const lanes = config.KEIYAKU_ORDER_LANES === 'auto' ? Math.max(1, Math.round(availableParallelism() / processCount())) : config.KEIYAKU_ORDER_LANES;
  return Math.max(1, Math.min(lanes, config.KEIYAKU_DB_POOL - 1));
}

export interface Running {
  server: FastifyInstance;
  store: Store;
  ctx: AppContext;
  url: string;
  operatorKey: string;
  operatorKeyGenerated: boolean;
  seeded: string[];
  /** What the catch-up at start ran (none when the start runs no background work). */
  caughtUp: RunReport;
  stop(): Promise<void>;
}

function operatorKeyFor(config: Config): { key: string; generated: boolean } {
  if (config.KEIYAKU_OPERATOR_KEY) return { key: config.KEIYAKU_OPERATOR_KEY, generated: false };
  const shared = generatedOperatorKey();
  if (shared) return { key: shared, generated: true };
  // Dev mode: a generated key, kept in the data folder so it survives restarts.
  const file = config.DATABASE_URL || config.KEIYAKU_DATA === 'memory' ? null : join(config.KEIYAKU_DATA, 'operator-key');
  if (file && existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), generated: true };
  const key = `kyo_${randomBytes(24).toString('base64url')}`;
  if (file) writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, generated: true };
}

export async function start(
  config: Config,
  opts: {
    listen?: boolean;
    logStream?: LogStream;
    /** The catch-up's progress: effects run so far, of `total` counted at its start (or more); `ctx` to count what is due meanwhile. */
    onCatchUp?: (report: RunReport, total: number, ctx: AppContext) => void;
    snapshot?: Blob;
    /** Run the scheduler (the catch-up at start, then its passes) and the mail worker; default true. A command that only imports does not, nor a follower of several server processes (src/cluster.ts). */
    background?: boolean;
  } = {},
): Promise<Running> {
  const catalog = loadCatalogFile(config.KEIYAKU_CATALOG ?? DEFAULT_CATALOG);
  const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.KEIYAKU_DATA, snapshot: opts.snapshot, poolSize: config.KEIYAKU_DB_POOL });
  let stateCache: { stop(): Promise<void> } | undefined;
  let built: FastifyInstance | undefined;
  try {
    let clock: Clock = new SystemClock();
    if (config.KEIYAKU_TEST_CLOCK) {
      // A restarted test clock resumes where it was set, never earlier (G3: effects ran once).
      const stored = (await readSetting(store.db, TEST_CLOCK_SETTING)) as string | undefined;
      let at = Temporal.Instant.from(config.KEIYAKU_TEST_CLOCK);
      if (stored && Temporal.Instant.compare(Temporal.Instant.from(stored), at) > 0) at = Temporal.Instant.from(stored);
      const testClock = new TestClock(at);
      if (processRole()) {
        // One of several server processes: a move made through one is followed by the others.
        testClock.onSet = (to) => tellPrimary({ type: 'keiyaku:clock', now: to.toString() });
        onPrimaryMessage((message) => {
          if (message.type === 'keiyaku:clock') testClock.follow(Temporal.Instant.from(message.now));
        });
      }
      clock = testClock;
    }
    const ctx: AppContext = {
      db: store.db,
      catalog,
      clock,
      settings: {
        timeZone: config.KEIYAKU_TIME_ZONE,
        issuerName: config.KEIYAKU_ISSUER_NAME,
        registrationNumber: config.KEIYAKU_REGISTRATION_NUMBER,
        businessCalendar: { closedDays: closedDays(config.KEIYAKU_CLOSED_DAYS) },
        portalSessionMinutes: config.KEIYAKU_PORTAL_SESSION_MINUTES,
        publicUrl: config.KEIYAKU_PUBLIC_URL,
        bankAccount: config.KEIYAKU_BANK_ACCOUNT,
        bankFeeAllowance: config.KEIYAKU_BANK_FEE_ALLOWANCE,
        schedulerBatch: config.KEIYAKU_SCHEDULER_BATCH,
        // At least one connection of the pool is left to the requests.
        schedulerParallel: config.DATABASE_URL ? Math.min(config.KEIYAKU_SCHEDULER_CONNECTIONS, config.KEIYAKU_DB_POOL - 1) : 1,
      },
      // Concurrent orders in groups (issue 8); the embedded database runs one transaction at a time.
      orderGroups: { ...DEFAULT_ORDER_GROUPS, lanes: config.DATABASE_URL ? orderLanes(config) : 1 },
    };
    // Entitlement checks and member reads from memory, invalidated by every write (issue 8).
    stateCache = await startStateCache(store);
    const { key, generated } = operatorKeyFor(config);
    // Notices by mail when SMTP_URL is set (docs/notices.md); set before the catch-up so its notices are mailed too.
    const delivery: NoticeDelivery | undefined =
      config.SMTP_URL && config.KEIYAKU_MAIL_FROM
        ? { transport: smtpTransport(config.SMTP_URL), from: config.KEIYAKU_MAIL_FROM, maxAttempts: config.KEIYAKU_MAIL_MAX_ATTEMPTS, retrySeconds: config.KEIYAKU_MAIL_RETRY_SECONDS, batch: 20, leaseSeconds: 300 }
        : undefined;
    if (delivery) useNoticeDelivery(ctx, delivery);
    // Of several server processes each renders PDFs on its share of the cores.
    if (processRole()) sharePdfPool(processCount());
    // Of several server processes, the lead alone seeds and runs the background work; the others only serve.
    const follower = processRole() === 'follower';
    const seeded = config.KEIYAKU_SEED === 'demo' && !follower ? await seedDemo(ctx) : [];
    // Catch up on whatever fell due while the server was down (G3). Planner statistics are
    // refreshed first only for a long catch-up; otherwise the first periodic run does it, after
    // the server is up (a never-analyzed embedded database of 30,000 accounts takes ~2 s).
    const background = opts.background !== false && !follower;
    const onCatchUp = opts.onCatchUp;
    const caughtUp = background ? await runDueEffects(ctx, clock.now(), undefined, onCatchUp && ((report, total) => onCatchUp(report, total, ctx)), { statisticsFrom: 1000 }) : { ran: 0, failed: 0 };
    const server = await buildServer(ctx, {
      operatorKey: key,
      logger: config.KEIYAKU_LOG === 'silent' ? false : { level: config.KEIYAKU_LOG, ...(opts.logStream ? { stream: opts.logStream } : {}) },
      rateLimit: { perToken: config.KEIYAKU_RATE_LIMIT },
    });
    built = server;
    let url = '';
    if (opts.listen !== false) {
      url = await server.listen({ port: config.PORT, host: config.HOST });
      store.lock?.update(url);
      ctx.settings.publicUrl ??= url;
    }
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<unknown> = Promise.resolve();
    if (background && clock.mode === 'system') {
      timer = setInterval(() => {
        running = running.then(() => runDueEffects(ctx, clock.now())).catch((err: unknown) => server.log.error({ err }, 'scheduler run failed'));
      }, config.KEIYAKU_SCHEDULER_SECONDS * 1000);
      timer.unref();
    }
    const mailer =
      delivery && background
        ? startDeliveryWorker({ pass: (signal) => deliverDueNotices(ctx, delivery, signal), batch: delivery.batch, pollMs: config.KEIYAKU_MAIL_POLL_MS, onError: (err) => server.log.error({ err }, 'notice delivery failed') })
        : undefined;
    if (delivery && mailer) delivery.wake = () => mailer.wake();
    return {
      server,
      store,
      ctx,
      url,
      operatorKey: key,
      operatorKeyGenerated: generated,
      seeded,
      caughtUp,
      async stop() {
        if (timer) clearInterval(timer);
        // The server first stops taking requests (those arriving get 503 shutting_down) and answers
        // those it has (src/http/server.ts, closeServer); the database closes only after both.
        const closing = closeServer(server);
        await running;
        await mailer?.stop();
        delivery?.transport.close();
        await closing;
        await stateCache?.stop();
        await store.close();
      },
    };
  } catch (err) {
    // A start that failed (the port in use, say: src/cli/start-errors.ts says so) leaves nothing open.
    await built?.close().catch(() => undefined);
    await stateCache?.stop();
    await store.close();
    throw err;
  }
}
