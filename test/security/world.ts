/**
 * What the security tests share: a server with a few accounts that have something of everything
 * (a contract, an order, an invoice, a member, a quotation), their customer tokens, the
 * operations of the OpenAPI document, and a minimal valid request for each, built from the
 * document's own schemas so that endpoints added later are covered without editing the tests.
 */
import { createHash } from 'node:crypto';
import type { TestServer } from '../support/harness.js';
import { email, newAccount, order, startTestServer } from '../support/harness.js';

export const START = '2026-12-01T09:00:00+09:00';

export interface Operation {
  method: string;
  /** The OpenAPI path, `/v1/accounts/{id}`. */
  path: string;
  /** `GET /v1/accounts/{id}`: the key of the classification tables. */
  key: string;
  op: any;
}

export interface Owned {
  accountId: string;
  token: string;
  contractId?: string;
  memberId?: string;
  orderId?: string;
  invoiceId?: string;
  /** An invoice paid in full (a spot's, paid by card): its receipt can be read. */
  paidInvoiceId?: string;
  quoteId?: string;
  /** One of the account's scheduled effects (its term's end: pending). */
  effectId?: string;
}

export interface World {
  t: TestServer;
  doc: any;
  operations: Operation[];
  today: string;
  /** teamspace, with a contract, an order, an invoice and a member besides the owner. */
  a: Owned;
  /** ebook5, with a plan change awaiting acceptance and its quotation. */
  e: Owned;
  /** A stranger: another teamspace account with its own contract. */
  b: Owned;
}

async function token(t: TestServer, accountId: string): Promise<string> {
  const res = await t.api('POST', `/v1/accounts/${accountId}/portal-sessions`);
  if (res.status !== 201) throw new Error(`portal session → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

async function teamspace(t: TestServer, today: string): Promise<Owned> {
  const accountId = await newAccount(t, 'teamspace');
  const placed = await order(t, { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', startDate: today, paymentMethod: 'card' });
  const state = (await t.api('GET', `/v1/accounts/${accountId}/state`)).body;
  const member = await t.api('POST', `/v1/accounts/${accountId}/members`, { email: email('member'), name: 'A member' });
  if (member.status !== 201) throw new Error(`member → ${member.status} ${JSON.stringify(member.body)}`);
  const effects = (await t.api('GET', `/v1/effects?accountId=${accountId}&limit=1`)).body.effects as Array<{ id: number }>;
  const customer = await token(t, accountId);
  const spot = await order(t, { type: 'spot', accountId, seats: 100, startDate: today, months: 1, agreeToTerms: true, paymentMethod: 'card' });
  const paid = await t.api('POST', `/v1/invoices/${spot.invoiceId}/pay`, { method: 'card', token: 'tok_visa' }, { token: customer });
  if (paid.status !== 201) throw new Error(`paying the spot → ${paid.status} ${JSON.stringify(paid.body)}`);
  return { accountId, token: customer, contractId: state.contract.id, memberId: member.body.id, orderId: placed.id, invoiceId: placed.invoiceId, paidInvoiceId: spot.invoiceId, effectId: String(effects[0]?.id) };
}

export async function buildWorld(env: Record<string, string> = {}): Promise<World> {
  const t = await startTestServer({ KEIYAKU_TEST_CLOCK: START, ...env });
  const doc = (await t.api('GET', '/openapi.json', undefined, { token: null })).body;
  const operations: Operation[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}`, op });
    }
  }
  const probe = await newAccount(t, 'teamspace');
  const today = (await t.api('GET', `/v1/accounts/${probe}/state`)).body.date as string;
  const a = await teamspace(t, today);
  const b = await teamspace(t, today);
  const eId = await newAccount(t, 'ebook5');
  await order(t, { type: 'new-contract', accountId: eId, planId: 'business-5', term: 'P1M', startDate: today, paymentMethod: 'card' });
  const change = await order(t, { type: 'plan-change', accountId: eId, planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' });
  const eState = (await t.api('GET', `/v1/accounts/${eId}/state`)).body;
  const e: Owned = { accountId: eId, token: await token(t, eId), contractId: eState.contract.id, orderId: change.id, quoteId: change.quoteId };
  if (!e.quoteId) throw new Error(`the plan change has no quotation: ${JSON.stringify(change)}`);
  return { t, doc, operations, today, a, e, b };
}

/**
 * Operations that end portal sessions (signing out, the operator revoking an account's): the
 * tests run them after the others and give the world's accounts new tokens after each request.
 */
export const ENDS_SESSIONS = new Set(['DELETE /v1/session', 'DELETE /v1/accounts/{id}/portal-sessions', 'DELETE /v1/accounts/{id}/portal-sessions/{sessionId}']);

/** New portal tokens for the world's accounts (after a request that may have ended theirs). */
export async function renewTokens(world: World): Promise<void> {
  for (const owned of [world.a, world.b, world.e]) owned.token = await token(world.t, owned.accountId);
}

/** Which account's objects an operation's path names: quotations are the ebook5 account's. */
export function ownerFor(world: World, op: Operation): Owned {
  return op.path.startsWith('/v1/quotes/') ? world.e : world.a;
}

/** The id a path parameter stands for, by the collection it follows; throws naming what to add. */
export function resolvePath(op: Operation, owned: Owned): string {
  const segments = op.path.split('/');
  return segments
    .map((segment, i) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      if (!param) return segment;
      const collection = segments[i - 1];
      // A portal session's id is a prefix of its token's hash: the session of the account's token.
      const sessionId = `ps_${createHash('sha256').update(owned.token).digest('hex').slice(0, 16)}`;
      const byName: Record<string, string | undefined> = { contractId: owned.contractId, memberId: owned.memberId, sessionId };
      const byCollection: Record<string, string | undefined> = { accounts: owned.accountId, orders: owned.orderId, invoices: owned.invoiceId, quotes: owned.quoteId, effects: owned.effectId };
      // A receipt exists only for a paid invoice.
      const value = param === 'id' ? (op.path.endsWith('/receipt') ? owned.paidInvoiceId : byCollection[collection ?? '']) : byName[param];
      if (!value) throw new Error(`${op.key}: no fixture for the path parameter {${param}} after /${collection}/ — add one in test/security/world.ts (resolvePath, buildWorld)`);
      return encodeURIComponent(value);
    })
    .join('/');
}

/** Resolves a local `$ref` of the document. */
export function deref(doc: any, schema: any): any {
  let s = schema;
  while (s && typeof s === 'object' && typeof s.$ref === 'string') {
    s = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: any, part: string) => node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
  }
  return s;
}

/** Values for fields the schemas cannot know: ids of the caller's own objects, real plans, today. */
export function hints(world: World, owned: Owned): Record<string, unknown> {
  return {
    accountId: owned.accountId,
    contractId: owned.contractId,
    memberId: owned.memberId,
    orderId: owned.orderId,
    invoiceId: owned.invoiceId,
    invoiceIds: owned.invoiceId ? [owned.invoiceId] : undefined,
    planId: 'starter',
    product: 'teamspace',
    email: email('sample'),
    startDate: world.today,
    effectiveDate: world.today,
    paidOn: world.today,
  };
}

/**
 * A minimal instance of a JSON schema: required properties only, the first choice of every
 * union and enum, the smallest allowed number, the shortest allowed string; `hints` by name.
 */
export function sample(doc: any, schemaIn: any, hint: Record<string, unknown>, today: string, name?: string): unknown {
  const schema = deref(doc, schemaIn);
  if (name !== undefined && hint[name] !== undefined) return hint[name];
  if (!schema || typeof schema !== 'object') return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema && schema.default !== undefined) return schema.default;
  for (const union of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[union])) {
      const choice = schema[union].find((s: any) => deref(doc, s)?.type !== 'null') ?? schema[union][0];
      return sample(doc, choice, hint, today, name);
    }
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: any) => sample(doc, s, hint, today, name)));
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(doc, schema.properties?.[key] ?? {}, hint, today, key);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(doc, schema.items ?? {}, hint, today));
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
      return Math.max(min ?? 1, Math.min(1, schema.maximum ?? 1));
    }
    case 'boolean':
      return true;
    case 'string': {
      if (schema.format === 'date') return today;
      if (schema.format === 'date-time') return `${today}T09:00:00+09:00`;
      if (schema.format === 'email') return email('sample');
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    }
    default:
      return {};
  }
}

/** The body of a request the schema accepts, or undefined when the operation takes none. */
export function sampleBody(world: World, op: Operation, owned: Owned): unknown {
  const schema = op.op.requestBody?.content?.['application/json']?.schema;
  if (!schema) return undefined;
  return sample(world.doc, schema, hints(world, owned), world.today);
}

/** The required query parameters, sampled; optional ones are left out. */
export function sampleQuery(world: World, op: Operation, owned: Owned): string {
  const params = (op.op.parameters ?? []).filter((p: any) => p.in === 'query' && p.required);
  if (params.length === 0) return '';
  const h = hints(world, owned);
  return '?' + params.map((p: any) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(sample(world.doc, p.schema, h, world.today, p.name)))}`).join('&');
}
