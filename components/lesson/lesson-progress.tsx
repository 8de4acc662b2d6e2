'use client';
/**
 * "N of M steps passed" on the course page. Progress belongs to the learner's cookie, so the
 * server-rendered page leaves this empty and the browser fills it in; nothing is shown until
 * the answer arrives (a "0 of M" flash would be wrong for a returning learner).
 */
import { useEffect, useState } from 'react';
import { UI, type Locale } from '../ui-text';
import { loadProgress } from './check-api';

export function LessonProgress({ slug, stepIds, locale }: { slug: string; stepIds: string[]; locale: Locale }) {
  const [passed, setPassed] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    void loadProgress().then((progress) => {
      if (!live || !progress) return;
      const ids = new Set(progress[slug] ?? []);
      setPassed(stepIds.filter((id) => ids.has(id)).length);
    });
    return () => {
      live = false;
    };
  }, [slug, stepIds]);
  if (stepIds.length === 0 || passed === null) return null;
  return <p className="lesson-progress">{UI[locale].stepsPassed(passed, stepIds.length)}</p>;
}
