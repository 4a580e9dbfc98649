/** Payments as recorded (never edited): one row per invoice a payment settles. */
import type { Selectable, Transaction } from 'kysely';
import type { Database, PaymentsTable } from './tables.js';
import type { Db } from './db.js';

export interface PaymentRecord {
  accountId: string;
  id: string;
  invoiceId: string;
  /** One bank transfer paying several invoices: its rows share this id. */
  transferId: string;
  amount: number;
  bankFee: number;
  method: 'bank-transfer' | 'card' | 'paypal';
  paidOn: string;
  reference: string | null;
  provider: string | null;
  providerRef: string | null;
  actor: string;
  createdAt: string;
}

export async function insertPayment(trx: Transaction<Database>, p: PaymentRecord): Promise<void> {
  await trx
    .insertInto('payments')
    .values({
      account_id: p.accountId,
      id: p.id,
      invoice_id: p.invoiceId,
      transfer_id: p.transferId,
      amount: p.amount,
      bank_fee: p.bankFee,
      method: p.method,
      paid_on: p.paidOn,
      reference: p.reference,
      provider: p.provider,
      provider_ref: p.providerRef,
      actor: p.actor,
      created_at: p.createdAt,
    })
    .execute();
}

function toPayment(r: Selectable<PaymentsTable>): PaymentRecord {
  return {
    accountId: r.account_id,
    id: r.id,
    invoiceId: r.invoice_id,
    transferId: r.transfer_id,
    amount: Number(r.amount),
    bankFee: Number(r.bank_fee),
    method: r.method as PaymentRecord['method'],
    paidOn: r.paid_on,
    reference: r.reference,
    provider: r.provider,
    providerRef: r.provider_ref,
    actor: r.actor,
    createdAt: r.created_at.toISOString(),
  };
}

/** An invoice's payments, oldest first. */
export async function paymentsOfInvoice(db: Db | Transaction<Database>, accountId: string, invoiceId: string): Promise<PaymentRecord[]> {
  const rows = await db.selectFrom('payments').selectAll().where('account_id', '=', accountId).where('invoice_id', '=', invoiceId).orderBy('seq').execute();
  return rows.map(toPayment);
}
