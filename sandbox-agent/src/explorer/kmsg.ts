/**
 * Seccomp denials, from the kernel's own audit records in its log. One watcher per agent (host
 * side, root); the agent hands each record to the session whose sandbox owns the record's host
 * uid (sessions.ts), which is exact and race-free because no two sandboxes share a host uid
 * (isolation/userns.ts).
 *
 * Why audit records:
 * - They cost the learner nothing: no extra privilege, no tracer, and they work for the filters
 *   the learner writes. A filter loaded with SECCOMP_FILTER_FLAG_LOG (seccomp(2); libseccomp's
 *   SCMP_FLTATR_CTL_LOG, set by the course's deny-syscall) has every non-allow action logged;
 *   kills are logged even without it. /proc/sys/kernel/seccomp/actions_logged says which
 *   actions the host logs at all.
 * - Not SECCOMP_RET_USER_NOTIF: that makes a supervisor answer each call, but only whoever loads
 *   the filter gets the listener fd. The learner loads theirs; the agent cannot be its supervisor.
 *
 * Limits, honestly: with no audit daemon listening, the kernel prints these records through
 * printk_ratelimit() (kernel/audit.c, kauditd_printk_skb): bursts of 10 per 5 s for the whole
 * machine, the rest dropped. A flood of denials is therefore sampled, not counted in full; we
 * count what reaches the log. If an audit daemon (auditd) is registered, records go to it and
 * not to the log, and this watcher sees none.
 *
 * Reading /dev/kmsg (Documentation/ABI/testing/dev-kmsg): each read returns one record; opened
 * O_NONBLOCK, a read with nothing new fails with EAGAIN, and EPIPE means records we had not read
 * yet were overwritten in the ring buffer (we carry on with the next). /dev/kmsg has no poll that
 * Node can use without a thread, so an unref'd timer reads it every POLL_MS.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { parseSeccompAudit, type SeccompAudit } from './audit';

const POLL_MS = 500;
/** Larger than any record (CONSOLE_EXT_LOG_MAX is 8192): a smaller buffer makes read fail with EINVAL. */
const RECORD_BYTES = 16 * 1024;
/** Bounds one poll's work however chatty the kernel is; the rest waits for the next poll. */
const MAX_RECORDS_PER_POLL = 1000;

export class KmsgWatcher {
  private timer: NodeJS.Timeout | undefined;
  private readonly buf = Buffer.alloc(RECORD_BYTES);

  private constructor(
    private fd: number | null,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Open the log and skip what is already in it: older records may name uids that an earlier
   * sandbox (of an earlier agent) had. Never throws: without the log, denials are unavailable.
   */
  static open(warn: (message: string) => void, path = '/dev/kmsg'): KmsgWatcher {
    let fd: number | null = null;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      warn(`cannot read the kernel log ${path} (${(e as Error).message}): the explorer will not list seccomp denials`);
    }
    const w = new KmsgWatcher(fd, warn);
    let read = MAX_RECORDS_PER_POLL;
    while (read === MAX_RECORDS_PER_POLL) read = w.readRecords(() => undefined);
    return w;
  }

  /** False when the kernel's log could not be opened (or stopped being readable). */
  get available(): boolean {
    return this.fd !== null;
  }

  /** Hand every new seccomp record to `onRecord`, every POLL_MS, until stop(). */
  start(onRecord: (r: SeccompAudit) => void): void {
    if (this.fd === null || this.timer) return;
    this.timer = setInterval(() => {
      this.readRecords((text) => {
        for (const record of text.split(/\n(?! )/)) {
          const r = parseSeccompAudit(record);
          if (r) onRecord(r);
        }
      });
    }, POLL_MS);
    this.timer.unref();
  }

  /**
   * Read until nothing is left (EAGAIN; 0 for a plain file in tests) or the per-poll bound;
   * returns the number of reads that returned data.
   */
  private readRecords(handle: (text: string) => void): number {
    let n = 0;
    while (this.fd !== null && n < MAX_RECORDS_PER_POLL) {
      let got: number;
      try {
        got = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') continue; // overwritten before we read them: the next read goes on
        this.warn(`reading the kernel log failed (${(e as Error).message}): the explorer stops listing seccomp denials`);
        this.stop();
        break;
      }
      if (got === 0) break;
      n++;
      handle(this.buf.toString('utf8', 0, got));
    }
    return n;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
