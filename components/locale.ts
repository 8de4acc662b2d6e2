/**
 * Which language a request gets (issue: "chosen from the browser, switchable on every page,
 * remembered"), in this order:
 *   1. `?lang=en|zh` in the URL: the language switch and shared links; remembered in a cookie;
 *   2. the remembered choice (the LOCALE_COOKIE cookie);
 *   3. the browser's Accept-Language (RFC 9110 §12.5.4): the best-weighted of English and Chinese;
 *   4. English.
 * Pure, so proxy.ts and the unit tests share it.
 */
import type { Locale } from '../protocol/lesson';

export const LOCALE_COOKIE = 'lab_lang';
/** Request header proxy.ts sets for server components (the root layout gets no searchParams). */
export const LOCALE_HEADER = 'x-lab-locale';
/** A year: the choice outlives a browser restart, as a preference should. */
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600;

function asLocale(value: string | null | undefined): Locale | null {
  return value === 'en' || value === 'zh' ? value : null;
}

/** The language the browser prefers among ours, or null when it names neither. */
export function fromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  let best: { locale: Locale; q: number; order: number } | null = null;
  header.split(',').forEach((part, order) => {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) return;
    const primary = tag.split('-')[0];
    const locale: Locale | null = primary === 'zh' ? 'zh' : primary === 'en' ? 'en' : null;
    // Higher weight wins; on a tie, the one listed first.
    if (locale && (!best || q > best.q)) best = { locale, q, order };
  });
  return (best as { locale: Locale } | null)?.locale ?? null;
}

export interface LocaleChoice {
  locale: Locale;
  /** Set when the request chose explicitly and the cookie should now remember it. */
  remember: Locale | null;
}

export function chooseLocale(input: { query: string | null; cookie: string | null | undefined; acceptLanguage: string | null | undefined }): LocaleChoice {
  const explicit = asLocale(input.query);
  const remembered = asLocale(input.cookie);
  if (explicit) return { locale: explicit, remember: explicit === remembered ? null : explicit };
  return { locale: remembered ?? fromAcceptLanguage(input.acceptLanguage) ?? 'en', remember: null };
}
