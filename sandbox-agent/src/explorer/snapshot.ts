/**
 * One explorer snapshot of one sandbox: its cgroup tree (which also says which host PIDs are
 * the sandbox's), its processes in the sandbox's numbering, and the denials the session kept.
 * Host side, as root; reads only what belongs to this sandbox's cgroup tree.
 */
import type { ExplorerDenial, ExplorerSnapshot } from '../../../protocol/explorer';
import { normalizeSnapshot } from '../../../protocol/explorer-delta';
import type { CgroupLayout } from '../isolation/cgroups';
import { readCgroups } from './cgroups';
import { readProcesses } from './processes';

export interface SnapshotSource {
  /** `/proc`, or a fixture tree in tests. */
  procRoot: string;
  /** Host PID of the sandbox's init. */
  initPid: number;
  layout: CgroupLayout;
}

/** The denials a session kept (hub.ts), newest last. */
export interface DenialState {
  denials: ExplorerDenial[];
  total: number;
  available: boolean;
}

export function readSnapshot(src: SnapshotSource, d: DenialState, now = Date.now()): ExplorerSnapshot {
  const groups = readCgroups(src.layout);
  const procs = readProcesses({ procRoot: src.procRoot, initPid: src.initPid, hostPids: groups.hostPids, cgroup: src.layout });
  return normalizeSnapshot({
    at: now,
    cgroupVersion: src.layout.version,
    baseNs: procs.baseNs,
    processes: procs.processes,
    omittedProcesses: procs.omitted,
    cgroups: groups.cgroups,
    omittedCgroups: groups.omitted,
    denials: d.denials,
    deniedTotal: d.total,
    denialsAvailable: d.available,
  });
}
