/*
 * Baseline seccomp policy: a deny-list that keeps every system call the lessons need
 * (unshare, setns, mount, clone, pivot_root, the learner's own seccomp filters…) and returns
 * EPERM for kernel attack surface that a namespaced root can reach but no lesson uses
 * (research/sandbox.md §6.2 step 4, after Docker's default profile). Non-native ABIs (i386 via
 * int 0x80, x32) kill the process: a filter written for x86_64 numbers must not be bypassed by
 * another syscall table.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "seccomp_policy.h"

/* Each entry: the system call, and why a learner's sandbox does without it. */
static const struct {
  const char *name, *why;
} denied[] = {
    {"kexec_load", "replaces the running kernel"},
    {"kexec_file_load", "replaces the running kernel"},
    {"init_module", "loads code into the kernel"},
    {"finit_module", "loads code into the kernel"},
    {"delete_module", "unloads kernel code"},
    {"open_by_handle_at", "opens files by handle, around mount boundaries (the 'shocker' escape)"},
    {"bpf", "eBPF programs and maps: a large, often-exploited kernel surface"},
    {"perf_event_open", "performance counters: kernel pointers, side channels, frequent LPEs"},
    {"userfaultfd", "stalls kernel page faults: a staple of exploiting kernel races"},
    {"io_uring_setup", "io_uring: many recent LPEs, and it bypasses seccomp for its own operations"},
    {"io_uring_enter", "io_uring (see io_uring_setup)"},
    {"io_uring_register", "io_uring (see io_uring_setup)"},
    {"keyctl", "kernel keyrings are not namespaced: keys could leak between sandboxes"},
    {"add_key", "kernel keyrings (see keyctl)"},
    {"request_key", "kernel keyrings (see keyctl)"},
    {"swapon", "changes the host's swap"},
    {"swapoff", "changes the host's swap"},
    {"acct", "process accounting writes a host-wide file"},
    {"quotactl", "disk quotas of host filesystems"},
    {"uselib", "obsolete a.out loader, a past LPE"},
    {"nfsservctl", "obsolete (removed in Linux 3.1)"},
    {"lookup_dcookie", "obsolete profiling interface"},
    {"iopl", "raw I/O port access"},
    {"ioperm", "raw I/O port access"},
    {"vm86", "virtual 8086 mode (32-bit only)"},
    {"vm86old", "virtual 8086 mode (32-bit only)"},
    {"syslog", "reads and clears the host's kernel log"},
    {"settimeofday", "sets the host's clock (time is not namespaced for writes)"},
    {"clock_settime", "sets the host's clock"},
    {"clock_adjtime", "adjusts the host's clock"},
    {"adjtimex", "adjusts the host's clock"},
    {"fanotify_init", "filesystem-wide event monitoring"},
};

int seccomp_export(const char *path) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) {
    fprintf(stderr, "labsbx: seccomp_init failed\n");
    return 1;
  }
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  for (size_t i = 0; rc == 0 && i < sizeof denied / sizeof denied[0]; i++) {
    int nr = seccomp_syscall_resolve_name(denied[i].name);
    if (nr == __NR_SCMP_ERROR) continue; /* not on this architecture (vm86 on x86_64) */
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
  }
  /* TIOCSTI pushes bytes into a terminal's input queue: a sandbox must not type into a tty it
   * shares with anything outside (CVE-2017-5226 in bubblewrap). */
  if (rc == 0)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                          SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
  /* vsock is not network-namespaced: an AF_VSOCK socket reaches the hypervisor host and its
   * services from any network namespace, so "no network leaves a sandbox" needs it denied. */
  if (rc == 0)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, AF_VSOCK));
  int fd = -1;
  if (rc == 0) {
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    rc = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
  }
  if (fd >= 0) close(fd);
  seccomp_release(ctx);
  if (rc != 0) {
    fprintf(stderr, "labsbx: building the seccomp filter failed: %s\n", strerror(-rc));
    return 1;
  }
  return 0;
}
