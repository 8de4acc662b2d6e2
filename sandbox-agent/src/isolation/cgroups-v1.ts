/**
 * cgroup v1 driver (hybrid hosts such as this project's Debian VMs).
 * Layout: `<controller>/<parent>/<session>` for memory, pids, cpu (delegated) and freezer
 * (agent-only, used to stop a fork bomb while tearing down).
 * Every other mounted v1 hierarchy (cpuset, blkio, devices, name=systemd…) gets a root-owned
 * session directory too, and the sandbox joins it: the cgroup namespace is rooted at the cgroups
 * a process is in when it is created, so without this a learner mounting, say, blkio would see
 * the host's whole tree and its release_agent (the CVE-2022-0492 setting).
 * Limits are written by root into the session directory and stay root-owned; only the
 * directory, `cgroup.procs` and `tasks` are chowned to the sandbox's mapped root, so the learner
 * can create sub-groups and move processes but cannot raise a limit (research/sandbox.md §2.3).
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupDriver, SessionCgroup } from './cgroups';
import { DELEGATED_CONTROLLERS, readCounter } from './cgroups';
import { chown, countDescendants, killAll, listChildren, mkdir, pidsIn, readOr, removeTree, rmdirQuiet, write, writeIfExists } from './cgroupfs';
import type { CgroupLimits } from './limits';

export class CgroupV1 implements CgroupDriver {
  readonly version = 'v1' as const;

  /**
   * `mounts` maps controller name → its hierarchy's mount point; `others` are the mount points
   * of every other v1 hierarchy (joined, never delegated), with their mount options.
   */
  constructor(
    private readonly mounts: Map<string, string>,
    private readonly parent: string,
    private readonly others: Array<{ target: string; options: string[] }> = [],
  ) {}

  /** Session (or parent, with '') directories in the other hierarchies. */
  private otherDirs(session = ''): string[] {
    return this.others.map((o) => join(o.target, this.parent, session));
  }

  /** cpuset refuses tasks until cpus and mems are set: inherit them from the level above. */
  private prepareOther(dir: string, options: string[]): void {
    mkdir(dir);
    if (!options.includes('cpuset')) return;
    for (const f of ['cpuset.cpus', 'cpuset.mems']) {
      const current = readOr(join(dir, f)).trim();
      if (current === '') write(join(dir, f), readOr(join(dir, '..', f)).trim());
    }
  }

  /** Every session directory this driver creates, in every hierarchy. */
  private allDirs(session: string): string[] {
    return [...[...DELEGATED_CONTROLLERS, 'freezer'].map((c) => this.dir(c, session)), ...this.otherDirs(session)];
  }

  private dir(controller: string, session = ''): string {
    const mount = this.mounts.get(controller);
    if (!mount) throw new Error(`cgroup v1 controller ${controller} is not mounted`);
    return join(mount, this.parent, session);
  }

  describe(): string {
    return `cgroup v1 (${[...DELEGATED_CONTROLLERS, 'freezer'].map((c) => this.dir(c)).join(', ')})`;
  }

  create(sessionId: string, limits: CgroupLimits, ownerUid: number): SessionCgroup {
    const all = [...DELEGATED_CONTROLLERS, 'freezer'];
    all.map((c) => this.dir(c, sessionId)).forEach(mkdir);
    this.others.forEach((o) => {
      this.prepareOther(join(o.target, this.parent), o.options);
      this.prepareOther(join(o.target, this.parent, sessionId), o.options);
    });
    const dirs = this.allDirs(sessionId);
    const mem = this.dir('memory', sessionId);
    write(join(mem, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    // No swap either: memsw is limit + swap, so equal values mean zero swap.
    writeIfExists(join(mem, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
    write(join(this.dir('pids', sessionId), 'pids.max'), String(limits.pids));
    const cpu = this.dir('cpu', sessionId);
    write(join(cpu, 'cpu.cfs_period_us'), String(limits.cpuPeriodUs));
    write(join(cpu, 'cpu.cfs_quota_us'), String(limits.cpuQuotaUs));
    for (const c of DELEGATED_CONTROLLERS) {
      const d = this.dir(c, sessionId);
      chown([d, join(d, 'cgroup.procs'), join(d, 'tasks')], ownerUid);
    }
    const procs = dirs.map((d) => join(d, 'cgroup.procs'));
    return {
      launcherProcs: procs,
      execProcs: procs,
      initArgs: ['v1', DELEGATED_CONTROLLERS.join(',')],
      layout: { version: 'v1', memory: mem, pids: this.dir('pids', sessionId), procPath: `/${this.parent}/${sessionId}` },
      // v1 counts both at the cgroup whose limit was hit, so the session's files exclude the
      // learner's own sub-groups (checked on this VM: a sub-group OOM leaves these at 0).
      limitEvents: () => ({
        oomKills: readCounter(readOr(join(mem, 'memory.oom_control')), 'oom_kill'),
        pidsRefused: readCounter(readOr(join(this.dir('pids', sessionId), 'pids.events')), 'max'),
        // v1 has no cgroup.max.descendants: the agent counts and ends a sandbox that floods.
        cgroups: Math.max(...DELEGATED_CONTROLLERS.map((c) => countDescendants(this.dir(c, sessionId), limits.maxDescendants))),
      }),
      destroy: () => this.destroy(sessionId),
    };
  }

  /** Freeze so nothing forks while we kill, SIGKILL everything, thaw so the kills land, rmdir. */
  private async destroy(sessionId: string): Promise<void> {
    const freezer = this.dir('freezer', sessionId);
    writeIfExists(join(freezer, 'freezer.state'), 'FROZEN');
    killAll(freezer);
    writeIfExists(join(freezer, 'freezer.state'), 'THAWED');
    for (let i = 0; i < 200 && pidsIn(freezer).length > 0; i++) {
      killAll(freezer);
      await sleep(10);
    }
    for (const d of this.allDirs(sessionId)) await removeTree(d);
  }

  discard(sessionId: string): Promise<void> {
    return this.destroy(sessionId);
  }

  async sweep(): Promise<string[]> {
    const names = new Set<string>();
    for (const c of [...DELEGATED_CONTROLLERS, 'freezer']) for (const n of listChildren(this.dir(c))) names.add(n);
    for (const d of this.otherDirs()) for (const n of listChildren(d)) names.add(n);
    for (const c of [...DELEGATED_CONTROLLERS, 'freezer']) mkdir(this.dir(c));
    for (const n of names) await this.destroy(n);
    return [...names];
  }

  removeParent(): void {
    for (const c of [...DELEGATED_CONTROLLERS, 'freezer']) rmdirQuiet(this.dir(c));
    for (const d of this.otherDirs()) rmdirQuiet(d);
  }
}
