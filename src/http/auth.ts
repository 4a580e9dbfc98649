/**
 * Who is calling: the operator (by key, compared in constant time) or a customer (by portal
 * token, for its own account only). A customer asking for another account gets 404, as if it
 * did not exist (API.md).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, AppContext } from '../app/context.js';
import { customerOfToken } from '../app/accounts.js';
import { sendEdgeError } from './problems.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The credential of `Authorization: Bearer <credential>`, or undefined. */
export function bearerCredential(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/** Resolves the bearer credential into an actor, or null. */
export async function authenticate(ctx: AppContext, operatorKey: string, request: FastifyRequest): Promise<Actor | null> {
  const credential = bearerCredential(request);
  if (credential === undefined) return null;
  // Both sides are hashed first, so the comparison takes the same time whatever the lengths.
  if (sameSecret(credential, operatorKey)) return { kind: 'operator' };
  if (!credential.startsWith('kyc_')) return null;
  const accountId = await customerOfToken(ctx, credential);
  return accountId ? { kind: 'customer', accountId } : null;
}

/** The errors `requireCredential` throws; the server's error handler answers them with 401 `unauthorized` and 404 `not_found`. */
export const UNAUTHENTICATED = 'KEIYAKU_UNAUTHENTICATED';
export const NOT_YOURS = 'KEIYAKU_NOT_YOURS';
export const OPERATOR_ONLY = 'KEIYAKU_OPERATOR_ONLY';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A /v1 route anyone may call without a credential (none so far). */
    public?: boolean;
    /** Only the operator may call it: a customer token gets 403 before its body is read. */
    operatorOnly?: boolean;
  }
}

/**
 * Every /v1 route needs a credential (docs/decisions.md), and a customer's token reaches only
 * `/v1/accounts/{its own id}/…`; both are checked before the body is read or validated, so a
 * caller learns nothing from the request it sent (another account answers 404 whatever the body),
 * and its request is still counted by the rate limit, which runs earlier. The routes check again
 * who may do what (`requireActor`, `requireOperator`, `requireAccountAccess`).
 */
export async function requireCredential(request: FastifyRequest): Promise<void> {
  const route = request.routeOptions.url;
  if (!route?.startsWith('/v1/') || request.routeOptions.config.public === true) return;
  if (!request.actor) throw Object.assign(new Error('missing or wrong credentials'), { code: UNAUTHENTICATED, statusCode: 401 });
  const accountId = (request.params as Record<string, unknown> | undefined)?.id;
  if ((route === '/v1/accounts/:id' || route.startsWith('/v1/accounts/:id/')) && typeof accountId === 'string' && !canSeeAccount(request.actor, accountId)) {
    throw Object.assign(new Error('not this customer’s account'), { code: NOT_YOURS, statusCode: 404 });
  }
  // Another account answers 404 first (above), so a stranger learns nothing either way.
  if (request.routeOptions.config.operatorOnly === true && request.actor.kind !== 'operator') {
    throw Object.assign(new Error('operator only'), { code: OPERATOR_ONLY, statusCode: 403 });
  }
}

/** Answers 401 unless someone is authenticated; returns the actor. */
export function requireActor(request: FastifyRequest, reply: FastifyReply): Actor | undefined {
  if (!request.actor) {
    void sendEdgeError(request, reply, 'unauthorized');
    return undefined;
  }
  return request.actor;
}

/**
 * Answers 401 without a credential and 404 when a customer asks for another account (API.md:
 * as if it did not exist); returns the actor allowed to act on `accountId`.
 */
export function requireAccountAccess(request: FastifyRequest, reply: FastifyReply, accountId: string): Actor | undefined {
  const actor = requireActor(request, reply);
  if (!actor) return undefined;
  if (!canSeeAccount(actor, accountId)) {
    void sendEdgeError(request, reply, 'not_found');
    return undefined;
  }
  return actor;
}

/** Answers 401/403 unless the operator calls. */
export function requireOperator(request: FastifyRequest, reply: FastifyReply): boolean {
  const actor = requireActor(request, reply);
  if (!actor) return false;
  if (actor.kind !== 'operator') {
    void sendEdgeError(request, reply, 'forbidden');
    return false;
  }
  return true;
}

/** May this actor see the account? Customers see only their own. */
export function canSeeAccount(actor: Actor, accountId: string): boolean {
  return actor.kind === 'operator' || (actor.kind === 'customer' && actor.accountId === accountId);
}

/** The account a customer is bound to (its queries are scoped by it), undefined for the operator. */
export function accountScope(actor: Actor): string | undefined {
  return actor.kind === 'customer' ? actor.accountId : undefined;
}
