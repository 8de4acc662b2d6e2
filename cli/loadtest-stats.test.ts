import { describe, expect, it } from 'vitest';
import { distribution, formatSummary, LoadStats, runFailed, summarize, type Leftover } from './loadtest-stats';

const run = (leftover: Leftover) => ({ learners: 2, durationSec: 10, elapsedSec: 12.3, rampSec: 1, seed: 9, url: 'http://127.0.0.1:3000', leftover, clientLoopDelayP99Ms: 3 });
const clean: Leftover = { checked: true, before: 1, after: 1, left: 0, where: '/sys/fs/cgroup/pids/x' };

describe('load run statistics', () => {
  it('gives nearest-rank p50 and p99 and the maximum of the samples', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200 … 1, unsorted
    expect(distribution(samples)).toEqual({ n: 200, p50: 100, p99: 198, max: 200 });
    expect(distribution([7])).toEqual({ n: 1, p50: 7, p99: 7, max: 7 });
    const none = distribution([]);
    expect(none.n).toBe(0);
    expect(none.p50).toBeNaN();
    expect(none.max).toBeNaN();
  });

  it('counts errors and drops, keeping only the first messages', () => {
    const s = new LoadStats();
    for (let i = 0; i < 30; i++) s.error(i, `boom ${i}`);
    s.drop(4, 'terminal 1: the shell ended (exit 0)');
    expect(s.errors).toBe(30);
    expect(s.errorMessages).toHaveLength(20);
    expect(s.errorMessages[0]).toBe('learner 0: boom 0');
    expect(s.dropped).toBe(1);
  });

  it('summarizes what was counted', () => {
    const s = new LoadStats();
    s.keystrokes = 10;
    s.echoMs.push(1, 2, 3, 4);
    s.checkMs.push(100, 300);
    s.checksPassed = 1;
    s.checksNotPassed = 1;
    s.stepsPassed = 1;
    s.stepNotPassed(1, 'lesson/step', 'not yet');
    const r = summarize(s, run(clean));
    expect(r).toMatchObject({ learners: 2, keystrokes: 10, checks: 2, checksPassed: 1, stepsPassed: 1, stepsNotPassed: 1, errors: 0, dropped: 0 });
    expect(r.echoMs).toEqual({ n: 4, p50: 2, p99: 4, max: 4 });
    expect(r.checkMs.p99).toBe(300);
    expect(r.notPassedMessages).toEqual(['learner 1: lesson/step: not yet']);
    // The result is a copy: counting on does not change it.
    s.echoMs.push(1000);
    expect(r.echoMs.n).toBe(4);
  });

  it('files echo times under the lesson and, once everyone has arrived, the steady state', () => {
    const s = new LoadStats();
    s.echo(1, 'pid-namespaces', false);
    s.echo(3, 'pid-namespaces', true);
    s.echo(200, 'cgroups', true);
    const r = summarize(s, run(clean));
    expect(r.echoMs.n).toBe(3);
    expect(r.echoSteadyMs).toEqual({ n: 2, p50: 3, p99: 200, max: 200 });
    expect(r.echoByLesson.map((l) => [l.lesson, l.n, l.p99])).toEqual([
      ['cgroups', 1, 200],
      ['pid-namespaces', 2, 3],
    ]);
    expect(formatSummary(r)).toMatch(/^ {2}by lesson +cgroups p99 200, pid-namespaces p99 3\.00$/m);
  });

  it('fails a run with an error, a drop or a sandbox left behind, not one it could not check', () => {
    const ok = { errors: 0, dropped: 0, leftover: clean };
    expect(runFailed(ok)).toBe(false);
    expect(runFailed({ ...ok, errors: 1 })).toBe(true);
    expect(runFailed({ ...ok, dropped: 1 })).toBe(true);
    expect(runFailed({ ...ok, leftover: { ...clean, after: 2, left: 1 } })).toBe(true);
    expect(runFailed({ ...ok, leftover: { checked: false, reason: 'not root' } })).toBe(false);
  });

  it('prints one line per count, the problems, and a verdict', () => {
    const s = new LoadStats();
    s.echoMs.push(0.5, 1.5);
    s.error(3, 'check x/y answered 502');
    const text = formatSummary(summarize(s, run({ checked: false, reason: 'not run as root' })));
    for (const label of ['learners', 'duration', 'keystrokes', 'echo', 'checks', 'errors', 'dropped', 'left behind']) expect(text).toMatch(new RegExp(`^${label} `, 'm'));
    expect(text).toMatch(/^echo +p50 0\.50 ms, p99 1\.50 ms/m);
    expect(text).toMatch(/^left behind +not checked: not run as root$/m);
    expect(text).toContain('  learner 3: check x/y answered 502');
    expect(text.split('\n').at(-1)).toBe('FAILED');
    expect(formatSummary(summarize(new LoadStats(), run(clean))).split('\n').at(-1)).toBe('ok');
  });
});
