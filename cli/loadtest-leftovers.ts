/**
 * "Nothing left behind": the web tier has no endpoint that counts sandboxes, so the count comes
 * from the agent's cgroups. Every sandbox has a directory `<pids mount>/<LAB_CGROUP_PARENT>/<session>`
 * (sandbox-agent/src/isolation/cgroups-v1.ts; `/sys/fs/cgroup/<parent>/<session>` on cgroup v2)
 * from before its first process starts until its teardown has killed every process, so counting
 * those directories counts live sandboxes. That needs this machine (a loopback URL) and root to be
 * sure of (the directories are root's); otherwise the run says it could not check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type SandboxCount = { ok: true; count: number; where: string } | { ok: false; reason: string };

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** The directory whose subdirectories are the agent's sandboxes, v1 (pids) or v2. */
export function sandboxCgroupDir(parent: string, cgroupRoot = '/sys/fs/cgroup'): string {
  const v2 = existsSync(join(cgroupRoot, 'cgroup.controllers'));
  return v2 ? join(cgroupRoot, parent) : join(cgroupRoot, 'pids', parent);
}

/** Why the sandboxes of the server at `url` cannot be counted from here, or null when they can. */
export function cannotCount(url: string): string | null {
  const host = new URL(url).hostname;
  if (!LOOPBACK.test(host) && host !== '::1') return `the server (${host}) is not on this machine's loopback, so its agent's cgroups are not visible here`;
  if (process.getuid?.() !== 0) return 'not run as root: the agent\'s cgroup directories cannot be trusted to be visible';
  return null;
}

/** Live sandboxes of the agent with this cgroup parent; a missing directory counts as none. */
export function countSandboxes(parent: string, cgroupRoot = '/sys/fs/cgroup'): { count: number; where: string; exists: boolean } {
  const where = sandboxCgroupDir(parent, cgroupRoot);
  try {
    const count = readdirSync(where, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    return { count, where, exists: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { count: 0, where, exists: false };
    throw e;
  }
}

/** Poll until at most `target` sandboxes remain or `timeoutMs` passes; the last count. */
export async function waitForCount(parent: string, target: number, timeoutMs: number, cgroupRoot = '/sys/fs/cgroup'): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { count } = countSandboxes(parent, cgroupRoot);
    if (count <= target || Date.now() >= deadline) return count;
    await sleep(250);
  }
}

/**
 * The LAB_CGROUP_PARENT a running server was started with, read from its environment
 * (/proc/PID/environ, root only); undefined when it is not set there or cannot be read.
 */
export function cgroupParentOf(pid: number): string | undefined {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const entry = env.find((e) => e.startsWith('LAB_CGROUP_PARENT='));
    return entry?.slice('LAB_CGROUP_PARENT='.length) || undefined;
  } catch {
    return undefined;
  }
}
