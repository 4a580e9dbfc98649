/**
 * Record a payment received on an invoice (POST /v1/invoices/{id}/payments, operator only):
 * amount, method, the day it was received, the bank fee the bank kept, a reference. The API
 * decides (partial payment, overpayment, fee); each refusal shows next to the field it names.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button, Field, ProblemAlert } from '../shared/ui.js';
import { useConsole, useTexts } from './context.js';
import type { Invoice, InvoiceStatus } from './types.js';

const METHODS = ['bank-transfer', 'card', 'paypal'] as const;
const FIELDS = ['amount', 'method', 'paidOn', 'bankFee', 'reference'] as const;

interface Recorded {
  payment: { amount: number };
  invoice: { number: string; status: InvoiceStatus; paidAmount: number; balance: number };
}

/** A number field's text as the API expects it: a number when it reads as one, else the text (the API says what is wrong). */
function numberOrText(value: string): number | string {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

export function RecordPaymentForm(props: { invoice: Invoice; onClose: () => void; onDone: (message: string) => void }) {
  const { api, today } = useConsole();
  const { ct, t, label, yen, yenPlain } = useTexts();
  const headingId = useId();
  const inv = props.invoice;
  const balance = inv.balance ?? inv.amount.total;
  const [amount, setAmount] = useState(String(balance));
  const [method, setMethod] = useState<string>((METHODS as readonly string[]).includes(inv.paymentMethod) ? inv.paymentMethod : 'bank-transfer');
  const [paidOn, setPaidOn] = useState(today ?? '');
  const [bankFee, setBankFee] = useState('');
  const [reference, setReference] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const body = {
        amount: numberOrText(amount),
        method,
        paidOn,
        ...(method === 'bank-transfer' && bankFee.trim() !== '' ? { bankFee: numberOrText(bankFee) } : {}),
        ...(reference.trim() !== '' ? { reference: reference.trim() } : {}),
      };
      const done = await api.post<Recorded>(`/v1/invoices/${inv.id}/payments`, body);
      props.onDone(ct('paymentRecorded', { number: done.invoice.number, amount: yenPlain(done.payment.amount), status: label('status', done.invoice.status) }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const field = (invalid: boolean, describedBy: string | undefined) => ({ 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined });
  return (
    <form className="kc-form" onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="payment-form">
      <h3 id={headingId}>{ct('paymentFor', { number: inv.number, balance: yen(balance) })}</h3>
      <ProblemAlert problem={problem} fields={FIELDS} />
      <div className="kc-grid">
        <Field label={ct('paymentAmount')} name="amount" problem={problem}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="number" inputMode="numeric" min={1} step={1} value={amount} onChange={(e) => setAmount(e.target.value)} {...field(invalid, describedBy)} autoFocus data-testid="payment-amount" />
          )}
        </Field>
        <Field label={ct('paymentMethod')} name="method" problem={problem}>
          {({ id, describedBy, invalid }) => (
            <select id={id} value={method} onChange={(e) => setMethod(e.target.value)} {...field(invalid, describedBy)} data-testid="payment-method">
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {label('pm', m)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={ct('paidOn')} name="paidOn" problem={problem}>
          {({ id, describedBy, invalid }) => <input id={id} type="date" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} {...field(invalid, describedBy)} data-testid="payment-paid-on" />}
        </Field>
        {method === 'bank-transfer' ? (
          <Field label={ct('bankFee')} name="bankFee" hint={ct('bankFeeHint')} problem={problem}>
            {({ id, describedBy, invalid }) => (
              <input id={id} type="number" inputMode="numeric" min={0} step={1} value={bankFee} onChange={(e) => setBankFee(e.target.value)} {...field(invalid, describedBy)} data-testid="payment-bank-fee" />
            )}
          </Field>
        ) : null}
        <Field label={ct('reference')} name="reference" problem={problem}>
          {({ id, describedBy, invalid }) => <input id={id} type="text" value={reference} onChange={(e) => setReference(e.target.value)} {...field(invalid, describedBy)} data-testid="payment-reference" />}
        </Field>
      </div>
      <div className="k-actions">
        <Button type="submit" busy={busy} data-testid="save-payment">
          {ct('savePayment')}
        </Button>
        <Button variant="secondary" onClick={props.onClose}>
          {t('close')}
        </Button>
      </div>
    </form>
  );
}
