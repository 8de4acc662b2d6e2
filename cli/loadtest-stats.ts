/**
 * What a load run counts, and the summary it prints (pure: unit-tested). Latencies are kept as
 * every sample, not a histogram: a 5-minute class of 100 is a few hundred thousand numbers, and
 * exact percentiles are worth that.
 */
import { percentile } from '../bench/figure';

/** What became of the sandboxes: confirmed gone, some left, or not checkable from here. */
export type Leftover =
  | { checked: true; before: number; after: number; left: number; where: string }
  | { checked: false; reason: string };

/** Where the run's problems are written down: a count and the first few sentences. */
const KEEP_MESSAGES = 20;

export class LoadStats {
  keystrokes = 0;
  /** Key → echo round trips (ms), printable keys only. */
  readonly echoMs: number[] = [];
  /** The same once every learner has arrived (no sandbox starts, no first page loads). */
  readonly echoSteadyMs: number[] = [];
  /** The same by the lesson the learner was on: a slow lesson (its commands load the sandbox) stands out. */
  readonly echoByLesson = new Map<string, number[]>();
  /** Timed keys whose echo never came (given up after ECHO_GIVE_UP_MS). */
  unechoed = 0;
  /** Every POST /api/check that answered 200, passed or not (ms). */
  readonly checkMs: number[] = [];
  checksPassed = 0;
  checksNotPassed = 0;
  /** Steps whose check passed (after the solution was typed), and steps the learner gave up on. */
  stepsPassed = 0;
  stepsNotPassed = 0;
  lessonsStarted = 0;
  /** GET of a lesson page (ms). */
  readonly pageMs: number[] = [];
  /** Terminals (re)opened through the gateway, and how long each took to say ready (ms). */
  readonly openMs: number[] = [];
  errors = 0;
  readonly errorMessages: string[] = [];
  dropped = 0;
  readonly droppedMessages: string[] = [];
  /** Sample check failures, to tell a broken lesson from a slow server. */
  readonly notPassedMessages: string[] = [];

  echo(ms: number, lesson: string, steady: boolean): void {
    this.echoMs.push(ms);
    if (steady) this.echoSteadyMs.push(ms);
    let byLesson = this.echoByLesson.get(lesson);
    if (!byLesson) this.echoByLesson.set(lesson, (byLesson = []));
    byLesson.push(ms);
  }

  error(learner: number, what: string): void {
    this.errors++;
    if (this.errorMessages.length < KEEP_MESSAGES) this.errorMessages.push(`learner ${learner}: ${what}`);
  }

  drop(learner: number, what: string): void {
    this.dropped++;
    if (this.droppedMessages.length < KEEP_MESSAGES) this.droppedMessages.push(`learner ${learner}: ${what}`);
  }

  stepNotPassed(learner: number, where: string, message: string): void {
    this.stepsNotPassed++;
    if (this.notPassedMessages.length < KEEP_MESSAGES) this.notPassedMessages.push(`learner ${learner}: ${where}: ${message}`);
  }
}

export interface Distribution {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function distribution(samples: readonly number[]): Distribution {
  const max = samples.reduce((m, s) => (s > m ? s : m), -Infinity);
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.length ? max : Number.NaN };
}

export interface LoadtestResult {
  learners: number;
  /** Planned run (ramp included) and what it took, teardown included. */
  durationSec: number;
  elapsedSec: number;
  rampSec: number;
  seed: number;
  url: string;
  keystrokes: number;
  echoMs: Distribution;
  echoSteadyMs: Distribution;
  /** Per lesson, slowest p99 first. */
  echoByLesson: Array<{ lesson: string } & Distribution>;
  unechoed: number;
  checks: number;
  checksPassed: number;
  checkMs: Distribution;
  stepsPassed: number;
  stepsNotPassed: number;
  lessonsStarted: number;
  pageMs: Distribution;
  openMs: Distribution;
  errors: number;
  dropped: number;
  leftover: Leftover;
  /** The generator's own event-loop delay p99 (ms): if large, the client, not the server, was slow. */
  clientLoopDelayP99Ms: number;
  errorMessages: string[];
  droppedMessages: string[];
  notPassedMessages: string[];
}

/** A run is clean with no error, no dropped terminal, and every sandbox confirmed gone (or uncheckable). */
export function runFailed(r: Pick<LoadtestResult, 'errors' | 'dropped' | 'leftover'>): boolean {
  return r.errors > 0 || r.dropped > 0 || (r.leftover.checked && r.leftover.left > 0);
}

export function summarize(
  stats: LoadStats,
  run: { learners: number; durationSec: number; elapsedSec: number; rampSec: number; seed: number; url: string; leftover: Leftover; clientLoopDelayP99Ms: number },
): LoadtestResult {
  return {
    ...run,
    keystrokes: stats.keystrokes,
    echoMs: distribution(stats.echoMs),
    echoSteadyMs: distribution(stats.echoSteadyMs),
    echoByLesson: [...stats.echoByLesson].map(([lesson, samples]) => ({ lesson, ...distribution(samples) })).sort((a, b) => b.p99 - a.p99),
    unechoed: stats.unechoed,
    checks: stats.checkMs.length,
    checksPassed: stats.checksPassed,
    checkMs: distribution(stats.checkMs),
    stepsPassed: stats.stepsPassed,
    stepsNotPassed: stats.stepsNotPassed,
    lessonsStarted: stats.lessonsStarted,
    pageMs: distribution(stats.pageMs),
    openMs: distribution(stats.openMs),
    errors: stats.errors,
    dropped: stats.dropped,
    errorMessages: [...stats.errorMessages],
    droppedMessages: [...stats.droppedMessages],
    notPassedMessages: [...stats.notPassedMessages],
  };
}

const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(0)) : '-');
const dist = (d: Distribution) => `p50 ${ms(d.p50)} ms, p99 ${ms(d.p99)} ms, max ${ms(d.max)} ms`;

export function leftoverLine(l: Leftover): string {
  if (!l.checked) return `not checked: ${l.reason}`;
  return l.left === 0 ? `none (${l.where}: ${l.before} before, ${l.after} after)` : `${l.left} sandbox(es) left behind (${l.where}: ${l.before} before, ${l.after} after)`;
}

/** The summary printed at the end of `lab loadtest`. */
export function formatSummary(r: LoadtestResult): string {
  const lines = [
    `learners      ${r.learners} (ramp ${r.rampSec} s, seed ${r.seed}) against ${r.url}`,
    `duration      ${r.durationSec} s planned, ${r.elapsedSec.toFixed(1)} s with teardown`,
    `keystrokes    ${r.keystrokes}${r.unechoed ? ` (${r.unechoed} never echoed)` : ''}`,
    `echo          ${dist(r.echoMs)} (n ${r.echoMs.n})`,
    `  after ramp  ${dist(r.echoSteadyMs)} (n ${r.echoSteadyMs.n})`,
    `  by lesson   ${r.echoByLesson.map((l) => `${l.lesson} p99 ${ms(l.p99)}`).join(', ') || '-'}`,
    `checks        ${r.checks} (${r.checksPassed} passed), ${dist(r.checkMs)}`,
    `steps         ${r.stepsPassed} passed, ${r.stepsNotPassed} not passed, in ${r.lessonsStarted} lesson visit(s)`,
    `lesson page   ${dist(r.pageMs)} (n ${r.pageMs.n})`,
    `terminal open ${dist(r.openMs)} (n ${r.openMs.n})`,
    `client delay  event loop p99 ${ms(r.clientLoopDelayP99Ms)} ms (the generator's own lag, included in the figures above)`,
    `errors        ${r.errors}`,
    `dropped       ${r.dropped}`,
    `left behind   ${leftoverLine(r.leftover)}`,
  ];
  const list = (title: string, items: string[], total: number) =>
    items.length ? [`${title}${total > items.length ? ` (first ${items.length} of ${total})` : ''}:`, ...items.map((m) => `  ${m}`)] : [];
  lines.push(...list('errors', r.errorMessages, r.errors));
  lines.push(...list('dropped', r.droppedMessages, r.dropped));
  lines.push(...list('steps not passed', r.notPassedMessages, r.stepsNotPassed));
  lines.push(runFailed(r) ? 'FAILED' : 'ok');
  return lines.join('\n');
}
