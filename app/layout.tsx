/**
 * Root layout: <html lang> in the page's language, a skip link, and the site header with the
 * language switch. Each page supplies its own <main>.
 */
import './globals.css';
import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { Suspense, type ReactNode } from 'react';
import { LanguageSwitch } from '../components/lesson/language-switch';
import { resolveLocale, UI, withLocale } from '../components/ui-text';

export const metadata: Metadata = {
  title: { default: 'Container Lab', template: '%s · Container Lab' },
  description: 'Learn how Linux containers really work: namespaces, cgroups and seccomp, run for real in a browser sandbox.',
};

export const viewport: Viewport = { colorScheme: 'light', themeColor: '#1d3557' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Set by proxy.ts from ?lang=; see there for why the layout cannot read searchParams.
  const locale = resolveLocale((await headers()).get('x-lab-locale') ?? undefined);
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
            <Suspense fallback={<a href={withLocale('/', text.otherLanguageCode)}>{text.otherLanguage}</a>}>
              <LanguageSwitch locale={locale} />
            </Suspense>
          </nav>
        </header>
        {children}
      </body>
    </html>
  );
}
