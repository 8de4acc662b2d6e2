'use client';
/**
 * The visible language switch. A plain link, not a client-side navigation: the whole page
 * (including <html lang>) re-renders in the other language, and the terminals reconnect and
 * replay their screens.
 */
import { usePathname, useSearchParams } from 'next/navigation';
import { switchLocale, UI, type Locale } from '../ui-text';

export function LanguageSwitch({ locale }: { locale: Locale }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const text = UI[locale];
  const target = text.otherLanguageCode;
  const params: Record<string, string> = {};
  for (const [key, value] of search.entries()) if (key !== 'lang') params[key] = value;
  return (
    <a href={switchLocale(pathname, target, params)} hrefLang={target === 'zh' ? 'zh-CN' : 'en'} lang={target === 'zh' ? 'zh-CN' : 'en'} className="language-switch">
      {text.otherLanguage}
    </a>
  );
}
