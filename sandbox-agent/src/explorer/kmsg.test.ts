/**
 * The kernel-log watcher over a plain file standing in for /dev/kmsg (a file read returns 0 at
 * its end where /dev/kmsg fails with EAGAIN; the watcher treats both as "nothing new").
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeccompAudit } from './audit';
import { KmsgWatcher } from './kmsg';

const record = (seq: number, uid: number) =>
  `5,${seq},100,-;audit: type=1326 audit(1795965902.167:${seq}): auid=4294967295 uid=${uid} gid=0 ses=4294967295 pid=77 comm="mkdir" exe="/usr/bin/mkdir" sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0x50000\n`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fake-kmsg-'));
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('KmsgWatcher', () => {
  it('skips what was logged before it started, then hands on new seccomp records only', () => {
    const path = join(dir, 'kmsg');
    writeFileSync(path, record(1, 1_000_000_000) + '6,2,100,-;old news\n');
    const warn = vi.fn();
    const w = KmsgWatcher.open(warn, path);
    expect(w.available).toBe(true);
    const got: SeccompAudit[] = [];
    w.start((r) => got.push(r));
    appendFileSync(path, '6,3,100,-;eth0: link up\n SUBSYSTEM=net\n' + record(4, 1_000_000_001));
    vi.advanceTimersByTime(1000);
    expect(got.map((r) => [r.seq, r.uid])).toEqual([[4, 1_000_000_001]]);
    w.stop();
    appendFileSync(path, record(5, 1_000_000_001));
    vi.advanceTimersByTime(1000);
    expect(got).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('carries on without denials, saying so once, when the log cannot be opened', () => {
    const warn = vi.fn();
    const w = KmsgWatcher.open(warn, join(dir, 'missing'));
    expect(w.available).toBe(false);
    w.start(() => undefined);
    vi.advanceTimersByTime(2000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/will not list seccomp denials/);
    w.stop();
  });
});
