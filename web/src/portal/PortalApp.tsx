/** The customer portal: signed in by a portal-session token (`/portal#token=kyc_…`). */
import { Page } from '../shared/ui.js';
import { useI18n } from '../shared/i18n.js';

export function PortalApp() {
  const { t } = useI18n();
  return (
    <Page brand="Keiyaku" title={t({ ja: 'マイページ', en: 'My account' })}>
      <p>{t('loading')}</p>
    </Page>
  );
}
