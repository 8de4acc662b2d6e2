/**
 * Browser side of the lesson API (POST /api/check, POST /api/lesson-setup, GET /api/progress).
 * Answers are checked by hand rather than trusted: a proxy error page or an older server must
 * become a sentence on screen, never an exception in a render.
 */
import type { Locale } from '../../protocol/lesson';

export type CheckOutcome =
  | { kind: 'result'; passed: boolean; message: string }
  /** 409: no terminal has connected yet, so there is no sandbox to look into. */
  | { kind: 'no-sandbox' }
  /** Anything else: 400/404/5xx, a network error, or a body we do not understand. */
  | { kind: 'error'; message: string | null };

/** Passed step ids by lesson slug. */
export type Progress = Record<string, string[]>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function runCheck(lesson: string, step: string, lang: Locale, signal?: AbortSignal): Promise<CheckOutcome> {
  return post('/api/check', { lesson, step, lang }, signal);
}

/** Prepare the sandbox for a lesson (its set-up script; the server runs it once per sandbox). */
export async function setUpLesson(lesson: string, lang: Locale, signal?: AbortSignal): Promise<CheckOutcome> {
  return post('/api/lesson-setup', { lesson, lang }, signal);
}

async function post(url: string, body: Record<string, string>, signal?: AbortSignal): Promise<CheckOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { kind: 'error', message: null };
  }
  const answer = await readJson(response);
  if (response.status === 409) return { kind: 'no-sandbox' };
  if (response.ok && isRecord(answer) && typeof answer.passed === 'boolean' && typeof answer.message === 'string') {
    return { kind: 'result', passed: answer.passed, message: answer.message };
  }
  return { kind: 'error', message: isRecord(answer) && typeof answer.error === 'string' ? answer.error : null };
}

async function fetchProgress(): Promise<Progress | null> {
  try {
    const response = await fetch('/api/progress', { credentials: 'same-origin' });
    if (!response.ok) return null;
    const body = await readJson(response);
    if (!isRecord(body) || !isRecord(body.passed)) return null;
    const progress: Progress = {};
    for (const [slug, ids] of Object.entries(body.passed)) {
      if (Array.isArray(ids)) progress[slug] = ids.filter((id): id is string => typeof id === 'string');
    }
    return progress;
  } catch {
    return null;
  }
}

let pending: Promise<Progress | null> | null = null;

/**
 * The learner's progress, or null when it could not be loaded. Callers that mount together (one
 * line per lesson on the course page) share one request; the next call after it settles asks
 * again, so coming back from a lesson never shows a stale count.
 */
export function loadProgress(): Promise<Progress | null> {
  if (!pending) {
    pending = fetchProgress().finally(() => {
      pending = null;
    });
  }
  return pending;
}
