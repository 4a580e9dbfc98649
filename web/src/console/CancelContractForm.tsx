/**
 * Cancel a contract now, on the customer's behalf (SPEC P5), with an optional refund that the API
 * issues as a credit note. The API decides everything; its refusal shows next to its field.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button, Field, ProblemAlert } from '../shared/ui.js';
import { useConsole, useTexts } from './context.js';

interface Cancellation {
  contractId: string;
  cancelledFrom: string;
  reason: string;
  refund: { creditNoteId: string; number: string; amount: { total: number } } | null;
}

const FIELDS = ['reason', 'refund.amount', 'refund'] as const;

export function CancelContractForm(props: { accountId: string; contractId: string; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useConsole();
  const { ct, t, yen, date, lang } = useTexts();
  const headingId = useId();
  const [reason, setReason] = useState('');
  const [refund, setRefund] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const body = { reason, ...(refund.trim() !== '' ? { refund: { amount: Number(refund) } } : {}) };
      const done = await api.post<Cancellation>(`/v1/accounts/${props.accountId}/contracts/${props.contractId}/cancel`, body);
      const message = ct('cancelled', { date: date(done.cancelledFrom) }) + (done.refund ? `${lang === 'ja' ? '' : ' '}${ct('cancelledRefund', { number: done.refund.number, amount: yen(done.refund.amount.total) })}` : '');
      props.onDone(message);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="kc-form" onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="cancel-form">
      <h3 id={headingId}>{ct('cancelContract')}</h3>
      <p className="k-muted">{ct('cancelIntro')}</p>
      <ProblemAlert problem={problem} fields={FIELDS} />
      <Field label={ct('reason')} name="reason" problem={problem}>
        {({ id, describedBy, invalid }) => (
          <textarea id={id} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} autoFocus data-testid="cancel-reason" />
        )}
      </Field>
      <Field label={ct('refundAmount')} name="refund.amount" hint={ct('refundHint')} problem={problem}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="number" inputMode="numeric" min={0} step={1} value={refund} onChange={(e) => setRefund(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="cancel-refund" />
        )}
      </Field>
      <div className="k-actions">
        <Button type="submit" variant="danger" busy={busy} data-testid="confirm-cancel">
          {ct('confirmCancel')}
        </Button>
        <Button variant="secondary" onClick={props.onClose}>
          {t('close')}
        </Button>
      </div>
    </form>
  );
}
