/**
 * Cancel a contract now, on the customer's behalf (SPEC P5), with an optional refund that the API
 * issues as a credit note. The form checks what was typed (a reason, whole yen); the API decides
 * everything else, and its refusal shows next to its field.
 */
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button, Field, ProblemAlert } from '../shared/ui.js';
import { useConsole, useTexts } from './context.js';
import { checkWhole, focusFirstInvalid, formProblem, readableProblem } from '../shared/validate.js';

interface Cancellation {
  contractId: string;
  cancelledFrom: string;
  reason: string;
  refund: { creditNoteId: string; number: string; amount: { total: number } } | null;
  voided: Array<{ number: string; creditNoteNumber: string; total: number }>;
}

const FIELDS = ['reason', 'refund.amount', 'refund'] as const;

export function CancelContractForm(props: { accountId: string; contractId: string; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useConsole();
  const i18n = useTexts();
  const { ct, t, yen, date, lang } = i18n;
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const [reason, setReason] = useState('');
  const [refund, setRefund] = useState('');
  const [voidUnpaid, setVoidUnpaid] = useState(false);
  const voidId = useId();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // What to enter, field by field: for the form's own checks and for the API's invalid_request.
    const texts = { reason: ct('checkReason'), 'refund.amount': ct('checkRefund') };
    const own = formProblem(
      {
        reason: reason.trim() === '' || reason.trim().length > 1000 ? texts.reason : undefined,
        'refund.amount': checkWhole(refund, { min: 0, max: 1_000_000_000, optional: true }) ? texts['refund.amount'] : undefined,
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
      const body = { reason: reason.trim(), ...(refund.trim() !== '' ? { refund: { amount: Number(refund.trim()) } } : {}), ...(voidUnpaid ? { voidUnpaid: true } : {}) };
      const done = await api.post<Cancellation>(`/v1/accounts/${props.accountId}/contracts/${props.contractId}/cancel`, body);
      const sep = lang === 'ja' ? '' : ' ';
      const message =
        ct('cancelled', { date: date(done.cancelledFrom) }) +
        (done.refund ? `${sep}${ct('cancelledRefund', { number: done.refund.number, amount: yen(done.refund.amount.total) })}` : '') +
        done.voided.map((v) => `${sep}${ct('cancelledVoided', { number: v.number, amount: yen(v.total), creditNote: v.creditNoteNumber })}`).join('');
      props.onDone(message);
    } catch (err) {
      setProblem(readableProblem(toProblem(err), texts, i18n));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={form} className="kc-form" onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="cancel-form">
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
      <div className="k-field">
        <label className="k-check" htmlFor={voidId}>
          <input id={voidId} type="checkbox" checked={voidUnpaid} onChange={(e) => setVoidUnpaid(e.target.checked)} aria-describedby={`${voidId}-hint`} data-testid="cancel-void-unpaid" />
          {ct('voidUnpaid')}
        </label>
        <span className="k-muted" id={`${voidId}-hint`}>
          {ct('voidUnpaidHint')}
        </span>
      </div>
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
