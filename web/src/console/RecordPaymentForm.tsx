/**
 * Record a payment received on an invoice (POST /v1/invoices/{id}/payments, operator only):
 * amount, method, the day it was received, the bank fee the bank kept, a reference. The form
 * checks what was typed (whole yen, a real date); the API decides the rest (partial payment,
 * overpayment, fee), and each refusal shows next to the field it names.
 */
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button, Field, ProblemAlert } from '../shared/ui.js';
import { useConsole, useTexts } from './context.js';
import { checkWhole, focusFirstInvalid, formProblem, isRealDate, readableProblem } from '../shared/validate.js';
import type { Invoice, InvoiceStatus } from './types.js';

const METHODS = ['bank-transfer', 'card', 'paypal'] as const;
const FIELDS = ['amount', 'method', 'paidOn', 'bankFee', 'reference'] as const;

interface Recorded {
  payment: { amount: number };
  invoice: { number: string; status: InvoiceStatus; paidAmount: number; balance: number };
}


export function RecordPaymentForm(props: { invoice: Invoice; onClose: () => void; onDone: (message: string) => void }) {
  const { api, today } = useConsole();
  const i18n = useTexts();
  const { ct, t, label, yen, yenPlain } = i18n;
  const form = useRef<HTMLFormElement>(null);
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
    // What to enter, field by field: for the form's own checks and for the API's invalid_request.
    const texts = {
      amount: ct('checkPaymentAmount'),
      method: ct('checkPaymentMethod'),
      paidOn: ct('checkPaidOn'),
      bankFee: ct('checkBankFee'),
      reference: ct('checkReference'),
    };
    const withFee = method === 'bank-transfer' && bankFee.trim() !== '';
    const own = formProblem(
      {
        amount: checkWhole(amount, { min: 1, max: 1_000_000_000_000 }) ? texts.amount : undefined,
        paidOn: paidOn.trim() === '' ? ct('checkPaidOnEmpty') : isRealDate(paidOn) ? undefined : texts.paidOn,
        bankFee: method === 'bank-transfer' && checkWhole(bankFee, { min: 0, max: 1_000_000, optional: true }) ? texts.bankFee : undefined,
        reference: reference.trim().length > 200 ? texts.reference : undefined,
      },
      i18n,
    );
    setProblem(own);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const body = {
        amount: Number(amount.trim()),
        method,
        paidOn: paidOn.trim(),
        ...(withFee ? { bankFee: Number(bankFee.trim()) } : {}),
        ...(reference.trim() !== '' ? { reference: reference.trim() } : {}),
      };
      const done = await api.post<Recorded>(`/v1/invoices/${inv.id}/payments`, body);
      props.onDone(ct('paymentRecorded', { number: done.invoice.number, amount: yenPlain(done.payment.amount), status: label('status', done.invoice.status) }));
    } catch (err) {
      setProblem(readableProblem(toProblem(err), texts, i18n));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  const field = (invalid: boolean, describedBy: string | undefined) => ({ 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined });
  return (
    <form ref={form} className="kc-form" onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="payment-form">
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
