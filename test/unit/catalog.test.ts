import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import {
  allowedPaymentMethods,
  CatalogError,
  freePlan,
  monthlyPrice,
  parseCatalog,
  termPrice,
  type Catalog,
  type Plan,
} from '../../src/domain/catalog.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLE_TEXT = readFileSync(resolve(REPO_ROOT, 'catalog', 'sample.json'), 'utf8');

/** A fresh, mutable copy of the sample catalog file. */
function sample(): any {
  return JSON.parse(SAMPLE_TEXT);
}

function plan(catalog: Catalog, id: string): Plan {
  const found = catalog.plan(id);
  if (!found) throw new Error(`sample catalog has no plan ${id}`);
  return found.plan;
}

/** Parses a broken variant of the sample and returns the CatalogError it throws. */
function catalogErrorOf(mutate: (file: any) => void): CatalogError {
  const file = sample();
  mutate(file);
  try {
    parseCatalog(file);
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogError);
    return e as CatalogError;
  }
  throw new Error('expected parseCatalog to throw CatalogError');
}

function pathsOf(error: CatalogError): string[] {
  return error.issues.map((i) => i.path);
}

describe('§2: the sample catalog', () => {
  const catalog = parseCatalog(sample());

  it('§2: loads with its three products', () => {
    expect(catalog.products.map((p) => p.id)).toEqual(['teamspace', 'premium', 'ebook5']);
  });

  it('§2: plans come back sorted by rank, low to high', () => {
    for (const product of catalog.products) {
      const ranks = product.plans.map((p) => p.rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    expect(catalog.product('premium')?.plans.map((p) => p.id)).toEqual(['premium-free', 'plan-5', 'plan-10', 'plan-20', 'plan-30']);
    expect(catalog.product('ebook5')?.plans.map((p) => p.id)).toEqual(['personal-1', 'business-5', 'business-10', 'business-30']);
  });

  it('§2: sorts plans by rank even when the file lists them out of order', () => {
    const file = sample();
    file.products[1].plans.reverse();
    const shuffled = parseCatalog(file);
    expect(shuffled.product('premium')?.plans.map((p) => p.id)).toEqual(['premium-free', 'plan-5', 'plan-10', 'plan-20', 'plan-30']);
  });

  it("§2: catalog.plan('starter') belongs to teamspace", () => {
    const found = catalog.plan('starter');
    expect(found?.product.id).toBe('teamspace');
    expect(found?.plan.name).toBe('Starter');
    expect(found?.plan.license).toEqual({ limit: 'seats', size: 100 });
    expect(catalog.plan('no-such-plan')).toBeUndefined();
    expect(catalog.product('no-such-product')).toBeUndefined();
  });

  it('§2: freePlan is the free plan of teamspace and premium, and undefined for ebook5', () => {
    expect(freePlan(catalog.product('teamspace')!)?.id).toBe('teamspace-free');
    expect(freePlan(catalog.product('teamspace')!)?.limits).toEqual({ seats: 10 });
    expect(freePlan(catalog.product('premium')!)?.id).toBe('premium-free');
    expect(freePlan(catalog.product('premium')!)?.limits).toEqual({ connections: 3 });
    expect(freePlan(catalog.product('ebook5')!)).toBeUndefined();
  });

  it('B7: invoice payment is allowed for business-10 on P12M only', () => {
    expect(allowedPaymentMethods(plan(catalog, 'business-10'), 'P12M')).toEqual(['bank-transfer', 'card', 'paypal', 'invoice']);
    expect(allowedPaymentMethods(plan(catalog, 'business-10'), 'P3M')).toEqual(['bank-transfer', 'card', 'paypal']);
    expect(allowedPaymentMethods(plan(catalog, 'business-30'), 'P12M')).toContain('invoice');
  });

  it('B7: invoice payment is not allowed below Business 10, even on P12M', () => {
    expect(allowedPaymentMethods(plan(catalog, 'business-5'), 'P12M')).not.toContain('invoice');
    expect(allowedPaymentMethods(plan(catalog, 'personal-1'), 'P12M')).not.toContain('invoice');
    expect(allowedPaymentMethods(plan(catalog, 'starter'), 'P12M')).not.toContain('invoice');
  });

  it('§2: a term price is the monthly price × its months (no term discount)', () => {
    expect(termPrice(plan(catalog, 'starter'), 'P12M')).toBe(60000);
    expect(termPrice(plan(catalog, 'plan-10'), 'P1Y')).toBe(5000);
    expect(termPrice(plan(catalog, 'business-5'), 'P3M')).toBe(15000);
    expect(termPrice(plan(catalog, 'personal-1'), 'P6M')).toBe(9000);
    expect(termPrice(plan(catalog, 'plan-30'), 'P1Y')).toBe(12000);
    expect(termPrice(plan(catalog, 'teamspace-free'), 'P12M')).toBe(0);
  });

  it('S4: the monthly price of a Starter license is 5,000 yen', () => {
    expect(monthlyPrice(plan(catalog, 'starter'))).toBe(5000);
    expect(monthlyPrice(plan(catalog, 'business-10'))).toBe(9000);
    expect(monthlyPrice(plan(catalog, 'premium-free'))).toBe(0);
  });
});

describe('§2: an invalid catalog is refused with errors that name the bad field', () => {
  it('§2: a negative price names products.0.plans.1.price.amount', () => {
    const error = catalogErrorOf((f) => {
      f.products[0].plans[1].price.amount = -1;
    });
    expect(pathsOf(error)).toEqual(['products.0.plans.1.price.amount']);
  });

  it('§2: a paid plan without terms names products.2.plans.0.terms', () => {
    const error = catalogErrorOf((f) => {
      delete f.products[2].plans[0].terms;
    });
    expect(pathsOf(error)).toEqual(['products.2.plans.0.terms']);
  });

  it('§2: a paid plan without price or payment methods names each missing field', () => {
    const error = catalogErrorOf((f) => {
      delete f.products[1].plans[1].price;
      delete f.products[1].plans[1].paymentMethods;
    });
    expect(pathsOf(error)).toEqual(expect.arrayContaining(['products.1.plans.1.price', 'products.1.plans.1.paymentMethods']));
  });

  it('§2: a plan id used twice across products names the second one', () => {
    const error = catalogErrorOf((f) => {
      f.products[1].plans[1].id = 'starter';
    });
    expect(pathsOf(error)).toEqual(['products.1.plans.1.id']);
    expect(error.issues[0]?.message).toContain('starter');
    expect(error.issues[0]?.message).toContain('teamspace');
  });

  it('§2: two plans of a product with the same rank', () => {
    const error = catalogErrorOf((f) => {
      f.products[1].plans[2].rank = 1;
    });
    expect(pathsOf(error)).toEqual(['products.1.plans.2.rank']);
  });

  it('§2: a product has at most one free plan', () => {
    const error = catalogErrorOf((f) => {
      f.products[1].plans.push({ id: 'premium-free-2', name: 'Free 2', rank: 9, free: true, limits: { connections: 1 }, features: [] });
    });
    expect(pathsOf(error)).toEqual(['products.1.plans']);
  });

  it('§2: a free plan carries no price', () => {
    const error = catalogErrorOf((f) => {
      f.products[0].plans[0].price = { amount: 0, per: 'P1M' };
    });
    expect(pathsOf(error)).toEqual(['products.0.plans.0.price']);
  });

  it('§2: an unknown payment method', () => {
    const error = catalogErrorOf((f) => {
      f.products[0].plans[1].paymentMethods[0].method = 'cash';
    });
    expect(pathsOf(error)).toEqual(['products.0.plans.1.paymentMethods.0.method']);
  });

  it('B7: a payment rule for a term the plan does not sell', () => {
    const error = catalogErrorOf((f) => {
      f.products[2].plans[2].paymentMethods[3].terms = ['P12M', 'P1Y'];
    });
    expect(pathsOf(error)).toEqual(['products.2.plans.2.paymentMethods.3.terms.1']);
    expect(error.issues[0]?.message).toContain('P1Y');
  });

  it('§2: an unknown top-level key is refused and named in the message', () => {
    const error = catalogErrorOf((f) => {
      f.extra = true;
    });
    expect(pathsOf(error)).toEqual(['']);
    expect(error.issues[0]?.message).toContain('extra');
    expect(error.message).toContain('(root)');
  });

  it('§2: a license whose limit the plan lacks', () => {
    const error = catalogErrorOf((f) => {
      f.products[0].plans[1].license.limit = 'books';
    });
    expect(pathsOf(error)).toEqual(['products.0.plans.1.license.limit']);
  });

  it('§2: an unknown term', () => {
    const error = catalogErrorOf((f) => {
      f.products[2].plans[0].terms = ['P1M', 'P2M'];
    });
    expect(pathsOf(error)).toEqual(['products.2.plans.0.terms.1']);
  });

  it('§2: several structural problems in one file are all reported at once', () => {
    const error = catalogErrorOf((f) => {
      f.products[0].plans[1].price.amount = -1;
      f.products[0].plans[1].paymentMethods[0].method = 'cash';
      f.extra = true;
    });
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
    expect(pathsOf(error)).toEqual(
      expect.arrayContaining(['products.0.plans.1.price.amount', 'products.0.plans.1.paymentMethods.0.method', '']),
    );
    expect(error.message).toContain('products.0.plans.1.price.amount');
    expect(error.message).toContain('products.0.plans.1.paymentMethods.0.method');
    expect(error.message).toContain('(root)');
  });

  it('§2: several cross-field problems in one file are all reported at once', () => {
    const error = catalogErrorOf((f) => {
      delete f.products[2].plans[0].terms;
      f.products[1].plans[2].rank = 1;
      f.products[1].plans[1].id = 'starter';
    });
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
    const paths = ['products.2.plans.0.terms', 'products.1.plans.2.rank', 'products.1.plans.1.id'];
    expect(pathsOf(error)).toEqual(expect.arrayContaining(paths));
    for (const path of paths) expect(error.message).toContain(path);
  });

  it('§2: a negative price, a duplicate id and a duplicate rank are all reported at once', () => {
    const error = catalogErrorOf((f) => {
      f.products[0].plans[1].price.amount = -1;
      f.products[1].plans[1].id = 'starter';
      f.products[1].plans[2].rank = 1;
    });
    const paths = ['products.0.plans.1.price.amount', 'products.1.plans.1.id', 'products.1.plans.2.rank'];
    expect(pathsOf(error)).toEqual(expect.arrayContaining(paths));
    for (const path of paths) expect(error.message).toContain(path);
  });

  // The cross-field rules run on a lenient reading of the file, so a type error elsewhere does not
  // hide them (zod 4 skips a superRefine after such an error).
  it('§2: an unknown payment method does not hide a duplicate id and a duplicate rank', () => {
    const error = catalogErrorOf((f) => {
      f.products[0].plans[1].paymentMethods[0].method = 'cash';
      f.products[1].plans[1].id = 'starter';
      f.products[1].plans[2].rank = 1;
    });
    expect(pathsOf(error)).toEqual(
      expect.arrayContaining(['products.0.plans.1.paymentMethods.0.method', 'products.1.plans.1.id', 'products.1.plans.2.rank']),
    );
  });
});
