import { useTranslation } from 'react-i18next';
import { setLanguage } from '../app/i18n.ts';

/**
 * Visible on every page, sign-in included. Each option is named in its own language. Signed in,
 * `onChange` also keeps the choice in the account (the server writes in it too).
 */
export function LanguageSwitch({ onChange }: { onChange?: (lang: 'es' | 'en') => void } = {}) {
  const { t, i18n } = useTranslation(['app']);
  const current = i18n.language === 'en' ? 'en' : 'es';
  const choose = (lang: 'es' | 'en') => {
    setLanguage(lang);
    onChange?.(lang);
  };
  return (
    <div className="lang-switch" role="group" aria-label={t('app:shell.language')}>
      <button type="button" lang="es" aria-pressed={current === 'es'} onClick={() => choose('es')}>
        Español
      </button>
      <button type="button" lang="en" aria-pressed={current === 'en'} onClick={() => choose('en')}>
        English
      </button>
    </div>
  );
}
