/** The operator console (issue 7, part 2). Placeholder until the console helper builds it. */
import { Page } from '../shared/ui.js';
import { useI18n } from '../shared/i18n.js';

export function ConsoleApp() {
  const { t } = useI18n();
  return (
    <Page brand="Keiyaku" title={t({ ja: 'オペレーターコンソール', en: 'Operator console' })}>
      <p>{t({ ja: '準備中です。', en: 'Coming soon.' })}</p>
    </Page>
  );
}
