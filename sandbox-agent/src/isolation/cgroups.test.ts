/**
 * Both cgroup drivers over a FAKE cgroupfs: plain directories and files in a temp dir, shaped
 * like what the kernel provides. Checks detection, the values written, what is delegated to the
 * sandbox's uid and what stays root-owned. The real kernel is exercised by the integration tests.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CgroupSetupError } from './cgroups';
import { detectCgroups, parseMounts } from './cgroups-detect';
import { cgroupLimits, type CgroupLimits } from './limits';
import { DEFAULT_PROFILE } from '../../../protocol/profile';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('[unit] cgroups create() tests skipped: chown to another uid needs root');

const PARENT = 'container-lab';
const OWNER = 3_000_007;
const limits: CgroupLimits = cgroupLimits({ ...DEFAULT_PROFILE, memoryBytes: 300 * 1024 * 1024, pids: 123, cpus: 0.5 });

const V1_CONTROLLERS = ['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'blkio', 'pids'];

/** /proc/self/mounts of a hybrid host (this project's VMs), rooted at `root`. */
function hybridMounts(root: string, controllers = V1_CONTROLLERS): string {
  return [
    `sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0`,
    `tmpfs ${root} tmpfs rw,relatime,mode=755 0 0`,
    ...controllers.map((c) => `cgroup ${root}/${c} cgroup rw,relatime,${c} 0 0`),
    `cgroup ${root}/systemd cgroup rw,relatime,name=systemd 0 0`,
    `cgroup2 ${root}/unified cgroup2 rw,relatime 0 0`,
    '',
  ].join('\n');
}

function v2Mounts(root: string): string {
  return [`proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0`, `cgroup2 ${root} cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0`, ''].join('\n');
}

function touch(dir: string, files: string[], content = ''): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f), content);
}

const read = (p: string) => readFileSync(p, 'utf8');
const owner = (p: string) => {
  const s = statSync(p);
  return { uid: s.uid, gid: s.gid };
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fake-cgroupfs-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('parseMounts', () => {
  it('reads fstype, target and options, and unescapes octal escapes', () => {
    const m = parseMounts('cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0\ncgroup2 /mnt/with\\040space cgroup2 rw 0 0\n');
    expect(m).toEqual([
      { fstype: 'cgroup', target: '/sys/fs/cgroup/cpu,cpuacct', options: ['rw', 'nosuid', 'cpu', 'cpuacct'] },
      { fstype: 'cgroup2', target: '/mnt/with space', options: ['rw'] },
    ]);
  });
});

describe('detectCgroups', () => {
  it('picks v1 on a hybrid host (v1 controllers plus an empty cgroup2 at unified)', () => {
    const d = detectCgroups({ mounts: hybridMounts(root), root, parent: PARENT });
    expect(d.version).toBe('v1');
    const desc = d.describe();
    for (const c of ['memory', 'pids', 'cpu', 'freezer']) expect(desc).toContain(join(root, c, PARENT));
  });

  it('picks v1 when cpu and cpuacct share one hierarchy (the usual systemd layout)', () => {
    const mounts = [
      `cgroup ${root}/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0`,
      `cgroup ${root}/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0`,
      `cgroup ${root}/pids cgroup rw,nosuid,nodev,noexec,relatime,pids 0 0`,
      `cgroup ${root}/freezer cgroup rw,nosuid,nodev,noexec,relatime,freezer 0 0`,
      `cgroup ${root}/cpuset cgroup rw,nosuid,nodev,noexec,relatime,cpuset 0 0`,
    ].join('\n');
    const d = detectCgroups({ mounts, root, parent: PARENT });
    expect(d.version).toBe('v1');
    expect(d.describe()).toContain(join(root, 'cpu,cpuacct', PARENT));
  });

  it('picks v2 on a pure-v2 host whose root offers memory, pids and cpu', () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
    const d = detectCgroups({ mounts: v2Mounts(root), root, parent: PARENT });
    expect(d.version).toBe('v2');
    expect(d.describe()).toContain(join(root, PARENT));
  });

  it('refuses v2 when a needed controller is missing, naming it', () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset io memory pids\n');
    const call = () => detectCgroups({ mounts: v2Mounts(root), root, parent: PARENT });
    expect(call).toThrow(CgroupSetupError);
    expect(call).toThrow(/cgroup v2 at .* lacks the cpu controller/);
  });

  it('refuses v2 when cgroup.controllers cannot be read, naming every controller', () => {
    expect(() => detectCgroups({ mounts: v2Mounts(root), root, parent: PARENT })).toThrow(/lacks the memory, pids, cpu controller/);
  });

  it('refuses a v1 host without freezer (and no v2 at the root), saying what is missing', () => {
    const call = () => detectCgroups({ mounts: hybridMounts(root, V1_CONTROLLERS.filter((c) => c !== 'freezer')), root, parent: PARENT });
    expect(call).toThrow(CgroupSetupError);
    expect(call).toThrow(/cgroup v1 lacks freezer/);
    expect(call).toThrow(/no cgroup v2 hierarchy at/);
  });

  it('refuses a host with no cgroups at all', () => {
    expect(() => detectCgroups({ mounts: 'proc /proc proc rw 0 0\n', root, parent: PARENT })).toThrow(/lacks memory, pids, cpu, freezer/);
  });
});

describe.skipIf(!isRoot)('cgroup v1 driver over a fake tree', () => {
  const SESSION = 'sess-v1-abc';
  const dir = (c: string, ...rest: string[]) => join(root, c, PARENT, SESSION, ...rest);

  /** What the kernel creates in a new v1 cgroup directory. */
  function fakeKernel(opts: { memsw: boolean }): void {
    for (const c of V1_CONTROLLERS) mkdirSync(join(root, c), { recursive: true });
    touch(dir('memory'), ['cgroup.procs', 'tasks', 'memory.limit_in_bytes', ...(opts.memsw ? ['memory.memsw.limit_in_bytes'] : [])]);
    touch(dir('pids'), ['cgroup.procs', 'tasks', 'pids.max']);
    touch(dir('cpu'), ['cgroup.procs', 'tasks', 'cpu.cfs_quota_us', 'cpu.cfs_period_us']);
    touch(dir('freezer'), ['cgroup.procs', 'tasks', 'freezer.state']);
  }

  it('writes the limits, delegates the right files and returns the procs files', () => {
    fakeKernel({ memsw: true });
    const driver = detectCgroups({ mounts: hybridMounts(root), root, parent: PARENT });
    const cg = driver.create(SESSION, limits, OWNER);

    expect(read(dir('memory', 'memory.limit_in_bytes'))).toBe(String(300 * 1024 * 1024));
    expect(read(dir('memory', 'memory.memsw.limit_in_bytes'))).toBe(String(300 * 1024 * 1024));
    expect(read(dir('pids', 'pids.max'))).toBe('123');
    expect(read(dir('cpu', 'cpu.cfs_period_us'))).toBe('100000');
    expect(read(dir('cpu', 'cpu.cfs_quota_us'))).toBe('50000');

    // Delegated: the directory, cgroup.procs and tasks of memory, pids, cpu.
    for (const c of ['memory', 'pids', 'cpu']) {
      for (const p of [dir(c), dir(c, 'cgroup.procs'), dir(c, 'tasks')]) expect(owner(p), p).toEqual({ uid: OWNER, gid: OWNER });
    }
    // Not delegated: every limit, and the agent-only freezer.
    for (const p of [
      dir('memory', 'memory.limit_in_bytes'),
      dir('memory', 'memory.memsw.limit_in_bytes'),
      dir('pids', 'pids.max'),
      dir('cpu', 'cpu.cfs_quota_us'),
      dir('cpu', 'cpu.cfs_period_us'),
      dir('freezer'),
      dir('freezer', 'cgroup.procs'),
      dir('freezer', 'freezer.state'),
      join(root, 'memory', PARENT),
    ]) {
      expect(owner(p).uid, p).toBe(0);
    }

    // The other hierarchies are joined too (so the cgroup namespace is rooted at the session in
    // every one of them), root-owned, never delegated; cpuset inherits cpus and mems.
    const others = ['cpuacct', 'cpuset', 'devices', 'blkio', 'systemd'];
    const procs = [...['memory', 'pids', 'cpu', 'freezer'], ...others].map((c) => dir(c, 'cgroup.procs'));
    expect(cg.launcherProcs).toEqual(procs);
    expect(cg.execProcs).toEqual(procs);
    for (const c of others) expect(owner(dir(c)).uid, c).toBe(0);
    expect(cg.initArgs).toEqual(['v1', 'memory,pids,cpu']);
  });

  it("reads the session's own limit counters: oom_kill of memory.oom_control, max of pids.events", () => {
    fakeKernel({ memsw: false });
    const cg = detectCgroups({ mounts: hybridMounts(root), root, parent: PARENT }).create(SESSION, limits, OWNER);
    expect(cg.limitEvents()).toEqual({ oomKills: 0, pidsRefused: 0, cgroups: 0 });
    writeFileSync(dir('memory', 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n');
    writeFileSync(dir('pids', 'pids.events'), 'max 7\n');
    // Learner-made cgroups in the delegated hierarchies, counted only a little past the bound.
    mkdirSync(dir('memory', 'a', 'b'), { recursive: true });
    mkdirSync(dir('pids', 'c'), { recursive: true });
    expect(cg.limitEvents()).toEqual({ oomKills: 3, pidsRefused: 7, cgroups: 2 });
    for (let i = 0; i < 200; i++) mkdirSync(dir('cpu', `x${i}`));
    expect(cg.limitEvents().cgroups).toBe(limits.maxDescendants + 1);
  });

  it('creates the session directories itself and skips memsw when the kernel has no swap accounting', () => {
    for (const c of V1_CONTROLLERS) mkdirSync(join(root, c), { recursive: true });
    // The kernel would populate a new directory at mkdir; here the directories do not exist yet.
    // create() must make them; chown then needs the procs files, so give them in a second step.
    const driver = detectCgroups({ mounts: hybridMounts(root), root, parent: PARENT });
    expect(() => driver.create(SESSION, limits, OWNER)).toThrow(/ENOENT/);
    for (const c of ['memory', 'pids', 'cpu', 'freezer']) expect(existsSync(dir(c))).toBe(true);
    for (const c of ['memory', 'pids', 'cpu']) touch(dir(c), ['cgroup.procs', 'tasks']);
    driver.create(SESSION, limits, OWNER);
    expect(existsSync(dir('memory', 'memory.memsw.limit_in_bytes'))).toBe(false);
    expect(read(dir('memory', 'memory.limit_in_bytes'))).toBe(String(300 * 1024 * 1024));
  });

  it('destroy removes the session directories bottom-up, learner sub-groups included', async () => {
    fakeKernel({ memsw: false });
    const driver = detectCgroups({ mounts: hybridMounts(root), root, parent: PARENT });
    const cg = driver.create(SESSION, limits, OWNER);
    // On cgroupfs the knob files vanish with the directory; on the fake tree remove them first.
    for (const c of [...V1_CONTROLLERS, 'systemd']) {
      rmSync(dir(c), { recursive: true, force: true });
      mkdirSync(dir(c));
    }
    mkdirSync(dir('memory', 'mycoolgroup', 'nested'), { recursive: true });
    await cg.destroy();
    for (const c of ['memory', 'pids', 'cpu', 'freezer']) {
      expect(existsSync(dir(c))).toBe(false);
      expect(existsSync(join(root, c, PARENT))).toBe(true);
    }
  });

  it('sweep lists and removes the sessions an earlier agent left, in every controller', async () => {
    for (const c of V1_CONTROLLERS) mkdirSync(join(root, c), { recursive: true });
    mkdirSync(join(root, 'memory', PARENT, 'old-a', 'sub'), { recursive: true });
    mkdirSync(join(root, 'pids', PARENT, 'old-a'), { recursive: true });
    mkdirSync(join(root, 'freezer', PARENT, 'old-b'), { recursive: true });
    const driver = detectCgroups({ mounts: hybridMounts(root), root, parent: PARENT });
    expect((await driver.sweep()).sort()).toEqual(['old-a', 'old-b']);
    for (const c of ['memory', 'pids', 'cpu', 'freezer']) {
      expect(existsSync(join(root, c, PARENT, 'old-a'))).toBe(false);
      expect(existsSync(join(root, c, PARENT, 'old-b'))).toBe(false);
      expect(existsSync(join(root, c, PARENT))).toBe(true);
    }
    expect(await driver.sweep()).toEqual([]);
    driver.removeParent();
    for (const c of ['memory', 'pids', 'cpu', 'freezer']) expect(existsSync(join(root, c, PARENT))).toBe(false);
  });
});

describe.skipIf(!isRoot)('cgroup v2 driver over a fake tree', () => {
  const SESSION = 'sess-v2-xyz';
  const parentDir = () => join(root, PARENT);
  const dir = (...rest: string[]) => join(root, PARENT, SESSION, ...rest);

  function fakeKernel(opts: { swap: boolean }): void {
    touch(root, ['cgroup.procs', 'cgroup.subtree_control']);
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    touch(parentDir(), ['cgroup.procs', 'cgroup.subtree_control', 'cgroup.controllers']);
    touch(dir(), [
      'memory.max',
      ...(opts.swap ? ['memory.swap.max'] : []),
      'pids.max',
      'cpu.max',
      'cgroup.max.descendants',
      'cgroup.max.depth',
      'cgroup.procs',
      'cgroup.threads',
      'cgroup.subtree_control',
      'cgroup.controllers',
    ]);
  }

  function driver() {
    return detectCgroups({ mounts: v2Mounts(root), root, parent: PARENT });
  }

  it('enables the controllers down the tree, writes the limits and delegates per cgroup-v2.rst', () => {
    fakeKernel({ swap: true });
    const cg = driver().create(SESSION, limits, OWNER);

    expect(read(join(root, 'cgroup.subtree_control'))).toBe('+memory +pids +cpu');
    expect(read(join(parentDir(), 'cgroup.subtree_control'))).toBe('+memory +pids +cpu');
    expect(read(dir('memory.max'))).toBe(String(300 * 1024 * 1024));
    expect(read(dir('memory.swap.max'))).toBe('0');
    expect(read(dir('pids.max'))).toBe('123');
    expect(read(dir('cpu.max'))).toBe('50000 100000');
    expect(read(dir('cgroup.max.descendants'))).toBe('64');
    expect(read(dir('cgroup.max.depth'))).toBe('4');
    // The session's own subtree_control is the learner's to write, not ours.
    expect(read(dir('cgroup.subtree_control'))).toBe('');

    for (const p of [dir(), dir('cgroup.procs'), dir('cgroup.threads'), dir('cgroup.subtree_control')]) {
      expect(owner(p), p).toEqual({ uid: OWNER, gid: OWNER });
    }
    for (const p of [dir('memory.max'), dir('memory.swap.max'), dir('pids.max'), dir('cpu.max'), dir('cgroup.max.descendants'), dir('cgroup.max.depth'), parentDir(), join(parentDir(), 'cgroup.procs')]) {
      expect(owner(p).uid, p).toBe(0);
    }

    expect(cg.launcherProcs).toEqual([dir('cgroup.procs')]);
    expect(cg.execProcs).toEqual([dir('init', 'cgroup.procs')]);
    expect(cg.initArgs).toEqual(['v2']);
  });

  it('reads OOM kills from memory.events.local (not the sub-groups) and refusals from pids.events', () => {
    fakeKernel({ swap: false });
    const cg = driver().create(SESSION, limits, OWNER);
    expect(cg.limitEvents()).toEqual({ oomKills: 0, pidsRefused: 0, cgroups: 0 });
    writeFileSync(dir('memory.events'), 'low 0\nhigh 0\nmax 9\noom 9\noom_kill 9\n');
    writeFileSync(dir('memory.events.local'), 'low 0\nhigh 0\nmax 2\noom 2\noom_kill 2\noom_group_kill 0\n');
    writeFileSync(dir('pids.events'), 'max 4\n');
    expect(cg.limitEvents()).toEqual({ oomKills: 2, pidsRefused: 4, cgroups: 0 });
  });

  it('skips memory.swap.max when the kernel has no swap controller file', () => {
    fakeKernel({ swap: false });
    driver().create(SESSION, limits, OWNER);
    expect(existsSync(dir('memory.swap.max'))).toBe(false);
    expect(read(dir('memory.max'))).toBe(String(300 * 1024 * 1024));
  });

  it('creates the parent and session directories when they do not exist yet', () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids\n');
    const d = driver();
    // Without the kernel's files chown cannot find cgroup.procs: the directories are made first.
    expect(() => d.create(SESSION, limits, OWNER)).toThrow(/ENOENT/);
    expect(existsSync(dir())).toBe(true);
    touch(dir(), ['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control']);
    d.create(SESSION, limits, OWNER);
    expect(owner(dir()).uid).toBe(OWNER);
  });

  it('destroy removes the session and the learner sub-groups (init leaf included)', async () => {
    fakeKernel({ swap: false });
    const cg = driver().create(SESSION, limits, OWNER);
    rmSync(dir(), { recursive: true });
    mkdirSync(dir('init'), { recursive: true });
    mkdirSync(dir('mygroup', 'deeper'), { recursive: true });
    await cg.destroy();
    expect(existsSync(dir())).toBe(false);
    expect(existsSync(parentDir())).toBe(true);
    // A second destroy (or one after the agent already removed it) is a no-op.
    await cg.destroy();
  });

  it('sweep lists and removes sessions left by an earlier agent', async () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids\n');
    mkdirSync(join(parentDir(), 'left-1', 'init'), { recursive: true });
    mkdirSync(join(parentDir(), 'left-2'), { recursive: true });
    const d = driver();
    expect((await d.sweep()).sort()).toEqual(['left-1', 'left-2']);
    expect(existsSync(join(parentDir(), 'left-1'))).toBe(false);
    expect(existsSync(join(parentDir(), 'left-2'))).toBe(false);
    expect(await d.sweep()).toEqual([]);
  });
});
