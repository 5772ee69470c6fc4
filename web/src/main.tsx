import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from './app/i18n.ts';
import { App } from './app/App.tsx';
import './ui/styles.css';

void initI18n();
// The app shell for offline work (web/public/sw.js is written by the build: web/offline-sw.ts).
// Registered once the page has loaded, so that keeping the shell never slows the first screen.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined), { once: true });
}
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* Only while the first strings load: nothing to say yet in a language we do not have. */}
    <Suspense fallback={<span className="spinner boot" aria-hidden="true" />}>
      <App />
    </Suspense>
  </StrictMode>,
);
