/**
 * The portal session: the link's fragment (`#token=…`; older links also carry `&account=…`) is moved into sessionStorage
 * (it lasts as long as the tab, never reaches a server log) and removed from the address bar.
 */
const KEY = 'keiyaku.portal.session';

export interface Session {
  token: string;
  /** Empty until `GET /v1/session` told the token's account (links carry only the token). */
  accountId: string;
}

export function readSession(): Session | null {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = hash.get('token');
  const accountId = hash.get('account') ?? '';
  if (token) {
    const session = { token, accountId };
    try {
      sessionStorage.setItem(KEY, JSON.stringify(session));
    } catch {
      /* storage off: the session lasts for this page only */
    }
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return session;
  }
  try {
    const stored = sessionStorage.getItem(KEY);
    if (stored) {
      const parsed = JSON.parse(stored) as Partial<Session>;
      if (typeof parsed.token === 'string' && typeof parsed.accountId === 'string') return { token: parsed.token, accountId: parsed.accountId };
    }
  } catch {
    /* unreadable: no session */
  }
  return null;
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}
