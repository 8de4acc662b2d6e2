/**
 * The rows both views draw (the picture and the table view hold the same data): processes in
 * tree order with their namespaces, capabilities and both PIDs; cgroups with their depth;
 * seccomp modes grouped; denials newest first.
 */
import { NAMESPACE_TYPES, type ExplorerDenial, type ExplorerProcess, type ExplorerSnapshot } from '../../protocol/explorer';
import { decodeCapabilities, type Capability } from './capabilities';
import { namespaceId, ownPid, type NamespaceGroup } from './namespaces';
import { processTree } from './process-tree';

export interface ProcessRow {
  process: ExplorerProcess;
  /** PID in the sandbox's outermost namespace. */
  pid: number;
  /** PID the process sees for itself (last of NSpid). */
  ownPid: number;
  depth: number;
  /** The process's namespaces, in NAMESPACE_TYPES order. */
  namespaces: NamespaceGroup[];
  capabilities: Capability[];
}

export function processRows(snapshot: ExplorerSnapshot, groups: readonly NamespaceGroup[]): ProcessRow[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  return processTree(snapshot.processes).map(({ process, depth }) => ({
    process,
    pid: process.pid,
    ownPid: ownPid(process),
    depth,
    namespaces: NAMESPACE_TYPES.flatMap((type) => {
      const inode = process.ns[type];
      const g = inode === undefined ? undefined : byId.get(namespaceId(type, inode));
      return g ? [g] : [];
    }),
    capabilities: decodeCapabilities(process.capEff),
  }));
}

/** Space-separated `type:[inode]` of a process: a data attribute tests can match with `~=`. */
export function namespaceList(row: ProcessRow): string {
  return row.namespaces.map((g) => g.id).join(' ');
}

/** Depth of a cgroup below the sandbox's own ("/" is 0, "/a/b" is 2). */
export function cgroupDepth(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}

export interface SeccompGroup {
  mode: 0 | 1 | 2;
  filters: number;
  pids: number[];
}

/** Processes grouped by seccomp mode and filter count: filtered ones first, then by PID. */
export function seccompGroups(processes: readonly ExplorerProcess[]): SeccompGroup[] {
  const groups = new Map<string, SeccompGroup>();
  for (const p of [...processes].sort((a, b) => a.pid - b.pid)) {
    const key = `${p.seccomp.mode}/${p.seccomp.filters}`;
    const g = groups.get(key) ?? { mode: p.seccomp.mode, filters: p.seccomp.filters, pids: [] };
    g.pids.push(p.pid);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.mode - a.mode || b.filters - a.filters);
}

/** Newest first: the denial the learner just caused is at the top. */
export function denialRows(snapshot: ExplorerSnapshot): ExplorerDenial[] {
  return [...snapshot.denials].reverse();
}
