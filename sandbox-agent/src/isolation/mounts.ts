/**
 * Mounts besides the root filesystem: fresh /proc (never masked: an overmount on /proc makes the
 * kernel refuse a learner's nested `mount -t proc`), a minimal /dev, size-capped tmpfs for every
 * writable directory, and the host's sysfs read-only at /run/.hostsys for lab-init to unmount
 * once it has mounted a fresh one (see lab-init.c). tmpfs pages are charged to the sandbox's
 * memory cgroup, so each cap is well under the memory limit (profile check
 * "writable-area-below-memory").
 */
export const WRITABLE_DIRS = ['/tmp', '/root', '/home', '/run', '/var/tmp', '/mnt'] as const;

export function mountArgs(writableBytes: number): string[] {
  const args = ['--proc', '/proc', '--dev', '/dev'];
  for (const d of WRITABLE_DIRS) args.push('--size', String(writableBytes), '--perms', d === '/tmp' || d === '/var/tmp' ? '1777' : '0755', '--tmpfs', d);
  args.push('--dir', '/sys', '--ro-bind', '/sys', '/run/.hostsys');
  // The bubblewrap-made root is a tmpfs of mount points: nothing to write there.
  args.push('--remount-ro', '/');
  return args;
}
