/** Sign in by typing the operator key; a wrong key shows the API's 401 message under the field. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { createApiClient, toProblem } from '../shared/api.js';
import { Button, Card, Field, ProblemAlert } from '../shared/ui.js';
import { useTexts } from './context.js';

/** The key field's problem: a 401/403 is about the key, so its message goes next to it. */
function atKey(p: Problem): Problem {
  return p.status === 401 || p.status === 403 ? { ...p, errors: [{ path: 'operatorKey', message: p.detail }] } : p;
}

export function SignIn(props: { onSignedIn: (key: string) => void; initialProblem?: Problem | null }) {
  const { ct, lang } = useTexts();
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<Problem | null>(props.initialProblem ? atKey(props.initialProblem) : null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const typed = key.trim();
    try {
      // Any operator-only read proves the key: a customer token gets 403, a wrong key 401.
      await createApiClient({ token: () => typed || null, lang: () => lang }).get('/v1/accounts?limit=1');
      props.onSignedIn(typed);
    } catch (err) {
      setProblem(atKey(toProblem(err)));
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
