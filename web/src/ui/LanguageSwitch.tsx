import { useTranslation } from 'react-i18next';
import { setLanguage } from '../app/i18n.ts';

/** Visible on every page, sign-in included. Each option is named in its own language. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation(['app']);
  const current = i18n.language === 'en' ? 'en' : 'es';
  return (
    <div className="lang-switch" role="group" aria-label={t('app:shell.language')}>
      <button type="button" lang="es" aria-pressed={current === 'es'} onClick={() => setLanguage('es')}>
        Español
      </button>
      <button type="button" lang="en" aria-pressed={current === 'en'} onClick={() => setLanguage('en')}>
        English
      </button>
    </div>
  );
}
