/**
 * Root layout: <html lang> in the page's language, a skip link, and the site header with the
 * language switch. Each page supplies its own <main>.
 */
import './globals.css';
import type { Metadata, Viewport } from 'next';
import { Suspense, type ReactNode } from 'react';
import { LanguageSwitch } from '../components/lesson/language-switch';
import { switchLocale, UI, withLocale } from '../components/ui-text';
import { requestLocale } from './request-locale';

export const metadata: Metadata = {
  title: { default: 'Container Lab', template: '%s · Container Lab' },
  description: 'Learn how Linux containers really work: namespaces, cgroups and seccomp, run for real in a browser sandbox.',
};

export const viewport: Viewport = { colorScheme: 'light', themeColor: '#1d3557' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Chosen by proxy.ts (?lang=, the remembered choice, or the browser's languages).
  const locale = await requestLocale();
  const text = UI[locale];
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <body>
        <a className="skip-link" href="#content">
          {text.skipToContent}
        </a>
        <header className="site-header">
          <a className="site-name" href={withLocale('/', locale)}>
            <span className="site-logo" aria-hidden="true">
              ▣
            </span>
            {text.siteName}
          </a>
          <nav aria-label={text.languageNav} className="site-nav">
            <Suspense fallback={<a href={switchLocale('/', text.otherLanguageCode)}>{text.otherLanguage}</a>}>
              <LanguageSwitch locale={locale} />
            </Suspense>
          </nav>
        </header>
        {children}
      </body>
    </html>
  );
}
