/** Settings from the environment (API.md "Starting"), validated with messages that say what to fix. */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { TEST_CLOCK_RANGE } from './domain/calendar.js';

/** Whether an instant the format accepts is a real one (no hour 25, no February 30th) within the test clock's range. */
function testClockInRange(v: string): boolean {
  try {
    const at = Temporal.Instant.from(v);
    return Temporal.Instant.compare(at, Temporal.Instant.from(TEST_CLOCK_RANGE.first)) >= 0 && Temporal.Instant.compare(at, Temporal.Instant.from(TEST_CLOCK_RANGE.last)) <= 0;
  } catch {
    return false;
  }
}

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  KEIYAKU_DATA: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().min(1).optional(),
  KEIYAKU_OPERATOR_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  KEIYAKU_CATALOG: z.string().min(1).optional(),
  KEIYAKU_TEST_CLOCK: z.iso
    .datetime({ offset: true, message: 'an instant such as 2022-12-01T09:00:00+09:00' })
    .refine(testClockInRange, `a real instant from ${TEST_CLOCK_RANGE.first} to ${TEST_CLOCK_RANGE.last} (the years of the Japanese holiday calendar, which due dates need)`)
    .optional(),
  KEIYAKU_TIME_ZONE: z.string().default('Asia/Tokyo'),
  KEIYAKU_ISSUER_NAME: z.string().min(1).default('Keiyaku Demo 株式会社'),
  KEIYAKU_REGISTRATION_NUMBER: z.string().regex(/^T\d{13}$/, 'T followed by 13 digits, e.g. T1234567890123').default('T1234567890123'),
  KEIYAKU_BANK_ACCOUNT: z.string().min(1).default('みずほ銀行 本店営業部 普通 1234567 ケイヤクデモ（カ'),
  KEIYAKU_BANK_FEE_ALLOWANCE: z.coerce.number().int().min(0).max(10_000).default(880),
  KEIYAKU_CLOSED_DAYS: z
    .string()
    .regex(/^(\d\d-\d\d\.\.\d\d-\d\d)?(,\d\d-\d\d\.\.\d\d-\d\d)*$/, 'ranges MM-DD..MM-DD separated by commas, e.g. 12-29..01-03')
    .default('12-29..01-03'),
  // The address customers open the portal at, for the sign-in links mailed to them (never the request's Host).
  KEIYAKU_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'the address customers reach Keiyaku at, such as https://billing.example.jp (http or https, no query)')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  KEIYAKU_PORTAL_SESSION_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(60 * 24),
  KEIYAKU_SCHEDULER_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  KEIYAKU_SCHEDULER_SECONDS: z.coerce.number().min(0.1).default(60),
  // Connections a server process keeps to a PostgreSQL server (the embedded database has one).
  KEIYAKU_DB_POOL: z.coerce.number().int('a whole number of connections from 2 to 200').min(2, 'at least 2 connections').max(200, 'at most 200 connections').default(10),
  // Batches run at once on a PostgreSQL server, of the pool's 10 connections (the embedded database has one: 1).
  KEIYAKU_SCHEDULER_CONNECTIONS: z.coerce.number().int().min(1).max(4).default(2),
  // Groups of concurrent orders a server process places at once (docs/performance.md): auto is the
  // cores shared among the server processes, at least 1; the embedded database has 1.
  KEIYAKU_ORDER_LANES: z
    .string()
    .refine((v) => v === 'auto' || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 16), 'a number of groups from 1 to 16, or auto (the cores shared among the server processes)')
    .default('auto')
    .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v))),
  // Notices by mail (docs/notices.md): without SMTP_URL the outbox row is the only record.
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+/, 'an SMTP URL such as smtp://user:pass@mail.example.jp:587 (smtps:// for TLS on connect)').optional(),
  KEIYAKU_MAIL_FROM: z.string().regex(/@[^\s>]+>?\s*$/, 'an address such as billing@example.jp or "Keiyaku" <billing@example.jp>').optional(),
  KEIYAKU_MAIL_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  KEIYAKU_MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  KEIYAKU_MAIL_RETRY_SECONDS: z.coerce.number().min(0.001).max(86_400).default(60),
  KEIYAKU_SEED: z.enum(['demo', 'none']).default('demo'),
  KEIYAKU_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  // Server processes of one `npm start` (src/cluster.ts): a number, or `auto` (one a core on PostgreSQL).
  KEIYAKU_PROCESSES: z
    .string()
    .refine((v) => v === 'auto' || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 64), 'a number of processes from 1 to 64, or auto (one a core on PostgreSQL)')
    .default('1')
    .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v))),
  KEIYAKU_LOG: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('warn'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Every setting's name, in the schema's order (`npm start -- --help` lists them; src/start-args.ts). */
export const SETTING_NAMES: readonly string[] = Object.keys(schema.shape);

/** What each setting is when the environment does not give it (undefined: unset). */
export function settingDefaults(): Record<string, unknown> {
  return schema.parse({}) as Record<string, unknown>;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const result = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) {
    throw new ConfigError(`Invalid settings:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const tz = result.data.KEIYAKU_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`Invalid settings:\n  KEIYAKU_TIME_ZONE: unknown time zone "${tz}"; use an IANA name such as Asia/Tokyo`);
  }
  if (result.data.SMTP_URL && !result.data.KEIYAKU_MAIL_FROM) {
    throw new ConfigError('Invalid settings:\n  KEIYAKU_MAIL_FROM: required with SMTP_URL, the From of every notice, e.g. billing@example.jp');
  }
  if (result.data.KEIYAKU_PROCESSES !== 'auto' && result.data.KEIYAKU_PROCESSES > 1 && !result.data.DATABASE_URL) {
    throw new ConfigError('Invalid settings:\n  KEIYAKU_PROCESSES: more than one server process needs PostgreSQL (DATABASE_URL); the embedded database is held by one process');
  }
  return result.data;
}

export function closedDays(spec: string): Array<{ from: string; to: string }> {
  return spec
    .split(',')
    .filter(Boolean)
    .map((range) => {
      const [from = '', to = ''] = range.split('..');
      return { from, to };
    });
}
