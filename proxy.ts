/**
 * Language for the root layout. Pages read `?lang=zh` from their searchParams, but the root
 * layout (which owns <html lang>) receives no searchParams; this proxy copies the choice into a
 * request header the layout can read. Whatever a client sent in that header is overwritten.
 */
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest): NextResponse {
  const headers = new Headers(request.headers);
  headers.set('x-lab-locale', request.nextUrl.searchParams.get('lang') === 'zh' ? 'zh' : 'en');
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: static assets and the /ws upgrade (handled before Next) never need it.
  matcher: ['/((?!_next/|favicon\\.ico|ws$).*)'],
};
