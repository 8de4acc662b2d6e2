'use client';
/**
 * A lesson with a set-up script asks the server to run it as soon as the learner's sandbox
 * exists (terminal 1 connected), so the first step finds what it needs. The server remembers
 * which sandboxes are set up and also runs it before any check, so a reset sandbox is prepared
 * again at the next check. A failed set-up is said on the page; nothing else depends on it here.
 */
import { useEffect } from 'react';
import { useLab } from '../terminal/lab-context';
import { UI } from '../ui-text';
import { setUpLesson } from './check-api';

/** A sandbox starts in well under a second; a learner may also take a while to open the page fully. */
const WAIT_FOR_SANDBOX_MS = 120_000;

export function LessonSetup({ lesson }: { lesson: string }) {
  const lab = useLab();
  const { registry, locale, addNotice } = lab;
  useEffect(() => {
    const controller = new AbortController();
    void registry
      .whenReady('1', WAIT_FOR_SANDBOX_MS)
      .then(() => setUpLesson(lesson, locale, controller.signal))
      .then((outcome) => {
        if (outcome.kind === 'result' && !outcome.passed) addNotice('error', outcome.message);
        else if (outcome.kind === 'error') addNotice('error', `${UI[locale].setupFailed}${outcome.message ? ` (${outcome.message})` : ''}`);
      })
      .catch(() => undefined); // unmounted, or no terminal yet: the next check runs the set-up
    return () => controller.abort();
  }, [registry, lesson, locale, addNotice]);
  return null;
}
