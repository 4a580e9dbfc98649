/** Usage gauges and entitlement checks (SPEC B4, B5): the vendor's app reports usage and asks before it grows. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { checkEntitlementFor, reportUsage } from '../../app/usage.js';
import { LIMIT_KEYS } from '../../domain/catalog.js';
import type { EntitlementQuery } from '../../domain/entitlements.js';
import { requireAccountAccess } from '../auth.js';
import { command, sendSerialized } from '../reply.js';
import { idParams, problems } from '../schemas.js';

const level = z.int().min(0);

/** API.md `PUT /v1/accounts/{id}/usage`: the gauges the app keeps, at least one; any other key is a 400. */
const usageBody = z
  .strictObject({ books: level.optional(), storageMb: level.optional() })
  .refine((b) => b.books !== undefined || b.storageMb !== undefined, { message: 'report at least one gauge: books or storageMb' });

/** API.md `POST /v1/accounts/{id}/entitlements/check`: a resource and its growth, or a feature. */
const checkBody = z
  .strictObject({
    resource: z.enum(LIMIT_KEYS).optional(),
    increment: z.int().optional().describe('growth asked for; default 1; 0 or less is a decrease, always allowed'),
    feature: z.string().min(1).max(100).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.resource === undefined && b.feature === undefined) ctx.addIssue({ code: 'custom', path: ['resource'], message: 'ask about a resource or a feature' });
    if (b.resource !== undefined && b.feature !== undefined) ctx.addIssue({ code: 'custom', path: ['feature'], message: 'ask about a resource or a feature, not both' });
    if (b.increment !== undefined && b.resource === undefined) ctx.addIssue({ code: 'custom', path: ['increment'], message: 'increment goes with a resource' });
  });
type CheckBody = z.infer<typeof checkBody>;

function toQuery(body: CheckBody): EntitlementQuery {
  if (body.resource !== undefined) return { resource: body.resource, increment: body.increment ?? 1 };
  return { feature: body.feature ?? '' };
}

const usageSchema = z.object({ usage: z.record(z.string(), z.int()) });
/** The check's answer (200); exported for the test that holds the answers to it. */
export const answerSchema = z.object({
  allowed: z.boolean(),
  code: z.enum(['limit_reached', 'over_limit', 'feature_not_included', 'not_in_plan']).optional(),
  limit: z.int().optional(),
  usage: z.int().optional(),
});

export function usageRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.put(
    '/v1/accounts/:id/usage',
    {
      schema: {
        tags: ['usage'],
        summary: "The vendor's app reports usage gauges (books, storageMb); each named value is replaced",
        params: idParams,
        body: usageBody,
        response: { 200: usageSchema, ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => reportUsage(ctx, trx, actor, request.params.id, request.body));
    },
  );

  app.post(
    '/v1/accounts/:id/entitlements/check',
    {
      schema: {
        tags: ['usage'],
        summary: 'May usage grow, or a feature be used, today? A denied check is an answer (200) with a code, not an error (B4, B5)',
        params: idParams,
        body: checkBody,
        response: { 200: answerSchema, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return sendSerialized(request, reply, await checkEntitlementFor(ctx, request.params.id, toQuery(request.body)));
    },
  );
}
