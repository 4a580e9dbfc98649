/**
 * The customer portal: signed in by a portal-session link (`/portal#token=kyc_…`),
 * it talks only to the public API with that token. Screens follow the reference pages: contract
 * information, spot order (000), license addition (SPEC S6), a new contract (API.md `new-contract`), premium settings and
 * renewal (001), plan change (004), members.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ApiClient, Problem } from '../shared/api.js';
import { createApiClient, guardUnauthorized, toProblem } from '../shared/api.js';
import type { Text } from '../shared/i18n.js';
import { useI18n } from '../shared/i18n.js';
import { Alert, Button, Page } from '../shared/ui.js';
import type { Account, AccountState, CatalogProduct } from './types.js';
import { readSession, clearSession } from './session.js';
import { ContractInfo } from './ContractInfo.js';
import { SpotOrder } from './SpotOrder.js';
import { LicenseAddition } from './LicenseAddition.js';
import { PremiumSettings } from './PremiumSettings.js';
import { PremiumRenewal } from './PremiumRenewal.js';
import { PlanChange } from './PlanChange.js';
import { Members } from './Members.js';
import { NewContract, newContractOffered } from './NewContract.js';
import { Settings } from './Settings.js';
import { RequestLink } from './RequestLink.js';
import { ConfirmEmail } from './ConfirmEmail.js';

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
  // A new link pasted into this tab changes only the fragment, which loads nothing: load it.
  useEffect(() => {
    const onHash = () => {
      if (new URLSearchParams(window.location.hash.replace(/^#/, '')).has('token')) window.location.reload();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const [path, navigate] = usePath();
  // A 401 on any request, at any time (the link expired, the customer signed out in another tab,
  // the operator ended the account's sessions): the whole portal says the link has expired.
  const [expired, setExpired] = useState(false);
  const api = useMemo(() => guardUnauthorized(createApiClient({ token: () => session?.token ?? null, lang: () => lang }), () => setExpired(true)), [session, lang]);
  const [data, setData] = useState<{ account: Account; product: CatalogProduct; state: AccountState } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // A new contract placed on its screen: the screen stays (its completion) while the account, now
  // with a paid contract, reloads; leaving it ends that.
  const [contractPlaced, setContractPlaced] = useState(false);
  useEffect(() => {
    if (path !== '/portal/new-contract') setContractPlaced(false);
  }, [path]);

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
  // The link mailed to a new email address: confirmed with or without a session.
  if (path === '/portal/confirm-email') {
    return (
      <Page brand="Keiyaku" title={title}>
        <ConfirmEmail />
      </Page>
    );
  }
  if (!session) {
    return (
      <Page brand="Keiyaku" title={title}>
        <Alert kind="info" testId="no-session">
          {new URLSearchParams(window.location.search).has('signed-out')
            ? t({
                ja: 'ログアウトしました。お使いになったリンクはもう使えません。再びお入りになるには、下のフォームから新しいリンクを受け取ってください。',
                en: 'You have signed out. The link you used no longer works: to sign in again, get a new link with the form below.',
              })
            : t({
                ja: 'ポータルへのリンクからお入りください。リンクはサービスの管理画面、または担当者からお送りします。お手元にない場合は、下のフォームから受け取れます。',
                en: 'Open the portal from your portal link. Your service’s admin screen or your contact person gives you one; or get one with the form below.',
              })}
        </Alert>
        <RequestLink />
      </Page>
    );
  }
  if (expired || (problem && !data && problem.status === 404)) {
    // Nothing else is shown (no half-loaded lists): only a new link helps.
    return (
      <Page brand="Keiyaku" title={title}>
        <Alert kind="error" testId="load-error">
          {t({ ja: 'リンクの有効期限が切れています。下のフォームから新しいリンクを受け取れます。', en: 'This link has expired. Get a new one with the form below.' })}
        </Alert>
        <RequestLink />
      </Page>
    );
  }
  if (problem && !data) {
    return (
      <Page brand="Keiyaku" title={title}>
        <Alert kind="error" testId="load-error">
          {problem.detail}
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
  if (product.orderTypes.includes('spot')) nav.push({ href: '/portal/spot', label: t({ ja: 'スポット追加', en: 'Add spot' }) });
  const applies = newContractOffered(product);
  if (applies && !data.state.contract) nav.push({ href: '/portal/new-contract', label: t({ ja: '有料プランに申し込む', en: 'Apply for a paid plan' }) });
  if (product.orderTypes.includes('license-addition') && data.state.contract) nav.push({ href: '/portal/licenses', label: t({ ja: 'ライセンス追加', en: 'Add licenses' }) });
  if (product.renewal.mode === 'expire-to-free') nav.push({ href: '/portal/premium', label: t({ ja: 'プレミアム設定', en: 'Premium settings' }) });
  if (product.orderTypes.includes('plan-change')) nav.push({ href: '/portal/plan-change', label: t({ ja: 'プラン変更', en: 'Plan change' }) });
  nav.push({ href: '/portal/settings', label: t({ ja: 'アカウント設定', en: 'Account settings' }) });

  const portal: Portal = {
    api,
    accountId: data.account.id,
    account: data.account,
    product,
    state: data.state,
    refresh: load,
    navigate,
  };
  // Each screen, and whether the account's product offers it (the same rule as the navigation):
  // a screen opened by its address on a product without it says so instead of a form that
  // cannot work, and an unknown address says the page does not exist.
  const premium = product.renewal.mode === 'expire-to-free';
  const screens: Record<string, { title: Text; body: ReactNode; offered: boolean; notOffered?: Text; notOfferedLink?: { href: string; label: Text } }> = {
    '/portal': { title: { ja: '契約情報', en: 'Contract information' }, body: <ContractInfo />, offered: true },
    '/portal/spot': {
      title: { ja: 'スポット追加注文', en: 'Add spot order' },
      body: <SpotOrder />,
      offered: !!product.spot,
      notOffered: { ja: 'このアカウントのプランにはスポット追加注文はありません。', en: 'This account’s plan has no spot orders.' },
    },
    '/portal/licenses': {
      title: { ja: 'ライセンス追加', en: 'Add licenses' },
      body: <LicenseAddition />,
      offered: !!product.licenseAdditions,
      notOffered: { ja: 'このアカウントのプランにはライセンス追加はありません。', en: 'This account’s plan has no license additions.' },
    },
    // Offered while the account has no paid contract (the free plan, or no plan); premium applies
    // for a paid plan again on its premium settings page.
    '/portal/new-contract': {
      title: { ja: '有料プランのお申し込み', en: 'Apply for a paid plan' },
      body: <NewContract standalone onPlaced={() => setContractPlaced(true)} />,
      offered: applies && (!data.state.contract || contractPlaced),
      notOffered: premium
        ? { ja: '有料プランのお申し込みは、プレミアム設定の画面から行えます。', en: 'Apply for a paid plan on the Premium settings page.' }
        : applies
          ? { ja: 'このアカウントには有料プランのご契約があります。プランの変更やアカウントの追加は、契約情報の画面からお申し込みください。', en: 'This account already has a paid contract. Change it or add to it from Contract information.' }
          : { ja: 'このアカウントのプランには有料プランのお申し込みはありません。', en: 'This account’s plan has no paid plans to apply for.' },
      ...(premium ? { notOfferedLink: { href: '/portal/premium', label: { ja: 'プレミアム設定へ', en: 'To Premium settings' } } } : {}),
    },
    '/portal/premium': {
      title: { ja: 'プレミアム設定', en: 'Premium settings' },
      body: <PremiumSettings />,
      offered: premium,
      notOffered: { ja: 'このアカウントのプランにはプレミアム設定はありません。', en: 'This account’s plan has no premium settings.' },
    },
    '/portal/premium/renewal': {
      title: { ja: '継続プランのお申し込み', en: 'Continuation plan application' },
      body: <PremiumRenewal />,
      offered: premium,
      notOffered: { ja: 'このアカウントのプランには継続プランのお申し込みはありません。', en: 'This account’s plan has no continuation plans.' },
    },
    '/portal/plan-change': {
      title: { ja: 'プラン変更のお申し込み', en: 'Plan change application' },
      body: <PlanChange />,
      offered: product.renewal.mode === 'renew-same-term',
      notOffered: { ja: 'このアカウントのプランではプラン変更のお申し込みはできません。', en: 'This account’s plan has no plan changes.' },
    },
    '/portal/settings': { title: { ja: 'アカウント設定', en: 'Account settings' }, body: <Settings />, offered: true },
    '/portal/members': {
      title: { ja: 'メンバー', en: 'Members' },
      body: <Members />,
      offered: !!data.state.seats,
      notOffered: { ja: 'このアカウントのプランにはメンバー管理はありません。', en: 'This account’s plan has no member management.' },
    },
  };
  const backToContract = (
    <p>
      <a
        href="/portal"
        data-testid="back-to-contract"
        onClick={(e) => {
          e.preventDefault();
          navigate('/portal');
        }}
      >
        {t({ ja: '契約情報へ戻る', en: 'Back to contract information' })}
      </a>
    </p>
  );
  const known = screens[path];
  const screen: { title: Text; body: ReactNode } = !known
    ? {
        title: { ja: 'ページが見つかりません', en: 'Page not found' },
        body: (
          <>
            <Alert kind="info" testId="not-found">
              {t({ ja: 'このアドレスのページはありません。アドレスをご確認ください。', en: 'There is no page at this address. Check the address.' })}
            </Alert>
            {backToContract}
          </>
        ),
      }
    : known.offered
      ? known
      : {
          title: known.title,
          body: (
            <>
              <Alert kind="info" testId="not-offered">
                {t(known.notOffered!)}
              </Alert>
              {known.notOfferedLink ? (
                <p>
                  <a
                    href={known.notOfferedLink.href}
                    data-testid="not-offered-link"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(known.notOfferedLink!.href);
                    }}
                  >
                    {t(known.notOfferedLink.label)}
                  </a>
                </p>
              ) : null}
              {backToContract}
            </>
          ),
        };
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
