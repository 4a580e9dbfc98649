/**
 * The customer portal: signed in by a portal-session link (`/portal#token=kyc_…`),
 * it talks only to the public API with that token. Screens follow the reference pages: contract
 * information, spot order (000), premium settings and renewal (001), plan change (004), members.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ApiClient, Problem } from '../shared/api.js';
import { createApiClient, toProblem } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Page } from '../shared/ui.js';
import type { Account, AccountState, CatalogProduct } from './types.js';
import { readSession, clearSession } from './session.js';
import { ContractInfo } from './ContractInfo.js';
import { SpotOrder } from './SpotOrder.js';
import { PremiumSettings } from './PremiumSettings.js';
import { PremiumRenewal } from './PremiumRenewal.js';
import { PlanChange } from './PlanChange.js';
import { Members } from './Members.js';

export interface Portal {
  api: ApiClient;
  accountId: string;
  account: Account;
  product: CatalogProduct;
  state: AccountState;
  /** Reloads the account's state (after an order). */
  refresh(): Promise<void>;
  navigate(path: string): void;
}

const PortalContext = createContext<Portal | null>(null);

export function usePortal(): Portal {
  const p = useContext(PortalContext);
  if (!p) throw new Error('usePortal outside the portal');
  return p;
}

function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    if (to !== window.location.pathname) window.history.pushState(null, '', to);
    setPath(to);
    window.scrollTo(0, 0);
  }, []);
  return [path.replace(/\/+$/, '') || '/portal', navigate];
}

export function PortalApp() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [session] = useState(readSession);
  const [path, navigate] = usePath();
  const api = useMemo(() => createApiClient({ token: () => session?.token ?? null, lang: () => lang }), [session, lang]);
  const [data, setData] = useState<{ account: Account; product: CatalogProduct; state: AccountState } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    if (!session) return;
    try {
      // A link carries only the token: the API says whose it is.
      const accountId = session.accountId || ((await api.get<{ accountId: string | null }>('/v1/session')).accountId ?? '');
      const [account, catalog, state] = await Promise.all([
        api.get<Account>(`/v1/accounts/${accountId}`),
        api.get<{ products: CatalogProduct[] }>('/v1/catalog'),
        api.get<AccountState>(`/v1/accounts/${accountId}/state`),
      ]);
      const product = catalog.products.find((p) => p.id === account.product);
      if (!product) throw new Error(`unknown product ${account.product}`);
      setData({ account, product, state });
      setProblem(null);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, session]);

  useEffect(() => {
    void load();
  }, [load]);

  const title = t({ ja: 'マイページ', en: 'My account' });
  if (!session) {
    return (
      <Page brand="Keiyaku" title={title}>
        <Alert kind="info" testId="no-session">
          {new URLSearchParams(window.location.search).has('signed-out')
            ? t({
                ja: 'ログアウトしました。お使いになったリンクはもう使えません。再びお入りになるには、新しいリンクを発行してもらってください。',
                en: 'You have signed out. The link you used no longer works: ask for a new portal link to sign in again.',
              })
            : t({
                ja: 'ポータルへのリンクからお入りください。リンクはサービスの管理画面、または担当者からお送りします。',
                en: 'Open the portal from your portal link. Your service’s admin screen or your contact person gives you one.',
              })}
        </Alert>
      </Page>
    );
  }
  if (problem && !data) {
    const expired = problem.status === 401 || problem.status === 404;
    return (
      <Page brand="Keiyaku" title={title}>
        <Alert kind="error" testId="load-error">
          {expired ? t({ ja: 'リンクの有効期限が切れています。新しいリンクを発行してもらってください。', en: 'This link has expired. Ask for a new portal link.' }) : problem.detail}
        </Alert>
        <Button onClick={() => void load()}>{t('retry')}</Button>
      </Page>
    );
  }
  if (!data) {
    return (
      <Page brand="Keiyaku" title={title}>
        <p role="status">{t('loading')}</p>
      </Page>
    );
  }

  const { product } = data;
  const nav = [{ href: '/portal', label: t({ ja: '契約情報', en: 'Contract information' }) }];
  if (data.state.seats) nav.push({ href: '/portal/members', label: t({ ja: 'メンバー', en: 'Members' }) });
  if (product.spot) nav.push({ href: '/portal/spot', label: t({ ja: 'スポット追加', en: 'Add spot' }) });
  if (product.renewal.mode === 'expire-to-free') nav.push({ href: '/portal/premium', label: t({ ja: 'プレミアム設定', en: 'Premium settings' }) });
  if (product.renewal.mode === 'renew-same-term') nav.push({ href: '/portal/plan-change', label: t({ ja: 'プラン変更', en: 'Plan change' }) });

  const portal: Portal = {
    api,
    accountId: data.account.id,
    account: data.account,
    product,
    state: data.state,
    refresh: load,
    navigate,
  };
  const screens: Record<string, { title: Parameters<typeof t>[0]; body: ReactNode }> = {
    '/portal': { title: { ja: '契約情報', en: 'Contract information' }, body: <ContractInfo /> },
    '/portal/spot': { title: { ja: 'スポット追加注文', en: 'Add spot order' }, body: <SpotOrder /> },
    '/portal/premium': { title: { ja: 'プレミアム設定', en: 'Premium settings' }, body: <PremiumSettings /> },
    '/portal/premium/renewal': { title: { ja: '継続プランのお申し込み', en: 'Continuation plan application' }, body: <PremiumRenewal /> },
    '/portal/plan-change': { title: { ja: 'プラン変更のお申し込み', en: 'Plan change application' }, body: <PlanChange /> },
    '/portal/members': { title: { ja: 'メンバー', en: 'Members' }, body: <Members /> },
  };
  const screen = screens[path] ?? screens['/portal']!;
  const productName = product.names?.[lang] ?? product.name;
  return (
    <PortalContext.Provider value={portal}>
      <Page
        brand={`Keiyaku · ${productName}`}
        subtitle={`${data.account.name} (${data.account.email})`}
        title={t(screen.title)}
        nav={nav.map((n) => ({ ...n, current: n.href === path || (n.href === '/portal/premium' && path === '/portal/premium/renewal') }))}
        onNavigate={navigate}
        headerExtra={
          <button
            type="button"
            className="k-linkbutton"
            style={{ color: '#fff' }}
            data-testid="sign-out"
            onClick={() => {
              // The session ends on the server too (the link stops working); if that fails (offline,
              // already expired) the tab still forgets it.
              void api
                .delete('/v1/session')
                .catch(() => undefined)
                .finally(() => {
                  clearSession();
                  window.location.assign('/portal?signed-out');
                });
            }}
          >
            {t('signOut')}
          </button>
        }
      >
        {screen.body}
      </Page>
    </PortalContext.Provider>
  );
}
