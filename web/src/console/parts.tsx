/** Console building blocks on top of shared/ui: tables that stack on phones, status badges, loading. */
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { Problem } from '../shared/api.js';
import { Alert, Button, Table } from '../shared/ui.js';
import { useConsole, useTexts } from './context.js';

export interface Col<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A table; on a phone each row becomes a card and each cell shows its column's name. */
export function DataTable<T>(props: { columns: Col<T>[]; rows: T[]; rowKey: (row: T) => string; empty: ReactNode; testId?: string; rowTestId?: (row: T) => string }) {
  return (
    <Table
      columns={props.columns}
      rows={props.rows}
      rowKey={props.rowKey}
      empty={props.empty}
      testId={props.testId}
      emptyTestId={props.testId ? `${props.testId}-empty` : undefined}
      rowTestId={props.rowTestId}
      stackClassName="kc-stack"
    />
  );
}

const BADGE_KIND: Record<string, 'ok' | 'warn' | undefined> = { paid: 'ok', active: 'ok', overdue: 'warn', deactivated: 'warn', open: undefined };

/** A status from the API with its label in the reader's language (`status.paid` → 支払済). */
export function StatusBadge(props: { prefix: string; code: string; testId?: string }) {
  const { label } = useTexts();
  return (
    <span className="k-badge" data-kind={BADGE_KIND[props.code]} data-status={props.code} data-testid={props.testId}>
      {label(props.prefix, props.code)}
    </span>
  );
}

/** A load that failed: the API's message and a way to try again. */
export function LoadProblem(props: { problem: Problem | null; onRetry: () => void }) {
  const { ct } = useTexts();
  if (!props.problem) return null;
  return (
    <Alert kind="error" testId="load-problem">
      <p style={{ margin: 0 }}>{props.problem.detail}</p>
      <Button variant="secondary" onClick={props.onRetry}>
        {ct('reload')}
      </Button>
    </Alert>
  );
}

export function Loading(props: { when: boolean }) {
  const { t } = useTexts();
  return props.when ? (
    <p className="k-muted" role="status">
      {t('loading')}
    </p>
  ) : null;
}

/**
 * The outcome of an action, focused when it appears: the form it replaces is gone, so keyboard
 * and screen-reader users continue from the message rather than from the top of the page.
 */
export function Outcome(props: { children: ReactNode; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [props.children]);
  return (
    <div ref={ref} tabIndex={-1} className="k-alert kc-outcome" data-kind="success" role="status" data-testid={props.testId}>
      {props.children}
    </div>
  );
}

/** A link to another console screen: a plain click stays in the app; with a modifier key the browser opens it (a new tab). */
export function ConsoleLink(props: { to: string; children: ReactNode }) {
  const { navigate } = useConsole();
  return (
    <a
      href={props.to}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
