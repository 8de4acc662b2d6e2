'use client';
/**
 * One step at a time, with a step list and Back/Next. Every step was rendered on the server;
 * switching is local so the terminals on the right keep running. The current step is mirrored
 * into `?step=<id>` so a reload or a language switch lands on the same step.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { UI, type Locale } from '../ui-text';

export interface StepView {
  id: string;
  title: string;
  /** False when the page is in Chinese but this step only exists in English. */
  translated: boolean;
  content: ReactNode;
}

export function StepNavigator({ steps, initialIndex, locale }: { steps: StepView[]; initialIndex: number; locale: Locale }) {
  const text = UI[locale];
  const [index, setIndex] = useState(initialIndex);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const step = steps[index] ?? steps[0];

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
        {!step.translated && (
          <p className="untranslated" lang={locale === 'zh' ? 'zh-CN' : 'en'}>
            {text.notTranslated}
          </p>
        )}
        <div lang={step.translated ? undefined : 'en'}>{step.content}</div>
      </article>
      <div className="step-buttons">
        <button type="button" onClick={() => go(index - 1)} disabled={index === 0}>
          <span aria-hidden="true">← </span>
          {text.back}
        </button>
        <button type="button" className="primary" onClick={() => go(index + 1)} disabled={index === steps.length - 1}>
          {text.next}
          <span aria-hidden="true"> →</span>
        </button>
      </div>
    </>
  );
}
