/**
 * The one table of kernel settings this machine should have while it runs untrusted learners as
 * root inside their own user namespaces (research/sandbox.md §6.2 "Host, once"), each with its
 * reason. sysctls.ts reads, plans, applies and persists them; the set-up scripts never copy it.
 */
/**
 * Namespaces one sandbox may hold of each type: the handful the launcher creates (one user
 * namespace, then pid, net, uts, ipc, cgroup and mount from bwrap) plus what lessons make
 * (`unshare --pid`, `ip netns add`, a nested rootless container...), with room to spare.
 */
export const NS_PER_SANDBOX = 64;
/** Namespaces kept for everything else on the host (systemd's PrivateTmp/PrivateNetwork units, the agent's own probes). */
export const NS_HOST_RESERVE = 1024;

export interface SysctlSpec {
  /** Dotted name, as sysctl(8) spells it. */
  key: string;
  /** The value set-up writes. */
  want: number;
  /**
   * `exact`: the value must be `want`. `floor`: `want` is a minimum; a higher value is left alone,
   * because lowering a limit someone raised could break other software on the host.
   */
  mode: 'exact' | 'floor';
  /** One line: why a sandbox host wants this. */
  why: string;
  /** Other values that are hardened enough when the kernel will not take `want` (agent start does not warn about them). */
  alsoGood?: (v: number) => boolean;
  /** A value set-up must not try to change, with the reason (the kernel refuses the write). */
  stuck?: (v: number) => string | undefined;
  /** When a kernel without this setting is fine: the reason, shown as a note instead of a warning. */
  ifMissing?: string;
}

const NS_TYPES = ['user', 'pid', 'net', 'mnt', 'uts', 'ipc', 'cgroup', 'time'] as const;

/**
 * Floor for every `user.max_<type>_namespaces`.
 *
 * What these bound (Documentation/admin-guide/sysctl/user.rst, kernel/ucount.c inc_ucount): the
 * number of namespaces of that type that any one *user* of the user namespace the value is read
 * in may create, and the count is charged again to every ancestor user namespace's creator. Read
 * in the init namespace (where set-up and the agent run), the value therefore caps, per host uid,
 * all namespaces that uid creates plus every namespace nested below user namespaces it created.
 * The launcher drops to a per-sandbox owner uid before unshare(CLONE_NEWUSER) (isolation/userns.ts),
 * so one learner meets this cap for its whole sandbox; host root's services meet it too.
 *
 * Sizing: LAB_MAX_SANDBOXES × NS_PER_SANDBOX + NS_HOST_RESERVE (64 × 64 + 1024 = 5120 by default)
 * is enough even if every sandbox were charged to a single uid, so no layout of this app can run
 * out. It is only a floor: kernels default to max_threads/2 (tens of thousands on most machines)
 * and a higher value is never lowered. A value below it (0 disables the namespace type) is raised.
 * Containing one learner's namespace flood is left to its pids and memory cgroup limits (each
 * namespace costs kernel memory charged to it).
 */
export function namespaceFloor(maxSandboxes: number): number {
  return maxSandboxes * NS_PER_SANDBOX + NS_HOST_RESERVE;
}

/** The table. `maxSandboxes` is LAB_MAX_SANDBOXES (it sizes the namespace floors). */
export function hardeningSysctls(maxSandboxes: number): SysctlSpec[] {
  const floor = namespaceFloor(maxSandboxes);
  return [
    {
      key: 'kernel.unprivileged_bpf_disabled',
      want: 2,
      mode: 'exact',
      why: 'no bpf() for unprivileged users: verifier bugs are a recurring way into the kernel',
      // 1 also turns unprivileged bpf() off, and is a one-way latch: once 1, the kernel refuses
      // every other value until reboot (kernel/bpf/syscall.c bpf_unpriv_handler returns EPERM).
      alsoGood: (v) => v === 1,
      stuck: (v) => (v === 1 ? '1 is a one-way latch (off until reboot), as good as 2' : undefined),
    },
    {
      key: 'kernel.perf_event_paranoid',
      want: 3,
      mode: 'exact',
      // Debian's kernel patch makes 3 deny perf_event_open() to unprivileged users altogether;
      // upstream kernels accept 3 but treat it as 2 (no kernel profiling), which is still fine.
      why: 'no perf_event_open() for unprivileged users on Debian kernels; upstream ones treat 3 as 2, no kernel profiling',
      alsoGood: (v) => v >= 2,
    },
    {
      key: 'vm.unprivileged_userfaultfd',
      want: 0,
      mode: 'exact',
      why: 'no userfaultfd for unprivileged users: exploits use it to pause the kernel mid-copy and win races',
    },
    {
      key: 'kernel.dmesg_restrict',
      want: 1,
      mode: 'exact',
      why: 'kernel log for root only: it leaks kernel addresses and other sandboxes\' activity',
    },
    {
      key: 'kernel.kptr_restrict',
      want: 2,
      mode: 'exact',
      why: 'hide kernel pointers in /proc and elsewhere, even from root, so kernel addresses stay secret',
    },
    {
      key: 'fs.protected_symlinks',
      want: 1,
      mode: 'exact',
      why: 'do not follow another user\'s symlink in a sticky world-writable directory such as /tmp',
    },
    {
      key: 'fs.protected_hardlinks',
      want: 1,
      mode: 'exact',
      why: 'no hard links to files the linking user cannot read and write',
    },
    {
      key: 'fs.protected_regular',
      want: 2,
      mode: 'exact',
      why: 'O_CREAT does not open another user\'s regular file in a sticky directory, group-writable ones included',
    },
    {
      key: 'fs.protected_fifos',
      want: 2,
      mode: 'exact',
      why: 'O_CREAT does not open another user\'s FIFO in a sticky directory, group-writable ones included',
    },
    {
      // 0 = io_uring for all, 1 = only for CAP_SYS_ADMIN and kernel.io_uring_group, 2 = for nobody.
      // The sandboxes' seccomp filter already denies io_uring_*; this covers every other process on
      // the host and any gap in the filter. The setting arrived in Linux 6.6: Debian 12's 6.1 kernel
      // lacks it, and there the seccomp filter is the only control, so its absence is a note only.
      key: 'kernel.io_uring_disabled',
      want: 2,
      mode: 'exact',
      why: 'no io_uring for anyone: a large, often-exploited kernel interface nothing here needs',
      ifMissing: 'not in this kernel (Linux 6.6+); the sandboxes\' seccomp filter denies io_uring',
    },
    ...NS_TYPES.map(
      (t): SysctlSpec => ({
        key: `user.max_${t}_namespaces`,
        want: floor,
        mode: 'floor',
        why: `${t} namespaces one host uid may own: room for ${maxSandboxes} sandboxes × ${NS_PER_SANDBOX} + ${NS_HOST_RESERVE}; a floor, never lowered`,
      }),
    ),
  ];
}
