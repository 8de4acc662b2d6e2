import { describe, expect, it } from 'vitest';
import { fraction, HISTORY_SAMPLES, NO_HISTORY, recordUsage, sparklinePoints } from './cgroup-history';
import { cgroup, snapshot } from './test-fixtures';

describe('cgroup history', () => {
  it('appends one sample per snapshot and forgets cgroups that are gone', () => {
    let h = recordUsage(NO_HISTORY, snapshot({ cgroups: [cgroup('/', 10, 100), cgroup('/hog', 1, 50)] }));
    h = recordUsage(h, snapshot({ cgroups: [cgroup('/', 12, 100), cgroup('/hog', 30, 50)] }));
    expect(h.get('/hog')).toEqual([1, 30]);
    h = recordUsage(h, snapshot({ cgroups: [cgroup('/', 11, 100)] }));
    expect(h.get('/')).toEqual([10, 12, 11]);
    expect(h.has('/hog')).toBe(false);
  });

  it('keeps at most HISTORY_SAMPLES samples', () => {
    let h = NO_HISTORY;
    for (let i = 0; i < HISTORY_SAMPLES + 5; i++) h = recordUsage(h, snapshot({ cgroups: [cgroup('/', i, null)] }));
    const samples = h.get('/')!;
    expect(samples).toHaveLength(HISTORY_SAMPLES);
    expect(samples[0]).toBe(5);
  });

  it('skips cgroups without a memory controller', () => {
    const h = recordUsage(NO_HISTORY, snapshot({ cgroups: [{ ...cgroup('/', 1, 2), memory: null }] }));
    expect(h.size).toBe(0);
  });

  it('measures against a limit, clamped, and not without one', () => {
    expect(fraction(50, 200)).toBe(0.25);
    expect(fraction(300, 200)).toBe(1);
    expect(fraction(5, null)).toBeNull();
  });

  it('draws the newest sample at the right edge, the limit at the top', () => {
    const step = 100 / (HISTORY_SAMPLES - 1);
    expect(sparklinePoints([0, 50, 100], 100, 100, 20)).toBe(
      `${Math.round((100 - 2 * step) * 10) / 10},20 ${Math.round((100 - step) * 10) / 10},10 100,0`,
    );
    expect(sparklinePoints([], 100, 100, 20)).toBe('');
    // Without a limit the highest sample is the top.
    expect(sparklinePoints([5, 10], 0, 100, 20).endsWith('100,0')).toBe(true);
  });
});
