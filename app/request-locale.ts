/** The language proxy.ts chose for this request (components/locale.ts says how). Server only. */
import { headers } from 'next/headers';
import { LOCALE_HEADER } from '../components/locale';
import { resolveLocale, type Locale } from '../components/ui-text';

export async function requestLocale(): Promise<Locale> {
  return resolveLocale((await headers()).get(LOCALE_HEADER) ?? undefined);
}
