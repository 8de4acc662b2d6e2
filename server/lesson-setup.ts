/**
 * A lesson's set-up script (protocol/lesson.ts `setup`) runs once per sandbox before the lesson's
 * first step: the lesson page asks for it when it opens, and every check asks again first, so a
 * step is never checked against a sandbox the lesson did not prepare. One owner remembers which
 * sandboxes are set up; scripts are idempotent, so forgetting (a web-tier restart) only costs a
 * second run.
 */
import type { Lesson, Locale } from '../protocol/lesson';
import type { AgentClient } from './agent-client';
import { runCheck, type CheckResult } from './checks';

const SETUP_TIMEOUT_MS = 30_000;
/** Sandboxes remembered; the oldest are forgotten first (a re-run is harmless). */
const MAX_REMEMBERED = 10_000;

export class LessonSetups {
  /** `${session} ${slug}` → the run in flight or done; failures are dropped so the next call retries. */
  private readonly runs = new Map<string, Promise<CheckResult>>();

  /** Run the lesson's set-up in this sandbox unless it already ran; resolves with how it went. */
  ensure(agent: AgentClient, sessionId: string, lesson: Lesson, lang: Locale): Promise<CheckResult> {
    if (lesson.setupScript === undefined) return Promise.resolve({ passed: true, message: 'Passed' });
    const key = `${sessionId} ${lesson.slug}`;
    const known = this.runs.get(key);
    if (known) return known;
    const run = runCheck(agent, sessionId, lesson.setupScript, { lang, timeoutMs: SETUP_TIMEOUT_MS }).then(
      (r) => {
        if (!r.passed) this.runs.delete(key);
        return r;
      },
      (e: unknown) => {
        this.runs.delete(key);
        throw e;
      },
    );
    this.runs.set(key, run);
    if (this.runs.size > MAX_REMEMBERED) this.runs.delete(this.runs.keys().next().value!);
    return run;
  }
}
