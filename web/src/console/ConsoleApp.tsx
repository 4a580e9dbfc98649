/**
 * The operator console (issue 7): signed in by the operator key, it talks only to the public API.
 * Screens: accounts (search) → one account (contract, invoices and payments, members, notices,
 * audit trail, cancellation), orders awaiting acceptance, the scheduler (counts, failed effects
 * to retry, running what is due), and the test clock when it is on. Routes live under /console in
 * the browser's history: /console, /console/accounts/{id}, /console/orders, /console/invoices, /console/scheduler,
 * /console/clock.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient, guardUnauthorized } from '../shared/api.js';
import { Button, Page } from '../shared/ui.js';
import type { NavItem } from '../shared/ui.js';
import type { Console } from './context.js';
import { ConsoleContext, formatInstant, useTexts, wallClock } from './context.js';
import { clearOperatorKey, readOperatorKey, saveOperatorKey } from './session.js';
import type { Clock } from './types.js';
import { SignIn } from './SignIn.js';
import { AccountsScreen } from './AccountsScreen.js';
import { AccountScreen } from './AccountScreen.js';
import { OrdersScreen } from './OrdersScreen.js';
import { InvoicesScreen } from './InvoicesScreen.js';
import { ClockScreen } from './ClockScreen.js';
import { SchedulerScreen } from './SchedulerScreen.js';
import './console.css';

function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    if (to !== window.location.pathname + window.location.search) window.history.pushState(null, '', to);
    setPath(new URL(to, window.location.origin).pathname);
    window.scrollTo(0, 0);
  }, []);
  return [path.replace(/\/+$/, '') || '/console', navigate];
}

export function ConsoleApp() {
  const { ct, t, lang } = useTexts();
  const [key, setKey] = useState<string | null>(readOperatorKey);
  const [path, navigate] = usePath();
  const [clock, setClock] = useState<Clock | null>(null);
  // The operator was sent back to sign in because the key stopped working: said at the key field.
  const [expired, setExpired] = useState(false);
  // A 401 on any request means the key no longer works (changed on the server): back to sign-in, saying why.
  const api = useMemo(
    () =>
      guardUnauthorized(createApiClient({ token: () => key, lang: () => lang }), () => {
        clearOperatorKey();
        setExpired(true);
        setKey(null);
      }),
    [key, lang],
  );

  const refreshClock = useCallback(async () => {
    if (!key) return;
    try {
      setClock(await api.get<Clock>('/v1/clock'));
    } catch {
      // No clock to show (an older server, or not allowed): the console works without it.
      setClock(null);
    }
  }, [api, key]);
  useEffect(() => {
    void refreshClock();
  }, [refreshClock]);

  const signOut = useCallback(() => {
    clearOperatorKey();
    setExpired(false);
    setKey(null);
    setClock(null);
  }, []);

  const testClock = clock?.mode === 'test';
  const timeZone = clock?.timeZone ?? 'Asia/Tokyo';
  const today = clock ? wallClock(clock.now, timeZone).date : null;
  const value: Console = useMemo(() => ({ api, timeZone, today, testClock, navigate, refreshClock }), [api, timeZone, today, testClock, navigate, refreshClock]);

  if (!key) {
    return (
      <Page brand="Keiyaku" title={ct('title')}>
        <SignIn
          expired={expired}
          onSignedIn={(k) => {
            saveOperatorKey(k);
            setExpired(false);
            setKey(k);
          }}
        />
      </Page>
    );
  }

  const accountMatch = /^\/console\/accounts\/([^/]+)$/.exec(path);
  const section = accountMatch || path === '/console' || path === '/console/accounts' ? 'accounts' : path === '/console/orders' ? 'orders' : path === '/console/invoices' ? 'invoices' : path === '/console/scheduler' ? 'scheduler' : path === '/console/clock' ? 'clock' : 'accounts';
  const nav: NavItem[] = [
    { href: '/console', label: ct('navAccounts'), current: section === 'accounts' },
    { href: '/console/orders', label: ct('navOrders'), current: section === 'orders' },
    { href: '/console/invoices', label: ct('invNav'), current: section === 'invoices' },
    { href: '/console/scheduler', label: ct('navScheduler'), current: section === 'scheduler' },
    ...(testClock ? [{ href: '/console/clock', label: ct('navClock'), current: section === 'clock' }] : []),
  ];
  const title = section === 'orders' ? ct('ordersTitle') : section === 'invoices' ? ct('invTitle') : section === 'scheduler' ? ct('schedulerTitle') : section === 'clock' ? ct('clockTitle') : accountMatch ? ct('account') : ct('accountsTitle');

  return (
    <ConsoleContext.Provider value={value}>
      <Page
        brand="Keiyaku"
        subtitle={ct('title')}
        nav={nav}
        onNavigate={navigate}
        title={title}
        headerExtra={
          <span className="kc-who">
            {testClock && clock ? <ClockBadge clock={clock} /> : null}
            <Button variant="secondary" onClick={signOut} data-testid="sign-out">
              {t('signOut')}
            </Button>
          </span>
        }
      >
        {accountMatch ? (
          <AccountScreen accountId={decodeURIComponent(accountMatch[1]!)} />
        ) : section === 'orders' ? (
          <OrdersScreen />
        ) : section === 'invoices' ? (
          <InvoicesScreen />
        ) : section === 'scheduler' ? (
          <SchedulerScreen />
        ) : section === 'clock' && testClock ? (
          <ClockScreen />
        ) : (
          <AccountsScreen />
        )}
      </Page>
    </ConsoleContext.Provider>
  );
}

/** The test clock's time in the header, so every screen says which "today" it shows. */
function ClockBadge(props: { clock: Clock }) {
  const { ct, lang } = useTexts();
  return (
    <span className="kc-clock" data-testid="clock-badge">
      {ct('navClock')}: {formatInstant(props.clock.now, props.clock.timeZone, lang)}
    </span>
  );
}
