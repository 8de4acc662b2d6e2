/** Snapshots for the explorer's unit tests: a sandbox whose learner ran `unshare --fork --pid bash`. */
import type { ExplorerCgroup, ExplorerProcess, ExplorerSnapshot } from '../../protocol/explorer';
import { fixtureProcess } from '../../protocol/explorer-fixture';

export const BASE = { pid: 4026532100, net: 4026532200, mnt: 4026532300, uts: 4026532400, ipc: 4026532500, user: 4026532600, cgroup: 4026532700 };

export function proc(pid: number, extra: Partial<ExplorerProcess> = {}): ExplorerProcess {
  return fixtureProcess({ pid, ppid: pid === 1 ? 0 : 1, cmdline: 'bash -l', ns: { ...BASE }, ...extra });
}

export function cgroup(path: string, usage: number, limit: number | null): ExplorerCgroup {
  return {
    path,
    procs: 1,
    memory: { usage, limit, peak: usage, failcnt: 0, oomKills: 0 },
    pids: { current: 1, limit: 256, refused: 0 },
  };
}

export function snapshot(extra: Partial<ExplorerSnapshot> = {}): ExplorerSnapshot {
  return {
    at: 1_700_000_000_000,
    cgroupVersion: 'v1',
    baseNs: { ...BASE },
    processes: [
      proc(1, { comm: 'lab-init', cmdline: 'lab-init' }),
      proc(5, { ppid: 1 }),
      proc(13, { ppid: 5, comm: 'unshare', cmdline: 'unshare --fork --pid --mount-proc bash' }),
      proc(14, { ppid: 13, nspid: [14, 1], ns: { ...BASE, pid: 4026532900, mnt: 4026532901 } }),
    ],
    omittedProcesses: 0,
    cgroups: [cgroup('/', 10 << 20, 256 << 20)],
    omittedCgroups: 0,
    denials: [],
    deniedTotal: 0,
    denialsAvailable: true,
    ...extra,
  };
}
