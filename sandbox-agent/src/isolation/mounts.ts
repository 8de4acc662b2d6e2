/**
 * Mounts besides the root filesystem: fresh /proc (never masked: an overmount on /proc makes the
 * kernel refuse a learner's nested `mount -t proc`), a minimal /dev, a small /run, ONE
 * size-capped tmpfs for the writable area, made on the host side by labsbx (lab-init binds its
 * directories onto /tmp, /root, /home, /var/tmp, /mnt and /dev/shm), and the host's sysfs read-only at /run/.hostsys for lab-init to
 * unmount once it has mounted a fresh one (see lab-init.c). tmpfs pages are charged to the
 * sandbox's memory cgroup, so the caps together stay well under the memory limit (profile check
 * "writable-area-below-memory").
 */
/** Where lab-init finds the writable tmpfs (lab-init.c WRITABLE_ROOT). */
export const WRITABLE_ROOT = '/run/.lab-rw';
/**
 * Mount points bwrap must create in its root for lab-init's binds of the writable directories
 * (/var/tmp and /dev/shm exist already, in the rootfs's /var and bwrap's /dev).
 */
export const WRITABLE_DIRS = ['/tmp', '/root', '/home', '/mnt'] as const;
/** /run holds sockets, pid files and `ip netns` handles: small. */
export const RUN_BYTES = 4 * 1024 * 1024;

/** `writableMount` is the host-side tmpfs labsbx made (`--writable`): its size cannot be lifted. */
export function mountArgs(writableMount: string): string[] {
  const args = ['--proc', '/proc', '--dev', '/dev'];
  args.push('--size', String(RUN_BYTES), '--perms', '0755', '--tmpfs', '/run');
  args.push('--bind', writableMount, WRITABLE_ROOT);
  for (const d of WRITABLE_DIRS) args.push('--dir', d);
  args.push('--dir', '/sys', '--ro-bind', '/sys', '/run/.hostsys');
  // The bubblewrap-made root is a tmpfs of mount points: nothing to write there.
  args.push('--remount-ro', '/');
  return args;
}
