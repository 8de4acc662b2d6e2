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
#include <unistd.h>

#include "seccomp_policy.h"

static const char *const denied[] = {
    "keyctl", "add_key", "request_key",               /* kernel keyrings are not namespaced */
    "bpf", "perf_event_open", "userfaultfd",          /* classic LPE surface */
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "open_by_handle_at",                              /* "shocker": bypasses mount boundaries */
    "acct", "swapon", "swapoff", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "lookup_dcookie", "quotactl", "iopl", "ioperm", "uselib", "syslog", "fanotify_init",
    "nfsservctl", "vm86", "vm86old",
};

int seccomp_export(const char *path) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) {
    fprintf(stderr, "labsbx: seccomp_init failed\n");
    return 1;
  }
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  for (size_t i = 0; rc == 0 && i < sizeof denied / sizeof denied[0]; i++) {
    int nr = seccomp_syscall_resolve_name(denied[i]);
    if (nr == __NR_SCMP_ERROR) continue; /* not on this architecture (vm86 on x86_64) */
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
  }
  /* TIOCSTI pushes bytes into a terminal's input queue: a sandbox must not type into a tty it
   * shares with anything outside (CVE-2017-5226 in bubblewrap). */
  if (rc == 0)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                          SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
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
