/** Request and response schemas shared by the routes; they also write the OpenAPI document. */
import { z } from 'zod';
import { PAYMENT_METHODS, TERMS } from '../domain/catalog.js';

/** A business date: `YYYY-MM-DD`, a real calendar date (2026-02-30 is refused). */
export const dateSchema = z.iso.date();
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
