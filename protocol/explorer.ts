/**
 * The explorer: what the agent reads from /proc and cgroupfs about ONE sandbox, as the page and
 * the lesson checks see it. The agent sends a full snapshot when a viewer attaches (or after it
 * fell behind), then deltas: keyed upserts and removals, so a quiet sandbox costs a few bytes a
 * second. Every list is bounded (EXPLORER_LIMITS): a fork bomb in the sandbox becomes "N more
 * processes", never a flood of the browser.
 *
 * PIDs are the ones the sandbox itself sees (its outermost PID namespace, where the learner's
 * first shell lives), never host PIDs: the explorer shows the learner's world, not the host's.
 */
import { z } from 'zod';

export const EXPLORER_LIMITS = {
  /** Processes in one snapshot; the rest are counted in `omittedProcesses`. */
  processes: 150,
  /** Cgroups (the sandbox's own group plus the learner's sub-groups). */
  cgroups: 32,
  /** The newest seccomp denials kept; older ones are counted in `deniedTotal` only. */
  denials: 50,
  /** Characters of a command line (NUL separators become spaces). */
  cmdline: 256,
  /** Lines of uid_map shown per process (the kernel allows 340). */
  mapLines: 5,
  /** Snapshots per second per sandbox, whatever asks for them. */
  perSecond: 4,
} as const;

/** The namespace types of /proc/PID/ns (namespaces(7)), in the order the explorer shows them. */
export const NAMESPACE_TYPES = ['pid', 'net', 'mnt', 'uts', 'ipc', 'user', 'cgroup', 'time'] as const;
export const NamespaceType = z.enum(NAMESPACE_TYPES);
export type NamespaceType = z.infer<typeof NamespaceType>;

/** pid_max is at most 2^22 (proc(5)). */
const Pid = z.number().int().positive().max(4_194_304);
const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Inode = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A namespace inode per type, as `readlink /proc/PID/ns/TYPE` prints it: `pid:[4026532123]`. */
export const NamespaceSet = z.partialRecord(NamespaceType, Inode);
export type NamespaceSet = z.infer<typeof NamespaceSet>;

/** A cgroup path relative to the sandbox's own cgroup: "/" is the sandbox's group itself. */
export const CgroupPath = z.string().regex(/^\/[^\n\t]{0,511}$/, 'cgroup path must start with / and hold no tab or newline');

export const ExplorerProcess = z.strictObject({
  /** PID in the sandbox's outermost PID namespace: the key of a process in snapshots and deltas. */
  pid: Pid,
  /**
   * `NSpid` of /proc/PID/status from the sandbox's outermost namespace inward: the first is
   * `pid`, the last the PID the process sees for itself (PID 3 inside, 14 outside).
   */
  nspid: z.array(Pid).min(1).max(32),
  /** Parent's PID in the same numbering; 0 for the sandbox's init. */
  ppid: z.number().int().nonnegative().max(4_194_304),
  /** `Name:` of /proc/PID/status (at most 15 bytes in the kernel; learner-controlled). */
  comm: z.string().max(64),
  cmdline: z.string().max(EXPLORER_LIMITS.cmdline),
  /** State letter of /proc/PID/status (R, S, D, Z, T…). */
  state: z.string().regex(/^[A-Za-z]$/),
  ns: NamespaceSet,
  /** From /proc/PID/cgroup: the memory hierarchy's path on v1, the unified path on v2. */
  cgroup: CgroupPath,
  /** `Seccomp:` (0 none, 1 strict, 2 filter) and `Seccomp_filters:` of /proc/PID/status. */
  seccomp: z.strictObject({ mode: z.union([z.literal(0), z.literal(1), z.literal(2)]), filters: Count }),
  /** `CapEff:` of /proc/PID/status, as the kernel prints it (hex, up to 64 bits). */
  capEff: z.string().regex(/^[0-9a-f]{1,16}$/),
  /** Lines of /proc/PID/uid_map, whitespace collapsed: "0 1700000000 65536". */
  uidMap: z.array(z.string().max(64)).max(EXPLORER_LIMITS.mapLines),
});
export type ExplorerProcess = z.infer<typeof ExplorerProcess>;

const Bytes = Count;
export const ExplorerCgroup = z.strictObject({
  path: CgroupPath,
  /** Processes directly in this group (cgroup.procs). */
  procs: Count,
  memory: z
    .strictObject({
      usage: Bytes,
      /** null: no limit of its own (`max`, or v1's "unlimited" 2^63 rounded to pages). */
      limit: Bytes.nullable(),
      /** Peak usage where the kernel keeps it (v1 max_usage_in_bytes, v2 memory.peak). */
      peak: Bytes.nullable(),
      /** Times usage hit the limit (v1 failcnt, v2 memory.events `max`). */
      failcnt: Count,
      /** Processes the OOM killer killed in this group (`oom_kill`). */
      oomKills: Count,
    })
    .nullable(),
  pids: z
    .strictObject({
      current: Count,
      limit: Count.nullable(),
      /** Forks refused at this group's limit (pids.events `max`). */
      refused: Count,
    })
    .nullable(),
});
export type ExplorerCgroup = z.infer<typeof ExplorerCgroup>;

export const SECCOMP_ACTIONS = ['kill_process', 'kill_thread', 'trap', 'errno', 'user_notif', 'trace', 'log', 'unknown'] as const;

export const ExplorerDenial = z.strictObject({
  /** Increasing per agent: the key of a denial. */
  id: Count,
  /** When the kernel logged it, ms since the epoch. */
  at: Count,
  /** PID in the sandbox's numbering; null when the process had already gone when it was read. */
  pid: Pid.nullable(),
  comm: z.string().max(64),
  /** The system call's name on the machine's architecture, or its number when unknown. */
  syscall: z.string().max(64),
  nr: z.number().int().min(-1).max(100_000),
  /** What the filter answered (seccomp(2) SECCOMP_RET_*), from the audit record's `code`. */
  action: z.enum(SECCOMP_ACTIONS),
});
export type ExplorerDenial = z.infer<typeof ExplorerDenial>;

export const ExplorerSnapshot = z.strictObject({
  /** When it was read, ms since the epoch. */
  at: Count,
  cgroupVersion: z.enum(['v1', 'v2']),
  /** The namespaces of the sandbox's init: everything else is one the learner made. */
  baseNs: NamespaceSet,
  processes: z.array(ExplorerProcess).max(EXPLORER_LIMITS.processes),
  omittedProcesses: Count,
  cgroups: z.array(ExplorerCgroup).max(EXPLORER_LIMITS.cgroups),
  omittedCgroups: Count,
  /** Newest last. */
  denials: z.array(ExplorerDenial).max(EXPLORER_LIMITS.denials),
  deniedTotal: Count,
  /**
   * False when the agent cannot read the kernel's log (/dev/kmsg), where denials come from:
   * the panel then says denials are unavailable rather than "none".
   */
  denialsAvailable: z.boolean(),
});
export type ExplorerSnapshot = z.infer<typeof ExplorerSnapshot>;

/** Agent → viewer: the whole picture (on attach, or to resynchronise a viewer that fell behind). */
export const ExplorerFull = z.strictObject({
  type: z.literal('explorer'),
  seq: Count,
  snapshot: ExplorerSnapshot,
});
export type ExplorerFull = z.infer<typeof ExplorerFull>;

/** Agent → viewer: what changed since `seq - 1`. Apply with applyExplorerDelta (explorer-delta.ts). */
export const ExplorerDelta = z.strictObject({
  type: z.literal('explorer-delta'),
  seq: Count,
  at: Count,
  processes: z.strictObject({ set: z.array(ExplorerProcess).max(EXPLORER_LIMITS.processes), removed: z.array(Pid).max(4096) }),
  cgroups: z.strictObject({ set: z.array(ExplorerCgroup).max(EXPLORER_LIMITS.cgroups), removed: z.array(CgroupPath).max(4096) }),
  /** Denials new since the last message (the viewer keeps the newest EXPLORER_LIMITS.denials). */
  denials: z.array(ExplorerDenial).max(EXPLORER_LIMITS.denials),
  deniedTotal: Count,
  omittedProcesses: Count,
  omittedCgroups: Count,
});
export type ExplorerDelta = z.infer<typeof ExplorerDelta>;
