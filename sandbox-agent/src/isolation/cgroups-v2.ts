/**
 * cgroup v2 driver (pure-v2 hosts). Layout: `<root>/<parent>/<session>`; the session's processes
 * live in the leaf `<session>/init`, created by lab-init from inside, because a cgroup that
 * hands controllers to children may hold no processes itself (cgroup-v2.rst, "No Internal
 * Process Constraint"). Delegation follows cgroup-v2.rst "Delegation Containment": the
 * directory and cgroup.procs / cgroup.threads / cgroup.subtree_control are chowned to the
 * sandbox's mapped root; the limits on the session directory stay root-owned.
 * Not exercised on the project's hybrid VMs: unit tests run it over a fake cgroupfs tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupDriver, SessionCgroup } from './cgroups';
import { DELEGATED_CONTROLLERS, readCounter } from './cgroups';
import { chown, countDescendants, killAll, listChildren, mkdir, pidsIn, readOr, removeTree, rmdirQuiet, write, writeIfExists } from './cgroupfs';
import type { CgroupLimits } from './limits';

const ENABLE = DELEGATED_CONTROLLERS.map((c) => `+${c}`).join(' ');

export class CgroupV2 implements CgroupDriver {
  readonly version = 'v2' as const;

  constructor(
    private readonly root: string,
    private readonly parent: string,
  ) {}

  private dir(session = ''): string {
    return join(this.root, this.parent, session);
  }

  describe(): string {
    return `cgroup v2 (${this.dir()})`;
  }

  /** Make the controllers available to session directories: root → parent → session. */
  private prepareParent(): void {
    mkdir(this.dir());
    write(join(this.root, 'cgroup.subtree_control'), ENABLE);
    write(join(this.dir(), 'cgroup.subtree_control'), ENABLE);
  }

  create(sessionId: string, limits: CgroupLimits, ownerUid: number): SessionCgroup {
    this.prepareParent();
    const d = this.dir(sessionId);
    mkdir(d);
    write(join(d, 'memory.max'), String(limits.memoryBytes));
    writeIfExists(join(d, 'memory.swap.max'), '0');
    write(join(d, 'pids.max'), String(limits.pids));
    write(join(d, 'cpu.max'), `${limits.cpuQuotaUs} ${limits.cpuPeriodUs}`);
    write(join(d, 'cgroup.max.descendants'), String(limits.maxDescendants));
    write(join(d, 'cgroup.max.depth'), String(limits.maxDepth));
    chown(
      [d, ...['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control'].map((f) => join(d, f))],
      ownerUid,
    );
    return {
      launcherProcs: [join(d, 'cgroup.procs')],
      execProcs: [join(d, 'init', 'cgroup.procs')],
      initArgs: ['v2'],
      layout: { version: 'v2', dir: d, procPath: `/${this.parent}/${sessionId}` },
      // memory.events.local counts OOM kills of this cgroup alone (memory.events would include
      // the learner's sub-groups). pids.events "max" counts forks refused by this limit.
      limitEvents: () => ({
        oomKills: readCounter(readOr(join(d, 'memory.events.local')), 'oom_kill'),
        pidsRefused: readCounter(readOr(join(d, 'pids.events')), 'max'),
        // The kernel bounds these (cgroup.max.descendants); counted for the same notice as v1.
        cgroups: countDescendants(d, limits.maxDescendants),
      }),
      destroy: () => this.destroy(sessionId),
    };
  }

  private async destroy(sessionId: string): Promise<void> {
    const d = this.dir(sessionId);
    if (!existsSync(d)) return;
    // cgroup.kill (5.14+) kills the whole subtree atomically, forks included.
    if (!writeIfExists(join(d, 'cgroup.kill'), '1')) killAll(d);
    for (let i = 0; i < 200 && populated(d); i++) {
      killAll(d);
      await sleep(10);
    }
    await removeTree(d);
  }

  discard(sessionId: string): Promise<void> {
    return this.destroy(sessionId);
  }

  async sweep(): Promise<string[]> {
    const names = listChildren(this.dir());
    for (const n of names) await this.destroy(n);
    return names;
  }

  removeParent(): void {
    rmdirQuiet(this.dir());
  }
}

function populated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return pidsIn(dir).length > 0;
  }
}
