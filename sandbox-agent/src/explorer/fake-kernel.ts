/**
 * For the explorer's unit tests: FAKE /proc and cgroupfs trees in a temp dir, shaped like the
 * kernel's (proc(5), cgroups(7)): plain files, and symlinks for /proc/PID/ns/* whose targets
 * (`pid:[4026532123]`) exist nowhere, exactly as on a real system.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamespaceSet } from '../../../protocol/explorer';

export interface FakeProcess {
  /** Host PID (the directory name under the fake /proc). */
  pid: number;
  ppid: number;
  /** NSpid, host first. */
  nspid: number[];
  name: string;
  state?: string;
  /** Arguments (joined with NULs, as the kernel keeps them), or raw bytes. */
  cmdline?: string[] | Buffer;
  /** Omitted: a zombie, whose namespace links are gone. */
  ns?: NamespaceSet;
  seccomp?: { mode: number; filters: number };
  capEff?: string;
  /** Real uid, host numbering. */
  uid?: number;
  uidMap?: string;
  /** The whole /proc/PID/cgroup file. */
  cgroup: string;
}

export function writeProcess(procRoot: string, p: FakeProcess): void {
  const dir = join(procRoot, String(p.pid));
  mkdirSync(join(dir, 'ns'), { recursive: true });
  const uid = p.uid ?? 1_000_000_000;
  writeFileSync(
    join(dir, 'status'),
    [
      `Name:\t${p.name}`,
      'Umask:\t0022',
      `State:\t${p.state ?? 'S'} (sleeping)`,
      `Tgid:\t${p.pid}`,
      `Pid:\t${p.pid}`,
      `PPid:\t${p.ppid}`,
      `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`,
      `NStgid:\t${p.nspid.join('\t')}`,
      `NSpid:\t${p.nspid.join('\t')}`,
      `CapInh:\t0000000000000000`,
      `CapEff:\t${p.capEff ?? '000001ffffffffff'}`,
      'NoNewPrivs:\t1',
      `Seccomp:\t${p.seccomp?.mode ?? 2}`,
      `Seccomp_filters:\t${p.seccomp?.filters ?? 1}`,
      '',
    ].join('\n'),
  );
  const cmdline = p.cmdline ?? [p.name];
  writeFileSync(join(dir, 'cmdline'), Buffer.isBuffer(cmdline) ? cmdline : cmdline.map((a) => `${a}\0`).join(''));
  writeFileSync(join(dir, 'uid_map'), p.uidMap ?? '         0 1000000000      65536\n');
  writeFileSync(join(dir, 'cgroup'), p.cgroup);
  for (const [type, inode] of Object.entries(p.ns ?? {})) symlinkSync(`${type}:[${inode}]`, join(dir, 'ns', type));
}

/** A cgroup directory with the given files (name → contents). */
export function writeGroup(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

/** /proc/PID/cgroup of a process in `path` on this project's hybrid (v1) hosts. */
export function v1CgroupFile(path: string): string {
  return [`9:name=systemd:/`, `8:pids:${path}`, `6:freezer:${path}`, `4:memory:${path}`, `3:cpuset:${path}`, `1:cpu:${path}`, `0::/`, ''].join('\n');
}
