/**
 * The catalog: products, their plans ranked low to high, prices, terms and payment rules
 * (SPEC §2). The file is data, validated here with every error reported at once, each naming
 * the bad field's path (DESIGN: rules the business writes as tables are data).
 */
import { z } from 'zod';
import type { PaymentMethod, Term } from './calendar.js';
import { termMonths } from './calendar.js';

export const TERMS = ['P1M', 'P3M', 'P6M', 'P12M', 'P1Y'] as const satisfies readonly Term[];
export const PAYMENT_METHODS = ['bank-transfer', 'card', 'paypal', 'invoice'] as const satisfies readonly PaymentMethod[];
/** Limit keys used by the API (SPEC §2). */
export const LIMIT_KEYS = ['seats', 'connections', 'books', 'storageMb'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
export type Limits = Partial<Record<LimitKey, number>>;

const termSchema = z.enum(TERMS);
const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes');
const limitsSchema = z.partialRecord(z.enum(LIMIT_KEYS), z.number().int().nonnegative());

/** A payment-method rule: first match wins; `terms` absent means every term of the plan. */
const paymentRuleSchema = z.strictObject({
  method: z.enum(PAYMENT_METHODS),
  terms: z.array(termSchema).min(1).optional(),
});

const planSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  rank: z.number().int().nonnegative(),
  free: z.boolean().optional(),
  limits: limitsSchema,
  features: z.array(idSchema),
  /** Sold in licenses of `size` units of `limit` (Starter: 100 seats a license). */
  license: z.strictObject({ limit: z.enum(LIMIT_KEYS), size: z.number().int().positive() }).optional(),
  /** Tax-excluded price per `per` (and per license where the plan has licenses). */
  price: z.strictObject({ amount: z.number().int().nonnegative(), per: z.enum(['P1M', 'P1Y']) }).optional(),
  terms: z.array(termSchema).min(1).optional(),
  paymentMethods: z.array(paymentRuleSchema).min(1).optional(),
});

const renewalSchema = z.discriminatedUnion('mode', [
  /** Renews for another main term unless the customer chose to return to the free plan (SPOT). */
  z.strictObject({ mode: z.literal('renew-or-free'), default: z.enum(['renew', 'to-free']) }),
  /** No auto-renewal: at the end the account is on the free plan; upgrade renewal window (PREM P3). */
  z.strictObject({ mode: z.literal('expire-to-free'), upgradeWindow: z.enum(['P1M', 'P2M', 'P3M']).optional() }),
  /** Renews for the same term unless cancelled (BOOK, SPEC §2 Decision). */
  z.strictObject({ mode: z.literal('renew-same-term'), default: z.enum(['renew', 'to-free']) }),
]);

const productSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  names: z.strictObject({ ja: z.string().min(1), en: z.string().min(1) }).optional(),
  renewal: renewalSchema,
  spot: z.strictObject({ limit: z.enum(LIMIT_KEYS) }).optional(),
  licenseAdditions: z.boolean().optional(),
  options: z
    .record(idSchema.or(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/)), z.strictObject({ values: z.array(z.string().min(1)).min(1), default: z.string() }))
    .optional(),
  plans: z.array(planSchema).min(1),
});

const catalogSchema = z.strictObject({ $comment: z.string().optional(), products: z.array(productSchema).min(1) });

/**
 * A lenient reading of the file for the cross-field rules: every field they compare, with any
 * wrong type read as "absent", so that a type error elsewhere never hides them (every error of the
 * file is reported at once).
 */
const anyList = <T extends z.ZodType>(item: T) => z.array(item).catch([]);
const lenientSchema = z.object({
  products: anyList(
    z.object({
      id: z.string().catch(''),
      renewal: z.object({ mode: z.string().catch('') }).catch({ mode: '' }),
      spot: z.object({ limit: z.string().catch('') }).optional().catch(undefined),
      options: z.record(z.string(), z.object({ values: anyList(z.string().catch('')), default: z.string().catch('') }).catch({ values: [], default: '' })).optional().catch(undefined),
      plans: anyList(
        z.object({
          id: z.string().catch(''),
          rank: z.number().optional().catch(undefined),
          free: z.boolean().optional().catch(undefined),
          limits: z.record(z.string(), z.unknown()).catch({}),
          license: z.object({ limit: z.string().catch('') }).optional().catch(undefined),
          price: z.unknown().optional(),
          terms: anyList(z.string().catch('')).optional(),
          paymentMethods: anyList(z.object({ terms: anyList(z.string().catch('')).optional() }).catch({})).optional(),
        }).catch({ id: '', rank: undefined, free: undefined, limits: {}, license: undefined, price: undefined, terms: undefined, paymentMethods: undefined }),
      ),
    }).catch({ id: '', renewal: { mode: '' }, spot: undefined, options: undefined, plans: [] }),
  ),
}).catch({ products: [] });

/** The rules that relate fields to each other (unique ids and ranks, what a paid plan needs, …). */
function crossFieldIssues(data: unknown): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path: path.join('.'), message });
  const catalog = lenientSchema.parse(data);
  const planIds = new Map<string, string>();
  const productIds = new Set<string>();
  catalog.products.forEach((product, p) => {
    const at = (...rest: (string | number)[]) => ['products', p, ...rest];
    if (product.id && productIds.has(product.id)) add(at('id'), `duplicate product id "${product.id}"`);
    productIds.add(product.id);
    const ranks = new Set<number>();
    const freePlans = product.plans.filter((plan) => plan.free);
    if (freePlans.length > 1) add(at('plans'), 'a product has at most one free plan');
    if (product.renewal.mode === 'expire-to-free' && freePlans.length === 0) add(at('renewal', 'mode'), 'expire-to-free needs a free plan');
    for (const [name, option] of Object.entries(product.options ?? {}))
      if (option.values.length > 0 && !option.values.includes(option.default)) add(at('options', name, 'default'), `must be one of ${option.values.join(', ')}`);
    product.plans.forEach((plan, i) => {
      const planAt = (...rest: (string | number)[]) => at('plans', i, ...rest);
      const seen = planIds.get(plan.id);
      if (plan.id && seen !== undefined) add(planAt('id'), `plan id "${plan.id}" is already used by product "${seen}"`);
      if (plan.id) planIds.set(plan.id, product.id);
      if (plan.rank !== undefined && ranks.has(plan.rank)) add(planAt('rank'), `rank ${plan.rank} is used twice in this product`);
      if (plan.rank !== undefined) ranks.add(plan.rank);
      if (plan.free) {
        for (const key of ['price', 'terms', 'paymentMethods', 'license'] as const) if (plan[key] !== undefined) add(planAt(key), 'a free plan has no ' + key);
        return;
      }
      for (const key of ['price', 'terms', 'paymentMethods'] as const) if (plan[key] === undefined) add(planAt(key), 'required for a paid plan');
      if (plan.license && plan.license.limit && plan.limits[plan.license.limit] === undefined) add(planAt('license', 'limit'), `the plan has no "${plan.license.limit}" limit`);
      plan.paymentMethods?.forEach((rule, r) =>
        rule.terms?.forEach((term, t) => {
          if (plan.terms && !plan.terms.includes(term)) add(planAt('paymentMethods', r, 'terms', t), `${term} is not a term of this plan`);
        }),
      );
    });
    if (product.spot?.limit && !product.plans.some((plan) => plan.limits[product.spot!.limit] !== undefined)) add(at('spot', 'limit'), `no plan has a "${product.spot.limit}" limit`);
  });
  return issues;
}

export type CatalogFile = z.infer<typeof catalogSchema>;
export type Product = CatalogFile['products'][number];
export type Plan = Product['plans'][number];
export type PaymentRule = z.infer<typeof paymentRuleSchema>;

/**
 * Options every account accepts whatever its product, beside those the product declares (a
 * product's own option of the same name wins). `lang`: the language of its notices
 * (docs/notices.md); not stored unless chosen, so the default applies when absent.
 */
export const ACCOUNT_OPTIONS: Readonly<Record<string, { values: readonly string[]; default: string }>> = { lang: { values: ['ja', 'en'], default: 'ja' } };

/** A loaded, validated catalog with lookups. */
export interface Catalog {
  readonly products: readonly Product[];
  product(id: string): Product | undefined;
  /** The plan and the product it belongs to. */
  plan(id: string): { product: Product; plan: Plan } | undefined;
}

export interface CatalogIssue {
  path: string;
  message: string;
}

/** Thrown by {@link parseCatalog}: every problem of the file at once, each with its path. */
export class CatalogError extends Error {
  constructor(readonly issues: CatalogIssue[]) {
    super(`Invalid catalog:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

/**
 * Validates a parsed catalog file and returns the catalog, or throws {@link CatalogError}.
 *
 * @example
 * const catalog = parseCatalog(JSON.parse(text));
 * catalog.plan('starter')?.plan.price; // { amount: 5000, per: 'P1M' }
 */
export function parseCatalog(data: unknown): Catalog {
  const result = catalogSchema.safeParse(data);
  const issues = [...(result.success ? [] : result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))), ...crossFieldIssues(data)];
  if (!result.success || issues.length > 0) throw new CatalogError(issues);
  const products = result.data.products.map((product) => ({
    ...product,
    plans: [...product.plans].sort((a, b) => a.rank - b.rank),
  }));
  const byPlan = new Map<string, { product: Product; plan: Plan }>();
  for (const product of products) for (const plan of product.plans) byPlan.set(plan.id, { product, plan });
  return {
    products,
    product: (id) => products.find((p) => p.id === id),
    plan: (id) => byPlan.get(id),
  };
}

/**
 * The order types a product offers (API.md "Orders"), as the order rules decide them: a new
 * contract always; spots and license additions where the catalog sells them (SPEC §3); plan
 * changes where terms renew by themselves (§5); upgrades and upgrade renewals where a term expires
 * to the free plan with an upgrade window (§4). GET /v1/catalog lists them; a refusal names them.
 */
export function orderTypesOffered(product: Product): Array<'new-contract' | 'spot' | 'license-addition' | 'plan-change' | 'upgrade' | 'renewal'> {
  const types: Array<'new-contract' | 'spot' | 'license-addition' | 'plan-change' | 'upgrade' | 'renewal'> = ['new-contract'];
  if (product.spot) types.push('spot');
  if (product.licenseAdditions) types.push('license-addition');
  if (product.renewal.mode === 'renew-same-term') types.push('plan-change');
  if (product.renewal.mode === 'expire-to-free' && product.renewal.upgradeWindow) types.push('upgrade', 'renewal');
  return types;
}

/** The product's free plan, if it has one (SPEC §2: a new account starts there). */
export function freePlan(product: Product): Plan | undefined {
  return product.plans.find((plan) => plan.free);
}

/** The payment methods a plan allows on a term: first matching rule per method (SPEC B7). */
export function allowedPaymentMethods(plan: Plan, term: Term): PaymentMethod[] {
  return (plan.paymentMethods ?? []).filter((rule) => !rule.terms || rule.terms.includes(term)).map((rule) => rule.method);
}

/**
 * Tax-excluded price of one license (or of the plan) for a whole term: the price per month
 * (or per year) × the term's months (SPEC §2: no term discount).
 *
 * @example termPrice(starter, 'P12M') // 60000
 */
export function termPrice(plan: Plan, term: Term): number {
  if (!plan.price) return 0;
  const months = termMonths(term);
  return plan.price.per === 'P1M' ? plan.price.amount * months : (plan.price.amount * months) / 12;
}

/** Monthly price of one license: the unit of spot orders and license additions (SPEC S4, S6). */
export function monthlyPrice(plan: Plan): number {
  if (!plan.price) return 0;
  return plan.price.per === 'P1M' ? plan.price.amount : Math.floor(plan.price.amount / 12);
}
