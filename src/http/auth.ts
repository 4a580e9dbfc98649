/**
 * Who is calling: the operator (by key, compared in constant time) or a customer (by portal
 * token, for its own account only). A customer asking for another account gets 404, as if it
 * did not exist (API.md).
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, AppContext } from '../app/context.js';
import { customerOfTokenHash } from '../app/accounts.js';
import { sendEdgeError } from './problems.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** SHA-256 (hex) of the bearer credential, computed once a request: the operator key's comparison, the session's lookup and the rate limit's key all use it. */
    credentialHash: string | null;
  }
}

const sha256 = (text: string) => hash('sha256', text, 'buffer');

/** The operator key's digest, computed once (the key does not change while the server runs). */
let operatorDigest: { key: string; digest: Buffer } | undefined;

/** Compares a credential's digest with the operator key's in constant time: both are hashed first. */
function isOperatorKey(credentialDigest: Buffer, operatorKey: string): boolean {
  if (operatorDigest?.key !== operatorKey) operatorDigest = { key: operatorKey, digest: sha256(operatorKey) };
  return timingSafeEqual(credentialDigest, operatorDigest.digest);
}

/** The credential of `Authorization: Bearer <credential>`, or undefined. */
function bearerCredential(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/**
 * Resolves the bearer credential into an actor, or null: at once for the operator key and for no
 * or a malformed credential, with a promise for a customer token (its session is looked up).
 */
export function authenticate(ctx: AppContext, operatorKey: string, request: FastifyRequest): Actor | null | Promise<Actor | null> {
  const credential = bearerCredential(request);
  if (credential === undefined) return null;
  const digest = sha256(credential);
  // Both sides are hashed, so the comparison takes the same time whatever the lengths.
  if (isOperatorKey(digest, operatorKey)) return { kind: 'operator' };
  if (!credential.startsWith('kyc_')) return null;
  // The session is stored by the token's SHA-256 (hashToken): the same digest, in hex.
  const tokenHash = digest.toString('hex');
  request.credentialHash = tokenHash;
  return customerOfTokenHash(ctx, tokenHash).then((accountId) => (accountId ? { kind: 'customer', accountId } : null));
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
 * who may do what (`requireActor`, `requireOperator`, `requireAccountAccess`). Returns the error
 * the server's error handler answers (401, 404 or 403), or undefined.
 */
export function credentialError(request: FastifyRequest): Error | undefined {
  const route = request.routeOptions.url;
  if (!route?.startsWith('/v1/') || request.routeOptions.config.public === true) return undefined;
  if (!request.actor) return Object.assign(new Error('missing or wrong credentials'), { code: UNAUTHENTICATED, statusCode: 401 });
  const accountId = (request.params as Record<string, unknown> | undefined)?.id;
  if ((route === '/v1/accounts/:id' || route.startsWith('/v1/accounts/:id/')) && typeof accountId === 'string' && !canSeeAccount(request.actor, accountId)) {
    return Object.assign(new Error('not this customer’s account'), { code: NOT_YOURS, statusCode: 404 });
  }
  // Another account answers 404 first (above), so a stranger learns nothing either way.
  if (request.routeOptions.config.operatorOnly === true && request.actor.kind !== 'operator') {
    return Object.assign(new Error('operator only'), { code: OPERATOR_ONLY, statusCode: 403 });
  }
  return undefined;
}

/** `credentialError` as a preParsing hook (callback style: no promise a request). */
export function requireCredential<P>(request: FastifyRequest, _reply: FastifyReply, payload: P, done: (err: Error | null, payload?: P) => void): void {
  const error = credentialError(request);
  if (error) done(error);
  else done(null, payload);
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
