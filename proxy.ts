/**
 * The language of every page (components/locale.ts decides: ?lang=, then the remembered cookie,
 * then Accept-Language). The root layout (which owns <html lang>) receives no searchParams, so
 * the choice travels to every server component in a request header; whatever a client sent in
 * that header is overwritten. An explicit ?lang= is remembered in a cookie for later visits.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { chooseLocale, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, LOCALE_HEADER } from './components/locale';

export function proxy(request: NextRequest): NextResponse {
  const choice = chooseLocale({
    query: request.nextUrl.searchParams.get('lang'),
    cookie: request.cookies.get(LOCALE_COOKIE)?.value,
    acceptLanguage: request.headers.get('accept-language'),
  });
  const headers = new Headers(request.headers);
  headers.set(LOCALE_HEADER, choice.locale);
  const response = NextResponse.next({ request: { headers } });
  if (choice.remember) {
    response.cookies.set(LOCALE_COOKIE, choice.remember, { path: '/', maxAge: LOCALE_COOKIE_MAX_AGE, sameSite: 'lax', httpOnly: true });
  }
  // The page differs by these, so a shared cache must not hand one learner's language to another.
  response.headers.set('vary', 'Accept-Language, Cookie');
  return response;
}

export const config = {
  // Pages only: static assets and the /ws upgrade (handled before Next) never need it.
  matcher: ['/((?!_next/|favicon\\.ico|ws$).*)'],
};
