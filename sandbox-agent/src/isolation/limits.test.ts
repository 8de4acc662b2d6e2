import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../../protocol/profile';
import { cgroupLimits } from './limits';

describe('cgroupLimits', () => {
  it.each([
    [0.5, 50_000],
    [1, 100_000],
    [2, 200_000],
    [0.25, 25_000],
    [0.05, 5_000],
    [1.234567, 123_457],
  ])('maps cpus %d to a quota of %d us per 100000 us', (cpus, quota) => {
    const l = cgroupLimits({ ...DEFAULT_PROFILE, cpus });
    expect(l.cpuQuotaUs).toBe(quota);
    expect(l.cpuPeriodUs).toBe(100_000);
  });

  it('never writes a quota below the kernel minimum of 1 ms', () => {
    expect(cgroupLimits({ ...DEFAULT_PROFILE, cpus: 0.001 }).cpuQuotaUs).toBe(1000);
  });

  it('passes memory and pids through and bounds the learner sub-hierarchy', () => {
    const l = cgroupLimits({ ...DEFAULT_PROFILE, memoryBytes: 300 * 1024 * 1024, pids: 77 });
    expect(l).toEqual({
      memoryBytes: 300 * 1024 * 1024,
      pids: 77,
      cpuQuotaUs: DEFAULT_PROFILE.cpus * 100_000,
      cpuPeriodUs: 100_000,
      maxDescendants: 64,
      maxDepth: 4,
    });
  });
});
