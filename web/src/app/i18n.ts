import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api/client.ts';

/**
 * Strings live beside their feature: `web/src/<feature>/locales/<lang>.json`, one i18next namespace
 * per feature folder (`ui` holds the shared ones and is the default). A namespace is fetched, in the
 * current language only, the first time a component asks for it, so the sign-in page does not carry
 * the statistics screens' words. Keys of another feature are written `feature:key`.
 */
const catalogues = import.meta.glob<{ default: ResourceKey }>('/src/*/locales/*.json');

const localeFiles: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, done) {
    const load = catalogues[`/src/${namespace}/locales/${language}.json`];
    if (!load) return done(new Error(`no strings for ${namespace} in ${language}`), false);
    load().then(
      (module) => done(null, module.default),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

const STORAGE_KEY = 'amparo.lang';

function storedLanguage(): 'es' | 'en' {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    if (v === 'es' || v === 'en') return v;
  } catch {
    // Storage may be unavailable (private mode); Spanish is the default.
  }
  return 'es';
}

function apply(lang: 'es' | 'en') {
  document.documentElement.lang = lang;
  setApiLanguage(lang);
}

/** Resolves once the shared strings (`ui`, `app`) are loaded in the stored language. */
export function initI18n(): Promise<unknown> {
  const lang = storedLanguage();
  apply(lang);
  return i18n
    .use(localeFiles)
    .use(initReactI18next)
    .init({
      lng: lang,
      fallbackLng: false,
      supportedLngs: ['es', 'en'],
      ns: ['ui', 'app'],
      defaultNS: 'ui',
      fallbackNS: 'ui',
      interpolation: { escapeValue: false },
      keySeparator: '.',
      nsSeparator: ':',
      react: { useSuspense: true },
    });
}

export function setLanguage(lang: 'es' | 'en') {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not persisted; the switch still applies to this page.
  }
  apply(lang);
  void i18n.changeLanguage(lang);
}
