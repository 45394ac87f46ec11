/**
 * i18n: Chinese is the source language and the default; the Chinese text is the key, so
 * zh-CN needs no dictionary and a missing English entry falls back to Chinese. The
 * choice is remembered per device. The English dictionary is fetched only when English is
 * chosen (a few KB every Chinese first load does not need; issue 12 page budgets).
 */
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';

const KEY = 'antnest.lang';
export type Lang = 'zh-CN' | 'en';

function saved(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

void i18next.use(initReactI18next).init({
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  resources: { 'zh-CN': { translation: {} } },
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnEmptyString: false,
  initAsync: false,
});
document.documentElement.lang = 'zh-CN';
if (saved() === 'en') void applyLanguage('en');

/** Load the dictionary of `lang` when needed, then switch to it. */
async function applyLanguage(lang: Lang): Promise<void> {
  if (lang === 'en' && !i18next.hasResourceBundle('en', 'translation')) {
    const { EN } = await import('./locales/en.ts');
    i18next.addResourceBundle('en', 'translation', EN);
  }
  document.documentElement.lang = lang;
  await i18next.changeLanguage(lang);
}

/** Translate outside React (error messages). */
export const t = (key: string, vars?: Record<string, unknown>): string =>
  i18next.t(key, vars) as string;

/** Translate inside React; re-renders on a language switch. */
export function useT(): { t: (key: string, vars?: Record<string, unknown>) => string; lang: Lang } {
  const { t: tr, i18n } = useTranslation();
  return { t: (k, v) => tr(k, v) as string, lang: i18n.language === 'en' ? 'en' : 'zh-CN' };
}

/** Switch language and remember it. */
export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* private mode: the switch still applies to this page */
  }
  void applyLanguage(lang);
}
