/** Account members (SPEC S8, S9): register within the seat limit, list, read, correct, deactivate by hand, reactivate. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { deactivateMember, getMember, listAccountMembers, reactivateMember, registerMember, updateMember } from '../../app/members.js';
import { requireAccountAccess } from '../auth.js';
import { command, send, sendSerialized } from '../reply.js';
import { idParams, problems } from '../schemas.js';

/** A member as the API shows it; exported for the test that holds the member read to it. */
export const memberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['owner', 'member']),
  status: z.enum(['active', 'deactivated']),
  groups: z.array(z.string()),
  registeredAt: z.string(),
  canLogIn: z.boolean(),
});
const memberParams = z.object({ id: z.string().min(1).max(100), memberId: z.string().min(1).max(100) });

export function memberRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/accounts/:id/members',
    {
      schema: {
        tags: ['members'],
        summary: 'Register a member; 409 seat_limit_reached when no seat is free (S8)',
        params: idParams,
        body: z.object({ email: z.email().max(254), name: z.string().trim().min(1).max(200), role: z.literal('member').optional() }),
        response: { 201: memberSchema, ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 201, (trx) => registerMember(ctx, trx, actor, { accountId: request.params.id, ...request.body }));
    },
  );

  app.get(
    '/v1/accounts/:id/members',
    {
      schema: {
        tags: ['members'],
        summary: 'Members, by status and group (e.g. group=Auto Deactivation)',
        params: idParams,
        querystring: z.object({ status: z.enum(['active', 'deactivated']).optional(), group: z.string().min(1).max(200).optional() }),
        response: { 200: z.object({ members: z.array(memberSchema) }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      const members = await listAccountMembers(ctx, request.params.id, request.query);
      return send(request, reply, 'refused' in members ? members : { members });
    },
  );

  app.get(
    '/v1/accounts/:id/members/:memberId',
    { schema: { tags: ['members'], summary: 'One member, with canLogIn (false while deactivated)', params: memberParams, response: { 200: memberSchema, ...problems(401, 404) } } },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return sendSerialized(request, reply, await getMember(ctx, request.params.id, request.params.memberId));
    },
  );

  app.patch(
    '/v1/accounts/:id/members/:memberId',
    {
      schema: {
        tags: ['members'],
        summary: "Correct a member's name or email (no seat taken or freed); the owner-manager's email only through the account's email change (409 owner_email_is_account_email)",
        params: memberParams,
        body: z
          .strictObject({ name: z.string().trim().min(1).max(200).optional(), email: z.email().max(254).optional() })
          .refine((b) => b.name !== undefined || b.email !== undefined, { message: 'Give name, email or both.' }),
        response: { 200: memberSchema, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => updateMember(ctx, trx, actor, request.params.id, request.params.memberId, request.body));
    },
  );

  app.post(
    '/v1/accounts/:id/members/:memberId/deactivate',
    {
      schema: {
        tags: ['members'],
        summary: 'Deactivate a member by hand (someone who left): a seat is free at once; the member cannot log in, keeps its data and can be reactivated; never the owner-manager (409 owner_never_deactivated)',
        params: memberParams,
        response: { 200: memberSchema, ...problems(401, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => deactivateMember(ctx, trx, actor, request.params.id, request.params.memberId));
    },
  );

  app.post(
    '/v1/accounts/:id/members/:memberId/reactivate',
    { schema: { tags: ['members'], summary: 'Reactivate a deactivated member when a seat is free', params: memberParams, response: { 200: memberSchema, ...problems(401, 404, 409) } } },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => reactivateMember(ctx, trx, actor, request.params.id, request.params.memberId));
    },
  );
}
