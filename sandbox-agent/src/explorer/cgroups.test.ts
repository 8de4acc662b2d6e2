/**
 * The explorer's cgroup reader over FAKE cgroupfs trees (fake-kernel.ts): v1 as on this
 * project's hybrid VMs (separate memory and pids hierarchies, merged by path), and v2 (one tree,
 * processes in the leaf `init`), which only these tests exercise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExplorerCgroup } from '../../../protocol/explorer';
import type { CgroupLayout } from '../isolation/cgroups';
import { readCgroups } from './cgroups';
import { writeGroup } from './fake-kernel';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fake-cgroupfs-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function v1Memory(usage: number, limit: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'memory.usage_in_bytes': `${usage}\n`,
    'memory.limit_in_bytes': `${limit}\n`,
    'memory.max_usage_in_bytes': `${usage * 2}\n`,
    'memory.failcnt': '0\n',
    'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n',
    ...extra,
  };
}

function v1Pids(current: number, max: string, procs: number[]): Record<string, string> {
  return { 'pids.current': `${current}\n`, 'pids.max': `${max}\n`, 'pids.events': 'max 0\n', 'cgroup.procs': procs.map((p) => `${p}\n`).join('') };
}

function v1Layout(): Extract<CgroupLayout, { version: 'v1' }> {
  return { version: 'v1', memory: join(root, 'memory/container-lab/s1'), pids: join(root, 'pids/container-lab/s1'), procPath: '/container-lab/s1' };
}

describe('readCgroups, v1', () => {
  it("merges the memory and pids trees by path, with the session's group as /", () => {
    const l = v1Layout();
    writeGroup(l.memory, { ...v1Memory(3_000_000, '268435456'), 'cgroup.procs': '1000\n1011\n1011\n' });
    writeGroup(join(l.memory, 'mycoolgroup'), {
      ...v1Memory(9_000_000, '9223372036854771712', { 'memory.limit_in_bytes': '9998336\n', 'memory.failcnt': '12\n', 'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n' }),
      'cgroup.procs': '1021\n',
    });
    writeGroup(join(l.memory, 'nolimit'), { ...v1Memory(0, '9223372036854771712'), 'cgroup.procs': '' });
    writeGroup(l.pids, v1Pids(4, '256', [1000, 1011, 1021]));
    writeGroup(join(l.pids, 'pidsonly'), { ...v1Pids(1, 'max', [1030]), 'pids.events': 'max 7\n' });

    const r = readCgroups(l);
    expect(r.cgroups).toEqual([
      { path: '/', procs: 3, memory: { usage: 3_000_000, limit: 268435456, peak: 6_000_000, failcnt: 0, oomKills: 0 }, pids: { current: 4, limit: 256, refused: 0 } },
      { path: '/mycoolgroup', procs: 1, memory: { usage: 9_000_000, limit: 9998336, peak: 18_000_000, failcnt: 12, oomKills: 1 }, pids: null },
      { path: '/nolimit', procs: 0, memory: { usage: 0, limit: null, peak: 0, failcnt: 0, oomKills: 0 }, pids: null },
      { path: '/pidsonly', procs: 1, memory: null, pids: { current: 1, limit: null, refused: 7 } },
    ]);
    expect(r.omitted).toBe(0);
    // Every process of the sandbox is in the pids hierarchy: that is where PIDs come from.
    expect(r.hostPids.sort()).toEqual([1000, 1011, 1021, 1030]);
    for (const c of r.cgroups) expect(ExplorerCgroup.safeParse(c).success).toBe(true);
  });

  it('is bounded in groups and makes learner-chosen names safe', () => {
    const l = v1Layout();
    writeGroup(l.memory, { ...v1Memory(1, '268435456'), 'cgroup.procs': '' });
    writeGroup(l.pids, v1Pids(0, '256', []));
    for (let i = 0; i < 40; i++) writeGroup(join(l.memory, `g${String(i).padStart(2, '0')}`), { ...v1Memory(1, '1000000'), 'cgroup.procs': '' });
    writeGroup(join(l.memory, 'a\nb'), { ...v1Memory(1, '1000000'), 'cgroup.procs': '' });
    const r = readCgroups(l, 32);
    expect(r.cgroups).toHaveLength(32);
    expect(r.cgroups[0]!.path).toBe('/');
    expect(r.omitted).toBe(42 - 32);
    const all = readCgroups(l, 64);
    expect(all.cgroups.map((c) => c.path)).toContain('/a?b');
    for (const c of all.cgroups) expect(ExplorerCgroup.safeParse(c).success).toBe(true);
  });

  it('returns nothing for a session whose directories are gone', () => {
    expect(readCgroups(v1Layout())).toEqual({ cgroups: [], omitted: 0, hostPids: [] });
  });
});

describe('readCgroups, v2', () => {
  it('reads one tree: the session, its init leaf and a learner group, "max" as no limit', () => {
    const dir = join(root, 'container-lab/s1');
    const layout: CgroupLayout = { version: 'v2', dir, procPath: '/container-lab/s1' };
    const v2 = (current: number, max: string, events: string): Record<string, string> => ({
      'memory.current': `${current}\n`,
      'memory.max': `${max}\n`,
      'memory.events': events,
      'pids.current': '2\n',
      'pids.max': 'max\n',
      'pids.events': 'max 0\n',
    });
    writeGroup(dir, { ...v2(5_000_000, '268435456', 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n'), 'memory.peak': '6000000\n', 'cgroup.procs': '' });
    writeGroup(join(dir, 'init'), { ...v2(4_000_000, 'max', 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n'), 'cgroup.procs': '1000\n1011\n' });
    writeGroup(join(dir, 'mycoolgroup'), { ...v2(9_000_000, '10000000', 'low 0\nhigh 0\nmax 31\noom 1\noom_kill 1\n'), 'cgroup.procs': '1021\n' });
    // A group whose parent did not enable the memory controller for it has no memory files.
    writeGroup(join(dir, 'mycoolgroup/inner'), { 'cgroup.procs': '', 'pids.current': '0\n', 'pids.max': '5\n', 'pids.events': 'max 2\n' });

    const r = readCgroups(layout);
    expect(r.cgroups).toEqual([
      { path: '/', procs: 0, memory: { usage: 5_000_000, limit: 268435456, peak: 6_000_000, failcnt: 0, oomKills: 0 }, pids: { current: 2, limit: null, refused: 0 } },
      { path: '/init', procs: 2, memory: { usage: 4_000_000, limit: null, peak: null, failcnt: 0, oomKills: 0 }, pids: { current: 2, limit: null, refused: 0 } },
      { path: '/mycoolgroup', procs: 1, memory: { usage: 9_000_000, limit: 10_000_000, peak: null, failcnt: 31, oomKills: 1 }, pids: { current: 2, limit: null, refused: 0 } },
      { path: '/mycoolgroup/inner', procs: 0, memory: null, pids: { current: 0, limit: 5, refused: 2 } },
    ]);
    expect(r.hostPids.sort()).toEqual([1000, 1011, 1021]);
  });
});
