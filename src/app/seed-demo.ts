/** Demo accounts created on the first start, so every product can be tried at once (SPEC §2). */
import type { AppContext, Actor } from './context.js';
import { today } from './context.js';
import { createAccount } from './accounts.js';
import { placeOrder } from './orders.js';
import type { OrderRequest } from '../domain/orders/decide-order.js';
import { isRefusal } from '../domain/refusals.js';

const SEED: Actor = { kind: 'system', name: 'seed' };

const DEMO: Array<{ email: string; name: string; product: string; options?: Record<string, string>; order?: Omit<Extract<OrderRequest, { type: 'new-contract' }>, 'accountId' | 'startDate' | 'type'> }> = [
  { email: 'owner@teamspace.example', name: 'デモ商事株式会社', product: 'teamspace', order: { planId: 'starter', term: 'P12M', quantity: 100, paymentMethod: 'bank-transfer', renewal: 'renew' } },
  { email: 'free@teamspace.example', name: 'フリー工房', product: 'teamspace' },
  { email: 'hanako@premium.example', name: '山田花子', product: 'premium', order: { planId: 'plan-10', term: 'P1Y', paymentMethod: 'card' } },
  { email: 'editor@ebook5.example', name: 'デモ出版', product: 'ebook5', options: { externalPublishing: 'developer' }, order: { planId: 'business-5', term: 'P1M', paymentMethod: 'card' } },
];

/** Creates the demo accounts when the database has no account yet; returns what it made. */
export async function seedDemo(ctx: AppContext): Promise<string[]> {
  const any = await ctx.db.selectFrom('accounts').select('account_id').limit(1).executeTakeFirst();
  if (any) return [];
  const made: string[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    for (const demo of DEMO) {
      const account = await createAccount(ctx, trx, SEED, { email: demo.email, name: demo.name, product: demo.product, options: demo.options });
      if (isRefusal(account)) throw new Error(`demo seed refused: ${account.code}`);
      let line = `${account.id}  ${demo.product.padEnd(9)}  ${demo.email}`;
      if (demo.order) {
        const order = await placeOrder(ctx, trx, SEED, { type: 'new-contract', accountId: account.id, startDate: today(ctx), ...demo.order });
        if (isRefusal(order)) throw new Error(`demo seed order refused: ${order.code}`);
        line += `  ${demo.order.planId} ${order.period.start} – ${order.period.end}`;
      } else line += '  free plan';
      made.push(line);
    }
  });
  return made;
}
