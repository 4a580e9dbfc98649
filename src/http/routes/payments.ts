/** Payments: the operator reconciles transfers; customers pay by card or PayPal (SPEC §6). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { payInvoice, recordPayment, remindInvoice } from '../../app/payments.js';
import type { PaymentOutcome } from '../../app/payments.js';
import { accountScope, requireActor, requireOperator } from '../auth.js';
import { command } from '../reply.js';
import { dateSchema, idParams, problems, requestDateSchema } from '../schemas.js';

const yen = z.int().min(1).max(1_000_000_000_000).describe('yen');
const paymentSchema = z.object({
  id: z.string(),
  invoiceId: z.string(),
  transferId: z.string(),
  amount: z.int(),
  bankFee: z.int(),
  method: z.enum(['bank-transfer', 'card', 'paypal']),
  paidOn: dateSchema,
  reference: z.string().nullable(),
  provider: z.string().nullable(),
  providerRef: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
const paidInvoiceSchema = z.looseObject({ id: z.string(), number: z.string(), status: z.enum(['open', 'paid', 'overdue']), paidAmount: z.int(), balance: z.int() });
const bankFee = z.int().min(0).max(1_000_000).optional().describe('yen the bank kept from the transfer; settles the invoice when received + fee = balance and fee ≤ the allowance');
const reference = z.string().trim().min(1).max(200).optional().describe("the bank statement's line, the payer's name…");

/** One invoice's payment: the API.md shape `{payment, invoice}`. */
const single = (o: PaymentOutcome) => ({ payment: o.payments[0]!, invoice: o.invoices[0]! });

export function paymentRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/invoices/:id/payments',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['payments'],
        summary: 'Record a payment received against an invoice (operator): partial, or short by the bank fee',
        params: idParams,
        body: z.object({ amount: yen, method: z.enum(['bank-transfer', 'card', 'paypal']), paidOn: requestDateSchema, bankFee, reference }),
        response: { 201: z.object({ payment: paymentSchema, invoice: paidInvoiceSchema }), ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const b = request.body;
      return command(ctx, request, reply, 201, (trx) => recordPayment(ctx, trx, request.actor!, { invoiceIds: [request.params.id], ...b }), single);
    },
  );

  app.post(
    '/v1/payments',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['payments'],
        summary: "Record one bank transfer that pays several of an account's invoices (operator): applied oldest due date first",
        body: z.object({
          invoiceIds: z.array(z.string().min(1).max(100)).min(1).max(100),
          amount: yen,
          method: z.enum(['bank-transfer', 'card', 'paypal']).default('bank-transfer'),
          paidOn: requestDateSchema,
          bankFee,
          reference,
        }),
        response: { 201: z.object({ transferId: z.string(), payments: z.array(paymentSchema), invoices: z.array(paidInvoiceSchema) }), ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return command(ctx, request, reply, 201, (trx) => recordPayment(ctx, trx, request.actor!, request.body));
    },
  );

  app.post(
    '/v1/invoices/:id/pay',
    {
      schema: {
        tags: ['payments'],
        summary: "Pay an invoice's balance by card or PayPal through the payment provider (the customer, or the operator for them)",
        params: idParams,
        body: z.object({ method: z.enum(['card', 'paypal']), token: z.string().min(1).max(500).optional().describe("the provider's card or PayPal token; the sandbox declines tok_decline") }),
        response: { 201: z.object({ payment: paymentSchema, invoice: paidInvoiceSchema }), ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      return command(ctx, request, reply, 201, (trx) => payInvoice(ctx, trx, actor, request.params.id, request.body, accountScope(actor)), single);
    },
  );

  app.post(
    '/v1/invoices/:id/reminders',
    {
      config: { operatorOnly: true },
      schema: {
        tags: ['payments'],
        summary: 'Remind the customer of an unpaid invoice (operator): a payment-reminder notice with the invoice PDF attached; once a day an invoice',
        params: idParams,
        response: {
          201: z.object({ invoiceId: z.string(), number: z.string(), status: z.enum(['open', 'overdue']), balance: z.int(), sentTo: z.string(), sentOn: dateSchema }),
          ...problems(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return command(ctx, request, reply, 201, (trx) => remindInvoice(ctx, trx, request.actor!, request.params.id));
    },
  );
}
