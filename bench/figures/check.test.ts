import { describe, expect, it } from 'vitest';
import { allSteps, pairedMedian, parseCheckReply, schedule, slowestStep } from './check';

describe('allSteps', () => {
  it('lists every step of every lesson in course order, with its script', () => {
    const steps = allSteps([
      { slug: 'a', steps: [{ id: 's1', checkScript: 'exit 0' }, { id: 's2', checkScript: 'exit 1' }] },
      { slug: 'b', steps: [{ id: 't1', checkScript: 'true' }] },
    ] as unknown as Parameters<typeof allSteps>[0]);
    expect(steps).toEqual([
      { lesson: 'a', step: 's1', script: 'exit 0' },
      { lesson: 'a', step: 's2', script: 'exit 1' },
      { lesson: 'b', step: 't1', script: 'true' },
    ]);
  });
});

describe('schedule', () => {
  it('takes learners in turn and walks the course over and over', () => {
    expect(schedule(5, 2, 3)).toEqual([
      { learner: 0, step: 0 },
      { learner: 1, step: 1 },
      { learner: 0, step: 2 },
      { learner: 1, step: 0 },
      { learner: 0, step: 1 },
    ]);
  });
  it('covers every step once the samples reach the step count', () => {
    const s = schedule(40, 3, 40);
    expect(new Set(s.map((x) => x.step)).size).toBe(40);
  });
  it('refuses an empty course or no learners', () => {
    expect(() => schedule(3, 0, 2)).toThrow(RangeError);
    expect(() => schedule(3, 1, 0)).toThrow(RangeError);
  });
});

describe('parseCheckReply', () => {
  it('reads a verdict, passed or not', () => {
    expect(parseCheckReply(200, '{"passed":true,"message":"Passed"}')).toEqual({ ok: true, passed: true });
    expect(parseCheckReply(200, '{"passed":false,"message":"No bash is PID 1 yet"}')).toEqual({ ok: true, passed: false });
  });
  it('turns an error reply into its reason', () => {
    const r = parseCheckReply(409, '{"error":"Your sandbox is not running yet: open a terminal first."}');
    expect(r).toEqual({ ok: false, why: 'HTTP 409: Your sandbox is not running yet: open a terminal first.' });
  });
  it('rejects a body that is not the documented shape', () => {
    expect(parseCheckReply(200, 'oops').ok).toBe(false);
    expect(parseCheckReply(200, '{"passed":"yes"}').ok).toBe(false);
    expect(parseCheckReply(500, '{"passed":true,"message":"x"}').ok).toBe(false);
  });
});

describe('pairedMedian', () => {
  it('is the median of the per-pair differences', () => {
    expect(pairedMedian([10, 20, 30], [8, 15, 29])).toBe(2); // differences 2, 5, 1
  });
  it('refuses series of different lengths', () => {
    expect(() => pairedMedian([1, 2], [1])).toThrow(RangeError);
  });
});

describe('slowestStep', () => {
  it('names the step with the highest median', () => {
    const m = new Map([
      ['a/one', [10, 12, 11]],
      ['b/two', [50, 5, 6]],
      ['c/three', [30, 31, 29]],
    ]);
    expect(slowestStep(m)).toEqual({ step: 'c/three', p50: 30 });
  });
  it('is null without samples', () => {
    expect(slowestStep(new Map())).toBeNull();
    expect(slowestStep(new Map([['a', []]]))).toBeNull();
  });
});
