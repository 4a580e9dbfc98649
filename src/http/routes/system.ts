/** Health, catalog and the test clock. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import type { AppContext } from '../../app/context.js';
import { clockView, setTestClock } from '../../app/clock-control.js';
import { effectsOverview } from '../../app/events.js';
import { retryEffect, runDueEffects } from '../../app/scheduler.js';
import { endPortalSession } from '../../app/accounts.js';
import { requireActor, requireOperator } from '../auth.js';
import { command, send } from '../reply.js';
import { problems, requestInstantSchema } from '../schemas.js';
import { TEST_CLOCK_RANGE } from '../../domain/calendar.js';
import { orderTypesOffered } from '../../domain/catalog.js';

const FIRST_TEST_CLOCK_INSTANT = Temporal.Instant.from(TEST_CLOCK_RANGE.first);
const LAST_TEST_CLOCK_INSTANT = Temporal.Instant.from(TEST_CLOCK_RANGE.last);

export function systemRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.get('/health', { schema: { tags: ['system'], summary: 'Ready once migrations ran', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/v1/catalog', { schema: { tags: ['catalog'], summary: 'Products and their plans (SPEC §2)', response: { 401: problems(401)[401] } } }, async (request, reply) => {
    if (!requireActor(request, reply)) return reply;
    return {
      products: ctx.catalog.products.map((p) => ({
        id: p.id,
        name: p.name,
        names: p.names ?? { ja: p.name, en: p.name },
        renewal: p.renewal,
        spot: p.spot ?? null,
        licenseAdditions: p.licenseAdditions ?? false,
        orderTypes: orderTypesOffered(p),
        options: p.options ?? {},
        plans: p.plans.map((plan) => ({
          id: plan.id,
          name: plan.name,
          rank: plan.rank,
          free: plan.free ?? false,
          limits: plan.limits,
          features: plan.features,
          license: plan.license ?? null,
          price: plan.price ?? null,
          terms: plan.terms ?? [],
          paymentMethods: plan.paymentMethods ?? [],
        })),
      })),
    };
  });

  const clockSchema = z.object({ now: z.string(), mode: z.enum(['system', 'test']), timeZone: z.string() });
  app.get(
    '/v1/session',
    {
      schema: {
        tags: ['system'],
        summary: 'Who the credential is: the operator, or the customer of one account (what a portal link needs to find its account)',
        response: { 200: z.object({ kind: z.enum(['operator', 'customer']), accountId: z.string().nullable() }), ...problems(401) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      return actor.kind === 'customer' ? { kind: 'customer' as const, accountId: actor.accountId } : { kind: 'operator' as const, accountId: null };
    },
  );

  app.delete(
    '/v1/session',
    {
      schema: {
        tags: ['system'],
        summary: "Sign out: the customer token's portal session ends at once (its later requests get 401)",
        response: { 204: z.null(), ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      if (!requireActor(request, reply)) return reply;
      return command(ctx, request, reply, 204, (trx) => endPortalSession(ctx, trx, request.actor!, request.credentialHash), () => null);
    },
  );

  app.get('/v1/clock', { schema: { tags: ['clock'], summary: 'The clock (test-clock mode or system)', response: { 200: clockSchema, ...problems(401) } } }, async (request, reply) => {
    if (!requireActor(request, reply)) return reply;
    return clockView(ctx);
  });

  app.post(
    '/v1/clock',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['clock'],
        summary: 'Set the test clock forward; runs every effect due up to then, exactly once',
        body: z.object({
          now: z.iso
            .datetime({ offset: true, message: 'an instant such as 2022-12-01T09:00:00+09:00' })
            // Japanese holiday data (business days, B8) ends in 2050: due dates past it cannot be computed.
            .refine((v) => {
              try {
                const at = Temporal.Instant.from(v);
                return Temporal.Instant.compare(at, FIRST_TEST_CLOCK_INSTANT) >= 0 && Temporal.Instant.compare(at, LAST_TEST_CLOCK_INSTANT) <= 0;
              } catch {
                return true; // not a real instant: the format's own message says so
              }
            }, `the test clock goes from ${TEST_CLOCK_RANGE.first} to ${TEST_CLOCK_RANGE.last} (the holiday calendar ends in 2050)`)
            .describe('an instant such as 2022-12-01T09:00:00+09:00'),
        }),
        response: { 200: clockSchema.extend({ effects: z.object({ ran: z.int(), failed: z.int() }) }), ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return send(request, reply, await setTestClock(ctx, Temporal.Instant.from(request.body.now)));
    },
  );

  app.get(
    '/v1/effects',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['scheduler'],
        summary: 'Scheduled effects, for operators: how many are pending, done, failed or skipped (those of a cancelled contract), how many of the pending are due (by now, or by dueBy), and a list',
        querystring: z.object({
          status: z.enum(['pending', 'done', 'failed', 'skipped']).optional(),
          accountId: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          dueBy: requestInstantSchema().optional().describe('count the pending effects due by this instant instead of by now'),
        }),
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const { dueBy, ...query } = request.query;
      return effectsOverview(ctx, query, dueBy ? Temporal.Instant.from(dueBy) : ctx.clock.now());
    },
  );

  app.post(
    '/v1/effects/:id/retry',
    {
      config: { operatorOnly: true },
      schema: {
        tags: ['scheduler'],
        summary: 'Run a failed effect again (after the bug it hit is fixed): it is pending again and runs at the next scheduler pass, or at once with POST /v1/effects/run',
        params: z.object({ id: z.string().regex(/^[1-9][0-9]{0,15}$/, 'an effect id: a whole number, as GET /v1/effects lists it') }),
        response: { 200: z.looseObject({ id: z.int(), accountId: z.string(), kind: z.string(), status: z.string(), dueAt: z.string() }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return command(ctx, request, reply, 200, (trx) => retryEffect(ctx, trx, request.actor!, Number(request.params.id)));
    },
  );

  app.post(
    '/v1/effects/run',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['scheduler'],
        summary: 'Run every effect due by the clock now, exactly once, without waiting for the scheduler (what `keiyaku catch-up` asks of a running server)',
        response: { 200: z.object({ now: z.string(), effects: z.object({ ran: z.int(), failed: z.int() }) }), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const now = ctx.clock.now();
      return { now: now.toString(), effects: await runDueEffects(ctx, now) };
    },
  );
}
