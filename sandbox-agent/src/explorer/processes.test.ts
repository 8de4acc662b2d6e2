/**
 * The process reader over a FAKE /proc (fake-kernel.ts): a sandbox whose init is host PID 1000
 * (PID 1 inside), a shell, `unshare --pid --fork sleep` (sleep is PID 1 of a nested namespace),
 * and the agent's own processes in the session's cgroup (launcher, exec relay) that live outside
 * the sandbox's PID namespace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPLORER_LIMITS, ExplorerProcess } from '../../../protocol/explorer';
import { v1CgroupFile, writeProcess, type FakeProcess } from './fake-kernel';
import { readProcesses, relativeCgroup, sandboxPidOf } from './processes';

const SESSION = '/container-lab/s1';
const BASE = { pid: 4026532801, net: 4026532804, mnt: 4026532802, uts: 4026532803, ipc: 4026532805, user: 4026532800, cgroup: 4026532806, time: 4026531834 };
const MAP_BASE = 1_000_000_000;
const cgroup = { version: 'v1' as const, procPath: SESSION };

let proc: string;
beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
});
afterEach(() => {
  rmSync(proc, { recursive: true, force: true });
});

function sandbox(extra: FakeProcess[] = []): number[] {
  const all: FakeProcess[] = [
    { pid: 990, ppid: 1, nspid: [990], name: 'labsbx', cgroup: v1CgroupFile(SESSION), ns: {} },
    { pid: 999, ppid: 990, nspid: [999], name: 'bwrap', cgroup: v1CgroupFile(SESSION), ns: BASE },
    { pid: 1000, ppid: 999, nspid: [1000, 1], name: 'lab-init', cmdline: ['/usr/local/sbin/lab-init', 'v1', 'memory,pids,cpu'], cgroup: v1CgroupFile(SESSION), ns: BASE },
    { pid: 1010, ppid: 1, nspid: [1010], name: 'labsbx', cgroup: v1CgroupFile(SESSION), ns: {} },
    { pid: 1011, ppid: 1010, nspid: [1011, 3], name: 'bash', cmdline: ['/bin/bash', '-l'], cgroup: v1CgroupFile(SESSION), ns: BASE },
    { pid: 1020, ppid: 1011, nspid: [1020, 7], name: 'unshare', cmdline: ['unshare', '--pid', '--fork', '--mount-proc', 'sleep', '600'], cgroup: v1CgroupFile(SESSION), ns: { ...BASE, mnt: 4026532900 } },
    {
      pid: 1021,
      ppid: 1020,
      nspid: [1021, 8, 1],
      name: 'sleep',
      cmdline: ['sleep', '600'],
      cgroup: v1CgroupFile(`${SESSION}/mycoolgroup`),
      ns: { ...BASE, pid: 4026532901, mnt: 4026532900 },
    },
    ...extra,
  ];
  for (const p of all) writeProcess(proc, p);
  return all.map((p) => p.pid);
}

describe('readProcesses', () => {
  it("shows the sandbox's processes in its own numbering and leaves the agent's out", () => {
    const hostPids = sandbox();
    const r = readProcesses({ procRoot: proc, initPid: 1000, hostPids, cgroup });
    expect(r.processes.map((p) => [p.pid, p.nspid, p.ppid, p.comm])).toEqual([
      [1, [1], 0, 'lab-init'],
      [3, [3], 0, 'bash'], // its parent is labsbx's exec relay, outside the sandbox
      [7, [7], 3, 'unshare'],
      [8, [8, 1], 7, 'sleep'],
    ]);
    expect(r.omitted).toBe(0);
    expect(r.baseNs).toEqual(BASE);
    const sleep = r.processes[3]!;
    expect(sleep.ns.pid).not.toBe(r.baseNs.pid);
    expect(sleep.cgroup).toBe('/mycoolgroup');
    expect(sleep.cmdline).toBe('sleep 600');
    expect(r.processes[0]!.cmdline).toBe('/usr/local/sbin/lab-init v1 memory,pids,cpu');
    expect(r.processes[0]!.uidMap).toEqual(['0 1000000000 65536']);
    expect(r.processes[0]!.seccomp).toEqual({ mode: 2, filters: 1 });
    expect(r.processes[0]!.capEff).toBe('000001ffffffffff');
    for (const p of r.processes) expect(ExplorerProcess.safeParse(p).success).toBe(true);
  });

  it('skips a process that vanished, keeps a zombie without namespaces, and an empty sandbox when init is gone', () => {
    const hostPids = sandbox([{ pid: 1030, ppid: 1011, nspid: [1030, 9], name: 'true', state: 'Z', cmdline: [], cgroup: v1CgroupFile(SESSION) }]);
    const r = readProcesses({ procRoot: proc, initPid: 1000, hostPids: [...hostPids, 1025], cgroup });
    expect(r.processes.map((p) => p.pid)).toEqual([1, 3, 7, 8, 9]);
    const zombie = r.processes.find((p) => p.pid === 9)!;
    expect(zombie).toMatchObject({ state: 'Z', ns: {}, cmdline: '' });
    expect(readProcesses({ procRoot: proc, initPid: 4242, hostPids, cgroup })).toEqual({ processes: [], omitted: 0, baseNs: {} });
  });

  it("never shows a process outside the session's cgroup (a PID reused by another sandbox)", () => {
    const hostPids = sandbox([{ pid: 1040, ppid: 1, nspid: [1040, 1], name: 'bash', cgroup: v1CgroupFile('/container-lab/s2') }]);
    const r = readProcesses({ procRoot: proc, initPid: 1000, hostPids, cgroup });
    expect(r.processes.map((p) => p.pid)).toEqual([1, 3, 7, 8]);
  });

  it('reads a bounded number of candidates, lowest PIDs first: a fork bomb costs the same as a few', () => {
    const bomb: FakeProcess[] = Array.from({ length: 30 }, (_, i) => ({ pid: 2000 + i, ppid: 1011, nspid: [2000 + i, 100 + i], name: 'bomb', cgroup: v1CgroupFile(SESSION) }));
    const hostPids = sandbox(bomb);
    // 5000 more PIDs listed in cgroup.procs that have no /proc entry: were any read, it would be
    // skipped as vanished and not counted; being counted as omitted shows they were never read.
    const listed = [...hostPids, ...Array.from({ length: 5000 }, (_, i) => 10_000 + i)];
    const r = readProcesses({ procRoot: proc, initPid: 1000, hostPids: listed, cgroup, limit: 5 });
    expect(r.processes.map((p) => p.pid)).toEqual([1, 3, 7, 8, 100]);
    // 15 read (limit + 10): 3 outside the sandbox, 12 inside, 5 shown; 5022 never read.
    expect(r.omitted).toBe(12 - 5 + (listed.length - 15));
  });

  it('keeps learner-controlled strings as bounded data', () => {
    const long = 'x'.repeat(10_000);
    const hostPids = sandbox([
      { pid: 1050, ppid: 1011, nspid: [1050, 12], name: 'a\\nb', cmdline: ['evil\ttab', 'new\nline', long], cgroup: v1CgroupFile(`${SESSION}/we\tird`) },
    ]);
    const r = readProcesses({ procRoot: proc, initPid: 1000, hostPids, cgroup });
    const p = r.processes.find((x) => x.pid === 12)!;
    expect(p.cmdline.startsWith('evil tab new line xxx')).toBe(true);
    expect(p.cmdline).toHaveLength(EXPLORER_LIMITS.cmdline);
    expect(p.cgroup).toBe('/we?ird');
    expect(ExplorerProcess.safeParse(p).success).toBe(true);
  });
});

describe('relativeCgroup', () => {
  it('takes the memory line on v1 and the unified line on v2, relative to the session', () => {
    expect(relativeCgroup(v1CgroupFile(SESSION), cgroup)).toBe('/');
    expect(relativeCgroup('12:cpu,cpuacct:/x\n4:memory:/container-lab/s1/a/b\n', cgroup)).toBe('/a/b');
    expect(relativeCgroup('0::/container-lab/s1/init\n', { version: 'v2', procPath: SESSION })).toBe('/init');
    expect(relativeCgroup('0::/container-lab/s10\n', { version: 'v2', procPath: SESSION })).toBeNull();
    expect(relativeCgroup('4:memory:/\n', cgroup)).toBeNull();
  });
});

describe('sandboxPidOf', () => {
  it('maps a live process of this sandbox to its sandbox PID, and nothing else', () => {
    sandbox([{ pid: 1060, ppid: 1, nspid: [1060, 1], name: 'other', uid: 2_000_000_000, cgroup: v1CgroupFile('/container-lab/s2') }]);
    const ours = (uid: number) => uid >= MAP_BASE && uid < MAP_BASE + 65536;
    expect(sandboxPidOf(proc, 1000, 1021, ours)).toBe(8);
    expect(sandboxPidOf(proc, 1000, 1060, ours)).toBeNull(); // another sandbox's uid
    expect(sandboxPidOf(proc, 1000, 1010, ours)).toBeNull(); // outside the PID namespace
    expect(sandboxPidOf(proc, 1000, 1099, ours)).toBeNull(); // gone
  });
});
