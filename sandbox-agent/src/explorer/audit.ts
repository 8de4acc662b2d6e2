/**
 * Seccomp audit records (type 1326, AUDIT_SECCOMP) as the kernel prints them to its log, read
 * by the agent from /dev/kmsg (kmsg.ts). One /dev/kmsg record (Documentation/ABI/testing/
 * dev-kmsg) looks like:
 *
 *   6,1234,18877865016,-;audit: type=1326 audit(1795965902.167:49): auid=4294967295 uid=0 gid=0
 *   ses=4294967295 pid=8624 comm="logtest" exe="/tmp/logtest" sig=0 arch=c000003e syscall=83
 *   compat=0 ip=0x7fcc code=0x50000
 *
 * (one line). kernel/auditsc.c audit_seccomp() writes it: `uid` and `pid` are in the host's
 * (initial) namespaces, `code` is the filter's answer masked to its action, `arch` the
 * AUDIT_ARCH_* of the call's ABI. comm is learner-controlled: audit prints it in quotes, or as
 * hex with no quotes when it holds a quote, space or control character (audit_log_untrustedstring).
 */
import type { ExplorerDenial, SECCOMP_ACTIONS } from '../../../protocol/explorer';
import type { SyscallNames } from './syscalls';

export type SeccompAction = (typeof SECCOMP_ACTIONS)[number];

export interface SeccompAudit {
  /** The record's sequence number in the kernel's log: increasing, never reused until reboot. */
  seq: number;
  /** `audit(SECONDS.MILLIS:SERIAL)`: when it happened, ms since the epoch. */
  at: number;
  /** Host uid and PID of the caller. */
  uid: number;
  pid: number;
  comm: string;
  arch: number;
  /** The system call's number in `arch`'s table. */
  nr: number;
  action: SeccompAction;
}

/** SECCOMP_RET_* of <linux/seccomp.h>, by the action bits (SECCOMP_RET_ACTION_FULL). */
const ACTIONS: ReadonlyMap<number, SeccompAction> = new Map([
  [0x80000000, 'kill_process'],
  [0x00000000, 'kill_thread'],
  [0x00030000, 'trap'],
  [0x00050000, 'errno'],
  [0x7fc00000, 'user_notif'],
  [0x7ff00000, 'trace'],
  [0x7ffc0000, 'log'],
]);

/**
 * The action a `code=` value names. The full mask 0xffff0000 (SECCOMP_RET_ACTION_FULL), not
 * 0x7fff0000 (SECCOMP_RET_ACTION): KILL_PROCESS is 0x80000000 and would read as KILL_THREAD.
 */
export function seccompAction(code: number): SeccompAction {
  return ACTIONS.get((code & 0xffff0000) >>> 0) ?? 'unknown';
}

/** audit's comm: "name" in quotes, or hex bytes when the name holds anything unusual. */
export function decodeComm(value: string): string {
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) return value.slice(1, -1);
  if (/^(?:[0-9A-Fa-f]{2})+$/.test(value)) return Buffer.from(value, 'hex').toString('utf8');
  return value; // "(null)" and the like
}

const HEADER = /^\d+,(\d+),\d+,[^;]*;/;
const SECCOMP = /^audit: type=1326 audit\((\d+)\.(\d{3}):\d+\): (.*)$/;

/** One /dev/kmsg record → a seccomp audit record, or null for every other kernel message. */
export function parseSeccompAudit(record: string): SeccompAudit | null {
  const header = HEADER.exec(record);
  if (!header) return null;
  // Continuation lines (" SUBSYSTEM=…") follow the message; audit records have none.
  const message = record.slice(header[0].length).split('\n')[0]!;
  const m = SECCOMP.exec(message);
  if (!m) return null;
  const fields = new Map<string, string>();
  for (const f of m[3]!.matchAll(/(\w+)=("[^"]*"|\S+)/g)) fields.set(f[1]!, f[2]!);
  const int = (key: string, radix = 10): number | null => {
    const v = fields.get(key);
    const n = v === undefined ? NaN : parseInt(v.replace(/^0x/, ''), radix);
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
  };
  const uid = int('uid');
  const pid = int('pid');
  const arch = int('arch', 16);
  const nr = int('syscall');
  const code = int('code', 16);
  if (uid === null || pid === null || arch === null || nr === null || code === null) return null;
  return {
    seq: Number(header[1]),
    at: Number(m[1]) * 1000 + Number(m[2]),
    uid,
    pid,
    comm: decodeComm(fields.get('comm') ?? ''),
    arch,
    nr,
    action: seccompAction(code),
  };
}

/** Numbers beyond any table (x32 calls carry bit 30, 0x40000000) are shown as text, nr −1. */
const MAX_NR = 100_000;

/** The explorer's form of a record: `pid` already in the sandbox's numbering (or null). */
export function toDenial(r: SeccompAudit, names: SyscallNames, pid: number | null): ExplorerDenial {
  return {
    id: r.seq,
    at: r.at,
    pid,
    comm: r.comm.slice(0, 64),
    syscall: names.name(r.arch, r.nr).slice(0, 64),
    nr: r.nr <= MAX_NR ? r.nr : -1,
    action: r.action,
  };
}
