/** The 404 page: unknown lesson slugs (notFound() in the lesson page) and unknown paths. */
import type { Metadata } from 'next';
import { UI, withLocale } from '../components/ui-text';
import { requestLocale } from './request-locale';

export const metadata: Metadata = { title: 'Page not found' };

export default async function NotFound() {
  const locale = await requestLocale();
  const text = UI[locale];
  return (
    <main id="content" className="not-found">
      <h1>{text.notFoundTitle}</h1>
      <p>{text.notFoundText}</p>
      <p>
        <a href={withLocale('/', locale)}>{text.backToCourse}</a>
      </p>
    </main>
  );
}
