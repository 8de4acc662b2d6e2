'use client';
/**
 * "Show hint" and "Show solution" for a step. Both were rendered on the server (the solution as
 * code blocks with Run buttons); they only enter the page once asked for, so a hidden solution's
 * Run button can never be found, focused or clicked by accident.
 */
import { useState, type ReactNode } from 'react';
import { UI, type Locale } from '../ui-text';

export function StepHelp({ hint, solution, locale }: { hint: ReactNode; solution: ReactNode; locale: Locale }) {
  const text = UI[locale];
  const [showHint, setShowHint] = useState(false);
  const [showSolution, setShowSolution] = useState(false);
  return (
    <div className="step-help">
      <div className="step-help-buttons">
        <button type="button" aria-expanded={showHint} onClick={() => setShowHint((v) => !v)}>
          {text.showHint}
        </button>
        <button type="button" aria-expanded={showSolution} onClick={() => setShowSolution((v) => !v)}>
          {text.showSolution}
        </button>
      </div>
      {showHint && (
        <section className="step-hint" aria-label={text.hintHeading}>
          {hint}
        </section>
      )}
      {showSolution && (
        <section className="step-solution" aria-label={text.solutionHeading}>
          {solution}
        </section>
      )}
    </div>
  );
}
