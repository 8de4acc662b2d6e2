'use client';
/**
 * One step at a time, with a step list and Back/Next. Every step was rendered on the server;
 * switching is local so the terminals on the right keep running. The current step is mirrored
 * into `?step=<id>` so a reload or a language switch lands on the same step. Steps the learner
 * has passed (from GET /api/progress, then from each passing check) get a tick in the list.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ExplorerHighlight } from '../../protocol/lesson';
import { useShowInExplorer } from '../explorer/highlight-context';
import { UI, type Locale } from '../ui-text';
import { loadProgress } from './check-api';
import { StepCheck } from './step-check';
import { StepHelp } from './step-help';

export interface StepView {
  id: string;
  title: string;
  /** What the explorer panel outlines while this step is open. */
  explorer?: ExplorerHighlight;
  content: ReactNode;
  hint: ReactNode;
  solution: ReactNode;
}

export function StepNavigator({
  lesson,
  steps,
  initialIndex,
  nextLesson,
  locale,
}: {
  lesson: string;
  steps: StepView[];
  initialIndex: number;
  /** Offered on the last step; null after the course's last lesson. */
  nextLesson: { href: string; title: string } | null;
  locale: Locale;
}) {
  const text = UI[locale];
  const [index, setIndex] = useState(initialIndex);
  const [passed, setPassed] = useState<ReadonlySet<string>>(() => new Set());
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const step = steps[index] ?? steps[0];
  useShowInExplorer(step?.explorer);

  useEffect(() => {
    if (!moved.current || !step) return;
    // Announce the new step by moving focus to its heading, and keep the URL in step.
    headingRef.current?.focus();
    const url = new URL(window.location.href);
    url.searchParams.set('step', step.id);
    // A null state lets Next.js's router see the change (useSearchParams, the language link);
    // passing its own state object back would mark the call as internal and skip the sync.
    window.history.replaceState(null, '', url);
  }, [step]);

  useEffect(() => {
    let live = true;
    void loadProgress().then((progress) => {
      // Merge rather than replace: a check may have passed while this request was out.
      if (live && progress) setPassed((prev) => new Set([...prev, ...(progress[lesson] ?? [])]));
    });
    return () => {
      live = false;
    };
  }, [lesson]);

  const markPassed = useCallback((id: string) => setPassed((prev) => (prev.has(id) ? prev : new Set([...prev, id]))), []);

  if (!step) return null;
  const go = (to: number): void => {
    moved.current = true;
    setIndex(Math.max(0, Math.min(steps.length - 1, to)));
  };

  return (
    <>
      <nav aria-label={text.stepsNav} className="step-list">
        <ol>
          {steps.map((s, i) => (
            <li key={s.id}>
              <button type="button" aria-current={i === index ? 'step' : undefined} onClick={() => go(i)}>
                <span className="step-number">{i + 1}</span>
                <span className="step-title">{s.title}</span>
                {passed.has(s.id) && (
                  <span className="step-passed">
                    <span aria-hidden="true">✓</span>
                    <span className="visually-hidden"> {text.stepPassed}</span>
                  </span>
                )}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <article className="step" aria-labelledby="step-title" data-step={step.id}>
        <p className="step-count">{text.stepOf(index + 1, steps.length)}</p>
        <h2 id="step-title" ref={headingRef} tabIndex={-1}>
          {step.title}
        </h2>
        {step.content}
        {/* Keyed by step: switching steps drops the old result, timer and request. */}
        <StepCheck key={`check-${step.id}`} lesson={lesson} step={step.id} passed={passed.has(step.id)} onPassed={markPassed} locale={locale} />
        <StepHelp key={`help-${step.id}`} hint={step.hint} solution={step.solution} locale={locale} />
      </article>
      <div className="step-buttons">
        <button type="button" onClick={() => go(index - 1)} disabled={index === 0}>
          <span aria-hidden="true">← </span>
          {text.back}
        </button>
        {index === steps.length - 1 && nextLesson ? (
          // A plain link: the next lesson is another page, with the same sandbox and terminals.
          <a className="button primary" href={nextLesson.href}>
            {text.nextLesson(nextLesson.title)}
            <span aria-hidden="true"> →</span>
          </a>
        ) : (
          <button type="button" className="primary" onClick={() => go(index + 1)} disabled={index === steps.length - 1}>
            {text.next}
            <span aria-hidden="true"> →</span>
          </button>
        )}
      </div>
    </>
  );
}
