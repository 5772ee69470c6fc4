import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';

/**
 * The page of those not signed in (sign-in, the reset link): the brand and the language switch above
 * one card. `skipLink` adds the link to the main content for keyboard users.
 */
export function SignInFrame({ skipLink, children, after }: { skipLink?: boolean; children: ReactNode; after?: ReactNode }) {
  const { t } = useTranslation(['app']);
  return (
    <div className="signin">
      {skipLink && (
        <a className="skip-link" href="#main">
          {t('app:shell.skip')}
        </a>
      )}
      <header className="signin__header">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            A
          </span>
          <span className="brand__name">Amparo</span>
        </div>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1} className="signin__main">
        <div className="card signin__card">{children}</div>
        {after}
      </main>
    </div>
  );
}
