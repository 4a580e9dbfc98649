/**
 * Members (SPEC S8, S9): active members, each but the owner-manager deactivated by hand when it
 * leaves (a seat is free at once); deactivated members — those in "Auto Deactivation" and those
 * deactivated by hand — who keep their data and can be reactivated when a seat is free;
 * registering a member within the seat limit.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../shared/i18n.js';
import type { Problem } from '../shared/api.js';
import { toProblem } from '../shared/api.js';
import { Alert, Button, Card, ConfirmBox, Facts, Field, ProblemAlert, Table } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { Member } from './types.js';
import { limitValue } from './parts.js';
import { focusFirstInvalid, formProblem, looksLikeEmail, readableProblem } from '../shared/validate.js';

export const AUTO_DEACTIVATION = 'Auto Deactivation';

export function Members() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, accountId, state, refresh } = usePortal();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [rowProblem, setRowProblem] = useState<{ id: string; problem: Problem } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // The member whose deactivation waits for the customer's confirmation.
  const [confirming, setConfirming] = useState<string | null>(null);
  // The member being corrected (name, email).
  const [editing, setEditing] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [registerProblem, setRegisterProblem] = useState<Problem | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const load = useCallback(async () => {
    try {
      setMembers((await api.get<{ members: Member[] }>(`/v1/accounts/${accountId}/members`)).members);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, accountId]);
  useEffect(() => {
    void load();
  }, [load]);

  async function reactivate(m: Member) {
    setBusy(m.id);
    setRowProblem(null);
    setDone(null);
    try {
      await api.post(`/v1/accounts/${accountId}/members/${m.id}/reactivate`, {});
      setDone(t({ ja: '{name}さんを再有効化しました。', en: '{name} is active again.' }, { name: m.name }));
      await Promise.all([load(), refresh()]);
    } catch (err) {
      setRowProblem({ id: m.id, problem: toProblem(err) });
    } finally {
      setBusy(null);
    }
  }
  async function deactivate(m: Member) {
    setBusy(m.id);
    setRowProblem(null);
    setDone(null);
    try {
      await api.post(`/v1/accounts/${accountId}/members/${m.id}/deactivate`, {});
      setConfirming(null);
      setDone(t({ ja: '{name}さんを無効にしました。ログインできなくなり、アカウント数の枠が1つ空きました。', en: '{name} is deactivated and can no longer log in. A seat is free.' }, { name: m.name }));
      await Promise.all([load(), refresh()]);
    } catch (err) {
      setConfirming(null);
      setRowProblem({ id: m.id, problem: toProblem(err) });
    } finally {
      setBusy(null);
    }
  }
  async function register() {
    // The form's own checks (something typed, an address that looks like one); the API decides the rest.
    const texts = {
      email: t({ ja: 'メールアドレスを taro@example.jp の形で入力してください。', en: 'Enter an email address such as taro@example.jp.' }),
      name: t({ ja: 'メンバーの名前を入力してください。', en: 'Enter the member’s name.' }),
    };
    const own = formProblem(
      {
        email: email.trim() === '' ? t({ ja: 'メンバーのメールアドレスを入力してください。', en: 'Enter the member’s email address.' }) : looksLikeEmail(email) ? undefined : texts.email,
        name: name.trim() === '' ? texts.name : name.trim().length > 200 ? t({ ja: '名前は200文字以内で入力してください。', en: 'Enter a name of 200 characters or fewer.' }) : undefined,
      },
      i18n,
    );
    setRegisterProblem(own);
    setDone(null);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy('register');
    try {
      await api.post(`/v1/accounts/${accountId}/members`, { email: email.trim(), name: name.trim() });
      setDone(t({ ja: '{name}さんを登録しました。', en: '{name} is registered.' }, { name: name.trim() }));
      setEmail('');
      setName('');
      await Promise.all([load(), refresh()]);
    } catch (err) {
      setRegisterProblem(readableProblem(toProblem(err), texts, i18n));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(null);
    }
  }

  const active = (members ?? []).filter((m) => m.status === 'active');
  const leaving = active.find((m) => m.id === confirming && m.role !== 'owner');
  const corrected = active.find((m) => m.id === editing);
  const deactivated = (members ?? []).filter((m) => m.status === 'deactivated');
  const seats = state.seats;
  return (
    <div data-testid="members">
      <ProblemAlert problem={problem} />
      {done ? (
        <Alert kind="success" testId="members-done">
          {done}
        </Alert>
      ) : null}
      {seats ? (
        <Card title={t({ ja: 'アカウント数', en: 'Seats' })}>
          <Facts
            testId="member-seats"
            items={[
              [t({ ja: '上限（本日）', en: 'Limit today' }), <span data-testid="members-limit">{limitValue(i18n, 'seats', seats.limit)}</span>],
              [t({ ja: '有効なメンバー', en: 'Active members' }), <span data-testid="members-active-count">{limitValue(i18n, 'seats', seats.active)}</span>],
              [t({ ja: '空き', en: 'Free seats' }), limitValue(i18n, 'seats', Math.max(0, seats.limit - seats.active))],
            ]}
          />
        </Card>
      ) : null}

      <Card title={t({ ja: '無効化されたメンバー', en: 'Deactivated members' })} testId="deactivated-card">
        <p className="k-muted">
          {t({
            ja: `スポット契約などの終了でアカウント数の上限を超えたため自動的に無効化されたメンバー（グループ「${AUTO_DEACTIVATION}」）と、無効にしたメンバーです。ログインはできませんが、データはすべて残っています。空きがあれば再有効化できます。`,
            en: `Members deactivated automatically when the seat limit dropped (a spot contract ended, for example; group "${AUTO_DEACTIVATION}"), and those you deactivated. They cannot log in, but all their data is kept. Reactivate them when a seat is free.`,
          })}
        </p>
        {members === null ? (
          <p role="status">{t('loading')}</p>
        ) : (
          <Table
            testId="deactivated-members"
            rows={deactivated}
            rowKey={(m) => m.id}
            empty={t({ ja: '無効化されたメンバーはいません。', en: 'No deactivated members.' })}
            columns={[
              { header: t('name'), cell: (m) => m.name },
              { header: t('email'), cell: (m) => m.email },
              { header: t({ ja: 'グループ', en: 'Groups' }), cell: (m) => m.groups.join(', ') },
              { header: t({ ja: '登録日', en: 'Registered' }), cell: (m) => i18n.instant(m.registeredAt) },
              {
                header: '',
                cell: (m) => (
                  <div>
                    <Button variant="secondary" busy={busy === m.id} onClick={() => void reactivate(m)} aria-label={`${t({ ja: '再有効化', en: 'Reactivate' })}: ${m.email}`}>
                      {t({ ja: '再有効化', en: 'Reactivate' })}
                    </Button>
                    <RowProblem problem={rowProblem?.id === m.id ? rowProblem.problem : null} />
                  </div>
                ),
              },
            ]}
          />
        )}
      </Card>

      <Card title={t({ ja: '有効なメンバー', en: 'Active members' })} testId="active-card">
        {corrected ? (
          <EditMember
            key={corrected.id}
            member={corrected}
            onDone={async (message) => {
              setEditing(null);
              setDone(message);
              await load();
            }}
            onCancel={() => setEditing(null)}
          />
        ) : null}
        {leaving ? (
          // Asked above the list (a row is too narrow on a phone); the focus brings it into view.
          <ConfirmBox
            label={`${t({ ja: '無効にする', en: 'Deactivate' })}: ${leaving.email}`}
            message={t(
              {
                ja: '{name}さん（{email}）を無効にしますか？ログインできなくなり、アカウント数の枠が1つ空きます。データは残り、空きがあれば再有効化できます。',
                en: 'Deactivate {name} ({email})? They can no longer log in, and a seat is freed. Their data is kept, and they can be reactivated when a seat is free.',
              },
              { name: leaving.name, email: leaving.email },
            )}
            confirm={t({ ja: '無効にする', en: 'Deactivate' })}
            cancel={t('cancel')}
            busy={busy === leaving.id}
            onConfirm={() => void deactivate(leaving)}
            onCancel={() => setConfirming(null)}
            testId="deactivate-confirm"
            goTestId="deactivate-go"
            about={leaving.id}
          />
        ) : null}
        {members === null ? (
          <p role="status">{t('loading')}</p>
        ) : (
          <Table
            testId="active-members"
            rows={active}
            rowKey={(m) => m.id}
            columns={[
              { header: t('name'), cell: (m) => m.name },
              { header: t('email'), cell: (m) => m.email },
              { header: t({ ja: '役割', en: 'Role' }), cell: (m) => (m.role === 'owner' ? t({ ja: 'オーナー管理者', en: 'Owner-manager' }) : t({ ja: 'メンバー', en: 'Member' })) },
              { header: t({ ja: '登録日', en: 'Registered' }), cell: (m) => i18n.instant(m.registeredAt) },
              {
                header: '',
                cell: (m) => (
                  <div>
                    <div className="k-row-buttons">
                      <Button
                        variant="secondary"
                        onClick={() => {
                          setRowProblem(null);
                          setDone(null);
                          setConfirming(null);
                          setEditing(m.id);
                        }}
                        aria-label={`${t({ ja: '編集', en: 'Edit' })}: ${m.email}`}
                        data-testid="edit-member"
                      >
                        {t({ ja: '編集', en: 'Edit' })}
                      </Button>
                      {m.role === 'owner' ? null : (
                        <Button
                          variant="secondary"
                          onClick={() => {
                            setRowProblem(null);
                            setDone(null);
                            setEditing(null);
                            setConfirming(m.id);
                          }}
                          aria-label={`${t({ ja: '無効にする', en: 'Deactivate' })}: ${m.email}`}
                          data-testid="deactivate-member"
                        >
                          {t({ ja: '無効にする', en: 'Deactivate' })}
                        </Button>
                      )}
                    </div>
                    <RowProblem problem={rowProblem?.id === m.id ? rowProblem.problem : null} />
                  </div>
                ),
              },
            ]}
          />
        )}
      </Card>

      <Card title={t({ ja: 'メンバーを登録', en: 'Register a member' })} testId="register-card">
        <form
          ref={form}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void register();
          }}
        >
          <Field label={t('email')} name="email" problem={registerProblem}>
            {({ id, describedBy, invalid }) => <input id={id} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />}
          </Field>
          <Field label={t('name')} name="name" problem={registerProblem}>
            {({ id, describedBy, invalid }) => <input id={id} type="text" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />}
          </Field>
          <ProblemAlert problem={registerProblem} fields={['email', 'name']} />
          <div className="k-actions">
            <Button type="submit" busy={busy === 'register'}>
              {t({ ja: '登録する', en: 'Register' })}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}

/** The API's refusal of what was asked in a member's row (no free seat, already deactivated…), under its button. */
function RowProblem(props: { problem: Problem | null }) {
  return props.problem ? (
    <div className="k-field-error" role="alert" data-testid="member-error">
      {props.problem.detail}
    </div>
  ) : null;
}

/**
 * Correcting a member (a misspelt email or name) above the list, like the deactivation's question:
 * no seat is taken or freed. The owner-manager's email is the account's own and changes on Account
 * settings (with a confirmation), so only its name is here.
 */
function EditMember(props: { member: Member; onDone: (message: string) => Promise<void>; onCancel: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, accountId, navigate } = usePortal();
  const { member } = props;
  const owner = member.role === 'owner';
  const [name, setName] = useState(member.name);
  const [email, setEmail] = useState(member.email);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector('input')?.focus();
  }, []);

  async function save() {
    const texts = {
      email: t({ ja: 'メールアドレスを taro@example.jp の形で入力してください。', en: 'Enter an email address such as taro@example.jp.' }),
      name: t({ ja: 'メンバーの名前を入力してください。', en: 'Enter the member’s name.' }),
    };
    const own = formProblem(
      {
        name: name.trim() === '' ? texts.name : name.trim().length > 200 ? t({ ja: '名前は200文字以内で入力してください。', en: 'Enter a name of 200 characters or fewer.' }) : undefined,
        email: owner || looksLikeEmail(email) ? undefined : texts.email,
      },
      i18n,
    );
    setProblem(own);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    const body: Record<string, string> = {};
    if (name.trim() !== member.name) body.name = name.trim();
    if (!owner && email.trim() !== member.email) body.email = email.trim();
    if (Object.keys(body).length === 0) {
      props.onCancel();
      return;
    }
    setBusy(true);
    try {
      const saved = await api.patch<Member>(`/v1/accounts/${accountId}/members/${member.id}`, body);
      await props.onDone(t({ ja: '{name}さん（{email}）の登録内容を修正しました。', en: 'Corrected {name} ({email}).' }, { name: saved.name, email: saved.email }));
    } catch (err) {
      setProblem(readableProblem(toProblem(err), texts, i18n));
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      ref={form}
      className="k-confirm k-edit"
      noValidate
      aria-label={`${t({ ja: '編集', en: 'Edit' })}: ${member.email}`}
      data-testid="edit-member-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <Field label={t('name')} name="name" problem={problem}>
        {({ id, describedBy, invalid }) => <input id={id} type="text" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />}
      </Field>
      {owner ? (
        <p className="k-muted">
          {t({ ja: 'オーナー管理者のメールアドレスはアカウントのメールアドレスです。', en: 'The owner-manager’s email is the account’s own.' })}{' '}
          <a
            href="/portal/settings"
            onClick={(e) => {
              e.preventDefault();
              navigate('/portal/settings');
            }}
          >
            {t({ ja: 'アカウント設定で変更できます。', en: 'Change it on Account settings.' })}
          </a>
        </p>
      ) : (
        <Field label={t('email')} name="email" problem={problem}>
          {({ id, describedBy, invalid }) => <input id={id} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />}
        </Field>
      )}
      <ProblemAlert problem={problem} fields={['name', 'email']} />
      <div className="k-actions">
        <Button type="submit" busy={busy} data-testid="save-member">
          {t({ ja: '保存する', en: 'Save' })}
        </Button>
        <Button variant="secondary" disabled={busy} onClick={props.onCancel}>
          {t('cancel')}
        </Button>
      </div>
    </form>
  );
}

