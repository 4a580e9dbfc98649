/** Request and response schemas shared by the routes; they also write the OpenAPI document. */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { PAYMENT_METHODS, TERMS } from '../domain/catalog.js';
import { CALENDAR_YEARS } from '../domain/calendar.js';

/** A business date: `YYYY-MM-DD`, a real calendar date (2026-02-30 is refused). */
export const dateSchema = z.iso.date();

const inCalendarYears = (year: number) => year >= CALENDAR_YEARS.first && year <= CALENDAR_YEARS.last;
const CALENDAR_RANGE = `${CALENDAR_YEARS.first}-01-01 to ${CALENDAR_YEARS.last}-12-31 (the years of the Japanese holiday calendar, which due dates need)`;

/**
 * A business date a request names: a real calendar date within the years of the business
 * calendar (answers may hold later ones: a term that ends after 2050).
 */
export const requestDateSchema = dateSchema.refine((v) => !/^\d{4}-\d\d-\d\d$/.test(v) || inCalendarYears(Number(v.slice(0, 4))), `a date from ${CALENDAR_RANGE}`);

/**
 * An instant a request names, `2027-04-01T00:30:00+09:00`: a real one (no hour 25, no February
 * 30th, an offset within ±23:59), within the years of the business calendar.
 */
export function requestInstantSchema(example = '2027-04-01T00:30:00+09:00') {
  return z.iso
    .datetime({ offset: true, message: `an instant such as ${example}` })
    .refine((v) => {
      let year: number;
      try {
        year = Temporal.Instant.from(v).toZonedDateTimeISO('UTC').year;
      } catch {
        return true; // not a real instant: the format's own message says so
      }
      return inCalendarYears(year);
    }, `an instant from ${CALENDAR_RANGE}`);
}

export const moneySchema = z.object({ subtotal: z.int(), tax: z.int(), total: z.int(), currency: z.literal('JPY') });
export const paymentMethodSchema = z.enum(PAYMENT_METHODS);
export const termSchema = z.enum(TERMS);
export const idParams = z.object({ id: z.string().min(1).max(100) });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('application/problem+json (RFC 9457); `code` is listed in docs/errors.md');

/** Problem responses a route can give, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemSchema]));
}

export const noteSchema = z.looseObject({ code: z.string(), message: z.string() });

export const lineSchema = z.object({ description: z.string(), descriptionJa: z.string().optional(), quantity: z.number(), unitPrice: z.int(), amount: z.int(), taxRate: z.number() });
export const taxBreakdownSchema = z.array(z.object({ rate: z.number(), taxable: z.int(), tax: z.int() }));
export const periodSchema = z.object({ start: dateSchema, end: dateSchema });
