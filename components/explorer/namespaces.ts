/**
 * Namespaces as groups of processes: which processes share one, which is the sandbox's own
 * (`baseNs`) and which the learner made, a stable number per namespace for its label and colour,
 * and which one a lesson step points at.
 *
 * Numbers: the sandbox's own namespace of each type is 1; the learner's get 2, 3… in the order
 * this page first saw them (in one snapshot, the one whose first process has the lower PID
 * first). The kernel gives no creation time for a namespace, so "first seen" is the best
 * measure of "newest", and it keeps a label and its colour from jumping when another namespace
 * comes or goes.
 */
import { NAMESPACE_TYPES, type ExplorerProcess, type ExplorerSnapshot, type NamespaceType } from '../../protocol/explorer';
import type { ExplorerHighlight } from '../../protocol/lesson';

/** How many distinct colours the learner's namespaces of one type cycle through (globals.css `.ns-c*`). */
export const NAMESPACE_COLOURS = 8;

/** A namespace as `ls -l /proc/PID/ns` prints the link's target: `pid:[4026532123]`. */
export function namespaceId(type: NamespaceType, inode: number): string {
  return `${type}:[${inode}]`;
}

export interface NamespaceNumbers {
  /** Number per namespace id, for the namespaces of the last snapshot only (bounded memory). */
  readonly numbers: ReadonlyMap<string, number>;
  /** Next number to hand out per type; never goes back, so a number is never reused. */
  readonly next: Readonly<Partial<Record<NamespaceType, number>>>;
}

export const NO_NUMBERS: NamespaceNumbers = { numbers: new Map(), next: {} };

/** Lowest PID of each namespace present in the snapshot, keyed by namespace id. */
function firstMembers(processes: readonly ExplorerProcess[]): Map<string, { type: NamespaceType; inode: number; pid: number }> {
  const first = new Map<string, { type: NamespaceType; inode: number; pid: number }>();
  for (const p of processes) {
    for (const type of NAMESPACE_TYPES) {
      const inode = p.ns[type];
      if (inode === undefined) continue;
      const id = namespaceId(type, inode);
      const seen = first.get(id);
      if (!seen || p.pid < seen.pid) first.set(id, { type, inode, pid: p.pid });
    }
  }
  return first;
}

/** Numbers for the namespaces of `snapshot`, keeping those `prev` already gave out. */
export function numberNamespaces(snapshot: ExplorerSnapshot, prev: NamespaceNumbers): NamespaceNumbers {
  const numbers = new Map<string, number>();
  const next: Partial<Record<NamespaceType, number>> = { ...prev.next };
  const fresh: Array<{ id: string; type: NamespaceType; pid: number }> = [];
  for (const [id, m] of firstMembers(snapshot.processes)) {
    if (snapshot.baseNs[m.type] === m.inode) numbers.set(id, 1);
    else {
      const known = prev.numbers.get(id);
      if (known !== undefined && known > 1) numbers.set(id, known);
      else fresh.push({ id, type: m.type, pid: m.pid });
    }
  }
  fresh.sort((a, b) => a.pid - b.pid);
  for (const f of fresh) {
    const n = Math.max(next[f.type] ?? 2, 2);
    numbers.set(f.id, n);
    next[f.type] = n + 1;
  }
  return { numbers, next };
}

export interface NamespaceGroup {
  type: NamespaceType;
  inode: number;
  /** `pid:[4026532123]` */
  id: string;
  /** The sandbox's own namespace of this type (its init's), not one the learner made. */
  base: boolean;
  /** 1 for the sandbox's own, 2… for the learner's (see the file comment). */
  number: number;
  /** Palette slot for a learner's namespace; null for the sandbox's own (drawn neutral). */
  colour: number | null;
  /** Member processes, by PID. */
  members: ExplorerProcess[];
}

/** Every namespace of the snapshot, in NAMESPACE_TYPES order, then by number. */
export function namespaceGroups(snapshot: ExplorerSnapshot, numbering: NamespaceNumbers): NamespaceGroup[] {
  const groups = new Map<string, NamespaceGroup>();
  for (const p of snapshot.processes) {
    for (const type of NAMESPACE_TYPES) {
      const inode = p.ns[type];
      if (inode === undefined) continue;
      const id = namespaceId(type, inode);
      let g = groups.get(id);
      if (!g) {
        const base = snapshot.baseNs[type] === inode;
        // A namespace the numbering has not seen sorts last rather than breaking the page.
        const number = numbering.numbers.get(id) ?? (base ? 1 : Number.MAX_SAFE_INTEGER);
        g = { type, inode, id, base, number, colour: base ? null : (number - 2) % NAMESPACE_COLOURS, members: [] };
        groups.set(id, g);
      }
      g.members.push(p);
    }
  }
  const order = (t: NamespaceType) => NAMESPACE_TYPES.indexOf(t);
  for (const g of groups.values()) g.members.sort((a, b) => a.pid - b.pid);
  return [...groups.values()].sort((a, b) => order(a.type) - order(b.type) || a.number - b.number);
}

/** The PID a process sees for itself: the last of NSpid (the innermost PID namespace). */
export function ownPid(p: ExplorerProcess): number {
  return p.nspid[p.nspid.length - 1] ?? p.pid;
}

export type ExplorerSection = 'cgroups' | 'seccomp' | 'capabilities';

const HIGHLIGHT_TYPES: Record<Exclude<ExplorerHighlight, ExplorerSection>, NamespaceType> = {
  'pid-namespace': 'pid',
  'net-namespace': 'net',
  'mnt-namespace': 'mnt',
  'uts-namespace': 'uts',
  'ipc-namespace': 'ipc',
  'user-namespace': 'user',
};

export type HighlightTarget =
  | { kind: 'namespace'; type: NamespaceType; id: string | null }
  | { kind: 'section'; section: ExplorerSection }
  | null;

/**
 * What a step's `explorer` value lights up: the newest namespace of that type the learner made
 * (id null while there is none yet: the panel says what to look for), or a whole section.
 */
export function highlightTarget(highlight: ExplorerHighlight | null, groups: readonly NamespaceGroup[]): HighlightTarget {
  if (highlight === null) return null;
  if (highlight === 'cgroups' || highlight === 'seccomp' || highlight === 'capabilities') return { kind: 'section', section: highlight };
  const type = HIGHLIGHT_TYPES[highlight];
  let newest: NamespaceGroup | null = null;
  for (const g of groups) {
    if (g.type === type && !g.base && (newest === null || g.number > newest.number)) newest = g;
  }
  return { kind: 'namespace', type, id: newest?.id ?? null };
}
