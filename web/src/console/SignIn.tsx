/**
 * Sign in by typing the operator key. What is wrong is said in plain words under the field: no
 * key typed, a wrong key (401), a customer portal token (403), or — when the console was sent
 * back here — a key that stopped working while in use.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { createApiClient, toProblem } from '../shared/api.js';
import { Button, Card, Field, ProblemAlert } from '../shared/ui.js';
import { useTexts } from './context.js';

export function SignIn(props: { onSignedIn: (key: string) => void; expired?: boolean }) {
  const { ct, lang } = useTexts();
  const [key, setKey] = useState('');
  const atKey = (message: string): Problem => ({ status: 0, code: 'operator_key', detail: message, errors: [{ path: 'operatorKey', message }] });
  const [problem, setProblem] = useState<Problem | null>(props.expired ? atKey(ct('keyExpired')) : null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const typed = key.trim();
    if (!typed) {
      setProblem(atKey(ct('keyEmpty')));
      return;
    }
    setBusy(true);
    try {
      // Any operator-only read proves the key: a customer token gets 403, a wrong key 401.
      await createApiClient({ token: () => typed, lang: () => lang }).get('/v1/accounts?limit=1');
      props.onSignedIn(typed);
    } catch (err) {
      const p = toProblem(err);
      // The key's problems in the console's words; anything else (the server unreachable) as it is.
      setProblem(p.status === 401 ? atKey(ct('keyWrong')) : p.status === 403 ? atKey(ct('keyNotOperator')) : p);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={ct('signInTitle')} testId="sign-in">
      <p>{ct('signInIntro')}</p>
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} fields={['operatorKey']} />
        <Field label={ct('operatorKey')} name="operatorKey" hint={ct('operatorKeyHint')} problem={problem}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="password"
              autoComplete="current-password"
              className="kc-input"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              autoFocus
            />
          )}
        </Field>
        <Button type="submit" busy={busy}>
          {ct('signIn')}
        </Button>
      </form>
    </Card>
  );
}
