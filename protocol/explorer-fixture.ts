/** A small, valid explorer snapshot for tests on both sides of the wire. */
import type { ExplorerProcess, ExplorerSnapshot } from './explorer';

const BASE = { pid: 4026532801, net: 4026532804, mnt: 4026532802, uts: 4026532803, ipc: 4026532805, user: 4026532800, cgroup: 4026532806, time: 4026531834 };

export function fixtureProcess(over: Partial<ExplorerProcess> & { pid: number }): ExplorerProcess {
  return {
    nspid: [over.pid],
    ppid: 1,
    comm: 'bash',
    cmdline: '/bin/bash -l',
    state: 'S',
    ns: { ...BASE },
    cgroup: '/',
    seccomp: { mode: 2, filters: 1 },
    capEff: '000001ffffffffff',
    uidMap: ['0 1700000000 65536'],
    ...over,
  };
}

/** init, a login shell, and `unshare --pid --fork sleep` whose sleep is PID 1 of a new namespace. */
export function fixtureSnapshot(): ExplorerSnapshot {
  return {
    at: 1_795_965_902_167,
    cgroupVersion: 'v1',
    baseNs: { ...BASE },
    processes: [
      fixtureProcess({ pid: 1, ppid: 0, comm: 'lab-init', cmdline: '/usr/local/lib/lab-init' }),
      fixtureProcess({ pid: 14, comm: 'bash' }),
      fixtureProcess({ pid: 20, ppid: 14, comm: 'unshare', cmdline: 'unshare --pid --fork sleep 600' }),
      fixtureProcess({ pid: 21, ppid: 20, nspid: [21, 1], comm: 'sleep', cmdline: 'sleep 600', ns: { ...BASE, pid: 4026532900 } }),
    ],
    omittedProcesses: 0,
    cgroups: [
      { path: '/', procs: 4, memory: { usage: 3_000_000, limit: 268_435_456, peak: 4_000_000, failcnt: 0, oomKills: 0 }, pids: { current: 4, limit: 256, refused: 0 } },
    ],
    omittedCgroups: 0,
    denials: [],
    deniedTotal: 0,
    denialsAvailable: true,
  };
}
