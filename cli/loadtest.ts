/**
 * `lab loadtest` (issue 5, item 5): a classroom of simulated learners against a running web tier,
 * through the same doors a browser uses (docs/protocol.md): pages and /api over HTTP with a cookie,
 * terminals over /ws. See cli/loadtest-learner.ts for what each learner does and
 * cli/loadtest-stats.ts for what is counted. `runLoadtest` is also what bench/figures/classroom.ts
 * calls.
 *
 * At the end every learner has reset its sandbox, and the run confirms from the agent's cgroups
 * (cli/loadtest-leftovers.ts) that the number of sandboxes is back to what it was before.
 */
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { listLessons } from '../server/lessons';
import { LOADTEST_USAGE, parseLoadtestArgs, UsageError, type LoadtestOptions } from './loadtest-args';
import { Learner } from './loadtest-learner';
import { cannotCount, countSandboxes, waitForCount } from './loadtest-leftovers';
import { learnerSeed, scenarioLessons, seededRandom } from './loadtest-scenario';
import { distribution, formatSummary, LoadStats, runFailed, summarize, type Leftover, type LoadtestResult } from './loadtest-stats';

export type { LoadtestOptions } from './loadtest-args';
export type { LoadtestResult } from './loadtest-stats';

const LESSONS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'lessons');
/** How long the agent may take to tear the reset sandboxes down before we call them left behind. */
const TEARDOWN_WAIT_MS = 60_000;
const PROGRESS_EVERY_MS = 15_000;

export interface RunHooks {
  /** Progress lines (the CLI prints them on stderr). */
  log?: (line: string) => void;
  /** Where the lessons are (tests may use their own). */
  lessonsRoot?: string;
}

/** Run a load test; resolves with the result whatever happened (it throws only if no server answers). */
export async function runLoadtest(opts: LoadtestOptions, hooks: RunHooks = {}): Promise<LoadtestResult> {
  const log = hooks.log ?? (() => undefined);
  const lessons = scenarioLessons(await listLessons(hooks.lessonsRoot ?? LESSONS));
  if (lessons.length === 0) throw new Error('there are no lessons to work through');

  // A server that does not answer at all is a usage problem, not a load result.
  const probe = await fetch(new URL('/', opts.url), { signal: AbortSignal.timeout(30_000) }).catch((e: Error) => e);
  if (probe instanceof Error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a timeout…).
    const cause = probe.cause instanceof Error ? probe.cause.message : probe.message;
    throw new Error(`no server answers at ${opts.url} (${cause})`);
  }
  await probe.body?.cancel();

  const why = cannotCount(opts.url);
  const before = why ? null : countSandboxes(opts.cgroupParent);
  let seenDuring = 0;

  const stats = new LoadStats();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = Date.now();
  const endAt = started + opts.durationSec * 1000;
  // The last learner arrives at the end of the ramp; give its sandbox start a few seconds.
  const steadyAt = started + opts.rampSec * 1000 + 5_000;
  let running = 0;
  const progress = setInterval(() => {
    if (before) seenDuring = Math.max(seenDuring, countSandboxes(opts.cgroupParent).count);
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const echo = distribution(stats.echoMs);
    const check = distribution(stats.checkMs);
    log(
      `[loadtest] ${secs} s: ${running} learner(s) working, ${stats.keystrokes} keys, echo p99 ${echo.p99.toFixed(1)} ms, ` +
        `${check.n} checks p99 ${check.p99.toFixed(0)} ms, ${stats.errors} error(s), ${stats.dropped} dropped`,
    );
  }, PROGRESS_EVERY_MS);

  log(`[loadtest] ${opts.learners} learner(s) over ${opts.rampSec} s, ${opts.durationSec} s in all, against ${opts.url} (seed ${opts.seed})`);
  const learners: Promise<void>[] = [];
  for (let i = 0; i < opts.learners; i++) {
    const startAt = started + (opts.rampSec * 1000 * i) / opts.learners;
    learners.push(
      (async () => {
        await sleep(Math.max(0, startAt - Date.now()));
        if (Date.now() >= endAt) return;
        running++;
        const learner = new Learner({ index: i, base: opts.url, lessons, endAt, steadyAt, stats, random: seededRandom(learnerSeed(opts.seed, i)) });
        await learner.run();
        running--;
      })(),
    );
  }
  // Sample the sandbox count once everyone has arrived, in case the run is shorter than a progress tick.
  const sampleAfterRamp = setTimeout(() => {
    if (before) seenDuring = Math.max(seenDuring, countSandboxes(opts.cgroupParent).count);
  }, opts.rampSec * 1000 + 2_000);
  await Promise.all(learners);
  clearInterval(progress);
  clearTimeout(sampleAfterRamp);
  loop.disable();

  let leftover: Leftover;
  if (why || !before) {
    leftover = { checked: false, reason: why ?? 'unreachable' };
  } else if (!before.exists && seenDuring === 0) {
    leftover = {
      checked: false,
      reason: `${before.where} never held this run's sandboxes: is --cgroup-parent the server's LAB_CGROUP_PARENT?`,
    };
  } else {
    const after = await waitForCount(opts.cgroupParent, before.count, TEARDOWN_WAIT_MS);
    leftover = { checked: true, before: before.count, after, left: Math.max(0, after - before.count), where: before.where };
  }
  return summarize(stats, {
    learners: opts.learners,
    durationSec: opts.durationSec,
    elapsedSec: (Date.now() - started) / 1000,
    rampSec: opts.rampSec,
    seed: opts.seed,
    url: opts.url,
    leftover,
    clientLoopDelayP99Ms: loop.percentile(99) / 1e6,
  });
}

/** `lab loadtest ...`: the exit status (0 clean, 1 errors/drops/leftovers, 2 usage, 125 no server). */
export async function loadtestMain(argv: readonly string[]): Promise<number> {
  let opts: LoadtestOptions | null;
  try {
    opts = parseLoadtestArgs(argv, process.env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`lab: ${e.message}\n${LOADTEST_USAGE}\n`);
    return 2;
  }
  if (opts === null) {
    process.stdout.write(`${LOADTEST_USAGE}\n`);
    return 0;
  }
  let result: LoadtestResult;
  try {
    result = await runLoadtest(opts, { log: (l) => process.stderr.write(`${l}\n`) });
  } catch (e) {
    process.stderr.write(`lab: ${(e as Error).message}\n`);
    return 125;
  }
  process.stdout.write(`${formatSummary(result)}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  return runFailed(result) ? 1 : 0;
}
