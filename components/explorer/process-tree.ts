/** The sandbox's processes as a tree (by PPID), flattened in display order with each row's depth. */
import type { ExplorerProcess } from '../../protocol/explorer';

export interface TreeRow {
  process: ExplorerProcess;
  depth: number;
}

/**
 * Depth-first, children by PID. A process whose parent is not in the snapshot (the sandbox's
 * init, or a child whose parent was left out by the process limit) is a root. Every process
 * appears exactly once, even if PPIDs were read mid-fork and seem to form a loop.
 */
export function processTree(processes: readonly ExplorerProcess[]): TreeRow[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number, ExplorerProcess[]>();
  const roots: ExplorerProcess[] = [];
  for (const p of processes) {
    if (p.ppid !== p.pid && byPid.has(p.ppid)) {
      const list = children.get(p.ppid) ?? [];
      list.push(p);
      children.set(p.ppid, list);
    } else roots.push(p);
  }
  const byPidOrder = (a: ExplorerProcess, b: ExplorerProcess) => a.pid - b.pid;
  const rows: TreeRow[] = [];
  const placed = new Set<number>();
  const visit = (p: ExplorerProcess, depth: number): void => {
    if (placed.has(p.pid)) return;
    placed.add(p.pid);
    rows.push({ process: p, depth });
    for (const c of (children.get(p.pid) ?? []).sort(byPidOrder)) visit(c, depth + 1);
  };
  for (const r of roots.sort(byPidOrder)) visit(r, 0);
  // Only a PPID loop leaves processes unplaced; show them rather than lose them.
  for (const p of [...processes].sort(byPidOrder)) visit(p, 0);
  return rows;
}
