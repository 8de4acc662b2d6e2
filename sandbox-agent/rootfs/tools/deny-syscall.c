/*
 * deny-syscall: run a command with some system calls switched off.
 *
 *     deny-syscall NAME[,NAME...] [--] COMMAND [ARG...]
 *     deny-syscall --show NAME[,NAME...]
 *
 * Every system call named in the comma-separated list fails with EPERM ("Operation not
 * permitted") in COMMAND and in everything it starts; every other call works as usual.
 *
 *     deny-syscall mkdir -- mkdir /tmp/x      mkdir: cannot create directory '/tmp/x':
 *                                             Operation not permitted
 *
 * With --show it runs nothing and prints the filter it would load, in libseccomp's readable
 * pseudo code (seccomp_export_pfc(3)) instead of the BPF the kernel gets.
 *
 * How it works, in four library calls (libseccomp, see seccomp_init(3), seccomp_rule_add(3),
 * seccomp_load(3)); the kernel side is seccomp(2):
 *
 *   1. seccomp_init(SCMP_ACT_ALLOW)   start a filter whose default answer is "allow";
 *   2. seccomp_rule_add(...)          for each name: "this call returns -1 with errno EPERM";
 *   3. seccomp_load()                 compile the rules to a small BPF program and hand it to
 *                                     the kernel, which from now on runs it on every system
 *                                     call this process (and any child) makes;
 *   4. execvp(COMMAND)                become COMMAND. A filter survives execve and fork and
 *                                     can never be removed, only made stricter by stacking
 *                                     more filters on top (see Seccomp_filters in
 *                                     /proc/self/status).
 *
 * Part of container-lab; built into the sandbox image by sandbox-agent/rootfs/customize.sh.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exit statuses: 2 for a usage error (like most tools), 126/127 when COMMAND cannot run (like
 * the shell), 1 when the kernel refuses the filter. */
enum { EXIT_USAGE = 2, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };

static void usage(FILE *to) {
  fputs("usage: deny-syscall NAME[,NAME...] [--] COMMAND [ARG...]\n"
        "       deny-syscall --show NAME[,NAME...]\n"
        "Runs COMMAND with the named system calls failing with EPERM (Operation not permitted);\n"
        "--show prints the filter instead. Names are as in syscalls(2): mkdir, unshare, ...\n"
        "example: deny-syscall mkdir,mkdirat -- mkdir /tmp/x\n",
        to);
}

/* Print "deny-syscall: <message>" and the usage, then exit 2. */
static void usage_error(const char *message, const char *detail) {
  fprintf(stderr, "deny-syscall: %s%s\n", message, detail ? detail : "");
  usage(stderr);
  exit(EXIT_USAGE);
}

int main(int argc, char **argv) {
  if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
    usage(stdout);
    return 0;
  }
  int show = argc >= 2 && strcmp(argv[1], "--show") == 0;
  int list = show ? 2 : 1; /* index of NAME[,NAME...] in argv */
  if (list >= argc || argv[list][0] == '\0') usage_error("no system call names given", NULL);
  if (argv[list][0] == '-') usage_error("expected system call names, not an option: ", argv[list]);

  int cmd = list + 1; /* index of COMMAND in argv; an optional "--" may come before it */
  if (cmd < argc && strcmp(argv[cmd], "--") == 0) cmd++;
  if (show && cmd < argc) usage_error("--show runs nothing; drop the command: ", argv[cmd]);
  if (!show && cmd >= argc) usage_error("no command given", NULL);

  /* 1. A filter that allows whatever no rule mentions. libseccomp adds, for free, a check of
   *    the system call ABI: a call made through another one (on x86_64: 32-bit `int 0x80` or
   *    x32) is killed, so nobody can dodge the rules with another table of numbers. */
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == NULL) {
    fputs("deny-syscall: seccomp_init failed\n", stderr);
    return 1;
  }

  /* Ask the kernel to log every call this filter denies (seccomp(2), SECCOMP_FILTER_FLAG_LOG):
   *    each one becomes an audit record ("type=1326 ... syscall=83") in the kernel's log, which
   *    is how the Explorer panel lists the calls your filters refused. Without this flag the
   *    kernel logs only kills, never a quiet EPERM. */
  if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) < 0) {
    fputs("deny-syscall: cannot ask for denials to be logged\n", stderr);
    return 1;
  }

  /* 2. One rule per name. strtok_r splits a private copy of "mkdir,mkdirat" at the commas. */
  char *names = strdup(argv[list]), *save = NULL;
  if (names == NULL) return 1;
  if (names[strlen(names) - 1] == ',' || strstr(names, ",,") != NULL || names[0] == ',')
    usage_error("empty system call name in the list: ", argv[list]);
  for (char *name = strtok_r(names, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save)) {
    /* The kernel only knows numbers (mkdir is 83 on x86_64); libseccomp has the table. */
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
      usage_error("unknown system call name: ", name);
    if (nr < 0) /* a name libseccomp knows, but from another architecture (e.g. vm86) */
      usage_error("not a system call on this machine's architecture: ", name);
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
    if (rc < 0) {
      fprintf(stderr, "deny-syscall: cannot add a rule for %s: %s\n", name, strerror(-rc));
      return 1;
    }
  }
  free(names);

  if (show) { /* print the rules as pseudo code (syscall numbers are this machine's) and stop */
    int rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
    seccomp_release(ctx);
    return rc < 0 ? 1 : 0;
  }

  /* 3. Load it. Without CAP_SYS_ADMIN, the kernel takes a filter only once no_new_privs is set
   *    (prctl(2) PR_SET_NO_NEW_PRIVS: from now on execve can never grant more privileges, e.g.
   *    through a setuid binary, which could otherwise be fooled by a filter); libseccomp sets
   *    it for us by default. */
  int rc = seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc < 0) {
    fprintf(stderr, "deny-syscall: the kernel refused the filter: %s\n", strerror(-rc));
    return 1;
  }

  /* 4. Become COMMAND, searching PATH like a shell does. The filter stays. If execve itself
   *    was in the list, this is where it fails: "Operation not permitted". */
  execvp(argv[cmd], &argv[cmd]);
  int err = errno;
  fprintf(stderr, "deny-syscall: %s: %s\n", argv[cmd], strerror(err));
  return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}
