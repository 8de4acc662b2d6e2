/** Seccomp audit records as /dev/kmsg hands them out (one record per read), parsed. */
import { describe, expect, it } from 'vitest';
import { ExplorerDenial } from '../../../protocol/explorer';
import { decodeComm, parseSeccompAudit, seccompAction, toDenial } from './audit';
import { SyscallNames } from './syscalls';

/** Seen on this project's VM for `deny-syscall mkdir -- mkdir /tmp/x`. */
const MKDIR =
  '5,1234,18877865016,-;audit: type=1326 audit(1795965902.167:49): auid=4294967295 uid=1000000000 gid=1000000000 ses=4294967295 pid=8624 comm="mkdir" exe="/usr/bin/mkdir" sig=0 arch=c000003e syscall=83 compat=0 ip=0x7fcceca73f37 code=0x50000\n';

const names = new SyscallNames(0xc000003e, new Map([[83, 'mkdir'], [258, 'mkdirat']]));

describe('parseSeccompAudit', () => {
  it('reads who, what, when and the answer from a kmsg record', () => {
    expect(parseSeccompAudit(MKDIR)).toEqual({
      seq: 1234,
      at: 1_795_965_902_167,
      uid: 1_000_000_000,
      pid: 8624,
      comm: 'mkdir',
      arch: 0xc000003e,
      nr: 83,
      action: 'errno',
    });
  });

  it('decodes a hex-encoded comm (a name with a space or a quote) and ignores continuation lines', () => {
    const r = parseSeccompAudit(MKDIR.replace('comm="mkdir"', 'comm=6D79206D6B646972').replace(/\n$/, '\n SUBSYSTEM=x\n'));
    expect(r?.comm).toBe('my mkdir');
  });

  it('is null for every other kernel message', () => {
    expect(parseSeccompAudit('6,1,2,-;eth0: link up\n')).toBeNull();
    expect(parseSeccompAudit('5,7,8,-;audit: type=1400 audit(1795965902.167:50): apparmor="DENIED"\n')).toBeNull();
    expect(parseSeccompAudit('garbage')).toBeNull();
    expect(parseSeccompAudit(MKDIR.replace('pid=8624 ', ''))).toBeNull();
  });
});

describe('seccompAction', () => {
  it('uses the full action mask, so KILL_PROCESS is not read as KILL_THREAD', () => {
    expect(seccompAction(0x80000000)).toBe('kill_process');
    expect(seccompAction(0)).toBe('kill_thread');
    expect(seccompAction(0x00030000)).toBe('trap');
    expect(seccompAction(0x00050001)).toBe('errno');
    expect(seccompAction(0x7fc00000)).toBe('user_notif');
    expect(seccompAction(0x7ff00000)).toBe('trace');
    expect(seccompAction(0x7ffc0000)).toBe('log');
    expect(seccompAction(0x12340000)).toBe('unknown');
  });
});

describe('decodeComm', () => {
  it('takes quoted names as they are, hex as bytes, and anything else verbatim', () => {
    expect(decodeComm('"bash"')).toBe('bash');
    expect(decodeComm('22612022')).toBe('"a "');
    expect(decodeComm('(null)')).toBe('(null)');
  });
});

describe('toDenial', () => {
  it('names the call for the native ABI, a number otherwise, and fits the protocol', () => {
    const r = parseSeccompAudit(MKDIR)!;
    const d = toDenial(r, names, 42);
    expect(d).toEqual({ id: 1234, at: 1_795_965_902_167, pid: 42, comm: 'mkdir', syscall: 'mkdir', nr: 83, action: 'errno' });
    expect(ExplorerDenial.safeParse(d).success).toBe(true);
    expect(toDenial({ ...r, arch: 0x40000003 }, names, null).syscall).toBe('83'); // i386 numbering
    const x32 = toDenial({ ...r, nr: 0x40000000 + 83 }, names, null);
    expect(x32).toMatchObject({ syscall: String(0x40000053), nr: -1 });
    expect(ExplorerDenial.safeParse(x32).success).toBe(true);
  });
});
