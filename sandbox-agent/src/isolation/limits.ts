/** Turn a profile into the numbers the cgroup drivers write. Pure, so it is unit-tested. */
import type { Profile } from '../../../protocol/profile';

export interface CgroupLimits {
  memoryBytes: number;
  pids: number;
  /** CFS bandwidth: `quotaUs` of CPU time per `periodUs` (sched-bwc.rst). */
  cpuQuotaUs: number;
  cpuPeriodUs: number;
  /** v2 only: bounds on the learner's own sub-hierarchy (v1 has no equivalent). */
  maxDescendants: number;
  maxDepth: number;
}

const PERIOD_US = 100_000;

export function cgroupLimits(p: Profile): CgroupLimits {
  return {
    memoryBytes: p.memoryBytes,
    pids: p.pids,
    cpuQuotaUs: Math.max(1000, Math.round(p.cpus * PERIOD_US)),
    cpuPeriodUs: PERIOD_US,
    maxDescendants: 64,
    maxDepth: 4,
  };
}
