// Messages in Chinese (zh-CN) and English through Lingui's runtime: the locale follows the
// browser until the user picks one (kept in local storage), and the catalogs are ICU messages
// compiled when loaded. `t` is typed by the English catalog's ids.
import { i18n } from '@lingui/core';
import { compileMessage } from '@lingui/message-utils/compileMessage';
import { en, type MessageId } from './locales/en';
import { zhCN } from './locales/zh-CN';
import type { Locale } from './format';

const LOCALE_KEY = 'service-ledger.locale';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

i18n.setMessagesCompiler(compileMessage);
i18n.load({ en: { ...en }, 'zh-CN': zhCN });

/** The chosen locale, else the browser's first Chinese or English preference, else Chinese. */
export function initialLocale(): Locale {
  const chosen = localStorage.getItem(LOCALE_KEY);
  if (chosen === 'en' || chosen === 'zh-CN') return chosen;
  for (const language of navigator.languages ?? [navigator.language]) {
    if (language.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (language.toLowerCase().startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function activate(locale: Locale, remember = false): void {
  if (remember) localStorage.setItem(LOCALE_KEY, locale);
  i18n.activate(locale);
  document.documentElement.lang = locale;
}

export function t(id: MessageId, values?: Record<string, unknown>): string {
  return i18n._(id, values);
}

export { i18n };
