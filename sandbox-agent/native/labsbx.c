/*
 * labsbx: the privileged steps of starting and entering a sandbox, which Node cannot do itself
 * (between fork and exec, or with setns). The agent runs it as host root; every verb drops
 * privilege before it runs anything the learner controls.
 *
 *   labsbx spawn --uid U --map-base B [--nofile N] [--rootfs DIR --rootfs-mount PATH [--init FILE]]
 *                [--writable PATH --writable-bytes N]
 *                [--cgroup-procs FILE]... -- PROGRAM ARGS...
 *       Join the session cgroups, then fork a child that drops to host uid U and creates a new
 *       user namespace; the parent (still root) writes its uid/gid maps "0 B 65536" (what
 *       newuidmap does, user_namespaces(7) "Defining user and group ID mappings"), then the
 *       child becomes root *inside* it and execs PROGRAM (bwrap). Keeps fds 0-4, closes the rest.
 *       With --rootfs DIR --rootfs-mount PATH, the parent also mounts DIR at PATH read-only and
 *       *idmapped* to the new user namespace (mount_setattr(2), MOUNT_ATTR_IDMAP), so files the
 *       host's root owns appear owned by the sandbox's root instead of "nobody", and overlay
 *       copy-up inside works. bwrap then binds from PATH.
 *
 *   labsbx exec --target PID [--nofile N] [--cgroup-procs FILE]... [--seccomp FILE] [--cwd DIR] -- PROGRAM ARGS...
 *       "docker exec": join the session cgroups, setns(2) into every namespace of PID (the
 *       sandbox's init), chroot to its root, become uid 0 of its user namespace, set
 *       no_new_privs, load the same seccomp filter bwrap loaded, fork, exec PROGRAM in the child
 *       and relay its exit status. Closes every fd but 0-2 first: node-pty 1.1 leaks the
 *       agent's fds into children (node-pty issue 657).
 *
 *   labsbx seccomp-export FILE
 *       Write the baseline seccomp BPF program (seccomp.c) to FILE, for bwrap --seccomp and exec.
 *
 *   labsbx syscalls
 *       Print the native architecture's system call table, for naming the calls in seccomp
 *       audit records (the explorer's denials): first "arch\tHEX", the AUDIT_ARCH_* value audit
 *       records print as arch= (libseccomp's SCMP_ARCH_* tokens are those values), then
 *       "NR\tNAME" for every number 0..1023 that libseccomp names. Needs no privilege.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "seccomp_policy.h"

#define MAX_CGROUPS 16
#define MAP_COUNT 65536

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("labsbx: ", stderr);
  vfprintf(stderr, fmt, ap);
  if (errno) fprintf(stderr, ": %s", strerror(errno));
  fputc('\n', stderr);
  va_end(ap);
  _exit(125);
}

static long parse_long(const char *s, const char *what) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 0) {
    errno = 0;
    die("bad %s '%s'", what, s);
  }
  return v;
}

/* close_range(2) is in kernel 5.9+; every fd from `first` up is closed. */
static void close_fds_from(int first) {
  if (syscall(SYS_close_range, first, ~0U, 0) != 0) die("close_range");
}

static void write_file(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die("open %s", path);
  size_t len = strlen(data);
  if (write(fd, data, len) != (ssize_t)len) die("write %s", path);
  close(fd);
}

/* The open-file limit, hard and soft alike: raising a hard limit needs CAP_SYS_RESOURCE in the
 * initial user namespace (setrlimit(2)), which no sandbox process has. */
static void limit_files(long n) {
  if (n <= 0) return;
  struct rlimit r = {.rlim_cur = (rlim_t)n, .rlim_max = (rlim_t)n};
  if (setrlimit(RLIMIT_NOFILE, &r)) die("setrlimit(RLIMIT_NOFILE, %ld)", n);
}

/* Moving ourselves into the cgroup *before* any namespace is created makes the sandbox's cgroup
 * namespace root the session cgroup (cgroup_namespaces(7)); nsjail's trap is doing it after. */
static void join_cgroups(char **files, int n) {
  char pid[32];
  snprintf(pid, sizeof pid, "%d\n", getpid());
  for (int i = 0; i < n; i++) write_file(files[i], pid);
}

struct opts {
  char *cgroups[MAX_CGROUPS];
  int ncgroups;
  long uid, base, target, nofile;
  const char *seccomp, *cwd, *rootfs, *rootfs_mount, *init, *writable;
  long writable_bytes;
  char **argv;
};

static void parse_opts(int argc, char **argv, struct opts *o) {
  memset(o, 0, sizeof *o);
  o->uid = o->base = o->target = o->nofile = o->writable_bytes = -1;
  int i = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) { i++; break; }
    if (i + 1 >= argc) { errno = 0; die("option %s needs a value", a); }
    const char *v = argv[++i];
    if (strcmp(a, "--cgroup-procs") == 0) {
      if (o->ncgroups == MAX_CGROUPS) { errno = 0; die("too many --cgroup-procs"); }
      o->cgroups[o->ncgroups++] = (char *)v;
    } else if (strcmp(a, "--uid") == 0) o->uid = parse_long(v, "uid");
    else if (strcmp(a, "--map-base") == 0) o->base = parse_long(v, "map base");
    else if (strcmp(a, "--target") == 0) o->target = parse_long(v, "target pid");
    else if (strcmp(a, "--nofile") == 0) o->nofile = parse_long(v, "open-file limit");
    else if (strcmp(a, "--seccomp") == 0) o->seccomp = v;
    else if (strcmp(a, "--cwd") == 0) o->cwd = v;
    else if (strcmp(a, "--rootfs") == 0) o->rootfs = v;
    else if (strcmp(a, "--rootfs-mount") == 0) o->rootfs_mount = v;
    else if (strcmp(a, "--init") == 0) o->init = v;
    else if (strcmp(a, "--writable") == 0) o->writable = v;
    else if (strcmp(a, "--writable-bytes") == 0) o->writable_bytes = parse_long(v, "writable size");
    else { errno = 0; die("unknown option %s", a); }
  }
  if (i >= argc) { errno = 0; die("missing -- PROGRAM"); }
  o->argv = argv + i;
}

/* ---------------------------------------------------------------- spawn */

/* Clone `dir` as a detached mount tree, make it read-only, nosuid, nodev and idmapped through
 * the user namespace of `pid`, and attach it at `target` (an empty directory). Runs as host root
 * in the host's mount namespace; the agent unmounts `target` when the sandbox ends. */
static void mount_idmapped(const char *dir, const char *target, pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/user", pid);
  int userns = open(path, O_RDONLY | O_CLOEXEC);
  if (userns < 0) die("open %s", path);
  int tree = syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (tree < 0) die("open_tree %s", dir);
  struct mount_attr attr = {
      .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
      .userns_fd = (unsigned long long)userns,
  };
  if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr))
    die("idmap %s (the filesystem must support idmapped mounts)", dir);
  if (mkdir(target, 0700) && errno != EEXIST) die("mkdir %s", target);
  if (syscall(SYS_move_mount, tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH)) die("attach %s", target);
  close(tree);
  close(userns);
}

/* The sandbox's writable area: a tmpfs of `bytes`, its root owned by the sandbox's root (host
 * uid `base`). Made here, by host root, so its superblock belongs to the initial user namespace
 * and nothing inside the sandbox can remount it with a larger size= (tmpfs pages are charged to
 * the sandbox's memory cgroup: a lifted cap would let a learner OOM their own shell). */
static void mount_writable(const char *target, long bytes, long base) {
  char opts[128];
  snprintf(opts, sizeof opts, "size=%ld,mode=0755,uid=%ld,gid=%ld", bytes, base, base);
  if (mkdir(target, 0700) && errno != EEXIST) die("mkdir %s", target);
  if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, opts)) die("mount tmpfs on %s", target);
}

/* Bind the agent's init binary over the rootfs's empty placeholder, read-only, from the host
 * side: a mount made here is locked read-only inside the sandbox's less privileged mount
 * namespace (mount_namespaces(7), "restrictions on mount namespaces"), which a bind made by
 * bwrap inside it would not be. */
static void bind_init(const char *init, const char *rootfs_mount) {
  char target[4096];
  snprintf(target, sizeof target, "%s/usr/local/sbin/lab-init", rootfs_mount);
  if (mount(init, target, NULL, MS_BIND, NULL)) die("bind %s on %s", init, target);
  if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL)) die("make %s read-only", target);
}

static int cmd_spawn(int argc, char **argv) {
  struct opts o;
  parse_opts(argc, argv, &o);
  if (o.uid <= 0 || o.base <= 0) { errno = 0; die("spawn needs --uid and --map-base (both > 0)"); }
  if (!o.rootfs != !o.rootfs_mount) { errno = 0; die("--rootfs and --rootfs-mount go together"); }
  if (o.init && !o.rootfs) { errno = 0; die("--init needs --rootfs"); }
  if (o.writable && o.writable_bytes <= 0) { errno = 0; die("--writable needs --writable-bytes"); }
  close_fds_from(5); /* 0-2 stdio, 3 bwrap --info-fd, 4 bwrap --seccomp */
  join_cgroups(o.cgroups, o.ncgroups);

  int ready[2], mapped[2];
  if (pipe2(ready, O_CLOEXEC) || pipe2(mapped, O_CLOEXEC)) die("pipe");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    /* Child: unprivileged on the host from here on. */
    char c;
    close(ready[0]);
    close(mapped[1]);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL)) die("pdeathsig");
    if (setgroups(0, NULL) || setresgid(o.uid, o.uid, o.uid) || setresuid(o.uid, o.uid, o.uid)) die("drop to uid %ld", o.uid);
    if (unshare(CLONE_NEWUSER)) die("unshare(CLONE_NEWUSER)");
    if (write(ready[1], "u", 1) != 1) die("signal parent");
    if (read(mapped[0], &c, 1) != 1) { errno = 0; die("parent did not write the id maps"); }
    /* uid 0 of the new namespace is host uid `base`; becoming it keeps every capability in the
     * namespace across execve (capabilities(7), "Capabilities and execution of programs by root"). */
    if (setresgid(0, 0, 0) || setresuid(0, 0, 0)) die("become namespace root");
    limit_files(o.nofile);
    execvp(o.argv[0], o.argv);
    die("exec %s", o.argv[0]);
  }
  close(ready[1]);
  close(mapped[0]);
  char c;
  if (read(ready[0], &c, 1) != 1) { errno = 0; die("child failed before creating its user namespace"); }
  char path[64], map[64];
  snprintf(map, sizeof map, "0 %ld %d\n", o.base, MAP_COUNT);
  snprintf(path, sizeof path, "/proc/%d/uid_map", child);
  write_file(path, map);
  snprintf(path, sizeof path, "/proc/%d/gid_map", child);
  write_file(path, map);
  if (o.rootfs) mount_idmapped(o.rootfs, o.rootfs_mount, child);
  if (o.init) bind_init(o.init, o.rootfs_mount);
  if (o.writable) mount_writable(o.writable, o.writable_bytes, o.base);
  if (write(mapped[1], "m", 1) != 1) die("signal child");
  close(mapped[1]);

  /* Stay as the child's parent so the agent sees its exit; forward termination to it. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL)) die("pdeathsig");
  signal(SIGTERM, SIG_IGN);
  int status;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) die("waitpid");
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

/* ---------------------------------------------------------------- exec */

static struct sock_fprog read_filter(const char *path) {
  struct sock_fprog prog = {0};
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open %s", path);
  struct stat st;
  if (fstat(fd, &st) || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) || st.st_size > 1 << 20) {
    errno = 0;
    die("%s is not a BPF program", path);
  }
  prog.filter = malloc(st.st_size);
  if (!prog.filter || read(fd, prog.filter, st.st_size) != st.st_size) die("read %s", path);
  prog.len = st.st_size / sizeof(struct sock_filter);
  close(fd);
  return prog;
}

static pid_t exec_child = 0;
static void forward(int sig) {
  if (exec_child > 0) kill(exec_child, sig);
}

static int cmd_exec(int argc, char **argv) {
  struct opts o;
  parse_opts(argc, argv, &o);
  if (o.target <= 1) { errno = 0; die("exec needs --target PID"); }
  close_fds_from(3);
  struct sock_fprog filter = {0};
  if (o.seccomp) filter = read_filter(o.seccomp);
  join_cgroups(o.cgroups, o.ncgroups);

  /* Open every namespace first, while /proc is still the host's. The user namespace goes
   * first: it owns the others, and joining it grants the capabilities the later setns(2) calls
   * check (setns(2), "Details by namespace type"). */
  static const char *const kinds[] = {"user", "cgroup", "ipc", "uts", "net", "pid", "mnt"};
  const int nkinds = sizeof kinds / sizeof kinds[0];
  int fds[8];
  char path[64];
  for (int i = 0; i < nkinds; i++) {
    snprintf(path, sizeof path, "/proc/%ld/ns/%s", o.target, kinds[i]);
    if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) die("open %s", path);
  }
  snprintf(path, sizeof path, "/proc/%ld/root", o.target);
  int root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die("open %s", path);
  for (int i = 0; i < nkinds; i++)
    if (setns(fds[i], 0)) die("setns %s", kinds[i]);
  if (fchdir(root) || chroot(".")) die("enter sandbox root");
  if (setgroups(0, NULL) || setresgid(0, 0, 0) || setresuid(0, 0, 0)) die("become namespace root");
  if (chdir(o.cwd ? o.cwd : "/") && chdir("/")) die("chdir");
  limit_files(o.nofile);
  /* Same order as bwrap: no_new_privs, then the filter (seccomp(2) needs one or the other). */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) die("no_new_privs");
  if (filter.len && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter)) die("load seccomp filter");

  /* setns(CLONE_NEWPID) affects children only: fork so the program is inside the PID
   * namespace. This parent stays outside, invisible to the sandbox, and relays the status. */
  exec_child = fork();
  if (exec_child < 0) die("fork");
  if (exec_child == 0) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL)) die("pdeathsig");
    execvp(o.argv[0], o.argv);
    die("exec %s", o.argv[0]);
  }
  /* The terminal's job-control signals belong to the program; hang-ups and kills from the
   * agent are passed on. */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGTSTP, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  signal(SIGTTIN, SIG_IGN);
  struct sigaction sa = {.sa_handler = forward};
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  int status;
  while (waitpid(exec_child, &status, 0) < 0)
    if (errno != EINTR) die("waitpid");
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

/* ---------------------------------------------------------------- syscalls */

/* Numbers above 1023 are not system calls on any architecture libseccomp supports (x32's
 * 0x40000000 bit aside, which audit reports with that bit set and the agent leaves unnamed). */
#define MAX_SYSCALL_NR 1024

static int cmd_syscalls(void) {
  printf("arch\t%x\n", seccomp_arch_native());
  for (int nr = 0; nr < MAX_SYSCALL_NR; nr++) {
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    if (name == NULL) continue; /* a gap in the table */
    printf("%d\t%s\n", nr, name);
    free(name);
  }
  return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: labsbx spawn|exec|seccomp-export|syscalls ...\n");
    return 125;
  }
  if (strcmp(argv[1], "spawn") == 0) return cmd_spawn(argc - 2, argv + 2);
  if (strcmp(argv[1], "exec") == 0) return cmd_exec(argc - 2, argv + 2);
  if (strcmp(argv[1], "seccomp-export") == 0 && argc == 3) return seccomp_export(argv[2]);
  if (strcmp(argv[1], "syscalls") == 0 && argc == 2) return cmd_syscalls();
  fprintf(stderr, "labsbx: unknown verb %s\n", argv[1]);
  return 125;
}
