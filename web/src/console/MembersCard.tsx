/**
 * The account's members (products with seats): status, groups, when they registered — and what the
 * operator does for a customer who calls: deactivate a member who left (after a confirmation in its
 * row; never the owner-manager), reactivate a deactivated member when a seat is free (SPEC S9),
 * register a member within the seat limit (S8). The API decides; its refusal (no free
 * seat, an email already a member) is shown at the member or the field it concerns.
 */
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Button, Card, ConfirmBox, Field, ProblemAlert } from '../shared/ui.js';
import { focusFirstInvalid, formProblem, looksLikeEmail, readableProblem } from '../shared/validate.js';
import { formatInstant, useConsole, useLoad, useTexts } from './context.js';
import { DataTable, LoadProblem, Loading, Outcome, StatusBadge } from './parts.js';
import type { Member } from './types.js';

export function MembersCard(props: { accountId: string; version: number; onChanged: () => void }) {
  const { api, timeZone } = useConsole();
  const { ct, t, lang } = useTexts();
  const members = useLoad(async () => (await api.get<{ members: Member[] }>(`/v1/accounts/${props.accountId}/members`)).members, [api, props.accountId, props.version]);
  const [done, setDone] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  // A reactivation's or deactivation's refusal, shown in the member's row.
  const [refused, setRefused] = useState<{ id: string; message: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // The member whose deactivation waits for the operator's confirmation.
  const [confirming, setConfirming] = useState<string | null>(null);
  // The member being corrected (name, email).
  const [editing, setEditing] = useState<Member | null>(null);

  async function deactivate(m: Member) {
    setBusy(m.id);
    setDone(null);
    setRefused(null);
    try {
      await api.post(`/v1/accounts/${props.accountId}/members/${m.id}/deactivate`, {});
      setConfirming(null);
      setDone(ct('memberDeactivated', { email: m.email }));
      props.onChanged();
    } catch (err) {
      setConfirming(null);
      setRefused({ id: m.id, message: toProblem(err).detail });
    } finally {
      setBusy(null);
    }
  }

  async function reactivate(m: Member) {
    setBusy(m.id);
    setDone(null);
    setRefused(null);
    try {
      await api.post(`/v1/accounts/${props.accountId}/members/${m.id}/reactivate`, {});
      setDone(ct('memberReactivated', { email: m.email }));
      props.onChanged();
    } catch (err) {
      setRefused({ id: m.id, message: toProblem(err).detail });
    } finally {
      setBusy(null);
    }
  }

  const leaving = members.data?.find((m) => m.id === confirming && m.status === 'active' && m.role !== 'owner');
  // Products without seats have no members: no card for them.
  if (members.data && members.data.length === 0) return null;
  return (
    <Card title={ct('membersTitle')} testId="members">
      <LoadProblem problem={members.problem} onRetry={() => void members.reload()} />
      <Loading when={members.loading && !members.data} />
      {done ? <Outcome testId="member-done">{done}</Outcome> : null}
      {leaving ? (
        <ConfirmBox
          label={ct('deactivateOf', { email: leaving.email })}
          message={ct('deactivateConfirm', { email: leaving.email })}
          confirm={ct('deactivateGo')}
          cancel={t('cancel')}
          busy={busy === leaving.id}
          onConfirm={() => void deactivate(leaving)}
          onCancel={() => setConfirming(null)}
          testId="deactivate-confirm"
          goTestId="deactivate-go"
          about={leaving.id}
        />
      ) : null}
      {members.data ? (
        <DataTable
          rows={members.data}
          rowKey={(m) => m.id}
          rowTestId={(m) => `member-${m.email}`}
          empty={ct('noMembers')}
          columns={[
            { header: t('email'), cell: (m) => m.email },
            { header: t('name'), cell: (m) => m.name ?? '' },
            { header: t('status'), cell: (m) => <StatusBadge prefix="member" code={m.status} /> },
            { header: ct('groups'), cell: (m) => m.groups.join(', ') },
            { header: ct('registeredAt'), cell: (m) => formatInstant(m.registeredAt, timeZone, lang) },
            {
              header: ct('action'),
              cell: (m) => (
                <>
                  <Button
                    variant="secondary"
                    onClick={() => {
                      setDone(null);
                      setRegistering(false);
                      setEditing(m);
                    }}
                    aria-label={ct('editMemberOf', { email: m.email })}
                    data-testid="edit-member"
                  >
                    {ct('editMember')}
                  </Button>
                  {m.status === 'deactivated' ? (
                    <Button variant="secondary" busy={busy === m.id} onClick={() => void reactivate(m)} aria-label={ct('reactivateOf', { email: m.email })} data-testid="reactivate-member">
                      {ct('reactivate')}
                    </Button>
                  ) : m.role !== 'owner' ? (
                    <Button
                      variant="secondary"
                      onClick={() => {
                        setRefused(null);
                        setConfirming(m.id);
                      }}
                      aria-label={ct('deactivateOf', { email: m.email })}
                      data-testid="deactivate-member"
                    >
                      {ct('deactivate')}
                    </Button>
                  ) : null}
                  {refused?.id === m.id ? (
                    <span className="k-field-error" role="alert" data-testid="member-refused" style={{ display: 'block' }}>
                      {refused.message}
                    </span>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      ) : null}
      {editing ? (
        <RegisterMemberForm
          key={editing.id}
          accountId={props.accountId}
          member={editing}
          onClose={() => setEditing(null)}
          onDone={(message) => {
            setEditing(null);
            setDone(message);
            props.onChanged();
          }}
        />
      ) : registering ? (
        <RegisterMemberForm
          accountId={props.accountId}
          onClose={() => setRegistering(false)}
          onDone={(message) => {
            setRegistering(false);
            setDone(message);
            props.onChanged();
          }}
        />
      ) : members.data ? (
        <div className="k-actions">
          <Button
            variant="secondary"
            onClick={() => {
              setDone(null);
              setEditing(null);
              setRegistering(true);
            }}
            data-testid="register-member"
          >
            {ct('registerMember')}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

const FIELDS = ['email', 'name'] as const;

/** Registers a member, or with `member` corrects its name and email (the owner-manager's email is the account's: not here). */
function RegisterMemberForm(props: { accountId: string; member?: Member; onClose: () => void; onDone: (message: string) => void }) {
  const { api } = useConsole();
  const i18n = useTexts();
  const { ct, t } = i18n;
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const editing = props.member;
  const ownerEmail = editing?.role === 'owner';
  const [email, setEmail] = useState(editing?.email ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const texts = { email: ct('checkMemberEmail'), name: ct('checkMemberName') };
    const own = formProblem({ email: looksLikeEmail(email) && email.trim().length <= 254 ? undefined : texts.email, name: name.trim() === '' || name.trim().length > 200 ? texts.name : undefined }, i18n);
    setProblem(own);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      if (editing) {
        const body: Record<string, string> = {};
        if (name.trim() !== editing.name) body.name = name.trim();
        if (!ownerEmail && email.trim() !== editing.email) body.email = email.trim();
        if (Object.keys(body).length === 0) return props.onClose();
        const m = await api.patch<Member>(`/v1/accounts/${props.accountId}/members/${editing.id}`, body);
        props.onDone(ct('memberCorrected', { email: m.email, name: m.name ?? '' }));
        return;
      }
      const m = await api.post<Member>(`/v1/accounts/${props.accountId}/members`, { email: email.trim(), name: name.trim() });
      props.onDone(ct('memberRegistered', { email: m.email }));
    } catch (err) {
      setProblem(readableProblem(toProblem(err), texts, i18n));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={form} className="kc-form" onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="register-member-form">
      <h3 id={headingId}>{editing ? ct('editMemberOf', { email: editing.email }) : ct('registerMember')}</h3>
      <ProblemAlert problem={problem} fields={FIELDS} />
      <div className="kc-grid">
        <Field label={t('email')} name="email" problem={problem}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} autoFocus readOnly={ownerEmail} data-testid="member-email" />
          )}
        </Field>
        <Field label={t('name')} name="name" problem={problem}>
          {({ id, describedBy, invalid }) => <input id={id} type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="member-name" />}
        </Field>
      </div>
      <div className="k-actions">
        <Button type="submit" busy={busy} data-testid="save-member">
          {editing ? ct('editMemberSave') : ct('registerMemberSave')}
        </Button>
        <Button variant="secondary" onClick={props.onClose}>
          {t('close')}
        </Button>
      </div>
    </form>
  );
}
