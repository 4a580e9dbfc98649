/** What every use case works with: the store, the catalog, the clock and the vendor's settings. */
import { randomUUID } from 'node:crypto';
import type { Temporal } from 'temporal-polyfill';
import type { Clock } from '../clock.js';
import { businessDate } from '../clock.js';
import type { BusinessCalendar } from '../domain/calendar.js';
import type { Catalog } from '../domain/catalog.js';
import type { Db } from '../store/db.js';
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import type { PaymentProvider } from './payment-provider.js';

/** The handle of one transaction: use cases that change facts run inside one. */
export type Tx = Transaction<Database>;

export interface VendorSettings {
  /** The vendor's time zone: business dates are calendar dates there (G1). */
  timeZone: string;
  issuerName: string;
  /** Qualified-invoice registration number, `T` + 13 digits. */
  registrationNumber: string;
  businessCalendar: BusinessCalendar;
  portalSessionMinutes: number;
  /** Where customers open the portal (`KEIYAKU_PUBLIC_URL`, else the address the server listens at): mailed sign-in links point there. */
  publicUrl?: string | undefined;
  /** Where customers pay by transfer: printed on invoices (SPEC §6). */
  bankAccount: string;
  /** The largest bank fee (振込手数料) the vendor bears on a short transfer, yen. */
  bankFeeAllowance: number;
  /** Effects run per scheduler transaction. */
  schedulerBatch: number;
  /** Scheduler batches run at once (on a database server; the embedded database has one connection). */
  schedulerParallel?: number;
}

/** How a process places concurrent orders in groups (order-groups.ts). */
export interface OrderGroupSettings {
  /** Groups placed at once by this process (each holds one pool connection while it runs). */
  lanes: number;
  /** Orders a group at most. */
  maxSize: number;
}

export interface AppContext {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly settings: VendorSettings;
  /** Card and PayPal payments go through it; the sandbox provider when none is configured. */
  readonly paymentProvider?: PaymentProvider;
  /** How concurrent orders are placed in groups (order-groups.ts); its defaults when absent. */
  readonly orderGroups?: OrderGroupSettings;
}

/** Who acts: recorded on every audit event (G5). */
export type Actor = { kind: 'operator' } | { kind: 'customer'; accountId: string } | { kind: 'system'; name: string };

export function actorName(actor: Actor): string {
  return actor.kind === 'operator' ? 'operator' : actor.kind === 'customer' ? `customer:${actor.accountId}` : `system:${actor.name}`;
}

/** A new opaque id with a readable prefix (`acc_…`, `ord_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

export function nowInstant(ctx: AppContext): Temporal.Instant {
  return ctx.clock.now();
}

/**
 * Now as an RFC 3339 string with milliseconds — the same form the database gives back, so an
 * object read after it was written is equal to the one returned when it was written.
 */
export function nowIso(ctx: AppContext): string {
  return isoInstant(ctx.clock.now());
}

export function isoInstant(i: Temporal.Instant): string {
  // The same text as `i.toString({ fractionalSecondDigits: 3 })` (UTC, milliseconds), ~50× cheaper.
  return new Date(i.epochMilliseconds).toISOString();
}

export function today(ctx: AppContext): Temporal.PlainDate {
  return businessDate(ctx.clock.now(), ctx.settings.timeZone);
}
