/**
 * Root filesystem: the Debian tree built once by scripts/lib/rootfs.mjs (mmdebstrap), bound
 * read-only into every sandbox. Checked at start-up so a missing build is a clear error, not a
 * sandbox that fails to exec.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
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

/** Binds of the read-only system part (bubblewrap's usual merged-/usr layout). */
export function rootfsArgs(rootfs: string, initBinary: string): string[] {
  return [
    '--ro-bind', join(rootfs, 'usr'), '/usr',
    '--symlink', 'usr/bin', '/bin',
    '--symlink', 'usr/sbin', '/sbin',
    '--symlink', 'usr/lib', '/lib',
    '--symlink', 'usr/lib64', '/lib64',
    '--ro-bind', join(rootfs, 'etc'), '/etc',
    '--ro-bind', join(rootfs, 'var'), '/var',
    '--ro-bind', initBinary, INIT_PATH,
  ];
}
