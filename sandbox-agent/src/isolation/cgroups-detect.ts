/**
 * Which cgroup version the host offers. Detection reads /proc/self/mounts (proc_pid_mounts(5))
 * rather than guessing from paths, so a hybrid host (v1 controllers + an empty cgroup2 at
 * /sys/fs/cgroup/unified) is seen as v1.
 */
import { readFileSync } from 'node:fs';
import { CgroupSetupError, DELEGATED_CONTROLLERS, type CgroupDriver } from './cgroups';
import { CgroupV1 } from './cgroups-v1';
import { CgroupV2 } from './cgroups-v2';

export interface MountEntry {
  fstype: string;
  target: string;
  options: string[];
}

export function parseMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [, target = '', fstype = '', opts = ''] = line.split(' ');
      // Octal escapes (\040 for space) per proc_pid_mounts(5).
      const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
      return { fstype, target: unescape(target), options: opts.split(',') };
    });
}

/**
 * Pick a driver. v1 needs memory, pids, cpu and freezer hierarchies (freezer stops a fork bomb
 * during teardown); v2 needs the unified hierarchy to offer memory, pids and cpu.
 * `root` is a parameter so unit tests can run both drivers over a fake cgroupfs tree.
 */
export function detectCgroups(opts: { mounts?: string; root?: string; parent: string }): CgroupDriver {
  const mounts = parseMounts(opts.mounts ?? readFileSync('/proc/self/mounts', 'utf8'));
  const root = opts.root ?? '/sys/fs/cgroup';
  const v1 = new Map<string, string>();
  for (const m of mounts) {
    if (m.fstype !== 'cgroup') continue;
    for (const c of [...DELEGATED_CONTROLLERS, 'freezer']) if (m.options.includes(c)) v1.set(c, m.target);
  }
  const need = [...DELEGATED_CONTROLLERS, 'freezer'];
  if (need.every((c) => v1.has(c))) {
    const ours = new Set(v1.values());
    const others = mounts.filter((m) => m.fstype === 'cgroup' && !ours.has(m.target)).map(({ target, options }) => ({ target, options }));
    return new CgroupV1(v1, opts.parent, others);
  }
  const unified = mounts.find((m) => m.fstype === 'cgroup2' && m.target === root);
  if (unified) {
    let available: string[] = [];
    try {
      available = readFileSync(`${root}/cgroup.controllers`, 'utf8').trim().split(/\s+/);
    } catch {
      /* reported below */
    }
    const missing = DELEGATED_CONTROLLERS.filter((c) => !available.includes(c));
    if (missing.length === 0) return new CgroupV2(root, opts.parent);
    throw new CgroupSetupError(`cgroup v2 at ${root} lacks the ${missing.join(', ')} controller(s); they are needed to limit sandboxes`);
  }
  const missing = need.filter((c) => !v1.has(c));
  throw new CgroupSetupError(
    `cannot delegate cgroups: no cgroup v2 hierarchy at ${root}, and cgroup v1 lacks ${missing.join(', ')}. Sandboxes cannot be limited, so the agent will not start.`,
  );
}
