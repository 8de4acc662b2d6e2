/**
 * Root filesystem: the Debian tree built once by scripts/lib/rootfs.mjs (mmdebstrap), bound
 * read-only into every sandbox. Checked at start-up so a missing build is a clear error, not a
 * sandbox that fails to exec.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdirSync, readdirSync, realpathSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The file lab-init is bind-mounted over; customize.sh creates it in the rootfs. */
export const INIT_PATH = '/usr/local/sbin/lab-init';

export function checkRootfs(dir: string): string {
  if (!existsSync(dir)) {
    throw new Error(`sandbox root filesystem ${dir} does not exist; run \`npm start\` (or \`npm run build\`) to build it`);
  }
  const real = realpathSync(dir);
  for (const p of ['usr/bin/bash', 'usr/bin/unshare', 'etc/passwd', INIT_PATH.slice(1)]) {
    if (!existsSync(join(real, p))) throw new Error(`sandbox root filesystem ${real} is incomplete: ${p} is missing; rebuild it`);
  }
  if (!statSync(join(real, 'usr')).isDirectory()) throw new Error(`${real}/usr is not a directory`);
  return real;
}

/**
 * Per sandbox, labsbx mounts the rootfs read-only and idmapped to the sandbox's user namespace
 * at `<rootsDir>/<session>` (host side), so its files show as root's inside; bwrap binds from
 * there. These helpers own that directory's life: where, remove one, sweep leftovers.
 */
export function rootfsMountPath(rootsDir: string, sessionId: string): string {
  // bwrap runs as the sandbox's uid, not root: it must be able to traverse (not list) the path.
  mkdirSync(rootsDir, { recursive: true, mode: 0o711 });
  chmodSync(rootsDir, 0o711);
  return join(rootsDir, sessionId);
}

const run = promisify(execFile);

/**
 * Detach (umount(8) --lazy: nothing may still use it, but never block teardown) and remove.
 * Asynchronous: a synchronous umount stalled the agent's event loop, and with it every learner's
 * terminal, for ~7 ms per mount at each teardown (bench: a CPU profile of start/dispose cycles).
 */
export async function releaseRootfsMount(path: string): Promise<void> {
  if (!existsSync(path)) return;
  try {
    await run('umount', ['--lazy', path]);
  } catch {
    /* not mounted: a launch that failed before the mount */
  }
  rmdirSync(path);
}

/** Remove the mounts an earlier agent left; returns how many. */
export async function sweepRootfsMounts(rootsDir: string): Promise<number> {
  if (!existsSync(rootsDir)) return 0;
  const left = readdirSync(rootsDir);
  for (const name of left) await releaseRootfsMount(join(rootsDir, name));
  return left.length;
}

/** When the agent stops: its (now empty) directory of mount points goes too. */
export function removeRootsDir(rootsDir: string): void {
  try {
    rmdirSync(rootsDir);
  } catch {
    /* missing, or a sandbox mount is still being detached */
  }
}

/**
 * Binds of the read-only system part (bubblewrap's usual merged-/usr layout). lab-init is already
 * bound over INIT_PATH inside the idmapped mount by labsbx (host side, so it stays read-only).
 */
export function rootfsArgs(rootfs: string): string[] {
  return [
    '--ro-bind', join(rootfs, 'usr'), '/usr',
    '--symlink', 'usr/bin', '/bin',
    '--symlink', 'usr/sbin', '/sbin',
    '--symlink', 'usr/lib', '/lib',
    '--symlink', 'usr/lib64', '/lib64',
    '--ro-bind', join(rootfs, 'etc'), '/etc',
    '--ro-bind', join(rootfs, 'var'), '/var',
  ];
}
