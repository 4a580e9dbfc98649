/** Orders: preview (a quote, nothing saved), place, read, list, accept, withdraw/cancel. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { acceptOrder, cancelOrder, getOrder, listOrders, previewOrder } from '../../app/orders.js';
import { runPlaceOrder } from '../../app/order-groups.js';
import { parseDate } from '../../domain/calendar.js';
import type { OrderRequest } from '../../domain/orders/decide-order.js';
import { refuse } from '../../domain/refusals.js';
import { accountScope, canSeeAccount, requireActor } from '../auth.js';
import { langOf } from '../problems.js';
import { command, commandWith, send, withMessages } from '../reply.js';
import { dateSchema, requestDateSchema, idParams, lineSchema, moneySchema, noteSchema, paymentMethodSchema, periodSchema, problems, taxBreakdownSchema, termSchema } from '../schemas.js';

const accountId = z.string().min(1).max(100);
const count = z.int().min(-1_000_000).max(1_000_000);

/** API.md order bodies, one per type. */
export const orderBodySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('new-contract'),
    accountId,
    planId: z.string().min(1).max(100),
    term: termSchema,
    startDate: requestDateSchema,
    quantity: count.optional(),
    paymentMethod: paymentMethodSchema,
    renewal: z.enum(['renew', 'to-free']).optional(),
  }),
  z.object({ type: z.literal('spot'), accountId, seats: count, startDate: requestDateSchema, months: count, agreeToTerms: z.boolean().optional(), paymentMethod: paymentMethodSchema }),
  z.object({ type: z.literal('license-addition'), accountId, seats: count, effectiveDate: requestDateSchema, paymentMethod: paymentMethodSchema }),
  z.object({ type: z.literal('plan-change'), accountId, planId: z.string().min(1).max(100).optional(), term: termSchema.optional(), paymentMethod: paymentMethodSchema.optional() }),
  z.object({ type: z.literal('upgrade'), accountId, planId: z.string().min(1).max(100), paymentMethod: paymentMethodSchema.optional() }),
  z.object({ type: z.literal('renewal'), accountId, planId: z.string().min(1).max(100), paymentMethod: paymentMethodSchema.optional() }),
]);
type OrderBody = z.infer<typeof orderBodySchema>;

function toRequest(body: OrderBody): OrderRequest {
  if (body.type === 'new-contract') return { ...body, startDate: parseDate(body.startDate) };
  if (body.type === 'spot') return { ...body, startDate: parseDate(body.startDate) };
  if (body.type === 'license-addition') return { ...body, effectiveDate: parseDate(body.effectiveDate) };
  return body;
}

const quoteSchema = z.looseObject({
  type: z.string(),
  accountId: z.string(),
  amount: moneySchema,
  lines: z.array(lineSchema),
  taxBreakdown: taxBreakdownSchema,
  period: periodSchema,
  paymentMethod: paymentMethodSchema,
  dueOn: dateSchema,
  effects: z.array(noteSchema),
  warnings: z.array(noteSchema),
});
const orderSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  status: z.enum(['placed', 'completed', 'cancelled']),
  amount: moneySchema,
  period: periodSchema,
  invoiceId: z.string().nullable(),
  dueOn: dateSchema.nullable(),
  effects: z.array(noteSchema),
  warnings: z.array(noteSchema),
  validUntil: dateSchema.nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.enum(['withdrawn', 'operator', 'lapsed']).nullable(),
});

export function orderRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/orders/preview',
    { schema: { tags: ['orders'], summary: 'The quote of an order: amount, dates, effects, warnings; nothing saved', body: orderBodySchema, response: { 200: quoteSchema, ...problems(400, 401, 404, 409, 422) } } },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      if (!canSeeAccount(actor, request.body.accountId)) return send(request, reply, refuse('account_not_found', { id: request.body.accountId }, 'accountId'));
      const quote = await previewOrder(ctx, toRequest(request.body));
      return send(request, reply, 'refused' in quote ? quote : withMessages(quote, langOf(request)));
    },
  );

  app.post(
    '/v1/orders',
    { schema: { tags: ['orders'], summary: 'Place an order', body: orderBodySchema, response: { 201: orderSchema, ...problems(400, 401, 404, 409, 422) } } },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      if (!canSeeAccount(actor, request.body.accountId)) return send(request, reply, refuse('account_not_found', { id: request.body.accountId }, 'accountId'));
      return commandWith(request, reply, 201, (idem) => runPlaceOrder(ctx, idem, actor, toRequest(request.body)), (order) => withMessages(order, langOf(request)));
    },
  );

  app.get(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Orders newest first: across accounts for the operator (e.g. ?status=placed for those waiting for acceptance); a customer sees its own account\'s',
        querystring: z.object({
          status: z.enum(['placed', 'completed', 'cancelled']).optional(),
          accountId: accountId.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ orders: z.array(orderSchema) }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      const scope = accountScope(actor);
      if (scope && request.query.accountId !== undefined && request.query.accountId !== scope) return send(request, reply, refuse('account_not_found', { id: request.query.accountId }, 'accountId'));
      const lang = langOf(request);
      return send(request, reply, { orders: (await listOrders(ctx, { ...request.query, accountId: scope ?? request.query.accountId })).map((o) => withMessages(o, lang)) });
    },
  );

  app.get('/v1/orders/:id', { schema: { tags: ['orders'], summary: 'An order with its status, invoice and due date', params: idParams, response: { 200: orderSchema, ...problems(401, 404) } } }, async (request, reply) => {
    const actor = requireActor(request, reply);
    if (!actor) return reply;
    const order = await getOrder(ctx, request.params.id, accountScope(actor));
    return send(request, reply, 'refused' in order ? order : withMessages(order, langOf(request)));
  });

  app.post(
    '/v1/orders/:id/accept',
    { schema: { tags: ['orders'], summary: 'Accept the statement or quotation: the order completes', params: idParams, response: { 200: orderSchema, ...problems(401, 404, 409) } } },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => acceptOrder(ctx, trx, actor, request.params.id, accountScope(actor)), (order) => withMessages(order, langOf(request)));
    },
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      schema: {
        tags: ['orders'],
        summary: 'Withdraw an order awaiting acceptance (the customer), or cancel it on the customer\'s behalf (operator): it becomes cancelled, nothing is billed, the customer is told',
        params: idParams,
        body: z.object({ note: z.string().trim().min(1).max(500).optional() }).optional(),
        response: { 200: orderSchema, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => cancelOrder(ctx, trx, actor, request.params.id, accountScope(actor), request.body?.note), (order) => withMessages(order, langOf(request)));
    },
  );
}
