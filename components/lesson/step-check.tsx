'use client';
/**
 * "Check" for a step that has a check: the button, a result line, and a quiet auto-check every
 * few seconds while the step is open and not yet passed, so the learner sees "Passed" without
 * having to ask. Mounted with `key={step.id}`, so a step change starts fresh and the unmount
 * clears the timer and aborts the request in flight.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { UI, type Locale } from '../ui-text';
import { runCheck } from './check-api';

const AUTO_CHECK_MS = 5_000;

interface Status {
  tone: 'ok' | 'bad' | 'info';
  text: string;
}

export function StepCheck({ lesson, step, passed, onPassed, locale }: { lesson: string; step: string; passed: boolean; onPassed: (step: string) => void; locale: Locale }) {
  const text = UI[locale];
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(0);
  const started = useRef(0);
  const shown = useRef(0);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    const c = new AbortController();
    controller.current = c;
    return () => c.abort();
  }, []);

  const check = useCallback(
    async (manual: boolean) => {
      const signal = controller.current?.signal;
      if (!signal || signal.aborted) return;
      const id = ++started.current;
      inFlight.current += 1;
      if (manual) setBusy(true);
      try {
        const outcome = await runCheck(lesson, step, locale, signal);
        // A click can overtake an auto-check: never let the older answer replace the newer one.
        if (id < shown.current) return;
        shown.current = id;
        if (outcome.kind === 'result') {
          setStatus(outcome.passed ? { tone: 'ok', text: text.checkPassed } : { tone: 'bad', text: outcome.message });
          if (outcome.passed) onPassed(step);
        } else if (manual) {
          // Auto-checks stay silent here: a 409 just means the sandbox is still starting, and
          // the learner did not ask, so a network blip should not flash an error at them.
          setStatus(
            outcome.kind === 'no-sandbox'
              ? { tone: 'info', text: text.checkNoSandbox }
              : { tone: 'bad', text: outcome.message ? `${text.checkFailed} (${outcome.message})` : text.checkFailed },
          );
        }
      } catch {
        // Aborted because the step closed: nothing to show.
      } finally {
        inFlight.current -= 1;
        if (manual) setBusy(false);
      }
    },
    [lesson, step, onPassed, text, locale],
  );

  useEffect(() => {
    if (passed) return;
    const timer = window.setInterval(() => {
      // A hidden tab cannot see the answer, and a slow check must not pile up requests.
      if (document.visibilityState !== 'visible' || inFlight.current > 0) return;
      void check(false);
    }, AUTO_CHECK_MS);
    return () => window.clearInterval(timer);
  }, [passed, check]);

  // Passed on an earlier visit: say so until a new check says otherwise.
  const shownStatus: Status | null = status ?? (passed ? { tone: 'ok', text: text.checkPassed } : null);
  return (
    <div className="step-check">
      <button type="button" className="check-button" aria-busy={busy} onClick={() => void check(true)}>
        {text.check}
      </button>
      <p role="status" className="check-status" data-tone={shownStatus?.tone}>
        {shownStatus?.tone === 'ok' && <span aria-hidden="true">✓ </span>}
        {shownStatus?.text}
      </p>
    </div>
  );
}
