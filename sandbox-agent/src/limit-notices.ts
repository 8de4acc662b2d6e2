/**
 * Turns the session's limit counters into sentences for the learner, so hitting a limit is never
 * a silent hang or a bare "Killed". Pure: the session polls the counters and sends what this
 * returns.
 */
import type { Profile } from '../../protocol/profile';
import type { LimitEvents } from './isolation/cgroups';

/** Which counter grew, and by how much (the agent counts them in lab_agent_limit_hits_total). */
export type LimitHit = (kind: 'memory' | 'pids' | 'cgroups', n: number) => void;

const MiB = 1024 * 1024;

export function formatBytes(n: number): string {
  if (n % (1024 * MiB) === 0) return `${n / (1024 * MiB)} GiB`;
  if (n < MiB) return `${Math.round(n / 1024)} KiB`;
  return `${Math.round(n / MiB)} MiB`;
}

/** What the session must do about the counters: tell the learner, and perhaps end the sandbox. */
export interface LimitVerdict {
  notices: string[];
  /** Set when the sandbox must end (a flood the kernel cannot bound, on cgroup v1). */
  end?: string;
}

export class LimitNotices {
  private last: LimitEvents = { oomKills: 0, pidsRefused: 0, cgroups: 0 };

  constructor(
    private readonly profile: Profile,
    /** Learner-made cgroups allowed per hierarchy (what cgroup.max.descendants is on v2). */
    private readonly maxCgroups: number,
    private readonly onHit: LimitHit = () => undefined,
  ) {}

  /** Sentences for every counter that grew since the previous call. */
  update(now: LimitEvents): LimitVerdict {
    const out: string[] = [];
    const kills = now.oomKills - this.last.oomKills;
    if (kills > 0) {
      this.onHit('memory', kills);
      out.push(
        `Your sandbox hit its ${formatBytes(this.profile.memoryBytes)} memory limit: ` +
          `${kills === 1 ? 'a process was' : `${kills} processes were`} killed (out of memory). Files in /tmp and other writable folders count towards it too.`,
      );
    }
    if (now.pidsRefused > this.last.pidsRefused) {
      this.onHit('pids', now.pidsRefused - this.last.pidsRefused);
      out.push(`Your sandbox hit its limit of ${this.profile.pids} processes: new processes could not be started until some exit.`);
    }
    const wasOver = this.last.cgroups > this.maxCgroups;
    this.last = now;
    if (now.cgroups > this.maxCgroups) {
      if (!wasOver) this.onHit('cgroups', 1);
      return {
        notices: out,
        end: `Your sandbox created more than ${this.maxCgroups} cgroups, which this host cannot limit by itself (cgroup v1), so it was stopped. Reset it to start again.`,
      };
    }
    return { notices: out };
  }
}
