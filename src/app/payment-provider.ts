/**
 * The payment-provider port (DESIGN 11: own your ports): what Keiyaku needs of a card/PayPal
 * processor. A real provider (Stripe, PAY.JP, GMO-PG…) implements `charge` with the idempotency
 * key passed through, so a retried request never charges twice.
 */
import { createHash } from 'node:crypto';

export interface ChargeRequest {
  accountId: string;
  invoiceId: string;
  /** Yen, tax included. */
  amount: number;
  method: 'card' | 'paypal';
  /** The provider's token for the card or PayPal approval, from its client-side widget. */
  token: string | undefined;
  /** Same key → same charge at the provider: derived from the invoice and what it had settled. */
  idempotencyKey: string;
}

export type ChargeResult = { status: 'succeeded'; providerRef: string } | { status: 'declined'; reason: string };

export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

/**
 * The demo provider: no network, no money. Every charge succeeds except with the token
 * `tok_decline` (a declined card) — like the test cards of real providers. Its reference is
 * derived from the idempotency key, so a retry answers the same charge.
 */
export const sandboxProvider: PaymentProvider = {
  name: 'sandbox',
  charge(request) {
    if (request.token === 'tok_decline') return Promise.resolve({ status: 'declined', reason: 'card_declined' });
    const ref = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 20);
    return Promise.resolve({ status: 'succeeded', providerRef: `sbx_${ref}` });
  },
};
