/** Contracts: cancellation by the operator (SPEC P5). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { cancelContract } from '../../app/cancel-contract.js';
import { setRenewalChoice } from '../../app/contract-renewal.js';
import { requireAccountAccess, requireOperator } from '../auth.js';
import { command } from '../reply.js';
import { moneySchema, problems } from '../schemas.js';

export function contractRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/accounts/:id/contracts/:contractId/cancel',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['contracts'],
        summary: 'Cancel a contract now, on the customer’s behalf (operator; SPEC P5), with an optional refund as a credit note',
        params: z.object({ id: z.string().min(1).max(100), contractId: z.string().min(1).max(100) }),
        body: z.object({
          reason: z.string().trim().min(1).max(1000),
          refund: z.object({ amount: z.int().min(0).max(1_000_000_000).describe('tax-included yen') }).optional(),
          voidUnpaid: z.boolean().optional().describe("void the contract's invoices on which nothing was paid, each by a credit note reversing it (default false: they stay due)"),
        }),
        response: {
          200: z.object({
            contractId: z.string(),
            cancelledFrom: z.string(),
            reason: z.string(),
            refund: z.object({ creditNoteId: z.string(), number: z.string(), amount: moneySchema }).nullable(),
            voided: z.array(z.object({ invoiceId: z.string(), number: z.string(), creditNoteId: z.string(), creditNoteNumber: z.string(), total: z.int() })),
          }),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const { id, contractId } = request.params;
      return command(ctx, request, reply, 200, (trx) => cancelContract(ctx, trx, request.actor!, { accountId: id, contractId, reason: request.body.reason, refundTotal: request.body.refund?.amount, voidUnpaid: request.body.voidUnpaid }));
    },
  );

  app.post(
    '/v1/accounts/:id/contracts/:contractId/renewal',
    {
      schema: {
        tags: ['contracts'],
        summary: 'Choose whether the contract renews at its end or returns to the free plan',
        params: z.object({ id: z.string().min(1).max(100), contractId: z.string().min(1).max(100) }),
        body: z.object({ renewal: z.enum(['renew', 'to-free']) }),
        response: { 200: z.object({ contractId: z.string(), renewal: z.enum(['renew', 'to-free']), end: z.string() }), ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      const { id, contractId } = request.params;
      return command(ctx, request, reply, 200, (trx) => setRenewalChoice(ctx, trx, actor, { accountId: id, contractId, renewal: request.body.renewal }));
    },
  );
}
