import { createI18n } from 'vue-i18n';
import zhCN, { type Messages } from './zh-CN';
import en from './en';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'onewindow.locale';
const stored = localStorage.getItem(STORAGE_KEY);
const initial: Locale = LOCALES.find((l) => l === stored) ?? 'zh-CN';

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

function apply(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}
apply(initial);

export function setLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  apply(locale);
}
