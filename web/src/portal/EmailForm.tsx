/**
 * A form of one email address that mails something to it: the sign-in link (RequestLink) and the
 * email change's confirmation (Settings). It checks the address itself, says what was sent above
 * the form, and shows the API's refusal at the field.
 */
import type { ReactNode } from 'react';
import { useRef, useState } from 'react';
import type { CommonKey, Text } from '../shared/i18n.js';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Field, ProblemAlert } from '../shared/ui.js';
import { focusFirstInvalid, formProblem, looksLikeEmail, readableProblem } from '../shared/validate.js';
import { useAction } from '../shared/use-action.js';

export interface EmailFormProps {
  label: CommonKey | Text;
  hint?: Text;
  /** Said when nothing is typed. */
  empty: Text;
  /** Said when what is typed is not an address. */
  malformed: Text;
  button: Text;
  variant?: 'primary' | 'secondary';
  inputTestId: string;
  sentTestId: string;
  /** Sends it; answers the message shown once it is sent. */
  submit(email: string): Promise<string>;
  /** Empty the field once sent. */
  clearOnSent?: boolean;
}

export function EmailForm(props: EmailFormProps): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const texts = { email: t(props.malformed) };
  const { busy, problem, run, fail } = useAction((p) => readableProblem(p, texts, i18n));

  async function send() {
    const typed = email.trim();
    const own = formProblem({ email: typed === '' ? t(props.empty) : looksLikeEmail(typed) ? undefined : texts.email }, i18n);
    fail(own);
    setSent(null);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    if (busy) return;
    await run(async () => {
      setSent(await props.submit(typed));
      if (props.clearOnSent) setEmail('');
    });
    focusFirstInvalid(form.current);
  }

  return (
    <>
      {sent ? (
        <Alert kind="success" testId={props.sentTestId}>
          {sent}
        </Alert>
      ) : null}
      <form
        ref={form}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <Field label={t(props.label)} name="email" hint={props.hint ? t(props.hint) : undefined} problem={problem}>
          {({ id, describedBy, invalid }) => <input id={id} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} data-testid={props.inputTestId} />}
        </Field>
        <ProblemAlert problem={problem} fields={['email']} />
        <div className="k-actions">
          <Button type="submit" variant={props.variant} busy={busy}>
            {t(props.button)}
          </Button>
        </div>
      </form>
    </>
  );
}
