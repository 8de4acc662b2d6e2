/**
 * One sandbox's cgroup tree for the explorer, read on the host side (as root) from the session's
 * directories (CgroupLayout, isolation/cgroups.ts): the session's own group ("/") and every
 * sub-group the learner made (`cgcreate -g memory:mycoolgroup` makes `<session>/mycoolgroup`).
 *
 * v1 (cgroups(7); Documentation/admin-guide/cgroup-v1/memory.rst and pids.rst): the memory and
 * pids hierarchies are separate trees, merged here by path; a group may exist in one only.
 * v2 (Documentation/admin-guide/cgroup-v2.rst): one tree; the session's processes live in its
 * leaf `/init` (cgroups-v2.ts). Not exercised on the project's v1 VMs: unit tests cover it.
 *
 * Also returns the host PIDs of every process in the session's tree, which is how the process
 * reader knows whom to look at. Bounded: the walk stops at MAX_DEPTH and MAX_GROUPS directories,
 * and only EXPLORER_LIMITS.cgroups groups are read in full.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPLORER_LIMITS, type ExplorerCgroup } from '../../../protocol/explorer';
import { readCounter, type CgroupLayout } from '../isolation/cgroups';
import { readText } from './procfs';

/** v1 has no cgroup.max.depth; the agent ends a sandbox with more than 64 groups (limit-notices). */
const MAX_DEPTH = 8;
const MAX_GROUPS = 256;
/** cgroup.procs of a group at a 65536-pid limit: at most 8 bytes a PID. */
const PROCS_BYTES = 1024 * 1024;
const SMALL = 4096;
/** v1 prints "no limit" as the largest page-aligned signed 64-bit value (PAGE_COUNTER_MAX). */
const V1_UNLIMITED = 2 ** 62;

interface Group {
  dir: string;
  pids: number[];
}

interface Tree {
  /** Relative path → group, in walk order (shallowest first). */
  groups: Map<string, Group>;
  /** Directories seen but not walked (too deep, too many, or a name that collided once made safe). */
  skipped: number;
}

/** A cgroup path fit for the protocol (CgroupPath): a learner may name a group with tabs or newlines. */
export function safePath(path: string): string {
  return path.replace(/[\x00-\x1f\x7f]/g, '?').slice(0, 512);
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return []; // removed while we walk: the learner's cgdelete, or the session ending
  }
}

function parsePids(text: string): number[] {
  return text
    .split('\n')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Breadth-first, so "/" and shallow groups come first when the bound bites. */
function walk(root: string): Tree {
  const groups = new Map<string, Group>();
  let skipped = 0;
  const queue: Array<{ rel: string; dir: string; depth: number }> = [{ rel: '/', dir: root, depth: 0 }];
  while (queue.length > 0) {
    const { rel, dir, depth } = queue.shift()!;
    const procs = readText(join(dir, 'cgroup.procs'), PROCS_BYTES);
    if (procs === null) continue; // gone meanwhile
    groups.set(rel, { dir, pids: parsePids(procs) });
    for (const name of subdirs(dir)) {
      const child = safePath(rel === '/' ? `/${name}` : `${rel}/${name}`);
      if (depth + 1 > MAX_DEPTH || groups.size + queue.length >= MAX_GROUPS || groups.has(child) || queue.some((q) => q.rel === child)) {
        skipped++;
        continue;
      }
      queue.push({ rel: child, dir: join(dir, name), depth: depth + 1 });
    }
  }
  return { groups, skipped };
}

/** A number file (`memory.current`, `pids.max`…): null when missing, or when it says "max". */
function num(path: string): number | null {
  const text = readText(path, SMALL)?.trim();
  if (text === undefined || text === 'max' || text === '') return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Like num, for counters the schema wants as numbers: a missing file counts as 0. */
const count = (path: string): number => num(path) ?? 0;
const counter = (path: string, key: string): number => readCounter(readText(path, SMALL) ?? '', key);

function v1Memory(dir: string): ExplorerCgroup['memory'] {
  const usage = num(join(dir, 'memory.usage_in_bytes'));
  if (usage === null) return null;
  // Read as text: 9223372036854771712 is beyond a double's integers, and means "unlimited".
  const limitText = readText(join(dir, 'memory.limit_in_bytes'), SMALL)?.trim() ?? '';
  const limit = Number(limitText);
  return {
    usage,
    limit: limitText === '' || !(limit < V1_UNLIMITED) ? null : limit,
    peak: num(join(dir, 'memory.max_usage_in_bytes')),
    failcnt: count(join(dir, 'memory.failcnt')),
    oomKills: counter(join(dir, 'memory.oom_control'), 'oom_kill'),
  };
}

function v2Memory(dir: string): ExplorerCgroup['memory'] {
  const usage = num(join(dir, 'memory.current'));
  if (usage === null) return null; // the memory controller is not enabled for this group
  const events = join(dir, 'memory.events');
  return {
    usage,
    limit: num(join(dir, 'memory.max')),
    peak: num(join(dir, 'memory.peak')), // 5.19+
    failcnt: counter(events, 'max'),
    oomKills: counter(events, 'oom_kill'),
  };
}

/** pids.current / pids.max / pids.events are the same files on v1 and v2. */
function pidsStats(dir: string): ExplorerCgroup['pids'] {
  const current = num(join(dir, 'pids.current'));
  if (current === null) return null;
  return { current, limit: num(join(dir, 'pids.max')), refused: counter(join(dir, 'pids.events'), 'max') };
}

export interface CgroupRead {
  /** Sorted by path, "/" first, at most `limit`. */
  cgroups: ExplorerCgroup[];
  omitted: number;
  /** Every process in the session's tree (as walked), host PIDs. */
  hostPids: number[];
}

export function readCgroups(layout: CgroupLayout, limit: number = EXPLORER_LIMITS.cgroups): CgroupRead {
  const memory = walk(layout.version === 'v1' ? layout.memory : layout.dir);
  // On v1 every process of the sandbox is in the pids hierarchy too; v2 has one tree.
  const pids = layout.version === 'v1' ? walk(layout.pids) : memory;
  const paths = [...new Set([...memory.groups.keys(), ...pids.groups.keys()])].sort();
  const cgroups: ExplorerCgroup[] = [];
  for (const path of paths.slice(0, limit)) {
    const m = memory.groups.get(path);
    const p = pids.groups.get(path);
    const mem = m ? (layout.version === 'v1' ? v1Memory(m.dir) : v2Memory(m.dir)) : null;
    const pid = p ? pidsStats(p.dir) : null;
    if (mem === null && pid === null) continue; // removed while we read it
    cgroups.push({ path, procs: (m ?? p)?.pids.length ?? 0, memory: mem, pids: pid });
  }
  const hostPids = [...pids.groups.values()].flatMap((g) => g.pids);
  return {
    cgroups,
    omitted: Math.max(0, paths.length - limit) + Math.max(memory.skipped, pids.skipped),
    hostPids,
  };
}
