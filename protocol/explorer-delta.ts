/**
 * Explorer deltas, computed by the agent (diffExplorer) and applied by the page
 * (applyExplorerDelta): processes keyed by PID, cgroups by path, denials appended by id.
 * Both sides keep lists sorted the same way, so applying a diff to the snapshot it was computed
 * from gives back exactly the newer snapshot (explorer-delta.test.ts checks it).
 */
import { EXPLORER_LIMITS, type ExplorerDelta, type ExplorerSnapshot, type NamespaceSet } from './explorer';

const byPid = (a: { pid: number }, b: { pid: number }) => a.pid - b.pid;
const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Put a snapshot's lists in the order deltas assume (processes by PID, cgroups by path, denials by id). */
export function normalizeSnapshot(s: ExplorerSnapshot): ExplorerSnapshot {
  return {
    ...s,
    processes: [...s.processes].sort(byPid).slice(0, EXPLORER_LIMITS.processes),
    cgroups: [...s.cgroups].sort(byPath).slice(0, EXPLORER_LIMITS.cgroups),
    denials: [...s.denials].sort((a, b) => a.id - b.id).slice(-EXPLORER_LIMITS.denials),
  };
}

/** Structural equality of JSON-shaped values (what the protocol carries). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function keyedDiff<T>(prev: T[], next: T[], key: (t: T) => string | number): { set: T[]; removed: Array<string | number> } {
  const before = new Map(prev.map((p) => [key(p), p]));
  const set = next.filter((n) => !same(before.get(key(n)), n));
  const keep = new Set(next.map(key));
  const removed = prev.map(key).filter((k) => !keep.has(k));
  return { set, removed };
}

export function sameNamespaces(a: NamespaceSet, b: NamespaceSet): boolean {
  return same(a, b);
}

/**
 * What changed from `prev` to `next`, as the delta numbered `seq`; null when nothing did.
 * A change the delta cannot carry (the sandbox's own namespaces, cgroup version, or whether
 * denials can be read) returns 'full': send the whole snapshot instead.
 */
export function diffExplorer(prev: ExplorerSnapshot, next: ExplorerSnapshot, seq: number): ExplorerDelta | null | 'full' {
  if (prev.cgroupVersion !== next.cgroupVersion || prev.denialsAvailable !== next.denialsAvailable || !sameNamespaces(prev.baseNs, next.baseNs)) {
    return 'full';
  }
  const processes = keyedDiff(prev.processes, next.processes, (p) => p.pid);
  const cgroups = keyedDiff(prev.cgroups, next.cgroups, (c) => c.path);
  const lastId = prev.denials.length ? prev.denials[prev.denials.length - 1]!.id : -1;
  const denials = next.denials.filter((d) => d.id > lastId);
  const unchanged =
    processes.set.length === 0 &&
    processes.removed.length === 0 &&
    cgroups.set.length === 0 &&
    cgroups.removed.length === 0 &&
    denials.length === 0 &&
    prev.deniedTotal === next.deniedTotal &&
    prev.omittedProcesses === next.omittedProcesses &&
    prev.omittedCgroups === next.omittedCgroups;
  if (unchanged) return null;
  return {
    type: 'explorer-delta',
    seq,
    at: next.at,
    processes: { set: processes.set, removed: processes.removed as number[] },
    cgroups: { set: cgroups.set, removed: cgroups.removed as string[] },
    denials,
    deniedTotal: next.deniedTotal,
    omittedProcesses: next.omittedProcesses,
    omittedCgroups: next.omittedCgroups,
  };
}

/** The snapshot after `delta`. The caller checks `delta.seq` follows the snapshot it holds. */
export function applyExplorerDelta(s: ExplorerSnapshot, delta: ExplorerDelta): ExplorerSnapshot {
  const procs = new Map(s.processes.map((p) => [p.pid, p]));
  for (const pid of delta.processes.removed) procs.delete(pid);
  for (const p of delta.processes.set) procs.set(p.pid, p);
  const groups = new Map(s.cgroups.map((c) => [c.path, c]));
  for (const path of delta.cgroups.removed) groups.delete(path);
  for (const c of delta.cgroups.set) groups.set(c.path, c);
  const seen = new Set(s.denials.map((d) => d.id));
  return normalizeSnapshot({
    ...s,
    at: delta.at,
    processes: [...procs.values()],
    cgroups: [...groups.values()],
    denials: [...s.denials, ...delta.denials.filter((d) => !seen.has(d.id))],
    deniedTotal: delta.deniedTotal,
    omittedProcesses: delta.omittedProcesses,
    omittedCgroups: delta.omittedCgroups,
  });
}
