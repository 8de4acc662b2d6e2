/** cgroups: the shape every version's driver implements (cgroups-v1.ts, cgroups-v2.ts). */
import type { CgroupLimits } from './limits';

export interface SessionCgroup {
  /** cgroup.procs files the launcher joins before it creates any namespace. */
  readonly launcherProcs: string[];
  /** cgroup.procs files every later process of the sandbox joins (terminals, runs). */
  readonly execProcs: string[];
  /** Arguments for lab-init telling it how to mount the delegated tree inside. */
  readonly initArgs: string[];
  /**
   * Counters of the session's own limits being hit (not the learner's sub-groups: a learner's
   * 10 MB experiment is the lesson, not an incident). Cheap: two small file reads.
   */
  limitEvents(): LimitEvents;
  /** Kill every process in the session's cgroups (and the learner's sub-groups), then remove them. */
  destroy(): Promise<void>;
}

export interface LimitEvents {
  /** Processes the kernel's OOM killer killed at the session's memory limit. */
  oomKills: number;
  /** Forks refused at the session's pids limit. */
  pidsRefused: number;
  /** Cgroups the learner made under the session, in the fullest hierarchy (counted up to just past the bound). */
  cgroups: number;
}

/** `key value` lines (memory.events, pids.events, memory.oom_control) → the value of `key`. */
export function readCounter(text: string, key: string): number {
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k === key) return Number(v) || 0;
  }
  return 0;
}

export interface CgroupDriver {
  readonly version: 'v1' | 'v2';
  /** Human-readable summary for the start-up log. */
  describe(): string;
  /** Create the session's cgroup with root-owned limits and a subtree delegated to `ownerUid`. */
  create(sessionId: string, limits: CgroupLimits, ownerUid: number): SessionCgroup;
  /** Remove whatever exists of one session's cgroups (after a failed create). */
  discard(sessionId: string): Promise<void>;
  /** Destroy every session cgroup left by an earlier agent; returns their names. */
  sweep(): Promise<string[]>;
  /** Remove the (now empty) parent directory when the agent stops. */
  removeParent(): void;
}

/** Controllers a sandbox is limited by and may use itself. */
export const DELEGATED_CONTROLLERS = ['memory', 'pids', 'cpu'] as const;

export class CgroupSetupError extends Error {
  override name = 'CgroupSetupError';
}
