/** GET /v1/catalog as the portal and the console read it (API.md; the full shape in GET /openapi.json). */
export interface CatalogPlan {
  id: string;
  name: string;
  rank: number;
  free: boolean;
  limits: Record<string, number>;
  features: string[];
  license: { limit: string; size: number } | null;
  price: { amount: number; per: string } | null;
  terms: string[];
  paymentMethods: Array<{ method: string; terms?: string[] }>;
}

export interface CatalogProduct {
  id: string;
  name: string;
  names?: { ja: string; en: string };
  renewal: { mode: string; default?: string; upgradeWindow?: string };
  spot: { limit: string } | null;
  licenseAdditions: boolean;
  /** The order types the product offers, as the API decides them. */
  orderTypes: Array<'new-contract' | 'spot' | 'license-addition' | 'plan-change' | 'upgrade' | 'renewal'>;
  /** The product's own account options (ebook5: externalPublishing) with their values and default. */
  options?: Record<string, { values: string[]; default: string }>;
  plans: CatalogPlan[];
}
