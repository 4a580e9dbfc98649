/** The notice outbox of an account (SPEC §6): what was sent, with its rendered text. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { getAccount } from '../../app/accounts.js';
import { listAccountNotices } from '../../app/notices.js';
import { requireAccountAccess } from '../auth.js';
import { send } from '../reply.js';
import { idParams, problems } from '../schemas.js';

const noticeSchema = z.object({
  id: z.string(),
  kind: z.string(),
  lang: z.enum(['ja', 'en']),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  sentAt: z.string(),
});

export function noticeRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/v1/accounts/:id/notices',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Notices sent to the account, newest first',
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ notices: z.array(noticeSchema) }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      const account = await getAccount(ctx, request.params.id);
      if ('refused' in account) return send(request, reply, account);
      return { notices: await listAccountNotices(ctx, request.params.id, request.query.limit) };
    },
  );
}
