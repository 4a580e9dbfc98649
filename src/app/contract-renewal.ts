/** The customer's renewal choice on a running contract: renew, or return to the free plan (SPOT, S3, S7). */
import { Temporal } from 'temporal-polyfill';
import { lockAccount } from '../store/accounts.js';
import { setRenewal } from '../store/contracts.js';
import type { RenewalChoice } from '../domain/contract.js';
import { contractEnd, productOf } from '../domain/contract.js';
import { renewalChoices } from '../domain/orders/new-contract.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { Actor, AppContext, Tx } from './context.js';
import { today } from './context.js';
import { loadFacts } from './state.js';
import { audit } from './audit.js';
import { insertEffects } from '../store/effects.js';
import { endingNoticeEffects } from './scheduler.js';

export async function setRenewalChoice(ctx: AppContext, trx: Tx, actor: Actor, input: { accountId: string; contractId: string; renewal: RenewalChoice }): Promise<{ contractId: string; renewal: RenewalChoice; end: string } | Refusal> {
  const account = await lockAccount(trx, input.accountId);
  if (!account) return refuse('account_not_found', { id: input.accountId });
  const facts = await loadFacts(trx, account);
  const contract = facts.contracts.find((c) => c.id === input.contractId);
  if (!contract) return refuse('contract_not_found', { id: input.contractId });
  const end = contractEnd(contract);
  if (!end || contract.cancelledFrom || Temporal.PlainDate.compare(today(ctx), end) > 0) return refuse('contract_not_active', { id: contract.id, today: today(ctx).toString() });
  const product = productOf(ctx.catalog, contract.productId);
  const choices = renewalChoices(product.renewal.mode);
  if (!choices.includes(input.renewal)) return refuse('renewal_not_offered', { product: product.id, renewal: input.renewal, choices: choices.join(', ') }, 'renewal');
  // S7: while set to return to the free plan, no spot may run past the current end.
  const past = contract.grants.filter((g) => g.kind === 'spot' && Temporal.PlainDate.compare(g.end, end) > 0);
  if (input.renewal === 'to-free' && past.length > 0) return refuse('spots_past_term_end', { spotEnd: past[0]!.end.toString(), end: end.toString() }, 'renewal');
  if (contract.renewal !== input.renewal) {
    await setRenewal(trx, account.id, contract.id, input.renewal);
    await audit(ctx, trx, actor, { accountId: account.id, action: 'contract.renewal_changed', subjectType: 'contract', subjectId: contract.id, before: { renewal: contract.renewal }, after: { renewal: input.renewal } });
    // Now ending: the reminder and the seat warning a term scheduled to end has (a term set to renew
    // had none). Switched back and forth, they may be scheduled twice: each notice is sent once (its
    // dedupe key) and only while the term still ends.
    if (input.renewal === 'to-free') await insertEffects(trx, endingNoticeEffects(ctx, account.id, contract.id, contract.terms.at(-1)!, product));
  }
  return { contractId: contract.id, renewal: input.renewal, end: end.toString() };
}
