/** Entry: /console/* is the operator console, everything else (/portal/*) the customer portal. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './shared/i18n.js';
import { PortalApp } from './portal/PortalApp.js';
import { ConsoleApp } from './console/ConsoleApp.js';

const root = document.getElementById('root');
if (root) {
  const isConsole = window.location.pathname.startsWith('/console');
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>{isConsole ? <ConsoleApp /> : <PortalApp />}</I18nProvider>
    </StrictMode>,
  );
}
