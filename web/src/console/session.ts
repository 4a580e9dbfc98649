/** The operator key, kept in sessionStorage: it lasts while the tab is open, never on disk across sessions. */
const KEY = 'keiyaku.operatorKey';

export function readOperatorKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveOperatorKey(key: string): void {
  try {
    sessionStorage.setItem(KEY, key);
  } catch {
    /* storage blocked: the key lasts for this page only */
  }
}

export function clearOperatorKey(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing kept */
  }
}
