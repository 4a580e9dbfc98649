/** Accounts, portal sessions, state, events. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { createAccount, updateAccount, createPortalSession, sendPortalLink, getAccount, listAccounts, listPortalSessions, revokePortalSession, revokePortalSessions } from '../../app/accounts.js';
import { getAccountState } from '../../app/state.js';
import { listAccountEvents } from '../../app/events.js';
import { parseDate } from '../../domain/calendar.js';
import { requireAccountAccess, requireOperator } from '../auth.js';
import { command, send } from '../reply.js';
import { idParams, problems, requestDateSchema } from '../schemas.js';
import { langOf } from '../problems.js';
import { confirmEmailChange, requestEmailChange } from '../../app/email-changes.js';

const accountSchema = z.looseObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  product: z.string(),
  options: z.record(z.string(), z.string()),
  createdAt: z.string(),
});

export function accountRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/accounts',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['accounts'],
        summary: 'Create an account (one email, one account)',
        body: z.object({
          email: z.email().max(254),
          name: z.string().trim().min(1).max(200),
          product: z.string().min(1).max(100),
          options: z.record(z.string(), z.string()).optional(),
        }),
        response: { 201: accountSchema, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return command(ctx, request, reply, 201, (trx) => createAccount(ctx, trx, request.actor!, request.body));
    },
  );

  app.get(
    '/v1/accounts',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['accounts'],
        summary: 'List accounts, newest first (operator)',
        querystring: z.object({ product: z.string().optional(), email: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ accounts: z.array(accountSchema) }), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return { accounts: await listAccounts(ctx, request.query) };
    },
  );

  app.get('/v1/accounts/:id', { schema: { tags: ['accounts'], summary: 'One account', params: idParams, response: { 200: accountSchema, ...problems(401, 404) } } }, async (request, reply) => {
    const actor = requireAccountAccess(request, reply, request.params.id);
    if (!actor) return reply;
    return send(request, reply, await getAccount(ctx, request.params.id));
  });

  app.patch(
    '/v1/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change an account: the operator its email (one email, one account), name or options; the customer its own name and notices\' language (options.lang) — its email only through POST /v1/accounts/{id}/email-change (422 email_needs_confirmation), a product option not at all (422 changed_by_vendor). Issued documents keep the name they were issued to',
        params: idParams,
        // Strict: a misspelt field ("emial") is refused, not ignored while the rest is changed.
        body: z
          .strictObject({
            email: z.email().max(254).optional(),
            name: z.string().trim().min(1).max(200).optional(),
            options: z.record(z.string(), z.string()).optional(),
          })
          .refine((b) => b.email !== undefined || b.name !== undefined || b.options !== undefined, { message: 'give at least one of email, name and options to change' }),
        response: { 200: accountSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => updateAccount(ctx, trx, actor, request.params.id, request.body));
    },
  );

  app.post(
    '/v1/portal-links',
    {
      config: { public: true },
      schema: {
        tags: ['accounts'],
        summary: "A customer asks for a sign-in link to the portal by its email: when an account has the address, a new link is mailed there (a portal-link notice; at most one in 10 minutes). No credential; the answer is the same whether or not an account has the address",
        body: z.strictObject({ email: z.email().max(254) }),
        response: { 202: z.object({ email: z.string(), message: z.string() }), ...problems(400, 429) },
      },
    },
    async (request, reply) => {
      const lang = langOf(request);
      return command(ctx, request, reply, 202, async (trx) => {
        const answer = await sendPortalLink(ctx, trx, request.body.email);
        return {
          ...answer,
          message:
            lang === 'ja'
              ? `${answer.email} でアカウントのご登録があれば、ログイン用のリンクをそのアドレスにお送りしました。メールをご確認ください。`
              : `If an account uses ${answer.email}, a sign-in link was sent to that address. Check your email.`,
        };
      });
    },
  );

  app.post(
    '/v1/accounts/:id/email-change',
    {
      schema: {
        tags: ['accounts'],
        summary: "Ask to move the account to another email (the customer, or the operator for it): a link is mailed to the new address, and opening it completes the change (POST /v1/email-changes/confirm). Refused at once when the address is the account's, another account's or another member's",
        params: idParams,
        body: z.strictObject({ email: z.email().max(254) }),
        response: { 202: z.object({ email: z.string(), expiresAt: z.string() }), ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 202, (trx) => requestEmailChange(ctx, trx, actor, request.params.id, request.body.email));
    },
  );

  app.post(
    '/v1/email-changes/confirm',
    {
      config: { public: true },
      schema: {
        tags: ['accounts'],
        summary: 'Confirm an email change with the code of the link mailed to the new address (no credential: the code is one): the account moves there, the old address is told',
        body: z.strictObject({ code: z.string().regex(/^kye_[A-Za-z0-9_-]{16,64}$/, 'the code of the confirmation link: kye_ and the characters after it') }),
        response: { 200: z.object({ accountId: z.string(), email: z.string() }), ...problems(400, 404, 409, 429) },
      },
    },
    async (request, reply) => command(ctx, request, reply, 200, (trx) => confirmEmailChange(ctx, trx, request.body.code), (a) => ({ accountId: a.id, email: a.email })),
  );

  app.post(
    '/v1/accounts/:id/portal-sessions',
    {
      config: { operatorOnly: true }, schema: {
        tags: ['accounts'],
        summary: 'A customer token for the portal (operator only)',
        params: idParams,
        response: { 201: z.object({ token: z.string(), expiresAt: z.string(), accountId: z.string() }), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      return command(ctx, request, reply, 201, (trx) => createPortalSession(ctx, trx, request.actor!, request.params.id));
    },
  );

  app.delete(
    '/v1/accounts/:id/portal-sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: "End every portal session of the account — the operator, or the customer signing out everywhere (its own session too): their tokens are refused from now on",
        params: idParams,
        response: { 200: z.object({ accountId: z.string(), revoked: z.number().int() }), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 200, (trx) => revokePortalSessions(ctx, trx, actor, request.params.id));
    },
  );

  app.get(
    '/v1/accounts/:id/portal-sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: "The account's live portal sessions, newest first (the operator, or the customer its own): when each was made, until when its token works, and which is the caller's (current)",
        params: idParams,
        response: { 200: z.object({ sessions: z.array(z.object({ id: z.string(), createdAt: z.string(), expiresAt: z.string(), current: z.boolean() })) }), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return send(request, reply, await listPortalSessions(ctx, request.params.id, actor.kind === 'customer' ? request.credentialHash : null));
    },
  );

  app.delete(
    '/v1/accounts/:id/portal-sessions/:sessionId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'End one portal session of the account, by its id from the list (the operator, or the customer one of its own — a link forwarded, a shared computer): its token is refused from now on',
        params: idParams.extend({ sessionId: z.string().regex(/^ps_[0-9a-f]{16}$/, 'a session id is ps_ and 16 hexadecimal digits, as GET /v1/accounts/{id}/portal-sessions lists them') }),
        response: { 204: z.null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return command(ctx, request, reply, 204, (trx) => revokePortalSession(ctx, trx, actor, request.params.id, request.params.sessionId), () => null);
    },
  );

  app.get(
    '/v1/accounts/:id/state',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The account on a date (default today)',
        params: idParams,
        querystring: z.object({ at: requestDateSchema.optional() }),
        response: { ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      return send(request, reply, await getAccountState(ctx, request.params.id, request.query.at ? parseDate(request.query.at) : undefined));
    },
  );

  app.get(
    '/v1/accounts/:id/events',
    {
      schema: {
        tags: ['accounts'],
        summary: "The account's audit trail, newest first",
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        response: {
          200: z.object({
            events: z.array(
              z.object({ seq: z.number(), accountId: z.string(), at: z.string(), actor: z.string(), action: z.string(), subjectType: z.string(), subjectId: z.string(), before: z.unknown(), after: z.unknown() }),
            ),
          }),
          ...problems(401, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      const account = await getAccount(ctx, request.params.id);
      if ('refused' in account) return send(request, reply, account);
      return { events: await listAccountEvents(ctx, request.params.id, request.query.limit) };
    },
  );
}
