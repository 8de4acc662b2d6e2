/** cgroups: the shape every version's driver implements (cgroups-v1.ts, cgroups-v2.ts). */
import type { CgroupLimits } from './limits';

export interface SessionCgroup {
  /** cgroup.procs files the launcher joins before it creates any namespace. */
  readonly launcherProcs: string[];
  /** cgroup.procs files every later process of the sandbox joins (terminals, runs). */
  readonly execProcs: string[];
  /** Arguments for lab-init telling it how to mount the delegated tree inside. */
  readonly initArgs: string[];
  /** Where the explorer reads the session's cgroup tree from the host side (explorer/cgroups.ts). */
  readonly layout: CgroupLayout;
  /**
   * Counters of the session's own limits being hit (not the learner's sub-groups: a learner's
   * 10 MB experiment is the lesson, not an incident). Cheap: two small file reads.
   */
  limitEvents(): LimitEvents;
  /** Kill every process in the session's cgroups (and the learner's sub-groups), then remove them. */
  destroy(): Promise<void>;
}

/**
 * A session's cgroup directories as the host sees them. `procPath` is the session's path as
 * /proc/PID/cgroup prints it for the agent, which runs in the host's cgroup namespace
 * (cgroups(7), "/proc/[pid]/cgroup"): every hierarchy's mount shows its root, so it is
 * `/<parent>/<session>` on v1 and v2 alike.
 */
export type CgroupLayout =
  /** v1: the session's directory in the memory and pids hierarchies. */
  | { version: 'v1'; memory: string; pids: string; procPath: string }
  /** v2: the session's one directory (its processes live in the leaf `init`). */
  | { version: 'v2'; dir: string; procPath: string };

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
