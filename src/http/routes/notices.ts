/** The notice outbox (SPEC §6): what was sent to an account, and every notice for the operator. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { getAccount } from '../../app/accounts.js';
import { listAccountNotices, listOutbox } from '../../app/notices.js';
import { requireAccountAccess, requireOperator } from '../auth.js';
import { send } from '../reply.js';
import { idParams, problems } from '../schemas.js';

const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'not-configured'] as const;

const noticeFields = {
  id: z.string(),
  kind: z.string(),
  lang: z.enum(['ja', 'en']),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  sentAt: z.string().describe('When the notice was written to the outbox'),
  attachment: z.object({ documentId: z.string() }).nullable().describe('The issued document whose PDF the mail carries'),
};

const noticeSchema = z.object({
  ...noticeFields,
  delivery: z.object({ status: z.enum(DELIVERY_STATUSES), deliveredAt: z.string().nullable() }),
});

const operatorNoticeSchema = z.object({
  accountId: z.string(),
  ...noticeFields,
  delivery: z.object({
    status: z.enum(DELIVERY_STATUSES).describe('not-configured: no SMTP_URL when written; pending: an attempt is due at nextAttemptAt; failed: attempts exhausted'),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    via: z.string().nullable().describe('The mail server that accepted it'),
    messageId: z.string().nullable(),
  }),
});

const limit = z.coerce.number().int().min(1).max(500).default(100);

export function noticeRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/v1/accounts/:id/notices',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Notices sent to the account, newest first',
        params: idParams,
        querystring: z.object({ limit }),
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

  app.get(
    '/v1/notices',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['notices'],
        summary: 'Every notice in the outbox, newest first, with its delivery (operator)',
        querystring: z.object({
          accountId: z.string().min(1).optional(),
          kind: z.string().min(1).optional(),
          status: z.enum(DELIVERY_STATUSES).optional(),
          limit,
        }),
        response: { 200: z.object({ notices: z.array(operatorNoticeSchema) }), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return { notices: await listOutbox(ctx, request.query) };
    },
  );
}
