/**
 * The processes of one sandbox, read from the host's /proc (proc(5)) and shown in the sandbox's
 * own numbering. Runs in the agent as host root, so it sees every PID namespace; it reads only
 * the PIDs the session's cgroup tree holds (explorer/cgroups.ts), never anyone else's.
 *
 * The numbering: `NSpid:` in /proc/PID/status lists a process's PID in every PID namespace from
 * the reader's (the host's) inward (pid_namespaces(7)). The sandbox's init is PID 1 of the
 * sandbox's outermost PID namespace, so that namespace sits at level (length of init's NSpid) − 1
 * and every process of the sandbox has its sandbox PID at that index. The processes of the
 * session's cgroup with a shorter NSpid live outside that namespace (labsbx's launcher and exec
 * relays, bwrap's monitor): they are the agent's, not the learner's, and are left out.
 */
import { EXPLORER_LIMITS, NAMESPACE_TYPES, type ExplorerProcess, type NamespaceSet } from '../../../protocol/explorer';
import type { CgroupLayout } from '../isolation/cgroups';
import { safePath } from './cgroups';
import { parseNspid, parseStatus, readHead, readLink, readText, STATUS_MAX } from './procfs';

/** Candidates read beyond the limit: the agent's own few processes in the cgroup (launcher, relays). */
const SLACK = 10;
/** Enough bytes for EXPLORER_LIMITS.cmdline characters of UTF-8. */
const CMDLINE_BYTES = EXPLORER_LIMITS.cmdline * 4;
/** uid_map lines are at most ~35 bytes; the explorer shows the first EXPLORER_LIMITS.mapLines. */
const UID_MAP_BYTES = 1024;
/** /proc/PID/cgroup: a dozen v1 hierarchies, each with a path a learner can make long. */
const CGROUP_BYTES = 64 * 1024;
const COMM_MAX = 64;

export interface ProcessReadOptions {
  /** `/proc`, or a fixture tree in tests. */
  procRoot: string;
  /** Host PID of the sandbox's PID 1. */
  initPid: number;
  /** Host PIDs of every process in the session's cgroup tree. */
  hostPids: number[];
  cgroup: Pick<CgroupLayout, 'version' | 'procPath'>;
  limit?: number;
}

export interface ProcessRead {
  /** In host PID order (the snapshot is sorted by sandbox PID later). */
  processes: ExplorerProcess[];
  /** Processes not shown: beyond the limit, or never read because the bound was reached. */
  omitted: number;
  /** The sandbox's init's namespaces; empty when init is gone (the sandbox is ending). */
  baseNs: NamespaceSet;
}

/**
 * `pid:[4026532123]` (the target of a /proc/PID/ns link, namespaces(7)) → 4026532123.
 * A process that is a zombie has no namespaces left to link to: those types are missing.
 */
export function readNamespaces(procRoot: string, pid: number): NamespaceSet {
  const ns: NamespaceSet = {};
  for (const type of NAMESPACE_TYPES) {
    const target = readLink(`${procRoot}/${pid}/ns/${type}`);
    const m = target === null ? null : /^[a-z_]+:\[(\d+)\]$/.exec(target);
    if (m) ns[type] = Number(m[1]);
  }
  return ns;
}

/**
 * The process's cgroup relative to the session's: the memory hierarchy's line on v1
 * (`4:memory:/container-lab/s1/mycoolgroup`), the unified one (`0::/...`) on v2 (cgroups(7)).
 * Null when the process is not in the session's tree, e.g. its PID was freed and reused by
 * someone else's process between listing the cgroup and reading /proc.
 */
export function relativeCgroup(text: string, cgroup: ProcessReadOptions['cgroup']): string | null {
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const wanted = cgroup.version === 'v1' ? controllers.split(',').includes('memory') : line.startsWith('0::');
    if (!wanted) continue;
    const path = line.slice(second + 1);
    if (path === cgroup.procPath) return '/';
    if (!path.startsWith(cgroup.procPath + '/')) return null;
    // A learner may put tabs or control characters in a cgroup's name: the path is data.
    return safePath(path.slice(cgroup.procPath.length));
  }
  return null;
}

/** NUL-separated arguments → one line, trimmed and cut to the protocol's bound. */
export function formatCmdline(raw: Buffer): string {
  return raw
    .toString('utf8')
    .replace(/\0/g, ' ')
    .replace(/[\x00-\x1f\x7f]/g, ' ')
    .trim()
    .slice(0, EXPLORER_LIMITS.cmdline);
}

function seccompMode(text: string | undefined): 0 | 1 | 2 {
  return text === '1' ? 1 : text === '2' ? 2 : 0;
}

/** The PID-namespace level of the sandbox (see the file comment), or null when init is gone. */
export function sandboxLevel(procRoot: string, initPid: number): number | null {
  const text = readText(`${procRoot}/${initPid}/status`, STATUS_MAX);
  if (text === null) return null;
  const nspid = parseNspid(parseStatus(text));
  return nspid.length > 0 ? nspid.length - 1 : null;
}

/**
 * The sandbox PID of host PID `hostPid`, if that process is still alive, in this sandbox's PID
 * namespace, and runs as one of the sandbox's host uids (`ownsUid`): a PID reused by another
 * sandbox's process since the kernel logged it is not ours. Null otherwise.
 */
export function sandboxPidOf(procRoot: string, initPid: number, hostPid: number, ownsUid: (uid: number) => boolean): number | null {
  const level = sandboxLevel(procRoot, initPid);
  const text = readText(`${procRoot}/${hostPid}/status`, STATUS_MAX);
  if (level === null || text === null) return null;
  const status = parseStatus(text);
  const realUid = Number(status.get('Uid')?.split(/\s+/)[0]);
  const nspid = parseNspid(status);
  return nspid.length > level && ownsUid(realUid) ? nspid[level]! : null;
}

interface Raw {
  hostPid: number;
  hostPpid: number;
  process: ExplorerProcess;
}

function readOne(o: ProcessReadOptions, hostPid: number, level: number): Raw | null {
  const dir = `${o.procRoot}/${hostPid}`;
  const text = readText(`${dir}/status`, STATUS_MAX);
  if (text === null) return null;
  const status = parseStatus(text);
  const nspid = parseNspid(status);
  if (nspid.length <= level) return null; // the agent's own process, outside the sandbox's PID namespace
  const cmdline = readHead(`${dir}/cmdline`, CMDLINE_BYTES);
  const uidMap = readText(`${dir}/uid_map`, UID_MAP_BYTES);
  // Read last: if the PID is still in the session's tree now, everything above was ours too.
  const cgroupText = readText(`${dir}/cgroup`, CGROUP_BYTES);
  const cgroup = cgroupText === null ? null : relativeCgroup(cgroupText, o.cgroup);
  if (cgroup === null) return null;
  // `State:\tS (sleeping)`; X ("dead") if the kernel ever printed none.
  const state = /^[A-Za-z]/.exec(status.get('State') ?? '')?.[0] ?? 'X';
  const capEff = status.get('CapEff') ?? '';
  return {
    hostPid,
    hostPpid: Number(status.get('PPid')) || 0,
    process: {
      pid: nspid[level]!,
      nspid: nspid.slice(level),
      ppid: 0, // mapped once every process is read
      comm: (status.get('Name') ?? '').slice(0, COMM_MAX),
      cmdline: cmdline === null ? '' : formatCmdline(cmdline),
      state,
      ns: readNamespaces(o.procRoot, hostPid),
      cgroup,
      seccomp: { mode: seccompMode(status.get('Seccomp')), filters: Number(status.get('Seccomp_filters')) || 0 },
      capEff: /^[0-9a-f]{1,16}$/.test(capEff) ? capEff : '0',
      uidMap: (uidMap ?? '')
        .split('\n')
        .map((l) => l.trim().split(/\s+/).join(' '))
        .filter((l) => l !== '')
        .slice(0, EXPLORER_LIMITS.mapLines)
        .map((l) => l.slice(0, 64)),
    },
  };
}

/**
 * Read the sandbox's processes. Bounded whatever the sandbox does: only the lowest
 * `limit + SLACK` host PIDs are read (a fork bomb of 5000 costs what 160 do), the rest are
 * counted as omitted.
 */
export function readProcesses(o: ProcessReadOptions): ProcessRead {
  const limit = o.limit ?? EXPLORER_LIMITS.processes;
  const level = sandboxLevel(o.procRoot, o.initPid);
  if (level === null) return { processes: [], omitted: 0, baseNs: {} };
  // cgroup.procs may list a PID twice and in any order (cgroups(7)).
  const candidates = [...new Set(o.hostPids)].sort((a, b) => a - b);
  const toRead = candidates.slice(0, limit + SLACK);
  const read: Raw[] = [];
  for (const pid of toRead) {
    const r = readOne(o, pid, level);
    if (r) read.push(r);
  }
  const shown = read.slice(0, limit);
  const sandboxPid = new Map(read.map((r) => [r.hostPid, r.process.pid]));
  const processes = shown.map((r) => ({ ...r.process, ppid: sandboxPid.get(r.hostPpid) ?? 0 }));
  return {
    processes,
    omitted: read.length - shown.length + (candidates.length - toRead.length),
    baseNs: readNamespaces(o.procRoot, o.initPid),
  };
}
