/** Small building blocks both apps share: page layout, fields with their error, buttons, tables. */
import { useEffect, useId, useRef } from 'react';
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import './ui.css';
import type { Problem } from './api.js';
import { fieldMessage, problemHasField } from './api.js';
import type { Lang } from './i18n.js';
import { LANGS, useI18n } from './i18n.js';

export interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

/** The frame of every screen: header (brand, who, language), navigation, the page's title. */
export function Page(props: { brand: string; subtitle?: ReactNode; nav?: NavItem[]; title: string; headerExtra?: ReactNode; children: ReactNode; onNavigate?: (href: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <a className="k-skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="k-header">
        <div className="k-header-inner">
          <div>
            <span className="k-brand">{props.brand}</span>
            {props.subtitle ? <div className="k-sub">{props.subtitle}</div> : null}
          </div>
          <div style={{ display: 'flex', gap: '1rem', alignItems: 'center', flexWrap: 'wrap' }}>
            {props.headerExtra}
            <LanguageSwitch />
          </div>
        </div>
      </header>
      {props.nav?.length ? (
        <nav className="k-nav" aria-label={t('mainNav')}>
          <ul>
            {props.nav.map((item) => (
              <li key={item.href}>
                <a
                  href={item.href}
                  aria-current={item.current ? 'page' : undefined}
                  onClick={(e) => {
                    if (!props.onNavigate || e.metaKey || e.ctrlKey || e.shiftKey) return;
                    e.preventDefault();
                    props.onNavigate(item.href);
                  }}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main className="k-main" id="main" tabIndex={-1}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </>
  );
}

/** 日本語 / English, kept across visits. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const id = useId();
  const names: Record<Lang, string> = { ja: '日本語', en: 'English' };
  return (
    <span className="k-lang">
      <label htmlFor={id}>{t('language')}</label>
      <select id={id} value={lang} onChange={(e) => setLang(e.target.value as Lang)} data-testid="language">
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {names[l]}
          </option>
        ))}
      </select>
    </span>
  );
}

/**
 * A titled section. `focus`: move the keyboard focus to its heading when it appears (the next
 * step of a flow), so keyboard and screen-reader users continue from there.
 */
export function Card(props: { title?: ReactNode; children: ReactNode; testId?: string; headingLevel?: 2 | 3; focus?: boolean }) {
  const H = props.headingLevel === 3 ? 'h3' : 'h2';
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (props.focus) heading.current?.focus();
  }, [props.focus]);
  return (
    <section className="k-card" data-testid={props.testId}>
      {props.title ? (
        <H ref={heading} tabIndex={props.focus ? -1 : undefined}>
          {props.title}
        </H>
      ) : null}
      {props.children}
    </section>
  );
}

/**
 * A labelled control with its error message right under it. `render` gets the control's id and
 * the id of its description, for `aria-describedby`. Pass `problem` and `name` to show the API's
 * message for that field (problem+json `errors[].path`).
 */
export function Field(props: {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  error?: string;
  problem?: Problem | null;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const error = props.error ?? fieldMessage(props.problem, props.name);
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="k-field" data-invalid={error ? 'true' : undefined} data-field={props.name}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid: !!error })}
      {props.hint ? (
        <span className="k-hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
      {error ? (
        <span className="k-field-error" id={errorId} role="alert" data-testid={`error-${props.name}`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A message for the whole form: the problem's detail when no field shows it. */
export function ProblemAlert(props: { problem: Problem | null | undefined; fields?: readonly string[] }) {
  if (!props.problem) return null;
  if (props.fields && problemHasField(props.problem, props.fields)) return null;
  return (
    <div className="k-alert" data-kind="error" role="alert" data-testid="problem">
      {props.problem.detail}
    </div>
  );
}

export function Alert(props: { kind: 'error' | 'success' | 'info'; children: ReactNode; testId?: string }) {
  return (
    <div className="k-alert" data-kind={props.kind} role={props.kind === 'error' ? 'alert' : 'status'} data-testid={props.testId}>
      {props.children}
    </div>
  );
}

export function Button(props: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger'; busy?: boolean }) {
  const { variant, busy, children, type, disabled, ...rest } = props;
  return (
    <button {...rest} type={type ?? 'button'} className="k-button" data-variant={variant ?? 'primary'} disabled={disabled || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

/**
 * A table of rows. `stackClassName` (the console's `kc-stack`) lets CSS turn each row into a card
 * on a phone: every cell carries its column's name in `data-label` for that.
 */
export function Table<T>(props: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty?: ReactNode;
  caption?: string;
  testId?: string;
  emptyTestId?: string;
  rowTestId?: (row: T) => string;
  stackClassName?: string;
}) {
  if (props.rows.length === 0 && props.empty)
    return (
      <p className="k-muted" data-testid={props.emptyTestId}>
        {props.empty}
      </p>
    );
  return (
    <div className={props.stackClassName ? `k-table-wrap ${props.stackClassName}` : 'k-table-wrap'}>
      <table className="k-table" data-testid={props.testId}>
        {props.caption ? <caption className="k-muted">{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col" className={c.numeric ? 'k-num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} data-testid={props.rowTestId?.(row)}>
              {props.columns.map((c, i) => (
                <td key={i} className={c.numeric ? 'k-num' : undefined} data-label={typeof c.header === 'string' ? c.header : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A definition list of label → value pairs. */
export function Facts(props: { items: Array<[ReactNode, ReactNode]>; testId?: string }) {
  return (
    <dl className="k-dl" data-testid={props.testId}>
      {props.items.map(([k, v], i) => (
        <div key={i} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Steps of a flow (settings → payment → done), the current one marked for screen readers. */
export function Steps(props: { steps: string[]; current: number }) {
  return (
    <ol className="k-steps">
      {props.steps.map((s, i) => (
        <li key={s} aria-current={i === props.current ? 'step' : undefined}>
          {i + 1}. {s}
        </li>
      ))}
    </ol>
  );
}

/**
 * A question before something that cannot simply be undone (deactivating a member): the message,
 * the button that does it and one that does not. The focus moves to it when it appears (or asks
 * about something else), which brings it into view however far down the list the question came from.
 */
export function ConfirmBox(props: { label: string; message: ReactNode; confirm: string; cancel: string; busy: boolean; onConfirm: () => void; onCancel: () => void; testId: string; goTestId: string; about: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, [props.about]);
  return (
    <div ref={box} tabIndex={-1} className="k-confirm" role="group" aria-label={props.label} data-testid={props.testId}>
      <p>{props.message}</p>
      <div className="k-actions">
        <Button variant="danger" busy={props.busy} onClick={props.onConfirm} data-testid={props.goTestId}>
          {props.confirm}
        </Button>
        <Button variant="secondary" disabled={props.busy} onClick={props.onCancel}>
          {props.cancel}
        </Button>
      </div>
    </div>
  );
}
