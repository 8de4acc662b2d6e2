/**
 * Reading processes from /proc (proc(5)): a process tree and its resident memory, for figures
 * that report what the server costs. Parsing is pure and unit-tested; reading is best effort
 * (a process may exit between listing and reading).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** Resident set size in bytes (VmRSS). */
  rss: number;
  /** utime + stime in clock ticks. */
  cpuTicks: number;
}

/**
 * Fields of /proc/PID/stat we need. `comm` is in parentheses and may itself contain spaces and
 * parentheses, so the fields after it are found from the *last* ')'.
 */
export function parseStat(text: string): { pid: number; comm: string; ppid: number; cpuTicks: number } | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).split(' ');
  // rest[0] = state (field 3), rest[1] = ppid (4), rest[11] = utime (14), rest[12] = stime (15).
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return null;
  return { pid, comm: text.slice(open + 1, close), ppid, cpuTicks: (utime || 0) + (stime || 0) };
}

/** VmRSS from /proc/PID/status, in bytes; 0 for kernel threads and zombies, which have none. */
export function parseRss(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (!stat) return null;
    return { ...stat, rss: parseRss(readFileSync(`/proc/${pid}/status`, 'utf8')) };
  } catch {
    return null; // exited meanwhile
  }
}

/** Every live process: pid → info. */
export function listProcesses(): Map<number, ProcInfo> {
  const all = new Map<number, ProcInfo>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) all.set(p.pid, p);
  }
  return all;
}

/** `root` and all its descendants, from a process listing (pure). */
export function descendants(all: ReadonlyMap<number, Pick<ProcInfo, 'pid' | 'ppid'>>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of all.values()) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  if (!all.has(root)) return [];
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    out.push(pid);
    for (const c of children.get(pid) ?? []) todo.push(c);
  }
  return out;
}

export interface TreeMemory {
  /** RSS of the server's own Node processes: web tier, agent supervisor, agent worker. */
  serverRss: number;
  /** RSS of everything else below the server: launchers, bwrap, lab-init, shells, commands. */
  sandboxRss: number;
  /** CPU ticks of the Node processes and of the rest. */
  serverTicks: number;
  sandboxTicks: number;
  serverProcesses: number;
  sandboxProcesses: number;
}

/**
 * Memory of the process tree under `root` (the bench server's pid), split into the server's
 * Node processes and the sandbox processes it started. RSS counts shared pages once per
 * process; for the Node processes that is what an operator's `ps` shows, and what grows.
 */
export function treeMemory(root: number, all: ReadonlyMap<number, ProcInfo> = listProcesses()): TreeMemory {
  const m: TreeMemory = { serverRss: 0, sandboxRss: 0, serverTicks: 0, sandboxTicks: 0, serverProcesses: 0, sandboxProcesses: 0 };
  for (const pid of descendants(all, root)) {
    const p = all.get(pid)!;
    if (p.comm === 'node' || p.comm === 'MainThread') {
      m.serverRss += p.rss;
      m.serverTicks += p.cpuTicks;
      m.serverProcesses++;
    } else {
      m.sandboxRss += p.rss;
      m.sandboxTicks += p.cpuTicks;
      m.sandboxProcesses++;
    }
  }
  return m;
}
