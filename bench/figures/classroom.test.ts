import { describe, expect, it } from 'vitest';
import { LoadStats, summarize, type Leftover } from '../../cli/loadtest-stats';
import { classroomFigure } from './classroom';

function result(opts: { echo?: number[]; check?: number[]; errors?: number; leftover?: Leftover } = {}) {
  const s = new LoadStats();
  s.echoMs.push(...(opts.echo ?? [1, 2, 3]));
  s.checkMs.push(...(opts.check ?? [100, 200]));
  for (let i = 0; i < (opts.errors ?? 0); i++) s.error(0, 'boom');
  const leftover = opts.leftover ?? { checked: true, before: 0, after: 0, left: 0, where: '/x' };
  return summarize(s, { learners: 100, durationSec: 300, elapsedSec: 301, rampSec: 30, seed: 5, url: 'http://127.0.0.1:3200', leftover, clientLoopDelayP99Ms: 1 });
}

describe('classroom_100', () => {
  it('is the echo round trip under the class, with the rest in detail', () => {
    const f = classroomFigure(result());
    expect(f).toMatchObject({ name: 'classroom_100', unit: 'ms', p50: 2, p99: 3, baseline_p50: null, ratio: null, met: true });
    expect(f.detail).toMatchObject({ check_p50_ms: 100, check_p99_ms: 200, errors: 0, dropped: 0, leftover: 0 });
  });

  it('is met only with no error, nothing left behind, echo p99 ≤ 50 ms and check p99 ≤ 500 ms', () => {
    expect(classroomFigure(result({ errors: 1 })).met).toBe(false);
    expect(classroomFigure(result({ echo: [1, 51] })).met).toBe(false);
    expect(classroomFigure(result({ check: [501] })).met).toBe(false);
    expect(classroomFigure(result({ leftover: { checked: true, before: 0, after: 1, left: 1, where: '/x' } })).met).toBe(false);
    const unchecked = classroomFigure(result({ leftover: { checked: false, reason: 'not root' } }));
    expect(unchecked.met).toBe(false);
    expect(unchecked.detail?.leftover).toBe('unchecked');
  });
});
