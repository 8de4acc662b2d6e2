/** A whole snapshot over a fake /proc and a fake v1 cgroupfs: valid, sorted, bounded. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExplorerSnapshot } from '../../../protocol/explorer';
import type { CgroupLayout } from '../isolation/cgroups';
import { v1CgroupFile, writeGroup, writeProcess } from './fake-kernel';
import { readSnapshot } from './snapshot';

const SESSION = '/container-lab/s1';
const BASE = { pid: 4026532801, net: 4026532804, mnt: 4026532802, user: 4026532800 };

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fake-kernel-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('readSnapshot', () => {
  it("combines the sandbox's cgroups, processes (found through its cgroups) and kept denials", () => {
    const proc = join(root, 'proc');
    const layout: CgroupLayout = { version: 'v1', memory: join(root, 'memory', SESSION), pids: join(root, 'pids', SESSION), procPath: SESSION };
    writeGroup(layout.memory, { 'memory.usage_in_bytes': '100\n', 'memory.limit_in_bytes': '268435456\n', 'cgroup.procs': '1000\n1011\n' });
    writeGroup(layout.pids, { 'pids.current': '3\n', 'pids.max': '256\n', 'pids.events': 'max 0\n', 'cgroup.procs': '1011\n990\n1000\n' });
    writeProcess(proc, { pid: 990, ppid: 1, nspid: [990], name: 'labsbx', cgroup: v1CgroupFile(SESSION) });
    writeProcess(proc, { pid: 1000, ppid: 990, nspid: [1000, 1], name: 'lab-init', cgroup: v1CgroupFile(SESSION), ns: BASE });
    writeProcess(proc, { pid: 1011, ppid: 1000, nspid: [1011, 2], name: 'bash', cgroup: v1CgroupFile(SESSION), ns: { ...BASE, net: 4026532999 } });
    // Another sandbox's process, not in this session's cgroups: never read.
    writeProcess(proc, { pid: 1012, ppid: 1, nspid: [1012, 1], name: 'secret', cgroup: v1CgroupFile('/container-lab/s2'), ns: BASE });
    const denial = { id: 7, at: 5, pid: 2, comm: 'mkdir', syscall: 'mkdir', nr: 83, action: 'errno' as const };

    const s = readSnapshot({ procRoot: proc, initPid: 1000, layout }, { denials: [denial], total: 3, available: true }, 1234);
    expect(ExplorerSnapshot.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({ at: 1234, cgroupVersion: 'v1', baseNs: BASE, omittedProcesses: 0, omittedCgroups: 0, deniedTotal: 3, denialsAvailable: true });
    expect(s.processes.map((p) => [p.pid, p.comm])).toEqual([
      [1, 'lab-init'],
      [2, 'bash'],
    ]);
    expect(s.cgroups.map((c) => [c.path, c.procs, c.memory?.limit, c.pids?.limit])).toEqual([['/', 2, 268435456, 256]]);
    expect(s.denials).toEqual([denial]);
    expect(JSON.stringify(s)).not.toContain('secret');
  });
});
